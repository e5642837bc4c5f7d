"""``opguard bench pipeline``: end-to-end throughput of the worker against two
pass-through baselines and a read-only Faust agent, on the same broker and the same
data, in one run.

Each system gets a fresh topic prefix (so its own topics and consumer group), its input
topics pre-loaded with the same records BEFORE it starts, then runs as subprocesses:

- ``aiokafka``: a raw aiokafka consume→produce loop (the Python ceiling);
- ``faust``: a plain one-agent Faust pass-through (awaits one send per record);
- ``faust-read``: a plain Faust agent that only reads, in batches, and does nothing: the
  most any Faust agent reading through Faust's streams can reach, whatever its work;
- ``pipeline``: W ``opguard worker`` processes in one group (judgement, tables, outputs).

**Throughput** is input records (messages and contract events) divided by the time from
the moment the group is first ``Stable`` with partitions assigned until its committed
offsets reach the end offsets of every input partition.  Every system commits each
second, so the end is seen within about a second (plus the 0.25 s polling).

**Lag.**  In a pre-loaded backlog a record's age at emission is mostly its wait in the
queue: the k-th of N records drained at R records/s waits about k/R, so p50 ≈ N/2R says
more about N than about the system.  So lag is measured in a second, live phase: once
the backlog is drained, records are produced at half the system's measured throughput
for ``LIVE_SECONDS`` with ``sent_at`` = produce time, and lag is the Kafka timestamp of
each output record (set by the system's producer when it emits) minus the time its
input was produced.  Only the pipeline's messages that lead to an event (violations,
warnings) have a lag sample; the pass-throughs emit one record per input.

**Memory**: the resident set of each system's processes, sampled every 0.5 s; the peak
and the value at the end of the backlog (per worker: the largest).
"""

from __future__ import annotations

import functools
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import orjson
import psutil

from opguard_tools.bench.passthrough_aiokafka import OUTPUT_TOPIC
from opguard_tools.bench.workload import MESSAGES, records
from opguard_tools.processes import Process, free_port
from streams.errors import OpguardError
from streams.settings import Settings
from streams.topics import (
    INPUT_TOPICS,
    TopicSpec,
    admin_client,
    apply_topics,
    delete_prefixed,
    load_topic_specs,
)

SYSTEMS = ("aiokafka", "faust", "faust-read", "pipeline")
DESCRIPTIONS = {
    "aiokafka": "raw aiokafka pass-through",
    "faust": "plain Faust pass-through",
    "faust-read": "plain Faust, read only (batched)",
    "pipeline": "opguard pipeline",
}
TARGET_VS_FAUST = 1.5
LIVE_SECONDS = 10.0
LIVE_MAX_RECORDS = 20_000
JOIN_TIMEOUT_S = 120.0
MIN_RATE = 100.0
"""Records/s below which a backlog run is declared stuck (bounds every run's time)."""
SESSION_TIMEOUT_S = 10.0
"""Consumer session timeout of every system: a 60 s timeout makes the first join slow."""
POLL_S = 0.25


class BenchError(OpguardError):
    """A measured system failed (exited, never joined, or stalled); names its log."""


@dataclass(frozen=True, slots=True)
class SystemResult:
    system: str
    processes: int
    records: int
    """Input records consumed and committed (all of them, or the run fails)."""
    drained: int
    """Of those, the ones committed during the timed drain (with several workers the
    first ones start on the backlog while the others join)."""
    join_seconds: float
    """From process start until the group is assigned (not part of the throughput)."""
    drain_seconds: float
    cpu_seconds: float
    """CPU time (user + system) of the system's processes during the drain."""
    peak_rss_bytes: int
    end_rss_bytes: int
    lags: tuple[float, ...]
    """Live-phase lags in seconds, sorted."""

    @property
    def records_per_second(self) -> float:
        return self.drained / self.drain_seconds if self.drain_seconds > 0 else 0.0

    @property
    def cpu_us_per_record(self) -> float:
        """CPU per input record: steadier than records/s on a machine shared with others."""
        return 1e6 * self.cpu_seconds / self.drained if self.drained else 0.0

    def lag_quantile(self, q: float) -> float | None:
        if len(self.lags) < 2:
            return None
        return statistics.quantiles(self.lags, n=100, method="inclusive")[round(q * 100) - 1]


