"""Linear-time matching and bounded input: adversarial messages return quickly."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.judge import judge
from streams.policy import default_policy

ADVERSARIAL = [
    "a" * 1_000_000,
    "1" * 100_000,
    "a@" * 500_000,
    "a." * 500_000,
    "1 " * 500_000,
    "t . " * 250_000,
    "w h a t s a p p " * 60_000,
    ("x" * 63 + "-") * 15_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: f"{t[:6]!r}x{len(t)}")
def test_adversarial_messages_are_judged_whole_in_bounded_time(text: str) -> None:
    policy = default_policy()
    started = time.perf_counter()
    judge(text, "none", policy)
    assert time.perf_counter() - started < 30


def test_100k_digits_is_not_a_phone() -> None:
    judgement = judge("1" * 100_000, "none", default_policy())
    assert not [f for f in judgement.findings if f.kind == "phone"]


@settings(max_examples=150, deadline=None)
@given(st.text(), st.sampled_from(["none", "offered", "active", "paused", "ended"]))
def test_no_unicode_input_raises(text: str, phase: str) -> None:
    judgement = judge(text, phase, default_policy())
    assert judgement.decision in ("allow", "warning", "violation")
    assert all(0 <= f.start <= f.end <= len(text) for f in judgement.findings)
