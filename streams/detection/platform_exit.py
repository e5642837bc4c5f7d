"""Leaving the platform: "we don't need Upwork", "sin la plataforma", "Upwork'e gerek
yok", "不需要这个平台", "our own contract" (docs/POLICY.md, "Composition").

The phrase files (``intents.py``) spell out whole sentences; this recognizer composes
the lexicon of ``phrases/platform_exit.yaml``: a *platform* word with a *before* cue a
few words ahead of it ("no need for the platform") or an *after* cue right behind it
("platforma ihtiyacımız yok"), or an *alone* cue ("our own contract"), is an
``off_platform_intent``.  A negation just before the cue ("I never work outside the
platform", the ``negation`` frame of ``frames.yaml``) sets it aside; so does a report
anywhere in the message (``reporting.py``), or a *refused* cue after it in the clause,
where the verb comes last ("…سے باہر ادائیگی قبول نہیں کرتا").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from streams.detection.channel_frames import GROUP as FRAME_GROUP
from streams.detection.channel_frames import cue_patterns
from streams.detection.findings import Finding
from streams.detection.matcher import Pattern

if TYPE_CHECKING:
    from streams.detection.recognizer import Context

__all__ = ["CUES", "analyze", "patterns"]

_LISTS = ("platform", "before", "after", "alone", "refused")
GROUP = "exit_{}".format
#: The groups every text with a finding matches (the recognizer's cues).
CUES = (GROUP("platform"), GROUP("alone"))
#: At most this many characters and words between a cue and the platform word ("no
#: need for the platform", "nie potrzebujemy tu Upworka"; not "leave a review on
#: Upwork"), and no sentence end.
_NEAR = 16
_NEAR_WORDS = 2
#: A negation this close before the cue refuses instead ("I never work outside…"); so
#: does a refusal this close after it, in the clause.
_NEGATION_BEFORE = 30
_NEGATION_BEFORE_ALONE = 10
_REFUSED_AFTER = 40
_SENTENCE_END = frozenset(".!?;\n。！？；")


def patterns() -> Iterator[Pattern]:
    """Every cue of ``platform_exit.yaml``, for the matcher."""
    return cue_patterns("platform_exit.yaml", _LISTS, GROUP)


def _joined(folded: str, left_end: int, right_start: int) -> bool:
    gap = folded[left_end:right_start]
    return (
        left_end <= right_start
        and len(gap) <= _NEAR
        and len(gap.split()) <= _NEAR_WORDS
        and not _SENTENCE_END.intersection(gap)
    )


def _joined_within(folded: str, end: int, start: int) -> bool:
    gap = folded[end:start]
    return end <= start and len(gap) <= _REFUSED_AFTER and not _SENTENCE_END.intersection(gap)


def analyze(ctx: Context) -> list[Finding]:
    folded = ctx.norm.folded
    found = ctx.scan("folded").matches([GROUP(name) for name in _LISTS])
    cues = sorted((m.start, m.end, m.pattern.value) for m in found)
    negations = [(m.start, m.end) for m in ctx.scan("folded").matches([FRAME_GROUP("negation")])]
    platforms = [(s, e) for s, e, name in cues if name == "platform"]
    for start, end, name in cues:
        if name in ("platform", "refused"):
            continue
        if name == "before":
            span = next(((start, pe) for ps, pe in platforms if _joined(folded, end, ps)), None)
        elif name == "after":
            span = next(((ps, end) for ps, pe in platforms if _joined(folded, pe, start)), None)
        else:
            span = (start, end)
        # An "own contract" cue names no platform: only a negation right before it
        # refuses ("Upwork no dey necessary, we go do our own agreement" proposes).
        reach = _NEGATION_BEFORE if name != "alone" else _NEGATION_BEFORE_ALONE
        if span is None or any(ne <= span[0] and span[0] - ne <= reach for _, ne in negations):
            continue
        if any(
            kind == "refused" and span[1] <= s and _joined_within(folded, span[1], s)
            for s, _, kind in cues
        ):
            continue
        o_start, o_end = ctx.norm.to_original(*span)
        written = ctx.norm.original[o_start:o_end]
        reason = f"leaving the platform: {written!r}"
        return [Finding("off_platform_intent", o_start, o_end, "off_platform_intent:exit", reason)]
    return []
