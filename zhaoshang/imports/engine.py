"""The import engine shared by every library: read, validate every row, match existing records, then
report (dry run) or write (all-or-nothing, or valid rows only).

An app describes one kind of import with an ``Importer`` in its ``importers.py``::

    register(EnterpriseImporter())

The engine reports every problem with its row number (as Excel shows it), column and a Chinese message,
never writes half a file in ``commit`` mode, and is idempotent: each row has a key (for enterprises the
统一社会信用代码, else the normalised name) and a row whose record exists updates it instead of adding one.
"""

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core import parsers
from zhaoshang.core.errors import ApplicationError
from zhaoshang.notify.services import NoticeKind, notify_users

from . import uploads
from .files import UploadRejected, cell_text, read_rows, write_template
from .models import ImportJob

MAX_STORED_ERRORS = 1000
MAX_STORED_CHANGES = 500
PROGRESS_EVERY = 1000

log = logging.getLogger("zhaoshang.imports")


# Column parsers are the shared ones of ``core.parsers``; ``CellError`` is their error.
CellError = parsers.ParseError
parse_text = parsers.text
parse_decimal = parsers.decimal
parse_date = parsers.date_
parse_choice = parsers.choice


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""
    parse: Callable[[str], Any] = parse_text(200)
    example: str = ""


@dataclass(frozen=True)
class Sheet:
    """A further sheet of a workbook import (a chain's supplies-to edges beside its nodes): read by name after
    the main sheet, its cells parsed by the same column rules; a sheet that is not there has no rows unless
    ``required``. Its rows reach ``Importer.match`` and ``write`` beside the main sheet's, ``row.sheet`` set."""

    name: str
    columns: list[Column]
    required: bool = False


@dataclass
class ParsedRow:
    row: int  # the row number as Excel shows it
    data: dict[str, Any]
    key: str = ""
    existing: Any = None
    diff: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    sheet: str = ""  # the sheet's name, for importers of several sheets


