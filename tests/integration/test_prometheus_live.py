"""The dashboard's queries and the Prometheus rules against a real Prometheus that has
scraped a worker which processed traffic (fixture ``prometheus_with_traffic``).

Every expression must be accepted by the query API; the panels an operator looks at
first (throughput, violations by rule, lag) must show data.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.promql import dashboard_queries, rule_expressions

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy/grafana/dashboards/opguard.json"
RULE_FILES = [
    ROOT / "deploy/prometheus/rules/opguard.recording.yml",
    ROOT / "deploy/prometheus/rules/opguard.alerts.yml",
]
QUERIES = dashboard_queries(DASHBOARD)
RULES = rule_expressions(RULE_FILES)
#: Every panel must show data once a worker has processed traffic (label values are
#: initialised at zero by the worker, so error panels show a rate of 0, not "no data").
MUST_SHOW_DATA = sorted({title for title, _ in QUERIES})
#: Recording rules must produce series too (alerts need only be valid: data means firing).
RECORDING_RULES = [(name, expr) for name, expr in RULES if ":" in name]
#: Recording rules need a scrape pair and an evaluation or two (2 s each locally).
DATA_DEADLINE_S = 30.0


def query(base_url: str, expr: str) -> dict[str, Any]:
    url = f"{base_url}/api/v1/query?{urllib.parse.urlencode({'query': expr})}"
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            answer: dict[str, Any] = json.load(reply)
    except urllib.error.HTTPError as error:  # 400 carries the parse error as JSON
        answer = json.load(error)
    return answer


@pytest.mark.parametrize(("title", "expr"), QUERIES, ids=[title for title, _ in QUERIES])
def test_dashboard_query_is_accepted(prometheus_with_traffic: str, title: str, expr: str) -> None:
    answer = query(prometheus_with_traffic, expr)
    assert answer["status"] == "success", answer.get("error")


@pytest.mark.parametrize(("name", "expr"), RULES, ids=[name for name, _ in RULES])
def test_rule_expression_is_accepted(prometheus_with_traffic: str, name: str, expr: str) -> None:
    answer = query(prometheus_with_traffic, expr)
    assert answer["status"] == "success", answer.get("error")


@pytest.mark.parametrize("title", MUST_SHOW_DATA)
def test_panel_shows_data(prometheus_with_traffic: str, title: str) -> None:
    exprs = [expr for panel, expr in QUERIES if panel == title]
    assert exprs, f"no panel {title!r} in the dashboard"
    deadline = time.monotonic() + DATA_DEADLINE_S
    empty = exprs
    while empty and time.monotonic() < deadline:
        empty = [e for e in empty if not query(prometheus_with_traffic, e)["data"]["result"]]
        if empty:
            time.sleep(1)
    assert empty == [], f"{title}: no data after {DATA_DEADLINE_S:.0f} s"


@pytest.mark.parametrize(("name", "expr"), RECORDING_RULES, ids=[n for n, _ in RECORDING_RULES])
def test_recording_rule_has_data(prometheus_with_traffic: str, name: str, expr: str) -> None:
    deadline = time.monotonic() + DATA_DEADLINE_S
    while not query(prometheus_with_traffic, name)["data"]["result"]:
        assert time.monotonic() < deadline, f"{name}: no data after {DATA_DEADLINE_S:.0f} s"
        time.sleep(1)
