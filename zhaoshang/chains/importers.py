"""Import of one chain from Excel (kind ``chains``), the workbook the chain editor exports: sheet 节点 (one row per
node), sheet 供应关系 (one row per supplies-to edge) and sheet 产业链 (the chain's code and name, one row).

The file is one whole: every bad row is refused with the sheet, row and column it is in (an unknown parent, a
duplicate code, an unknown industry class, an edge to a node not in the file, a supplies-to cycle with the path
that closes it) and then nothing is written, in every mode. A clean file replaces the chain of that code in the
importer's county (or creates it) through ``services.chain_import``: nodes of the same code keep their id and
links, the previous version stays in the version history — the same write as the JSON import.
"""

import re
from typing import Any

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core import parsers
from zhaoshang.core.models import Industry
from zhaoshang.imports.engine import (
    CellError,
    Column,
    Importer,
    ParsedRow,
    Sheet,
    parse_choice,
    parse_text,
    register,
)
from zhaoshang.imports.files import UploadRejected, write_xlsx

from . import services
from .graph import find_path
from .models import Chain, Segment

NODES, EDGES, CHAIN = "节点", "供应关系", "产业链"
MAX_LEVEL = 3
_SEPARATORS = re.compile(r"[、,，;；\n]+")


def split_words(value: str) -> list[str]:
    return [w.strip() for w in _SEPARATORS.split(value or "") if w.strip()]


def _words(max_length: int):
    def parse(value: str) -> list[str]:
        words = split_words(value)
        too_long = [w for w in words if len(w) > max_length]
        if too_long:
            raise CellError(f"“{too_long[0]}”超过 {max_length} 个字")
        return words

    return parse


def _industry_codes(value: str) -> list[str]:
    """GB/T 4754-2017 codes separated by 、 (their existence is checked in ``match``, all in one query, so that
    the node's row stays known to the edges that name it)."""
    return [parsers.industry_code(word) for word in split_words(value)]


NODE_COLUMNS = [
    Column("code", "节点代码", required=True, help="本链内唯一，如 nev.up", parse=parse_text(60), example="nev.up"),
    Column("parent", "上级节点代码", help="顶层（上游/中游/下游）不填", parse=parse_text(60), example=""),
    Column(
        "segment", "环节", required=True, help="上游、中游或下游", parse=parse_choice(Segment.choices), example="上游"
    ),
    Column("name", "节点名称", required=True, parse=parse_text(60), example="上游"),
    Column("description", "说明", parse=parse_text(2000)),
    Column(
        "industry_codes",
        "行业小类",
        help="GB/T 4754-2017 代码，多个用顿号分隔，如 3841、3842",
        parse=_industry_codes,
        example="3841",
    ),
    Column("keywords", "关键词", help="产品、技术，多个用顿号分隔", parse=_words(60), example="动力电池、电芯"),
    Column("key_enterprises", "全国重点企业", help="企业名称，多个用顿号分隔", parse=_words(100)),
    Column("responsible_unit", "节点责任单位", help="本地区单位名称；不填为产业链牵头单位", parse=parse_text(100)),
]
EDGE_COLUMNS = [
    Column("source", "供应方节点代码", required=True, parse=parse_text(60), example="nev.up"),
    Column("target", "需求方节点代码", required=True, parse=parse_text(60), example="nev.mid"),
]
CHAIN_COLUMNS = [
    Column("code", "产业链代码", required=True, help="字母、数字、下划线", parse=parse_text(40), example="nev"),
    Column("name", "产业链名称", required=True, parse=parse_text(60), example="新能源汽车"),
    Column("kind", "类型", parse=parse_choice(Chain.Kind.choices), example="战略性新兴产业链"),
    Column("description", "说明", parse=parse_text(2000)),
    Column("responsible_unit", "牵头单位", help="本地区单位名称", parse=parse_text(100), example="投资促进中心"),
]


