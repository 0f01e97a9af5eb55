"""The structured rubric editor: a sheet edited as sections → items with Django formsets, read back into a
version's ``content`` (see ``services.rubrics``) for the service to validate and publish.

Shape: one formset of sections (a title each) and, per section, a formset of its items (prefix ``s<n>``). Adding
or removing a section or an item is a submit button the server answers by re-rendering the editor from what was
typed (htmx swaps the editor in place; without JavaScript the page reloads), so nothing in the browser keeps
formset indices in step. The rules live in one place, ``services.rubrics.validate_content``; this module only
turns typed text into numbers and anchored bands, reporting what it cannot read at the same place
(第2部分第3项：…) as the service's own messages.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.forms import formset_factory

from zhaoshang.core.forms import TablerFormMixin

from .models import Decision
from .services.rubrics import INDICATORS

KIND_CHOICES = [("score", "专家评分"), ("objective", "客观指标"), ("veto", "一票否决")]
OUTCOMES = [(value, label) for value, label in Decision.Outcome.choices]
BAND_LINE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*分?\s*[-–—~～至到]\s*(\d+(?:\.\d+)?)\s*分?\s*[:：,，、]?\s*(.*?)\s*$")
ITEM_FIELDS = ("code", "title", "kind", "max", "indicator", "threshold", "lower_is_better", "bands")
MAX_SECTIONS, MAX_ITEMS = 20, 40


def _outcome_field(outcome: Decision.Outcome) -> forms.CharField:
    return forms.CharField(label=f"{outcome.label}（起始分）", max_length=10, required=False)


class SheetForm(TablerFormMixin, forms.Form):
    """The sheet as a whole: where each outcome starts (blank: not used) and the disagreement line."""

    min_recommend = _outcome_field(Decision.Outcome.RECOMMEND)
    min_conditional = _outcome_field(Decision.Outcome.CONDITIONAL)
    min_defer = _outcome_field(Decision.Outcome.DEFER)
    min_reject = _outcome_field(Decision.Outcome.REJECT)
    spread = forms.CharField(label="分歧提示线（分）", max_length=10, required=False)


class SectionForm(TablerFormMixin, forms.Form):
    title = forms.CharField(label="部分标题", max_length=100, required=False)


class ItemForm(TablerFormMixin, forms.Form):
    code = forms.CharField(label="编码", max_length=20, required=False)
    title = forms.CharField(label="评分项（否决项写否决规则）", max_length=200, required=False)
    kind = forms.ChoiceField(label="类型", choices=KIND_CHOICES, required=False)
    max = forms.CharField(label="满分", max_length=10, required=False)
    indicator = forms.ChoiceField(
        label="客观指标",
        required=False,
        choices=[("", "—（无，由专家判断）"), *[(c, f"{name}（{unit}）") for c, (name, unit) in INDICATORS.items()]],
    )
    threshold = forms.CharField(label="满分线 / 否决底线", max_length=20, required=False)
    lower_is_better = forms.BooleanField(label="越低越好", required=False)
    bands = forms.CharField(
        label="分数段说明",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个分数段：下限-上限 说明，如“11.25-15 高度契合主导产业”；须覆盖0到满分",
    )


SectionFormSet = formset_factory(SectionForm, extra=0, max_num=MAX_SECTIONS, absolute_max=MAX_SECTIONS)
ItemFormSet = formset_factory(ItemForm, extra=0, max_num=MAX_ITEMS, absolute_max=MAX_ITEMS)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value)).normalize()
        return f"{number:f}"
    return str(value)


def _number(text: str):
    """A typed number as JSON keeps it (int when whole), the text itself when it is not a number (the service
    then names the field), None when blank."""
    text = (text or "").strip().replace("，", "").replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    return int(number) if number == number.to_integral_value() else float(number)


def item_to_raw(item: dict) -> dict:
    """An item of a version's content as the editor's fields."""
    kind = item.get("kind", "score")
    bands = item.get("bands") or []
    return {
        "code": _text(item.get("code")),
        "title": _text(item.get("title")),
        "kind": kind,
        "max": "" if kind == "veto" else _text(item.get("max")),
        "indicator": item.get("indicator") or "",
        "threshold": _text(item.get("full_at") if kind == "objective" else item.get("floor")),
        "lower_is_better": bool(item.get("lower_is_better")),
        "bands": "\n".join(f"{_text(b.get('min'))}-{_text(b.get('max'))} {b.get('text', '')}" for b in bands),
    }


def content_to_raw(content: dict) -> dict:
    """A version's content as the editor's fields: ``{"sheet": {...}, "sections": [{"title", "items"}]}``."""
    sheet = {"spread": _text(content.get("spread", 15))}
    for band in content.get("bands", []):
        sheet.setdefault(f"min_{band.get('outcome')}", _text(band.get("min")))
    sections = [
        {"title": s.get("title", ""), "items": [item_to_raw(i) for i in s.get("items", [])]}
        for s in content.get("sections", [])
    ]
    return {"sheet": sheet, "sections": sections}


def empty_item(section_number: int, count: int) -> dict:
    return {"code": f"{section_number}.{count + 1}", "kind": "score", "lower_is_better": False}


def _bands(text: str, where: str) -> tuple[list[dict], list[str]]:
    bands, errors = [], []
    for n, line in enumerate((line for line in text.splitlines() if line.strip()), 1):
        match = BAND_LINE.match(line)
        if match is None:
            errors.append(f"{where}：分数段说明第{n}行应写成“下限-上限 说明”，如“12-15 高度契合”")
            continue
        low, high, words = match.groups()
        bands.append({"min": _number(low), "max": _number(high), "text": words})
    return bands, errors


def raw_item_to_content(raw: dict, where: str) -> tuple[dict, list[str]]:
    """One item's fields as content, with what could not be read (located at ``where``)."""
    kind = raw.get("kind") or "score"
    item = {"code": (raw.get("code") or "").strip(), "title": (raw.get("title") or "").strip(), "kind": kind}
    errors: list[str] = []
    threshold = _number(raw.get("threshold", ""))
    if kind == "veto":
        item.update(max=0, indicator=raw.get("indicator") or "", floor=threshold if raw.get("indicator") else None)
    elif kind == "objective":
        item.update(max=_number(raw.get("max", "")), indicator=raw.get("indicator") or "", full_at=threshold)
        if raw.get("lower_is_better"):
            item["lower_is_better"] = True
    else:
        item["max"] = _number(raw.get("max", ""))
        item["bands"], errors = _bands(raw.get("bands") or "", where)
    return item, errors


