"""The Faust application: topics, tables and agents, wired to the pure core.

``faust -A streams.app worker`` and ``opguard worker`` run the same thing, configured
only by the OPGUARD_* settings.  The agents are thin: decode, read tables, call
``streams.pipeline``, write tables only when state changed, queue what they produce
(events, dead letters, changelog records) in ``outbox`` and flush it once per batch,
before the batch is acked (Faust flushes the producer before it commits offsets, so
delivery stays at-least-once), and count what happened.
"""

from __future__ import annotations

import contextlib
import logging
import time
import weakref
from collections import Counter
from collections.abc import Iterator
from typing import Any, cast

import orjson
from faust.streams import _current_event  # see _use_event

from streams import __version__
from streams.contract import from_record, to_record
from streams.faust_transport import App
from streams.kafka_config import faust_broker_credentials
from streams.metrics import (
    CONSUMER_LAG,
    CONVERSATIONS_BY_PHASE,
    DEAD_LETTERS,
    DETECTION_SECONDS,
    EVENT_LAG_SECONDS,
    EVENTS_EMITTED,
    RECORDS_CONSUMED,
    WORKER_INFO,
    initialise_label_values,
)
from streams.outbox import Outbox
from streams.pipeline import (
    Judged,
    apply_contract_event,
    batch_outputs,
    contract_event,
    conversation_state,
    judge_message,
    note_participant,
    notices_of,
    remember_flagged,
    strikes_of,
)
from streams.policy import default_policy, load_policy
from streams.records import BadRecord, dead_letter, decode, format_time
from streams.redis_state import RedisState
from streams.settings import Settings

log = logging.getLogger(__name__)

#: Records judged per batch: Faust's per-event machinery is the ceiling, so the agent
#: takes batches and produces without awaiting each send.
BATCH_SIZE = 1000
BATCH_WITHIN_SECONDS = 0.05

settings = Settings.from_env()
policy = load_policy(settings.policy_path) if settings.policy_path else default_policy()
fingerprint_key = settings.fingerprint_key.encode("utf-8")

# Faust's default data directory (<app id>-data here) unless OPGUARD_DATA_DIR is set.
_data_dir: dict[str, Any] = {"datadir": settings.data_dir} if settings.data_dir else {}
# The fixed transport: see streams.faust_transport (a rebalance stranded partitions).
app = App(
    settings.app_id,
    broker=[f"kafka://{server}" for server in settings.kafka_bootstrap.split(",")],
    broker_credentials=faust_broker_credentials(settings),
    store=settings.store,
    **_data_dir,
    topic_partitions=settings.partitions,
    topic_replication_factor=settings.replication_factor,
    broker_session_timeout=settings.session_timeout_s,
    broker_heartbeat_interval=min(3.0, settings.session_timeout_s / 4),
    consumer_auto_offset_reset="earliest",
    producer_acks=-1,
    producer_linger=0.02,  # batch produce requests; 20 ms of added latency at most
    producer_max_batch_size=262144,
    # No produced record may be larger; streams.limits checks every output's bound
    # against it (and the topics' max.message.bytes) before the worker starts.
    producer_max_request_size=settings.producer_max_request_bytes,
    web_enabled=True,
    web_bind=settings.bind_host,
    web_host=settings.bind_host,
    web_port=settings.web_port,
    # Table keys and values (the topics below declare their own raw serializers).
    key_serializer="json",
    value_serializer="json",
    version=1,
)


def _raw_topic(name: str) -> Any:
    """A topic of opaque bytes: the agents decode and validate values themselves."""
    return app.topic(settings.topic(name), key_serializer="raw", value_serializer="raw")


messages_topic = _raw_topic("messages")
contract_events_topic = _raw_topic("contract-events")
#: Where each output event type goes (produced by ``outbox``, not by Faust topics).
OUTPUT_TOPICS = {
    "violation": settings.topic("violations"),
    "retraction": settings.topic("violations"),
    "warning": settings.topic("warnings"),
}


def _table(name: str) -> Any:
    """A changelog-backed table keyed by conversation id (values are plain JSON)."""
    return app.Table(
        name,
        default=None,
        key_type=str,
        partitions=settings.partitions,
        options=rocksdb_options(),  # ignored by memory://
    )


def rocksdb_options() -> dict[str, int]:
    """RocksDB sizes for one database; with ``rocksdb://`` every table has one per
    partition, so a worker holding all 12 partitions of 3 tables has 36.

    Faust's defaults are for one big table: 64 MB memtables (up to 3) and a 2 GB block
    cache per database, i.e. gigabytes at 36 databases, far past the 1 GiB limit of
    ``deploy/k8s``.  The values here are small JSON records; at most 36 × (2 × 2 MB +
    4 MB) ≈ 290 MB for RocksDB.  (A fresh dict per table: Faust pops keys from it.)
    """
    return {"write_buffer_size": 2 << 20, "max_write_buffer_number": 2, "block_cache_size": 4 << 20}


