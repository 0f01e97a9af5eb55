"""Exports of the safe file layer (SECURITY item 14): :func:`write_xlsx` streams rows to an .xlsx with every
string written as a string cell and protected by :func:`escape_formula`, so data typed by one user can never run
as a formula on another user's machine; :func:`write_template` builds the blank import template. Import them
from ``zhaoshang.imports.files``.
"""

import datetime
import math
import os
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Final

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

_EDGE_JUNK: Final = r"[\s\ufeff\u200b-\u200d\u2060]+"
# str.strip() keeps zero-width spaces and stray BOMs, which users paste in from web pages and chat tools.
EDGE_JUNK_RE: Final = re.compile(rf"^{_EDGE_JUNK}|{_EDGE_JUNK}$")


def cell_text(value: object) -> str | None:
    """Turn a cell value into the text a user sees, for columns read as text (codes, phone numbers, names).

    Whole floats lose their ".0" (Excel stores every number as a float: 1.0 → "1", 12345678901.0 →
    "12345678901"); other floats use 15 significant digits, as Excel displays them. Dates become ISO dates, a
    datetime with a time of day keeps it ("2024-01-02 13:45:00"), booleans become 是/否, blanks become None.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return EDGE_JUNK_RE.sub("", value) or None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return EDGE_JUNK_RE.sub("", str(value)) or None


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value.is_integer():
        return str(int(value))
    # Below 1e15 the 15-digit form is exact for what Excel shows and hides binary noise (0.1 + 0.2 → "0.3").
    return format(value, ".15g") if abs(value) < 1e15 else repr(value)


# ---------------------------------------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------------------------------------

_FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
_WORKBOOK_OPTIONS: Final = {
    # Never let xlsxwriter reinterpret a string: write_string is used anyway, these guard any future write().
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
_HEADER_FORMAT: Final = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "vcenter"}
_DATE_FORMAT: Final = "yyyy-mm-dd"
_DATETIME_FORMAT: Final = "yyyy-mm-dd hh:mm:ss"
_TIME_FORMAT: Final = "hh:mm:ss"
_EXACT_INT_LIMIT: Final = 10**15  # Excel keeps 15 significant digits; longer integers are written as text
_EXCEL_MAX_ROWS: Final = 1_048_576
_SHEET_NAME_BAD_CHARS: Final = re.compile(r"[\[\]:*?/\\]")


def escape_formula(value: object) -> object:
    """Protect a value against formula injection (CSV/formula injection, SECURITY item 14).

    A string starting with "=", "+", "-", "@", a tab or a carriage return gets a leading apostrophe ("'=1+1").
    Chosen over Excel's hidden quote-prefix style because the apostrophe travels with the value: it still
    protects after the user re-saves the export as CSV or pastes it into another tool, and it is the OWASP
    recommendation. The cost is that a text such as "-5" shows as "'-5". Numbers (including negative ones),
    dates and None are returned unchanged: they cannot become formulas.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


