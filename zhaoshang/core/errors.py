"""The one application error and its kinds.

Services raise these; the API turns them into ``{"code", "message", "fields"}`` with the status
below, the pages into a form error or an error page. Messages are in Chinese: they reach users.
"""

from typing import Any

from django.db import InterfaceError, OperationalError


class ApplicationError(Exception):
    status = 400
    code = "error"
    default_message = "请求无法处理"

    def __init__(
        self,
        message: str | None = None,
        *,
        fields: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.fields = fields or {}
        self.extra = extra or {}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "fields": self.fields, **self.extra}


class ValidationFailed(ApplicationError):
    status = 422
    code = "invalid"
    default_message = "提交的数据有误"


class AuthenticationFailed(ApplicationError):
    status = 401
    code = "unauthenticated"
    default_message = "请先登录"


class PermissionDenied(ApplicationError):
    status = 403
    code = "forbidden"
    default_message = "您没有执行此操作的权限"


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    default_message = "记录不存在或不在您的数据范围内"


class VersionConflict(ApplicationError):
    status = 409
    code = "version_conflict"
    default_message = "该记录已被他人修改，请刷新后再改"


class RateLimited(ApplicationError):
    status = 429
    code = "rate_limited"
    default_message = "请求过于频繁，请稍后再试"


DATABASE_UNAVAILABLE = (
    "数据库暂时不可用（连接中断、只读或磁盘已满），本次操作未保存，请稍后重试；如持续出现请联系系统管理员"
)


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` says the database cannot do its work (not a bug in a query): connection lost or refused,
    a read-only database, a full disk, a lock held too long. Integrity and programming errors are the code's
    business and stay 500s."""
    return isinstance(exc, OperationalError | InterfaceError)
