"""``opguard demo``: the main job end to end on the local stack.

Checks Kafka and Redis (starting them with ``deploy/local/stack`` when that script is
here), creates topics under a fresh prefix, runs one worker, replays the seeds'
scenarios showing each event and whether it was expected, then a short load phase
measured from the worker's own metrics.  Exit code 0 only if every expectation was met.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from opguard_tools.demo.expectations import (
    Event,
    Expectation,
    Flagged,
    dead_letter_value,
    expectations_for,
    positive,
)
from opguard_tools.processes import Process, free_port
from opguard_tools.replay import ReplayRecord, make_producer, parse_lines, produce
from opguard_tools.tail import SEVERITY_STYLES, TYPE_STYLES, decode, findings_text
from streams.settings import Settings
from streams.topics import OUTPUT_TOPICS

STACK_SCRIPT = Path("deploy/local/stack")
READY_TIMEOUT_S = 90.0
EVENTS_TIMEOUT_S = 60.0
SCENARIO_WAIT_S = 10.0
LOAD_MESSAGES = 20_000
LOAD_CONVERSATIONS = 2_000
LOAD_TIMEOUT_S = 45.0
DEAD_LETTERS = "dead letters"
TITLES = {
    "c-whatsapp-interview": "A client moves the interview to WhatsApp before any contract",
    "c-telegram-pm": "A 'project manager' on Telegram asks for personal data and pays 'there'",
    "c-after-contract": "After a contract, contact details are free",
    "c-zoom": "The platform's own call button is fine, an outside Zoom room is not",
    "c-split-phone": "A phone number split over three messages",
    "c-skip-fees": "Paying outside the platform is flagged even under a contract",
    "c-late-contract": "A contract event arrives late: the violation is retracted",
    "c-declined": "A declined offer takes the conversation back to no contract",
    "c-honest": "Honest job talk (prices, versions, a work sample), then a solicitation",
    DEAD_LETTERS: "Malformed input goes to dead-letters; the worker goes on",
}


#: Prometheus samples of a worker: (name, sorted labels) -> value.
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@dataclass(frozen=True, slots=True)
class Scenario:
    title: str
    key: str
    records: list[ReplayRecord]


def load_scenarios() -> list[Scenario]:
    """The shipped scenarios, as runs of consecutive records of one conversation."""
    text = resources.files("opguard_tools.demo").joinpath("scenarios.jsonl").read_bytes()
    scenarios: list[Scenario] = []
    for record in parse_lines(text.splitlines()):
        key = _scenario_key(record)
        if scenarios and scenarios[-1].key == key:
            scenarios[-1].records.append(record)
            continue
        title = TITLES.get(key, key)
        if any(s.key == key for s in scenarios):
            title += " (continued)"
        scenarios.append(Scenario(title, key, [record]))
    return scenarios


def _scenario_key(record: ReplayRecord) -> str:
    if (record.expect or "").startswith("dead letter") or record.payload is None:
        return DEAD_LETTERS
    return str(record.payload.get("conversation_id", DEAD_LETTERS))


# --- the stack ---------------------------------------------------------------------------


def _answers(address: str) -> bool:
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return True
    except (OSError, ValueError):
        return False


def missing_services(settings: Settings) -> list[str]:
    """Which of Kafka and Redis do not answer at the settings' addresses."""
    import redis

    missing = []
    if not _answers(settings.kafka_bootstrap.split(",")[0]):
        missing.append("kafka")
    try:
        redis.Redis.from_url(settings.redis_url, socket_connect_timeout=2).ping()
    except (redis.RedisError, OSError):
        missing.append("redis")
    return missing


def ensure_stack(settings: Settings, console: Console) -> list[str] | None:
    """Start what is missing with ``deploy/local/stack``; the services it started, or
    None (with a one-line hint printed) when they cannot be had."""
    missing = missing_services(settings)
    if not missing:
        return []
    if not STACK_SCRIPT.exists():
        console.print(
            f"opguard: {' and '.join(missing)} not answering; start them with "
            "`deploy/local/stack up kafka redis` in the opguard checkout "
            "(or set OPGUARD_KAFKA_BOOTSTRAP / OPGUARD_REDIS_URL)",
            style="red",
        )
        return None
    console.print(f"starting {' and '.join(missing)} with {STACK_SCRIPT} …")
    subprocess.run([str(STACK_SCRIPT), "up", *missing], check=False)
    still = missing_services(settings)
    if still:
        console.print(
            f"opguard: {' and '.join(still)} still not answering after "
            f"`{STACK_SCRIPT} up`; see `{STACK_SCRIPT} status`",
            style="red",
        )
        stop_stack(missing)
        return None
    return missing


def stop_stack(services: Sequence[str]) -> None:
    """Stop the services this demo started (the script stops only what it started)."""
    if services:
        subprocess.run([str(STACK_SCRIPT), "down", *services], check=False)


