"""Links to known hosts, written plainly or spaced out ("t . me / pm_john",
"zoom(.)us/j/123"), shared by the messaging, meeting, social and payment detectors.

Each detector passes a table of ``(channel, pattern)`` where ``pattern`` matches the host
and path with bounded repetitions only, so the scan is linear in the text length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from streams.detection.normalize import View, rewrite

_SPACED_DOT = re.compile(
    r"(?<=[a-z0-9])(?:\s*[\[({]\s*(?:\.|dot)\s*[\])}]\s*|\s+(?:dot|punto|ponto|point)\s+"
    r"|\s+\.\s*|\.\s+(?=[a-z]{2,4}\s*/))(?=[a-z0-9])"
)
_SPACED_SLASH = re.compile(r"(?<=[a-z0-9])\s*(?:/|\bslash\b)\s*(?=[a-z0-9@#~+$])")


# Every host in the link tables has a dot between a letter or digit and a letter
# ("t.me", "zoom.us", "ko-fi.com"), except the "tg://", "viber://" and "skype:" schemes.
# Both patterns start with a literal or a class: ``re`` skips ahead at C speed.
_HOST_DOT = re.compile(r"\.(?<=[a-z0-9]\.)[a-z]")
# Where ``_SPACED_DOT`` can match: a bracket, a dot word between spaces, " ." or
# ". com/" (each pattern starts with a literal).
_DOT_WORD = re.compile(r"dot\s(?<=\sdot\s)|p(?:unto|onto|oint)\s(?<=\s.....\s)")
_SPACED_DOT_CHAR = re.compile(r"\.(?:(?<=\s\.)|\s+[a-z]{2,4}\s*/)")


def _might_space_a_dot(compact: str) -> bool:
    return (
        "(" in compact
        or "[" in compact
        or "{" in compact
        or _DOT_WORD.search(compact) is not None
        or _SPACED_DOT_CHAR.search(compact) is not None
    )


def might_hold_link(compact: str) -> bool:
    """False only if no link table can match the url view of the compact view
    ``compact``: its dots are ``compact``'s or ``_SPACED_DOT``'s, and closing up slashes
    makes no dot, "://" or "skype:"."""
    return (
        "://" in compact
        or "skype:" in compact
        or _HOST_DOT.search(compact) is not None
        or (_might_space_a_dot(compact) and _SPACED_DOT.search(compact) is not None)
    )


def url_view(compact: View) -> View:
    """``compact`` with spelled or spaced dots and slashes closed up."""
    view = compact
    if _might_space_a_dot(view.text):  # else _SPACED_DOT cannot match
        view = rewrite(view, _SPACED_DOT, lambda _: ".")
    if "/" in view.text or "slash" in view.text:  # else _SPACED_SLASH cannot match
        view = rewrite(view, _SPACED_SLASH, lambda _: "/")
    return view


@dataclass(frozen=True, slots=True)
class LinkMatch:
    channel: str
    start: int  # in the original text
    end: int
    url: str  # canonical: https://host/path, lower case


class LinkTable:
    """One compiled alternation over a detector's ``(channel, pattern)`` table."""

    def __init__(self, entries: Sequence[tuple[str, str]]) -> None:
        self._channels = [channel for channel, _ in entries]
        alternatives = "|".join(f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(entries))
        self._pattern = re.compile(
            rf"(?<![a-z0-9\-_.@/])(?:h[tx]{{2}}ps?://)?(?:www\.)?(?:{alternatives})(?![a-z0-9_\-])"
        )

    def find(self, view: View) -> list[LinkMatch]:
        found: list[LinkMatch] = []
        for match in self._pattern.finditer(view.text):
            group = match.lastgroup or ""
            channel = self._channels[int(group[1:])]
            start, end = view.to_original(match.start(), match.end())
            found.append(LinkMatch(channel, start, end, f"https://{match.group(group)}"))
        return found
