"""Reference data kept inside the project (a fresh clone needs nothing from outside)."""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# Rows of the transcribed file that contradict the standard, keyed by (level, group, name) →
# the corrected class code. GB/T 4754-2017 lists 3741 飞机制造 as a 小类 under 374; the file has it as a
# second row for group 374 (see docs/reference-data.md).
INDUSTRY_ERRATA = {(3, "374", "飞机制造"): "3741"}

# Province-level divisions by their full names (an enterprise's 所在省份, a lead investor's province), then
# the three regions and abroad.
PROVINCES = [
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "中国香港",
    "中国澳门",
    "中国台湾",
    "境外",
]


def load_industries(industry_model) -> int:
    """Load GB/T 4754-2017 into ``industry_model`` (idempotent: existing codes are updated).

    Takes the model as an argument so that the data migration can pass its historical model.
    """
    rows = json.loads((DATA_DIR / "gbt4754-2017.json").read_text(encoding="utf-8"))
    existing = {i.code: i for i in industry_model.objects.all()}
    by_code: dict[str, object] = {}
    for row in rows:
        corrected = INDUSTRY_ERRATA.get((row["level"], row["group"], row["name"]))
        if corrected:
            row.update(level=4, **{"class": corrected})
    for row in sorted(rows, key=lambda r: r["level"]):
        level = row["level"]
        code = {1: row["section"], 2: row["division"], 3: row["group"], 4: row["class"]}[level]
        parent_code = None
        if level == 2:
            parent_code = row["section"]
        elif level == 3:
            parent_code = row["division"]
        elif level == 4:
            # A group holding a single class appears only through that class: attach to the division.
            parent_code = row["group"] if row["group"] in by_code else row["division"]
        item = existing.get(code) or industry_model(code=code)
        item.name = row["name"]
        item.level = level
        item.section = row["section"]
        item.note = row.get("note", "") or ""
        item.parent = by_code.get(parent_code) if parent_code else None
        item.save()
        by_code[code] = item
    return len(by_code)
