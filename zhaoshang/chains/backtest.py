"""The backtest of the target ranking: rank with only what was known before ``cutoff`` and check where the
enterprises that became leads or signed projects after it stood — against "largest registered capital first".

Per chain: the candidates are the non-local enterprises linked to its nodes that were not yet in the pipeline at
the cutoff; an enterprise's score is its best target score over the chain's nodes. Relevant = got a lead
(registered on/after the cutoff) or signed a project (signed on/after it). Metrics: precision@10, precision@50,
recall@50 and NDCG@50 (binary relevance).
"""

import math
from datetime import date

from zhaoshang.core.text import uscc_is_generated
from zhaoshang.enterprises import selectors as enterprises
from zhaoshang.leads import selectors as leads
from zhaoshang.projects import selectors as projects

from .models import Chain
from .selectors.targets import node_targets


def _metrics(ranking: list[int], relevant: set[int]) -> dict[str, float]:
    def precision(k):
        return sum(1 for pk in ranking[:k] if pk in relevant) / k

    dcg = sum(1 / math.log2(i + 2) for i, pk in enumerate(ranking[:50]) if pk in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), 50)))
    return {
        "p10": precision(10),
        "p50": precision(50),
        "r50": (sum(1 for pk in ranking[:50] if pk in relevant) / len(relevant)) if relevant else 0.0,
        "ndcg50": dcg / ideal if ideal else 0.0,
    }


def became_pipeline(region_id: int, ids, cutoff: date) -> set[int]:
    """Enterprises (of ``ids``) that got a lead or signed a project on or after ``cutoff``."""
    found = {
        r["enterprise_id"]
        for r in leads.lead_facts(region_id=region_id, enterprise_ids=ids)
        if r["registered_on"] >= cutoff
    }
    for row in projects.project_facts(region_id=region_id, enterprise_ids=ids):
        if row["signed_actual"] and row["signed_actual"] >= cutoff:
            found.add(row["investor_id"])
    return found


def chain_backtest(*, chain: Chain, cutoff: date) -> dict:
    best: dict[int, dict] = {}
    for node in chain.nodes.filter(level__gte=2).select_related("chain"):
        for target in node_targets(node=node, limit=None, cutoff=cutoff):
            pk = target["enterprise"]["id"]
            if target["in_pipeline"]:
                continue  # already a lead or a project before the cutoff: not a new target
            if pk not in best or target["score"] > best[pk]["score"]:
                best[pk] = target
    ids = set(best)
    relevant = became_pipeline(chain.region_id, ids, cutoff) & ids
    model = sorted(ids, key=lambda pk: (-best[pk]["score"], -best[pk]["capital"], pk))
    baseline = sorted(ids, key=lambda pk: (-best[pk]["capital"], pk))
    profiles = enterprises.enterprise_profiles(ids=relevant)
    synthetic = sum(1 for p in profiles.values() if uscc_is_generated(p["credit_code"] or ""))
    return {
        "chain": chain.name,
        "candidates": len(ids),
        "relevant": len(relevant),
        "synthetic": synthetic,
        "model": _metrics(model, relevant),
        "baseline": _metrics(baseline, relevant),
    }


def backtest(*, region_id: int, cutoff: date) -> list[dict]:
    return [chain_backtest(chain=c, cutoff=cutoff) for c in Chain.objects.filter(region_id=region_id)]


def render(results: list[dict], cutoff: date) -> str:
    lines = [
        f"招商靶向回测（截止日 {cutoff:%Y-%m-%d}：只用截止日前已知的信息排序；"
        "相关 = 截止日后登记线索或签约项目的企业）",
        f"{'产业链':<10}{'候选':>6}{'相关':>6}  {'P@10':>11}{'P@50':>11}{'R@50':>11}{'NDCG@50':>11}",
        f"{'':<10}{'':>6}{'':>6}  {'模型/基线':>11}",
    ]
    total_rel = total_syn = 0
    for r in results:
        m, b = r["model"], r["baseline"]
        cells = "".join(f"{m[k]:>6.2f}/{b[k]:<4.2f}" for k in ("p10", "p50", "r50", "ndcg50"))
        lines.append(f"{r['chain']:<10}{r['candidates']:>6}{r['relevant']:>6}  {cells}")
        total_rel += r["relevant"]
        total_syn += r["synthetic"]
    lines.append("基线：注册资本从大到小。模型：节点匹配、规模与榜单、成长与意向、区位、本地关联的加权得分。")
    if total_syn:
        lines.append(
            f"注意：{total_rel} 家相关企业中有 {total_syn} 家属于合成演示数据（生成的统一社会信用代码），"
            "其意向信号与后续投资为演示生成，回测数字仅说明方法，不代表真实效果。"
        )
    return "\n".join(lines)