@dataclass(frozen=True, slots=True)
class PipelineBenchResult:
    messages: int
    contract_events: int
    conversations: int
    partitions: int
    workers: int
    seed: int
    systems: tuple[SystemResult, ...]

    def system(self, name: str) -> SystemResult | None:
        return next((result for result in self.systems if result.system == name), None)

    def ratio(self, name: str, baseline: str) -> float | None:
        measured, reference = self.system(name), self.system(baseline)
        if measured is None or reference is None or not reference.records_per_second:
            return None
        return measured.records_per_second / reference.records_per_second


def run(
    settings: Settings,
    messages: int,
    conversations: int,
    workers: int,
    seed: int,
    *,
    systems: Iterable[str] = SYSTEMS,
) -> PipelineBenchResult:
    """Pre-load, run and measure each system in turn; topics are deleted afterwards."""
    if messages < 1 or conversations < 1 or workers < 1:
        raise OpguardError("messages, conversations and workers must be at least 1")
    chosen = tuple(systems)
    unknown = set(chosen) - set(SYSTEMS)
    if unknown:
        raise OpguardError(f"unknown systems {sorted(unknown)}; choose from {SYSTEMS}")
    run_id = uuid.uuid4().hex[:6]
    results = []
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="opguard-bench-") as scratch:
        for system in chosen:
            system_settings = replace(
                settings,
                topic_prefix=f"{settings.topic_prefix}bench{run_id}-{system}-",
                session_timeout_s=SESSION_TIMEOUT_S,
            )
            result, counts = _measure(
                system,
                system_settings,
                messages,
                conversations,
                workers if system == "pipeline" else 1,
                seed,
                Path(scratch) / system,
            )
            results.append(result)
    return PipelineBenchResult(
        messages=counts.get(MESSAGES, 0),
        contract_events=counts.get("contract-events", 0),
        conversations=conversations,
        partitions=settings.partitions,
        workers=workers,
        seed=seed,
        systems=tuple(results),
    )


def _measure(
    system: str,
    settings: Settings,
    messages: int,
    conversations: int,
    processes: int,
    seed: int,
    scratch: Path,
) -> tuple[SystemResult, dict[str, int]]:
    scratch.mkdir(parents=True)
    admin = admin_client(settings)
    started: list[Process] = []
    try:
        _create_topics(system, settings)
        counts = _produce(settings, records(messages, conversations, seed), linger_ms=50)
        inputs = _partitions(admin, [settings.topic(name) for name in INPUT_TOPICS])
        group = _group_id(system, settings)
        join_start = time.monotonic()
        # Workers join one after another, each once the group is stable with the ones
        # before it, as a StatefulSet's OrderedReady does (simultaneous starts are
        # covered by tests/integration/test_rebalance.py).
        for index in range(processes):
            started.append(_start(system, settings, scratch, index))
            members = index + 1
            _Waiter(started, _Memory([p.pid for p in started])).until(
                functools.partial(_joined, admin, group, members),
                JOIN_TIMEOUT_S,
                "join its consumer group",
            )
        memory = _Memory([process.pid for process in started])
        wait = _Waiter(started, memory)
        drain_start = time.monotonic()
        cpu_start = memory.cpu_seconds()
        already = _committed(admin, group, inputs)
        total = _end_total(admin, inputs)
        wait.until(
            lambda: _committed(admin, group, inputs) >= total,
            max(60.0, total / MIN_RATE),
            f"commit {total} records",
        )
        drain_seconds = time.monotonic() - drain_start
        cpu_seconds = memory.cpu_seconds() - cpu_start
        end_rss = memory.current()
        rate = (total - already) / drain_seconds
        lags = _live_lags(system, settings, admin, group, inputs, wait, conversations, seed, rate)
        return SystemResult(
            system=system,
            processes=processes,
            records=total,
            drained=total - already,
            join_seconds=drain_start - join_start,
            drain_seconds=drain_seconds,
            cpu_seconds=cpu_seconds,
            peak_rss_bytes=memory.peak,
            end_rss_bytes=end_rss,
            lags=tuple(sorted(lags)),
        ), counts
    finally:
        for process in started:
            process.stop()
        delete_prefixed(admin, settings.topic_prefix, [_group_id(system, settings)])
        admin.close()


