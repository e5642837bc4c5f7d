"""The policy: findings plus the contract phase become rules and a decision."""

from streams.policy.decide import BEFORE_CONTRACT, PHASES, RuleHit, decide, decision_of
from streams.policy.model import (
    RULES,
    Policy,
    PolicyError,
    RulePolicy,
    default_policy,
    load_policy,
    parse_policy,
    policy_from_mapping,
)

__all__ = [
    "BEFORE_CONTRACT",
    "PHASES",
    "RULES",
    "Policy",
    "PolicyError",
    "RuleHit",
    "RulePolicy",
    "decide",
    "decision_of",
    "default_policy",
    "load_policy",
    "parse_policy",
    "policy_from_mapping",
]
