"""docs/POLICY.md's rule table: kinds found + phase → rules and decision."""

import pytest

from streams.detection.findings import Finding
from streams.policy import decide, decision_of, default_policy


def _findings(kinds: str) -> list[Finding]:
    return [Finding(k, 0, 1, k, "test") for k in kinds.split()]


@pytest.mark.parametrize(
    ("kinds", "phase", "rules", "decision"),
    [
        ("phone", "none", ["contact_before_contract"], "violation"),
        ("email", "offered", ["contact_before_contract"], "violation"),
        ("phone", "active", [], "allow"),
        ("messaging_handle", "ended", [], "allow"),
        ("contact_request", "none", ["solicitation_before_contract"], "warning"),
        ("off_platform_intent", "offered", ["solicitation_before_contract"], "warning"),
        ("off_platform_intent phone", "none", ["contact_before_contract"], "violation"),
        ("off_platform_intent", "active", [], "allow"),
        ("payment_account", "active", ["off_platform_payment"], "violation"),
        ("off_platform_payment", "paused", ["off_platform_payment"], "violation"),
        ("personal_info_request", "none", [], "allow"),
        ("messaging_handle personal_info_request", "none",
         ["contact_before_contract", "scam_pattern"], "violation"),
        ("off_platform_intent off_platform_payment", "none",
         ["solicitation_before_contract", "off_platform_payment", "scam_pattern"], "violation"),
        ("off_platform_intent personal_info_request", "active", [], "allow"),
        ("", "none", [], "allow"),
    ],
)  # fmt: skip
def test_rules_and_decision(kinds: str, phase: str, rules: list[str], decision: str) -> None:
    hits = decide(_findings(kinds), phase, default_policy())
    assert [h.rule for h in hits] == rules
    assert decision_of(hits) == decision


def test_severities_come_from_the_policy() -> None:
    hits = decide(_findings("messaging_handle personal_info_request"), "none", default_policy())
    assert {h.rule: h.severity for h in hits} == {
        "contact_before_contract": "high",
        "scam_pattern": "critical",
    }


def test_unknown_phase_is_an_error() -> None:
    with pytest.raises(ValueError, match="contract phase"):
        decide([], "signed", default_policy())