def _live_lags(
    system: str,
    settings: Settings,
    admin: Any,
    group: str,
    inputs: list[Any],
    wait: _Waiter,
    conversations: int,
    seed: int,
    rate: float,
) -> list[float]:
    """Produce paced records with sent_at = now; lag = output timestamp − produce time.
    None: a system with no output (``faust-read``) has no lag samples."""
    if system == "faust-read":
        return []
    outputs = _partitions(admin, [settings.topic(name) for name in _output_topics(system)])
    before = _ends(admin, outputs)
    count = max(100, min(LIVE_MAX_RECORDS, int(rate / 2 * LIVE_SECONDS)))
    produced_at: dict[str, float] = {}
    _produce(
        settings,
        records(count, conversations, seed + 1, id_prefix="live"),
        linger_ms=0,
        pace=rate / 2,
        produced_at=produced_at,
    )
    total = _end_total(admin, inputs)
    wait.until(
        lambda: _committed(admin, group, inputs) >= total,
        max(60.0, count / MIN_RATE),
        f"commit the {count} live records",
    )
    return _output_lags(settings, before, _ends(admin, outputs), produced_at)


def _output_lags(
    settings: Settings, start: dict[Any, int], end: dict[Any, int], produced_at: dict[str, float]
) -> list[float]:
    from kafka import KafkaConsumer

    from streams.kafka_config import kafka_python_security

    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=None,
        enable_auto_commit=False,
        **kafka_python_security(settings),
    )
    pending = {tp: offset for tp, offset in end.items() if offset > start[tp]}
    lags = []
    try:
        consumer.assign(list(pending))
        for tp in pending:
            consumer.seek(tp, start[tp])
        deadline = time.monotonic() + 60
        while pending and time.monotonic() < deadline:
            for tp, batch in consumer.poll(timeout_ms=500).items():
                for record in batch:
                    if record.offset >= end[tp]:
                        continue
                    message_id = _message_id(record.value)
                    if message_id in produced_at:
                        lags.append(record.timestamp / 1000 - produced_at[message_id])
                if batch and batch[-1].offset + 1 >= end[tp]:
                    pending.pop(tp, None)
    finally:
        consumer.close()
    return lags


def _message_id(value: bytes) -> str | None:
    try:
        document = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    message_id = document.get("message_id") if isinstance(document, dict) else None
    return message_id if isinstance(message_id, str) else None


def _create_topics(system: str, settings: Settings) -> None:
    specs = load_topic_specs(None, settings)
    if system != "pipeline":
        inputs = {settings.topic(name) for name in INPUT_TOPICS}
        specs = [spec for spec in specs if spec.name in inputs]
        specs.append(
            TopicSpec(
                settings.topic(OUTPUT_TOPIC), settings.partitions, settings.replication_factor
            )
        )
    apply_topics(settings, specs, dry_run=False)


def _produce(
    settings: Settings,
    batch: Iterable[Any],
    *,
    linger_ms: int,
    pace: float = 0.0,
    produced_at: dict[str, float] | None = None,
) -> dict[str, int]:
    """Produce workload records; with ``pace``, at that many records per second."""
    from kafka import KafkaProducer

    from streams.kafka_config import kafka_python_security

    producer = KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        linger_ms=linger_ms,
        batch_size=262144,
        acks=1,
        **kafka_python_security(settings),
    )
    counts: dict[str, int] = {}
    start = time.monotonic()
    try:
        for index, record in enumerate(batch):
            if pace:
                delay = start + index / pace - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            if produced_at is not None:
                produced_at[record.record_id] = time.time()
            producer.send(settings.topic(record.topic), key=record.key, value=record.value)
            counts[record.topic] = counts.get(record.topic, 0) + 1
        producer.flush(timeout=120)
    finally:
        producer.close(timeout=10)
    return counts


