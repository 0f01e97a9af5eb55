"""Who is acting, from where: set per request by the middleware, read by the change log.

Tasks and commands run outside a request; they get an empty context (no IP, a fresh request id) and no
request memo.
"""

import contextvars
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    user_agent: str = ""
    # What the request has read once and reuses (e.g. the kinds of records shared with a user, core.scope);
    # whoever writes what a memo entry was read from drops it.
    memo: dict = field(default_factory=dict, compare=False, repr=False)


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("zs_request", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    return ctx if ctx is not None else RequestContext()


def request_memo() -> dict | None:
    """The current request's memo; None outside a request (then nothing is kept between calls)."""
    ctx = _current.get()
    return ctx.memo if ctx is not None else None


def activate(ctx: RequestContext) -> contextvars.Token:
    return _current.set(ctx)


def deactivate(token: contextvars.Token) -> None:
    _current.reset(token)
