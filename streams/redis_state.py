"""Cross-partition state in Redis: strikes per sender, warning throttling.

Redis is advisory: when it is unreachable the worker goes on (no repeat-offender
escalation, warnings not throttled), counts each failure in
``opguard_redis_errors_total`` and logs it, and skips Redis for a short back-off so a
dead server costs nothing per message.  Recovery is automatic: the next call after the
back-off tries again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from streams.metrics import REDIS_ERRORS

log = logging.getLogger(__name__)
BACKOFF_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Strike:
    sender_id: str
    event_id: str  # member of the sender's set: a redelivered violation counts once
    at: float


@dataclass(frozen=True, slots=True)
class Notice:
    conversation_id: str
    rule: str
    recipient_id: str
    event_id: str


class RedisState:
    def __init__(self, url: str, prefix: str) -> None:
        self._client = aioredis.Redis.from_url(
            url,
            socket_timeout=0.5,
            socket_connect_timeout=0.5,
            retry_on_timeout=False,
            health_check_interval=30,
        )
        self._prefix = prefix
        self._down_until = 0.0

    def _available(self, operation: str) -> bool:
        if time.monotonic() < self._down_until:
            REDIS_ERRORS.labels(operation).inc()
            return False
        return True

    def _failed(self, operation: str, error: Exception) -> None:
        REDIS_ERRORS.labels(operation).inc()
        if time.monotonic() >= self._down_until:
            log.warning(
                "redis %s failed (%s); going on without it for %.0fs",
                operation,
                error,
                BACKOFF_SECONDS,
            )
        self._down_until = time.monotonic() + BACKOFF_SECONDS

    async def record_strikes(self, strikes: Sequence[Strike], window: float) -> dict[str, int]:
        """Add violations to each sender's sliding window; return each sender's count.

        An empty result means Redis was unavailable.
        """
        if not strikes or not self._available("strikes"):
            return {}
        senders = sorted({s.sender_id for s in strikes})
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for strike in strikes:
                    key = f"{self._prefix}strikes:{strike.sender_id}"
                    pipe.zadd(key, {strike.event_id: strike.at})
                for sender in senders:
                    key = f"{self._prefix}strikes:{sender}"
                    pipe.zremrangebyscore(key, "-inf", time.time() - window)
                    pipe.zcard(key)
                    pipe.expire(key, int(window) + 60)
                results = await pipe.execute()
        except (RedisError, OSError) as error:
            self._failed("strikes", error)
            return {}
        counts = results[len(strikes) :]
        return {sender: int(counts[3 * i + 1]) for i, sender in enumerate(senders)}

    async def claim_notices(self, notices: Sequence[Notice], window: int) -> list[bool]:
        """For each notice, whether it may be sent (first in its throttle window).

        When Redis is unavailable every notice may be sent: a duplicate notice is better
        than a missed one.
        """
        if not notices:
            return []
        if not self._available("throttle"):
            return [True] * len(notices)
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for notice in notices:
                    key = (
                        f"{self._prefix}notice:{notice.conversation_id}:{notice.rule}:"
                        f"{notice.recipient_id}"
                    )
                    pipe.set(key, notice.event_id, nx=True, ex=window)
                    pipe.get(key)
                results = await pipe.execute()
        except (RedisError, OSError) as error:
            self._failed("throttle", error)
            return [True] * len(notices)
        # Sent if we set the key now, or it holds this very event (a redelivery).
        allowed = []
        for index, notice in enumerate(notices):
            was_set, holder = results[2 * index], results[2 * index + 1]
            allowed.append(bool(was_set) or holder == notice.event_id.encode())
        return allowed

    async def close(self) -> None:
        await self._client.aclose()
