"""Benchmark of 项目研判: drawing experts from a large 专家库, and the review page with 15 experts' scores.

    .venv/bin/python bench/reviews.py --db sqlite --experts 10000 --relations 100000
    .venv/bin/python bench/reviews.py --db postgres --experts 10000 --relations 100000

Generates a county with ``--experts`` experts (two GB/T 4754 divisions each, all in 制造业 C), ``--relations``
declared relations with 5,000 enterprises (a few hundred with the investor's group) and 20,000 past employers,
straight into a separate bench database (bulk inserts). Measures, 15 times after a warm-up:
- the draw: the matching pool with every conflict rule and the seeded order, for fields ``C`` (every expert
  matches, so the whole library is screened) — target ≤ 200 ms;
- the whole request service (``review_create``: the draw plus writing the review, assignments and exclusions);
- the review page of a review with 15 submitted sheets, and its query count against a 3-expert review's
  (must be equal) — target ≤ 150 ms.
The baseline in the same run is the raw SQL that lists the county's expert ids.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings.base"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    if db == "sqlite":
        path = ROOT / "var" / "bench-reviews.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        for sql in ("DROP DATABASE IF EXISTS zhaoshang_bench_reviews", "CREATE DATABASE zhaoshang_bench_reviews"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/zhaoshang_bench_reviews"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def generate(n_experts: int, n_relations: int) -> dict:  # size: one linear script of bulk inserts
    from django.db import transaction

    from tests.factories import make_county, make_unit, make_user
    from zhaoshang.core.models import Industry
    from zhaoshang.core.text import normalize_company_name
    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.projects import services as project_services
    from zhaoshang.projects.stages import ensure_default_stages
    from zhaoshang.reviews import services
    from zhaoshang.reviews.models import Expert, ExpertEmployment, ExpertRelation

    started = time.perf_counter()
    rng = random.Random(16)
    county = make_county()
    for name, code in [
        ("市场监督管理局", "scjg"),
        ("发展和改革局", "fgj"),
        ("住房和城乡建设局", "zjj"),
        ("经济和信息化局", "jxj"),
    ]:
        make_unit(name, "department", county.root, f"zj-{code}")
    ensure_default_stages(county.root)
    center = make_user("center", "officer", county.center)
    services.ensure_starting_rubrics(county.root)
    divisions = list(Industry.objects.filter(section="C", level=2))
    with transaction.atomic():
        names = ["海亮集团有限公司"] + [f"基准企业{i:05d}有限公司" for i in range(5000)]
        Enterprise.objects.bulk_create(
            [
                Enterprise(
                    name=n, normalized_name=normalize_company_name(n), org_unit=county.center, region=county.root
                )
                for n in names
            ],
            batch_size=2000,
        )
        enterprises = list(Enterprise.objects.values_list("pk", "normalized_name"))
        investor = Enterprise.objects.get(name="海亮集团有限公司")
        Expert.objects.bulk_create(
            [
                Expert(
                    name=f"专家{i:05d}",
                    employer=f"基准研究院{i % 300}",
                    employer_key=f"基准研究院{i % 300}",
                    org_unit=county.center,
                    region=county.root,
                    is_available=rng.random() > 0.03,
                )
                for i in range(n_experts)
            ],
            batch_size=2000,
        )
        ids = list(Expert.objects.values_list("pk", flat=True))
        through = Expert.industries.through
        fields = {e: rng.sample(divisions, 2) for e in ids}
        through.objects.bulk_create(
            [through(expert_id=e, industry_id=d.pk) for e in ids for d in fields[e]], batch_size=5000
        )
        experts = [Expert(pk=e, field_codes=f" {' '.join(Expert.field_token(d) for d in fields[e])} ") for e in ids]
        Expert.objects.bulk_update(experts, ["field_codes"], batch_size=2000)
        relations = []
        for _ in range(n_relations):
            enterprise_id, key = enterprises[0] if rng.random() < 0.003 else rng.choice(enterprises)
            relations.append(
                ExpertRelation(
                    expert_id=rng.choice(ids), enterprise_id=enterprise_id, enterprise_key=key, kind="equity"
                )
            )
        ExpertRelation.objects.bulk_create(relations, batch_size=5000)
        today = date.today()
        ExpertEmployment.objects.bulk_create(
            [
                ExpertEmployment(
                    expert_id=rng.choice(ids),
                    employer=n,
                    employer_key=normalize_company_name(n),
                    ended_on=today - timedelta(days=rng.randint(30, 3000)),
                )
                for n in (rng.choice(names) for _ in range(20000))
            ],
            batch_size=5000,
        )
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would have them after a bulk load
        cursor.execute("ANALYZE")
    project = project_services.project_create(
        actor=center,
        data={
            "name": "基准研判项目",
            "investor": investor,
            "industry": Industry.objects.get(code="3841"),
            "land_mu": 100,
            "total_investment": 50000,
            "annual_tax": 3000,
        },
    )
    return {"center": center, "project": project, "seconds": time.perf_counter() - started, "county": county}


def timed(fn, repeat: int = 15) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def _scored_review(center, project, rubric, n: int, seed: str):
    """A review of ``n`` experts whose sheets are all in (written directly: the read side is measured)."""
    from decimal import Decimal

    from django.utils import timezone

    from zhaoshang.reviews import services
    from zhaoshang.reviews.models import Review, ReviewAssignment, Score

    review = services.review_create(
        actor=center,
        data={"project_id": project.pk, "rubric_id": rubric.pk, "experts": n, "fields": ["C"], "seed": seed},
    )
    drawn = list(review.assignments.filter(status="invited"))
    now = timezone.now()
    ReviewAssignment.objects.filter(pk__in=[a.pk for a in drawn]).update(
        status="submitted", commitment_signed_at=now, submitted_at=now
    )
    items = [i["code"] for i in review.rubric_version.items() if i["kind"] in ("score", "veto")]
    Score.objects.bulk_create(
        [Score(assignment=a, item=c, value=Decimal(10), comment="基准") for a in drawn for c in items]
    )
    Review.objects.filter(pk=review.pk).update(status="scoring")
    return review


def measure(info: dict) -> dict:  # size: the measurements in order, each a few lines
    from django.core import signals
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from zhaoshang.reviews import services
    from zhaoshang.reviews.models import Rubric
    from zhaoshang.reviews.services.drawing import Subject, draw_order, matching_pool

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    center, project, county = info["center"], info["project"], info["county"]
    rubric = Rubric.objects.get(region=county.root, name="亩均论英雄项目评分表")
    subject = Subject(
        investor_id=project.investor_id, investor_name=project.investor.name, unit_ids=project.org_unit.subtree_ids()
    )
    results = {}
    pool = matching_pool(region_id=county.root.pk, codes=["C"], subject=subject)
    results["pool"] = (len(pool.eligible), len(pool.exclusions))

    def draw():
        found = matching_pool(region_id=county.root.pk, codes=["C"], subject=subject)
        draw_order("bench", found.eligible)[:10]

    results["draw"] = timed(draw)
    counter = iter(range(1000))
    results["request"] = timed(
        lambda: services.review_create(
            actor=center,
            data={
                "project_id": project.pk,
                "rubric_id": rubric.pk,
                "experts": 5,
                "fields": ["C"],
                "seed": f"r{next(counter)}",
            },
        )
    )
    client = Client()
    client.force_login(center)
    counts = {}
    for n in (3, 15):
        review = _scored_review(center, project, rubric, n, f"page{n}")
        url = reverse("reviews:review_detail", args=[review.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[n] = len(queries)
        if n == 15:
            results["page_15"] = (*timed(lambda url=url: client.get(url)), counts[n])
    results["page_queries"] = counts

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM reviews_expert WHERE region_id = %s AND deleted_at IS NULL", [county.root.pk]
            )
            cursor.fetchall()

    results["raw"] = timed(raw)
    return results


def write_doc(db: str, args, info: dict, results: dict) -> str:
    import django
    from django.db import connection

    version = (
        connection.cursor().execute("SHOW server_version").fetchone()[0]
        if db == "postgres"
        else __import__("sqlite3").sqlite_version
    )
    raw = results["raw"][0]
    eligible, excluded = results["pool"]
    lines = [
        f"### {'PostgreSQL' if db == 'postgres' else 'SQLite'} ({version}), {args.experts:,} experts, "
        f"{args.relations:,} relations, 20,000 past employers — {date.today():%Y-%m-%d}",
        "",
        f"Pool for fields `C`: {eligible:,} eligible, {excluded:,} excluded (unavailable, employer, relation).",
        "",
        "| metric | median | p95 | queries | target | baseline (raw SQL: the county's expert ids) | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [
        ("draw (pool, conflicts, seeded order)", "draw", "", "≤ 200 ms"),
        ("request service (draw + writes)", "request", "", ""),
        ("review page, 15 experts' sheets", "page_15", results["page_15"][2], "≤ 150 ms"),
    ]
    for label, key, queries, target in rows:
        median, p95 = results[key][:2]
        lines.append(
            f"| {label} | {median:.1f} ms | {p95:.1f} ms | {queries} | {target} | {raw:.1f} ms | {median / raw:.1f}× |"
        )
    counts = results["page_queries"]
    lines.append(
        f"\nReview page queries: {counts[3]} with 3 experts, {counts[15]} with 15 (constant). "
        f"Generated in {info['seconds']:.0f} s (bulk insert). Django {django.get_version()}.\n"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--experts", type=int, default=10000)
    parser.add_argument("--relations", type=int, default=100000)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    setup(args.db)
    info = generate(args.experts, args.relations)
    results = measure(info)
    body = write_doc(args.db, args, info, results)
    print(body)
    if not args.no_doc:
        from bench.projects import update_section

        update_section(
            body,
            f"reviews:{args.db}",
            "## 项目研判 (reviews)",
            "Method: `bench/reviews.py` (see its docstring). Reproduce with `.venv/bin/python bench/reviews.py "
            "--db sqlite` and `--db postgres`. The machine has 2 cores; other work may have shared them.",
        )


if __name__ == "__main__":
    main()
