"""Database triggers that make the audit tables append-only (SECURITY.md item 8).

UPDATE is always refused; DELETE only of rows younger than the retention floor (180 days), so that
a purge of old rows stays possible and nothing recent can disappear. Installed by a migration on
SQLite and PostgreSQL alike.
"""

TABLES = ("core_objectchange", "core_securityevent")
RETENTION_FLOOR_DAYS = 180


def install(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=True):
            cursor.execute(statement)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=False):
            cursor.execute(statement)


def _statements(vendor: str, *, install: bool) -> list[str]:
    statements: list[str] = []
    if vendor == "sqlite":
        for table in TABLES:
            statements.append(f"DROP TRIGGER IF EXISTS {table}_no_update")
            statements.append(f"DROP TRIGGER IF EXISTS {table}_no_delete")
            if install:
                statements.append(
                    f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'audit log is append-only: UPDATE refused'); END"
                )
                statements.append(
                    f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                    f"WHEN OLD.time > datetime('now', '-{RETENTION_FLOOR_DAYS} days') "
                    f"BEGIN SELECT RAISE(ABORT, 'audit log is append-only: DELETE of a row younger than "
                    f"{RETENTION_FLOOR_DAYS} days refused'); END"
                )
    elif vendor == "postgresql":
        if install:
            statements.append(
                "CREATE OR REPLACE FUNCTION zs_audit_append_only() RETURNS trigger AS $$ "
                "BEGIN "
                "IF TG_OP = 'UPDATE' THEN "
                "RAISE EXCEPTION 'audit log is append-only: UPDATE refused'; "
                f"ELSIF OLD.time > now() - interval '{RETENTION_FLOOR_DAYS} days' THEN "
                "RAISE EXCEPTION 'audit log is append-only: DELETE of a row younger than "
                f"{RETENTION_FLOOR_DAYS} days refused'; "
                "END IF; "
                "RETURN OLD; "
                "END; $$ LANGUAGE plpgsql"
            )
        for table in TABLES:
            statements.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            if install:
                statements.append(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION zs_audit_append_only()"
                )
    return statements
