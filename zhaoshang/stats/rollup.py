# ruff: noqa: S608 — every SQL string here is built from this module's constants, never from input.
"""Monthly roll-ups of the FDI records, kept exact by database triggers.

The statistics add up months of records; at a million records even one aggregate over two years of raw
rows costs more than the 300 ms a leader's page may take. Two small tables hold the same sums instead:

- ``stats_fdimonthtotal``: per unit, kind, year, month, source country/region and form — the sum of
  ``signed_amount`` in cents of a 万美元 (an integer, so that adding and subtracting is exact on both
  databases) and the number of records. Every figure of the page, the API and the reports but the
  large projects comes from it.
- ``stats_fdisubjecttotal``: per unit, year and subject (the project, or the enterprise when no project
  is linked) — the 实际使用外资 of each month in cents, in twelve columns ``m01``…``m12``, so that "months
  1..M of the year" is one row per subject (a sum of columns) rather than M rows to group. The
  large-project count comes from it.

Triggers on ``stats_fdirecord`` (AFTER INSERT / UPDATE / DELETE, on SQLite and PostgreSQL) add a live
record's amount and take away what a change or a (soft or hard) delete removes, in the writing
transaction itself: a bulk insert, the importer, the API, a merge of enterprises that moves records —
every write path keeps the roll-ups right, and a rolled-back write rolls them back too. ``rebuild``
recomputes both tables from the records (the migration uses it; ``zhaoshang fdi-rollup --verify``
compares them).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection as default_connection
from django.db import transaction

MONTH_TABLE = "stats_fdimonthtotal"
SUBJECT_TABLE = "stats_fdisubjecttotal"
RECORD_TABLE = "stats_fdirecord"
MONTH_KEY = ("org_unit_id", "kind", "year", "month", "country", "form")
SUBJECT_KEY = ("org_unit_id", "year", "project_id", "enterprise_id")
MONTH_COLUMNS = tuple(f"m{m:02d}" for m in range(1, 13))
# Columns whose change moves a record from one roll-up row to another.
TRACKED = (
    "date",
    "kind",
    "form",
    "signed_amount",
    "country",
    "org_unit_id",
    "region_id",
    "project_id",
    "enterprise_id",
)


def _parts(vendor: str, row: str) -> dict[str, str]:
    """SQL expressions of a trigger's OLD or NEW row."""
    if vendor == "sqlite":
        year = f"CAST(strftime('%Y', {row}.date) AS INTEGER)"
        month = f"CAST(strftime('%m', {row}.date) AS INTEGER)"
        cents = f"CAST(ROUND({row}.signed_amount * 100) AS INTEGER)"
    else:
        year = f"CAST(EXTRACT(YEAR FROM {row}.date) AS INTEGER)"
        month = f"CAST(EXTRACT(MONTH FROM {row}.date) AS INTEGER)"
        cents = f"CAST(ROUND({row}.signed_amount * 100) AS BIGINT)"
    return {"year": year, "month": month, "cents": cents}


def _apply(vendor: str, row: str, sign: str) -> list[str]:
    """Statements adding (sign '+') or taking away (sign '-') the amount of ``row`` when it is a live record.

    Each INSERT is an ``INSERT … SELECT … WHERE`` (SQLite parses an upsert after a SELECT only with a
    WHERE), guarded by the row being live, so the same statements serve every trigger."""
    p = _parts(vendor, row)
    one = "1" if sign == "+" else "-1"
    live = f"{row}.deleted_at IS NULL"
    subject = (
        f"COALESCE({row}.project_id, 0)",
        f"CASE WHEN {row}.project_id IS NULL THEN {row}.enterprise_id ELSE 0 END",
    )
    return [
        f"INSERT INTO {MONTH_TABLE} (region_id, org_unit_id, kind, year, month, country, form, total_cents, records) "
        f"SELECT {row}.region_id, {row}.org_unit_id, {row}.kind, {p['year']}, {p['month']}, {row}.country, "
        f"{row}.form, {sign}{p['cents']}, {one} WHERE {live} "
        f"ON CONFLICT ({', '.join(MONTH_KEY)}) DO UPDATE SET "
        f"total_cents = {MONTH_TABLE}.total_cents + excluded.total_cents, "
        f"records = {MONTH_TABLE}.records + excluded.records",
        f"DELETE FROM {MONTH_TABLE} WHERE records = 0 AND org_unit_id = {row}.org_unit_id AND kind = {row}.kind "
        f"AND year = {p['year']} AND month = {p['month']} AND country = {row}.country AND form = {row}.form",
        f"INSERT INTO {SUBJECT_TABLE} (region_id, org_unit_id, year, project_id, enterprise_id, "
        f"{', '.join(MONTH_COLUMNS)}, records) "
        f"SELECT {row}.region_id, {row}.org_unit_id, {p['year']}, {subject[0]}, {subject[1]}, "
        + ", ".join(f"CASE WHEN {p['month']} = {m} THEN {sign}{p['cents']} ELSE 0 END" for m in range(1, 13))
        + f", {one} WHERE {live} AND {row}.kind = 'actual' "
        f"ON CONFLICT ({', '.join(SUBJECT_KEY)}) DO UPDATE SET "
        + ", ".join(f"{c} = {SUBJECT_TABLE}.{c} + excluded.{c}" for c in MONTH_COLUMNS)
        + f", records = {SUBJECT_TABLE}.records + excluded.records",
        f"DELETE FROM {SUBJECT_TABLE} WHERE records = 0 AND org_unit_id = {row}.org_unit_id "
        f"AND year = {p['year']} AND project_id = {subject[0]} AND enterprise_id = {subject[1]}",
    ]


