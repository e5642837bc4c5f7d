"""The Faust application, built by ``create_app(settings)``: topics, tables, agents.

Nothing is built at import.  ``create_app`` makes the settings' policy, the Faust app,
its topics and tables, the Redis client and the agents, so two apps with different
settings can live in one process (tests).  ``faust -A streams.app worker`` and
``opguard worker`` run the app of ``Settings.from_env()``, made on first use of the
module attribute ``app``.

The agents are thin adapters around the pure core (``streams.pipeline``): for each
record of a batch they decode it, read its conversation's state from the tables, run
the record's step, write the changes back (``table[key] = value``) and produce its dead
letters; once per batch they ask Redis for strikes and throttling, then produce the
batch's events with ``app.producer.send``.  Outputs stay typed values
(``streams.models``) up to ``OpguardApp.produce``, which encodes them.  Faust flushes
the producer before it commits offsets; ``streams.seam`` stops the worker before any
commit when an output could not be produced, so delivery stays at-least-once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

import faust

from streams import __version__
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
from streams.models import Event, OutputValue, encode
from streams.pipeline import (
    Batch,
    ConversationState,
    StateChanges,
    batch_outputs,
    contract_step,
    message_step,
)
from streams.policy import default_policy, load_policy
from streams.policy.model import Policy
from streams.records import BadRecord, dead_letter, decode, format_time
from streams.redis_state import RedisState
from streams.seam import DeliverySensor, broker_urls, check_delivered, make_current
from streams.seam import stop_uncommitted as _stop_uncommitted
from streams.settings import Settings

log = logging.getLogger(__name__)

#: Records judged per batch: the Redis step and Faust's per-event cost are per batch.
BATCH_SIZE = 1000
BATCH_WITHIN_SECONDS = 0.05

#: Where each output event type goes.
OUTPUT_TOPICS = {"violation": "violations", "retraction": "violations", "warning": "warnings"}


def rocksdb_options() -> dict[str, int]:
    """RocksDB sizes for one database; with ``rocksdb://`` every table has one per
    partition, so a worker holding all 12 partitions of 3 tables has 36.

    Faust's defaults are for one big table: 64 MB memtables (up to 3) and a 2 GB block
    cache per database, i.e. gigabytes at 36 databases, far past the 1 GiB limit of
    ``deploy/k8s``.  The values here are small JSON records; at most 36 × (2 × 2 MB +
    4 MB) ≈ 290 MB for RocksDB.  (A fresh dict per table: Faust pops keys from it.)
    """
    return {"write_buffer_size": 2 << 20, "max_write_buffer_number": 2, "block_cache_size": 4 << 20}


def new_faust_app(settings: Settings) -> faust.App:
    """The Faust app of ``settings`` (no agents, topics or tables yet)."""
    # Faust's default data directory (<app id>-data here) unless OPGUARD_DATA_DIR is set.
    data_dir: dict[str, Any] = {"datadir": settings.data_dir} if settings.data_dir else {}
    app = faust.App(
        settings.app_id,
        # The fixed transport (streams.seam: a rebalance stranded partitions).
        broker=broker_urls(settings.kafka_bootstrap),
        broker_credentials=faust_broker_credentials(settings),
        store=settings.store,
        **data_dir,
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
        # Table keys and values (the topics declare their own raw serializers).
        key_serializer="json",
        value_serializer="json",
        version=1,
    )
    app.sensors.add(DeliverySensor())
    return app


@dataclass
class OpguardApp:
    """One opguard application: its settings, policy, Faust app, tables and Redis."""

    settings: Settings
    policy: Policy
    app: faust.App
    redis: RedisState
    #: conversation id → contract timeline (``streams.contract.to_record``)
    contracts: Any
    #: conversation id → recent fragments per sender and the participants
    conversations: Any
    #: conversation id → recently emitted retractable events
    flagged: Any
    messages_topic: Any
    contract_events_topic: Any

    # --- per record ---------------------------------------------------------------------

    def state_of(self, conversation: str) -> ConversationState:
        return ConversationState.from_tables(
            self.contracts.get(conversation),
            self.conversations.get(conversation),
            self.flagged.get(conversation),
        )

    def write(self, conversation: str, changes: StateChanges) -> None:
        if changes.contract is not None:
            self.contracts[conversation] = changes.contract
        if changes.conversation is not None:
            self.conversations[conversation] = changes.conversation
        if changes.flagged is not None:
            self.flagged[conversation] = changes.flagged

    # --- outputs ------------------------------------------------------------------------

    async def produce(self, topic: str, key: bytes | None, value: OutputValue) -> None:
        """Encode an output and hand it to the producer; a failed delivery stops the worker."""
        sent = await self.app.producer.send(topic, key, encode(value), None, None, None)
        cast("asyncio.Future[Any]", sent).add_done_callback(check_delivered)

    async def emit(self, key: bytes, event: Event) -> None:
        """Produce an output event to the topic of its type, and count it."""
        topic = self.settings.topic(OUTPUT_TOPICS[event.type])
        await self.produce(topic, key, event)
        EVENTS_EMITTED.labels(topic, event.type, event.rule, event.severity).inc()

    async def send_dead_letter(self, event: Any, reason: str, error: str) -> None:
        message = event.message
        DEAD_LETTERS.labels(reason).inc()
        log.warning(
            "dead letter from %s[%s]@%s: %s",
            message.topic,
            message.partition,
            message.offset,
            error,
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
            max_value_bytes=self.settings.dead_letter_value_bytes,
        )
        await self.produce(self.settings.topic("dead-letters"), message.key or b"", record)

    async def send_processing_error(self, event: Any, error: Exception) -> None:
        """Dead-letter a valid record the worker failed on (a bug), so it is kept."""
        await self.send_dead_letter(event, "processing_error", f"{type(error).__name__}: {error}")

    # --- batches ------------------------------------------------------------------------

    async def judge_batch(self, events: list[Any]) -> None:
        """Judge a batch of messages, each by the contract phase at its send time."""
        RECORDS_CONSUMED.labels(self.settings.topic("messages")).inc(len(events))
        batch = Batch()
        fingerprint_key = self.settings.fingerprint_key.encode("utf-8")
        for event in events:
            try:
                record = decode("messages", event.message.value, self.settings.max_record_bytes)
            except BadRecord as bad:
                await self.send_dead_letter(event, bad.reason, str(bad))
                continue
            try:
                make_current(event)
                conversation = record["conversation_id"]
                state = self.state_of(conversation)
                started = time.perf_counter()
                step = message_step(
                    record,
                    state,
                    self.policy,
                    key=fingerprint_key,
                    detected_at=time.time(),
                    record_key=event.message.key or conversation.encode("utf-8"),
                )
                DETECTION_SECONDS.observe(time.perf_counter() - started)
                self.write(conversation, step.changes)
            except Exception as error:
                log.exception("could not judge message %s", record.get("message_id"))
                await self.send_processing_error(event, error)
                continue
            if step.judged is not None:
                batch.add(step.judged)
        await self.finish(batch)

    async def finish(self, batch: Batch) -> None:
        """Redis (strikes, throttling) once per batch, then produce the batch's events."""
        if not batch:
            return
        strikes, notices = batch.strikes, batch.notices
        window = self.policy.repeat_offender_window_seconds
        counts = await self.redis.record_strikes(strikes, window)
        allowed = await self.redis.claim_notices(notices, self.policy.warning_throttle_seconds)
        now = time.time()
        for output in batch_outputs(batch, counts, allowed, self.policy):
            await self.emit(output.key, output.event)
            EVENT_LAG_SECONDS.observe(max(0.0, now - output.sent_at))

    async def track_batch(self, events: list[Any]) -> None:
        """Keep each conversation's contract timeline; retract what a late event clears."""
        RECORDS_CONSUMED.labels(self.settings.topic("contract-events")).inc(len(events))
        for event in events:  # in order: a conversation's events are in one partition
            try:
                record = decode(
                    "contract-events", event.message.value, self.settings.max_record_bytes
                )
            except BadRecord as bad:
                await self.send_dead_letter(event, bad.reason, str(bad))
                continue
            try:
                make_current(event)
                conversation = record["conversation_id"]
                step = contract_step(
                    record, self.state_of(conversation), self.policy, detected_at=time.time()
                )
                self.write(conversation, step.changes)
            except Exception as error:  # a bug must not stop the worker: keep the record
                log.exception("could not apply contract event at offset %s", event.message.offset)
                await self.send_processing_error(event, error)
                continue
            key = event.message.key or conversation.encode("utf-8")
            for retraction in step.events:
                await self.emit(key, retraction)

    # --- timers and pages ---------------------------------------------------------------

    def count_conversations_by_phase(self) -> None:
        """Conversations in this worker's partitions by current contract phase."""
        require_escrow = self.policy.require_escrow_funded
        counts = Counter(
            ConversationState.from_tables(value, None, None).timeline.current_phase(
                require_escrow_funded=require_escrow
            )
            for value in self.contracts.values()
        )
        for phase in ("none", "offered", "active", "paused", "ended"):
            CONVERSATIONS_BY_PHASE.labels(phase).set(counts.get(phase, 0))

    def measure_consumer_lag(self) -> None:
        """Records not yet read, per input topic, from the consumer's own offsets."""
        monitor = self.app.monitor
        lag: Counter[str] = Counter()
        for tp, end in dict(monitor.tp_end_offsets).items():
            read = monitor.tp_read_offsets.get(tp, -1)
            lag[tp.topic] += max(0, end - read - 1)
        for name in ("messages", "contract-events"):
            topic = self.settings.topic(name)
            CONSUMER_LAG.labels(topic).set(lag.get(topic, 0))

    def readiness(self) -> dict[str, Any]:
        app = self.app
        recovered = cast(Any, app.tables).recovery.completed.is_set()
        assigned = len(app.consumer.assignment()) if app.consumer else 0
        return {
            "ready": recovered and not app.rebalancing and assigned > 0,
            "recovered": recovered,
            "rebalancing": app.rebalancing,
            "assigned_partitions": assigned,
        }


