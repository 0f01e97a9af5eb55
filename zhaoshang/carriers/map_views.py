"""The 招商地图 (Leaflet, offline: every asset local, no base layer unless an administrator configured a local
tile server or 天地图) and the 载体总览 (ECharts ``geo`` of the town boundaries the administrator loaded, with
the supply dashboards). Plain views: they render a page whose data the map script reads from the API."""

import json
from urllib.parse import urlsplit

from django.urls import reverse
from django.views.generic import TemplateView

from zhaoshang.core.crypto import sm4_decrypt
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap

from . import geometry, selectors
from .filters import CarrierFilter
from .models import Carrier
from .services import matching as match_services


def base_layer(config) -> dict | None:
    """The configured base layer for the map script (None: boundaries only)."""
    if config is None or not config.tile_url:
        return None
    url = config.tile_url
    if config.tianditu_key_cipher and "tianditu" in url:
        url = url.replace("{key}", sm4_decrypt(config.tianditu_key_cipher))
    return {"url": url}


class MapView(CapabilityRequiredMixin, TemplateView):
    """The detail map: clustered markers, parcel polygons, filters, a card on click; ``?project=`` lights up
    the project's top candidates (a saved match run)."""

    capability = Cap.BUSINESS_VIEW
    template_name = "carriers/map.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        layer = self.layer
        if layer and layer["url"].startswith("http"):
            parts = urlsplit(layer["url"])
            response._csp_update = {"img-src": [f"{parts.scheme}://{parts.netloc}"]}
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        config = selectors.settings_for(user.org_unit.region_id) if user.org_unit_id else None
        self.layer = base_layer(config)
        highlight, project = [], None
        project_id = self.request.GET.get("project")
        if project_id and project_id.isdigit():
            run = match_services.match_run(actor=user, project_id=int(project_id))
            highlight = [c["carrier"]["id"] for c in run.results["candidates"]]
            project = {"id": int(project_id), "run": run.pk}
        filterset = CarrierFilter(self.request.GET or None, user=user)
        west, south, east, north = geometry.county_bbox()
        context.update(
            filter=filterset,
            map_config={
                "data_url": reverse("api:carrier_map"),
                "detail_url": reverse("carriers:carrier_detail", args=[0]),
                "bounds": [[south, west], [north, east]],
                "base_layer": self.layer,
                "highlight": highlight,
                "towns": (config.town_boundaries if config else None),
                "schematic": bool(config and config.boundaries_schematic),
                "draw_url": "/api/v1/carriers/{id}/boundary",
                "can_draw": user.has_capability(Cap.BUSINESS_CHANGE),
            },
            project=project,
        )
        return context


class OverviewView(CapabilityRequiredMixin, TemplateView):
    """载体总览: the towns coloured by available land (ECharts geo over the administrator's boundaries) and the
    supply dashboards (by town and kind, 低效用地, 标准地 commitments at 达产, 亩均 comparison)."""

    capability = Cap.BUSINESS_VIEW
    template_name = "carriers/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        config = selectors.settings_for(user.org_unit.region_id) if user.org_unit_id else None
        supply = selectors.supply_by_town(user=user)
        by_town: dict[str, float] = {}
        for row in supply:
            by_town[row["town"]] = by_town.get(row["town"], 0) + float(row["available"])
        geo = None
        if config and config.town_boundaries:
            geo = {
                "map": config.town_boundaries,
                "schematic": config.boundaries_schematic,
                "data": [{"name": k, "value": round(v, 1)} for k, v in by_town.items()],
            }
        context.update(
            supply=supply,
            redevelopment=selectors.redevelopment(user=user),
            commitments=selectors.commitment_results(user=user),
            per_mu=selectors.per_mu_comparison(user=user),
            geo_json=json.dumps(geo, ensure_ascii=False) if geo else "",
            schematic=bool(geo and geo["schematic"]),
            kinds=Carrier.Kind.choices,
        )
        return context
