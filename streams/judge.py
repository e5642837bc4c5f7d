"""The one-call entry: text + contract phase + policy → :class:`Judgement`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from streams.detection.engine import dedup, detect
from streams.detection.findings import Finding
from streams.policy.decide import PHASES, RuleHit, decide, decision_of
from streams.policy.model import Policy

__all__ = ["Judgement", "RuleHit", "judge", "judge_findings", "phone_regions"]

_REGION_ALIASES = {"UK": "GB", "EL": "GR"}


@dataclass(frozen=True, slots=True)
class Judgement:
    decision: str  # "violation" | "warning" | "allow"
    rules: tuple[RuleHit, ...]
    findings: tuple[Finding, ...]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(hit.rule for hit in self.rules)


def phone_regions(policy: Policy, sender_country: str | None) -> tuple[str, ...]:
    """The regions to read phone numbers in: the sender's country first (if phonenumbers
    knows it), then the policy's list."""
    return _regions(policy.phone_regions, sender_country)


@lru_cache(maxsize=1024)
def _regions(policy_regions: tuple[str, ...], sender_country: str | None) -> tuple[str, ...]:
    regions = list(policy_regions)
    if sender_country:
        country = sender_country.strip().upper()
        country = _REGION_ALIASES.get(country, country)
        if country in phonenumbers.SUPPORTED_REGIONS:
            regions = [country, *(r for r in regions if r != country)]
    return tuple(regions)


def judge_findings(findings: Iterable[Finding], phase: str, policy: Policy) -> Judgement:
    """Judge already detected findings (e.g. a detail split across messages)."""
    return _judge_deduplicated(dedup(findings), phase, policy)


# What nothing kept is judged (a frozen value: one instance serves every message).
_ALLOW = Judgement("allow", (), ())


def _judge_deduplicated(findings: Iterable[Finding], phase: str, policy: Policy) -> Judgement:
    kept = tuple(f for f in findings if not policy.is_allowed(f))
    if not kept and phase in PHASES:  # nothing kept fires no rule
        return _ALLOW
    hits = decide(kept, phase, policy)  # also rejects an unknown phase
    return Judgement(decision_of(hits), hits, kept)


def judge(text: str, phase: str, policy: Policy, sender_country: str | None = None) -> Judgement:
    """Judge one message in the conversation's contract ``phase``.

    The whole text is judged, however long (up to the record size limit): the engine is
    linear in the text, and padding a contact detail with pages of prose hides nothing.
    """
    findings = detect(text, phone_regions(policy, sender_country))  # deduplicated
    return _judge_deduplicated(findings, phase, policy)
