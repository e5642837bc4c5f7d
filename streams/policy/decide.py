"""Findings plus the contract phase become rules and a decision (docs/POLICY.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from streams.detection.findings import Finding
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


def decide(findings: Sequence[Finding], phase: str, policy: Policy) -> tuple[RuleHit, ...]:
    """The rules ``findings`` fire in ``phase``: each row of the policy's ``rules``, in
    its order (a rule without ``when``, ``repeat_offender``, is the streaming layer's:
    it needs counts across conversations)."""
    if phase not in PHASES:
        raise ValueError(f"unknown contract phase {phase!r}; expected one of {', '.join(PHASES)}")
    hits: list[RuleHit] = []
    fired: set[str] = set()
    for name, rule in policy.rules.items():
        if not rule.when or phase not in rule.phases or fired.intersection(rule.unless):
            continue
        groups = [[f for f in findings if f.kind in kinds] for kinds in rule.when]
        if all(groups):
            fired.add(name)
            involved = dict.fromkeys(f for group in groups for f in group)  # once each
            hits.append(RuleHit(name, rule.decision, rule.severity, tuple(involved)))
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
