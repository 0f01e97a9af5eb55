"""Reference data kept inside the project (a fresh clone needs nothing from outside)."""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# Rows of the transcribed file that contradict the standard, keyed by (level, group, name) →
# the corrected class code. GB/T 4754-2017 lists 3741 飞机制造 as a 小类 under 374; the file has it as a
# second row for group 374 (see docs/reference-data.md).
INDUSTRY_ERRATA = {(3, "374", "飞机制造"): "3741"}


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
