"""The variable catalogue: the defaults every county starts with, the catalogue as the engine reads it, and
the values of a project, a lead or an enterprise (read through their apps' selectors — the records are
passed in, never queried here by model)."""

from decimal import Decimal

from .engine.catalogue import CHAIN_NODE, CHOICE, DATE, INDUSTRY, NUMBER, TAGS, TOWN, Var

PROJECT_TYPES = [
    ["new", "新建"],
    ["capital_increase", "增资"],
    ["merger", "并购"],
    ["return", "返程投资"],
    ["reinvestment", "利润再投资"],
    ["joint_venture", "合资"],
    ["referral", "以商招商"],
]

# code, name, kind, unit, choices, source (what a project fills it from), note
DEFAULTS = [
    ("investment", "总投资", NUMBER, "万元", [], "total_investment", ""),
    ("fixed_asset_investment", "固定资产投资", NUMBER, "万元", [], "fixed_asset_investment", ""),
    ("foreign_actual_usd", "实际外资", NUMBER, "万美元", [], "contracted_fdi", "项目未到资时按合同外资估算"),
    ("project_type", "项目类型", CHOICE, "", PROJECT_TYPES, "project_type", ""),
    ("industry", "国民经济行业", INDUSTRY, "", [], "industry", "GB/T 4754-2017 代码，条件可按大类/中类匹配"),
    ("chain_node", "产业链节点", CHAIN_NODE, "", [], "", "产业链节点编码（产业链图谱上线后自动取值）"),
    ("tags", "企业标签", TAGS, "", [], "tags", "500强、上市、专精特新、高新技术企业等"),
    ("land_mu", "用地", NUMBER, "亩", [], "land_mu", ""),
    ("tax_per_mu", "亩均税收（承诺）", NUMBER, "万元/亩", [], "tax_per_mu", "预计年税收 ÷ 用地"),
    ("intensity", "投资强度（承诺）", NUMBER, "万元/亩", [], "intensity", "固定资产投资 ÷ 用地"),
    ("annual_output", "预计年产值", NUMBER, "万元", [], "annual_output", ""),
    ("annual_tax", "预计年税收", NUMBER, "万元", [], "annual_tax", ""),
    ("employees", "新增就业", NUMBER, "人", [], "jobs", ""),
    ("rd_share", "研发投入占比", NUMBER, "%", [], "", ""),
    ("town", "落地镇街", TOWN, "", [], "town", ""),
    ("signed_on", "签约日期", DATE, "", [], "signed_on", ""),
]


def default_rows() -> list[dict]:
    return [
        {"code": c, "name": n, "kind": k, "unit": u, "choices": ch, "source": s, "note": note, "order": i}
        for i, (c, n, k, u, ch, s, note) in enumerate(DEFAULTS, 1)
    ]


def as_engine(variables) -> dict[str, Var]:
    return {
        v.code: Var(v.code, v.name, v.kind, v.unit, tuple((str(a), str(b)) for a, b in (v.choices or [])))
        for v in variables
    }


def _per_mu(amount, land) -> Decimal | None:
    if amount is None or not land:
        return None
    return (Decimal(amount) / Decimal(land)).quantize(Decimal("0.01"))


def project_values(project, tags: list[str]) -> dict:
    """A project's values by variable code (what the lifecycle knows; the rest is the officer's to fill)."""
    signed = project.signed_actual or project.signed_planned
    return {
        "investment": project.total_investment,
        "fixed_asset_investment": project.fixed_asset_investment,
        "foreign_actual_usd": project.contracted_fdi,
        "project_type": project.project_type,
        "industry": project.industry.code if project.industry_id else None,
        "tags": tags,
        "land_mu": project.land_mu,
        "tax_per_mu": _per_mu(project.annual_tax, project.land_mu),
        "intensity": _per_mu(project.fixed_asset_investment, project.land_mu),
        "annual_output": project.annual_output,
        "annual_tax": project.annual_tax,
        "employees": Decimal(project.jobs) if project.jobs is not None else None,
        "town": project.town.name if project.town_id else None,
        "signed_on": signed.isoformat() if signed else None,
    }


def lead_values(lead, tags: list[str]) -> dict:
    return {
        "investment": lead.investment_rmb,
        "foreign_actual_usd": lead.investment_fdi,
        "project_type": lead.project_type,
        "industry": lead.industry.code if lead.industry_id else None,
        "tags": tags,
        "land_mu": lead.land_mu,
        "town": lead.preferred_town.name if lead.preferred_town_id else None,
    }


def enterprise_values(enterprise, tags: list[str]) -> dict:
    return {"industry": enterprise.industry.code if enterprise.industry_id else None, "tags": tags}
