"""Pages of the chain map. The chain list and the relations use ``core.views.generic``; the map, the node panel,
the target list, the printable 链图 and the editor are plain views (charts, htmx partials, several small forms)."""

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.errors import ApplicationError, NotFound
from zhaoshang.core.forms import BusinessForm, error_message
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import sees_region
from zhaoshang.core.views import generic
from zhaoshang.enterprises import selectors as enterprises

from . import charts, exports, selectors, services
from .api import town_of
from .models import Chain, EnterpriseRelation, NodeLink
from .selectors.strength import accepted, chain_strength
from .selectors.targets import FACTOR_LABELS, node_targets
from .services.config import settings_for


class ChainListView(generic.ObjectListView):
    model = Chain
    url_namespace = "chains"
    selector = staticmethod(selectors.chain_list)
    object_selector = staticmethod(selectors.chain_get)
    addable = False
    columns = [("name", "产业链"), ("kind", "类型"), ("responsible_unit", "牵头单位"), ("version", "版本")]


def _town(request, chain: Chain):
    """The town whose counts are shown beside the county's: the user's own town, or (for those who view the county)
    the one picked in ``?town=``."""
    own = town_of(request.user)
    if own is not None:
        return own
    picked = request.GET.get("town")
    if picked and picked.isdigit() and sees_region(request.user):
        return OrgUnit.objects.filter(pk=int(picked), region_id=chain.region_id, kind__in=("town", "zone")).first()
    return None


class ChainMapView(CapabilityRequiredMixin, View):
    """The chain as tree, graph and sankey coloured by status, the table of the same numbers and the node panel."""

    capability = Cap.BUSINESS_VIEW
    template_name = "chains/chain_map.html"

    def get(self, request, pk):
        chain = selectors.chain_get(user=request.user, pk=pk)
        town = _town(request, chain)
        result = chain_strength(chain=chain, town=town)
        rows = result["nodes"]
        edges = list(chain.edges.values_list("source_id", "target_id"))
        options = {
            "chain-tree": charts.tree_option(chain, rows),
            "chain-graph": charts.graph_option(rows, edges),
        }
        sankey = charts.sankey_option(rows, edges)
        if sankey is not None:
            options["chain-sankey"] = sankey
        groups = {a: [r for r in rows if r["action"] == a and r["level"] > 1] for a in ("补链", "强链", "延链")}
        towns = OrgUnit.objects.filter(region_id=chain.region_id, kind__in=("town", "zone")).order_by("sort_order")
        context = {
            "chain": chain,
            "rows": rows,
            "groups": groups,
            "charts": options,
            "town": town,
            "towns": towns if sees_region(request.user) else [],
            "settings": result["settings"],
            "masters": chain.masters.all(),
            "may_edit": services.may_edit_chains(request.user),
            "status_counts": {
                key: sum(1 for r in rows if r["status"] == s and r["level"] > 1)
                for key, s in zip(("strong", "weak", "missing"), charts.STATUSES, strict=True)
            },
            "colors": charts.COLORS,
            "has_sankey": sankey is not None,
            "print": template_is_print(self.template_name),
        }
        return render(request, self.template_name, context)


def template_is_print(name: str) -> bool:
    return name.endswith("_print.html")


class ChainPrintView(ChainMapView):
    """The chain's one-page 链图 for print (no navigation; the tree and the table)."""

    template_name = "chains/chain_print.html"


