"""Excel exports: the 招商靶向清单 of a chain (top N per node) and a chain's nodes (the editor's Excel export)."""

import io

from django.utils import timezone

from zhaoshang.core.audit import security_event
from zhaoshang.core.models import SecurityEvent
from zhaoshang.imports.files import write_xlsx

from .models import Chain, ChainNode, Segment
from .selectors.targets import FACTOR_LABELS, node_targets
from .services.common import chain_data

TARGET_HEADERS = ["产业链", "节点", "排名", "企业", "所在地", "总分", *FACTOR_LABELS.values(), "推荐理由", "已在跟进"]


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
    """The chain as the workbook ``importers.ChainImporter`` reads back (节点, 供应关系, 产业链): export → import
    gives the same chain."""
    from .importers import (  # cycle: importers → services → exports
        CHAIN,
        CHAIN_COLUMNS,
        EDGE_COLUMNS,
        EDGES,
        NODE_COLUMNS,
        NODES,
    )

    data = chain_data(chain)
    segments = dict(Segment.choices)
    nodes = (
        [
            n["code"],
            n["parent"] or "",
            segments[n["segment"]],
            n["name"],
            n["description"],
            "、".join(n["industry_codes"]),
            "、".join(n["keywords"]),
            "、".join(n["key_enterprises"]),
            n["responsible_unit"],
        ]
        for n in data["nodes"]
    )
    head = [[chain.code, chain.name, chain.get_kind_display(), chain.description, data["responsible_unit"]]]
    buffer = io.BytesIO()
    write_xlsx(
        buffer,
        [
            (NODES, [c.header for c in NODE_COLUMNS], nodes),
            (EDGES, [c.header for c in EDGE_COLUMNS], data["edges"]),
            (CHAIN, [c.header for c in CHAIN_COLUMNS], head),
        ],
    )
    return buffer.getvalue()


def filename(stem: str) -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
