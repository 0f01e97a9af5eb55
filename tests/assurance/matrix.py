"""The role × URL matrix, generated from the URL configuration (SECURITY.md items 5 and 6).

Every URL pattern outside the API is probed as every role of ``core.roles`` and as an anonymous visitor.
What each role should get is derived from what the page declares: its view's ``capability``
(``core.permissions.CapabilityRequiredMixin``), or login only (``LoginRequiredMixin``), or nothing for the
few public pages named in ``PUBLIC``. A page added later is probed the same way without touching this file;
a page that declares no access rule at all is itself a finding.

Expected outcomes:
- anonymous: a redirect to the login page (public pages excepted);
- a role without the declared capability: 403 on GET and on POST, one ``ACCESS_DENIED`` audit row each,
  and the POST changes nothing (no change-log row); a role that sees only what is assigned to it (the
  expert) gets 404 instead outside ``ZHAOSHANG_ASSIGNED_ONLY_PAGES``, with the same audit row;
- a role with it (or a login-only page): never 403 and never a server error. Path arguments are ids that
  do not exist, so a holder gets the page, 404 or 405; a page must refuse on its capability before it
  looks the record up (otherwise a 404 would tell an outsider whether an id exists).
"""

import re
from dataclasses import dataclass

from django.contrib.auth.mixins import AccessMixin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from zhaoshang.core.middleware import assigned_only_allows
from zhaoshang.core.models import ObjectChange, SecurityEvent
from zhaoshang.core.roles import Cap

# Pages anyone may open (the login page itself; logout of a visitor does nothing).
PUBLIC = {"accounts:login", "accounts:logout"}
# URL prefixes covered elsewhere: the API by the role × operation matrix (OpenAPI schema).
EXCLUDED_PREFIXES = ("api/",)
MISSING_ID = 987654321
ARGUMENT_SAMPLES = {"int": str(MISSING_ID), "slug": "nothing-here", "str": "nothing-here", "path": "nothing-here"}


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    view: type | None
    capability: str | None
    login_required: bool

    def url(self) -> str:
        """The page's address with sample arguments (ids that do not exist)."""
        kwargs = {}
        for converter_name, arg in _arguments(self.route):
            kwargs[arg] = ARGUMENT_SAMPLES.get(converter_name, "nothing-here")
        return reverse(self.name, kwargs=kwargs)


def _arguments(route: str):
    for match in re.finditer(r"<(?:(\w+):)?(\w+)>", route):
        yield match.group(1) or "str", match.group(2)


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry.callback


def pages(urlconf=None) -> list[Page]:
    """Every named page of the URL configuration (API excluded), with its declared access rule."""
    found = []
    for route, name, callback in _walk(get_resolver(urlconf).url_patterns):
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        view = getattr(callback, "view_class", None)
        login_required = view is not None and issubclass(view, AccessMixin)
        found.append(Page(name, route, view, getattr(view, "capability", None), login_required))
    return found


def declaration_problems(found: list[Page]) -> list[str]:
    """Pages that state no access rule: unnamed (cannot be probed), function views, or classes that are
    neither login-protected nor public."""
    problems = []
    for page in found:
        if page.name is None:
            problems.append(f"{page.route}: URL pattern without a name")
        elif page.name not in PUBLIC and not page.login_required:
            problems.append(f"{page.name}: no access rule (use CapabilityRequiredMixin or LoginRequiredMixin)")
    return problems


def _counts() -> tuple[int, int]:
    denied = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).count()
    return denied, ObjectChange.objects.count()


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def probe(page: Page, user, client: Client | None = None) -> list[str]:
    """What is wrong with ``page`` for ``user`` (None: an anonymous visitor); empty when all is as declared.
    ``client``: ``user``'s logged-in client, reused across pages."""
    url = page.url()
    if user is None:
        if page.name in PUBLIC:
            return []
        response = Client().get(url)
        login = reverse("accounts:login")
        if response.status_code != 302 or not response["Location"].startswith(login):
            return [f"anonymous GET {page.name}: {response.status_code}, expected a redirect to the login page"]
        return []
    client = client or client_for(user)
    confined = user.has_capability(Cap.VIEW_ASSIGNED_ONLY) and not assigned_only_allows(url, page.name)
    refusal = 404 if confined else 403
    declared = getattr(page.view, "allows", None)
    holds = declared(user) if declared else page.capability is None or user.has_capability(page.capability)
    allowed = not confined and holds
    problems = []
    methods = ("get", "post") if hasattr(page.view, "post") else ("get",)
    for method in methods:
        before = _counts()
        response = getattr(client, method)(url)
        after = _counts()
        where = f"{user.role} {method.upper()} {page.name} ({page.capability or 'login'})"
        if response.status_code >= 500:
            problems.append(f"{where}: {response.status_code}")
        elif allowed and response.status_code == 403:
            problems.append(f"{where}: 403 though the role holds the capability")
        elif not allowed:
            if response.status_code != refusal:
                problems.append(f"{where}: {response.status_code}, expected {refusal}")
            if after != (before[0] + 1, before[1]):
                problems.append(f"{where}: audit/change rows {before} -> {after}, expected one denied row only")
        if allowed:
            break  # a holder's POST with no data is the page's own business (forms), not access control
    return problems