class NodePanelView(CapabilityRequiredMixin, View):
    """The node panel (htmx partial): local enterprises in the user's scope, pipeline, gap, top targets, links to
    confirm or reject."""

    capability = Cap.BUSINESS_VIEW

    def get(self, request, pk):
        node = selectors.node_get(user=request.user, pk=pk)
        chain = node.chain
        town = _town(request, chain)
        row = next(r for r in chain_strength(chain=chain, town=town)["nodes"] if r["id"] == node.pk)
        settings = settings_for(chain.region_id)
        links = selectors.node_links(node=node)
        counted = accepted(links, settings.auto_confidence)
        visible = enterprises.visible_enterprises(user=request.user).filter(
            kind="local", pk__in=counted.values("subject_id")
        )
        pending_ids = links.filter(state=NodeLink.State.AUTO, confidence__lt=settings.auto_confidence).values(
            "subject_id"
        )
        pending = enterprises.visible_enterprises(user=request.user).filter(pk__in=pending_ids)[:10]
        link_by_subject = {
            link.subject_id: link
            for link in links.filter(subject_id__in=[e.pk for e in pending] + [e.pk for e in visible[:30]])
        }
        context = {
            "node": node,
            "row": row,
            "local": [(e, link_by_subject.get(e.pk)) for e in visible.order_by("-registered_capital")[:30]],
            "local_hidden": max(0, row["county"]["enterprises"] - visible.count()),
            "pending": [(e, link_by_subject.get(e.pk)) for e in pending],
            "targets": node_targets(node=node, limit=10),
            "may_change": request.user.has_capability(Cap.BUSINESS_CHANGE),
        }
        return render(request, "chains/_node_panel.html", context)


class NodeTargetsView(CapabilityRequiredMixin, View):
    """The 招商靶向 list of a node: every factor's points, the reason; export; selected targets become leads."""

    capability = Cap.BUSINESS_VIEW

    def get(self, request, pk):
        node = selectors.node_get(user=request.user, pk=pk)
        limit = min(int(request.GET.get("limit", "50") or 50), 200) if request.GET.get("limit", "50").isdigit() else 50
        if request.GET.get("format") == "xlsx":
            if not request.user.has_capability(Cap.EXPORT):
                raise NotFound()
            data, _ = exports.targets_xlsx(
                chain=node.chain, nodes=[node], top=limit, user=request.user, request=request
            )
            return _xlsx(data, exports.filename(f"招商靶向清单-{node.chain.name}-{node.name}"))
        targets = node_targets(node=node, limit=limit)
        context = {
            "node": node,
            "chain": node.chain,
            "targets": targets,
            "factor_labels": list(FACTOR_LABELS.values()),
            "limit": limit,
            "offices": OrgUnit.objects.filter(region_id=node.chain.region_id, is_active=True).order_by("path"),
            "may_change": request.user.has_capability(Cap.BUSINESS_CHANGE),
        }
        return render(request, "chains/node_targets.html", context)

    def post(self, request, pk):
        node = selectors.node_get(user=request.user, pk=pk)
        if not request.user.has_capability(Cap.BUSINESS_CHANGE):
            raise NotFound()
        unit = None
        if request.POST.get("unit", "").isdigit():
            unit = OrgUnit.objects.filter(pk=int(request.POST["unit"]), region_id=node.chain.region_id).first()
        made = []
        for value in request.POST.getlist("enterprise"):
            if not value.isdigit():
                continue
            try:
                lead = services.target_to_lead(actor=request.user, node=node, enterprise_id=int(value), unit=unit)
                made.append(f"{lead.code}（{lead.org_unit.name}）")
            except ApplicationError as exc:
                messages.error(request, error_message(exc))
        if made:
            messages.success(request, "已转为线索：" + "、".join(made))
        return redirect(reverse("chains:node_targets", args=[node.pk]))


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote  # lazy: only downloads need it

    return quote(name)


class ChainTargetsExportView(CapabilityRequiredMixin, View):
    """The chain's 招商靶向清单 (top N per node of level 2 and below) as an Excel download."""

    capability = Cap.EXPORT

    def get(self, request, pk):
        chain = selectors.chain_get(user=request.user, pk=pk)
        top = int(request.GET["top"]) if request.GET.get("top", "").isdigit() else 10
        nodes = list(chain.nodes.filter(level__gte=2).order_by("level", "sort_order", "id"))
        data, _ = exports.targets_xlsx(chain=chain, nodes=nodes, top=min(top, 50), user=request.user, request=request)
        return _xlsx(data, exports.filename(f"招商靶向清单-{chain.name}"))


