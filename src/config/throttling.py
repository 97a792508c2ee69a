"""A request-rate limit on the JSON API, per client address (settings.API_ANON_RATE, e.g. "600/m"; empty: off).

The rate is read at each request so a deployment (or a test) can change it without rebuilding the API. The
counters are `core.ratelimit` fixed windows in Django's cache, which is the database by default (CACHE_URL):
shared and atomic across every worker process and host — see docs/operations.md.
"""

from django.conf import settings
from ninja.throttling import BaseThrottle

from core import ratelimit


class ApiRateThrottle(BaseThrottle):
    def allow_request(self, request) -> bool:
        rate = settings.API_ANON_RATE
        if not rate:
            return True
        limit, window = ratelimit.parse_rate(rate)
        # Every caller is counted by address, logged in or not: the limit protects the service, not an account.
        return ratelimit.hit(f"api:{self.get_ident(request)}", window=window) <= limit

    def wait(self) -> float | None:
        _limit, window = ratelimit.parse_rate(settings.API_ANON_RATE)
        return ratelimit.window_end(window=window)
