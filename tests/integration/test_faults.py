"""The fault suite: real broker, real Redis, real workers, bounded in time.

One input (valid conversations plus ~5,000 fuzzed malformed records, some near the size
limit and some over it) is run once without faults, then once per fault: the broker
stopped and restarted mid-stream, Redis stopped mid-stream, the worker killed with
SIGKILL mid-stream.  Each fault run must reach the same decisions as the no-fault run
(what is flagged once retractions are applied), and every malformed record must be
dead-lettered at least once: none lost.

Redis is advisory (repeat offenders, warning throttling), so the valid input gives no
sender three violations and no conversation two warnings: a Redis outage then changes
no decision, and any difference is a loss.
"""

from __future__ import annotations

import json
import random
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from streams.records import BadRecord, decode
from streams.settings import Settings
from tests.integration.pipeline_harness import (
    Pipeline,
    contract,
    free_port,
    message,
    own_settings,
    start_redis,
)

ROOT = Path(__file__).resolve().parents[2]
MALFORMED = 5000
CONVERSATIONS = 150
MAX_RECORD_BYTES = 950 * 1024
T = "2026-11-21T{:02}:{:02}:00Z".format
TEXTS = [
    "Thanks for the proposal, the budget is $1,500 and the deadline 2026-12-15.",
    "Let's move to WhatsApp, my number is +1 415 555 2671",
    "Send the weekly reports to jon.harlow88@gmail.com",
    "what's your telegram?",
    "skip the fees, I'll pay you via PayPal",
    "Order #4155552671 shipped, invoice INV-2026-0042 attached.",
]

Records = list[tuple[str, bytes | None, bytes]]  # (topic, key, value) in send order


def valid_input() -> Records:
    """Conversations of two messages; a third have an active contract first.  No sender
    gets more than two violations, no conversation more than one warning."""
    records: Records = []
    for n in range(CONVERSATIONS):
        conversation = f"fc-{n}"
        key = conversation.encode()
        if n % 3 == 0:
            event = contract(f"fe-{n}", conversation, "active", T(8, n % 60))
            records.append(("contract-events", key, json.dumps(event).encode()))
        for m in range(2):
            text = TEXTS[(n + 3 * m) % len(TEXTS)]
            record = message(f"fm-{n}-{m}", conversation, text, T(9 + m, n % 60))
            records.append(("messages", key, json.dumps(record).encode()))
    return records