class Importer(ABC):
    """One kind of import. Subclasses supply columns and the hooks below."""

    kind: str = ""
    label: str = ""
    columns: list[Column] = []
    instructions: list[str] = []
    # Workbooks of several sheets: the main sheet by name (or index), the further sheets, and whether the file is
    # one whole that is never written in part (``valid_only`` then writes nothing when any row is wrong).
    sheet: int | str = 0
    extra_sheets: tuple[Sheet, ...] = ()
    all_or_nothing: bool = False

    def prepare(self) -> None:  # noqa: B027 (an optional hook; most importers need nothing here)
        """Called at the start of every run: load look-up tables (they may have changed since)."""

    def check_row(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        """Cross-field problems of one row as (column key, message)."""
        return []

    @abstractmethod
    def row_key(self, data: dict[str, Any]) -> str:
        """The identity of a row (the same record twice in one file, or again in a later file)."""

    @abstractmethod
    def match(self, job: ImportJob, actor, rows: list[ParsedRow]) -> list[tuple[ParsedRow, str, str]]:
        """Set ``row.existing`` and ``row.diff`` for rows whose record exists; return (row, column key,
        message) for rows that cannot be imported because of what exists (e.g. owned by a unit outside
        scope) — the report names the column the problem is about."""

    @abstractmethod
    def write(self, job: ImportJob, actor, creates: list[ParsedRow], updates: list[ParsedRow]) -> None:
        """Write the rows (inside the engine's transaction), with change log and search index."""

    def column(self, key: str, sheet: str = "") -> Column:
        return next(c for c in self.sheet_columns(sheet) if c.key == key)

    def sheet_columns(self, sheet: str = "") -> list[Column]:
        extra = next((s for s in self.extra_sheets if s.name == sheet), None)
        return extra.columns if extra is not None else self.columns

    def write_template(self, buffer) -> None:
        """The blank template of the import (the download beside the upload form)."""
        write_template(
            buffer,
            [(c.header + ("*" if c.required else ""), c.help) for c in self.columns],
            self.instructions,
            [[c.example for c in self.columns]],
        )


REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    REGISTRY[importer.kind] = importer
    return importer


def _header_key(text: str) -> str:
    return text.replace("*", "").replace("（必填）", "").replace("(必填)", "").strip()


class _Report:
    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.errors: list[dict] = []
        self.bad_rows: set[tuple[str, int]] = set()

    def add(self, row: int, column: str, message: str, sheet: str = "") -> None:
        """``sheet``: the sheet's name in a workbook of several sheets; the message then says where itself."""
        self.bad_rows.add((sheet, row))
        if len(self.errors) < MAX_STORED_ERRORS:
            if sheet:
                message = f"工作表“{sheet}”第 {row} 行“{column}”：{message}"
                self.errors.append({"sheet": sheet, "row": row, "column": column, "message": message})
            else:
                self.errors.append({"row": row, "column": column, "message": message})


def run(job: ImportJob) -> ImportJob:
    """Process one job to the end. Safe to call again on a finished job (it does nothing)."""
    if job.finished:
        return job
    importer = REGISTRY.get(job.kind)
    actor = job.created_by
    job.status, job.started_at, job.phase = ImportJob.Status.RUNNING, timezone.now(), "读取文件"
    job.heartbeat_at = job.started_at
    job.save(update_fields=["status", "started_at", "phase", "heartbeat_at"])
    try:
        with _heartbeat(job):
            if importer is None:
                raise UploadRejected(f"不支持的导入类型：{job.kind}")
            importer.prepare()
            _process(job, importer, actor, uploads.read(job))
    except UploadRejected as exc:
        job.status, job.message = ImportJob.Status.FAILED, exc.message
    job.finished_at = job.heartbeat_at = timezone.now()
    job.phase = ""
    if job.committed:
        uploads.discard(job)  # written: the upload has served its purpose
    with transaction.atomic():
        job.save()
        tell_owner(job)
    return job


@contextmanager
def _heartbeat(job: ImportJob) -> Iterator[None]:
    """Hold the job's lease while it runs: a thread (with its own database connection) stamps ``heartbeat_at``
    every ``ZHAOSHANG_IMPORT_HEARTBEAT_SECONDS``, also through the phases that report no progress (matching, the
    write). When the worker process dies the stamps stop, and ``services.import_jobs_fail_stale`` fails the job."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.ZHAOSHANG_IMPORT_HEARTBEAT_SECONDS):
                try:
                    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # SQLite: the import's write holds the lock; the next beat tries again
                    log.warning("import %s: heartbeat not written", job.pk, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"import-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


def tell_owner(job: ImportJob) -> None:
    """导入完成: the bell (and the channels the user chose for the kind) says how the import ended."""
    if job.created_by is None:
        return
    outcome = "失败" if job.status == ImportJob.Status.FAILED else "已完成"
    notify_users(
        [job.created_by],
        title=f"导入{outcome}：{job.get_mode_display()[:6]}（编号 {job.pk}）",
        body=job.message[:300],
        url=reverse("imports:import_detail", args=[job.pk]),
        kind=NoticeKind.IMPORT_DONE,
        dedupe_key=f"import:{job.pk}",
    )


def _positions(columns: list[Column], rows, sheet: str) -> dict[str, int]:
    header = next(rows, None)
    where = f"工作表“{sheet}”" if sheet else "文件"
    if not header:
        raise UploadRejected(f"{where}没有内容：第 1 行应为列标题")
    by_header = {_header_key(c.header): c for c in columns}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        title = _header_key(cell_text(cell) or "")
        if title in by_header and by_header[title].key not in positions:
            positions[by_header[title].key] = index
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        where = f"工作表“{sheet}”" if sheet else ""
        raise UploadRejected(f"{where}缺少必填列：{'、'.join(missing)}（请使用下载的模板，第 1 行为列标题）")
    return positions


def _process(job: ImportJob, importer: Importer, actor, data: bytes) -> None:
    report = _Report(job)
    main_sheet = importer.sheet if importer.extra_sheets and isinstance(importer.sheet, str) else ""
    rows = read_rows(data, job.file_kind, sheet=importer.sheet if job.file_kind == "xlsx" else 0)
    positions = _positions(importer.columns, rows, main_sheet)

    parsed: list[ParsedRow] = []
    seen_keys: dict[str, int] = {}
    job.phase = "校验数据"
    for offset, raw in enumerate(rows, start=2):
        values = {key: cell_text(raw[i]) if i < len(raw) else None for key, i in positions.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        job.total_rows += 1
        row = _parse_row(importer, offset, values, report, importer.columns, main_sheet)
        if row is not None:
            row.key = importer.row_key(row.data)
            if row.key in seen_keys:
                report.add(
                    offset,
                    importer.columns[0].header,
                    f"与第 {seen_keys[row.key]} 行是同一条记录，请删除重复行",
                    main_sheet,
                )
            else:
                seen_keys[row.key] = offset
                parsed.append(row)
        if job.total_rows % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(
                processed_rows=job.total_rows, total_rows=job.total_rows, phase=job.phase, heartbeat_at=timezone.now()
            )
    for extra in importer.extra_sheets:
        parsed.extend(_extra_sheet(job, importer, extra, data, report))
    job.phase = "比对已有记录"
    ImportJob.objects.filter(pk=job.pk).update(
        processed_rows=job.total_rows, total_rows=job.total_rows, phase=job.phase, heartbeat_at=timezone.now()
    )
    for row, key, message in importer.match(job, actor, parsed):
        report.add(row.row, importer.column(key, row.sheet).header, message, row.sheet)
    valid = [r for r in parsed if (r.sheet, r.row) not in report.bad_rows]
    creates = [r for r in valid if r.existing is None]
    updates = [r for r in valid if r.existing is not None and r.diff]
    job.processed_rows = job.total_rows
    job.error_count = len(report.bad_rows)
    order = {"": 0, main_sheet: 0} | {extra.name: n for n, extra in enumerate(importer.extra_sheets, start=1)}
    job.errors = sorted(report.errors, key=lambda e: (order.get(e.get("sheet", ""), 0), e["row"], e["column"]))
    job.created_count, job.updated_count = len(creates), len(updates)
    job.unchanged_count = len([r for r in valid if r.existing is not None and not r.diff])
    job.changes = _preview(importer, creates, updates)
    if job.mode == ImportJob.Mode.DRY_RUN:
        job.message = _summary(job, "试导入完成（未写入）")
    elif job.error_count and (job.mode == ImportJob.Mode.COMMIT or importer.all_or_nothing):
        job.message = f"发现 {job.error_count} 行有错误，未导入任何数据；请修正后重新导入，或选择“只导入正确的行”"
    else:
        job.phase = "写入数据"
        ImportJob.objects.filter(pk=job.pk).update(phase=job.phase, heartbeat_at=timezone.now())
        try:
            with transaction.atomic():
                importer.write(job, actor, creates, updates)
                # with the rows: a worker that dies before the job's last save leaves a job known to be written
                ImportJob.objects.filter(pk=job.pk).update(committed=True)
        except (CellError, ApplicationError) as exc:
            # Something the checks could not foresee (another user's write in between): nothing is kept.
            raise UploadRejected(f"写入时发现问题，未导入任何数据：{exc}") from exc
        job.committed = True
        job.message = _summary(job, "导入完成")
    job.status = ImportJob.Status.DONE


def _extra_sheet(job: ImportJob, importer: Importer, sheet: Sheet, data: bytes, report: _Report) -> list[ParsedRow]:
    """The rows of a further sheet, parsed like the main sheet's (no duplicate check: the importer's match)."""
    if job.file_kind != "xlsx":
        if sheet.required:
            raise UploadRejected(f"需要工作表“{sheet.name}”：请上传 Excel（.xlsx）文件")
        return []
    try:
        rows = read_rows(data, job.file_kind, sheet=sheet.name)
    except UploadRejected:
        if sheet.required:
            raise
        return []  # an optional sheet that is not there
    try:
        positions = _positions(sheet.columns, rows, sheet.name)
    except UploadRejected:
        if sheet.required:
            raise
        return []  # an optional sheet left empty (not even its header row)
    parsed = []
    for offset, raw in enumerate(rows, start=2):
        values = {key: cell_text(raw[i]) if i < len(raw) else None for key, i in positions.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        job.total_rows += 1
        row = _parse_row(importer, offset, values, report, sheet.columns, sheet.name)
        if row is not None:
            parsed.append(row)
    return parsed


def _parse_row(
    importer: Importer,
    row_number: int,
    values: dict[str, str | None],
    report: _Report,
    columns: list[Column] | None = None,
    sheet: str = "",
) -> ParsedRow | None:
    data: dict[str, Any] = {}
    ok = True
    for column in columns if columns is not None else importer.columns:
        value = values.get(column.key)
        if value in (None, ""):
            if column.required:
                report.add(row_number, column.header, f"“{column.header}”为必填项", sheet)
                ok = False
            continue
        try:
            # the one text cleaning of every entry point: control characters refused, NFC, trimmed
            data[column.key] = column.parse(parsers.clean_text(value) if isinstance(value, str) else value)
        except CellError as exc:
            report.add(row_number, column.header, str(exc), sheet)
            ok = False
    if ok and columns in (None, importer.columns):
        for key, message in importer.check_row(data):
            report.add(row_number, importer.column(key).header, message, sheet)
            ok = False
    return ParsedRow(row=row_number, data=data, sheet=sheet) if ok else None


def _preview(importer: Importer, creates: list[ParsedRow], updates: list[ParsedRow]) -> list[dict]:
    def where(row: ParsedRow) -> dict:
        return {"sheet": row.sheet} if row.sheet else {}

    preview: list[dict] = []
    for row in updates[:MAX_STORED_CHANGES]:
        headers = {c.key: c.header for c in importer.sheet_columns(row.sheet)}
        diff = {headers.get(k, k): [_plain(a), _plain(b)] for k, (a, b) in row.diff.items()}
        preview.append(
            {"row": row.row, "action": "update", "id": row.existing.pk, "name": str(row.existing), "diff": diff}
            | where(row)
        )
    for row in creates[: max(0, MAX_STORED_CHANGES - len(preview))]:
        name = str(row.data.get(importer.sheet_columns(row.sheet)[0].key, ""))
        preview.append({"row": row.row, "action": "create", "name": name} | where(row))
    return sorted(preview, key=lambda p: (p.get("sheet", "") != importer.sheet, p["row"]))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return str(value)
    if isinstance(value, list | tuple | set):
        return "、".join(str(v) for v in value)
    return value


def _summary(job: ImportJob, prefix: str) -> str:
    return (
        f"{prefix}：共 {job.total_rows} 行，新增 {job.created_count}，更新 {job.updated_count}，"
        f"无变化 {job.unchanged_count}，错误 {job.error_count}"
    )
