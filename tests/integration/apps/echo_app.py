"""A minimal Faust app for the foundation test: uppercases records from one topic to another."""

from __future__ import annotations

import os
from typing import Any

import faust

PREFIX = os.environ["ECHO_PREFIX"]

app = faust.App(
    f"{PREFIX}echo",
    broker=f"kafka://{os.environ.get('OPGUARD_KAFKA_BOOTSTRAP', '127.0.0.1:9092')}",
    store="memory://",
    topic_partitions=12,
    broker_session_timeout=10.0,
    broker_heartbeat_interval=1.0,
    consumer_auto_offset_reset="earliest",
    web_enabled=False,
)
source = app.topic(f"{PREFIX}in", value_serializer="raw", key_serializer="raw")
sink = app.topic(f"{PREFIX}out", value_serializer="raw", key_serializer="raw")


@app.agent(source)
async def shout(stream: Any) -> None:
    async for key, value in stream.items():
        await sink.send(key=key, value=value.upper())
