"""The client's address: one rule for the rate limits, django-axes and the audit logs.

``ZHAOSHANG_NUM_PROXIES`` says how many reverse proxies stand in front of the platform (default 0: the
address is the TCP peer, ``REMOTE_ADDR``, and ``X-Forwarded-For`` is ignored — a client can write anything
into it). Behind one nginx that *overwrites* the header (``proxy_set_header X-Forwarded-For $remote_addr``)
the setting is 1 and the address is the last entry of ``X-Forwarded-For``; behind n proxies that each append,
the n-th entry from the right. A value that is not an IP address falls back to ``REMOTE_ADDR``.
"""

import ipaddress

from django.conf import settings


def _valid(candidate: str) -> str | None:
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "ZHAOSHANG_NUM_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return _valid(forwarded[-min(proxies, len(forwarded))]) or remote


def client_ip_or_unknown(request) -> str:
    """For cache keys, which need a string."""
    return client_ip(request) or "unknown"