class ChainImporter(Importer):
    kind = "chains"
    label = "产业链"
    sheet = NODES
    columns = NODE_COLUMNS
    extra_sheets = (Sheet(EDGES, EDGE_COLUMNS), Sheet(CHAIN, CHAIN_COLUMNS, required=True))
    all_or_nothing = True
    instructions = [
        "产业链导入：一个 Excel 文件是一条产业链，含三个工作表——“节点”（每行一个节点）、“供应关系”（每行一条"
        "“供应方 → 需求方”）、“产业链”（一行：产业链代码与名称）。最方便的做法是在链图编辑页“导出 Excel”后修改再导入。",
        "导入后，本县同代码的产业链整体替换为文件中的内容（节点代码相同的节点保留其企业关联），原版本保留在版本记录中；"
        "文件中没有的节点将被删除。",
        "节点最多 3 级（环节 → 细分领域 → 关键产品或技术）；上级节点代码须是本表中的节点；供应关系不得形成循环。",
        "文件中任何一行有错误时不导入任何内容（各行错误会逐条列出工作表、行号和列），请修正后重新导入。",
    ]

    def row_key(self, data: dict[str, Any]) -> str:
        return data["code"]

    def write_template(self, buffer) -> None:
        example = [[c.example for c in NODE_COLUMNS]]
        write_xlsx(
            buffer,
            [
                (NODES, [c.header for c in NODE_COLUMNS], []),
                (EDGES, [c.header for c in EDGE_COLUMNS], []),
                (CHAIN, [c.header for c in CHAIN_COLUMNS], []),
                ("填写说明", ["说明"], [[line] for line in self.instructions]),
                ("节点示例", [c.header for c in NODE_COLUMNS], example),
            ],
        )

    def match(self, job, actor, rows: list[ParsedRow]) -> list[tuple[ParsedRow, str, str]]:
        if not services.may_edit_chains(actor) or actor.org_unit_id is None:
            raise UploadRejected("只有系统管理员和投资促进中心可以导入产业链")
        region = OrgUnit.objects.get(pk=actor.org_unit.region_id)
        nodes = [r for r in rows if r.sheet == NODES]
        edges = [r for r in rows if r.sheet == EDGES]
        heads = [r for r in rows if r.sheet == CHAIN]
        if not heads:
            raise UploadRejected("工作表“产业链”第 2 行应填写产业链代码和名称")
        problems: list[tuple[ParsedRow, str, str]] = []
        problems += [(extra, "code", "一个文件只能导入一条产业链：请删除多余的行") for extra in heads[1:]]
        head = heads[0]
        chain = Chain.objects.filter(region=region, code=head.data["code"]).first()
        problems += self._units(region, [head, *nodes])
        problems += _industries(nodes)
        problems += _tree(nodes)
        problems += _edges(nodes, edges)
        _diff(chain, head, nodes, edges)
        job.chain_plan = {"region": region, "head": head, "nodes": nodes, "edges": edges}
        return problems

    def _units(self, region: OrgUnit, rows: list[ParsedRow]) -> list[tuple[ParsedRow, str, str]]:
        problems = []
        for row in rows:
            name = row.data.get("responsible_unit")
            if not name:
                continue
            try:
                row.data["unit"] = parsers.org_unit(name, region_id=region.pk, label="单位")
            except CellError as exc:
                problems.append((row, "responsible_unit", f"{exc}（应为本地区单位的名称）"))
        return problems

    def write(self, job, actor, creates: list[ParsedRow], updates: list[ParsedRow]) -> None:
        plan = job.chain_plan
        head = plan["head"].data
        data = {
            "code": head["code"],
            "name": head["name"],
            "kind": head.get("kind") or Chain.Kind.STRATEGIC,
            "description": head.get("description") or "",
            "responsible_unit": head.get("unit"),
            "nodes": [_node_item(row) for row in plan["nodes"]],
            "edges": [[row.data["source"], row.data["target"]] for row in plan["edges"]],
        }
        services.chain_import(actor=actor, region=plan["region"], data=data, note="导入链图（Excel）")


def _node_item(row: ParsedRow) -> dict:
    data = row.data
    return {
        "code": data["code"],
        "parent": data.get("parent") or None,
        "name": data["name"],
        "segment": data["segment"],
        "level": data["level"],
        "description": data.get("description") or "",
        "industry_codes": data.get("industry_codes") or [],
        "keywords": data.get("keywords") or [],
        "key_enterprises": data.get("key_enterprises") or [],
        "responsible_unit": data.get("unit"),
    }


