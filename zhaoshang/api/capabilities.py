"""What each API operation requires, as the pages require it (``CapabilityRequiredMixin``).

Every operation that needs a user answers 403 (and writes one ``access_denied`` audit row) to a user who
lacks its capabilities, checked before the operation runs. An operation declares them with ``@requires``;
a router declares the default of its operations with ``router_requires`` (an app's ``api.py``, after its
operations). An operation that declares nothing gets the business default: reading (GET, HEAD) needs
``Cap.BUSINESS_VIEW``, anything else ``Cap.BUSINESS_CHANGE`` — so a new app's endpoints are closed to the
system, security and audit administrators unless the app says otherwise. ``ANY_USER`` opens an operation
to every authenticated user (their own account, the org tree for pickers)::

    @router.get("/rankings", ...)
    @requires(Cap.BUSINESS_VIEW, Cap.VIEW_STATS)
    def rankings(request, ...): ...

``operation_capabilities`` tells the role × operation test what each operation requires.
"""

from zhaoshang.core.errors import PermissionDenied
from zhaoshang.core.middleware import record_denied
from zhaoshang.core.roles import Cap

ANY_USER: tuple[str, ...] = ()
_ATTR = "_zs_capabilities"


class AnyOf(tuple):
    """Capabilities of which one suffices (an operation both officers and experts use: the review they share)."""


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def requires(*capabilities: str):
    """Declare the capabilities an operation requires (all of them); ``requires()`` = any user."""

    return _mark(tuple(capabilities))


def requires_any(*capabilities: str):
    """Declare that any one of ``capabilities`` suffices for an operation."""
    return _mark(AnyOf(capabilities))


def _mark(capabilities: tuple[str, ...]):
    def mark(view_func):
        setattr(view_func, _ATTR, capabilities)
        return view_func

    return mark


def satisfies(user, required: tuple[str, ...]) -> bool:
    """Whether ``user`` holds what an operation requires: all of a plain tuple, one of an ``AnyOf``."""
    if isinstance(required, AnyOf):
        return any(user.has_capability(c) for c in required)
    return all(user.has_capability(c) for c in required)


def router_requires(router, *capabilities: str, methods: frozenset[str] | None = None) -> None:
    """The default of ``router``'s operations (those that declared nothing themselves); ``methods`` limits it
    to operations of those HTTP methods."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            if methods is not None and not set(operation.methods) <= methods:
                continue
            if not hasattr(operation.view_func, _ATTR):
                setattr(operation.view_func, _ATTR, tuple(capabilities))


def declared(view_func) -> tuple[str, ...] | None:
    return getattr(view_func, _ATTR, None)


def operation_capabilities(view_func, method: str) -> tuple[str, ...]:
    capabilities = declared(view_func)
    if capabilities is not None:
        return capabilities
    return (Cap.BUSINESS_VIEW,) if method.upper() in SAFE_METHODS else (Cap.BUSINESS_CHANGE,)


def _refusal(operation, request):
    """None when the authenticated user holds the operation's capabilities, else the 403 answer."""
    user = getattr(request, "auth", None)  # set by the API's authentication; absent for auth=None operations
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    required = operation_capabilities(operation.view_func, request.method)
    if satisfies(user, required):
        return None
    exc = PermissionDenied()
    request.user = user
    record_denied(request, exc)
    return operation.api.on_exception(request, exc)


def enforce(run):
    """The API-wide decorator (``api.main``, mode "view"): after ninja's authentication and rate limits and
    before the input is read, refuse a user without the operation's capabilities — so a refused caller learns
    nothing from validation messages either."""
    operation = run.__self__
    checks = operation._run_checks

    def run_checks(request):
        return checks(request) or _refusal(operation, request)

    operation._run_checks = run_checks
    return run