# --- the worker --------------------------------------------------------------------------


class WorkerProcess:
    """One ``opguard worker`` subprocess, its log in a file; stopped by its own PID."""

    def __init__(self, settings: Settings) -> None:
        self.web_port, self.metrics_port = free_port(), free_port()
        handle, name = tempfile.mkstemp(prefix="opguard-demo-worker-", suffix=".log")
        os.close(handle)
        self.log_path = Path(name)
        # Faust's files (and a RocksDB store's tables) go to a temporary folder removed
        # on stop, not into the folder the demo was started from: the demo's topics are
        # its own, so nothing in there is of use to a later run.
        self.data_dir = Path(tempfile.mkdtemp(prefix="opguard-demo-data-"))
        env = {
            **os.environ,
            "OPGUARD_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
            "OPGUARD_REDIS_URL": settings.redis_url,
            "OPGUARD_TOPIC_PREFIX": settings.topic_prefix,
            "OPGUARD_SESSION_TIMEOUT": f"{settings.session_timeout_s:g}",
            "OPGUARD_WEB_PORT": str(self.web_port),
            "OPGUARD_METRICS_PORT": str(self.metrics_port),
            "OPGUARD_DATA_DIR": str(self.data_dir),
        }
        # Own session: Ctrl-C reaches the demo, which then stops the worker itself.
        self.worker = Process(
            [sys.executable, "-m", "streams.cli", "worker"], self.log_path, env, new_session=True
        )
        self.process = self.worker.process

    def wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                url = f"http://127.0.0.1:{self.web_port}/ready"
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        return False

    def log_tail(self, lines: int = 30) -> str:
        return self.worker.log_tail(lines)

    def metrics(self) -> Samples:
        """The worker's Prometheus samples: (name, sorted labels) -> value."""
        from prometheus_client.parser import text_string_to_metric_families

        url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            body = response.read().decode("utf-8")
        return {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(body)
            for s in family.samples
        }

    def stop(self, timeout: float = 30.0) -> int:
        status = self.worker.stop(timeout)
        shutil.rmtree(self.data_dir, ignore_errors=True)
        return status


def _total(samples: Samples, name: str) -> float:
    """The sum of one metric's samples over all label values."""
    return sum(value for (sample, _), value in samples.items() if sample == name)


# --- events --------------------------------------------------------------------------------


class EventFeed:
    """Everything the worker emits on the output topics, read from the start."""

    def __init__(self, settings: Settings) -> None:
        from opguard_tools.tail import make_consumer

        self.consumer = make_consumer(
            settings, [settings.topic(t) for t in OUTPUT_TOPICS], from_beginning=True
        )
        self.events: list[Event] = []

    def poll(self, timeout: float) -> list[Event]:
        new = []
        for batch in self.consumer.poll(timeout_ms=int(timeout * 1000)).values():
            for record in batch:
                value = decode(record.value)
                new.append(value if isinstance(value, dict) else {"not_json": value})
        self.events.extend(new)
        return new

    def close(self) -> None:
        self.consumer.close()


def event_table() -> Table:
    table = Table(expand=True, pad_edge=False)
    for column in ("conversation", "message", "type", "rule", "severity", "phase"):
        table.add_column(column, no_wrap=True)
    table.add_column("findings (redacted)", overflow="fold", ratio=2)
    table.add_column("related / retracts", overflow="fold", ratio=1)
    return table


def add_event_row(table: Table, event: Event, prefix: str) -> None:
    if dead_letter_value(event) is not None:
        table.add_row(
            str(event.get("source_topic", "")).removeprefix(prefix),
            "",
            Text("dead-letter", TYPE_STYLES["dead-letter"]),
            str(event.get("reason", "")),
            "",
            "",
            str(event.get("error", ""))[:60],
            f"offset {event.get('offset')}",
        )
        return
    kind, severity = str(event.get("type", "?")), str(event.get("severity", ""))
    related = ", ".join(map(str, event.get("related_message_ids") or []))
    if event.get("retracts"):
        related = f"retracts {str(event['retracts'])[:12]}…"
    table.add_row(
        str(event.get("conversation_id", "")),
        str(event.get("message_id", "")),
        Text(kind, TYPE_STYLES.get(kind, "")),
        str(event.get("rule", "")),
        Text(severity, SEVERITY_STYLES.get(severity, "")),
        str(event.get("contract_phase", "")),
        findings_text(event),
        related,
    )


