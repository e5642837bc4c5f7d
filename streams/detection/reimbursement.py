"""The reimbursement scam: "we send you a cheque, you cash it and buy the equipment
from our supplier", "buy the laptop with your own money, we'll reimburse you"
(docs/POLICY.md, "Composition").

The lexicon is ``phrases/reimbursement.yaml``.  In one message, a *cheque* with a
*cash_in* cue or with *buy* and *goods*, or *buy* and *goods* with *own* money or a
*refund*, is an ``off_platform_payment``: money that moves outside the platform's
escrow.  A work cue in the message (a cheque-printing feature, a refund screen: the
``work`` frame), a negation just before the first cue, or a report or a refusal in the
message (``reporting.py``) sets it aside.
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

_LISTS = ("cheque", "cash_in", "buy", "goods", "own", "refund")
GROUP = "reimburse_{}".format
#: The groups every text with a finding matches (the recognizer's cues).
CUES = (GROUP("cheque"), GROUP("buy"))
#: A negation this close before the first cue refuses ("I won't buy it with a cheque").
_NEGATION_BEFORE = 30


def patterns() -> Iterator[Pattern]:
    """Every cue of ``reimbursement.yaml``, for the matcher."""
    return cue_patterns("reimbursement.yaml", _LISTS, GROUP)


def analyze(ctx: Context) -> list[Finding]:
    found = ctx.scan("folded").matches([GROUP(name) for name in _LISTS])
    named = {m.pattern.value for m in found}
    bought = {"buy", "goods"} <= named
    if not (
        ("cheque" in named and ("cash_in" in named or bought))
        or (bought and named & {"own", "refund"})
    ):
        return []
    start = min(m.start for m in found)
    end = max(m.end for m in found)
    frames = ctx.scan("folded").matches([FRAME_GROUP("work"), FRAME_GROUP("negation")])
    if any(
        m.pattern.value == "work" or start - _NEGATION_BEFORE <= m.start < start for m in frames
    ):
        return []
    o_start, o_end = ctx.norm.to_original(start, end)
    written = ctx.norm.original[o_start:o_end].strip()[:80]
    reason = f"paid outside by a cheque or a refund for goods: {written!r}"
    value = "off_platform_payment:reimburse"
    return [Finding("off_platform_payment", o_start, o_end, value, reason)]
