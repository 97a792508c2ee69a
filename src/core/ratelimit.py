"""Fixed-window request counters in Django's cache, atomic and shared by every worker (see core.cache).

`hit("api:10.0.0.1", window=60)` counts one request in the current minute and returns the count so far. The
counter is created once per window (`cache.add`, a no-op when another worker created it first) and incremented
in place (`cache.incr`), so concurrent workers never lose a hit. A fixed window lets a client send up to twice
its rate across a window boundary; the limit protects the service, it is not a quota.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def parse_rate(rate: str) -> tuple[int, int]:
    """(requests, seconds) of a rate written "N/s", "N/m", "N/h" or "N/d" (or "N/5m": N per 5 minutes)."""
    periods = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        count, period = rate.strip().split("/", 1)
        multiplier, unit = period[:-1], period[-1]
        return int(count), int(multiplier or 1) * periods[unit]
    except (ValueError, KeyError):
        raise ValueError(f"invalid rate {rate!r}: expected N/s, N/m, N/h or N/d (e.g. 600/m)") from None


def window_end(*, window: int, now: float | None = None) -> float:
    """Seconds until the current window ends (when a refused client may try again)."""
    now = time.time() if now is None else now
    return window - (now % window)


def hit(key: str, *, window: int, now: float | None = None) -> int:
    """Count one hit on `key` in the current window of `window` seconds; returns the window's count so far."""
    now = time.time() if now is None else now
    bucket = f"ratelimit:{key}:{int(now // window)}"
    try:
        return cache.incr(bucket)  # the common case: the window's counter exists
    except ValueError:
        cache.add(bucket, 0, timeout=window + 1)
        return cache.incr(bucket)
