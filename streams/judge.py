"""The one-call entry: text + contract phase + policy → :class:`Judgement`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
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


#: Consecutive windows of a long text share this many characters, so that a detail
#: across a window boundary (a phone spelled out in words, an e-mail with "at" and
#: "dot") lies whole in one of them.
WINDOW_OVERLAP_CHARS = 500


def text_windows(
    text: str, size: int, overlap: int = WINDOW_OVERLAP_CHARS
) -> list[tuple[int, str]]:
    """(offset, part) windows of at most ``size`` characters covering all of ``text``."""
    if len(text) <= size:
        return [(0, text)]
    step = max(1, size - min(overlap, size // 2))
    starts = range(0, max(1, len(text) - size + step), step)
    return [(start, text[start : start + size]) for start in starts]


def judge(text: str, phase: str, policy: Policy, sender_country: str | None = None) -> Judgement:
    """Judge one message in the conversation's contract ``phase``.

    Every part of the text is judged, however long: text longer than
    ``policy.max_message_chars`` is read in overlapping windows of that size (the
    detectors' cost stays per window), and the findings of all windows together are
    judged as one message.  (Padding a contact detail with pages of prose hides
    nothing.)
    """
    regions = phone_regions(policy, sender_country)
    windows = text_windows(text, policy.max_message_chars)
    if len(windows) == 1:
        findings = detect(text, regions)  # deduplicated
    else:
        findings = dedup(
            replace(finding, start=finding.start + offset, end=finding.end + offset)
            for offset, part in windows
            for finding in detect(part, regions)
        )
    return _judge_deduplicated(findings, phase, policy)
