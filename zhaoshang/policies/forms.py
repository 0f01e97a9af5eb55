import json

from django import forms

from zhaoshang.core.forms import DATE_INPUT, BusinessForm, TablerFormMixin
from zhaoshang.core.parsers import org_unit_model

from .models import Calculation, Clause, Commitment, Fulfilment, Policy, Variable


def _region_units(user):
    return (
        org_unit_model().objects.filter(region_id=user.region_id).order_by("path")
        if user
        else org_unit_model().objects.none()
    )


class PolicyForm(BusinessForm):
    class Meta:
        model = Policy
        fields = [
            "number",
            "title",
            "issuer",
            "level",
            "status",
            "effective_from",
            "effective_to",
            "department",
            "replaces",
            "summary",
            "org_unit",
        ]
        widgets = {
            "effective_from": DATE_INPUT,
            "effective_to": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["department"].queryset = _region_units(user)
        replaceable = Policy.objects.filter(region_id=user.region_id) if user else Policy.objects.none()
        if self.instance.pk:
            replaceable = replaceable.exclude(pk=self.instance.pk)
        self.fields["replaces"].queryset = replaceable
        self.fields["replaces"].required = False

    def business_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["replaces"] = list(data.get("replaces") or [])
        return data


class JSONText(forms.CharField):
    """A JSON value typed as text; the rule's meaning is checked by the service (position and reason)."""

    widget = forms.Textarea(attrs={"rows": 6, "class": "font-monospace"})

    def prepare_value(self, value):
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False, indent=1)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）") from exc


class ClauseForm(BusinessForm):
    condition = JSONText(
        label="适用条件（JSON Logic）",
        required=False,
        help_text='如 {"and": [{">=": [{"var": "investment"}, 5000]}]}；留空表示不限',
    )
    examples = JSONText(
        label="测算示例",
        required=False,
        help_text='[{"name": "示例一", "inputs": {"investment": 60000}, "expected": "300"}]；预期金额或“不适用”',
    )
    effective_from = forms.DateField(
        label="新版本生效日期", required=False, widget=DATE_INPUT, help_text="修改已发布条款时填写，默认今天"
    )

    class Meta:
        model = Clause
        fields = [
            "policy",
            "article",
            "title",
            "text",
            "condition",
            "formula",
            "minimum",
            "cap",
            "yearly_cap",
            "exclusivity_group",
            "timing",
            "installments",
            "paying_department",
            "materials",
            "examples",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "materials": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["policy"].queryset = Policy.objects.restrict(user, "change") if user else Policy.objects.none()
        self.fields["paying_department"].queryset = _region_units(user)
        self.fields["formula"].widget.attrs["class"] = "form-control font-monospace"
        if self.instance.pk:
            self.fields.pop("policy")
        else:
            self.fields.pop("effective_from")

    def business_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "effective_from")}
        data["condition"] = data.get("condition") or {}
        data["examples"] = data.get("examples") or []
        return data


class VariableForm(TablerFormMixin, forms.ModelForm):
    choices = JSONText(label="选项", required=False, help_text='仅选项类型：[["new", "新建"], ["merger", "并购"]]')

    class Meta:
        model = Variable
        fields = ["code", "name", "kind", "unit", "choices", "source", "order", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields.pop("code")
            self.fields.pop("kind")


def _variable_field(variable) -> forms.Field:
    label = f"{variable.name}（{variable.unit}）" if variable.unit else variable.name
    if variable.kind == "choice":
        return forms.ChoiceField(
            label=label, required=False, choices=[("", "—")] + [tuple(c) for c in variable.choices]
        )
    if variable.kind == "number":
        return forms.DecimalField(label=label, required=False, max_digits=16, decimal_places=4)
    if variable.kind == "date":
        return forms.DateField(label=label, required=False, widget=DATE_INPUT)
    hint = "多个用逗号分隔" if variable.kind == "tags" else ("行业代码，如 3670" if variable.kind == "industry" else "")
    return forms.CharField(label=label, required=False, max_length=200, help_text=hint)


def whatif_form(variables, *args, **kwargs) -> forms.Form:
    """The calculator's what-if form: one field per variable of the county's catalogue."""
    fields = {variable.code: _variable_field(variable) for variable in variables}
    return type("WhatIfForm", (TablerFormMixin, forms.Form), fields)(*args, **kwargs)


class CalculationForm(BusinessForm):
    class Meta:
        model = Calculation
        fields = ["title", "note"]


class CommitmentForm(BusinessForm):
    project_id = forms.IntegerField(label="项目编号（ID）", min_value=1)
    condition = JSONText(
        label="兑现条件（JSON Logic）", required=False, help_text='如 {"and": [{">=": [{"var": "tax_per_mu"}, 30]}]}'
    )

    class Meta:
        model = Commitment
        fields = ["clause", "amount", "condition", "condition_text", "due_stage", "due_on"]
        widgets = {"due_on": DATE_INPUT}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["clause"].queryset = (
            Clause.objects.filter(region_id=user.region_id, status=Clause.Status.PUBLISHED)
            if user
            else Clause.objects.none()
        )
        self.fields["due_stage"] = forms.ChoiceField(
            label="到期阶段",
            required=False,
            choices=[("", "—（按到期日期）"), ("signing", "签约"), ("production", "投产"), ("full_production", "达产")],
        )
        if self.instance.pk:
            self.fields.pop("project_id")
            self.fields.pop("clause")


class FulfilmentActionForm(TablerFormMixin, forms.Form):
    to = forms.ChoiceField(label="办理为", choices=Fulfilment.Status.choices)
    reason = forms.CharField(
        label="说明/理由", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class FulfilmentForm(BusinessForm):
    class Meta:
        model = Fulfilment
        fields = ["title", "amount", "due_on", "reason"]
        widgets = {"due_on": DATE_INPUT}
