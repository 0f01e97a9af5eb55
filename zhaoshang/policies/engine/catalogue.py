"""The variable catalogue as the engine sees it: code, name, type, unit, choices. The database keeps it
(``models.Variable``, editable per county); the engine takes plain ``Var`` values."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .formulas import fmt

NUMBER, CHOICE, INDUSTRY, CHAIN_NODE, TAGS, DATE, TOWN = (
    "number",
    "choice",
    "industry",
    "chain_node",
    "tags",
    "date",
    "town",
)
KINDS = (
    (NUMBER, "数值"),
    (CHOICE, "选项"),
    (INDUSTRY, "国民经济行业"),
    (CHAIN_NODE, "产业链节点"),
    (TAGS, "企业标签"),
    (DATE, "日期"),
    (TOWN, "镇街/园区"),
)


@dataclass(frozen=True)
class Var:
    code: str
    name: str
    kind: str
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def label_of(self, value) -> str:
        """A value as people read it: a choice's label, a number with its unit, tags joined."""
        if value is None or value == "" or value == []:
            return "未填写"
        if self.kind == NUMBER:
            return f"{fmt(value)} {self.unit}".strip()
        if self.kind == CHOICE:
            return dict(self.choices).get(value, str(value))
        if self.kind == TAGS:
            return "、".join(value) if isinstance(value, list | tuple) else str(value)
        return str(value)


def coerce(var: Var, raw):
    """A raw input (form text, JSON) as the engine's value for ``var``; ``ValueError`` with a Chinese reason."""
    if raw is None or raw == "" or raw == []:
        return None
    if var.kind == NUMBER:
        try:
            value = Decimal(str(raw).replace(",", "").strip())
        except InvalidOperation as exc:
            raise ValueError(f"{var.name}须为数字") from exc
        if not value.is_finite() or abs(value) >= Decimal("1e13"):
            raise ValueError(f"{var.name}超出范围")
        return value
    if var.kind == DATE:
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        try:
            return datetime.date.fromisoformat(str(raw)).isoformat()
        except ValueError as exc:
            raise ValueError(f"{var.name}须为日期（如 2026-01-31）") from exc
    if var.kind == TAGS:
        items = raw if isinstance(raw, list | tuple) else str(raw).replace("，", ",").split(",")
        return [str(item).strip() for item in items if str(item).strip()]
    if var.kind == CHOICE:
        value = str(raw).strip()
        codes = {code for code, _ in var.choices}
        by_label = {label: code for code, label in var.choices}
        if value in codes:
            return value
        if value in by_label:
            return by_label[value]
        raise ValueError(f"{var.name}须为以下之一：{'、'.join(label for _, label in var.choices)}")
    return str(raw).strip()[:100]


def coerce_all(catalogue: dict[str, Var], raw: dict) -> tuple[dict, dict[str, list[str]]]:
    """Every known variable of ``raw`` coerced; unknown names and bad values as field errors."""
    values, errors = {}, {}
    for name, value in (raw or {}).items():
        var = catalogue.get(name)
        if var is None:
            errors[name] = [f"未知变量 {name}"]
            continue
        try:
            values[name] = coerce(var, value)
        except ValueError as exc:
            errors[name] = [str(exc)]
    return values, errors
