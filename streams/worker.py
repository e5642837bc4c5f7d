"""``opguard worker``: the Faust worker plus the Prometheus endpoint."""

from __future__ import annotations

import logging

#: Loggers of the libraries on the hot path (and ours).
HOT_PATH_LOGGERS = ("faust", "mode", "aiokafka", "kafka", "streams")


def quiet_library_loggers(log_level: str) -> None:
    """Set the hot-path library loggers to ``log_level``.

    Faust's worker gives its handlers the requested level but leaves the loggers (root
    included) at DEBUG, so aiokafka and faust build a full log record, with a stack
    walk, for every message sent only for the handler to drop it: on the hot path that
    costs more than judging the message.
    """
    level = logging.getLevelName(log_level.upper())
    for name in HOT_PATH_LOGGERS:
        logging.getLogger(name).setLevel(level if isinstance(level, int) else logging.INFO)


def run_worker() -> None:
    from faust.worker import Worker
    from prometheus_client import start_http_server

    from streams.app import default_app
    from streams.limits import Limits, check_limits
    from streams.metrics import REGISTRY
    from streams.topics import output_topic_limits

    opguard = default_app()
    settings = opguard.settings
    logging.getLogger(__name__).info("settings: %s", settings.masked())
    check_limits(
        Limits(
            max_record_bytes=settings.max_record_bytes,
            dead_letter_value_bytes=settings.dead_letter_value_bytes,
            producer_max_request_bytes=settings.producer_max_request_bytes,
            topics=output_topic_limits(settings),
        )
    )
    if settings.uses_dev_fingerprint_key:
        logging.getLogger(__name__).warning(
            "OPGUARD_FINGERPRINT_KEY is not set: using the development key; set a secret "
            "key in production or fingerprints can be reversed by guessing"
        )
    quiet_library_loggers(settings.log_level)
    start_http_server(settings.metrics_port, addr=settings.bind_host, registry=REGISTRY)
    # A lost output exits the process with status 1 at once (streams.seam).
    Worker(opguard.app, loglevel=settings.log_level.upper()).execute_from_commandline()