def _whole_batch_or_nothing(error: BaseException) -> None:
    """A batch that raised (its outputs could not all be produced) stops the worker
    before Faust acks it: its inputs are judged again after the restart."""
    _stop_uncommitted(error, "a batch failed before its outputs were produced")


def create_app(settings: Settings) -> OpguardApp:
    """Build an opguard application of ``settings``: nothing connects until it runs."""
    policy = load_policy(settings.policy_path) if settings.policy_path else default_policy()
    app = new_faust_app(settings)

    def raw_topic(name: str) -> Any:
        """A topic of opaque bytes: the agents decode and validate values themselves."""
        return app.topic(settings.topic(name), key_serializer="raw", value_serializer="raw")

    def table(name: str) -> Any:
        """A changelog-backed table keyed by conversation id (values are plain JSON)."""
        return app.Table(
            name,
            default=None,
            key_type=str,
            partitions=settings.partitions,
            options=rocksdb_options(),  # ignored by memory://
        )

    opguard = OpguardApp(
        settings=settings,
        policy=policy,
        app=app,
        redis=RedisState(settings.redis_url, settings.topic_prefix),
        contracts=table("contracts"),
        conversations=table("conversations"),
        flagged=table("flagged"),
        messages_topic=raw_topic("messages"),
        contract_events_topic=raw_topic("contract-events"),
    )

    @app.agent(opguard.messages_topic, name="judge_messages")
    async def judge_messages(stream: Any) -> None:
        async for events in stream.take_events(BATCH_SIZE, within=BATCH_WITHIN_SECONDS):
            try:
                await opguard.judge_batch(events)
            except Exception as error:
                _whole_batch_or_nothing(error)

    @app.agent(opguard.contract_events_topic, name="track_contracts")
    async def track_contracts(stream: Any) -> None:
        async for events in stream.take_events(BATCH_SIZE, within=BATCH_WITHIN_SECONDS):
            try:
                await opguard.track_batch(events)
            except Exception as error:
                _whole_batch_or_nothing(error)

    @app.timer(interval=15.0)
    async def count_conversations_by_phase() -> None:
        opguard.count_conversations_by_phase()

    @app.timer(interval=5.0)
    async def measure_consumer_lag() -> None:
        opguard.measure_consumer_lag()

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        return web.json({"status": "ok", "version": __version__})

    @app.page("/ready")
    async def ready(web: Any, request: Any) -> Any:
        body = opguard.readiness()
        return web.json(body, status=200 if body["ready"] else 503)

    async def close_redis(sender: Any, *args: Any, **kwargs: Any) -> None:
        await opguard.redis.close()

    # mode's signal stubs want a positional-only first parameter; the call is documented.
    cast(Any, app.on_before_shutdown).connect(close_redis)

    WORKER_INFO.labels(__version__, policy.version).set(1)
    initialise_label_values()
    return opguard


_default: OpguardApp | None = None


def default_app() -> OpguardApp:
    """The application of ``Settings.from_env()``, made on first use."""
    global _default
    if _default is None:
        _default = create_app(Settings.from_env())
    return _default


def __getattr__(name: str) -> Any:
    """``streams.app.app``: the default application's Faust app (``faust -A streams.app``)."""
    if name == "app":
        return default_app().app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
