"""Baseline for ``opguard bench pipeline``: a plain one-agent Faust pass-through.

It reads the benchmark's input topics and awaits one send per record, nothing else:
what any Faust application pays before doing work.  Run it as
``python -m faust -A opguard_tools.bench.passthrough_faust worker`` with ``OPGUARD_TOPIC_PREFIX``
(and the other ``OPGUARD_*`` Kafka settings) in the environment.  Its consumer group is
``{prefix}passthrough-faust``; it writes to ``{prefix}passthrough-out``.
"""

from __future__ import annotations

from typing import Any

import faust

from opguard_tools.bench.passthrough_aiokafka import COMMIT_INTERVAL_S, OUTPUT_TOPIC
from streams.kafka_config import faust_broker_credentials
from streams.settings import Settings
from streams.topics import INPUT_TOPICS
from streams.worker import quiet_library_loggers


def make_app(name: str) -> tuple[faust.App, Any, Settings]:
    """A plain ``faust.App`` (Faust's own transport, memory tables) named
    ``{prefix}{name}``, as every Faust baseline runs, and the topic of the benchmark's
    inputs as raw bytes."""
    settings = Settings.from_env()
    app = faust.App(
        f"{settings.topic_prefix}{name}",
        broker=[f"kafka://{server}" for server in settings.kafka_bootstrap.split(",")],
        broker_credentials=faust_broker_credentials(settings),
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=min(3.0, settings.session_timeout_s / 4),
        broker_commit_interval=COMMIT_INTERVAL_S,
        store="memory://",
        topic_partitions=settings.partitions,
        consumer_auto_offset_reset="earliest",
        web_enabled=False,
    )
    source = app.topic(
        *(settings.topic(name) for name in INPUT_TOPICS),
        key_serializer="raw",
        value_serializer="raw",
    )

    @app.task  # type: ignore[untyped-decorator]
    async def same_logging_as_the_pipeline() -> None:
        """The pipeline's worker quiets the library loggers Faust leaves at DEBUG; so
        does every baseline, or it would pay for log records the pipeline does not build."""
        quiet_library_loggers("warning")

    return app, source, settings


app, source, settings = make_app("passthrough-faust")
sink = app.topic(settings.topic(OUTPUT_TOPIC), key_serializer="raw", value_serializer="raw")


@app.agent(source)
async def forward(stream: Any) -> None:
    async for key, value in stream.items():
        await sink.send(key=key, value=value)
