"""Reports and refusals: a message that reports an off-platform request, refuses one or
asks whether it is allowed ("he wants to pay me via PayPal outside the site, I said no.
should I report him?", "um cliente pediu pra pagar por fora, isso é golpe?") proposes
nothing, wherever in it the cue stands.

Its intents are set aside; its contact details and payment accounts are still judged
(docs/POLICY.md, "Composition").  The cues are the ``report`` frame of
``phrases/frames.yaml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from streams.detection.channel_frames import GROUP
from streams.detection.findings import INTENT_KINDS, Finding

if TYPE_CHECKING:
    from streams.detection.recognizer import Context

__all__ = ["without_reported_intents"]


def without_reported_intents(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """``findings`` less their intents when the message is a report or a refusal."""
    if not ctx.scan("folded").matches([GROUP("report")]):
        return findings
    return [f for f in findings if f.kind not in INTENT_KINDS]
