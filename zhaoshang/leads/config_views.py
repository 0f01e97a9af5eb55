"""系统管理 → 线索规则与分派: the county's lead clocks, 首谈保护 and assignment rules (system administrator)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.errors import NotFound
from zhaoshang.core.forms import TablerFormMixin
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap

from . import services
from .models import AssignmentRule, LeadRules


class RulesForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = LeadRules
        fields = [
            "respond_workdays",
            "assess_workdays",
            "major_assess_workdays",
            "report_every_days",
            "protect_amount",
            "protect_days",
            "usd_rate",
        ]


class AssignmentRuleForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = AssignmentRule
        fields = ["order", "source_unit", "industry_prefix", "chain", "preferred_town", "assign_unit", "is_active"]

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(region=region)
        for name in ("source_unit", "preferred_town", "assign_unit"):
            self.fields[name].queryset = units
        self.fields["preferred_town"].queryset = units.filter(kind__in=["town", "zone"])


class LeadRulesView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.MANAGE_SETTINGS
    template_name = "leads/rules.html"

    def region(self):
        if not self.request.user.org_unit_id:
            raise NotFound("请使用所属地区的系统管理员账号配置")
        return self.request.user.org_unit.region

    def get_context_data(self, **kwargs):
        region = self.region()
        return super().get_context_data(
            rules_form=kwargs.pop("rules_form", None) or RulesForm(instance=services.rules_for(region.pk)),
            rule_form=kwargs.pop("rule_form", None) or AssignmentRuleForm(region=region),
            assignment_rules=AssignmentRule.objects.filter(region=region).select_related(
                "source_unit", "preferred_town", "assign_unit"
            ),
            **kwargs,
        )

    def post(self, request):
        region = self.region()
        action = request.POST.get("action")
        if action == "rules":
            form = RulesForm(request.POST, instance=services.rules_for(region.pk))
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(rules_form=form))
            services.lead_rules_update(
                actor=request.user, region=region, data={f: form.cleaned_data[f] for f in RulesForm.Meta.fields}
            )
            messages.success(request, "已保存线索规则")
        elif action == "add":
            form = AssignmentRuleForm(request.POST, region=region)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(rule_form=form))
            services.assignment_rule_create(
                actor=request.user,
                region=region,
                data={f: form.cleaned_data[f] for f in AssignmentRuleForm.Meta.fields},
            )
            messages.success(request, "已添加分派规则")
        elif action == "delete" and services.assignment_rule_delete(
            actor=request.user, region=region, rule_id=request.POST.get("rule")
        ):
            messages.success(request, "已删除分派规则")
        return redirect("leads:rules")