def fuzzed(count: int, seed: int = 7) -> Records:
    """Malformed records of every shape the worker must dead-letter; each is checked to
    be refused by ``decode`` (the generator must not make valid records by chance)."""
    rng = random.Random(seed)
    good = json.dumps(message("fz", "fz", "hello", T(9, 0)))
    shapes: list[Callable[[], bytes]] = [
        lambda: rng.randbytes(rng.randint(1, 300)),
        lambda: b"\xff\xfe" + rng.randbytes(20),
        lambda: good[: rng.randint(1, len(good) - 1)].encode(),
        lambda: b"[" * 10_000,
        lambda: json.dumps({**json.loads(good), "message_id": rng.randint(0, 99)}).encode(),
        lambda: json.dumps({**json.loads(good), "sender_role": "admin"}).encode(),
        lambda: json.dumps({**json.loads(good), "sent_at": "yesterday"}).encode(),
        lambda: good.encode().replace(b'"hello"', b'"he\x00llo"'),
        lambda: json.dumps({"text": "x" * rng.randint(0, 50)}).encode(),
        lambda: b"null",
    ]
    records: Records = []
    for n in range(count):
        topic = "messages" if n % 4 else "contract-events"
        key = rng.randbytes(rng.randint(0, 40)) if n % 7 == 0 else f"fz-{n % 50}".encode()
        if n % 1000 == 999:  # near the limit (not decoded as JSON) and over it
            value = b"{" + b"z" * (MAX_RECORD_BYTES - 4096 * (n // 1000))
            if n // 1000 % 2:
                value += b"z" * 8192 * 2  # over the limit: refused before decoding
        else:
            value = shapes[n % len(shapes)]()
        with pytest.raises(BadRecord):
            decode(topic, value, MAX_RECORD_BYTES)
        records.append((topic, key, value))
    return records


def interleaved() -> tuple[Records, Records]:
    """The valid input and the malformed records mixed, split in two halves."""
    rng = random.Random(11)
    valid, bad = valid_input(), fuzzed(MALFORMED)
    mixed: Records = []  # the valid records keep their order
    for record in valid:
        mixed.append(record)
        mixed += [bad.pop() for _ in range(min(len(bad), rng.randint(20, 45)))]
    mixed += bad
    half = len(mixed) // 2
    return mixed[:half], mixed[half:]


@dataclass
class Run:
    pipeline: Pipeline
    malformed: set[tuple[str, int, int]]  # (topic, partition, offset) of each bad record

    def send(self, records: Records) -> None:
        producer = self.pipeline.producer
        futures = [
            (topic, value, producer.send(self.pipeline.settings.topic(topic), key=key, value=value))
            for topic, key, value in records
        ]
        producer.flush()
        for topic, value, future in futures:
            sent = future.get(timeout=60)
            try:
                decode(topic, value, MAX_RECORD_BYTES)
            except BadRecord:
                self.malformed.add((sent.topic, sent.partition, sent.offset))

    def outcome(self, records: list[dict[str, Any]]) -> tuple[set[tuple[str, str]], set[Any]]:
        """(message, rule) flagged once retractions apply; where dead letters came from."""
        flagged, retracted, letters = set(), set(), set()
        for record in records:
            value = record["value"]
            if record["topic"].endswith("dead-letters"):
                letters.add((value["source_topic"], value["partition"], value["offset"]))
            elif value["type"] == "retraction":
                retracted.add((value["message_id"], value["rule"]))
            else:
                flagged.add((value["message_id"], value["rule"]))
        return flagged - retracted, letters

    def settle(self, expected: set[tuple[str, str]] | None, timeout: float = 240) -> set[Any]:
        """Read the outputs until every malformed record is dead-lettered and (if given)
        the decisions are ``expected``, then for 5 s more; the final decisions."""

        def done(records: list[dict[str, Any]]) -> bool:
            flagged, letters = self.outcome(records)
            return self.malformed <= letters and (expected is None or flagged == expected)

        self.pipeline.outputs(done, timeout=timeout)
        quiet = time.monotonic() + 5
        records = self.pipeline.outputs(lambda r: time.monotonic() > quiet, timeout=timeout)
        flagged, letters = self.outcome(records)
        assert self.malformed <= letters, f"{len(self.malformed - letters)} dead letters lost"
        return flagged


def _new_run(settings: Settings, tmp_path: Path, redis_url: str) -> Run:
    pipeline = Pipeline(settings, tmp_path, redis_url)
    pipeline.env["OPGUARD_MAX_RECORD_BYTES"] = str(MAX_RECORD_BYTES)
    return Run(pipeline, set())


@pytest.fixture(scope="module")
def no_fault_decisions(
    base_settings: Settings, tmp_path_factory: pytest.TempPathFactory, redis_url: str
) -> Iterator[set[tuple[str, str]]]:
    settings = own_settings(base_settings)
    run = _new_run(settings, tmp_path_factory.mktemp("no-fault"), redis_url)
    try:
        run.pipeline.start_worker()
        first, second = interleaved()
        run.send(first)
        run.send(second)
        decisions = run.settle(None)
        assert len(decisions) > CONVERSATIONS / 2  # the input does flag things
        yield decisions
    finally:
        run.pipeline.close()


@pytest.fixture()
def run(settings: Settings, tmp_path: Path, redis_url: str) -> Iterator[Run]:
    run = _new_run(settings, tmp_path, redis_url)
    try:
        yield run
    finally:
        run.pipeline.close()


def _stack(*args: str) -> None:
    subprocess.run([str(ROOT / "deploy/local/stack"), *args], check=True, timeout=180)


def _wait_until_groups_commit(bootstrap: str, timeout: float = 90) -> None:
    """Until a consumer group can commit on the restarted broker (its group coordinator
    has loaded the offsets topic), so the next test meets a broker that is back."""
    from kafka import KafkaConsumer, TopicPartition
    from kafka.structs import OffsetAndMetadata

    deadline = time.monotonic() + timeout
    while True:
        try:
            consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id="fault-suite-probe")
            try:
                partition = TopicPartition("__consumer_offsets", 0)
                consumer.commit({partition: OffsetAndMetadata(0, "", -1)})
                return
            finally:
                consumer.close()
        except Exception:
            assert time.monotonic() < deadline, "the restarted broker never accepted a commit"
            time.sleep(1)


def test_broker_restarted_mid_stream(run: Run, no_fault_decisions: set[Any]) -> None:
    run.pipeline.start_worker()
    first, second = interleaved()
    run.send(first)
    time.sleep(2)
    _stack("down", "kafka")
    time.sleep(3)
    _stack("up", "kafka")
    run.send(second)
    try:
        assert run.settle(no_fault_decisions) == no_fault_decisions
    finally:
        _wait_until_groups_commit(run.pipeline.settings.kafka_bootstrap)


def test_redis_stopped_mid_stream(run: Run, no_fault_decisions: set[Any], tmp_path: Path) -> None:
    port = free_port()

    def start() -> subprocess.Popen[bytes]:
        return start_redis(port)

    redis_process = start()
    run.pipeline.redis_url = f"redis://127.0.0.1:{port}/0"
    try:
        run.pipeline.start_worker()
        first, second = interleaved()
        run.send(first[: len(first) // 2])
        redis_process.terminate()
        redis_process.wait(timeout=10)
        run.send(first[len(first) // 2 :])
        time.sleep(2)
        redis_process = start()
        run.send(second)
        assert run.settle(no_fault_decisions) == no_fault_decisions
    finally:
        redis_process.terminate()
        redis_process.wait(timeout=10)


def test_worker_killed_mid_stream(run: Run, no_fault_decisions: set[Any]) -> None:
    worker = run.pipeline.start_worker()
    first, second = interleaved()
    run.send(first)
    time.sleep(1.5)  # mid-batch, some offsets committed and some not
    worker.kill()  # SIGKILL
    run.send(second)
    run.pipeline.start_worker()
    assert run.settle(no_fault_decisions) == no_fault_decisions


def test_the_fuzzer_covers_every_shape() -> None:
    records = fuzzed(MALFORMED)
    sizes = sorted(len(value) for _, _, value in records)
    assert len(records) == MALFORMED
    assert sizes[-1] > MAX_RECORD_BYTES and any(
        MAX_RECORD_BYTES - 64 * 1024 < s <= MAX_RECORD_BYTES for s in sizes
    )
    assert {topic for topic, _, _ in records} == {"messages", "contract-events"}
