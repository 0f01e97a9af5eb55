from django import forms
from django.urls import reverse

from zhaoshang.core import parsers
from zhaoshang.core.forms import DATE_INPUT, BusinessForm, TablerFormMixin
from zhaoshang.core.models import Tag

from .models import Contact, Enterprise, Signal


class EnterpriseForm(BusinessForm):
    industry_code = forms.CharField(
        label="国民经济行业（GB/T 4754 代码）",
        required=False,
        max_length=4,
        help_text="填写小类代码，如 3741；也可填大类或中类代码",
    )
    tags = forms.ModelMultipleChoiceField(
        label="标签",
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"data-choices": "", "data-placeholder": "选择标签"}),
    )

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "short_name",
            "former_names",
            "english_name",
            "kind",
            "origin",
            "country",
            "scale",
            "province",
            "city",
            "address",
            "legal_representative",
            "registered_capital",
            "established_on",
            "is_historical",
            "website",
            "business_scope",
            "org_unit",
        ]
        widgets = {
            "former_names": forms.Textarea(attrs={"rows": 2}),
            "business_scope": forms.Textarea(attrs={"rows": 3}),
            "established_on": DATE_INPUT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("scale", "province"):
            self.fields[name].choices = [("", "请选择"), *self.fields[name].choices[1:]]
        if self.instance.pk:
            self.fields["tags"].initial = list(self.instance.tags.values_list("pk", flat=True))
            if self.instance.industry_id:
                self.fields["industry_code"].initial = self.instance.industry.code
        # Check the name and code as the user types: the server answers with problems and candidates.
        for name in ("name", "credit_code"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": reverse("enterprises:enterprise_check"),
                    "hx-trigger": "input changed delay:500ms, change",
                    "hx-target": "#enterprise-check",
                    "hx-include": "[name=name],[name=credit_code],[name=exclude_id]",
                }
            )

    def clean_industry_code(self):
        return parsers.form_clean(parsers.industry)(self.cleaned_data.get("industry_code"))

    def business_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "tags", "industry_code")}
        data["industry"] = self.cleaned_data.get("industry_code")
        return data


class ContactForm(TablerFormMixin, forms.ModelForm):
    phone = forms.CharField(
        label="电话", required=False, max_length=30, help_text=f"{parsers.PHONE_HINT}；加密保存，列表中显示为掩码"
    )

    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "wechat", "note"]

    def clean_phone(self):
        return parsers.form_clean(parsers.phone)(self.cleaned_data.get("phone"))


class SignalForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Signal
        fields = ["kind", "occurred_on", "title", "amount", "source"]
        widgets = {"occurred_on": forms.DateInput(attrs={"type": "date"})}


class NoteForm(TablerFormMixin, forms.Form):
    text = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class BulkTagForm(TablerFormMixin, forms.Form):
    tag = forms.ModelChoiceField(label="标签", queryset=Tag.objects.all(), empty_label="选择标签")
    action = forms.ChoiceField(label="操作", choices=[("add", "添加标签"), ("remove", "移除标签")])
