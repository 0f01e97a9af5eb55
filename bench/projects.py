"""Benchmark of the project library: list page, board and the nightly warning recomputation.

    .venv/bin/python bench/projects.py --db sqlite --projects 100000 --events 1000000
    .venv/bin/python bench/projects.py --db postgres --projects 100000 --events 1000000

Generates the data straight into a separate bench database (bulk inserts, not the services: the
point is the read side), then measures with Django's test client as a county leader (who sees every
project): the list page at 25 and 100 rows per page (query counts must be equal), the board, and
``warnings_recompute`` over every project. Each page is timed 15 times after a warm-up; the baseline
in the same run is the raw SQL of the same page's main query. Results go to docs/benchmarks.md.
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
        path = ROOT / "var" / "bench-projects.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "DROP DATABASE IF EXISTS zhaoshang_bench_projects"],
            check=True,
        )
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "CREATE DATABASE zhaoshang_bench_projects"], check=True
        )
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/zhaoshang_bench_projects"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # The pages are rendered with the production static storage (a manifest), as deployed.
    call_command("collectstatic", interactive=False, verbosity=0)


def generate(n_projects: int, n_events: int) -> dict:
    from django.db import transaction

    from tests.factories import make_county, make_unit, make_user
    from zhaoshang.projects.models import Project, ProjectEvent, ProjectStage
    from zhaoshang.projects.stages import ensure_default_stages

    county = make_county()
    for name, code in [
        ("市场监督管理局", "scjg"),
        ("发展和改革局", "fgj"),
        ("住房和城乡建设局", "zjj"),
        ("经济和信息化局", "jxj"),
    ]:
        make_unit(name, "department", county.root, f"zj-{code}")
    stages = ensure_default_stages(county.root)
    leader = make_user("leader", "leader", county.root)
    units = [county.center, county.diankou, county.datang, county.office_sh]
    rng = random.Random(1)
    today = date.today()
    started = time.perf_counter()
    events_per_project = max(1, n_events // n_projects)
    batch = 5000
    with transaction.atomic():
        for start in range(0, n_projects, batch):
            projects = []
            for i in range(start, min(n_projects, start + batch)):
                stage = stages[rng.randrange(len(stages))]
                unit = rng.choice(units)
                projects.append(
                    Project(
                        code=f"B-{i:07d}",
                        name=f"基准项目{i:07d}",
                        org_unit=unit,
                        region_id=county.root.pk,
                        stage=stage,
                        grade=rng.choice("ABC"),
                        light=rng.choice(["green", "green", "yellow", "red"]),
                        last_progress_on=today - timedelta(days=rng.randint(0, 120)),
                        construction_start_planned=today + timedelta(days=rng.randint(-200, 200)),
                    )
                )
            Project.objects.bulk_create(projects, batch_size=1000)
            runs, events = [], []
            for project in projects:
                position = next(k for k, s in enumerate(stages) if s.pk == project.stage_id)
                opened = today - timedelta(days=rng.randint(0, 200))
                for k in range(position):
                    runs.append(
                        ProjectStage(
                            project=project,
                            stage=stages[k],
                            owner_unit=project.org_unit,
                            status="done",
                            opened_on=opened,
                            closed_on=opened,
                        )
                    )
                runs.append(
                    ProjectStage(
                        project=project,
                        stage=project.stage,
                        owner_unit=stages[position].owner_unit or project.org_unit,
                        opened_on=opened,
                        due_on=opened + timedelta(days=30),
                    )
                )
                events += [
                    ProjectEvent(project=project, kind="handoff", text="交棒", occurred_on=opened)
                    for _ in range(events_per_project)
                ]
            ProjectStage.objects.bulk_create(runs, batch_size=2000)
            ProjectEvent.objects.bulk_create(events, batch_size=5000)
    return {
        "leader": leader,
        "seconds": time.perf_counter() - started,
        "runs": ProjectStage.objects.count(),
        "events": ProjectEvent.objects.count(),
    }


def timed(fn, repeat: int = 15) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def measure(leader) -> dict:
    from django.core import signals
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.projects import selectors, services

    # As Django's test runner does: keep one connection across requests (and count its queries).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(leader)
    results = {}
    for label, url in [
        ("list_25", "/projects/"),
        ("list_100", "/projects/?page_size=100"),
        ("board", "/projects/board/"),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        count = len(queries)
        results[label] = (*timed(lambda url=url: client.get(url)), count)
    qs = selectors.project_list(user=leader, filters={}).queryset[:25]
    sql, params = qs.query.sql_with_params()

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)  # noqa: S608
            cursor.fetchall()

    results["raw_list_sql"] = (*timed(raw), 1)
    start = time.perf_counter()
    results["recompute_changed"] = services.warnings_recompute(region_id=leader.org_unit.region_id)
    results["recompute_s"] = time.perf_counter() - start
    # The nightly run: the day after, most lights are as they were.
    start = time.perf_counter()
    results["recompute_again_changed"] = services.warnings_recompute(region_id=leader.org_unit.region_id)
    results["recompute_again_s"] = time.perf_counter() - start
    return results


def write_doc(db: str, n: int, info: dict, results: dict) -> str:
    import django
    from django.db import connection

    version = (
        connection.cursor().execute("SHOW server_version").fetchone()[0]
        if db == "postgres"
        else __import__("sqlite3").sqlite_version
    )
    lines = [
        f"### {'PostgreSQL' if db == 'postgres' else 'SQLite'} ({version}), {n:,} projects, "
        f"{info['runs']:,} stage runs, {info['events']:,} project events — {date.today():%Y-%m-%d}",
        "",
        "| metric | median | p95 | queries | target | baseline (raw SQL of the list query) | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    raw = results["raw_list_sql"][0]
    for key, label in [("list_25", "list page, 25 rows"), ("list_100", "list page, 100 rows"), ("board", "board")]:
        median, p95, queries = results[key]
        lines.append(
            f"| {label} | {median:.1f} ms | {p95:.1f} ms | {queries} | ≤ 150 ms | {raw:.1f} ms | {median / raw:.1f}× |"
        )
    lines.append(
        f"| recompute all warnings, first run ({results['recompute_changed']:,} changed) | "
        f"{results['recompute_s']:.1f} s | | | ≤ 60 s | | |"
    )
    lines.append(
        f"| recompute all warnings, next run ({results['recompute_again_changed']:,} changed) | "
        f"{results['recompute_again_s']:.1f} s | | | ≤ 60 s | | |"
    )
    lines.append(f"\nGenerated in {info['seconds']:.0f} s (bulk insert). Django {django.get_version()}.\n")
    return "\n".join(lines)


def update_section(body: str, key: str, heading: str, intro: str) -> None:
    """Write ``body`` into docs/benchmarks.md under ``heading``, replacing only this key's block."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    begin, finish = f"<!-- {key} -->", f"<!-- /{key} -->"
    block = f"{begin}\n{body.strip()}\n{finish}"
    if begin in text:
        start = text.index(begin)
        text = text[:start] + block + text[text.index(finish, start) + len(finish) :]
    else:
        if heading not in text:
            text = text.rstrip() + f"\n\n{heading}\n\n{intro}\n"
        after = text.index(heading) + len(heading)
        following = text.find("\n## ", after)
        position = len(text) if following < 0 else following
        text = text[:position].rstrip() + "\n\n" + block + "\n" + text[position:]
    path.write_text(text.rstrip() + "\n", encoding="utf-8")


def update_benchmarks(section_body: str, db: str) -> None:
    update_section(
        section_body,
        f"projects:{db}",
        "## 项目库 (project library)",
        "Method: `bench/projects.py` (see its docstring). Reproduce with `.venv/bin/python bench/projects.py "
        "--db sqlite` and `--db postgres`. The machine has 2 cores; other work may have shared them.",
    )


def profile_board(leader) -> None:
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    client.force_login(leader)
    client.get("/projects/board/")
    cProfile.runctx("client.get('/projects/board/')", globals(), {"client": client}, "/tmp/board.prof")
    pstats.Stats("/tmp/board.prof").sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--profile-board", action="store_true")
    args = parser.parse_args()
    setup(args.db)
    info = generate(args.projects, args.events)
    if args.profile_board:
        profile_board(info["leader"])
        return
    print(
        f"generated {args.projects} projects, {info['runs']} runs, {info['events']} events in {info['seconds']:.0f} s"
    )
    if args.db == "postgres":
        # Fresh statistics after the bulk load, as autovacuum would gather them on a live database.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results = measure(info["leader"])
    body = write_doc(args.db, args.projects, info, results)
    print(body)
    if not args.no_doc:
        update_benchmarks(body, args.db)


if __name__ == "__main__":
    main()
