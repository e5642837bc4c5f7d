"""The identifier given right after a channel's name: "telegram: @pm_john",
"skype is live:john.smith_1", "discord john#1234", "wechat id: jz_88", "insta @john".
"""

from __future__ import annotations

import re
from bisect import bisect_left

from streams.detection import emails
from streams.detection.normalize import View

_PUNCT = r"[\s:=\-–>(\"'«,.?!]"
# Filler between the channel's name and the handle (bounded: linear).
_LEAD = re.compile(
    rf"{_PUNCT}*(?P<words>(?:(?:is|es|est|ist|é|eh|это|me|on|at|id|username|user|handle|nick|"
    r"nickname|name|number|acc|account|add|contact|my|mi|meu|mon|mein|here|below|search|"
    r"find|app|tag|the|same|as|como|saya|ko|po|na|pe|par|e|al|au|en|no|da|hai|sa|ay|c'est|"
    r"le|la|ник|ник\w{0,2}|мой|моя|мій|это|karo|korun|kijiye|pls|please|dm|msg|message|"
    r"to|ng|ni|ako|mo|ang|ya|aja|aku)\b"
    rf"{_PUNCT}*){{0,6}})"
)
_HANDLE = re.compile(
    r"(?P<handle>@[a-z0-9_.\-]{2,32}|\$[a-z][a-z0-9_]{1,20}|live:[a-z0-9._\-:]{3,64}|[a-z0-9_.]{2,32}#[0-9]{4}"
    r"|[a-z][a-z0-9_.\-]{2,31})(?![a-z0-9_@])"
)
_WORDS = re.compile(r"\w+")
_LABELS = frozenset({"id", "username", "user", "handle", "nick", "nickname", "name", "acc",
                     "account", "is", "es", "est", "ist", "é", "tag", "como", "ник"})  # fmt: skip
# Words that follow a channel's name in ordinary sentences, never handles.
_NOT_HANDLES = frozenset(
    """
    please pls let lets me we you i is it the a an and or but for to on in at of with call
    chat message group channel bot api app apps business integration account number
    tomorrow today later now soon instead only too also as well if when then there here
    this that these those so because since after before about ok okay thanks thank hi hello
    video voice meeting meet link down not broken available works working blocked banned
    same different private public new old better best great fine good free busy offline
    online dead slow full open closed easier faster quicker simpler safer nicer more much
    mejor melhor mais plus besser einfacher meglio lepiej beter nai nei nahi nahin
    """.split()  # noqa: SIM905
)


def view_index(view: View, original_offset: int) -> int:
    """The first index of ``view`` produced at or after ``original_offset``."""
    return bisect_left(view.starts, original_offset, 0, len(view.text))


def handle_after(view: View, original_end: int) -> tuple[int, int, str] | None:
    """The handle right after ``original_end`` as ``(start, end, handle)`` in original
    offsets, or None."""
    position = view_index(view, original_end)
    lead = _LEAD.match(view.text, position)
    if lead is None:
        return None
    match = _HANDLE.match(view.text, lead.end())
    if match is None or match.start() - position > 40:
        return None
    handle = match.group("handle").rstrip(".-")
    bare = handle[0].isalpha() and not handle.startswith("live:") and "#" not in handle
    if bare:
        said = set(_WORDS.findall(lead.group("words")))
        labelled = ":" in lead.group() or bool(_LABELS & said)
        marked = any(c.isdigit() or c in "_." for c in handle)
        if handle in _NOT_HANDLES or not (labelled or marked):
            return None
    start, end = view.to_original(match.start(), match.start() + len(handle))
    return start, end, handle


_AT_HANDLE_BEFORE = re.compile(
    r"(?<![a-z0-9_])(?P<handle>@[a-z0-9_.]{2,32})\W{0,3}(?:(?:on|in|at|via|by|pe|par|en|no|"
    r"na|ko|sa|em|auf|sur|в|на)\W{1,3})?$"
)


def handle_before(view: View, original_start: int) -> tuple[int, int, str] | None:
    """An "@handle" right before ``original_start`` ("message @hr_dept on telegram")."""
    position = view_index(view, original_start)
    match = _AT_HANDLE_BEFORE.search(view.text, max(0, position - 40), position)
    if match is None:
        return None
    handle = match.group("handle").rstrip(".")
    start, end = view.to_original(match.start("handle"), match.start("handle") + len(handle))
    return start, end, handle


# "Teleqram पर ऐड कर लो: @kavya_edits", "te1egr4m, el username beta3i @mido_motion": an
# "@" handle (no e-mail's domain) a few words after the name, in the same sentence, in
# words of any language the filler list of ``_LEAD`` does not know.
_AT_HANDLE_NEAR = re.compile(
    r"[^.!?\n。！？@]{0,40}?(?<![a-z0-9_.%+\-])(?P<handle>@[a-z0-9_.]{3,32})(?![a-z0-9_@])"
)


def at_handle_near(view: View, original_end: int) -> tuple[int, int, str] | None:
    """An "@handle" within a few words after ``original_end``, in the same sentence."""
    position = view_index(view, original_end)
    match = _AT_HANDLE_NEAR.match(view.text, position)
    if match is None:
        return None
    handle = match.group("handle").rstrip(".")
    if emails.has_public_suffix(handle[1:]):
        return None  # "@stanford.edu": an address's domain
    start, end = view.to_original(match.start("handle"), match.start("handle") + len(handle))
    return start, end, handle
