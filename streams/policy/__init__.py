"""The policy: findings plus the contract phase become rules and a decision."""

from streams.policy.decide import BEFORE_CONTRACT, PHASES, RuleHit, decide, decision_of
from streams.policy.model import (
    Policy,
    PolicyError,
    RulePolicy,
    default_policy,
    load_policy,
    parse_policy,
    policy_from_mapping,
)
from streams.policy.rules import RULES, Rule

__all__ = [
    "BEFORE_CONTRACT",
    "PHASES",
    "RULES",
    "Policy",
    "PolicyError",
    "Rule",
    "RuleHit",
    "RulePolicy",
    "decide",
    "decision_of",
    "default_policy",
    "load_policy",
    "parse_policy",
    "policy_from_mapping",
]
