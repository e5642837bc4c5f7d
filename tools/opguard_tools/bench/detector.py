"""``opguard bench detector``: messages per second of the full judgement on a generated
mix of marketplace messages, against phonenumbers' ``PhoneNumberMatcher`` alone on the
same messages."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import phonenumbers

from streams.judge import judge
from streams.policy.model import Policy, default_policy

_HONEST = (
    "Hi {name}, thanks for the invite. I have {years} years of experience with {tech} and "
    "can deliver the first milestone by {date}. My rate is ${rate}/hr.",
    "I reviewed the job post. For the {tech} dashboard I'd propose three milestones, "
    "about {hours} hours in total; the budget of ${budget} works for me.",
    "Could you share the Figma file or the current repository? I'd like to check the "
    "{tech} version (v{major}.{minor}.{patch}) before estimating.",
    "Sure, let's schedule a call here on Upwork tomorrow at {hour}:00. I'll prepare "
    "questions about the {tech} integration and the deadline.",
    "Invoice #{invoice} for order {order} is attached; the total is {budget} USD and "
    "delivery is planned for {date}.",
    "I built a Telegram bot and a WhatsApp Business API integration for a client last "
    "year, so the {tech} part is familiar. Zoom in on the logo, the line chart needs work.",
    "Great, I'll meet the deadline. Signal processing with {tech} is my main area; I "
    "attached samples from github.com/{name}/portfolio.",
)
_DETAILS = (
    "Let's talk on WhatsApp, my number is +1 {area} 555 {line}.",
    "Text me: nine one seven, five five five, {spelled}",
    "my email is {name} dot dev [at] gmail dot com, write there",
    "add me on telegram @{name}_pm so we can discuss faster",
    "Join here: zoom.us/j/{meeting} and we'll go through the details",
    "I'll pay you via PayPal to avoid the fees: paypal.me/{name}",
    "call me at {area}-555-{line} after 5pm",
    "t . me / {name}_work, ping me there",
    "Send the deposit to DE89 3704 0044 0532 0130 00 and we skip the fees",
)
_TECH = ("React", "Django", "Flutter", "Shopify", "Postgres", "Kotlin", "Unity", "Figma")
_NAMES = ("john", "maria", "alex", "priya", "chen", "olga", "samuel")
_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def generate(n_messages: int, seed: int) -> list[str]:
    """``n_messages`` marketplace messages, ~70% honest and ~30% with a detail."""
    rng = random.Random(seed)
    messages: list[str] = []
    for _ in range(n_messages):
        template = rng.choice(_DETAILS if rng.random() < 0.3 else _HONEST)
        line = f"{rng.randint(0, 9999):04d}"
        messages.append(
            template.format(
                name=rng.choice(_NAMES), years=rng.randint(2, 15), tech=rng.choice(_TECH),
                date=f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rate=rng.randint(20, 120), hours=rng.randint(10, 200),
                budget=rng.randint(300, 9000), major=rng.randint(1, 9), minor=rng.randint(0, 20),
                patch=rng.randint(0, 30), hour=rng.randint(8, 18),
                invoice=rng.randint(10**5, 10**7),
                order=rng.randint(10**6, 10**9), area=rng.choice(("917", "646", "415", "212")),
                line=line, spelled=", ".join(_DIGIT_WORDS[int(d)] for d in line),
                meeting=rng.randint(10**9, 10**10),
            )
        )  # fmt: skip
    return messages


_WARM_UP = 1000  # messages each side handles before the timed passes


@dataclass(frozen=True, slots=True)
class Timing:
    messages_per_second: float
    p50_ms: float
    p99_ms: float


@dataclass(frozen=True, slots=True)
class DetectorBenchResult:
    messages: int
    median_chars: float
    flagged: int
    judge: Timing
    baseline: Timing  # PhoneNumberMatcher alone

    @property
    def speedup(self) -> float:
        return self.judge.messages_per_second / self.baseline.messages_per_second


def _time(messages: Sequence[str], work: Callable[[str], object]) -> Timing:
    latencies: list[float] = []
    started = time.perf_counter()
    for message in messages:
        t0 = time.perf_counter()
        work(message)
        latencies.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Timing(len(messages) / total, statistics.median(ordered) * 1e3, p99 * 1e3)


def run(n_messages: int = 5000, seed: int = 7, policy: Policy | None = None) -> DetectorBenchResult:
    """Time the full judgement and the baseline on the same generated messages."""
    policy = policy or default_policy()
    messages = generate(n_messages, seed)
    # Warm both sides the same way on other messages of the same mix, as a worker is warm
    # after its first messages: phonenumbers' metadata and patterns, compiled regexes and
    # the per-region validity rules are one-time costs, not per-message ones.
    for message in generate(_WARM_UP, seed + 1):
        judge(message, "none", policy, "US")
        list(phonenumbers.PhoneNumberMatcher(message, "US"))
    flagged = sum(judge(m, "none", policy, "US").decision != "allow" for m in messages)
    judged = _time(messages, lambda m: judge(m, "none", policy, "US"))
    baseline = _time(
        messages,
        lambda m: list(
            phonenumbers.PhoneNumberMatcher(m, "US", leniency=phonenumbers.Leniency.VALID)
        ),
    )
    return DetectorBenchResult(
        messages=n_messages,
        median_chars=statistics.median(len(m) for m in messages),
        flagged=flagged,
        judge=judged,
        baseline=baseline,
    )


def render(result: DetectorBenchResult) -> str:
    rows = [
        f"messages: {result.messages} (median {result.median_chars:.0f} chars, "
        f"{result.flagged} flagged)",
        f"{'':<28} {'msg/s':>10} {'p50 ms':>8} {'p99 ms':>8}",
    ]
    for name, t in (
        ("full judgement", result.judge),
        ("PhoneNumberMatcher alone", result.baseline),
    ):
        rows.append(f"{name:<28} {t.messages_per_second:>10.0f} {t.p50_ms:>8.3f} {t.p99_ms:>8.3f}")
    rows.append(f"full judgement / baseline: {result.speedup:.2f}x")
    return "\n".join(rows)
