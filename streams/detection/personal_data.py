"""Personal data × request: an identity document, bank credentials, a home address or
a date of birth asked for, in any language (docs/POLICY.md, "Composition").

The phrase files (``intents.py``) spell out whole requests; this recognizer composes
the lexicon of ``phrases/personal_data.yaml`` instead.  A personal-data *item* in a
clause with an *ask* cue ("send", "manda", "пришли", "kirim", "发"), or two items in
one message (a list: "ФИО, адрес прописки, дата рождения"), is a
``personal_info_request``; a *work* cue in the clause (a form field, a KYC screen) or
safety advice ("never share your password") sets it aside.  The finding fires no rule
alone: ``scam_pattern`` also needs a channel in the message.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import TYPE_CHECKING

from streams.detection.channel_frames import clause, cue_patterns
from streams.detection.findings import Finding
from streams.detection.matcher import Pattern

if TYPE_CHECKING:
    from streams.detection.recognizer import Context

__all__ = ["ITEM", "analyze", "patterns"]

_LISTS = ("item", "ask", "work", "not")
GROUP = "personal_{}".format
#: The group every text with a finding matches (the recognizer's cue).
ITEM = GROUP("item")


def patterns() -> Iterator[Pattern]:
    """Every cue of ``personal_data.yaml``, for the matcher."""
    return cue_patterns("personal_data.yaml", _LISTS, GROUP)


def analyze(ctx: Context) -> list[Finding]:
    found = ctx.scan("folded").matches([GROUP(name) for name in _LISTS])
    cues = sorted((m.start, m.end, m.pattern.value) for m in found)
    items = [(s, e) for s, e, name in cues if name == "item"]
    folded = ctx.norm.folded
    listed = len({folded[s:e] for s, e in items}) >= 2
    for start, end in items:
        low, high = clause(folded, start, end)
        around = {
            name
            for s, e, name in cues[bisect_left(cues, (low,)) : bisect_left(cues, (high,))]
            if e <= high and not (start <= s < end)  # not a word of the item itself
        }
        if around & {"work", "not"} or not (listed or "ask" in around):
            continue
        o_start, o_end = ctx.norm.to_original(low, high)
        written = ctx.norm.original[o_start:o_end].strip()[:80]
        item = ctx.norm.original[slice(*ctx.norm.to_original(start, end))]
        reason = f"personal data ({item!r}) asked for: {written!r}"
        value = "personal_info_request:personal_data"
        return [Finding("personal_info_request", o_start, o_end, value, reason)]
    return []
