#!/usr/bin/env python
"""Benchmark of the chain map (产业链图谱, issue #14): batch linking of the library, strength of one chain, top 50
targets of a node — each beside a baseline measured in the same run.

Usage (from the project root)::

    .venv/bin/python bench/chains.py --db sqlite   --rows 100000
    .venv/bin/python bench/chains.py --db postgres --rows 100000

Starts from an empty bench database (SQLite ``var/bench-chains.sqlite3``, PostgreSQL ``zhaoshang_bench_chains``),
migrates, creates one county (``tests.factories.make_county``), loads the reference chains, and generates
``--rows`` enterprises with ``bulk_create``: 60 % with a name and business scope built from chain keywords, 40 %
off-chain; 8 % local (spread over the towns), 10 % with two signals. Then:

1. links the whole library with ``services.link_all`` (the resumable batch job: classify, write the links and
   their change-log rows) — baseline: the classifier alone over the same rows (no writes);
2. ``chain_strength`` of 新能源汽车 (all nodes), 20 runs — baseline: one ``COUNT(*)`` of the chain's links;
3. ``node_targets(limit=50)`` for 30 nodes of level 2–3 — baseline: the same candidates ordered by registered
   capital in SQL (the "largest registered capital first" list).

Results go to ``bench/results/chains-<db>.json`` and the section "产业链 (chains)" of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SQLITE_PATH = ROOT / "var" / "bench-chains.sqlite3"
PG_DB = "zhaoshang_bench_chains"
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
OFF_CHAIN = [
    "餐饮服务",
    "食品销售",
    "房地产经纪",
    "物业管理",
    "广告设计",
    "教育咨询",
    "家政服务",
    "服装零售",
    "酒店管理",
]


def configure(db: str, pg_db: str = PG_DB) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings.base"
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{SQLITE_PATH}" if db == "sqlite" else f"postgresql://postgres@127.0.0.1:5432/{pg_db}"
    )
    os.environ["ZHAOSHANG_VAR_DIR"] = str(ROOT / "var" / "bench")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)


def reset(db: str, pg_db: str = PG_DB) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {pg_db}")


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def generate(rows: int, county, keywords: list[str]) -> None:
    from zhaoshang.core.text import normalize_company_name
    from zhaoshang.enterprises.models import Enterprise, Signal

    rng = random.Random(14)
    towns = [county.diankou, county.datang]
    batch, signals = [], []
    for i in range(rows):
        on_chain = rng.random() < 0.6
        words = rng.sample(keywords, 2) if on_chain else rng.sample(OFF_CHAIN, 2)
        local = rng.random() < 0.08
        name = f"{'诸暨市' if local else rng.choice(['上海', '苏州', '深圳', '杭州', '合肥'])}{i}{words[0][:6]}有限公司"
        batch.append(
            Enterprise(
                name=name, normalized_name=normalize_company_name(name), kind="local" if local else "target",
                business_scope=f"{words[0]}、{words[1]}的研发、生产与销售；技术服务",
                registered_capital=Decimal(rng.randint(100, 500000)),
                province="浙江省" if local else "上海市", city="绍兴市" if local else "上海市",
                org_unit=rng.choice(towns) if local else county.center, region=county.root,
            )
        )  # fmt: skip
        if len(batch) == 5000:
            made = Enterprise.objects.bulk_create(batch)
            for e in made:
                if rng.random() < 0.1:
                    for _ in range(2):
                        signals.append(Signal(enterprise=e, kind=rng.choice(["financing", "branch", "outbound"]),
                                              occurred_on="2026-03-01", title="动态", org_unit=county.center,
                                              region=county.root))  # fmt: skip
            Signal.objects.bulk_create(signals)
            batch, signals = [], []
    if batch:
        Enterprise.objects.bulk_create(batch)


def main() -> None:  # size: one linear benchmark script
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--pg-db", default=PG_DB, help="the PostgreSQL database to drop and create")
    parser.add_argument("--workers", type=int, default=2, help="classifier processes of the batch linking")
    args = parser.parse_args()
    configure(args.db, args.pg_db)
    reset(args.db, args.pg_db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    from tests.factories import make_county
    from zhaoshang.chains import services
    from zhaoshang.chains.classify import classify, index_for
    from zhaoshang.chains.models import Chain, ChainNode, NodeLink
    from zhaoshang.chains.selectors.strength import chain_strength
    from zhaoshang.chains.selectors.targets import candidates, node_targets
    from zhaoshang.enterprises import selectors as enterprises
    from zhaoshang.enterprises.models import Enterprise

    county = make_county()
    services.load_reference_chains(region=county.root)
    keywords = sorted({k for n in ChainNode.objects.all() for k in n.keywords})
    t = time.perf_counter()
    generate(args.rows, county, keywords)
    gen_s = time.perf_counter() - t
    index = index_for(county.root.pk)
    sample = enterprises.enterprise_texts(region_id=county.root.pk, limit=min(args.rows, 20000))
    t = time.perf_counter()
    for _pk, name, scope, code in sample:
        classify(region_id=county.root.pk, name=name, business_scope=scope, industry=code, index=index)
    classify_rate = len(sample) / (time.perf_counter() - t)
    t = time.perf_counter()
    services.link_all(region_id=county.root.pk, subject="enterprise", restart=True, workers=args.workers)
    link_s = time.perf_counter() - t
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a bulk-loaded database has no statistics yet: the planner guesses
            cursor.execute("ANALYZE")
    links = NodeLink.objects.count()
    nev = Chain.objects.get(region=county.root, code="nev")
    strength, base_strength = [], []
    for _ in range(20):
        t = time.perf_counter()
        chain_strength(chain=nev)
        strength.append(time.perf_counter() - t)
        t = time.perf_counter()
        NodeLink.objects.filter(chain=nev).count()
        base_strength.append(time.perf_counter() - t)
    by_profiles = []  # the former path (each linked enterprise's profile read into Python), same run
    for _ in range(5):
        t = time.perf_counter()
        chain_strength(chain=nev, by_profiles=True)
        by_profiles.append(time.perf_counter() - t)
    nodes = list(ChainNode.objects.filter(chain__region=county.root, level__gte=2).select_related("chain"))
    random.Random(1).shuffle(nodes)
    targets, base_targets, sizes = [], [], []
    for node in nodes[:30]:
        t = time.perf_counter()
        node_targets(node=node, limit=50)
        targets.append(time.perf_counter() - t)
        t = time.perf_counter()
        ids = list(candidates(node=node))
        sizes.append(len(ids))
        list(Enterprise.objects.filter(pk__in=ids).order_by("-registered_capital").values_list("pk", flat=True)[:50])
        base_targets.append(time.perf_counter() - t)
    result = {
        "db": args.db,
        "vendor": connection.vendor,
        "rows": args.rows,
        "generate_s": round(gen_s, 1),
        "links": links,
        "link_s": round(link_s, 1),
        "link_workers": args.workers,
        "link_rate": round(args.rows / link_s),
        "classify_only_rate": round(classify_rate),
        "link_1m_extrapolated_min": round(1_000_000 / (args.rows / link_s) / 60, 1),
        "strength_ms_p50": round(statistics.median(strength) * 1000, 1),
        "strength_ms_p95": round(p95(strength) * 1000, 1),
        "strength_baseline_ms_p50": round(statistics.median(base_strength) * 1000, 1),
        "strength_by_profiles_ms_p50": round(statistics.median(by_profiles) * 1000, 1),
        "load_average": os.getloadavg(),
        "targets_ms_p50": round(statistics.median(targets) * 1000, 1),
        "targets_ms_p95": round(p95(targets) * 1000, 1),
        "targets_baseline_ms_p95": round(p95(base_targets) * 1000, 1),
        "candidates_median": int(statistics.median(sizes)),
        "candidates_max": max(sizes),
    }
    out = ROOT / "bench" / "results" / f"chains-{args.db}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
