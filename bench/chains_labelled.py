"""Precision and recall of the chain classifier on the labelled set (tests/chains/data/labelled_enterprises.json)
against the reference chains, per split and per confidence threshold. No database: the index is built from
the data file. Run: python bench/chains_labelled.py [--split tune|holdout] [--errors]"""

import json
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings.base")
django.setup()

from zhaoshang.chains.classify import classify, index_from_data  # noqa: E402

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def evaluate(items, index, threshold: float, errors: list | None = None) -> dict:
    predicted = correct = expected_total = found = chain_correct = 0
    for item in items:
        hits = [
            (r["chain_code"], r["node_code"])
            for r in classify(
                region_id=0, name=item["name"], business_scope=item["business_scope"],
                industry=item.get("industry") or "", index=index,
            )
            if r["confidence"] >= threshold
        ]  # fmt: skip
        expected = {(e["chain"], e["node"]) for e in item["expected"]}
        chains = {c for c, _ in expected}
        predicted += len(hits)
        correct += sum(1 for h in hits if h in expected)
        chain_correct += sum(1 for h in hits if h[0] in chains)
        expected_total += len(expected)
        found += len(expected & set(hits))
        if errors is not None and set(hits) != expected:
            errors.append((item["name"], sorted(expected), hits))
    return {
        "threshold": threshold,
        "predicted": predicted,
        "precision": correct / predicted if predicted else 1.0,
        "chain_precision": chain_correct / predicted if predicted else 1.0,
        "recall": found / expected_total if expected_total else 1.0,
    }


def main() -> None:
    data = json.loads((ROOT / "zhaoshang/chains/data/chains.json").read_text(encoding="utf-8"))
    items = json.loads((ROOT / "tests/chains/data/labelled_enterprises.json").read_text(encoding="utf-8"))
    index = index_from_data(data)
    splits = [sys.argv[sys.argv.index("--split") + 1]] if "--split" in sys.argv else ["tune", "holdout"]
    for split in splits:
        chosen = [i for i in items if i["split"] == split]
        print(f"{split}: {len(chosen)} items, {sum(1 for i in chosen if not i['expected'])} off-chain")
        for t in THRESHOLDS:
            r = evaluate(chosen, index, t)
            print(
                f"  ≥{t:.1f}: predicted {r['predicted']:3d}  precision {r['precision']:.3f}  "
                f"(chain {r['chain_precision']:.3f})  recall {r['recall']:.3f}"
            )
    if "--errors" in sys.argv:
        errors: list = []
        threshold = (
            float(sys.argv[sys.argv.index("--errors") + 1]) if len(sys.argv) > sys.argv.index("--errors") + 1 else 0.6
        )
        evaluate([i for i in items if i["split"] == "tune"], index, threshold, errors)
        for name, expected, hits in errors:
            print(name, expected, "→", hits)


if __name__ == "__main__":
    main()
