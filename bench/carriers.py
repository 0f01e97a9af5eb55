"""Benchmark of the 载体库: one project's 要素匹配, the map's data for the whole county, and the reverse match of
one carrier against the live pipeline.

    .venv/bin/python bench/carriers.py --db sqlite --carriers 10000 --projects 100000
    .venv/bin/python bench/carriers.py --db postgres --carriers 10000 --projects 100000

Generates the data straight into a separate bench database (bulk inserts: the point is the read side), then
times each operation 30 times after a warm-up as a county leader. The baseline in the same run is the bare
query each operation starts from (the carriers' values for matching and the map, the pipeline's site needs for
the reverse match), so the ratio shows what the Python work on top costs. Prints a Markdown section.
"""

import argparse
import gzip
import json
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


def setup(db: str, reuse: bool = False) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings.base"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    if reuse:  # measure again the data a previous run generated
        name = "bench-carriers.sqlite3" if db == "sqlite" else None
        os.environ["DATABASE_URL"] = (
            f"sqlite:///{ROOT / 'var' / name}"
            if name
            else "postgres://postgres@127.0.0.1:5432/zhaoshang_bench_carriers"
        )
    elif db == "sqlite":
        path = ROOT / "var" / "bench-carriers.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        for sql in ("DROP DATABASE IF EXISTS zhaoshang_bench_carriers", "CREATE DATABASE zhaoshang_bench_carriers"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/zhaoshang_bench_carriers"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n_carriers: int, n_projects: int) -> dict:  # size: one bulk generator for both tables
    from django.db import connection, transaction

    from tests.factories import make_county, make_user
    from zhaoshang.carriers.map_features import feature_body
    from zhaoshang.carriers.models import Carrier
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.stages import ensure_default_stages

    county = make_county()
    stages = ensure_default_stages(county.root)
    leader = make_user("leader", "leader", county.root)
    units = [county.center, county.diankou, county.datang]
    rng = random.Random(13)
    today = date.today()
    started = time.perf_counter()
    with transaction.atomic():
        rows = []
        for i in range(n_carriers):
            kind = rng.choices(["parcel", "factory", "building", "redevelop", "park"], weights=[55, 20, 10, 10, 5])[0]
            lat, lng = 29.52 + rng.random() * 0.4, 119.97 + rng.random() * 0.5
            boundary = None
            if kind == "parcel" and rng.random() < 0.5:
                d = 0.0015
                ring = [
                    [lng - d, lat - d],
                    [lng + d, lat - d],
                    [lng + d, lat + d],
                    [lng - d, lat + d],
                    [lng - d, lat - d],
                ]
                boundary = {"type": "Polygon", "coordinates": [ring]}
            rows.append(
                Carrier(
                    kind=kind,
                    name=f"基准载体{i:05d}",
                    org_unit=rng.choice(units),
                    region_id=county.root.pk,
                    town=rng.choice([county.diankou, county.datang]),
                    latitude=Decimal(f"{lat:.6f}"),
                    longitude=Decimal(f"{lng:.6f}"),
                    boundary=boundary,
                    area_mu=Decimal(rng.choice([15, 30, 52, 80, 120, 200])) if kind != "building" else None,
                    floor_area_m2=Decimal(rng.choice([2000, 5000, 8000])) if kind in ("factory", "building") else None,
                    power_kva=rng.choice([630, 1250, 2000, 3150]),
                    price_wan_per_mu=Decimal(rng.choice([22, 30, 42])),
                    status=rng.choices(["available", "negotiating", "reserved", "taken"], weights=[60, 10, 10, 20])[0],
                    industry_focus=rng.choice(["", "C34", "C36,C38", "C"]),
                    available_from=today + timedelta(days=rng.choice([0, 30, 200])),
                )
            )
        for carrier in rows:  # bulk_create skips save(), which builds the map text
            carrier.map_feature = feature_body(carrier)
        Carrier.objects.bulk_create(rows, batch_size=2000)
        batch = 5000
        for start in range(0, n_projects, batch):
            projects = []
            for i in range(start, min(n_projects, start + batch)):
                stage = stages[rng.randrange(len(stages))]
                projects.append(
                    Project(
                        code=f"B-{i:07d}",
                        name=f"基准项目{i:07d}",
                        org_unit=rng.choice(units),
                        region_id=county.root.pk,
                        stage=stage,
                        land_mu=Decimal(rng.choice([0, 30, 50, 80, 120])) or None,
                    )
                )
            Project.objects.bulk_create(projects, batch_size=1000)
    if connection.vendor == "postgresql":  # the planner's statistics, as autovacuum refreshes them after a load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"leader": leader, "seconds": time.perf_counter() - started}


