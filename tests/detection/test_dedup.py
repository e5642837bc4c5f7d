"""``engine.dedup``: (findings, kept) tables, and its one-of-each-kind fast path against
the full overlap pass on random findings."""

import random

import pytest

from streams.detection.engine import _drop_overlaps, dedup
from streams.detection.findings import Finding


def _f(kind: str, start: int, end: int, value: str = "v") -> Finding:
    return Finding(kind, start, end, value, "test")


def _reference(findings: list[Finding]) -> list[Finding]:
    """The overlap pass every list of two or more findings took before the fast path."""
    return list(findings) if len(findings) < 2 else _drop_overlaps(findings)


@pytest.mark.parametrize(
    ("findings", "kept"),
    [
        ([], []),
        ([_f("phone", 3, 9)], [_f("phone", 3, 9)]),
        ([_f("phone", 3, 9), _f("phone", 5, 9)], [_f("phone", 3, 9)]),  # the longer one
        ([_f("phone", 3, 9), _f("email", 5, 9)], [_f("phone", 3, 9), _f("email", 5, 9)]),
        ([_f("email", 5, 9), _f("phone", 0, 2)], [_f("phone", 0, 2), _f("email", 5, 9)]),
        ([_f("email", 4, 9), _f("phone", 4, 9)], [_f("email", 4, 9), _f("phone", 4, 9)]),
        ([_f("phone", 4, 4), _f("phone", 4, 4, "w")], [_f("phone", 4, 4), _f("phone", 4, 4, "w")]),
    ],
)
def test_dedup(findings: list[Finding], kept: list[Finding]) -> None:
    assert dedup(findings) == kept == _reference(findings)


@pytest.mark.parametrize("seed", range(20))
def test_dedup_matches_the_full_pass(seed: int) -> None:
    rng = random.Random(seed)
    kinds = ["phone", "email", "messaging_handle", "off_platform_intent", "payment_account"]
    for _ in range(300):
        findings = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randint(0, 30)
            findings.append(
                _f(rng.choice(kinds), start, start + rng.randint(0, 8), rng.choice("abc"))
            )
        assert dedup(findings) == _reference(findings), findings
