"""Strike counting and warning throttling against the real Redis (SPEC §3)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import redis

from streams.redis_state import Notice, RedisState, Strike
from streams.settings import Settings

WINDOW = 3600.0
NOW = time.time()


def _run(settings: Settings, work: Callable[[RedisState], Awaitable[Any]]) -> Any:
    """Run ``work`` with a RedisState under a prefix of its own."""

    async def main() -> Any:
        state = RedisState(settings.redis_url, prefix=f"t{uuid.uuid4().hex[:8]}:")
        try:
            return await work(state)
        finally:
            await state.close()

    return asyncio.run(main())


# (case, batches of (sender, event id, seconds ago), the counts after the last batch)
STRIKE_CASES = [
    ("one strike", [[("alice", "e1", 0)]], {"alice": 1}),
    ("two senders", [[("alice", "e1", 0), ("bob", "e2", 0)]], {"alice": 1, "bob": 1}),
    (
        "strikes add up across batches",
        [[("alice", "e1", 0)], [("alice", "e2", 0), ("alice", "e3", 0)]],
        {"alice": 3},
    ),
    (
        "a redelivered violation (same event id) counts once",
        [[("alice", "e1", 0)], [("alice", "e1", 0)]],
        {"alice": 1},
    ),
    (
        "strikes older than the window drop out",
        [[("alice", "old", WINDOW + 60), ("alice", "e2", 0)]],
        {"alice": 1},
    ),
    ("senders are counted apart", [[("alice", "e1", 0)], [("bob", "e2", 0)]], {"bob": 1}),
]


@pytest.mark.parametrize(
    ("batches", "expected"),
    [case[1:] for case in STRIKE_CASES],
    ids=[case[0] for case in STRIKE_CASES],
)
def test_strikes(
    settings: Settings, batches: list[list[tuple[str, str, float]]], expected: dict[str, int]
) -> None:
    async def work(state: RedisState) -> dict[str, int]:
        counts: dict[str, int] = {}
        for batch in batches:
            strikes = [Strike(sender, event, NOW - ago) for sender, event, ago in batch]
            counts = await state.record_strikes(strikes, WINDOW)
        return counts

    assert _run(settings, work) == expected


def test_strike_keys_expire_after_the_window(settings: Settings) -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}:"

    async def work() -> None:
        state = RedisState(settings.redis_url, prefix=prefix)
        try:
            await state.record_strikes([Strike("alice", "e1", NOW)], WINDOW)
        finally:
            await state.close()

    asyncio.run(work())
    client = redis.Redis.from_url(settings.redis_url)
    try:
        ttl = client.ttl(f"{prefix}strikes:alice")
        assert WINDOW < ttl <= WINDOW + 60
    finally:
        client.delete(f"{prefix}strikes:alice")
        client.close()


# (case, batches of (conversation, rule, recipient, event id), what the last batch may send)
NOTICE_CASES = [
    ("the first notice is sent", [[("c1", "r", "u", "e1")]], [True]),
    (
        "a second notice in the window is held back",
        [[("c1", "r", "u", "e1")], [("c1", "r", "u", "e2")]],
        [False],
    ),
    (
        "the same event again (a redelivery) is sent again",
        [[("c1", "r", "u", "e1")], [("c1", "r", "u", "e1")]],
        [True],
    ),
    (
        "other conversation, rule or recipient: sent",
        [
            [("c1", "r", "u", "e1")],
            [("c2", "r", "u", "e2"), ("c1", "r2", "u", "e3"), ("c1", "r", "u2", "e4")],
        ],
        [True, True, True],
    ),
    (
        "two in one batch: the first is sent",
        [[("c1", "r", "u", "e1"), ("c1", "r", "u", "e2")]],
        [True, False],
    ),
]


@pytest.mark.parametrize(
    ("batches", "expected"),
    [case[1:] for case in NOTICE_CASES],
    ids=[case[0] for case in NOTICE_CASES],
)
def test_notice_throttling(
    settings: Settings, batches: list[list[tuple[str, str, str, str]]], expected: list[bool]
) -> None:
    async def work(state: RedisState) -> list[bool]:
        allowed: list[bool] = []
        for batch in batches:
            allowed = await state.claim_notices([Notice(*n) for n in batch], 600)
        return allowed

    assert _run(settings, work) == expected


def test_redis_down_counts_nothing_and_lets_notices_through() -> None:
    async def work() -> tuple[dict[str, int], list[bool]]:
        state = RedisState("redis://127.0.0.1:1/0", prefix="down:")  # nothing listens there
        try:
            counts = await state.record_strikes([Strike("alice", "e1", NOW)], WINDOW)
            allowed = await state.claim_notices([Notice("c1", "r", "u", "e1")], 600)
            return counts, allowed
        finally:
            await state.close()

    assert asyncio.run(work()) == ({}, [True])
