"""ECharts options of a chain from its strength rows: the tree, the graph (zoomable, legend by status) and the
sankey (only when the supplies-to edges form a DAG: ECharts refuses a cycle in a sankey)."""

from .graph import is_dag

COLORS = {"强": "#2fb344", "弱": "#f59f00", "缺": "#d63939"}
STATUSES = ("强", "弱", "缺")
SEGMENT_X = {"upstream": 0, "midstream": 1, "downstream": 2}


def _label(row: dict) -> str:
    return f"{row['name']}（{row['status']}·{row['county']['enterprises']}家）"


def tree_option(chain, rows: list[dict]) -> dict:
    children: dict = {}
    for row in rows:
        children.setdefault(row["parent_id"], []).append(row)

    def item(row):
        data = {
            "name": _label(row),
            "nodeId": row["id"],
            "itemStyle": {"color": COLORS[row["status"]], "borderColor": COLORS[row["status"]]},
        }
        kids = children.get(row["id"], [])
        if kids:
            data["children"] = [item(k) for k in kids]
        return data

    return {
        "tooltip": {"trigger": "item", "triggerOn": "mousemove"},
        "series": [
            {
                "type": "tree",
                "data": [{"name": chain.name, "children": [item(r) for r in children.get(None, [])]}],
                "top": "2%", "left": "10%", "bottom": "2%", "right": "22%",
                "symbolSize": 10,
                "initialTreeDepth": 3,
                "roam": True,
                "label": {"position": "left", "verticalAlign": "middle", "align": "right", "fontSize": 12},
                "leaves": {"label": {"position": "right", "verticalAlign": "middle", "align": "left"}},
                "expandAndCollapse": True,
            }
        ],
    }  # fmt: skip


def graph_option(rows: list[dict], edges: list[tuple[int, int]]) -> dict:
    """Nodes of level 2 and below, placed by segment (x) and order (y); supplies-to edges as arrows."""
    shown = [r for r in rows if r["level"] >= 2]
    ids = {r["id"] for r in shown}
    column: dict[int, int] = {}
    nodes = []
    for row in shown:
        x = SEGMENT_X[row["segment"]] * 3 + min(row["level"] - 2, 1)
        column[x] = column.get(x, 0) + 1
        nodes.append(
            {
                "id": str(row["id"]),
                "name": row["name"],
                "nodeId": row["id"],
                "x": x * 160,
                "y": column[x] * 46,
                "category": STATUSES.index(row["status"]),
                "symbolSize": 14 + min(row["county"]["enterprises"], 20),
                "value": row["county"]["enterprises"],
            }
        )
    links = [{"source": str(a), "target": str(b)} for a, b in edges if a in ids and b in ids]
    return {
        "tooltip": {},
        "legend": [{"data": list(STATUSES), "top": 0}],
        "color": [COLORS[s] for s in STATUSES],
        "series": [
            {
                "type": "graph", "layout": "none", "roam": True, "draggable": False,
                "categories": [{"name": s} for s in STATUSES],
                "data": nodes, "links": links,
                "edgeSymbol": ["none", "arrow"], "edgeSymbolSize": 8,
                "label": {"show": True, "position": "right", "fontSize": 11},
                "lineStyle": {"color": "source", "curveness": 0.15, "opacity": 0.7},
                "emphasis": {"focus": "adjacency"},
                "top": 40,
            }
        ],
    }  # fmt: skip


def sankey_option(rows: list[dict], edges: list[tuple[int, int]]) -> dict | None:
    """None when there are no edges or they contain a cycle."""
    adjacency: dict[int, list[int]] = {}
    for a, b in edges:
        adjacency.setdefault(a, []).append(b)
    if not edges or not is_dag(adjacency):
        return None
    by_id = {r["id"]: r for r in rows}
    used = {n for pair in edges for n in pair}
    names = {}
    for pk in used:
        name = by_id[pk]["name"]
        names[pk] = name if name not in names.values() else f"{name}·{by_id[pk]['code']}"
    return {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "sankey",
                "data": [
                    {"name": names[pk], "nodeId": pk, "itemStyle": {"color": COLORS[by_id[pk]["status"]]}}
                    for pk in sorted(used)
                ],
                "links": [
                    {"source": names[a], "target": names[b], "value": 1 + by_id[a]["county"]["enterprises"]}
                    for a, b in edges
                ],
                "emphasis": {"focus": "adjacency"},
                "lineStyle": {"color": "gradient", "curveness": 0.5},
                "label": {"fontSize": 11},
            }
        ],
    }
