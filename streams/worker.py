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
    start_http_server(settings.metrics_port, addr=settings.bind_host, registry=REGISTRY)
    worker = Worker(app, loglevel=settings.log_level.upper())
    worker.execute_from_commandline()