def timed(fn, repeat: int = 30) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def measure(leader) -> dict:
    from django.conf import settings
    from django.test import Client, override_settings

    from zhaoshang.carriers import matching, selectors
    from zhaoshang.carriers.models import Carrier
    from zhaoshang.leads import selectors as leads
    from zhaoshang.projects import selectors as projects

    load_before = os.getloadavg()[0]
    needs = matching.Needs.from_dict({"land_mu": 80, "power_kva": 2000, "industry": "3670", "town": "店口镇"})
    queryset = Carrier.objects.restrict(leader)
    live = queryset.filter(status__in=["available", "negotiating"]).exclude(kind="park")
    results = {}
    results["match"] = timed(lambda: matching.run_match(queryset, needs))
    results["match_base"] = timed(lambda: list(live.values(*matching.FIELDS)))

    def map_data():
        return selectors.map_geojson(user=leader, filters={})

    body = map_data().encode()
    results["map"] = timed(map_data, repeat=30)
    results["map_base"] = timed(lambda: list(queryset.values(*selectors.MAP_FIELDS, "boundary")), repeat=15)
    results["map_bytes"] = (len(body), len(gzip.compress(body, 6)))
    client = Client()
    client.force_login(leader)

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    assert json.loads(get("/api/v1/carriers/map").content) == json.loads(body)
    results["map_http"] = timed(lambda: get("/api/v1/carriers/map"), repeat=30)
    results["map_http_base"] = results["map_base"]
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):  # no collected manifest in a bench checkout
        results["map_page"] = timed(lambda: get("/carriers/map/"), repeat=15)
    results["map_page_base"] = results["map_base"]
    carrier = live.filter(kind="parcel", area_mu__gte=120).first()

    bounds = matching.pipeline_bounds(carrier)

    def reverse():
        pipeline = leads.site_needs_open(user=leader, limit=500, **bounds) + projects.site_needs_open(
            user=leader, limit=500, **bounds
        )
        return matching.reverse_match(carrier, pipeline)

    results["reverse"] = timed(reverse, repeat=15)
    results["reverse_base"] = timed(
        lambda: leads.site_needs_open(user=leader) + projects.site_needs_open(user=leader), repeat=15
    )
    results["pipeline"] = projects.site_needs_open(user=leader, limit=10**6, **bounds).__len__()
    results["load"] = (load_before, os.getloadavg()[0])
    return results


def report(db: str, n_carriers: int, n_projects: int, info: dict, r: dict) -> str:
    rows = [
        ("match one project (10 candidates of every live carrier)", "match", "≤ 100 ms p95"),
        ("map data, whole county (GeoJSON, the selector)", "map", "≤ 200 ms"),
        ("the same through the request stack (GET /api/v1/carriers/map)", "map_http", "≤ 200 ms"),
        ("the map page itself (GET /carriers/map/, HTML)", "map_page", "—"),
        ("reverse match of one carrier vs the live pipeline", "reverse", "≤ 300 ms"),
    ]
    lines = [
        f"### {db}: {n_carriers:,} carriers, {n_projects:,} projects ({date.today()})",
        "",
        f"Generated in {info['seconds']:.0f} s; machine load average (1 min) {r['load'][0]:.1f} when measuring "
        f"began, {r['load'][1]:.1f} when it ended, on {os.cpu_count()} cores. Live pipeline a carrier of ≥ 120 亩 could take: {r['pipeline']:,} "
        "projects; the reverse match reads the 500 largest that fit per library and ranks them. Map body: "
        f"{r['map_bytes'][0] / 1e6:.2f} MB, {r['map_bytes'][1] / 1e6:.2f} MB gzip (target ≤ 2 MB compressed).",
        "",
        "| operation | median | p95 | target | baseline (its bare query) | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for label, key, target in rows:
        median, p95 = r[key]
        base = r[f"{key}_base"][0]
        lines.append(f"| {label} | {median:.1f} ms | {p95:.1f} ms | {target} | {base:.1f} ms | {median / base:.1f}× |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--carriers", type=int, default=10000)
    parser.add_argument("--projects", type=int, default=100000)
    parser.add_argument("--reuse", action="store_true", help="measure the data of the previous run again")
    args = parser.parse_args()
    setup(args.db, args.reuse)
    if args.reuse:
        from zhaoshang.accounts.models import User

        info = {"leader": User.objects.get(username="leader"), "seconds": 0}
    else:
        info = generate(args.carriers, args.projects)
    text = report(args.db, args.carriers, args.projects, info, measure(info["leader"]))
    print(text)
    out = ROOT / "bench" / "results" / f"carriers-{args.db}-{args.carriers}-{args.projects}.md"
    out.write_text(text)


if __name__ == "__main__":
    main()
