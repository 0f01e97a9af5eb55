"""Benchmark of the policy engine: one project against N published clauses (the calculator), and the precise
push of a new clause against M enterprises (the background job).

    .venv/bin/python bench/policies.py --db sqlite --clauses 500 --enterprises 100000
    .venv/bin/python bench/policies.py --db postgres --clauses 500 --enterprises 100000

Generates data straight into a separate bench database (bulk inserts: the read side is measured), then:
- the calculator (``calculation.run``: the clause versions in force read in one query, each condition
  evaluated part by part, formulas with steps, exclusivity, years) for one project, 30 times after a warm-up,
  p50/p95; the baselines in the same run are ``json_logic`` alone evaluating the same 500 conditions whole,
  and the same calculation with the conditions interpreted instead of compiled (asserted equal);
- the push job (``services.push.push_run``) over every enterprise and live project, for a precise clause (an
  industry prefix and a tag: a database filter) and a broad one (an ``or``: no filter); the baselines are
  reading every enterprise batch (``enterprises.selectors.policy_facts``) without evaluating anything, and
  the push's enterprise pass as it was before grouping, every enterprise evaluated in Python (asserted to
  show the same enterprises and notify the same units).
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings.base"
    if db == "sqlite":
        path = ROOT / "var" / "bench-policies.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        for sql in ("DROP DATABASE IF EXISTS zhaoshang_bench_policies", "CREATE DATABASE zhaoshang_bench_policies"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/zhaoshang_bench_policies"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n_clauses: int, n_enterprises: int) -> dict:  # size: one pass of bulk inserts, kept together
    from django.db import transaction

    from tests.factories import make_county, make_user
    from zhaoshang.core.models import Industry, Tag
    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.policies import specs
    from zhaoshang.policies.models import Clause, ClauseVersion, Policy
    from zhaoshang.policies.services.variables import ensure_default_variables
    from zhaoshang.projects import services as project_services

    rng = random.Random(15)
    county = make_county()
    officer = make_user("bench", "officer", county.center)
    ensure_default_variables(county.root.pk)
    industries = list(Industry.objects.filter(code__regex=r"^[0-9]{4}$").values_list("code", flat=True)[:400])
    common = {"org_unit": county.center, "region": county.root, "created_by": officer, "updated_by": officer}
    with transaction.atomic():
        policy = Policy.objects.create(title="基准政策", status=Policy.Status.CURRENT, **common)
        clauses = []
        for i in range(n_clauses):
            prefix = rng.choice(industries)[:2]
            condition = {
                "and": [
                    {">=": [{"var": "investment"}, rng.choice([1000, 5000, 10000, 50000])]},
                    {"industry_in": [{"var": "industry"}, [prefix]]},
                    {"in": [{"var": "project_type"}, ["new", "capital_increase", "joint_venture"]]},
                    {"or": [{">=": [{"var": "land_mu"}, 30]}, {"in": ["专精特新", {"var": "tags"}]}]},
                ]
            }
            clauses.append(
                Clause(
                    policy=policy,
                    article=f"第{i + 1}条",
                    title=f"基准条款{i + 1}",
                    condition=condition,
                    formula=f"min(investment * 0.0{rng.randint(1, 9)}, {rng.choice([200, 500, 1000])}) + land_mu * 0.5",
                    exclusivity_group=rng.choice(["", "", "设备投资补助", "落户奖励"]),
                    installments=rng.choice([1, 1, 3]),
                    status=Clause.Status.PUBLISHED,
                    **common,
                )
            )
        Clause.objects.bulk_create(clauses, batch_size=500)
        clauses = list(Clause.objects.filter(policy=policy).select_related("policy"))
        ClauseVersion.objects.bulk_create(
            [
                ClauseVersion(
                    clause=c, number=1, content=specs.content_of(c), effective_from="2026-01-01", published_by=officer
                )
                for c in clauses
            ]
        )
        for c in clauses:
            Clause.objects.filter(pk=c.pk).update(current_version=c.versions.get())
        project = project_services.project_create(
            actor=officer,
            data={
                "name": "基准项目",
                "total_investment": Decimal("60000"),
                "land_mu": Decimal("80"),
                "industry": Industry.objects.get(code=industries[0]),
            },
        )
        tag = Tag.objects.get_or_create(name="专精特新")[0]
        for start in range(0, n_enterprises, 5000):
            rows = [
                Enterprise(name=f"基准企业{i}", normalized_name=f"基准企业{i}", industry_id=None, **common)
                for i in range(start, min(n_enterprises, start + 5000))
            ]
            Enterprise.objects.bulk_create(rows, batch_size=1000)
        codes = dict(Industry.objects.filter(code__in=industries).values_list("code", "pk"))
        ids = list(Enterprise.objects.values_list("pk", flat=True))
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            by_code: dict[str, list[int]] = {}
            for pk in chunk:
                by_code.setdefault(rng.choice(industries), []).append(pk)
            for code, pks in by_code.items():
                Enterprise.objects.filter(pk__in=pks).update(industry_id=codes[code])
        through = Enterprise.tags.through
        through.objects.bulk_create([through(enterprise_id=pk, tag_id=tag.pk) for pk in ids[::7]], batch_size=2000)
    return {"county": county, "officer": officer, "project": project, "policy": policy, "industries": industries}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def bench_calculator(world: dict, runs: int = 30) -> dict:
    from json_logic import jsonLogic

    from zhaoshang.policies import calculation, selectors
    from zhaoshang.policies.engine.conditions import OPERATIONS
    from zhaoshang.policies.models import ClauseVersion

    officer, project = world["officer"], world["project"]
    values, _, _ = calculation.source_values(user=officer, project_id=project.pk)
    values = {k: v for k, v in values.items() if v not in (None, "", [])}
    region = project.region_id
    calculation.run(region_id=region, values=values)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = calculation.run(region_id=region, values=values)
        times.append((time.perf_counter() - start) * 1000)
    # the same calculation with each condition interpreted (the engine before compiling), same run
    from json_logic import jsonLogic as interpret

    from zhaoshang.policies.engine import conditions as engine_conditions

    compile_logic = engine_conditions.compile_logic
    engine_conditions.compile_logic = lambda logic, ops: lambda data: interpret(logic, data, ops)
    engine_conditions._COMPILED.clear()
    interpreted = []
    try:
        calculation.run(region_id=region, values=values)
        for _ in range(runs):
            start = time.perf_counter()
            before = calculation.run(region_id=region, values=values)
            interpreted.append((time.perf_counter() - start) * 1000)
    finally:
        engine_conditions.compile_logic = compile_logic
        engine_conditions._COMPILED.clear()
    assert before == result, "the interpreted and compiled calculations differ"
    conditions = [c["condition"] for c in ClauseVersion.objects.values_list("content", flat=True)]
    data = {k: float(v) if isinstance(v, Decimal) else v for k, v in values.items()}
    base = []
    for _ in range(runs):
        start = time.perf_counter()
        for condition in conditions:
            jsonLogic(condition, data, OPERATIONS)
        base.append((time.perf_counter() - start) * 1000)
    return {
        "clauses": len(selectors.specs_in_force(region)),
        "applicable": len(result["clauses"]),
        "near_misses": len(result["near_misses"]),
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "baseline_p95_ms": percentile(base, 0.95),
        "interpreted_p50_ms": statistics.median(interpreted),
        "interpreted_p95_ms": percentile(interpreted, 0.95),
    }


def every_enterprise(run) -> tuple[int, list, set]:
    """The push's enterprise pass as it was before grouping: every enterprise read and evaluated in Python
    (the baseline, and the reference the grouped pass must equal): (count, first 200 shown, units)."""
    from zhaoshang.enterprises import selectors as enterprise_selectors
    from zhaoshang.policies.services import push
    from zhaoshang.policies.services.variables import catalogue_for

    catalogue = catalogue_for(run.region_id)
    rule = {"and": push._enterprise_condition(run.clause_version.content.get("condition") or {})}
    count, shown, units, after = 0, [], set(), 0
    while True:
        batch = enterprise_selectors.policy_facts(region_id=run.region_id, after_id=after, limit=5000)
        if not batch:
            break
        for pk, name, unit, industry, tags in batch:
            if push._holds(rule, catalogue, {"industry": industry or None, "tags": tags}):
                count += 1
                units.add(unit)
                if len(shown) < push.SHOWN:
                    shown.append([pk, name])
        after = batch[-1][0]
    return count, shown, units


def bench_push(world: dict) -> dict:
    """Two clauses pushed: a precise one (an industry prefix and a tag: the database filter applies) and a broad
    one (an ``or`` of an industry and a tag: no filter; before grouping it evaluated every enterprise)."""
    from django.urls import reverse

    from zhaoshang.enterprises import selectors as enterprise_selectors
    from zhaoshang.policies.models import Clause
    from zhaoshang.policies.services import clause_publish
    from zhaoshang.policies.services.push import push_prepare, push_run

    officer = world["officer"]
    region_id = officer.org_unit.region_id
    start = time.perf_counter()
    after, read = 0, 0
    while True:
        batch = enterprise_selectors.policy_facts(region_id=region_id, after_id=after, limit=5000)
        if not batch:
            break
        after, read = batch[-1][0], read + len(batch)
    results = {"enterprises": read, "read_seconds": time.perf_counter() - start}
    prefix = world["industries"][0][:2]
    shapes = {
        "precise": {"and": [{"industry_in": [{"var": "industry"}, [prefix]]}, {"in": ["专精特新", {"var": "tags"}]}]},
        "broad": {"or": [{"industry_in": [{"var": "industry"}, [prefix]]}, {"in": ["专精特新", {"var": "tags"}]}]},
    }
    for name, condition in shapes.items():
        clause = Clause.objects.create(
            policy=world["policy"],
            article=f"推送条{name}",
            title=f"推送基准条款（{name}）",
            condition=condition,
            formula="100",
            examples=[{"inputs": {"industry": world["industries"][0], "tags": ["专精特新"]}, "expected": "100"}],
            examples_ok=True,
            org_unit=officer.org_unit,
            region_id=region_id,
            created_by=officer,
            updated_by=officer,
        )
        clause = clause_publish(actor=officer, clause=clause, version=clause.version)
        run = push_prepare(clause.current_version_id)
        reverse("policies:clause_detail", args=[clause.pk])  # warm-up: the URLconf loads once per process
        start = time.perf_counter()
        run = push_run(run.pk)
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        count, shown, units = every_enterprise(run)
        before = time.perf_counter() - start
        assert run.enterprises == shown, f"the {name} push shows other enterprises than the full evaluation"
        assert run.notified == len(units | run_units(run)), f"the {name} push notified other units"
        results[name] = {"seconds": seconds, "before_seconds": before, "matched": count, "units": run.notified}
    return results


def run_units(run) -> set:
    """The units of the projects the push found (they are notified too)."""
    from zhaoshang.projects.models import Project

    return set(Project.objects.filter(pk__in=[pk for pk, _ in run.projects]).values_list("org_unit_id", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clauses", type=int, default=500)
    parser.add_argument("--enterprises", type=int, default=100_000)
    args = parser.parse_args()
    setup(args.db)
    from django.db import connection

    started = time.perf_counter()
    world = generate(args.clauses, args.enterprises)
    print(f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}")
    print(f"generated {args.clauses} clauses, {args.enterprises} enterprises in {time.perf_counter() - started:.0f} s")
    calc = bench_calculator(world)
    print(
        f"calculator: {calc['clauses']} clauses in force, {calc['applicable']} applicable, {calc['near_misses']} near misses; "
        f"p50 {calc['p50_ms']:.1f} ms, p95 {calc['p95_ms']:.1f} ms (target ≤ 50 ms); "
        f"baseline json_logic alone p95 {calc['baseline_p95_ms']:.1f} ms, ratio {calc['p95_ms'] / calc['baseline_p95_ms']:.1f}×; "
        f"interpreted (before compiling) p50 {calc['interpreted_p50_ms']:.1f} ms, p95 {calc['interpreted_p95_ms']:.1f} ms"
    )
    push = bench_push(world)
    print(f"push: {push['enterprises']} enterprises; reading them all alone {push['read_seconds']:.1f} s")
    for name in ("precise", "broad"):
        r = push[name]
        print(
            f"push ({name}): {r['seconds']:.1f} s for {r['matched']} matched enterprises in {r['units']} units; "
            f"every enterprise evaluated (before, same result) {r['before_seconds']:.1f} s, "
            f"ratio {r['seconds'] / r['before_seconds']:.2f}× (target: 1,000,000 in ≤ 60 s)"
        )


if __name__ == "__main__":
    main()
