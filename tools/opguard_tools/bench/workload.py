"""The pipeline benchmark's input: marketplace messages and contract events as Kafka records.

Texts come from the detector benchmark's generator (~70% honest work talk, ~30% with a
contact detail, a solicitation or an off-platform payment intent, plain and evasive).
Messages are spread over many conversations; a third of the conversations get a
contract (``offered``, then ``active``) whose events precede the messages sent under
it.  Deterministic for a seed, except ``sent_at``/``occurred_at``: they are stamped when a
record is built, so that they equal its produce time.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from opguard_tools.bench.detector import generate

MESSAGES = "messages"
CONTRACT_EVENTS = "contract-events"
CONTRACT_STATES = ("offered", "active")
_TEXT_CHUNK = 10_000  # texts are generated in chunks, so 1M messages never sit in memory


@dataclass(frozen=True, slots=True)
class Record:
    topic: str
    """``messages`` or ``contract-events`` (without the prefix)."""
    key: bytes
    value: bytes
    record_id: str
    """The ``message_id`` or ``event_id`` inside ``value``."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _texts(count: int, seed: int) -> Iterator[str]:
    for start in range(0, count, _TEXT_CHUNK):
        yield from generate(min(_TEXT_CHUNK, count - start), seed * 1_000_003 + start)


def records(count: int, conversations: int, seed: int, *, id_prefix: str = "m") -> Iterator[Record]:
    """``count`` messages over ``conversations`` conversations, plus contract events.

    Contract events come in addition to ``count`` (about 6% more records).
    """
    rng = random.Random(seed)
    contract_state: dict[int, int] = {}
    for index, text in enumerate(_texts(count, seed)):
        conversation = rng.randrange(conversations)
        conversation_id = f"c-{conversation}"
        key = conversation_id.encode()
        state = contract_state.get(conversation, -1) + 1
        if conversation % 3 == 0 and state < len(CONTRACT_STATES) and rng.random() < 0.3:
            contract_state[conversation] = state
            event_id = f"e-{id_prefix}-{index}"
            yield Record(
                CONTRACT_EVENTS,
                key,
                orjson.dumps(
                    {
                        "event_id": event_id,
                        "conversation_id": conversation_id,
                        "contract_id": f"k-{conversation}",
                        "state": CONTRACT_STATES[state],
                        "occurred_at": _now(),
                        "escrow_funded": state == 1,
                    }
                ),
                event_id,
            )
        role = rng.choice(("client", "freelancer"))
        message_id = f"{id_prefix}-{index}"
        yield Record(
            MESSAGES,
            key,
            orjson.dumps(
                {
                    "message_id": message_id,
                    "conversation_id": conversation_id,
                    "sender_id": f"u-{conversation}-{role}",
                    "sender_role": role,
                    "text": text,
                    "sent_at": _now(),
                    "channel": "message",
                    "sender_country": "US",
                }
            ),
            message_id,
        )
