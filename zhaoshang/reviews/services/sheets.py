"""The two starting sheets of a county (a 亩均论英雄-style sheet and a foreign-investment sheet), version 1 of
the rubrics ``rubrics.ensure_starting_rubrics`` creates; the administrator edits them into later versions."""

from decimal import Decimal

from ..models import Decision

DEFAULT_BANDS = [
    {"min": 85, "outcome": Decision.Outcome.RECOMMEND.value},
    {"min": 70, "outcome": Decision.Outcome.CONDITIONAL.value},
    {"min": 60, "outcome": Decision.Outcome.DEFER.value},
    {"min": 0, "outcome": Decision.Outcome.REJECT.value},
]
ONE = Decimal("0.1")


def _bands(max_points: int, texts: list[str]) -> list[dict]:
    """Anchored descriptions over equal score ranges, best first."""
    step = Decimal(max_points) / len(texts)
    out = []
    for i, text in enumerate(texts):
        high = Decimal(max_points) - step * i
        out.append({"min": float((high - step).quantize(ONE)), "max": float(high.quantize(ONE)), "text": text})
    return out


def _score(code, title, points, texts):
    return {"code": code, "title": title, "kind": "score", "max": points, "bands": _bands(points, texts)}


def _objective(code, title, points, indicator, full_at, **extra):
    return {
        "code": code,
        "title": title,
        "kind": "objective",
        "max": points,
        "indicator": indicator,
        "full_at": full_at,
        **extra,
    }


def _veto(code, title, indicator="", floor=None):
    return {"code": code, "title": title, "kind": "veto", "max": 0, "indicator": indicator, "floor": floor}


MU_JUN = {
    "sections": [
        {
            "title": "一票否决",
            "items": [
                _veto("V1", "属高耗能、高排放且不在允许清单内"),
                _veto("V2", "触及安全生产、生态环境红线"),
                _veto("V3", "预计亩均税收低于标准地底线（15万元/亩）", "tax_per_mu", 15),
            ],
        },
        {
            "title": "亩均效益（客观指标）",
            "items": [
                _objective("O1", "固定资产投资强度（满分线 300万元/亩）", 15, "investment_intensity", 300),
                _objective("O2", "预计亩均税收（满分线 30万元/亩）", 15, "tax_per_mu", 30),
                _objective("O3", "预计亩均产值（满分线 500万元/亩）", 10, "output_per_mu", 500),
            ],
        },
        {
            "title": "专家评议",
            "items": [
                _score(
                    "S1",
                    "产业契合度（主导产业、产业链补链强链）",
                    15,
                    ["高度契合主导产业或填补链条空白", "与主导产业相关", "关联较弱", "与本地产业无关"],
                ),
                _score("S2", "技术先进性与研发投入", 15, ["国内领先、研发投入≥3%", "行业先进", "一般水平", "技术落后"]),
                _score(
                    "S3", "投资方实力与诚信", 15, ["行业龙头、信用良好", "实力较强", "实力一般", "实力弱或有失信记录"]
                ),
                _score("S4", "节能环保与安全", 15, ["清洁生产、能耗优于标准", "符合标准", "需整改后达标", "难以达标"]),
            ],
        },
    ],
    "bands": DEFAULT_BANDS,
    "spread": 15,
}

FOREIGN = {
    "sections": [
        {
            "title": "一票否决",
            "items": [
                _veto("V1", "属外商投资准入负面清单禁止类"),
                _veto("V2", "触及安全生产、生态环境红线"),
            ],
        },
        {
            "title": "外资与规模（客观指标）",
            "items": [
                _objective("O1", "合同外资（满分线 3000万美元）", 20, "contracted_fdi", 3000),
                _objective("O2", "总投资（满分线 10亿元）", 10, "total_investment", 100000),
                _objective("O3", "固定资产投资强度（满分线 300万元/亩）", 10, "investment_intensity", 300),
            ],
        },
        {
            "title": "专家评议",
            "items": [
                _score(
                    "S1",
                    "外资到位可行性与时间安排",
                    20,
                    ["资金来源清晰、一年内到位", "基本可行", "存在不确定性", "难以到位"],
                ),
                _score(
                    "S2",
                    "投资方背景（世界500强、行业地位）",
                    15,
                    ["世界500强或行业龙头", "知名跨国企业", "一般外资企业", "背景不明"],
                ),
                _score("S3", "产业契合与技术溢出", 15, ["带动本地产业链升级", "有一定带动", "带动有限", "无带动"]),
                _score("S4", "合规与风险", 10, ["无风险", "风险可控", "风险较大", "风险很大"]),
            ],
        },
    ],
    "bands": DEFAULT_BANDS,
    "spread": 15,
}

STARTING_SHEETS = [
    ("亩均论英雄项目评分表", "参照“亩均论英雄”与标准地指标的100分制评分表", MU_JUN),
    ("外资项目评分表", "外商投资项目的100分制评分表", FOREIGN),
]