#: conversation id → contract timeline (``streams.contract.to_record``)
contracts = _table("contracts")
#: conversation id → recent fragments per sender and the participants
conversations = _table("conversations")
#: conversation id → recently emitted retractable events
flagged = _table("flagged")

redis_state = RedisState(settings.redis_url, settings.topic_prefix)


def _read(table: Any, key: str) -> Any:
    """``table.get(key)`` read straight from its store, where ``Outbox.set`` writes:
    ``Table.__getitem__`` adds Faust's per-read sensor calls, ~5% of the worker's CPU
    for the three reads of every message."""
    return table.data.get(key)


def _use_event(event: Any) -> None:
    """Make ``event`` Faust's current event while its record is judged.

    Batching (``take_events``) leaves the *last* event of the batch current, and the
    RocksDB store reads and writes a key in the database of the current event's
    partition: without this, a batch's reads would miss every key of the other
    partitions (``tests/integration/test_rocksdb_store.py``).  Faust keeps the current
    event in this context variable.
    """
    _current_event.set(weakref.ref(event))


#: Output events, dead letters and table changelog records, produced once per batch.
outbox = Outbox(
    producer=lambda: cast(Any, app.producer)._ensure_producer(),
    on_error=app.delivery_failed,
)


def _send(topic: str, key: bytes, value: dict[str, Any]) -> None:
    outbox.add(topic, key, orjson.dumps(value))


def _emit(key: bytes, event: dict[str, Any]) -> None:
    """Produce an output event to the topic of its type, and count it."""
    topic = OUTPUT_TOPICS[event["type"]]
    _send(topic, key, event)
    EVENTS_EMITTED.labels(topic, event["type"], event["rule"], event["severity"]).inc()


def _send_dead_letter(event: Any, reason: str, error: str, source: str) -> None:
    message = event.message
    DEAD_LETTERS.labels(reason).inc()
    log.warning(
        "dead letter from %s[%s]@%s: %s", message.topic, message.partition, message.offset, error
    )
    record = dead_letter(
        message.topic,
        message.partition,
        message.offset,
        message.key,
        message.value,
        reason,
        error,
        format_time(time.time()),
        max_value_bytes=settings.dead_letter_value_bytes,
    )
    _send(settings.topic("dead-letters"), message.key or b"", record)


def _send_processing_error(event: Any, error: Exception, source: str) -> None:
    """Dead-letter a valid record the worker failed on (a bug), so it is kept."""
    _send_dead_letter(event, "processing_error", f"{type(error).__name__}: {error}", source)


@contextlib.contextmanager
def _whole_batch_or_nothing() -> Iterator[None]:
    """A batch that raises (its outputs could not be produced) stops the worker with
    nothing more committed: its inputs are judged again after the restart."""
    try:
        yield
    except Exception as error:
        app.batch_failed(error)
        raise


@app.agent(messages_topic)
async def judge_messages(stream: Any) -> None:
    """Judge every message by the contract phase at its send time."""
    topic_name = settings.topic("messages")
    async for batch in stream.take_events(BATCH_SIZE, within=BATCH_WITHIN_SECONDS):
        with _whole_batch_or_nothing():
            await _judge_batch(batch, topic_name)


async def _judge_batch(batch: list[Any], topic_name: str) -> None:
    RECORDS_CONSUMED.labels(topic_name).inc(len(batch))
    pending: list[Judged] = []
    for event in batch:
        try:
            record = decode("messages", event.message.value, settings.max_record_bytes)
        except BadRecord as bad:
            _send_dead_letter(event, bad.reason, str(bad), topic_name)
            continue
        try:
            outcome_key, outcome = _judge_one(event, record)
        except Exception as error:
            log.exception("could not judge message %s", record.get("message_id"))
            _send_processing_error(event, error, topic_name)
            continue
        if outcome.events:
            pending.append(
                Judged(outcome_key, record["_epoch"], outcome.events, outcome.violations)
            )
    await _finish_batch(pending)
    await outbox.flush()  # before the batch is acked


def _judge_one(event: Any, record: dict[str, Any]) -> tuple[bytes, Any]:
    _use_event(event)
    conversation = record["conversation_id"]
    timeline = from_record(_read(contracts, conversation))
    state = conversation_state(_read(conversations, conversation))
    started = time.perf_counter()
    outcome = judge_message(
        record, timeline, state, policy, key=fingerprint_key, detected_at=time.time()
    )
    DETECTION_SECONDS.observe(time.perf_counter() - started)
    changed = note_participant(state, record)
    if outcome.fragments is not None:
        fragments = state["fragments"]
        if outcome.fragments:
            fragments[record["sender_id"]] = outcome.fragments
        else:
            fragments.pop(record["sender_id"], None)
        changed = True
    partition = event.message.partition
    if changed:
        outbox.set(conversations, conversation, state, partition)
    if outcome.flagged:
        known = _read(flagged, conversation) or []
        outbox.set(flagged, conversation, remember_flagged(known, outcome.flagged), partition)
    key = event.message.key or conversation.encode("utf-8")
    return key, outcome


