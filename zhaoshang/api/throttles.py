"""The API's rate limits: ninja's throttles with the platform's client address (``core.client``).

Counters live in the default cache, which is shared by every worker process (the database cache, or
Redis when ``REDIS_URL`` is set), so a limit of 10 a minute is 10 in all, not 10 per gunicorn worker.
Use these classes rather than ninja's: ninja's own would read ``X-Forwarded-For`` by its own rule.
Give each limit its own ``scope`` so that two endpoints do not share one counter.
"""

from ninja.throttling import SimpleRateThrottle

from zhaoshang.core.client import client_ip_or_unknown


class _Throttle(SimpleRateThrottle):
    def __init__(self, rate: str, *, scope: str) -> None:
        self.scope = scope
        super().__init__(rate)

    def get_ident(self, request):
        return client_ip_or_unknown(request)


class AddressRateThrottle(_Throttle):
    """Per client address, whoever is calling (the token endpoint)."""

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PerUserRateThrottle(_Throttle):
    """Per user when authenticated, else per client address."""

    def get_cache_key(self, request):
        user = getattr(request, "user", None)
        ident = f"u{user.pk}" if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
