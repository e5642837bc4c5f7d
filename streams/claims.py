"""What a batch asks of the cross-partition state: strikes and warning notices.

Plain data, shared by the pure batch step (``streams.pipeline``) and its Redis adapter
(``streams.redis_state``).  Both carry their message's send time: windows are event time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Strike:
    """A violation against its sender."""

    sender_id: str
    event_id: str  # member of the sender's set: a redelivered violation counts once
    at: float  # the message's send time


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning that may be sent unless another covers its throttle window."""

    conversation_id: str
    rule: str
    recipient_id: str
    event_id: str
    at: float  # the message's send time