def _command(system: str, scratch: Path) -> list[str]:
    if system == "aiokafka":
        return [sys.executable, "-m", "opguard_tools.bench.passthrough_aiokafka"]
    if system in ("faust", "faust-read"):
        module = "passthrough_faust" if system == "faust" else "read_faust"
        return [
            sys.executable,
            "-m",
            "faust",
            "-A",
            f"opguard_tools.bench.{module}",
            "--datadir",
            str(scratch / "data"),
            "-l",
            "warn",
            "worker",
            "--without-web",
        ]
    return [sys.executable, "-m", "streams", "worker"]


def _start(system: str, settings: Settings, scratch: Path, index: int) -> Process:
    from streams.settings import ENV_NAMES

    env = {
        **os.environ,
        **{
            ENV_NAMES[name]: str(value)
            for name, value in (
                ("topic_prefix", settings.topic_prefix),
                ("session_timeout_s", settings.session_timeout_s),
                ("web_port", free_port()),
                ("metrics_port", free_port()),
                ("log_level", "warning"),
            )
        },
    }
    workdir = scratch / f"worker-{index}"
    workdir.mkdir()
    return Process(_command(system, workdir), scratch / f"worker-{index}.log", env, cwd=workdir)


def _group_id(system: str, settings: Settings) -> str:
    if system == "pipeline":
        return settings.app_id
    return f"{settings.topic_prefix}passthrough-{system}"


def _output_topics(system: str) -> tuple[str, ...]:
    return ("violations", "warnings") if system == "pipeline" else (OUTPUT_TOPIC,)


class _Memory:
    """Resident set size of the largest of a system's processes, sampled; and its peak.
    Also their CPU time."""

    def __init__(self, pids: list[int]) -> None:
        self._processes = [psutil.Process(pid) for pid in pids]
        self.peak = 0
        self._last = 0.0

    def current(self) -> int:
        sizes = []
        for process in self._processes:
            try:
                sizes.append(process.memory_info().rss)
            except psutil.Error:
                sizes.append(0)
        largest = max(sizes, default=0)
        self.peak = max(self.peak, largest)
        return largest

    def cpu_seconds(self) -> float:
        total = 0.0
        for process in self._processes:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    def sample(self) -> None:
        if time.monotonic() - self._last >= 0.5:
            self._last = time.monotonic()
            self.current()


