"""Strike counting and warning throttling against the real Redis (SPEC §3)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import redis

from streams.records import parse_time
from streams.redis_state import TTL_SLACK_SECONDS, Notice, RedisState, Strike
from streams.settings import Settings

WINDOW = 3600.0
#: A fixed event time, years from today's date: windows are event time, so the wall
#: clock must not matter (docs/POLICY.md, "Time").
T0 = parse_time("2019-03-01T12:00:00Z")


def _run(settings: Settings, work: Callable[[RedisState], Awaitable[Any]]) -> Any:
    """Run ``work`` with a RedisState under a prefix of its own."""

    async def main() -> Any:
        state = RedisState(settings.redis_url, prefix=f"t{uuid.uuid4().hex[:8]}:")
        try:
            return await work(state)
        finally:
            await state.close()

    return asyncio.run(main())


# (case, batches of (sender, event id, seconds after T0), each strike's count in the last batch)
STRIKE_CASES = [
    ("one strike", [[("alice", "e1", 0)]], [1]),
    ("two senders", [[("alice", "e1", 0), ("bob", "e2", 0)]], [1, 1]),
    (
        "strikes add up across batches",
        [[("alice", "e1", 0)], [("alice", "e2", 10), ("alice", "e3", 20)]],
        [2, 3],
    ),
    (
        "each strike is counted where it was sent",
        [[("alice", "e1", 0), ("alice", "e2", 10), ("alice", "e3", 20)]],
        [1, 2, 3],
    ),
    (
        "a redelivered violation (same event id) counts once",
        [[("alice", "e1", 0)], [("alice", "e1", 0)]],
        [1],
    ),
    (
        "a redelivered batch of same-time strikes counts the same",
        [[("u", "e1", 0), ("u", "e2", 0), ("u", "e3", 0)], [("u", "e1", 0), ("u", "e2", 0)]],
        [1, 2],
    ),
    (
        "strikes sent more than a window earlier drop out",
        [[("alice", "old", 0), ("alice", "e2", WINDOW + 60)]],
        [1, 1],
    ),
    (
        "a late message (sent before the newest strike) counts only what came before it",
        [[("alice", "e1", 0), ("alice", "e3", 600)], [("alice", "e2", 300)]],
        [2],
    ),
    (
        "a message two windows older than the newest strike finds its peers trimmed",
        [[("alice", "e1", 0), ("alice", "e9", 3 * WINDOW)], [("alice", "e2", 10)]],
        [1],
    ),
    ("senders are counted apart", [[("alice", "e1", 0)], [("bob", "e2", 0)]], [1]),
]


@pytest.mark.parametrize(
    ("batches", "expected"),
    [case[1:] for case in STRIKE_CASES],
    ids=[case[0] for case in STRIKE_CASES],
)
def test_strikes(
    settings: Settings, batches: list[list[tuple[str, str, float]]], expected: list[int]
) -> None:
    async def work(state: RedisState) -> list[int] | None:
        counts: list[int] | None = []
        for batch in batches:
            strikes = [Strike(sender, event, T0 + at) for sender, event, at in batch]
            counts = await state.record_strikes(strikes, WINDOW)
        return counts

    assert _run(settings, work) == expected


def test_strike_keys_expire_only_to_free_memory(settings: Settings) -> None:
    """Keys get a wall-clock TTL past the retention (two windows), so a quiet sender's
    keys go away; the counts themselves never look at the wall clock."""
    prefix = f"t{uuid.uuid4().hex[:8]}:"

    async def work() -> None:
        state = RedisState(settings.redis_url, prefix=prefix)
        try:
            await state.record_strikes([Strike("alice", "e1", T0)], WINDOW)
        finally:
            await state.close()

    asyncio.run(work())
    client = redis.Redis.from_url(settings.redis_url)
    try:
        for key in (f"{prefix}strikes:alice", f"{prefix}strikes:alice:arrivals"):
            assert 2 * WINDOW < client.ttl(key) <= 2 * WINDOW + TTL_SLACK_SECONDS
    finally:
        client.delete(f"{prefix}strikes:alice", f"{prefix}strikes:alice:arrivals")
        client.close()


# (case, batches of (conversation, rule, recipient, event id, seconds after T0),
#  what the last batch may send); the throttle window is 600 s
NOTICE_CASES = [
    ("the first notice is sent", [[("c1", "r", "u", "e1", 0)]], [True]),
    (
        "a second notice in the window is held back",
        [[("c1", "r", "u", "e1", 0)], [("c1", "r", "u", "e2", 60)]],
        [False],
    ),
    (
        "a notice a window later is sent",
        [[("c1", "r", "u", "e1", 0)], [("c1", "r", "u", "e2", 600)]],
        [True],
    ),
    (
        "a late notice inside a window already covered is held back",
        [[("c1", "r", "u", "e1", 600)], [("c1", "r", "u", "e2", 300)]],
        [False],
    ),
    (
        "a late notice a window before the sent one is sent",
        [[("c1", "r", "u", "e1", 1200)], [("c1", "r", "u", "e2", 0)]],
        [True],
    ),
    (
        "the same event again (a redelivery) is sent again",
        [[("c1", "r", "u", "e1", 0)], [("c1", "r", "u", "e1", 0)]],
        [True],
    ),
    (
        "other conversation, rule or recipient: sent",
        [
            [("c1", "r", "u", "e1", 0)],
            [("c2", "r", "u", "e2", 0), ("c1", "r2", "u", "e3", 0), ("c1", "r", "u2", "e4", 0)],
        ],
        [True, True, True],
    ),
    (
        "two in one batch: the first is sent",
        [[("c1", "r", "u", "e1", 0), ("c1", "r", "u", "e2", 10)]],
        [True, False],
    ),
]


@pytest.mark.parametrize(
    ("batches", "expected"),
    [case[1:] for case in NOTICE_CASES],
    ids=[case[0] for case in NOTICE_CASES],
)
def test_notice_throttling(
    settings: Settings,
    batches: list[list[tuple[str, str, str, str, float]]],
    expected: list[bool],
) -> None:
    async def work(state: RedisState) -> list[bool]:
        allowed: list[bool] = []
        for batch in batches:
            notices = [Notice(c, r, u, e, T0 + at) for c, r, u, e, at in batch]
            allowed = await state.claim_notices(notices, 600)
        return allowed

    assert _run(settings, work) == expected


def test_redis_down_counts_nothing_and_lets_notices_through() -> None:
    async def work() -> tuple[list[int] | None, list[bool]]:
        state = RedisState("redis://127.0.0.1:1/0", prefix="down:")  # nothing listens there
        try:
            counts = await state.record_strikes([Strike("alice", "e1", T0)], WINDOW)
            allowed = await state.claim_notices([Notice("c1", "r", "u", "e1", T0)], 600)
            return counts, allowed
        finally:
            await state.close()

    assert asyncio.run(work()) == (None, [True])
