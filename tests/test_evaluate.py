from pathlib import Path

from streams.evaluate import evaluate, load_records, render
from streams.policy import default_policy

SAMPLE = Path(__file__).parent / "fixtures" / "eval_sample.jsonl"


def test_evaluate_counts_agreement_recall_and_misjudged_lines() -> None:
    report = evaluate(load_records(SAMPLE), default_policy())
    assert report.total == 5
    assert report.agreed == 4
    assert report.flag_recall == 2 / 3
    assert report.false_positive_rate == 0.0
    assert [m.id for m in report.misjudged] == ["fx-missed-on-purpose"]
    assert report.rules["contact_before_contract"].recall == 1.0
    assert report.kinds["contact_request"].recall == 0.0


def test_render_lists_rules_kinds_and_misjudged_lines() -> None:
    text = render(evaluate(load_records(SAMPLE), default_policy()))
    assert "decision agreement: 0.800 (4/5)" in text
    assert "contact_before_contract" in text
    assert "payment_account" in text
    assert "fx-missed-on-purpose" in text


def test_report_gives_figures_per_language_and_category() -> None:
    report = evaluate(load_records(SAMPLE), default_policy())
    assert sum(g.lines for g in report.langs.values()) == 5
    assert sum(g.lines for g in report.categories.values()) == 5
    missed = sum(g.flagged_expected - g.flagged_caught for g in report.categories.values())
    assert missed == 1
    text = render(report)
    assert "language" in text and "category" in text
