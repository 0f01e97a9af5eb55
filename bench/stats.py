"""Benchmark of the statistics: the FDI numbers and the cockpit's data over a large library.

    .venv/bin/python bench/stats.py --db sqlite --records 1000000 --projects 100000
    .venv/bin/python bench/stats.py --db postgres --records 1000000 --projects 100000

Generates FDI records over seven years (bulk insert) and projects (through bench/projects.py's
generator) — the roll-up triggers run for every inserted record, and the roll-ups are then compared with
the records — and times, as a county leader, each 15 times after a warm-up: ``selectors.fdi_stats`` (the
/api/v1/stats/fdi numbers) and its HTTP endpoint, the monthly series, the breakdown, the rankings,
``selectors.overview`` (the cockpit's data), and the 统计分析 and cockpit pages. The
baseline in the same run is one raw SQL aggregate computing the same cumulative/previous-year sums.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def timed(fn, repeat: int = 15) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def generate_records(n: int, leader) -> float:
    from django.db import transaction

    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.stats.models import FDIRecord, Target

    rng = random.Random(3)
    region = leader.org_unit.region
    units = list(region.__class__.objects.filter(region=region, kind__in=["town", "center", "office"]))
    started = time.perf_counter()
    with transaction.atomic():
        enterprises = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    name=f"外资企业{i:05d}（中国）有限公司",
                    normalized_name=f"外资企业{i:05d}",
                    origin="foreign",
                    org_unit=rng.choice(units),
                    region=region,
                )
                for i in range(5000)
            ],
            batch_size=1000,
        )
        batch = []
        for _ in range(n):
            kind = "actual" if rng.random() < 0.6 else "contract"
            form = rng.choice(["new", "increase", "reinvest", "merger", "decrease" if kind == "contract" else "new"])
            amount = Decimal(rng.randint(1, 200000)) / 100
            enterprise = rng.choice(enterprises)
            batch.append(
                FDIRecord(
                    date=date(rng.randint(2020, 2026), rng.randint(1, 12), rng.randint(1, 28)),
                    kind=kind,
                    form=form,
                    amount=amount,
                    signed_amount=-amount if form == "decrease" else amount,
                    enterprise=enterprise,
                    country=rng.choice(["中国香港", "新加坡", "德国", "日本", "美国"]),
                    org_unit_id=enterprise.org_unit_id,
                    region=region,
                )
            )
            if len(batch) == 10000:
                FDIRecord.objects.bulk_create(batch, batch_size=5000)
                batch = []
        FDIRecord.objects.bulk_create(batch, batch_size=5000)
        for metric, value in (("actual", 150000000), ("contract", 250000000)):
            Target.objects.create(region=region, org_unit=region, year=2026, metric=metric, value=Decimal(value))
    return time.perf_counter() - started


def raw_baseline(leader):
    """The cumulative and previous-year sums of both kinds in one SQL statement (what the numbers cost the
    database alone)."""
    from django.db import connection

    sql = (
        "SELECT kind, SUM(CASE WHEN date >= %s AND date < %s THEN signed_amount ELSE 0 END), "
        "SUM(CASE WHEN date >= %s AND date < %s THEN signed_amount ELSE 0 END) "
        "FROM stats_fdirecord WHERE region_id = %s AND deleted_at IS NULL AND date >= %s AND date < %s GROUP BY kind"
    )
    params = [
        date(2026, 1, 1),
        date(2026, 7, 1),
        date(2025, 1, 1),
        date(2025, 7, 1),
        leader.org_unit.region_id,
        date(2025, 1, 1),
        date(2026, 7, 1),
    ]

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return run


def main() -> None:
    import projects as project_bench

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    project_bench.setup(args.db)
    info = project_bench.generate(args.projects, args.projects)
    leader = info["leader"]
    seconds = generate_records(args.records, leader)
    print(f"generated {args.records} FDI records in {seconds:.0f} s (roll-ups kept by the triggers)")
    from zhaoshang.stats import rollup

    started = time.perf_counter()
    problems = rollup.differences()
    verify_seconds = time.perf_counter() - started
    assert problems == [], problems[:5]
    print(f"roll-ups equal the records (checked in {verify_seconds:.1f} s)")
    if args.db == "postgres":
        from django.db import connection as pg

        with pg.cursor() as cursor:
            cursor.execute("ANALYZE")

    from django.core import signals
    from django.db import close_old_connections
    from django.test import Client
    from django.utils import timezone

    from zhaoshang.stats import selectors

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(leader)
    today = timezone.localdate()
    for url in ("/api/v1/stats/fdi?year=2026&month=6", "/stats/?period=2026-06", "/stats/cockpit/"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    results = {
        "fdi_stats": timed(lambda: selectors.fdi_stats(user=leader, year=2026, month=6)),
        "fdi_api": timed(lambda: client.get("/api/v1/stats/fdi?year=2026&month=6")),
        "monthly": timed(lambda: selectors.monthly(user=leader, year=2026)),
        "breakdown": timed(lambda: selectors.breakdown(user=leader, year=2026, month=6)),
        "rankings": timed(lambda: selectors.rankings(user=leader, year=2026, month=6)),
        "overview": timed(lambda: selectors.overview(user=leader, today=today)),
        "stats_page": timed(lambda: client.get("/stats/?period=2026-06")),
        "cockpit_page": timed(lambda: client.get("/stats/cockpit/")),
        "raw_sql": timed(raw_baseline(leader)),
    }
    raw = results["raw_sql"][0]
    from django.db import connection

    version = (
        connection.cursor().execute("SHOW server_version").fetchone()[0]
        if args.db == "postgres"
        else __import__("sqlite3").sqlite_version
    )
    lines = [
        f"### {'PostgreSQL' if args.db == 'postgres' else 'SQLite'} ({version}), {args.records:,} FDI records, "
        f"{args.projects:,} projects — {date.today():%Y-%m-%d}",
        "",
        "| metric | median | p95 | target | baseline: the raw SQL aggregate over the records | ratio (median ÷ baseline) |",
        "|---|---|---|---|---|---|",
    ]
    for key, label in (
        ("fdi_stats", "FDI numbers (selector)"),
        ("fdi_api", "GET /api/v1/stats/fdi"),
        ("monthly", "12 months, both kinds (selector)"),
        ("breakdown", "by country, form, unit, large projects (selector)"),
        ("rankings", "unit rankings (selector)"),
        ("overview", "cockpit data (selector)"),
        ("stats_page", "统计分析 page (HTML)"),
        ("cockpit_page", "cockpit page (HTML)"),
    ):
        median, p95 = results[key]
        lines.append(f"| {label} | {median:.1f} ms | {p95:.1f} ms | ≤ 300 ms | {raw:.1f} ms | {median / raw:.2f}× |")
    lines.append(
        f"\nRecords generated in {seconds:.0f} s by bulk insert through the roll-up triggers; the roll-ups were "
        f"then compared with the records (`rollup.differences()`, {verify_seconds:.1f} s): equal."
    )
    body = "\n".join(lines) + "\n"
    print(body)
    if not args.no_doc:
        project_bench.update_section(
            body,
            f"stats:{args.db}",
            "## 经济运行分析 (statistics)",
            "Method: `bench/stats.py` (see its docstring); reproduce with "
            "`.venv/bin/python bench/stats.py --db sqlite` and `--db postgres`.",
        )


if __name__ == "__main__":
    main()