def raw_to_content(raw: dict) -> tuple[dict, list[str]]:
    """The editor's fields as a version's content, and what could not be read (the service checks the rest)."""
    errors: list[str] = []
    sections = []
    for s, section in enumerate(raw["sections"], 1):
        items = []
        for i, raw_item in enumerate(section["items"], 1):
            item, problems = raw_item_to_content(raw_item, f"第{s}部分第{i}项")
            items.append(item)
            errors += problems
        sections.append({"title": (section.get("title") or "").strip(), "items": items})
    sheet = raw["sheet"]
    bands = []
    for value, label in OUTCOMES:
        text = (sheet.get(f"min_{value}") or "").strip()
        if not text:
            continue
        low = _number(text)
        if not isinstance(low, int | float) or not 0 <= low <= 100:
            errors.append(f"得分档次“{label}”：起始分须为0到100之间的数")
        bands.append({"min": low, "outcome": value})
    spread = _number(sheet.get("spread", ""))
    return {"sections": sections, "bands": bands, "spread": 15 if spread is None else spread}, errors


class Editor:
    """The forms of one sheet: ``sheet``, ``sections`` (formset) and ``blocks`` — (section form, its items
    formset) pairs. Built unbound from fields (``from_raw``) or bound from a POST (``from_post``)."""

    def __init__(self, sheet: SheetForm, sections, items: list):
        self.sheet, self.sections = sheet, sections
        self.blocks = list(zip(sections.forms, items, strict=True))

    @classmethod
    def from_raw(cls, raw: dict) -> "Editor":
        sections = SectionFormSet(initial=[{"title": s.get("title", "")} for s in raw["sections"]], prefix="sections")
        items = [ItemFormSet(initial=section["items"], prefix=f"s{n}") for n, section in enumerate(raw["sections"])]
        return cls(SheetForm(initial=raw["sheet"], prefix="sheet"), sections, items)

    @classmethod
    def from_post(cls, data) -> "Editor":
        sections = SectionFormSet(data, prefix="sections")
        items = [ItemFormSet(data, prefix=f"s{n}") for n in range(len(sections.forms))]
        return cls(SheetForm(data, prefix="sheet"), sections, items)

    def raw(self) -> dict:
        """What was typed, field by field (bound or not): the editor's state to re-render or to read."""

        def values(form, names):
            return {name: "" if form[name].value() is None else form[name].value() for name in names}

        sheet = values(self.sheet, list(self.sheet.fields))
        sections = [
            {
                "title": section["title"].value() or "",
                "items": [values(form, ITEM_FIELDS) for form in formset.forms],
            }
            for section, formset in self.blocks
        ]
        for section in sections:
            for item in section["items"]:
                item["lower_is_better"] = bool(item["lower_is_better"])
        return {"sheet": sheet, "sections": sections}

    def management_forms(self):
        return [formset.management_form for _, formset in self.blocks]


def apply_action(raw: dict, action: str) -> dict:
    """The editor's fields after an add/remove button (``add_section``, ``add_item:<s>``, ``remove_item:<s>:<i>``,
    ``remove_section:<s>``, sections and items counted from 0). Unknown or out-of-range actions change nothing."""
    sections = raw["sections"]
    name, *args = action.split(":")
    try:
        numbers = [int(a) for a in args]
    except ValueError:
        return raw
    if name == "add_section" and len(sections) < MAX_SECTIONS:
        sections.append({"title": "", "items": [empty_item(len(sections) + 1, 0)]})
    elif name == "remove_section" and len(numbers) == 1 and 0 <= numbers[0] < len(sections):
        del sections[numbers[0]]
    elif name == "add_item" and len(numbers) == 1 and 0 <= numbers[0] < len(sections):
        items = sections[numbers[0]]["items"]
        if len(items) < MAX_ITEMS:
            items.append(empty_item(numbers[0] + 1, len(items)))
    elif name == "remove_item" and len(numbers) == 2 and 0 <= numbers[0] < len(sections):
        items = sections[numbers[0]]["items"]
        if 0 <= numbers[1] < len(items):
            del items[numbers[1]]
    return raw
