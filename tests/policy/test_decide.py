"""docs/POLICY.md's rule table: kinds found + phase → rules and decision."""

import random

import pytest

from streams.detection.findings import CONTACT_KINDS, KINDS, Finding
from streams.policy import PHASES, RuleHit, decide, decision_of, default_policy


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


def _reference_decide(findings: list[Finding], phase: str) -> list[tuple[str, str, tuple]]:
    """The rule table of docs/POLICY.md written out by hand: one filter per rule's kinds
    (the policy file's rows must say the same)."""
    before = phase in ("none", "offered")
    contact = tuple(f for f in findings if f.kind in CONTACT_KINDS)
    solicitation = tuple(
        f for f in findings if f.kind in ("contact_request", "off_platform_intent")
    )
    payment = tuple(f for f in findings if f.kind in ("off_platform_payment", "payment_account"))
    personal = tuple(f for f in findings if f.kind == "personal_info_request")
    paying = tuple(f for f in findings if f.kind == "off_platform_payment")
    hits = []
    if before and contact:
        hits.append(("contact_before_contract", "violation", contact))
    if before and not contact and solicitation:
        hits.append(("solicitation_before_contract", "warning", solicitation))
    if payment:
        hits.append(("off_platform_payment", "violation", payment))
    if before and (contact or solicitation) and (personal or paying):
        way_off = tuple(f for f in findings if f in contact or f in solicitation)
        asked = tuple(f for f in findings if f in personal or f in paying)
        hits.append(("scam_pattern", "violation", way_off + asked))
    return hits


_ALL_KINDS = sorted(KINDS)


@pytest.mark.parametrize("phase", PHASES)
def test_policy_rows_match_the_rule_table(phase: str) -> None:
    rng = random.Random(phase)
    cases = [[k] for k in _ALL_KINDS] + [
        rng.choices(_ALL_KINDS, k=rng.randint(0, 7)) for _ in range(400)
    ]
    policy = default_policy()
    for kinds in cases:
        findings = [Finding(k, i, i + 1, f"{k}{i}", "test") for i, k in enumerate(kinds)]
        hits = decide(findings, phase, policy)
        expected = _reference_decide(findings, phase)
        assert [(h.rule, h.decision, h.findings) for h in hits] == expected, kinds
        assert all(h.severity == policy.severity(h.rule) for h in hits)
        assert decision_of(hits) == max(
            (d for _, d, _ in expected),
            key=("allow", "warning", "violation").index,
            default="allow",
        )


def test_unknown_decision_is_an_error() -> None:
    hit = RuleHit("x", "maybe", "low", ())
    with pytest.raises(ValueError, match="decision"):
        decision_of([hit])
