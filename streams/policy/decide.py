"""Findings plus the contract phase become rules and a decision (docs/POLICY.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from streams.detection.findings import CONTACT_KINDS, Finding
from streams.policy.model import Policy

PHASES = ("none", "offered", "active", "paused", "ended")
BEFORE_CONTRACT = frozenset({"none", "offered"})
DECISIONS = ("allow", "warning", "violation")  # least to most severe


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that fired, with the findings that made it fire."""

    rule: str
    decision: str  # "violation" | "warning"
    severity: str
    findings: tuple[Finding, ...]


_SOLICITATION_KINDS = frozenset({"contact_request", "off_platform_intent"})
_PAYMENT_KINDS = frozenset({"off_platform_payment", "payment_account"})


def decide(findings: Sequence[Finding], phase: str, policy: Policy) -> tuple[RuleHit, ...]:
    """The rules ``findings`` fire in ``phase`` (``repeat_offender`` is the streaming
    layer's: it needs counts across conversations)."""
    if phase not in PHASES:
        raise ValueError(f"unknown contract phase {phase!r}; expected one of {', '.join(PHASES)}")
    before = phase in BEFORE_CONTRACT
    # One pass sorts the findings by what they may fire, each list in findings order.
    contact: list[Finding] = []
    solicitation: list[Finding] = []
    payment: list[Finding] = []
    personal: list[Finding] = []
    paying: list[Finding] = []
    for finding in findings:
        kind = finding.kind
        if kind in CONTACT_KINDS:
            contact.append(finding)
        elif kind in _SOLICITATION_KINDS:
            solicitation.append(finding)
        elif kind in _PAYMENT_KINDS:
            payment.append(finding)
            if kind == "off_platform_payment":
                paying.append(finding)
        elif kind == "personal_info_request":
            personal.append(finding)

    hits: list[RuleHit] = []
    if before and contact:
        hits.append(
            RuleHit(
                "contact_before_contract",
                "violation",
                policy.severity("contact_before_contract"),
                tuple(contact),
            )
        )
    if before and not contact and solicitation:
        hits.append(
            RuleHit(
                "solicitation_before_contract",
                "warning",
                policy.severity("solicitation_before_contract"),
                tuple(solicitation),
            )
        )
    if payment:
        hits.append(
            RuleHit(
                "off_platform_payment",
                "violation",
                policy.severity("off_platform_payment"),
                tuple(payment),
            )
        )
    if before and (contact or solicitation) and (personal or paying):
        hits.append(
            RuleHit(
                "scam_pattern",
                "violation",
                policy.severity("scam_pattern"),
                (*contact, *solicitation, *personal, *paying),
            )
        )
    return tuple(hits)


_RANK = {decision: rank for rank, decision in enumerate(DECISIONS)}


def decision_of(hits: Sequence[RuleHit]) -> str:
    """The most severe decision among ``hits``: violation > warning > allow."""
    best = "allow"
    for hit in hits:
        decision = hit.decision
        if decision not in _RANK:
            raise ValueError(f"unknown decision {decision!r}")
        if _RANK[decision] > _RANK[best]:
            best = decision
    return best