def _sqlite_statements(install: bool) -> list[str]:
    names = ("stats_fdirecord_rollup_insert", "stats_fdirecord_rollup_update", "stats_fdirecord_rollup_delete")
    statements = [f"DROP TRIGGER IF EXISTS {name}" for name in names]
    if not install:
        return statements
    take, add = _apply("sqlite", "OLD", "-"), _apply("sqlite", "NEW", "+")
    statements += [
        f"CREATE TRIGGER {names[0]} AFTER INSERT ON {RECORD_TABLE} BEGIN {'; '.join(add)}; END",
        # Take the old row away if it counted, then add the new one if it counts.
        f"CREATE TRIGGER {names[1]} AFTER UPDATE OF {', '.join(TRACKED)}, deleted_at ON {RECORD_TABLE} "
        f"BEGIN {'; '.join(take + add)}; END",
        f"CREATE TRIGGER {names[2]} AFTER DELETE ON {RECORD_TABLE} BEGIN {'; '.join(take)}; END",
    ]
    return statements


def _postgres_statements(install: bool) -> list[str]:
    statements = [
        f"DROP TRIGGER IF EXISTS stats_fdirecord_rollup ON {RECORD_TABLE}",
        "DROP FUNCTION IF EXISTS zs_fdi_rollup()",
    ]
    if not install:
        return statements
    take = "; ".join(_apply("postgresql", "OLD", "-"))
    add = "; ".join(_apply("postgresql", "NEW", "+"))
    statements += [
        "CREATE FUNCTION zs_fdi_rollup() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {take}; END IF; "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {add}; END IF; "
        "RETURN NULL; END; $$ LANGUAGE plpgsql",
        f"CREATE TRIGGER stats_fdirecord_rollup AFTER INSERT OR DELETE OR UPDATE OF {', '.join(TRACKED)}, deleted_at "
        f"ON {RECORD_TABLE} FOR EACH ROW EXECUTE FUNCTION zs_fdi_rollup()",
    ]
    return statements


def statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_statements(install)
    if vendor == "postgresql":
        return _postgres_statements(install)
    # DESIGN.md §1 supports SQLite and PostgreSQL only; another database is a configuration error.
    raise ImproperlyConfigured(f"FDI roll-up triggers exist for SQLite and PostgreSQL, not {vendor}")


def install(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for statement in statements(connection.vendor, install=True):
            cursor.execute(statement)


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for statement in statements(connection.vendor, install=False):
            cursor.execute(statement)


def _aggregate_sql(vendor: str) -> tuple[str, str]:
    p = _parts(vendor, "r")
    cents = f"SUM({p['cents']})"  # exact cents, as the triggers add them
    month = (
        f"SELECT r.region_id, r.org_unit_id, r.kind, {p['year']} AS y, {p['month']} AS m, r.country, r.form, "
        f"{cents}, COUNT(*) FROM {RECORD_TABLE} r WHERE r.deleted_at IS NULL "
        f"GROUP BY r.region_id, r.org_unit_id, r.kind, y, m, r.country, r.form"
    )
    per_month = ", ".join(f"SUM(CASE WHEN {p['month']} = {m} THEN {p['cents']} ELSE 0 END)" for m in range(1, 13))
    subject = (
        f"SELECT r.region_id, r.org_unit_id, {p['year']} AS y, COALESCE(r.project_id, 0) AS pid, "
        f"CASE WHEN r.project_id IS NULL THEN r.enterprise_id ELSE 0 END AS eid, {per_month}, COUNT(*) "
        f"FROM {RECORD_TABLE} r WHERE r.deleted_at IS NULL AND r.kind = 'actual' "
        f"GROUP BY r.region_id, r.org_unit_id, y, pid, eid"
    )
    return month, subject


def rebuild(connection=None) -> None:
    """Recompute both roll-ups from the live records (in one transaction)."""
    connection = connection or default_connection
    month, subject = _aggregate_sql(connection.vendor)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MONTH_TABLE}")
        cursor.execute(f"DELETE FROM {SUBJECT_TABLE}")
        cursor.execute(
            f"INSERT INTO {MONTH_TABLE} (region_id, org_unit_id, kind, year, month, country, form, total_cents, "
            f"records) {month}"
        )
        cursor.execute(
            f"INSERT INTO {SUBJECT_TABLE} (region_id, org_unit_id, year, project_id, enterprise_id, "
            f"{', '.join(MONTH_COLUMNS)}, records) {subject}"
        )


def differences(connection=None) -> list[str]:
    """Where the roll-ups disagree with the records (empty when they agree)."""
    connection = connection or default_connection
    month, subject = _aggregate_sql(connection.vendor)
    problems = []
    with connection.cursor() as cursor:
        for table, query, key, values in (
            (MONTH_TABLE, month, ("region_id",) + MONTH_KEY, ("total_cents", "records")),
            (SUBJECT_TABLE, subject, ("region_id",) + SUBJECT_KEY, (*MONTH_COLUMNS, "records")),
        ):
            width = len(values)
            cursor.execute(query)
            expected = {tuple(row[:-width]): tuple(row[-width:]) for row in cursor.fetchall()}
            cursor.execute(f"SELECT {', '.join(key + values)} FROM {table}")
            actual = {tuple(row[:-width]): tuple(row[-width:]) for row in cursor.fetchall()}
            for k in sorted(set(expected) | set(actual), key=str):
                if expected.get(k) != actual.get(k):
                    problems.append(f"{table} {k}: 记录合计 {expected.get(k)}，汇总表 {actual.get(k)}")
    return problems
