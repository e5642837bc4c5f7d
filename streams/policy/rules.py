"""The rules' names: the one place they are spelled in code.

What each rule means (finding kinds, phases, decision, severity, notice) is data: a row
of ``rules`` in the policy file (``default.yaml``), explained in docs/POLICY.md.
"""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    CONTACT_BEFORE_CONTRACT = "contact_before_contract"
    SOLICITATION_BEFORE_CONTRACT = "solicitation_before_contract"
    OFF_PLATFORM_PAYMENT = "off_platform_payment"
    SCAM_PATTERN = "scam_pattern"
    REPEAT_OFFENDER = "repeat_offender"  # streaming only: strikes across conversations


RULES = tuple(rule.value for rule in Rule)
