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

# One script call per batch rather than a pipeline of four commands per violation: the
# client's cost is per command (packing and parsing each one is ~30 µs of Python), and
# the worker sends a batch of up to a thousand messages' strikes at once.  A script also
# runs atomically.
#
# KEYS: the senders' strike keys.  ARGV: cutoff score, key TTL, then per strike the
# (1-based) index of its sender's key, its score (send time) and member (event id).
# Returns each key's count after dropping strikes older than the cutoff.
_RECORD_STRIKES = """
local cutoff, ttl = ARGV[1], ARGV[2]
for i = 3, #ARGV, 3 do
  redis.call('ZADD', KEYS[tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2])
end
local counts = {}
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', cutoff)
  counts[i] = redis.call('ZCARD', key)
  redis.call('EXPIRE', key, ttl)
end
return counts
"""

# KEYS: one throttle key per notice.  ARGV: the window in seconds, then each notice's
# event id.  Returns 1 where the notice may be sent: it set the key now, or the key
# holds this very event (a redelivery); 0 where an earlier one holds the window.
_CLAIM_NOTICES = """
local allowed = {}
for i, key in ipairs(KEYS) do
  local event = ARGV[i + 1]
  if redis.call('SET', key, event, 'NX', 'EX', ARGV[1]) or redis.call('GET', key) == event then
    allowed[i] = 1
  else
    allowed[i] = 0
  end
end
return allowed
"""


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
        self._record_strikes = self._client.register_script(_RECORD_STRIKES)
        self._claim_notices = self._client.register_script(_CLAIM_NOTICES)

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
        index = {sender: position for position, sender in enumerate(senders, 1)}
        args: list[str | float | int] = [time.time() - window, int(window) + 60]
        for strike in strikes:
            args += (index[strike.sender_id], strike.at, strike.event_id)
        keys = [f"{self._prefix}strikes:{sender}" for sender in senders]
        try:
            counts = await self._record_strikes(keys=keys, args=args)
        except (RedisError, OSError) as error:
            self._failed("strikes", error)
            return {}
        return dict(zip(senders, map(int, counts), strict=True))

    async def claim_notices(self, notices: Sequence[Notice], window: int) -> list[bool]:
        """For each notice, whether it may be sent (first in its throttle window).

        When Redis is unavailable every notice may be sent: a duplicate notice is better
        than a missed one.
        """
        if not notices:
            return []
        if not self._available("throttle"):
            return [True] * len(notices)
        keys = [
            f"{self._prefix}notice:{notice.conversation_id}:{notice.rule}:{notice.recipient_id}"
            for notice in notices
        ]
        try:
            allowed = await self._claim_notices(
                keys=keys, args=[window, *(notice.event_id for notice in notices)]
            )
        except (RedisError, OSError) as error:
            self._failed("throttle", error)
            return [True] * len(notices)
        return [bool(flag) for flag in allowed]

    async def close(self) -> None:
        await self._client.aclose()
