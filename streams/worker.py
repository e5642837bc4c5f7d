"""``opguard worker``: the Faust worker plus the Prometheus endpoint."""

from __future__ import annotations

import logging


def run_worker() -> None:
    from faust.worker import Worker
    from prometheus_client import start_http_server

    from streams.app import app, settings
    from streams.metrics import REGISTRY

    logging.getLogger(__name__).info("settings: %s", settings.masked())
    if settings.uses_dev_fingerprint_key:
        logging.getLogger(__name__).warning(
            "OPGUARD_FINGERPRINT_KEY is not set: using the development key; set a secret "
            "key in production or fingerprints can be reversed by guessing"
        )
    # Faust's worker configures handlers but leaves the library loggers at DEBUG, and
    # aiokafka/faust build a full log record (with a stack walk) for every message
    # sent: on the hot path that costs more than judging the message.
    level = logging.getLevelName(settings.log_level.upper())
    for name in ("faust", "mode", "aiokafka", "kafka", "streams"):
        logging.getLogger(name).setLevel(level if isinstance(level, int) else logging.INFO)
    start_http_server(settings.metrics_port, addr=settings.bind_host, registry=REGISTRY)
    worker = Worker(app, loglevel=settings.log_level.upper())
    worker.execute_from_commandline()
