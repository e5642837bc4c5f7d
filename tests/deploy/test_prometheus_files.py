"""Prometheus config, rules and the Grafana dashboard: valid for promtool, and reading
only metrics that streams/metrics.py declares.

promtool (Debian package `prometheus`) is required: a missing promtool fails the tests.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.metrics import REGISTRY
from streams.settings import Settings
from tests.deploy.promql import (
    dashboard_queries,
    metric_names,
    rule_expressions,
    rules,
)

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "deploy/prometheus"
CONFIGS = [PROMETHEUS / "prometheus.yml", PROMETHEUS / "prometheus.local.yml"]
RECORDING_RULES = PROMETHEUS / "rules/opguard.recording.yml"
ALERTS = PROMETHEUS / "rules/opguard.alerts.yml"
RULE_FILES = [RECORDING_RULES, ALERTS]
ALERT_TESTS = PROMETHEUS / "tests/opguard.alerts.test.yml"
DASHBOARD = ROOT / "deploy/grafana/dashboards/opguard.json"

#: Series Prometheus itself writes for every target.
BUILTIN_SERIES = frozenset({"up"})
#: Suffixes prometheus-client adds to a metric family's name in the exposition.
SAMPLE_SUFFIXES = ("_total", "_bucket", "_sum", "_count", "_created")

DECLARED_METRICS = frozenset(family.name for family in REGISTRY.collect())
RECORDED = frozenset(rule["record"] for rule in rules(RECORDING_RULES))
ALERT_RULES = rules(ALERTS)
EVERY_EXPRESSION = [
    *(("dashboard: " + title, expr) for title, expr in dashboard_queries(DASHBOARD)),
    *(("rule: " + name, expr) for name, expr in rule_expressions(RULE_FILES)),
]


def promtool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("promtool")
    if executable is None:
        pytest.fail("promtool is missing: apt-get install prometheus", pytrace=False)
    return subprocess.run(
        [executable, *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )


def assert_succeeds(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stdout + result.stderr


# --- promtool ---------------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS, ids=lambda path: path.name)
def test_promtool_accepts_the_config(config: Path) -> None:
    assert_succeeds(promtool("check", "config", config))


def test_promtool_accepts_the_rules() -> None:
    assert_succeeds(promtool("check", "rules", *RULE_FILES))


def test_alert_unit_tests_pass() -> None:
    assert_succeeds(promtool("test", "rules", ALERT_TESTS))


def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    # promtool checks PromQL syntax offline when a query is written as a recording rule.
    as_rules = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {"record": f"dashboard:query_{index}:check", "expr": expr}
                    for index, (_, expr) in enumerate(dashboard_queries(DASHBOARD))
                ],
            }
        ]
    }
    rule_file = tmp_path / "dashboard.rules.yml"
    rule_file.write_text(yaml.safe_dump(as_rules), "utf-8")
    assert_succeeds(promtool("check", "rules", rule_file))


# --- every series read exists ---------------------------------------------------------


def declared(name: str) -> bool:
    if name in BUILTIN_SERIES or name in RECORDED:
        return True
    for suffix in SAMPLE_SUFFIXES:
        if name.endswith(suffix) and name.removesuffix(suffix) in DECLARED_METRICS:
            return True
    return name in DECLARED_METRICS


@pytest.mark.parametrize(("where", "expr"), EVERY_EXPRESSION)
def test_expression_reads_only_declared_series(where: str, expr: str) -> None:
    names = metric_names(expr)
    assert names, f"no series found in {expr!r}"
    assert {name for name in names if not declared(name)} == set()


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (
            'sum by (topic) (rate(opguard_records_consumed_total{job="opguard"}[1m]))',
            {"opguard_records_consumed_total"},
        ),
        (
            "histogram_quantile(0.99, sum by (le) (opguard:event_lag_seconds_bucket:rate5m))",
            {"opguard:event_lag_seconds_bucket:rate5m"},
        ),
        ('absent(up{job="opguard"} == 1)', {"up"}),
        ("a > 1e3 unless on (topic) b offset 1h", {"a", "b"}),
    ],
)
def test_metric_names_reads_series_not_functions_labels_or_numbers(
    expr: str, expected: set[str]
) -> None:
    assert metric_names(expr) == expected


def test_every_declared_metric_is_charted() -> None:
    charted = {name for _, expr in EVERY_EXPRESSION for name in metric_names(expr)}
    for _, expr in rule_expressions([RECORDING_RULES]):
        charted |= metric_names(expr)
    read = {re.sub(r"_(total|bucket|sum|count)$", "", name) for name in charted}
    assert DECLARED_METRICS - read == set()


def test_recording_rules_follow_the_level_metric_operations_convention() -> None:
    for name in RECORDED:
        assert re.fullmatch(r"opguard:[a-z0-9_]+:[a-z0-9_]+", name), name


# --- alerts ------------------------------------------------------------------------------

ALERT_NAMES = [rule["alert"] for rule in ALERT_RULES]


@pytest.mark.parametrize("rule", ALERT_RULES, ids=ALERT_NAMES)
def test_alert_has_severity_and_runbook(rule: dict[str, Any]) -> None:
    assert rule["labels"]["severity"] in {"critical", "warning", "info"}
    annotations = rule["annotations"]
    assert {"summary", "description", "runbook"} <= set(annotations)
    assert len(annotations["runbook"].splitlines()) >= 2, "a runbook lists steps"


def _alert_cases() -> dict[str, list[list[Any]]]:
    cases: dict[str, list[list[Any]]] = {}
    document = yaml.safe_load(ALERT_TESTS.read_text("utf-8"))
    for test in document["tests"]:
        for case in test.get("alert_rule_test", []):
            cases.setdefault(case["alertname"], []).append(case.get("exp_alerts") or [])
    return cases


@pytest.mark.parametrize("alert", ALERT_NAMES)
def test_alert_is_unit_tested_firing_and_silent(alert: str) -> None:
    expectations = _alert_cases().get(alert, [])
    assert any(expectations), f"{alert}: no case where it fires"
    assert not all(expectations), f"{alert}: no case where it stays silent"


@pytest.mark.parametrize(
    ("alert", "reads"),
    [
        ("OpguardWorkerDown", "up"),
        ("OpguardNoWorkers", "up"),
        ("OpguardStalled", "opguard_records_consumed_total"),
        ("OpguardConsumerLagHigh", "opguard:consumer_lag_records:sum"),
        ("OpguardEventLagHigh", "opguard:event_lag_seconds:p99_5m"),
        ("OpguardDeadLetters", "opguard_dead_letters_total"),
        ("OpguardRedisErrors", "opguard_redis_errors_total"),
    ],
)
def test_alert_watches(alert: str, reads: str) -> None:
    expr = next(rule["expr"] for rule in ALERT_RULES if rule["alert"] == alert)
    assert reads in metric_names(expr)


# --- scrape targets match the workers ---------------------------------------------------


def _config(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return document


def _opguard_job(path: Path) -> dict[str, Any]:
    jobs: list[dict[str, Any]] = [
        job for job in _config(path)["scrape_configs"] if job["job_name"] == "opguard"
    ]
    assert len(jobs) == 1
    return jobs[0]


def test_compose_prometheus_finds_workers_by_dns_on_the_metrics_port() -> None:
    job = _opguard_job(PROMETHEUS / "prometheus.yml")
    assert job["dns_sd_configs"] == [
        {
            "names": ["worker"],
            "type": "A",
            "port": Settings().metrics_port,
            "refresh_interval": "15s",
        }
    ]


def test_local_prometheus_scrapes_three_workers_on_consecutive_ports() -> None:
    job = _opguard_job(PROMETHEUS / "prometheus.local.yml")
    port = Settings().metrics_port
    assert job["static_configs"] == [
        {"targets": [f"127.0.0.1:{port + offset}" for offset in range(3)]}
    ]
    # Tests name their workers' free ports in files beside the config.
    assert job["file_sd_configs"] == [{"files": ["targets/*.json"], "refresh_interval": "2s"}]
    assert (PROMETHEUS / "targets").is_dir()
    assert _config(PROMETHEUS / "prometheus.local.yml")["global"] == {
        "scrape_interval": "2s",
        "evaluation_interval": "2s",
    }


@pytest.mark.parametrize("config", CONFIGS, ids=lambda path: path.name)
def test_config_loads_every_rule_file_by_relative_path(config: Path) -> None:
    listed = _config(config)["rule_files"]
    assert all(not Path(entry).is_absolute() for entry in listed)
    assert {(config.parent / entry).resolve() for entry in listed} == set(RULE_FILES)


# --- dashboard -------------------------------------------------------------------------

DASHBOARD_JSON: dict[str, Any] = json.loads(DASHBOARD.read_text("utf-8"))


def _all_panels(panels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for panel in panels:
        found.append(panel)
        found.extend(_all_panels(panel.get("panels", [])))
    return found


PANELS = _all_panels(DASHBOARD_JSON["panels"])
QUERY_PANELS = [panel for panel in PANELS if panel["type"] != "row"]


def test_dashboard_variable_instance_lists_workers() -> None:
    [variable] = DASHBOARD_JSON["templating"]["list"]
    assert variable["name"] == "instance"
    assert variable["definition"] == "label_values(opguard_worker_info, instance)"
    assert variable["multi"] and variable["includeAll"]
    assert variable["datasource"] == {"type": "prometheus", "uid": "prometheus"}


def test_dashboard_schema_and_unique_panel_ids() -> None:
    assert DASHBOARD_JSON["schemaVersion"] >= 39
    ids = [panel["id"] for panel in PANELS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("panel", QUERY_PANELS, ids=[p["title"] for p in QUERY_PANELS])
def test_panel_queries_prometheus_filtered_by_instance(panel: dict[str, Any]) -> None:
    assert panel["datasource"]["uid"] == "prometheus"
    assert panel["targets"]
    for target in panel["targets"]:
        assert target["datasource"]["uid"] == "prometheus"
        assert 'instance=~"$instance"' in target["expr"]


@pytest.mark.parametrize(
    ("title", "reads"),
    [
        ("Throughput in by topic", "opguard:records_consumed:rate1m"),
        ("Throughput out by topic", "opguard:events_emitted:rate1m"),
        ("Violations by rule and severity", "opguard:events_emitted:rate1m"),
        ("Warnings by rule and severity", "opguard:events_emitted:rate1m"),
        ("Retractions by rule", "opguard:events_emitted:rate1m"),
        ("Event lag (sent_at to emission)", "opguard:event_lag_seconds_bucket:rate5m"),
        ("Detection time per message", "opguard:detection_duration_seconds_bucket:rate5m"),
        ("Dead letters by reason", "opguard:dead_letters:rate5m"),
        ("Redis errors by operation", "opguard_redis_errors_total"),
        ("Conversations by contract phase", "opguard_conversations"),
        ("Consumer lag by topic", "opguard_consumer_lag_records"),
    ],
)
def test_dashboard_charts(title: str, reads: str) -> None:
    exprs = [expr for panel_title, expr in dashboard_queries(DASHBOARD) if panel_title == title]
    assert exprs, f"no panel {title!r}"
    assert all(reads in metric_names(expr) for expr in exprs)


def test_event_lag_panel_shows_p50_p95_p99() -> None:
    exprs = [e for t, e in dashboard_queries(DASHBOARD) if t == "Event lag (sent_at to emission)"]
    quantiles = re.findall(r"histogram_quantile\(([\d.]+)", " ".join(exprs))
    assert quantiles == ["0.5", "0.95", "0.99"]


def test_grafana_variables_are_all_substituted() -> None:
    assert not [expr for _, expr in dashboard_queries(DASHBOARD) if "$" in expr]
