"""Every Prometheus metric opguard exposes, declared once, here.

Names follow the Prometheus conventions: an ``opguard_`` prefix, base units
(seconds), ``_total`` for counters.  The dashboards in ``deploy/grafana/`` and the
rules in ``deploy/prometheus/`` use exactly these names; a test checks that.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

# Buckets for per-message detection (tens of microseconds to tens of milliseconds).
DETECTION_BUCKETS = (
    0.00005,
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
)
# Buckets for end-to-end lag from a message's sent_at to the emission of its event.
LAG_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

RECORDS_CONSUMED = Counter(
    "opguard_records_consumed",
    "Input records consumed, by topic (messages, contract-events).",
    ["topic"],
    registry=REGISTRY,
)
EVENTS_EMITTED = Counter(
    "opguard_events_emitted",
    "Events produced to output topics, by topic, event type, rule and severity.",
    ["topic", "type", "rule", "severity"],
    registry=REGISTRY,
)
DEAD_LETTERS = Counter(
    "opguard_dead_letters",
    "Input records sent to the dead-letter topic, by reason.",
    ["reason"],
    registry=REGISTRY,
)
DETECTION_SECONDS = Histogram(
    "opguard_detection_duration_seconds",
    "Time to judge one message (detection and policy).",
    buckets=DETECTION_BUCKETS,
    registry=REGISTRY,
)
EVENT_LAG_SECONDS = Histogram(
    "opguard_event_lag_seconds",
    "Delay from a message's sent_at to the emission of its event.",
    buckets=LAG_BUCKETS,
    registry=REGISTRY,
)
REDIS_ERRORS = Counter(
    "opguard_redis_errors",
    "Redis operations that failed (processing went on without them), by operation.",
    ["operation"],
    registry=REGISTRY,
)
CONVERSATIONS_BY_PHASE = Gauge(
    "opguard_conversations",
    "Conversations held by this worker's table partitions, by current contract phase.",
    ["phase"],
    registry=REGISTRY,
)
CONSUMER_LAG = Gauge(
    "opguard_consumer_lag_records",
    "Records not yet consumed by this worker (high watermark minus position), by topic.",
    ["topic"],
    registry=REGISTRY,
)
WORKER_INFO = Gauge(
    "opguard_worker_info",
    "Always 1; labels name the running version and policy version.",
    ["version", "policy_version"],
    registry=REGISTRY,
)


def initialise_label_values() -> None:
    """Create the known label values at zero, so dashboards and alerts see a series (and
    a rate of 0) before the first error happens rather than no data at all."""
    for operation in ("strikes", "throttle"):
        REDIS_ERRORS.labels(operation)
    for reason in ("not_utf8", "not_json", "schema_mismatch", "oversized", "processing_error"):
        DEAD_LETTERS.labels(reason)
    for phase in ("none", "offered", "active", "paused", "ended"):
        CONVERSATIONS_BY_PHASE.labels(phase).set(0)
