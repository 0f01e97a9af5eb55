"""Excel exports: the 招商靶向清单 of a chain (top N per node) and a chain's nodes (the editor's Excel export)."""

import io

from django.utils import timezone

from zhaoshang.core.audit import security_event
from zhaoshang.core.models import SecurityEvent
from zhaoshang.imports.files import write_xlsx

from .models import Chain, ChainNode
from .selectors.targets import FACTOR_LABELS, node_targets

TARGET_HEADERS = ["产业链", "节点", "排名", "企业", "所在地", "总分", *FACTOR_LABELS.values(), "推荐理由", "已在跟进"]
NODE_HEADERS = ["节点代码", "上级节点代码", "节点名称", "环节", "层级", "行业小类", "关键词", "全国重点企业", "说明"]


def _target_rows(chain: Chain, nodes: list[ChainNode], top: int):
    for node in nodes:
        for rank, target in enumerate(node_targets(node=node, limit=top), start=1):
            points = {f["key"]: f["points"] for f in target["factors"]}
            yield [
                chain.name,
                node.name,
                rank,
                target["enterprise"]["name"],
                target["city"] or target["province"],
                target["score"],
                *(points.get(k, 0) for k in FACTOR_LABELS),
                target["reason"],
                "是" if target["in_pipeline"] else "",
            ]


def targets_xlsx(*, chain: Chain, nodes: list[ChainNode], top: int, user, request=None) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    count = write_xlsx(buffer, [("招商靶向清单", TARGET_HEADERS, _target_rows(chain, nodes, top))])
    security_event(
        SecurityEvent.Kind.EXPORT,
        user=user,
        request=request,
        object_repr=f"招商靶向清单·{chain.name}",
        detail={"rows": count, "nodes": [n.pk for n in nodes]},
    )
    return buffer.getvalue(), count


def chain_xlsx(*, chain: Chain) -> bytes:
    nodes = chain.nodes.select_related("parent").order_by("level", "sort_order", "id")
    rows = (
        [
            n.code,
            n.parent.code if n.parent_id else "",
            n.name,
            n.get_segment_display(),
            n.level,
            "、".join(n.industry_codes),
            "、".join(n.keywords),
            "、".join(n.key_enterprise_names),
            n.description,
        ]
        for n in nodes
    )
    edges = ([e.source.code, e.target.code] for e in chain.edges.select_related("source", "target"))
    buffer = io.BytesIO()
    write_xlsx(buffer, [("节点", NODE_HEADERS, rows), ("供应关系", ["供应方节点代码", "需求方节点代码"], edges)])
    return buffer.getvalue()


def filename(stem: str) -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