class LinkDecisionView(CapabilityRequiredMixin, View):
    """POST: confirm or reject a link (from the node panel); answers with the refreshed panel."""

    capability = Cap.BUSINESS_CHANGE

    def post(self, request, pk, decision):
        link = NodeLink.objects.filter(pk=pk, region_id=request.user.org_unit.region_id).first()
        if link is None:
            raise NotFound()
        service = services.link_confirm if decision == "confirm" else services.link_reject
        service(actor=request.user, link=link)
        return NodePanelView.as_view()(_as_get(request), pk=link.node_id)


def _as_get(request):
    request.method = "GET"
    return request


class ChainExportView(CapabilityRequiredMixin, View):
    """The chain as JSON (the reference format) or Excel."""

    capability = Cap.BUSINESS_VIEW

    def get(self, request, pk):
        chain = selectors.chain_get(user=request.user, pk=pk)
        if request.GET.get("format") == "xlsx":
            return _xlsx(exports.chain_xlsx(chain=chain), exports.filename(f"产业链-{chain.name}"))
        response = JsonResponse(services.chain_data(chain), json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f"attachment; filename={chain.code}.json"
        return response


# --- enterprise relations --------------------------------------------------------------------------


class RelationForm(BusinessForm):
    class Meta:
        model = EnterpriseRelation
        fields = ["enterprise", "kind", "counterpart", "counterpart_name", "country", "note", "org_unit"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in ("enterprise", "counterpart"):
            if name in self.fields:
                self.fields[name].queryset = enterprises.enterprise_choices(user=user)


class RelationMixin:
    model = EnterpriseRelation
    url_namespace = "chains"
    object_selector = staticmethod(selectors.relation_get)


class RelationListView(RelationMixin, generic.ObjectListView):
    selector = staticmethod(selectors.relation_list)
    columns = [
        ("enterprise", "企业"),
        ("kind", "关系"),
        ("counterpart_name", "对方企业"),
        ("country", "国别（地区）"),
        ("org_unit", "所属单位"),
    ]


class RelationDetailView(RelationMixin, generic.ObjectDetailView):
    fields = ["enterprise", "kind", "counterpart_name", "counterpart", "country", "note", "org_unit"]


class RelationEditView(RelationMixin, generic.ObjectEditView):
    form_class = RelationForm

    def create(self, form):
        return services.relation_create(actor=self.request.user, data=self.form_data(form))

    def update(self, form):
        version = form.cleaned_data["version"]
        return services.relation_update(
            actor=self.request.user, relation=self.object, data=self.form_data(form), version=version
        )


class RelationDeleteView(RelationMixin, generic.ObjectDeleteView):
    def delete(self, obj, version):
        services.relation_delete(actor=self.request.user, relation=obj, version=version)


class FdiOpportunitiesView(CapabilityRequiredMixin, View):
    """Foreign-related relations of local enterprises: 返程投资, 合资, 利润再投资 opportunities."""

    capability = Cap.BUSINESS_VIEW

    def get(self, request):
        rows = selectors.fdi_relations(user=request.user)
        hints = {
            EnterpriseRelation.Kind.SUBSIDIARY: "返程投资",
            EnterpriseRelation.Kind.OVERSEAS_AFFILIATE: "返程投资",
            EnterpriseRelation.Kind.DISTRIBUTOR: "合资",
            EnterpriseRelation.Kind.SHAREHOLDER: "利润再投资",
            EnterpriseRelation.Kind.CUSTOMER: "以商招商",
            EnterpriseRelation.Kind.SUPPLIER: "以商招商",
        }
        items = [(r, hints.get(r.kind, "")) for r in rows]
        return render(request, "chains/fdi_opportunities.html", {"items": items})