def _input_line(record: ReplayRecord) -> Text:
    payload = record.payload or {}
    if record.payload is None:
        body = f"raw bytes {record.value[:40]!r}"
    elif record.topic == "contract-events":
        body = (
            f"contract {payload.get('contract_id')} → {payload.get('state')} "
            f"at {payload.get('occurred_at')}"
        )
    else:
        text = str(payload.get("text", "<no text>"))
        body = f"{payload.get('sender_role', '?')}: {text[:90]}{'…' if len(text) > 90 else ''}"
    ident = str(payload.get("message_id") or payload.get("event_id") or f"line {record.line}")
    line = Text.assemble(("  → ", "dim"), (f"{ident:<8} ", "bold"), body)
    if record.expect:
        line.append(f"   expect: {record.expect}", "dim italic")
    return line


def _mark(expectation: Expectation, events: Sequence[Event]) -> tuple[bool, Text]:
    met = expectation.met(events)
    return met, Text.assemble(
        ("  ✓ " if met else "  ✗ ", "green" if met else "bold red"), expectation.label
    )


# --- the phases ----------------------------------------------------------------------------


class ScenarioPlayer:
    """Replays scenarios one record at a time, paced so that each story unfolds in the
    order it is told: a record from the other input topic is only sent once the worker
    has dealt with what came before (input topics are consumed independently)."""

    def __init__(
        self,
        console: Console,
        settings: Settings,
        producer: Any,
        feed: EventFeed,
        worker: WorkerProcess,
    ) -> None:
        self.console, self.settings, self.producer = console, settings, producer
        self.feed, self.worker = feed, worker
        self.contract_events_sent = 0
        self.deadline = time.monotonic() + EVENTS_TIMEOUT_S

    def play(self, scenario: Scenario) -> list[Expectation]:
        for record in scenario.records:
            self.console.print(_input_line(record))
        expected = [e for r in scenario.records for e in expectations_for(r)]
        table = event_table()
        until = min(self.deadline, time.monotonic() + SCENARIO_WAIT_S)
        with Live(table, console=self.console, refresh_per_second=8, transient=False):
            sent: list[ReplayRecord] = []
            for record in scenario.records:
                if record.topic == "contract-events":
                    flagged = [
                        e for r in sent for e in expectations_for(r) if isinstance(e, Flagged)
                    ]
                    self._wait(table, until, self._all_met(flagged))
                elif sent and sent[-1].topic == "contract-events":
                    self._wait(table, until, self._contract_events_consumed)
                produce(self.producer, self.settings, [record])
                self.contract_events_sent += record.topic == "contract-events"
                sent.append(record)
            waiting = positive(expected)
            self._wait(table, until, self._all_met(waiting))
            self._wait(table, time.monotonic() + 0.3, lambda: False)  # extra events (escalations)
        self.console.line()  # Live leaves the cursor at the table's last line
        if table.row_count == 0:
            self.console.print("  (no events)", style="dim")
        for expectation in expected:
            self.console.print(_mark(expectation, self.feed.events)[1])
        return expected

    def _wait(self, table: Table, until: float, done: Callable[[], bool]) -> None:
        """Show arriving events until ``done()`` holds or the time is up."""
        while True:
            for event in self.feed.poll(0.1):
                add_event_row(table, event, self.settings.topic_prefix)
            if done() or time.monotonic() >= until:
                return

    def _all_met(self, expectations: Sequence[Expectation]) -> Callable[[], bool]:
        return lambda: all(e.met(self.feed.events) for e in expectations)

    def _contract_events_consumed(self) -> bool:
        consumed = sum(
            value
            for (name, labels), value in self.worker.metrics().items()
            if name == "opguard_records_consumed_total"
            and dict(labels).get("topic", "").endswith("contract-events")
        )
        return consumed >= self.contract_events_sent


def load_phase(console: Console, settings: Settings, producer: Any, worker: WorkerProcess) -> None:
    """Replay generated traffic; report messages/s from the worker's metrics."""
    from opguard_tools.bench.workload import records

    console.rule(Text(f"Load: {LOAD_MESSAGES:,} generated messages", "bold"))
    before = worker.metrics()
    consumed_before = _total(before, "opguard_records_consumed_total")
    batch = list(records(LOAD_MESSAGES, LOAD_CONVERSATIONS, seed=7, id_prefix="load"))
    started = time.monotonic()
    produce(producer, settings, batch, progress=True)
    produced_in = time.monotonic() - started
    consumed, finished = 0.0, time.monotonic()
    while time.monotonic() - started < LOAD_TIMEOUT_S:
        consumed = _total(worker.metrics(), "opguard_records_consumed_total") - consumed_before
        finished = time.monotonic()
        if consumed >= len(batch):
            break
        time.sleep(0.5)
    elapsed = finished - started
    rate = consumed / elapsed if elapsed > 0 else 0.0
    done = "" if consumed >= len(batch) else f" (stopped waiting after {LOAD_TIMEOUT_S:.0f} s)"
    console.print(
        f"produced {len(batch):,} records in {produced_in:.1f} s; the worker consumed "
        f"{consumed:,.0f} in {elapsed:.1f} s → [bold]{rate:,.0f} records/s[/] "
        f"(opguard_records_consumed_total){done}"
    )
    after = worker.metrics()
    by_rule = Table(title="events emitted during the load phase, by type and rule")
    for column in ("type", "rule", "events"):
        by_rule.add_column(column)
    emitted: dict[tuple[str, str], float] = defaultdict(float)
    for (name, labels), value in after.items():
        if name == "opguard_events_emitted_total":
            label = dict(labels)
            emitted[(label.get("type", ""), label.get("rule", ""))] += value - before.get(
                (name, labels), 0.0
            )
    for (kind, rule), count in sorted(emitted.items()):
        if count:
            by_rule.add_row(kind, rule, f"{count:,.0f}")
    dead = _total(after, "opguard_dead_letters_total") - _total(
        before, "opguard_dead_letters_total"
    )
    by_rule.add_row("dead letters", "", f"{dead:,.0f}")
    console.print(by_rule)


