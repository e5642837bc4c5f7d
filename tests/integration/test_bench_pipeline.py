"""``opguard bench pipeline`` on the real broker: a tiny run of each measured system.

Each system must consume and commit every pre-loaded record (the run fails otherwise)
and report a positive throughput.  The pipeline case needs the worker (``opguard
worker``) and Redis; the baselines need only Kafka.
"""

from __future__ import annotations

import pytest
from opguard_tools.bench.pipeline import render, run

from streams.settings import Settings

MESSAGES = 2000


@pytest.mark.parametrize(
    ("system", "workers"),
    [
        ("aiokafka", 1),
        ("faust", 1),
        ("faust-read", 1),
        ("pipeline", 1),
    ],
)
def test_a_system_consumes_every_record_with_a_positive_throughput(
    settings: Settings, system: str, workers: int
) -> None:
    result = run(settings, MESSAGES, 200, workers, seed=7, systems=[system])

    (measured,) = result.systems
    assert result.messages == MESSAGES
    assert measured.records == MESSAGES + result.contract_events
    assert measured.records_per_second > 0
    assert measured.peak_rss_bytes > 0
    assert measured.cpu_seconds >= 0
    if system == "pipeline":
        # The judgement takes seconds for 2,000 records, so its CPU time shows in the
        # drain window.  A pass-through may consume all of them in the poll interval
        # between the join and the window's start, and then its CPU time is 0 at the
        # kernel's tick resolution: only a full-size bench measures the baselines.
        assert measured.cpu_seconds > 0
    if system == "faust-read":
        assert measured.lags == ()  # it has no output: no live phase
    else:
        assert measured.lags, "the live phase produced no output to time"
    assert render(result).count("\n") > 3
