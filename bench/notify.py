#!/usr/bin/env python
"""Benchmark of the outbox's cost on the bulk notice path (``notify_many``, the nightly warnings) and of the
worker's fan-out (``outbox.dispatch``).

Usage (from the project root)::

    .venv/bin/python bench/notify.py [--rows 20000] [--db sqlite|postgres] [--no-doc]

Baseline, measured in the same run: the bell rows alone written the way ``notify_many`` wrote them before the
outbox (multi-row INSERTs of ``Notification``). Then ``notify_many`` writing the bell and outbox rows, and the
worker's dispatch of those outbox rows into e-mail deliveries (preferences read per batch of 1,000). Each is
the median of three runs in one transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "benchmarks.md"
DOC_HEADING = "## 消息外发 (notify outbox)"


def setup(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings.base"
    if db == "sqlite":
        path = ROOT / "var" / "bench-notify.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        name = "zhaoshang_bench_notify"
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True
        )
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Rollback(Exception):
    pass


def timed(func) -> float:
    from django.db import transaction

    times = []
    for _ in range(3):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                func()
                times.append(time.perf_counter() - start)
                raise Rollback
        except Rollback:
            pass
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    setup(args.db)

    from django.db import connection
    from django.utils import timezone

    from tests.factories import make_county, make_user
    from zhaoshang.accounts.models import User
    from zhaoshang.core.bulk import insert_rows
    from zhaoshang.notify.models import Notification
    from zhaoshang.notify.services import notify_many, outbox
    from zhaoshang.notify.services.config import channel_config_update

    county = make_county()
    users = [make_user(f"u{i}", "officer", county.diankou) for i in range(50)]
    User.objects.filter(pk__in=[u.pk for u in users]).update(email="x@example.cn")
    admin = make_user("admin", "sysadmin", county.center)
    channel_config_update(
        actor=admin, channel="email", enabled=True, options={"host": "127.0.0.1", "from_email": "a@b.cn"}, secrets={}
    )
    rows = [(users[i % 50].pk, "handoff", f"接棒：项目{i}", "请办理", f"/projects/{i}/") for i in range(args.rows)]

    def bell_only():
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            insert_rows(
                cursor,
                Notification._meta.db_table,
                ["recipient_id", "level", "title", "body", "url", "created_at"],
                [(*r, now) for r in rows],
            )

    def with_outbox():
        notify_many(rows)

    def and_dispatch():
        notify_many(rows)
        start = time.perf_counter()
        while outbox.dispatch():
            pass
        and_dispatch.seconds = time.perf_counter() - start

    base = timed(bell_only)
    new = timed(with_outbox)
    timed(and_dispatch)
    dispatch = and_dispatch.seconds
    lines = [
        f"{args.rows:,} notices to 50 users on {args.db} ({time.strftime('%Y-%m-%d')}):",
        "",
        "| step | seconds | per 1,000 | ratio to baseline |",
        "|---|---|---|---|",
        f"| baseline: bell rows only (before the outbox) | {base:.3f} | {base / args.rows * 1000:.3f} | 1.00 |",
        f"| `notify_many`: bell + outbox rows | {new:.3f} | {new / args.rows * 1000:.3f} | {new / base:.2f} |",
        f"| worker: `outbox.dispatch` → e-mail deliveries | {dispatch:.3f} | {dispatch / args.rows * 1000:.3f} | "
        f"{dispatch / base:.2f} |",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_doc:
        doc = DOC.read_text()
        section = f"{DOC_HEADING}\n\n{text}\n"
        if DOC_HEADING in doc:
            head, rest = doc.split(DOC_HEADING, 1)
            tail = rest.split("\n## ", 1)
            doc = head + section + ("\n## " + tail[1] if len(tail) > 1 else "")
        else:
            doc = doc.rstrip() + "\n\n" + section
        DOC.write_text(doc)


if __name__ == "__main__":
    main()
