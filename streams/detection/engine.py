"""Runs the recognizers over one message and merges what they find.

The message is normalised once; the matcher scans each text view at most once
(``recognizer.Context``); each recognizer of ``registry.RECOGNIZERS`` whose cues fired
verifies its candidates; the intent phrases run last, on the folded text with every
channel offered as a way to get in touch written as one marker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from streams.detection.findings import Finding
from streams.detection.intents import MARKED_VIEW, detect_intents, marked_view
from streams.detection.normalize import NormalizedText, normalize
from streams.detection.recognizer import Context
from streams.detection.registry import INTENT_RECOGNIZERS, RECOGNIZERS, matcher, views
from streams.detection.reporting import without_reported_intents


def context(text: str | NormalizedText, regions: Sequence[str]) -> Context:
    norm = text if isinstance(text, NormalizedText) else normalize(text)
    return Context(norm, regions, matcher(), views())


def detect_details(ctx: Context) -> list[Finding]:
    """Contact details and payment accounts (no intents), deduplicated, in text order."""
    for recognizer in RECOGNIZERS:
        if not recognizer.cues or ctx.fired(recognizer.cues):
            ctx.found += recognizer.analyze(ctx)
    return dedup(ctx.found)


def detect(text: str | NormalizedText, regions: Sequence[str]) -> list[Finding]:
    """Every finding in ``text``: details, payment accounts and intents.

    ``regions`` are the phone regions to try, most likely first (the sender's country,
    then the policy's list).
    """
    ctx = context(text, regions)
    return dedup(without_reported_intents(ctx, [*detect_details(ctx), *intents(ctx)]))


def intents(ctx: Context) -> list[Finding]:
    """The intent phrases of the message (asking for contact, paying outside…)."""
    view = marked_view(ctx.norm.folded, ctx.folded_mentions)
    found = detect_intents(ctx.norm, view, lambda text: ctx.matcher.scan(MARKED_VIEW, text))
    ctx.found += found  # the intent recognizers see the phrases found
    for recognizer in INTENT_RECOGNIZERS:
        if ctx.fired(recognizer.cues):
            found += recognizer.analyze(ctx)
    return found


def dedup(findings: Iterable[Finding]) -> list[Finding]:
    """Drop a finding overlapping a longer (or earlier) one of the same kind."""
    kept: list[Finding] = []
    ordered = sorted(findings, key=lambda f: (f.start, -(f.end - f.start), f.kind, f.value))
    for finding in sorted(ordered, key=lambda f: -(f.end - f.start)):
        if not any(
            k.kind == finding.kind and k.start < finding.end and finding.start < k.end for k in kept
        ):
            kept.append(finding)
    return sorted(kept, key=_position)


def _position(finding: Finding) -> tuple[int, int, str]:
    return finding.start, finding.end, finding.kind
