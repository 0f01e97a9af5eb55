from zhaoshang.core.errors import ValidationFailed


class RuleError(ValidationFailed):
    """An invalid condition or formula: ``position`` says where (a column of the formula, a path in the
    condition such as ``and[1].>=[0]``) and the message says why, in Chinese."""

    code = "invalid_rule"
    default_message = "规则有误"

    def __init__(self, message: str, *, field: str, position: str | int | None = None):
        where = f"（位置：{position}）" if position not in (None, "") else ""
        super().__init__(
            message + where,
            fields={field: [message + where]},
            extra={"position": position, "field": field, "reason": message},
        )
        self.position = position
        self.reason = message
