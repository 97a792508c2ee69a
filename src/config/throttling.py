"""A request-rate limit on the JSON API, per client address (settings.API_ANON_RATE, e.g. "600/m"; empty: off).

The rate is read at each request so a deployment (or a test) can change it without rebuilding the API. Counters
live in Django's cache: per process with the default local-memory cache, shared by every worker once a shared
cache (Redis, memcached) is configured — see docs/operations.md.
"""

from django.conf import settings
from ninja.throttling import AnonRateThrottle


class ApiRateThrottle(AnonRateThrottle):
    scope = "api"

    def __init__(self):
        self.rate, self.num_requests, self.duration = None, None, None

    def allow_request(self, request) -> bool:
        rate = settings.API_ANON_RATE
        if not rate:
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_cache_key(self, request) -> str:
        # Every caller is counted by address, logged in or not: the limit protects the service, not an account.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
