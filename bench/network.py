"""Benchmark of 招商网络: the funnel for all channels for a year, and an office's assessment.

    .venv/bin/python bench/network.py --db sqlite --leads 100000 --projects 100000
    .venv/bin/python bench/network.py --db postgres --leads 100000 --projects 100000

Generates the data straight into a separate bench database (bulk inserts, not the services: the point is the read
side): ``--leads`` leads of this year over every channel and unit, the first ``--projects`` of them converted to a
project (key dates filled in step by step, fewer at each step), actual FDI for a tenth of the projects, source
records for a quarter of the leads, four offices with targets and activities. Then, as the center's officer (who
sees the county): the funnel (``network.funnel.funnel``) and an office's assessment (``assessment_of``, which ranks
all four offices), each 7 times after a warm-up; the funnel also by the pass over the leads
(``funnel_from_leads``, what it did before the roll-up), 3 times, and checked equal. The baseline in the same run is the raw SQL of the funnel's lead
query (what any reading of the leads costs). Results go to docs/benchmarks.md.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from projects import update_section  # noqa: E402  (the same doc writer as the project benchmark)


def setup(db: str, reuse: bool = False) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings.base"
    if reuse:  # measure again the data a previous run generated
        os.environ["DATABASE_URL"] = (
            f"sqlite:///{ROOT / 'var' / 'bench-network.sqlite3'}"
            if db == "sqlite"
            else "postgres://postgres@127.0.0.1:5432/zhaoshang_bench_network"
        )
    elif db == "sqlite":
        path = ROOT / "var" / "bench-network.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        for sql in ("DROP DATABASE IF EXISTS zhaoshang_bench_network", "CREATE DATABASE zhaoshang_bench_network"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/zhaoshang_bench_network"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n_leads: int, n_projects: int) -> dict:  # size: one generator, step by step
    from django.core.management import call_command
    from django.db import transaction

    from tests.factories import make_county, make_unit, make_user
    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.leads.models import Lead
    from zhaoshang.network.models import Activity, LeadSource, OfficeProfile, OfficeTarget
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.stages import ensure_default_stages
    from zhaoshang.stats.models import FDIRecord

    county = make_county()
    county.center.is_coordinating = True
    county.center.save(update_fields=["is_coordinating"])
    offices = [county.office_sh] + [
        make_unit(f"{c}办事处", "office", county.center, f"zj-office-{k}")
        for c, k in (("北京", "bj"), ("深圳", "sz"), ("成都", "cd"))
    ]
    stages = ensure_default_stages(county.root)
    center = make_user("center", "officer", county.center)
    units = [county.center, county.diankou, county.datang, *offices]
    region = county.root.pk
    rng = random.Random(17)
    year = date.today().year
    start_day = date(year, 1, 1)
    channels = ["office", "town", "department", "agency", "referral", "sister_city", "fair", "online"]
    started = time.perf_counter()
    with transaction.atomic():
        profiles = [
            OfficeProfile.objects.create(name=u.name, city=u.name[:2], org_unit=u, region_id=region) for u in offices
        ]
        for p in profiles:
            OfficeTarget.objects.create(
                office=p,
                year=year,
                new_leads=5000,
                valid_visits=400,
                negotiating=2000,
                signed=800,
                landed=300,
                fdi_usd=Decimal("5000"),
            )
        Activity.objects.bulk_create(
            [
                Activity(
                    org_unit=rng.choice(offices),
                    region_id=region,
                    kind="visit",
                    date=start_day + timedelta(days=rng.randint(0, 300)),
                    topic=f"拜访{i}",
                    enterprise_name=f"企业{i}",
                )
                for i in range(4000)
            ],
            batch_size=2000,
        )
        enterprise = Enterprise.objects.create(name="基准外资企业有限公司", org_unit=county.center, region_id=region)
        batch = 5000
        for first in range(0, n_leads, batch):
            projects, leads = [], []
            for i in range(first, min(n_leads, first + batch)):
                registered = start_day + timedelta(days=rng.randint(0, 300))
                project = None
                if i < n_projects:
                    contact = registered + timedelta(days=rng.randint(1, 30))
                    dates = {"first_contact_actual": contact}
                    day = contact
                    for stem in ("signed", "registered", "construction_start"):
                        if rng.random() < 0.5:
                            break
                        day = day + timedelta(days=rng.randint(5, 60))
                        dates[f"{stem}_actual"] = day
                    project = Project(
                        code=f"B-{i:07d}",
                        name=f"基准项目{i:07d}",
                        org_unit=rng.choice(units),
                        region_id=region,
                        stage=stages[0],
                        total_investment=Decimal(rng.randint(100, 90000)),
                        **dates,
                    )
                    projects.append(project)
                unit = rng.choice(units)
                source = "office" if unit in offices else rng.choice(channels)
                leads.append(
                    Lead(
                        code=f"XS-{i:07d}",
                        title=f"基准线索{i:07d}",
                        org_unit=unit,
                        region_id=region,
                        source=source,
                        source_unit=unit if source == "office" else None,
                        registered_on=registered,
                        status="converted"
                        if project
                        else rng.choice(["new", "assigned", "following", "assessed", "shelved"]),
                        assessed_on=registered + timedelta(days=3) if rng.random() < 0.5 else None,
                        chain=rng.choice(["", "智能视觉", "新能源汽车"]),
                    )
                )
            Project.objects.bulk_create(projects, batch_size=1000)
            by_index = {int(p.code[2:]): p for p in projects}
            for lead in leads:
                lead.project = by_index.get(int(lead.code[3:]))
            Lead.objects.bulk_create(leads, batch_size=1000)
            LeadSource.objects.bulk_create(
                [
                    LeadSource(lead=lead, kind="event", created_by=center)
                    for lead in leads
                    if rng.random() < 0.25 and lead.source != "office"
                ],
                batch_size=2000,
            )
            FDIRecord.objects.bulk_create(
                [
                    FDIRecord(
                        date=p.first_contact_actual + timedelta(days=200),
                        enterprise=enterprise,
                        project=p,
                        kind="actual",
                        form="new",
                        amount=Decimal("100"),
                        signed_amount=Decimal("100"),
                        org_unit=p.org_unit,
                        region_id=region,
                        country="德国",
                    )
                    for p in projects
                    if rng.random() < 0.1
                ],
                batch_size=2000,
            )
    rebuild_started = time.perf_counter()
    call_command("network_progress", "--rebuild", verbosity=0)  # bulk inserts send no save signals
    rollup_seconds = time.perf_counter() - rebuild_started
    analyze()
    return {
        "center": center,
        "rollup_seconds": rollup_seconds,
        "office": profiles[0],
        "year": year,
        "seconds": time.perf_counter() - started,
        "leads": Lead.objects.count(),
        "projects": Project.objects.count(),
        "fdi": FDIRecord.objects.count(),
    }


def analyze() -> None:
    """Refresh the planner's statistics after the bulk load, as autovacuum does on a live database some time
    after such a load. Without them PostgreSQL estimates one row for every date range of the 100,000 fresh
    projects and walks an index over half the table (172 ms instead of 50 ms for the assessment's signed count)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def reused() -> dict:
    """What ``generate`` returns, read back from the data of a previous run."""
    from zhaoshang.accounts.models import User
    from zhaoshang.leads.models import Lead
    from zhaoshang.network.models import OfficeProfile
    from zhaoshang.projects.models import Project
    from zhaoshang.stats.models import FDIRecord

    return {
        "center": User.objects.get(username="center"),
        "rollup_seconds": None,
        "office": OfficeProfile.objects.order_by("id").first(),
        "year": date.today().year,
        "seconds": None,
        "leads": Lead.objects.count(),
        "projects": Project.objects.count(),
        "fdi": FDIRecord.objects.count(),
    }


def timed(fn, repeat: int = 7) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[-1]


def measure(info: dict) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.leads import selectors as lead_selectors
    from zhaoshang.network.assessment import assessment_of
    from zhaoshang.network.funnel import funnel, funnel_from_leads

    user, year, office = info["center"], info["year"], info["office"]
    results = {"load_before": os.getloadavg()[0]}
    with CaptureQueriesContext(connection) as queries:
        answer = funnel(user=user, year=year)
    results["funnel_queries"] = len(queries)
    results["funnel_leads"] = sum(e["steps"][0]["count"] for e in answer["channels"] if e["source"] is None)
    results["funnel"] = timed(lambda: funnel(user=user, year=year))
    results["same"] = answer == funnel_from_leads(user=user, year=year)
    results["funnel_leads_pass"] = timed(lambda: funnel_from_leads(user=user, year=year), repeat=3)
    with CaptureQueriesContext(connection) as queries:
        assessment_of(office=office, year=year)
    results["assessment_queries"] = len(queries)
    results["assessment"] = timed(lambda: assessment_of(office=office, year=year))
    results["assessment_month"] = timed(lambda: assessment_of(office=office, year=year, month=6))
    qs = lead_selectors.lead_progress(user=user, start=date(year, 1, 1), end=date(year, 12, 31))
    sql, params = qs.query.sql_with_params()

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)  # noqa: S608
            cursor.fetchall()

    results["raw"] = timed(raw)
    results["load_after"] = os.getloadavg()[0]
    return results


