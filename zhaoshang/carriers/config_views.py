"""Settings pages: the county's 载体库 settings (system administrator: land authority, base layer, 天地图 key,
town boundaries) and the GeoJSON boundary upload (site officers). Plain views: a form and a service each."""

import json

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.forms import TablerFormMixin, apply_errors
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap

from . import selectors, services
from .services import config

MAX_GEOJSON_BYTES = 20 * 1024 * 1024


def _read_geojson(upload) -> dict:
    if upload.size > MAX_GEOJSON_BYTES:
        raise forms.ValidationError("文件过大，上限为 20 MB")
    try:
        return json.loads(upload.read().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise forms.ValidationError("不是有效的 GeoJSON（UTF-8 编码的 JSON）") from exc


class SettingsForm(TablerFormMixin, forms.Form):
    land_authority = forms.ModelChoiceField(label="自然资源主管单位", queryset=OrgUnit.objects.none(), required=False)
    tile_url = forms.CharField(
        label="底图瓦片地址", required=False, max_length=300, help_text="留空则不加载底图；天地图地址中的密钥写作 {key}"
    )
    tianditu_key = forms.CharField(
        label="天地图密钥", required=False, max_length=100, widget=forms.PasswordInput, help_text="加密保存；留空不修改"
    )
    town_boundaries = forms.FileField(
        label="镇街边界（GeoJSON）", required=False, help_text="每个要素的 name 属性为镇街名称"
    )
    schematic = forms.BooleanField(label="边界为示意图（非测绘成果）", required=False)

    def clean_town_boundaries(self):
        upload = self.cleaned_data.get("town_boundaries")
        return _read_geojson(upload) if upload else None


class SettingsView(CapabilityRequiredMixin, FormView):
    capability = Cap.MANAGE_SETTINGS
    template_name = "carriers/settings.html"
    form_class = SettingsForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        region = self.request.user.org_unit.region_id if self.request.user.org_unit_id else None
        form.fields["land_authority"].queryset = OrgUnit.objects.filter(region_id=region).order_by("path")
        return form

    def get_initial(self):
        current = (
            selectors.settings_for(self.request.user.org_unit.region_id) if self.request.user.org_unit_id else None
        )
        if current is None:
            return {"schematic": True}
        return {
            "land_authority": current.land_authority,
            "tile_url": current.tile_url,
            "schematic": current.boundaries_schematic,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            config.carrier_settings_update(
                actor=self.request.user,
                data={"land_authority": data["land_authority"], "tile_url": data["tile_url"]},
                tianditu_key=data["tianditu_key"] or None,
                town_boundaries=data["town_boundaries"],
                schematic=data["schematic"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已保存载体库设置")
        return redirect("carriers:settings")


class BoundariesForm(TablerFormMixin, forms.Form):
    file = forms.FileField(
        label="边界文件（GeoJSON FeatureCollection）", help_text="要素属性 code（编号）或 name（名称）对应载体"
    )
    crs = forms.ChoiceField(
        label="文件坐标系",
        choices=[("wgs84", "WGS-84"), ("cgcs2000", "CGCS2000"), ("gcj02", "GCJ-02（换算为 WGS-84）")],
    )

    def clean_file(self):
        return _read_geojson(self.cleaned_data["file"])


class BoundariesImportView(CapabilityRequiredMixin, FormView):
    capability = Cap.IMPORT
    template_name = "carriers/boundaries.html"
    form_class = BoundariesForm

    def form_valid(self, form):
        try:
            result = services.boundaries_import(
                actor=self.request.user, collection=form.cleaned_data["file"], crs=form.cleaned_data["crs"]
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已更新 {result['updated']} 个载体的边界")
        return self.render_to_response(self.get_context_data(form=BoundariesForm(), result=result))
