import json

from django import forms
from django.contrib.auth import get_user_model

from zhaoshang.core import parsers
from zhaoshang.core.forms import BusinessForm, TablerFormMixin
from zhaoshang.core.roles import Role

from .models import AdviserGroup, Decision, Expert, ResearchOrg, Review


class ExpertForm(BusinessForm):
    phone = forms.CharField(label="电话", required=False, help_text="加密保存，列表只显示掩码；留空不修改")
    industry_codes = forms.CharField(
        label="专业领域（行业代码）", required=False, help_text="国民经济行业分类代码，多个用空格分隔，如 C38 3841"
    )

    class Meta:
        model = Expert
        fields = [
            "name",
            "title",
            "employer",
            "research_org",
            "staff_unit",
            "speciality",
            "is_available",
            "unavailable_until",
            "user",
            "org_unit",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region = self.user.region_id if self.user is not None else None
        self.fields["user"].queryset = get_user_model().objects.filter(role=Role.EXPERT, org_unit__region_id=region)
        self.fields["staff_unit"].queryset = parsers.org_unit_model().objects.filter(region_id=region)
        self.fields["research_org"].queryset = ResearchOrg.objects.filter(region_id=region)
        if self.instance.pk:
            self.fields["industry_codes"].initial = " ".join(i.code for i in self.instance.industries.all())

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return parsers.form_clean(parsers.phone)(value) if value else ""

    def clean_industry_codes(self):
        codes = self.cleaned_data["industry_codes"].replace("，", " ").replace(",", " ").split()
        return [parsers.form_clean(parsers.industry_code)(code) for code in codes]


class ReviewForm(TablerFormMixin, forms.Form):
    project_id = forms.IntegerField(label="项目编号（ID）", widget=forms.HiddenInput)
    rubric_id = forms.TypedChoiceField(label="评分表", coerce=int)
    experts = forms.IntegerField(label="专家人数", min_value=1, max_value=15, initial=5)
    fields_codes = forms.CharField(
        label="专业领域（行业代码）", required=False, help_text="留空则按项目所属行业大类抽取；多个用空格分隔"
    )
    mode = forms.ChoiceField(label="方式", choices=Review.Mode.choices, initial=Review.Mode.ONLINE)
    blind = forms.BooleanField(label="匿名评审（专家看不到投资方名称）", required=False, initial=True)
    seed = forms.CharField(
        label="抽取种子", required=False, max_length=64, help_text="留空自动生成；相同种子与相同专家池抽取结果相同"
    )

    def __init__(self, *args, rubrics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric_id"].choices = [(r.pk, r.name) for r in rubrics]


class DecisionForm(TablerFormMixin, forms.Form):
    outcome = forms.ChoiceField(label="决策结论", choices=Decision.Outcome.choices)
    conditions = forms.CharField(
        label="附加条件",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一项，如“投资强度不低于300万元/亩”",
    )
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewTitleForm(BusinessForm):
    class Meta:
        model = Review
        fields = ["title"]


class CountyRecordForm(BusinessForm):
    """A county's reference record (no ``version``: see ``adviser_views.CountyRecordEditView``)."""

    version = None

    def clean_version(self):
        return None


class ResearchOrgForm(CountyRecordForm):
    class Meta:
        model = ResearchOrg
        fields = ["name", "kind", "note"]


class AdviserGroupForm(CountyRecordForm):
    class Meta:
        model = AdviserGroup
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class MemberForm(TablerFormMixin, forms.Form):
    expert = forms.TypedChoiceField(label="专家", coerce=int)
    speciality = forms.CharField(label="顾问专长", max_length=100, required=False)

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(e.pk, f"{e.name}（{e.employer or '—'}）") for e in experts]
        self.fields["expert"].choices = [("", "请选择专家"), *choices]


class OpinionRequestForm(TablerFormMixin, forms.Form):
    group = forms.TypedChoiceField(label="顾问团", coerce=int)
    project = forms.TypedChoiceField(label="项目", coerce=int)
    question = forms.CharField(label="咨询事项", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, groups=(), projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, g.name) for g in groups]
        self.fields["project"].choices = [("", "请选择项目")] + [(pk, name) for pk, name in projects]


class OpinionForm(TablerFormMixin, forms.Form):
    text = forms.CharField(label="意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class RubricVersionForm(TablerFormMixin, forms.Form):
    content = forms.CharField(
        label="评分表内容（JSON）",
        widget=forms.Textarea(attrs={"rows": 30, "class": "font-monospace", "spellcheck": "false"}),
        help_text="在当前版本的基础上修改后保存为新版本；已保存的版本不再改变，已发起的研判仍按原版本评分。",
    )

    def clean_content(self):
        try:
            return json.loads(self.cleaned_data["content"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列附近有误") from exc


class RubricCreateForm(TablerFormMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    description = forms.CharField(label="说明", max_length=300, required=False)
    copy_from = forms.ChoiceField(
        label="起点",
        required=False,
        help_text="复制一个已发布的版本作为新评分表的第1版，或从空白开始（发布第1版后启用）",
    )

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {str(v.pk): v for v in versions}
        self.fields["copy_from"].choices = [("", "从空白开始"), *[(k, str(v)) for k, v in self.versions.items()]]

    def clean_copy_from(self):
        return self.versions.get(self.cleaned_data["copy_from"])