class _Waiter:
    """Polls a condition, sampling memory and failing fast if a process exits."""

    def __init__(self, processes: list[Process], memory: _Memory) -> None:
        self._processes = processes
        self._memory = memory

    def until(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self._memory.sample()
            for process in self._processes:
                if process.process.poll() is not None:
                    raise BenchError(
                        f"worker pid {process.pid} exited with "
                        f"{process.process.returncode} ({process.log_path}):\n"
                        f"{process.log_tail()}"
                    )
            if condition():
                return
            if time.monotonic() > deadline:
                raise BenchError(
                    f"did not {what} within {timeout:.0f}s "
                    f"(log: {self._processes[0].log_path}):\n"
                    f"{self._processes[0].log_tail()}"
                )
            time.sleep(POLL_S)


def _assigned(admin: Any, group: str) -> bool:
    description = admin.describe_groups([group]).get(group, {})
    return bool(
        description.get("group_state") == "Stable"
        and any(member.get("member_assignment") for member in description.get("members", []))
    )


def _joined(admin: Any, group: str, members: int) -> bool:
    """The group is stable with at least ``members`` members and partitions assigned."""
    description = admin.describe_groups([group]).get(group, {})
    return len(description.get("members", [])) >= members and _assigned(admin, group)


def _partitions(admin: Any, topics: list[str]) -> list[Any]:
    from kafka import TopicPartition

    return [
        TopicPartition(topic["name"], partition["partition_index"])
        for topic in admin.describe_topics(topics)
        for partition in topic["partitions"]
    ]


def _ends(admin: Any, partitions: list[Any]) -> dict[Any, int]:
    from kafka.admin import OffsetSpec

    offsets = admin.list_partition_offsets({tp: OffsetSpec.LATEST for tp in partitions})
    return {tp: int(offsets[tp].offset) for tp in partitions}


def _end_total(admin: Any, partitions: list[Any]) -> int:
    return sum(_ends(admin, partitions).values())


def _committed(admin: Any, group: str, partitions: list[Any]) -> int:
    offsets = admin.list_group_offsets({group: partitions}).get(group, {})
    return sum(max(0, offsets[tp].offset) for tp in partitions if tp in offsets)


def render(result: PipelineBenchResult) -> str:
    lines = [
        f"opguard bench pipeline: {result.messages:,} messages + {result.contract_events:,} "
        f"contract events over {result.conversations:,} conversations, "
        f"{result.partitions} partitions, seed {result.seed}",
        "",
        f"{'system':<34}{'records/s':>11}{'CPU µs/rec':>11}{'drain s':>9}{'join s':>8}"
        f"{'lag p50':>9}{'lag p99':>9}{'lag n':>7}{'RSS end':>9}{'RSS peak':>10}",
    ]
    for system in result.systems:
        name = DESCRIPTIONS[system.system]
        if system.system == "pipeline":
            name += f" ({system.processes} worker{'s' if system.processes > 1 else ''})"
        lines.append(
            f"{name:<34}{system.records_per_second:>11,.0f}{system.cpu_us_per_record:>11,.0f}"
            f"{system.drain_seconds:>9.1f}"
            f"{system.join_seconds:>8.1f}{_seconds(system.lag_quantile(0.5)):>9}"
            f"{_seconds(system.lag_quantile(0.99)):>9}{len(system.lags):>7}"
            f"{_megabytes(system.end_rss_bytes):>9}{_megabytes(system.peak_rss_bytes):>10}"
        )
    lines.append("")
    vs_faust = result.ratio("pipeline", "faust")
    if vs_faust is not None:
        verdict = "met" if vs_faust >= TARGET_VS_FAUST else "NOT met"
        lines.append(
            f"pipeline / Faust pass-through:   {vs_faust:.2f}× "
            f"(target ≥ {TARGET_VS_FAUST}×: {verdict})"
        )
    cpu = {s.system: s.cpu_us_per_record for s in result.systems}
    if cpu.get("pipeline") and cpu.get("faust"):
        lines.append(
            f"by CPU per record:               {cpu['faust'] / cpu['pipeline']:.2f}× "
            "(Faust pass-through CPU µs/record ÷ pipeline's)"
        )
    read_vs_faust = result.ratio("faust-read", "faust")
    if read_vs_faust is not None:
        lines.append(
            f"Faust read-only / pass-through:  {read_vs_faust:.2f}× "
            "(what a Faust agent doing nothing reaches)"
        )
    vs_read = result.ratio("pipeline", "faust-read")
    if vs_read is not None:
        lines.append(f"pipeline / Faust read-only:      {vs_read:.2f}×")
    vs_raw = result.ratio("pipeline", "aiokafka")
    if vs_raw is not None:
        lines.append(f"pipeline / raw aiokafka:         {vs_raw:.2f}×")
    faust_vs_raw = result.ratio("faust", "aiokafka")
    if faust_vs_raw is not None:
        lines.append(f"Faust pass-through / raw aiokafka: {faust_vs_raw:.2f}×")
    lines += [
        "records/s: input records (messages + contract events) committed from the moment "
        "every worker is in the group until committed offsets reach the end offsets (±1 s "
        "commit interval); CPU µs/rec: user + "
        "system CPU of the system's processes over the same interval, per input record.",
        "lag: live phase at half each system's throughput, input produce time → output "
        "record timestamp; RSS: largest worker process.",
    ]
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f}ms" if value < 1 else f"{value:.1f}s"


def _megabytes(value: int) -> str:
    return f"{value / 2**20:.0f}MB"
