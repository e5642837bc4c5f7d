"""Size limits that must agree, checked before the worker starts (pure).

A produced record larger than the producer's ``max_request_size`` is refused by the
client, one larger than its topic's ``max.message.bytes`` by the broker; either way the
worker must stop without committing (``streams.seam``), and would stop again on every
restart.  So every output the worker can produce has a bound, and the bounds are
checked here against both limits, with one error naming the settings to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from streams.errors import OpguardError
from streams.events import MAX_EVENT_BYTES
from streams.records import dead_letter_max_bytes

#: The largest changelog record of a table (a contract timeline of 64 events, 50
#: remembered flags, a conversation's fragments and people), ids at their 256-character
#: schema maximum (``tests/test_limits.py`` builds each worst case).
MAX_TABLE_VALUE_BYTES = 256 * 1024
#: Room for the record batch header and the record's own framing.
BATCH_OVERHEAD_BYTES = 128


@dataclass(frozen=True, slots=True)
class Limits:
    max_record_bytes: int
    dead_letter_value_bytes: int
    producer_max_request_bytes: int
    #: output topic → its kind ("events", "dead-letters" or "changelog") and its
    #: ``max.message.bytes``
    topics: Mapping[str, tuple[str, int]]


def largest_output(kind: str, limits: Limits) -> int:
    if kind == "dead-letters":
        return dead_letter_max_bytes(limits.dead_letter_value_bytes)
    if kind == "events":
        return MAX_EVENT_BYTES
    return MAX_TABLE_VALUE_BYTES


def limit_problems(limits: Limits) -> list[str]:
    """What disagrees, one phrase each; empty when the limits are consistent."""
    problems = []
    if limits.dead_letter_value_bytes < 0 or limits.max_record_bytes <= 0:
        problems.append(
            "OPGUARD_MAX_RECORD_BYTES must be positive and "
            "OPGUARD_DEAD_LETTER_VALUE_BYTES not negative"
        )
    for kind in ("dead-letters", "events", "changelog"):
        size = largest_output(kind, limits) + BATCH_OVERHEAD_BYTES
        if size > limits.producer_max_request_bytes:
            problems.append(
                f"a {kind} record can be {size:,} bytes but "
                f"OPGUARD_PRODUCER_MAX_REQUEST_BYTES is {limits.producer_max_request_bytes:,}"
                + (" (lower OPGUARD_DEAD_LETTER_VALUE_BYTES)" if kind == "dead-letters" else "")
            )
    for topic, (kind, accepted) in sorted(limits.topics.items()):
        size = largest_output(kind, limits) + BATCH_OVERHEAD_BYTES
        if size > accepted:
            problems.append(
                f"topic {topic} accepts {accepted:,} bytes (max.message.bytes) but a {kind} "
                f"record can be {size:,}: run `opguard topics apply`"
                + (" or lower OPGUARD_DEAD_LETTER_VALUE_BYTES" if kind == "dead-letters" else "")
            )
    return problems


def check_limits(limits: Limits) -> None:
    """Raise one :class:`OpguardError` naming every disagreement."""
    problems = limit_problems(limits)
    if problems:
        raise OpguardError("size limits disagree: " + "; ".join(problems))