def _industries(nodes: list[ParsedRow]) -> list[tuple[ParsedRow, str, str]]:
    wanted = {code for row in nodes for code in row.data.get("industry_codes") or ()}
    known = set(Industry.objects.filter(code__in=wanted).values_list("code", flat=True))
    problems = []
    for row in nodes:
        unknown = [code for code in row.data.get("industry_codes") or () if code not in known]
        if unknown:
            problems.append((row, "industry_codes", "、".join(parsers.industry_unknown_message(c) for c in unknown)))
    return problems


def _tree(nodes: list[ParsedRow]) -> list[tuple[ParsedRow, str, str]]:
    """Parents named in the file, no loop of parents, at most three levels; sets ``data["level"]``."""
    by_code = {r.data["code"]: r for r in nodes}
    problems = []
    for row in nodes:
        parent = row.data.get("parent")
        if parent and parent not in by_code:
            problems.append((row, "parent", f"上级节点“{parent}”不在“节点”工作表中"))
        elif parent == row.data["code"]:
            problems.append((row, "parent", "上级节点不能是节点自己"))
    if problems:
        return problems
    for row in nodes:
        chain, current = [row.data["code"]], row.data.get("parent")
        while current and current not in chain:
            chain.append(current)
            current = by_code[current].data.get("parent")
        if current:
            loop = " → ".join([*chain[chain.index(current) :], current])
            problems.append((row, "parent", f"上级节点形成循环：{loop}"))
        elif len(chain) > MAX_LEVEL:
            problems.append((row, "parent", f"节点超过 {MAX_LEVEL} 级：{' → '.join(reversed(chain))}"))
        else:
            row.data["level"] = len(chain)
    return problems


def _edges(nodes: list[ParsedRow], edges: list[ParsedRow]) -> list[tuple[ParsedRow, str, str]]:
    """Both ends in the file, no edge twice, no cycle: an edge that would close one is refused with the path."""
    known = {r.data["code"] for r in nodes}
    adjacency: dict[str, list[str]] = {}
    seen: dict[tuple[str, str], int] = {}
    problems = []
    for row in edges:
        source, target = row.data["source"], row.data["target"]
        if source not in known:
            problems.append((row, "source", f"供应方节点“{source}”不在“节点”工作表中"))
            continue
        if target not in known:
            problems.append((row, "target", f"需求方节点“{target}”不在“节点”工作表中"))
            continue
        if (source, target) in seen:
            problems.append((row, "target", f"与第 {seen[(source, target)]} 行是同一条供应关系，请删除重复行"))
            continue
        path = [target] if source == target else find_path(adjacency, target, source)
        if path is not None:
            problems.append((row, "target", f"供应关系形成循环：{' → '.join([source, *path])}"))
            continue
        seen[(source, target)] = row.row
        adjacency.setdefault(source, []).append(target)
    return problems


def _diff(chain: Chain | None, head: ParsedRow, nodes: list[ParsedRow], edges: list[ParsedRow]) -> None:
    """What the import changes, for the dry run's preview: existing rows get ``existing`` and ``diff``."""
    if chain is None:
        return
    head.existing = chain
    head.diff = {
        key: (getattr(chain, key), head.data.get(key) or "")
        for key in ("name", "description")
        if (getattr(chain, key) or "") != (head.data.get(key) or "")
    }
    current = {n.code: n for n in chain.nodes.select_related("parent", "responsible_unit")}
    for row in nodes:
        node = current.get(row.data["code"])
        if node is None:
            continue
        row.existing = node
        was = {
            "parent": node.parent.code if node.parent_id else "",
            "segment": node.segment,
            "name": node.name,
            "description": node.description,
            "industry_codes": list(node.industry_codes),
            "keywords": list(node.keywords),
            "key_enterprises": list(node.key_enterprise_names),
            "responsible_unit": node.responsible_unit.name if node.responsible_unit_id else "",
        }
        now = {key: row.data.get(key) or ([] if isinstance(value, list) else "") for key, value in was.items()}
        if now["responsible_unit"] and row.data.get("unit") is not None:
            now["responsible_unit"] = row.data["unit"].name
        row.diff = {key: (was[key], now[key]) for key in was if was[key] != now[key]}
    pairs = set(chain.edges.values_list("source__code", "target__code"))
    for row in edges:
        if (row.data["source"], row.data["target"]) in pairs:
            row.existing = chain


register(ChainImporter())
