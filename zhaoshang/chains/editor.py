"""The chain editor (administrator, 统筹单位): one page of small forms — import, node add/edit/move/merge/delete,
edges add/remove — each posting an ``op`` to the same view, every write through the services (versioned)."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from zhaoshang.core.errors import ApplicationError, NotFound, ValidationFailed
from zhaoshang.core.forms import error_message
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE

from . import selectors, services
from .models import ChainEdge, ChainNode


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace("，", ",").replace("、", ",").replace("\n", ",").split(",") if w.strip()]


class ChainEditView(CapabilityRequiredMixin, View):
    """GET the editor; POST one operation. Only editors reach it (the others get 403 before any lookup)."""

    @classmethod
    def allows(cls, user) -> bool:
        return services.may_edit_chains(user)

    def get(self, request, pk):
        chain = selectors.chain_get(user=request.user, pk=pk, action=CHANGE)
        nodes = list(chain.nodes.select_related("parent").order_by("level", "sort_order", "id"))
        edges = chain.edges.select_related("source", "target").order_by("id")
        versions = chain.versions.select_related("created_by").order_by("-number")[:20]
        context = {
            "chain": chain,
            "nodes": nodes,
            "edges": edges,
            "versions": versions,
            "can_import": request.user.has_capability(Cap.IMPORT),  # the import engine's own rule
        }
        return render(request, "chains/chain_edit.html", context)

    def post(self, request, pk):
        chain = selectors.chain_get(user=request.user, pk=pk, action=CHANGE)
        op = request.POST.get("op", "")
        try:
            text = OPERATIONS[op](request, chain)
            messages.success(request, text)
        except KeyError:
            messages.error(request, "未知操作")
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        return redirect(reverse("chains:chain_edit", args=[chain.pk]))


def _node(chain, value) -> ChainNode | None:
    if not value:
        return None
    node = chain.nodes.filter(pk=int(value)).first() if str(value).isdigit() else None
    if node is None:
        raise NotFound()
    return node


def _import(request, chain):
    upload = request.FILES.get("file")
    raw = upload.read().decode("utf-8-sig") if upload else request.POST.get("data", "")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ValidationFailed("不是有效的 JSON 文件") from exc
    if data.get("code") != chain.code:
        raise ValidationFailed(f"导入的产业链代码应为 {chain.code}")
    services.chain_import(actor=request.user, region=chain.region, data=data)
    return "已导入，原版本已保留在版本记录中"


def _node_add(request, chain):
    parent = _node(chain, request.POST.get("parent"))
    data = {"name": request.POST.get("name", "").strip(), "keywords": _words(request.POST.get("keywords", ""))}
    if parent is None:
        data["segment"] = request.POST.get("segment", "midstream")
    node = services.node_create(actor=request.user, chain=chain, data={**data, "parent": parent})
    return f"已新增节点「{node.name}」"


def _node_edit(request, chain):
    node = _node(chain, request.POST.get("node"))
    data = {
        "keywords": _words(request.POST.get("keywords", "")),
        "industry_codes": _words(request.POST.get("industry_codes", "")),
    }
    if request.POST.get("name", "").strip():
        data["name"] = request.POST["name"].strip()
    services.node_update(actor=request.user, node=node, data=data)
    return f"已保存节点「{node.name}」"


def _node_move(request, chain):
    node = _node(chain, request.POST.get("node"))
    services.node_move(actor=request.user, node=node, parent=_node(chain, request.POST.get("parent")))
    return f"已移动节点「{node.name}」"


def _node_merge(request, chain):
    node, into = _node(chain, request.POST.get("node")), _node(chain, request.POST.get("into"))
    services.node_merge(actor=request.user, node=node, into=into)
    return f"已将「{node.name}」合并入「{into.name}」"


def _node_delete(request, chain):
    node = _node(chain, request.POST.get("node"))
    services.node_delete(actor=request.user, node=node)
    return f"已删除节点「{node.name}」"


def _edge_add(request, chain):
    source, target = _node(chain, request.POST.get("source")), _node(chain, request.POST.get("target"))
    if source is None or target is None:
        raise ValidationFailed("请选择供应方和需求方节点")
    services.edge_add(actor=request.user, source=source, target=target)
    return f"已新增供应关系「{source.name} → {target.name}」"


def _edge_remove(request, chain):
    edge = ChainEdge.objects.filter(chain=chain, pk=request.POST.get("edge") or 0).first()
    if edge is None:
        raise NotFound()
    services.edge_remove(actor=request.user, edge=edge)
    return "已删除供应关系"


OPERATIONS = {
    "import": _import,
    "node_add": _node_add,
    "node_edit": _node_edit,
    "node_move": _node_move,
    "node_merge": _node_merge,
    "node_delete": _node_delete,
    "edge_add": _edge_add,
    "edge_remove": _edge_remove,
}
