"""Details split across consecutive messages of one sender ("917" / "555" / "0142",
"john.doe" / "at gmail" / "dot com").

A pure function: the caller (the streaming layer) keeps the recent fragments of one
sender in one conversation and passes them with the new message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from streams.detection.engine import context, detect_details
from streams.detection.findings import Finding

#: A new message longer than this is a message, not a fragment of a detail.
MAX_FRAGMENT_CHARS = 60
# Ways the pieces may have been meant to join: "917" + "555", "john@gmail" + "com".
_JOINERS = (" ", ".")


@dataclass(frozen=True, slots=True)
class Fragment:
    message_id: str
    text: str


@dataclass(frozen=True, slots=True)
class SplitDetail:
    """A detail the new message completes.

    ``findings`` have spans on the NEW message's text (the part it contributed) and
    values of the whole detail; ``message_ids`` name every message involved, oldest
    first, the new one last.
    """

    findings: tuple[Finding, ...]
    message_ids: tuple[str, ...]


def _pieces(parts: Sequence[Fragment], joiner: str) -> tuple[str, list[tuple[int, int]]]:
    spans: list[tuple[int, int]] = []
    position = 0
    for part in parts:
        spans.append((position, position + len(part.text)))
        position += len(part.text) + len(joiner)
    return joiner.join(p.text for p in parts), spans


def find_split_detail(
    fragments: Sequence[Fragment],
    new: Fragment,
    regions: Sequence[str],
    max_fragments: int = 4,
) -> SplitDetail | None:
    """The detail that ``new`` completes with the latest of ``fragments`` (oldest
    first), or None.  A detail found in ``new`` alone is not a split detail."""
    if not fragments or max_fragments < 1 or len(new.text.strip()) > MAX_FRAGMENT_CHARS:
        return None
    own = {(f.kind, f.value) for f in detect_details(context(new.text, regions))}
    recent = [f for f in fragments[-max_fragments:] if len(f.text.strip()) <= MAX_FRAGMENT_CHARS]
    for count in range(1, len(recent) + 1):
        parts = [*recent[-count:], new]
        for joiner in _JOINERS:
            text, spans = _pieces(parts, joiner)
            new_start = spans[-1][0]
            found = [
                f
                for f in detect_details(context(text, regions))
                if f.start < new_start < f.end and (f.kind, f.value) not in own
            ]
            if not found:
                continue
            first = min(f.start for f in found)
            involved = tuple(
                part.message_id
                for part, (start, end) in zip(parts, spans, strict=True)
                if end > first and start < max(f.end for f in found)
            )
            clipped = tuple(
                Finding(
                    f.kind,
                    0,
                    min(f.end, len(text)) - new_start,
                    f.value,
                    f"{f.reason}, split across {len(involved)} messages",
                )
                for f in found
            )
            return SplitDetail(clipped, involved)
    return None
