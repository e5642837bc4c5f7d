"""Floors on the labelled corpus (tests/corpus/*.jsonl, docs/POLICY.md)."""

from pathlib import Path

import pytest

from streams.evaluate import EvalReport, evaluate, load_records, render
from streams.policy import default_policy

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.jsonl"))


@pytest.fixture(scope="module")
def report() -> EvalReport:
    assert CORPUS, "tests/corpus/ holds no *.jsonl file"
    records = load_records(CORPUS[0].parent)
    return evaluate(records, default_policy())


def test_flag_recall(report: EvalReport) -> None:
    assert report.flag_recall >= 0.98, render(report)


def test_false_positive_rate_on_honest_messages(report: EvalReport) -> None:
    assert report.false_positive_rate <= 0.01, render(report)


def test_exact_decision_agreement(report: EvalReport) -> None:
    assert report.decision_agreement >= 0.95, render(report)
