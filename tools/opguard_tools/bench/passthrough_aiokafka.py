"""Baseline for ``opguard bench pipeline``: a raw aiokafka consume→produce loop.

The ceiling for a Python consumer on this broker: no framework, batched fetches, sends
queued without waiting for each acknowledgement.  Same group semantics as the Faust
apps: one consumer group (``{prefix}passthrough-aiokafka``), offsets committed every
``COMMIT_INTERVAL_S`` after every send so far was
acknowledged — at-least-once, like Faust.  Run it as
``python -m opguard_tools.bench.passthrough_aiokafka`` with ``OPGUARD_*`` settings in the
environment; it stops on SIGTERM or SIGINT.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.kafka_config import kafka_python_security
from streams.settings import Settings
from streams.topics import INPUT_TOPICS

OUTPUT_TOPIC = "passthrough-out"
"""Where both pass-throughs write (with the prefix)."""
COMMIT_INTERVAL_S = 1.0
"""The worker's commit interval: the benchmark sees the end of a run through committed
offsets, so every system it compares commits as often."""


async def forward(settings: Settings, stop: asyncio.Event) -> None:
    security = kafka_python_security(settings)  # aiokafka takes kafka-python's keywords
    consumer = AIOKafkaConsumer(
        *(settings.topic(name) for name in INPUT_TOPICS),
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=f"{settings.topic_prefix}passthrough-aiokafka",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=int(settings.session_timeout_s * 1000),
        **security,
    )
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, **security)
    sink = settings.topic(OUTPUT_TOPIC)
    await consumer.start()
    await producer.start()
    try:
        pending: list[asyncio.Future[Any]] = []
        last_commit = time.monotonic()
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=500)
            for batch in batches.values():
                for record in batch:
                    pending.append(await producer.send(sink, record.value, key=record.key))
            if time.monotonic() - last_commit >= COMMIT_INTERVAL_S:
                await asyncio.gather(*pending)
                pending.clear()
                await consumer.commit()
                last_commit = time.monotonic()
        await asyncio.gather(*pending)
        await consumer.commit()
    finally:
        await producer.stop()
        await consumer.stop()


async def main() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await forward(Settings.from_env(), stop)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