def write_doc(db: str, info: dict, results: dict) -> str:
    from django.db import connection

    version = (
        connection.cursor().execute("SHOW server_version").fetchone()[0]
        if db == "postgres"
        else __import__("sqlite3").sqlite_version
    )
    raw = results["raw"][0]
    lines = [
        f"### {'PostgreSQL' if db == 'postgres' else 'SQLite'} ({version}), {info['leads']:,} leads, "
        f"{info['projects']:,} projects, {info['fdi']:,} FDI records — {date.today():%Y-%m-%d}",
        "",
        "| metric | median | max | queries | target | baseline (raw SQL of the funnel's lead query) | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, label, queries in [
        ("funnel", f"funnel, all channels, one year ({results['funnel_leads']:,} leads)", results["funnel_queries"]),
        ("funnel_leads_pass", "the same funnel by the pass over the leads (before; 3 runs)", "—"),
        ("assessment", "an office's assessment, year (all 4 offices ranked)", results["assessment_queries"]),
        ("assessment_month", "an office's assessment, one month", results["assessment_queries"]),
    ]:
        median, worst = results[key]
        lines.append(
            f"| {label} | {median:.0f} ms | {worst:.0f} ms | {queries} | ≤ 300 ms | {raw:.0f} ms | "
            f"{median / raw:.1f}× |"
        )
    generated = (
        "Data of a previous run (`--reuse`)"
        if info["seconds"] is None
        else f"Generated in {info['seconds']:.0f} s (bulk insert); roll-up rebuilt in {info['rollup_seconds']:.0f} s"
    )
    lines.append(
        f"\n{generated}; the roll-up's funnel {'equals' if results['same'] else 'DIFFERS FROM'} the pass over the "
        f"leads. Load average (1 min) {results['load_before']:.1f} when measuring began, "
        f"{results['load_after']:.1f} when it ended, on {os.cpu_count()} cores.\n"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="measure the data of the previous run again")
    args = parser.parse_args()
    setup(args.db, args.reuse)
    info = reused() if args.reuse else generate(args.leads, args.projects)
    if info["seconds"] is not None:
        print(
            f"generated {info['leads']:,} leads, {info['projects']:,} projects in {info['seconds']:.0f} s", flush=True
        )
    results = measure(info)
    body = write_doc(args.db, info, results)
    print(body)
    if not args.no_doc:
        update_section(
            body,
            f"network:{args.db}",
            "## 招商网络 (funnel and assessment)",
            "Method: `bench/network.py` (see its docstring). Reproduce with `.venv/bin/python bench/network.py "
            "--db sqlite` and `--db postgres`. The machine has 2 cores shared with other work.",
        )


if __name__ == "__main__":
    main()