async def _finish_batch(pending: list[Judged]) -> None:
    """Redis (strikes, throttling) once per batch, then produce the batch's events."""
    if not pending:
        return
    strikes, notices = strikes_of(pending), notices_of(pending)
    counts = await redis_state.record_strikes(strikes, policy.repeat_offender_window_seconds)
    allowed = await redis_state.claim_notices(notices, policy.warning_throttle_seconds)
    now = time.time()
    for judged, event in batch_outputs(pending, strikes, counts, notices, allowed, policy):
        _emit(judged.key, event)
        EVENT_LAG_SECONDS.observe(max(0.0, now - judged.sent_at))


@app.agent(contract_events_topic)
async def track_contracts(stream: Any) -> None:
    """Keep each conversation's contract timeline; retract what a late event clears."""
    topic_name = settings.topic("contract-events")
    async for batch in stream.take_events(BATCH_SIZE, within=BATCH_WITHIN_SECONDS):
        with _whole_batch_or_nothing():
            await _track_batch(batch, topic_name)


async def _track_batch(batch: list[Any], topic_name: str) -> None:
    RECORDS_CONSUMED.labels(topic_name).inc(len(batch))
    for event in batch:  # in order: a conversation's events are in one partition
        try:
            _track_one(event, topic_name)
        except Exception as error:  # a bug must not stop the worker: keep the record
            log.exception("could not apply contract event at offset %s", event.message.offset)
            _send_processing_error(event, error, topic_name)
    await outbox.flush()  # before the batch is acked


def _track_one(event: Any, topic_name: str) -> None:
    try:
        record = decode("contract-events", event.message.value, settings.max_record_bytes)
    except BadRecord as bad:
        _send_dead_letter(event, bad.reason, str(bad), topic_name)
        return
    _use_event(event)
    conversation = record["conversation_id"]
    timeline = from_record(_read(contracts, conversation))
    known = _read(flagged, conversation) or []
    updated, retractions, remaining = apply_contract_event(
        timeline, known, contract_event(record), policy, detected_at=time.time()
    )
    if updated is timeline:
        return  # a redelivered event: nothing changes
    partition = event.message.partition
    outbox.set(contracts, conversation, to_record(updated), partition)
    if len(remaining) != len(known):
        outbox.set(flagged, conversation, remaining, partition)
    key = event.message.key or conversation.encode("utf-8")
    for retraction in retractions:
        _emit(key, retraction)


@app.timer(interval=15.0)
async def count_conversations_by_phase() -> None:
    """Conversations in this worker's partitions by current contract phase."""
    counts = Counter(
        from_record(value).current_phase(require_escrow_funded=policy.require_escrow_funded)
        for value in contracts.values()
    )
    for phase in ("none", "offered", "active", "paused", "ended"):
        CONVERSATIONS_BY_PHASE.labels(phase).set(counts.get(phase, 0))


@app.timer(interval=5.0)
async def measure_consumer_lag() -> None:
    """Records not yet read, per input topic, from the consumer's own offsets."""
    monitor = app.monitor
    lag: Counter[str] = Counter()
    for tp, end in dict(monitor.tp_end_offsets).items():
        read = monitor.tp_read_offsets.get(tp, -1)
        lag[tp.topic] += max(0, end - read - 1)
    for topic in (settings.topic("messages"), settings.topic("contract-events")):
        CONSUMER_LAG.labels(topic).set(lag.get(topic, 0))


@app.page("/health")
async def health(web: Any, request: Any) -> Any:
    return web.json({"status": "ok", "version": __version__})


@app.page("/ready")
async def ready(web: Any, request: Any) -> Any:
    recovered = cast(Any, app.tables).recovery.completed.is_set()
    assigned = bool(app.consumer.assignment()) if app.consumer else False
    is_ready = recovered and not app.rebalancing and assigned
    body = {
        "ready": is_ready,
        "recovered": recovered,
        "rebalancing": app.rebalancing,
        "assigned_partitions": len(app.consumer.assignment()) if app.consumer else 0,
    }
    return web.json(body, status=200 if is_ready else 503)


async def _close_redis(sender: Any, *args: Any, **kwargs: Any) -> None:
    await redis_state.close()


# mode's signal stubs want a positional-only first parameter; the call is the documented one.
cast(Any, app.on_before_shutdown).connect(_close_redis)


WORKER_INFO.labels(__version__, policy.version).set(1)
initialise_label_values()
