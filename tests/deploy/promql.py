"""The PromQL of opguard's dashboard and Prometheus rules, for tests to check.

``dashboard_queries`` and ``rule_expressions`` list every expression with where it comes
from; ``metric_names`` lists the series an expression reads.  A regex reading is enough
here (no PromQL parser is packaged for Python): the expressions are our own, and
``promtool check rules`` validates their syntax in test_prometheus_files.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

#: What the dashboard's Grafana variables become when a query runs outside Grafana.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$instance": ".*"}

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_LABEL_LISTS = re.compile(
    r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", re.IGNORECASE
)
_IDENTIFIER = re.compile(r"(?<![\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])(?!\s*\()")
_KEYWORDS = frozenset(
    {
        "and",
        "or",
        "unless",
        "bool",
        "offset",
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "inf",
        "nan",
    }
)


def dashboard_queries(path: Path | str) -> list[tuple[str, str]]:
    """(panel title, expression) for every query of a Grafana dashboard, in panel order,
    with Grafana's variables replaced by values Prometheus accepts."""
    dashboard = json.loads(Path(path).read_text("utf-8"))
    queries = []
    for panel in _panels(dashboard.get("panels", [])):
        for target in panel.get("targets", []):
            expr = target["expr"]
            for variable, value in GRAFANA_VARIABLES.items():
                expr = expr.replace(variable, value)
            queries.append((panel["title"], expr))
    return queries


def rule_expressions(paths: Iterable[Path | str]) -> list[tuple[str, str]]:
    """(recorded series or alert name, expression) for every rule of the rule files."""
    return [
        (rule.get("record") or rule["alert"], rule["expr"])
        for path in paths
        for rule in rules(path)
    ]


def rules(path: Path | str) -> list[dict[str, Any]]:
    """Every rule of a Prometheus rule file, all groups together."""
    document = yaml.safe_load(Path(path).read_text("utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def metric_names(expr: str) -> set[str]:
    """Names of the series an expression selects (metric and recording-rule names)."""
    bare = _STRINGS.sub('""', expr)
    for pattern in (_MATCHERS, _RANGES, _LABEL_LISTS):
        bare = pattern.sub(" ", bare)
    return {name for name in _IDENTIFIER.findall(bare) if name.lower() not in _KEYWORDS}


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))  # panels inside collapsed rows
