#!/usr/bin/env python
"""Load test: gunicorn (4 workers) under simulated officers (locust, headless), demo data and 1,000,000 enterprises.

Usage (from the project root; traffic goes to 127.0.0.1 only, every run is bounded in time)::

    .venv/bin/python bench/load.py --db postgres --users 50 --seconds 300 --enterprises 1000000
    .venv/bin/python bench/load.py --db sqlite --steps 10,25,50 --seconds 60 --enterprises 1000000
    .venv/bin/python bench/load.py --db postgres --users 20 --seconds 90 --drill pg-restart --reuse

What a run does:

1. prepares its own database (SQLite ``var/load-sqlite/``, PostgreSQL ``zhaoshang_load``; the demo's database is
   never touched): migrate, the demo data (``seed_demo``), static files; ``--reuse`` keeps a prepared one;
2. starts gunicorn with 4 workers on a free local port, with the demo settings (demo accounts, DEBUG off),
   PostgreSQL runs with Redis as the cache (``REDIS_URL``) and ``CONN_MAX_AGE=60`` as deployed;
3. runs ``bench/locustfile.py`` headless: ``--users`` users for ``--seconds`` seconds (or each of ``--steps``
   user counts in turn, to find how many users SQLite carries before p95 passes 500 ms) with the demo data;
4. with ``--enterprises N``: adds N generated enterprises with their search index (the generator of
   ``bench/enterprises.py``), then runs the same load again;
5. ``--drill pg-restart``: restarts PostgreSQL in the middle of the run and reports what the users saw during
   and after it (clean 503s or trace pages, and whether requests succeed again without restarting the platform).

Results: p50/p95/p99, requests/s and failures per run and per page (locust's CSV in ``var/load-<db>/``), written
to the section "Load (issue #19)" of docs/benchmarks.md, one block per database. The baseline measured in the
same run is one user alone (``--baseline-seconds``), so each p95 also reads as a ratio to the unloaded page.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PY = sys.executable
PG_DB = "zhaoshang_load"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7")
T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - T0:7.1f}s] {msg}", flush=True)


def var_dir(db: str) -> Path:
    return ROOT / "var" / f"load-{db}"


def server_env(db: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhaoshang.settings.base",
        "ZHAOSHANG_DEMO": "1",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "ZHAOSHANG_VAR_DIR": str(var_dir(db)),
        "PYTHONPATH": str(ROOT),
    }
    if db == "postgres":
        env.update(DATABASE_URL=PG_URL, REDIS_URL=REDIS_URL, CONN_MAX_AGE="60")
    else:
        env["DATABASE_URL"] = f"sqlite:///{var_dir(db) / 'zhaoshang.sqlite3'}"
        env.pop("REDIS_URL", None)
    return env


def manage(db: str, *args: str) -> None:
    subprocess.run([PY, "-m", "zhaoshang.cli", *args], env=server_env(db), check=True, cwd=ROOT)


def prepare(db: str) -> None:
    var = var_dir(db)
    if db == "sqlite":
        for path in var.glob("zhaoshang.sqlite3*"):
            path.unlink()
    else:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"],
            check=True,
        )
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {PG_DB}"], check=True)
    var.mkdir(parents=True, exist_ok=True, mode=0o700)
    (var / "enterprises.json").unlink(missing_ok=True)
    t = time.perf_counter()
    manage(db, "migrate", "--verbosity", "0")
    manage(db, "seed_demo")
    manage(db, "collectstatic", "--noinput", "--verbosity", "0")
    log(f"prepared the {db} database with the demo data in {time.perf_counter() - t:.0f} s")


def added_enterprises(db: str) -> int:
    path = var_dir(db) / "enterprises.json"
    return json.loads(path.read_text())["added"] if path.exists() else 0


def add_enterprises(db: str, n: int) -> None:
    """Generate ``n`` enterprises into the load database (in a child process: Django set up on that database)."""
    t = time.perf_counter()
    subprocess.run([PY, __file__, "--db", db, "--add-enterprises", str(n)], env=server_env(db), check=True)
    (var_dir(db) / "enterprises.json").write_text(json.dumps({"added": n}))
    log(f"added {n:,} enterprises in {time.perf_counter() - t:.0f} s")


def _add_enterprises_here(n: int) -> None:
    import multiprocessing
    from types import SimpleNamespace

    import django

    sys.path.insert(0, str(BENCH))
    django.setup()
    import enterprises as gen  # bench/enterprises.py: the generator of the million-row benchmark
    from django.contrib.auth import get_user_model
    from django.db import connections

    from zhaoshang.core import text
    from zhaoshang.core.models import Industry
    from zhaoshang.core.parsers import org_unit_model
    from zhaoshang.core.text import pinyin_full
    from zhaoshang.enterprises.models import Enterprise

    codes = ["zhuji-center", "zhuji-diankou", "zhuji-datang", "zhuji-office-sh"]
    units = {u.code: u for u in org_unit_model().objects.filter(code__in=codes)}
    county = SimpleNamespace(
        center=units["zhuji-center"],
        diankou=units["zhuji-diankou"],
        datang=units["zhuji-datang"],
        office_sh=units["zhuji-office-sh"],
    )
    officer = get_user_model().objects.get(username="center")
    taken = set(Enterprise.all_objects.exclude(credit_code="").values_list("credit_code", flat=True))
    original = text.uscc_generate
    text.uscc_generate = lambda seed: "" if original(seed) in taken else original(seed)  # demo codes stay unique
    gen._INDUSTRY_IDS = list(Industry.objects.filter(level=4).values_list("id", flat=True))
    pinyin_full("预热")
    connections.close_all()  # no database connection may cross the fork
    args = SimpleNamespace(rows=n, batch=5000)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        gen.generate(args, county, officer, pool, 2)
        gen.build_index(args, pool)
    gen.analyze("postgres" if connections["default"].vendor == "postgresql" else "sqlite", False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with 4 workers on the load database, started and stopped around each run."""

    def __init__(self, db: str, workers: int):
        self.db, self.workers, self.port = db, workers, free_port()
        self.log = var_dir(db) / "gunicorn.log"

    def __enter__(self) -> Server:
        env = {**server_env(self.db), "ALLOWED_HOSTS": "127.0.0.1"}
        self.proc = subprocess.Popen(
            [PY, "-m", "gunicorn", "zhaoshang.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--timeout", "60", "--graceful-timeout", "5"],
            env=env, cwd=ROOT, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=2) as r:  # noqa: S310 (127.0.0.1)
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"gunicorn did not start; see {self.log}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def locust(server: Server, users: int, seconds: int, label: str, during=None) -> dict:
    """One headless locust run; returns the aggregate and the per-page rows of its CSV statistics."""
    prefix = var_dir(server.db) / f"locust-{label}"
    cmd = [
        PY, "-m", "locust", "-f", str(BENCH / "locustfile.py"), "--headless", "--only-summary",
        "-u", str(users), "-r", str(max(1, users // 10)), "-t", f"{seconds}s", "--host", server.url,
        "--csv", str(prefix), "--stop-timeout", "10", "--exit-code-on-error", "0",
    ]  # fmt: skip
    load_before = os.getloadavg()[0]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if during:
        during(server)
    out, _ = proc.communicate(timeout=seconds + 120)
    elapsed = time.perf_counter() - t
    (prefix.parent / f"locust-{label}.log").write_text(out)
    rows = list(csv.DictReader((prefix.parent / f"locust-{label}_stats.csv").open(encoding="utf-8")))
    failures = list(csv.DictReader((prefix.parent / f"locust-{label}_failures.csv").open(encoding="utf-8")))
    refusals = next((line for line in out.splitlines() if line.startswith("business refusals")), "")

    def row(r: dict) -> dict:
        return {
            "name": r["Name"],
            "method": r["Type"],
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "p50": float(r["50%"] or 0),
            "p95": float(r["95%"] or 0),
            "p99": float(r["99%"] or 0),
            "rps": float(r["Requests/s"] or 0),
        }

    aggregate = next(row(r) for r in rows if r["Name"] == "Aggregated")
    return {
        "label": label,
        "users": users,
        "seconds": seconds,
        "elapsed": round(elapsed),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "aggregate": aggregate,
        "pages": sorted((row(r) for r in rows if r["Name"] != "Aggregated"), key=lambda r: -r["p95"]),
        "failures": [{"name": f["Name"], "error": f["Error"][:160], "count": int(f["Occurrences"])} for f in failures],
        "refusals": refusals,
    }


def pg_restart_drill(seconds: int):
    """Restart PostgreSQL a third into the run; poll a page once a second and record what it answered."""

    def during(server: Server) -> None:
        time.sleep(seconds / 3)
        version = sorted(os.listdir("/etc/postgresql"))[0]
        t = time.perf_counter()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
        pg_restart_drill.restart_s = time.perf_counter() - t
        seen = []
        for _ in range(int(seconds / 3)):
            try:
                with urllib.request.urlopen(f"{server.url}/api/v1/health", timeout=5) as r:  # noqa: S310
                    seen.append(r.status)
            except urllib.error.HTTPError as exc:
                seen.append(exc.code)
            except OSError:
                seen.append(0)
            time.sleep(1)
        pg_restart_drill.health = seen

    return during


def render(db: str, results: list[dict], info: dict) -> str:
    name = "PostgreSQL + Redis" if db == "postgres" else "SQLite"
    lines = [
        f"### {name} — gunicorn {info['workers']} workers, think time 2–6 s — {date.today():%Y-%m-%d}",
        "",
        f"Machine: {os.cpu_count()} cores shared with other work (load average before/after each run shown). "
        f"Baseline: one user alone, p95 {info['baseline_p95']:.0f} ms.",
        "",
        "| run | data | users × s | requests | failures | req/s | p50 | p95 | p99 | p95 / alone | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        a = r["aggregate"]
        lines.append(
            f"| {r['label']} | {r['data']} | {r['users']} × {r['seconds']} | {a['requests']:,} | {a['failures']} | "
            f"{a['rps']:.1f} | {a['p50']:.0f} ms | {a['p95']:.0f} ms | {a['p99']:.0f} ms | "
            f"{a['p95'] / max(info['baseline_p95'], 1):.1f}× | {r['load_before']}→{r['load_after']} |"
        )
    main_run = max(results, key=lambda r: (r["users"] * r["seconds"], r["data"] != "demo"))
    lines += [
        "",
        f"Slowest pages in the run “{main_run['label']}” ({main_run['data']}):",
        "",
        "| page | requests | p50 | p95 | p99 | failures |",
        "|---|---|---|---|---|---|",
    ]
    for p in main_run["pages"][:8]:
        lines.append(
            f"| {p['method']} {p['name']} | {p['requests']:,} | {p['p50']:.0f} ms | {p['p95']:.0f} ms | "
            f"{p['p99']:.0f} ms | {p['failures']} |"
        )
    for r in results:
        if r["failures"]:
            lines.append(f"\nFailures in “{r['label']}”: " + "; ".join(
                f"{f['name']} ×{f['count']}: {f['error']}" for f in r["failures"][:6]))  # fmt: skip
        if r.get("drill"):
            lines.append(f"\nDrill in “{r['label']}”: {r['drill']}")
        if r["refusals"]:
            lines.append(f"\n“{r['label']}” {r['refusals']}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--steps", default="", help="comma-separated user counts, each run for --seconds")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--enterprises", type=int, default=0, help="then add this many enterprises and run again")
    parser.add_argument("--skip-demo-run", action="store_true", help="only the run with the added enterprises")
    parser.add_argument("--baseline-seconds", type=int, default=30)
    parser.add_argument("--drill", choices=["pg-restart"], default=None)
    parser.add_argument("--reuse", action="store_true", help="keep the prepared database of an earlier run")
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--add-enterprises", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.add_enterprises:
        _add_enterprises_here(args.add_enterprises)
        return
    if not (args.reuse and (var_dir(args.db) / "static").exists()):
        prepare(args.db)
    steps = [int(s) for s in args.steps.split(",") if s] or [args.users]
    results: list[dict] = []
    info = {"workers": args.workers}

    def runs(data: str, slug: str) -> None:
        with Server(args.db, args.workers) as server:
            if "baseline_p95" not in info:
                info["baseline_p95"] = locust(server, 1, args.baseline_seconds, "alone")["aggregate"]["p95"]
                log(f"one user alone: p95 {info['baseline_p95']:.0f} ms")
            for users in steps:
                label = f"{slug}-{users}u"
                during = pg_restart_drill(args.seconds) if args.drill == "pg-restart" else None
                result = locust(server, users, args.seconds, label, during)
                result["data"] = data
                if during:
                    health = getattr(pg_restart_drill, "health", [])
                    back = next((i for i, s in enumerate(health) if s == 200), None)
                    result["drill"] = (
                        f"PostgreSQL restarted in {pg_restart_drill.restart_s:.1f} s a third into the run; "
                        f"health answers after it: {health[:12]}…; first 200 after {back} s; "
                        f"no restart of the platform"
                    )
                a = result["aggregate"]
                log(f"{label}: {a['requests']:,} requests, {a['failures']} failures, p50 {a['p50']:.0f} ms, "
                    f"p95 {a['p95']:.0f} ms, p99 {a['p99']:.0f} ms, {a['rps']:.1f} req/s")  # fmt: skip
                results.append(result)

    have = added_enterprises(args.db)
    if not args.skip_demo_run and not have:
        runs("demo", "demo")
    if args.enterprises:
        if have < args.enterprises:
            add_enterprises(args.db, args.enterprises - have)
        runs(f"demo + {args.enterprises:,} enterprises", f"demo-{args.enterprises}")
    if not results:
        return
    body = render(args.db, results, info)
    (var_dir(args.db) / "results.json").write_text(json.dumps({"info": info, "results": results}, ensure_ascii=False))
    print(body)
    if not args.no_doc:
        sys.path.insert(0, str(BENCH))
        from projects import update_section  # the same doc writer as the other benchmarks

        key = f"load:{args.db}" + (f"-{args.drill}" if args.drill else "")
        update_section(
            body,
            key,
            "## Load (issue #19)",
            "Method: `bench/load.py` with `bench/locustfile.py` (see their docstrings): gunicorn with 4 workers, "
            "locust headless on the same machine (it takes CPU from the server: the numbers are pessimistic).",
        )


if __name__ == "__main__":
    main()
