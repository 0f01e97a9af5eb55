"""Backup and restore (SECURITY.md item 18): the database, the uploaded files and the keys' fingerprints.

``backup()`` writes one directory ``zhaoshang-<time>/`` under ``ZHAOSHANG_BACKUP_DIR``:

- ``db.sqlite3`` (SQLite's online backup API, then ``PRAGMA integrity_check``) or ``db.dump``
  (PostgreSQL, ``pg_dump -Fc``);
- ``media.tar.gz``: the uploaded files (``MEDIA_ROOT``);
- ``manifest.json``: row count and checksum of every table, SHA-256 of each file, and fingerprints (never
  the values) of ``SECRET_KEY`` and ``ZHAOSHANG_FIELD_KEY`` — encrypted columns are only readable with the
  same field key, so a restore under another key is refused.

It keeps the newest ``ZHAOSHANG_BACKUP_KEEP`` backups and deletes older ones. ``restore()`` puts a backup
back and verifies every table's count and checksum against the manifest. Both are plain functions a
scheduled job can call; ``zhaoshang backup`` / ``zhaoshang restore`` are the commands.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 - pg_dump / pg_restore with fixed arguments
import tarfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .errors import ApplicationError

PREFIX = "zhaoshang-"


class BackupError(ApplicationError):
    code = "backup_failed"
    status = 500


def fingerprint(secret: str) -> str:
    return hashlib.sha256(f"zhaoshang-key-fingerprint:{secret}".encode()).hexdigest()[:16]


def key_fingerprints() -> dict[str, str]:
    return {
        "SECRET_KEY": fingerprint(settings.SECRET_KEY),
        "ZHAOSHANG_FIELD_KEY": fingerprint(settings.ZHAOSHANG_FIELD_KEY),
    }


def table_checksums() -> dict[str, dict]:
    """Row count and SHA-256 of every table's rows (ordered by every column), read from the live database."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - the table names come from introspection
            rows = sorted(repr(tuple(_plain(v) for v in row)) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            result[table] = {"rows": len(rows), "sha256": digest}
    return result


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or "")}
    env.update({"PGUSER": str(db.get("USER") or ""), "PGDATABASE": connection.settings_dict["NAME"]})
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def backup(target: Path | None = None, keep: int | None = None) -> Path:
    """Write a backup; return its directory. Raises BackupError when the copy does not check out."""
    base = Path(target or settings.ZHAOSHANG_BACKUP_DIR)
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = base / f"{PREFIX}{timezone.now().strftime('%Y%m%d-%H%M%S-%f')}"
    folder.mkdir(mode=0o700)
    connection.ensure_connection()
    if _is_sqlite():
        database = folder / "db.sqlite3"
        copy = sqlite3.connect(database)
        connection.connection.backup(copy)
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        copy.close()
        if check != "ok":
            raise BackupError(f"备份的数据库完整性检查未通过：{check}")
    else:
        database = folder / "db.dump"
        subprocess.run(["pg_dump", "-Fc", "-f", str(database)], env=_pg_env(), check=True)  # noqa: S603, S607
    media = folder / "media.tar.gz"
    with tarfile.open(media, "w:gz") as tar:
        if Path(settings.MEDIA_ROOT).exists():
            tar.add(settings.MEDIA_ROOT, arcname="media")
    manifest = {
        "created": timezone.now().isoformat(),
        "engine": connection.vendor,
        "keys": key_fingerprints(),
        "files": {path.name: _sha256(path) for path in (database, media)},
        "tables": table_checksums(),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    for path in folder.iterdir():
        path.chmod(0o600)
    prune(base, settings.ZHAOSHANG_BACKUP_KEEP if keep is None else keep)
    return folder


def prune(base: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups under ``base``; returns those deleted."""
    backups = sorted(p for p in base.iterdir() if p.is_dir() and p.name.startswith(PREFIX))
    doomed = backups[:-keep] if keep > 0 else []
    for path in doomed:
        shutil.rmtree(path)
    return doomed


def verify(folder: Path) -> dict:
    """The backup's manifest, after checking its files' SHA-256 and the keys' fingerprints."""
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        if _sha256(folder / name) != digest:
            raise BackupError(f"备份文件 {name} 已损坏（校验和不符）")
    configured = [settings.ZHAOSHANG_FIELD_KEY, *settings.ZHAOSHANG_FIELD_KEYS_PREVIOUS]
    if manifest["keys"]["ZHAOSHANG_FIELD_KEY"] not in {fingerprint(key) for key in configured}:
        # a key rotated since is fine while it is still among the previous keys (read-only)
        raise BackupError("备份使用的字段加密密钥与当前不同：请先配置备份时的 ZHAOSHANG_FIELD_KEY")
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"备份来自 {manifest['engine']}，当前数据库是 {connection.vendor}")
    return manifest


def restore(folder: Path) -> dict:
    """Put ``folder``'s backup back (database and uploaded files); returns the tables that differ from the
    manifest after the restore (empty when the round trip is exact)."""
    folder = Path(folder)
    manifest = verify(folder)
    connection.ensure_connection()
    if _is_sqlite():
        source = sqlite3.connect(folder / "db.sqlite3")
        source.backup(connection.connection)
        source.close()
    else:
        connection.close()
        args = ["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", _pg_env()["PGDATABASE"]]
        subprocess.run([*args, str(folder / "db.dump")], env=_pg_env(), check=True)  # noqa: S603, S607
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz") as tar:
        staging = media_root.parent / f".restore-{datetime.now().strftime('%H%M%S%f')}"
        tar.extractall(staging, filter="data")
        if media_root.exists():
            shutil.rmtree(media_root)
        shutil.move(str(staging / "media") if (staging / "media").exists() else str(staging), media_root)
        shutil.rmtree(staging, ignore_errors=True)
    now = table_checksums()
    return {
        t: (manifest["tables"].get(t), now.get(t))
        for t in set(now) | set(manifest["tables"])
        if now.get(t) != manifest["tables"].get(t)
    }