class _CellWriter:
    """Writes one value per call with the type-appropriate xlsxwriter method, never the guessing write()."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.date = workbook.add_format({"num_format": _DATE_FORMAT})
        self.datetime = workbook.add_format({"num_format": _DATETIME_FORMAT})
        self.time = workbook.add_format({"num_format": _TIME_FORMAT})

    def write(self, worksheet: Worksheet, row: int, col: int, value: object) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            worksheet.write_string(row, col, "是" if value else "否")
        elif isinstance(value, int) and abs(value) < _EXACT_INT_LIMIT:
            worksheet.write_number(row, col, value)
        elif isinstance(value, float | Decimal) and _is_finite(value):
            # Decimal becomes float for display only; the export is a report, not a store of record.
            worksheet.write_number(row, col, float(value))
        elif isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                # Without an argument astimezone() uses the process zone, which Django sets from TIME_ZONE.
                value = value.astimezone().replace(tzinfo=None)
            worksheet.write_datetime(row, col, value, self.datetime)
        elif isinstance(value, datetime.date):
            worksheet.write_datetime(row, col, value, self.date)
        elif isinstance(value, datetime.time) and value.tzinfo is None:
            worksheet.write_datetime(row, col, value, self.time)
        else:
            text = cell_text(value) if not isinstance(value, str) else value
            if text:
                worksheet.write_string(row, col, str(escape_formula(text)))


def write_xlsx(
    path_or_buffer: str | os.PathLike[str] | IO[bytes],
    sheets: list[tuple[str, list[str], Iterable[Sequence[object]]]],
    *,
    column_widths: dict[int | str, float] | None = None,
    number_formats: dict[str, str] | None = None,
) -> int:
    """Write ``(name, headers, rows)`` sheets to an .xlsx and return the number of data rows written.

    Rows are streamed (xlsxwriter constant_memory), so ``rows`` may be a lazy iterator over a large queryset.
    ``column_widths`` maps a column index or a header text to a width in characters; other columns are sized
    from their header. ``number_formats`` maps a header text to an Excel number format for its column
    (``"#,##0.00"``: money with thousands separators). The header row is bold, filled and frozen.

    Raises ValueError when a sheet has more rows than Excel can hold (1,048,575 data rows).
    """
    total = 0
    options = {"constant_memory": True, **_WORKBOOK_OPTIONS}
    with xlsxwriter.Workbook(path_or_buffer, options) as workbook:
        header_format = workbook.add_format(_HEADER_FORMAT)
        cells = _CellWriter(workbook)
        for name, headers, rows in sheets:
            worksheet = workbook.add_worksheet(_safe_sheet_name(name))
            _write_header(worksheet, headers, header_format, column_widths or {})
            for col, header in enumerate(headers):
                if header in (number_formats or {}):
                    # a cell written without a format of its own shows in its column's format
                    width = (column_widths or {}).get(header, _display_width(header) + 4)
                    worksheet.set_column(
                        col, col, max(width, 10), workbook.add_format({"num_format": number_formats[header]})
                    )
            row_index = 0
            for row_index, row in enumerate(rows, start=1):
                if row_index >= _EXCEL_MAX_ROWS:
                    raise ValueError(f"sheet {name!r} exceeds Excel's {_EXCEL_MAX_ROWS - 1} data rows")
                for col, value in enumerate(row):
                    cells.write(worksheet, row_index, col, value)
            total += row_index
    return total


def _is_finite(value: float | Decimal) -> bool:
    # math.isfinite() raises on a signalling-NaN Decimal; Decimal answers for itself.
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def _write_header(
    worksheet: Worksheet, headers: list[str], header_format: Format, widths: dict[int | str, float]
) -> None:
    for col, header in enumerate(headers):
        width = widths.get(col, widths.get(header, _display_width(header) + 4))
        worksheet.set_column(col, col, max(width, 10))
        worksheet.write_string(0, col, str(escape_formula(header)), header_format)
    worksheet.freeze_panes(1, 0)


def _display_width(text: str) -> int:
    """Column width in Excel character units: CJK and full-width characters take two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _safe_sheet_name(name: str) -> str:
    """Excel refuses []:*?/\\ and names longer than 31 characters; exports may name sheets after data."""
    return _SHEET_NAME_BAD_CHARS.sub("_", name).strip("'")[:31] or "Sheet1"


def write_template(
    path_or_buffer: str | os.PathLike[str] | IO[bytes],
    headers: list[tuple[str, str]],
    instructions: list[str],
    example_rows: list[list[object]],
) -> None:
    """Write an import template: sheet "数据" with the headers, sheet "填写说明" with instructions and examples.

    Each header cell carries a note with the column description. The data columns are formatted as text so
    Excel keeps leading zeros and all 18 digits of ID and credit-code numbers as typed. The example rows go on
    the instructions sheet, below the instructions, rather than on the data sheet, so a user who forgets to
    delete them does not import them.
    """
    # Not constant_memory: xlsxwriter drops cell notes in that mode, and a template is tiny.
    with xlsxwriter.Workbook(path_or_buffer, dict(_WORKBOOK_OPTIONS)) as workbook:
        header_format = workbook.add_format(_HEADER_FORMAT)
        title_format = workbook.add_format({"bold": True, "font_size": 12})
        wrap_format = workbook.add_format({"text_wrap": True, "valign": "top"})
        text_format = workbook.add_format({"num_format": "@"})
        cells = _CellWriter(workbook)
        names = [name for name, _ in headers]

        data_sheet = workbook.add_worksheet("数据")
        for col, (name, description) in enumerate(headers):
            width = max(_display_width(name) + 4, min(_display_width(description), 40), 10)
            data_sheet.set_column(col, col, width, text_format)
            data_sheet.write_string(0, col, name, header_format)
            if description:
                data_sheet.write_comment(0, col, description, {"x_scale": 2, "y_scale": 1.5})
        data_sheet.freeze_panes(1, 0)
        data_sheet.activate()

        guide = workbook.add_worksheet("填写说明")
        guide.set_column(0, 0, 80, wrap_format)
        guide.set_column(1, max(len(headers) - 1, 1), 16)
        for row, line in enumerate(instructions):
            # Instructions are the program's own text, so bullets such as "- 日期…" are not formula-escaped.
            guide.write_string(row, 0, line, wrap_format)
        if example_rows:
            start = len(instructions) + 1
            guide.write_string(start, 0, "填写示例（请在“数据”工作表中填写，不要填在本页）", title_format)
            for col, name in enumerate(names):
                guide.write_string(start + 1, col, name, header_format)
            for offset, example in enumerate(example_rows, start=start + 2):
                for col, value in enumerate(example):
                    cells.write(guide, offset, col, value)