def delete_demo_topics(settings: Settings) -> int:
    """Delete every topic under the demo's prefix (outputs, changelogs, Faust internals)."""
    from streams.topics import admin_client

    admin = admin_client(settings)
    try:
        ours = [t for t in admin.list_topics() if t.startswith(settings.topic_prefix)]
        if ours:
            admin.delete_topics(ours)
        return len(ours)
    finally:
        admin.close()


@dataclass
class _Cleanup:
    """What the demo started, so that it stops exactly that, in reverse order."""

    services: list[str]
    worker: WorkerProcess | None = None
    producer: Any = None
    feed: EventFeed | None = None
    topics_created: bool = False


def run_demo(keep_stack: bool) -> int:
    """``opguard demo``; 0 only if every expectation was met."""
    from streams.topics import apply_topics, load_topic_specs

    # Wide enough for the event tables when the output is a file or a pipe (CI logs).
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    base = Settings.from_env()
    services = ensure_stack(base, console)
    if services is None:
        return 2
    settings = replace(base, topic_prefix=f"demo-{uuid.uuid4().hex[:8]}-", session_timeout_s=10.0)
    cleanup = _Cleanup(services)
    try:
        apply_topics(settings, load_topic_specs(None, settings), dry_run=False)
        cleanup.topics_created = True
        console.print(f"topics created under the prefix [bold]{settings.topic_prefix}[/]")
        cleanup.worker = worker = WorkerProcess(settings)
        console.print(f"worker pid {worker.process.pid} starting (log: {worker.log_path}) …")
        waited = time.monotonic()
        if not worker.wait_ready(READY_TIMEOUT_S):
            console.print(
                f"opguard: the worker was not ready within {READY_TIMEOUT_S:.0f} s; "
                f"the end of its log:\n{worker.log_tail()}",
                style="red",
                markup=False,
            )
            return 1
        console.print(f"worker ready in {time.monotonic() - waited:.1f} s")
        scenarios = load_scenarios()
        cleanup.feed = feed = EventFeed(settings)
        cleanup.producer = producer = make_producer(settings)
        player = ScenarioPlayer(console, settings, producer, feed, worker)
        started, expectations = time.monotonic(), []
        for number, scenario in enumerate(scenarios, start=1):
            console.rule(Text(f"{number}/{len(scenarios)}  {scenario.title}", "bold"))
            expectations.extend(player.play(scenario))
        seconds = time.monotonic() - started
        failed = [e for e in expectations if not e.met(feed.events)]
        sent = sum(len(s.records) for s in scenarios)
        console.rule(Text("Result", "bold"))
        console.print(
            f"{sent} scenario records → {len(feed.events)} events in {seconds:.1f} s; "
            f"{len(expectations) - len(failed)}/{len(expectations)} expectations met"
        )
        for expectation in failed:
            console.print(_mark(expectation, feed.events)[1])
        load_phase(console, settings, producer, worker)
        return 0 if not failed else 1
    finally:
        _clean_up(console, cleanup, settings, keep_stack)


def _clean_up(console: Console, cleanup: _Cleanup, settings: Settings, keep_stack: bool) -> None:
    if cleanup.producer is not None:
        cleanup.producer.close()
    if cleanup.feed is not None:
        cleanup.feed.close()
    if cleanup.worker is not None:
        code = cleanup.worker.stop()
        console.print(f"worker stopped (exit code {code})")
    if keep_stack:
        console.print(
            f"kept: OPGUARD_TOPIC_PREFIX={settings.topic_prefix} opguard tail "
            "violations --from-beginning"
        )
        return
    if cleanup.topics_created:
        try:
            console.print(f"deleted {delete_demo_topics(settings)} demo topics")
        except Exception as error:  # cleanup goes on; the broker expires them
            console.print(f"could not delete the demo topics: {error!r}", style="yellow")
    stop_stack(cleanup.services)
