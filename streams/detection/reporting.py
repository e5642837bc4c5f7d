"""Reports and refusals: a message that reports an off-platform request, refuses one or
asks whether it is allowed ("he wants to pay me via PayPal outside the site, I said no.
should I report him?", "um cliente pediu pra pagar por fora, isso é golpe?") proposes
nothing, wherever in it the cue stands.

Its intents are set aside; its contact details and payment accounts are still judged
(docs/POLICY.md, "Composition").  The cues are the ``report`` frame of
``phrases/frames.yaml``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from streams.detection.channel_frames import GROUP
from streams.detection.findings import INTENT_KINDS, Finding

if TYPE_CHECKING:
    from streams.detection.recognizer import Context

__all__ = ["without_reported_intents"]


# Quoted words: a pair of quotation marks of any language around at most a sentence or
# two; a straight single quote only where it cannot be an apostrophe ("let's").
_QUOTED = re.compile(
    r'"[^"\n]{2,240}"|“[^”\n]{2,240}”|„[^”“\n]{2,240}[”“]|«[^»\n]{2,240}»|‘[^’\n]{2,240}’'
    r"|「[^」\n]{1,240}」|『[^』\n]{1,240}』|(?<!\w)'[^'\n]{2,240}'(?!\w)"
)


def _quoted(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


def without_reported_intents(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """``findings`` less their intents when the message is a report or a refusal, and
    less the intents that lie inside quotation marks: someone else's words reported
    ("he said 'kalemni 3al telegram'") or a label of the work ("the „Napisz do nas na
    WhatsApp” button"), not the sender's own proposal."""
    if ctx.scan("folded").matches([GROUP("report")]):
        return [f for f in findings if f.kind not in INTENT_KINDS]
    quoted = _quoted(ctx.norm.original)
    if not quoted:
        return findings
    return [f for f in findings if f.kind not in INTENT_KINDS or not _quotes(ctx, f, quoted)]


def _inside(start: int, end: int, quoted: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in quoted)


def _quotes(ctx: Context, finding: Finding, quoted: list[tuple[int, int]]) -> bool:
    """Whether ``finding`` is words in quotation marks: it lies inside them, or every
    channel it names does ("she wrote 'Telegram e ashen, direct payment dibo' — report
    korbo?": the finding is the clause, the channel is in the quote)."""
    if _inside(finding.start, finding.end, quoted):
        return True
    named = [m for m in ctx.mentions if finding.start <= m.start and m.end <= finding.end]
    return bool(named) and all(_inside(m.start, m.end, quoted) for m in named)
