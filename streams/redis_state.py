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

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from streams.claims import Notice, Strike
from streams.metrics import REDIS_ERRORS

log = logging.getLogger(__name__)
BACKOFF_SECONDS = 2.0

# One script call per batch rather than a pipeline of commands per violation: the
# client's cost is per command (packing and parsing each one is ~30 µs of Python), and
# the worker sends a batch of up to a thousand messages' strikes at once.  A script also
# runs atomically.
#
# Event time decides (docs/POLICY.md, "Time"): a strike's score is its message's send
# time, and each strike is counted against the sender's strikes sent in the window
# before it, whatever the wall clock says.  A sender's strikes are kept for
# ``retention`` behind the newest one (the sender's stream time), so a message up to
# one window older than the newest strike is still counted exactly.  Strikes with the
# same send time count in the order they were first recorded: a hash beside the set
# keeps each member's arrival number, so a redelivered batch gives the same counts.
# The keys' TTL is wall-clock and only frees memory of senders gone quiet.
#
# KEYS: the senders' strike sets, then (same order) their arrival hashes.
# ARGV: window, retention, key TTL, then per strike the (1-based) index of its
# sender's key, its score (send time) and member (event id).
# Returns each strike's count: the sender's strikes in (score - window, score], same
# scores up to and including this one in arrival order.
_RECORD_STRIKES = """
local window, retention, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local senders = #KEYS / 2
local counts = {}
for i = 4, #ARGV, 3 do
  local set, arrivals = KEYS[tonumber(ARGV[i])], KEYS[senders + tonumber(ARGV[i])]
  local member = ARGV[i + 2]
  if redis.call('ZADD', set, 'NX', ARGV[i + 1], member) == 1 then
    redis.call('HSET', arrivals, member, redis.call('HINCRBY', arrivals, '#', 1))
  end
  local score = tonumber(redis.call('ZSCORE', set, member))
  local mine = tonumber(redis.call('HGET', arrivals, member))
  local count = redis.call('ZCOUNT', set, '(' .. (score - window), '(' .. score)
  for _, other in ipairs(redis.call('ZRANGEBYSCORE', set, score, score)) do
    if tonumber(redis.call('HGET', arrivals, other) or 0) <= mine then
      count = count + 1
    end
  end
  counts[#counts + 1] = count
end
for k = 1, senders do
  local newest = redis.call('ZRANGE', KEYS[k], -1, -1, 'WITHSCORES')
  if newest[2] then
    local horizon = '(' .. (tonumber(newest[2]) - retention)
    for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[k], '-inf', horizon)) do
      redis.call('HDEL', KEYS[senders + k], old)
    end
    redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', horizon)
  end
  redis.call('EXPIRE', KEYS[k], ttl)
  redis.call('EXPIRE', KEYS[senders + k], ttl)
end
return counts
"""

# Warning throttling in event time: one sorted set per (conversation, rule, recipient)
# of the notices sent, scored by their messages' send times.  A notice is sent unless
# another one sent lies within the window of its send time, on either side (so the
# answer for an in-order stream is "the first in its window", and a late message does
# not open a second window inside one already covered).  Trimmed like strikes.
#
# KEYS: one set per notice.  ARGV: window, retention, key TTL, then per notice its send
# time and event id.  Returns 1 where the notice may be sent (it was recorded now, or
# this very event holds it: a redelivery), 0 where another notice covers its window.
_CLAIM_NOTICES = """
local window, retention, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local allowed = {}
for i, key in ipairs(KEYS) do
  local at, event = tonumber(ARGV[2 * i + 2]), ARGV[2 * i + 3]
  if redis.call('ZSCORE', key, event) then
    allowed[i] = 1
  elseif redis.call('ZCOUNT', key, '(' .. (at - window), '(' .. (at + window)) > 0 then
    allowed[i] = 0
  else
    redis.call('ZADD', key, at, event)
    allowed[i] = 1
  end
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (tonumber(newest[2]) - retention))
  redis.call('EXPIRE', key, ttl)
end
return allowed
"""

#: State is kept this many windows behind a key's newest event time (see above).
RETENTION_WINDOWS = 2
#: Wall-clock slack on the memory-only key TTLs.
TTL_SLACK_SECONDS = 3600


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

    async def record_strikes(self, strikes: Sequence[Strike], window: float) -> list[int] | None:
        """Add violations to their senders' windows; return, for each strike in order,
        its sender's count in the window ending at its send time.

        None means Redis was unavailable.
        """
        if not strikes:
            return []
        if not self._available("strikes"):
            return None
        senders = sorted({s.sender_id for s in strikes})
        index = {sender: position for position, sender in enumerate(senders, 1)}
        retention = RETENTION_WINDOWS * window
        args: list[str | float | int] = [window, retention, int(retention) + TTL_SLACK_SECONDS]
        for strike in strikes:
            args += (index[strike.sender_id], strike.at, strike.event_id)
        sets = [f"{self._prefix}strikes:{sender}" for sender in senders]
        keys = [*sets, *(f"{key}:arrivals" for key in sets)]
        try:
            counts = await self._record_strikes(keys=keys, args=args)
        except (RedisError, OSError) as error:
            self._failed("strikes", error)
            return None
        return [int(count) for count in counts]

    async def claim_notices(self, notices: Sequence[Notice], window: float) -> list[bool]:
        """For each notice, whether it may be sent (no other notice within its window).

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
        retention = RETENTION_WINDOWS * window
        args: list[str | float | int] = [window, retention, int(retention) + TTL_SLACK_SECONDS]
        for notice in notices:
            args += (notice.at, notice.event_id)
        try:
            allowed = await self._claim_notices(keys=keys, args=args)
        except (RedisError, OSError) as error:
            self._failed("throttle", error)
            return [True] * len(notices)
        return [bool(flag) for flag in allowed]

    async def close(self) -> None:
        await self._client.aclose()
