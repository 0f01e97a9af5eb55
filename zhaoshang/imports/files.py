"""The safe file layer of the Excel import/export engine (等保 2.0 level 3, SECURITY items 13–15).

Uploads: :func:`inspect_upload` decides from the bytes (never from the extension alone) whether a file is an
.xlsx workbook or a CSV text file, and refuses zip bombs, XML entity declarations (billion laughs, XXE), legacy
.xls, disguised files and oversized files before any parser sees them. :func:`read_rows` then yields the rows.

Exports: :func:`write_xlsx` streams rows to an .xlsx with every string written as a string cell and protected by
:func:`escape_formula`, so data typed by one user can never run as a formula on another user's machine.
:func:`write_template` builds the blank import template.

Nothing here touches the database or Django settings; limits come in as arguments.
"""

import copy
import csv
import io
import math
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Final, NoReturn

from python_calamine import CalamineError, CalamineWorkbook

# The writing half (exports and templates) lives in writing.py; this module is the one public surface.
from .writing import EDGE_JUNK_RE, cell_text, escape_formula, write_template, write_xlsx

__all__ = [
    "UploadRejected",
    "cell_text",
    "escape_formula",
    "inspect_upload",
    "read_rows",
    "write_template",
    "write_xlsx",
]

MiB: Final = 1024 * 1024
MAX_ZIP_MEMBERS: Final = 10_000
RATIO_CHECK_MIN_BYTES: Final = MiB
"""Members smaller than this are not ratio-checked: small XML parts legitimately compress 100:1 and more."""

MSG_EMPTY: Final = "文件为空"
MSG_UNSUPPORTED: Final = "不支持的文件类型，请上传 .xlsx 或 .csv 文件"
MSG_LEGACY_XLS: Final = "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 后上传"
MSG_ENCRYPTED: Final = "文件设置了打开密码，请在 Excel 中取消密码后另存为 .xlsx 再上传"
MSG_ZIP_BOMB: Final = "文件疑似压缩炸弹或已损坏，已拒绝"
MSG_XML_ENTITY: Final = "文件包含不允许的 XML 实体声明，已拒绝"
MSG_CORRUPT: Final = "文件已损坏，无法读取"
MSG_MACRO: Final = "文件包含宏（VBA 代码），不支持，请另存为不含宏的 .xlsx 文件后上传"
MSG_UTF16: Final = "不支持 UTF-16（Unicode 文本）编码的文件，请另存为“CSV UTF-8（逗号分隔）”格式后上传"
MSG_CSV_ENCODING: Final = "无法识别 CSV 文件的编码，请以 UTF-8 或 GBK（GB18030）编码保存后上传"

CSV_EXTENSIONS: Final = frozenset({".csv", ".txt"})
# Extensions a user picks for "an Excel file"; text content under one of them gets a "rename it to .csv" hint.
EXCEL_EXTENSIONS: Final = frozenset({".xlsx", ".xls", ".xlsm", ".xltx", ".xlsb", ".et"})

_OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS: Final = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Signatures of formats that could otherwise slip through the text checks (PDF and RTF can be pure ASCII) or
# that are common enough to name; everything else binary fails the NUL/control-character test anyway.
_BINARY_MAGICS: Final = (
    b"%PDF",
    b"{\\rtf",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"\x7fELF",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",
)
_MARKUP_START: Final = re.compile(
    r"\s*<(?:!doctype|html|\?xml|head|body|table|meta|!--|script|style|svg|div|workbook)\b", re.IGNORECASE
)
# C0 controls that never appear in a real CSV; \t \n \r \f \v and DOS's \x1a end-of-file marker do.
_BINARY_CONTROLS: Final = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f]")
# Entity declarations are what make billion-laughs and XXE possible; OOXML parts never need a DTD.
_XML_DECLARATION_PATTERNS: Final = tuple(
    word.encode(encoding) for word in ("<!doctype", "<!entity") for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_XML_PATTERN_OVERLAP: Final = max(len(p) for p in _XML_DECLARATION_PATTERNS) - 1
_SCAN_CHUNK: Final = 64 * 1024
_ZIP_ERRORS: Final = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,  # includes NotImplementedError (unknown compression) and "password required"
    IndexError,
    KeyError,
    OverflowError,
)


class UploadRejected(Exception):
    """An uploaded file is refused; ``message`` tells the user, in Chinese, what is wrong with it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------------------------------
# Upload inspection
# ---------------------------------------------------------------------------------------------------------------------


def inspect_upload(
    data: bytes | BinaryIO,
    filename: str,
    *,
    max_bytes: int = 20 * MiB,
    max_uncompressed_bytes: int = 200 * MiB,
    max_ratio: int = 100,
) -> str:
    """Return ``"xlsx"`` or ``"csv"`` for an acceptable upload, or raise :class:`UploadRejected`.

    ``data`` may be bytes or a binary file object; a seekable file is left at the position it was given at, so the
    caller can read it again for :func:`read_rows` (an unseekable one is consumed: pass bytes instead).
    """
    raw = _read_bounded(data, max_bytes)
    extension = _extension(filename)
    if raw.startswith(_OLE2_MAGIC):
        _reject_ole2(raw)
    if raw.startswith(_ZIP_MAGICS):
        _inspect_zip(raw, extension, max_uncompressed_bytes=max_uncompressed_bytes, max_ratio=max_ratio)
        return "xlsx"
    _inspect_text(raw, extension)
    return "csv"


def _read_bounded(data: bytes | BinaryIO, max_bytes: int) -> bytes:
    """Return the upload's bytes after the emptiness and size checks; a stream is never read past the limit + 1."""
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        _check_size(len(raw), max_bytes)
        return raw
    if data.seekable():
        start = data.tell()
        size = data.seek(0, io.SEEK_END) - start
        data.seek(start)
        _check_size(size, max_bytes)
        try:
            return data.read(max_bytes)
        finally:
            data.seek(start)
    raw = data.read(max_bytes + 1)
    if len(raw) > max_bytes:
        # Unseekable: count the rest without keeping it, only so the message can give the real size.
        size = len(raw)
        while chunk := data.read(MiB):
            size += len(chunk)
        _check_size(size, max_bytes)
    _check_size(len(raw), max_bytes)
    return raw


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise UploadRejected(MSG_EMPTY)
    if size > max_bytes:
        raise UploadRejected(f"文件过大（{_format_mb(size, round_up=True)} MB），上限为 {_format_mb(max_bytes)} MB")


def _format_mb(size: int, *, round_up: bool = False) -> str:
    """Megabytes with one decimal, trailing ".0" dropped; the actual size rounds up so it never equals the limit."""
    value = size / MiB
    if value < 0.1:  # only reachable with tiny test limits; keep enough digits to be non-zero
        return f"{value:.3g}"
    tenths = math.ceil(value * 10) if round_up else math.floor(value * 10)
    return f"{tenths / 10:.1f}".removesuffix(".0")


def _extension(filename: str) -> str:
    # Browsers may send a full client path (C:\fakepath\x.xlsx); keep only the last component.
    base = re.split(r"[\\/]", filename or "")[-1]
    return os.path.splitext(base)[1].lower()


def _reject_ole2(raw: bytes) -> NoReturn:
    """OLE2 is legacy .xls/.doc, but also the container Excel uses for password-protected .xlsx files."""
    if "EncryptedPackage".encode("utf-16-le") in raw:
        raise UploadRejected(MSG_ENCRYPTED)
    if "WordDocument".encode("utf-16-le") in raw and "Workbook".encode("utf-16-le") not in raw:
        raise UploadRejected(MSG_UNSUPPORTED)
    raise UploadRejected(MSG_LEGACY_XLS)


def _inspect_text(raw: bytes, extension: str) -> None:
    """Accept CSV text; name the real content when the extension claims a workbook."""
    if raw.startswith(_BINARY_MAGICS):
        raise UploadRejected(MSG_UNSUPPORTED)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: a genuine spreadsheet, so say which encoding to use instead.
        raise UploadRejected(MSG_UTF16 if extension in CSV_EXTENSIONS else MSG_UNSUPPORTED)
    if b"\x00" in raw:
        raise UploadRejected(MSG_UNSUPPORTED)
    text = _decode_text(raw)
    if text is None:
        raise UploadRejected(MSG_CSV_ENCODING if extension in CSV_EXTENSIONS else MSG_UNSUPPORTED)
    if _BINARY_CONTROLS.search(text):
        raise UploadRejected(MSG_UNSUPPORTED)
    if not EDGE_JUNK_RE.sub("", text):
        raise UploadRejected(MSG_EMPTY)
    if _MARKUP_START.match(text):
        # Many old systems export an HTML or XML table named .xls; Excel opens it and can save it as .xlsx.
        raise UploadRejected(MSG_LEGACY_XLS if extension == ".xls" else MSG_UNSUPPORTED)
    if extension in CSV_EXTENSIONS:
        return
    if extension in EXCEL_EXTENSIONS:
        raise UploadRejected(f"文件扩展名为 {extension}，但内容实际是文本（CSV）文件，请将扩展名改为 .csv 后重新上传")
    raise UploadRejected(MSG_UNSUPPORTED)


def _decode_text(raw: bytes) -> str | None:
    """UTF-8 (BOM optional) first, since GB18030 would also "decode" most UTF-8 bytes into mojibake."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _inspect_zip(raw: bytes, extension: str, *, max_uncompressed_bytes: int, max_ratio: int) -> None:
    # Counting central-directory signatures is a cheap upper bound taken before zipfile builds one object per
    # member: a 20 MB archive of empty members would otherwise cost hundreds of MB of ZipInfo objects.
    if raw.count(b"PK\x01\x02") > MAX_ZIP_MEMBERS:
        raise UploadRejected(MSG_ZIP_BOMB)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except _ZIP_ERRORS as exc:
        raise UploadRejected(MSG_CORRUPT) from exc
    with archive:
        members = archive.infolist()
        _check_zip_structure(members, max_uncompressed_bytes=max_uncompressed_bytes, max_ratio=max_ratio)
        names = {member.filename for member in members}
        if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
            raise UploadRejected(_describe_other_zip(archive, names))
        if extension != ".xlsx":
            shown = extension or "（无）"
            raise UploadRejected(
                f"文件扩展名为 {shown}，但内容实际是 Excel（.xlsx）文件，请将扩展名改为 .xlsx 后重新上传"
            )
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise UploadRejected(MSG_MACRO)
        for member in members:
            _scan_member(archive, member)


def _check_zip_structure(members: list[zipfile.ZipInfo], *, max_uncompressed_bytes: int, max_ratio: int) -> None:
    """Refuse archives whose central directory alone shows a bomb, a path trick or an unusual encoding."""
    if len(members) > MAX_ZIP_MEMBERS:
        raise UploadRejected(MSG_ZIP_BOMB)
    names = [member.filename for member in members]
    if len(set(names)) != len(names):
        # Duplicate names let a checker and a parser look at different bytes under the same name.
        raise UploadRejected(MSG_ZIP_BOMB)
    if any(_unsafe_member_name(name) for name in names):
        raise UploadRejected(MSG_ZIP_BOMB)
    if sum(member.file_size for member in members) > max_uncompressed_bytes:
        raise UploadRejected(MSG_ZIP_BOMB)
    for member in members:
        if member.flag_bits & 0x1 or member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Office only writes stored or deflated, unencrypted members; anything else is not a real workbook.
            raise UploadRejected(MSG_CORRUPT)
        if member.compress_type == zipfile.ZIP_STORED and member.file_size != member.compress_size:
            raise UploadRejected(MSG_ZIP_BOMB)
        if member.file_size > RATIO_CHECK_MIN_BYTES and member.file_size > max_ratio * max(member.compress_size, 1):
            raise UploadRejected(MSG_ZIP_BOMB)


def _unsafe_member_name(name: str) -> bool:
    return ".." in name or name.startswith(("/", "\\")) or "\x00" in name or re.match(r"[A-Za-z]:", name) is not None


def _describe_other_zip(archive: zipfile.ZipFile, names: set[str]) -> str:
    """Say what a non-workbook ZIP really is, so the user knows which file they picked by mistake."""
    if "xl/workbook.bin" in names:
        return "文件内容实际是 Excel 二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx 后上传"
    if "word/document.xml" in names:
        what = "Word 文档（.docx）"
    elif "ppt/presentation.xml" in names:
        what = "PowerPoint 演示文稿（.pptx）"
    elif "mimetype" in names and archive.getinfo("mimetype").file_size <= 200:
        try:
            mimetype = archive.read("mimetype").decode("ascii", "replace")
        except _ZIP_ERRORS:
            mimetype = ""
        if "spreadsheet" in mimetype:
            return "文件内容实际是 OpenDocument 电子表格（.ods），请在 WPS 或 Excel 中另存为 .xlsx 后上传"
        what = "OpenDocument 文档"
    else:
        what = "ZIP 压缩包"
    return f"文件内容实际是{what}，不是 Excel 或 CSV 表格，请上传 .xlsx 或 .csv 文件"


def _scan_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Stream one member, refusing entity declarations and members that inflate past their declared size.

    Every member is scanned, not only *.xml and *.rels: the relationship files can point the parser at a part
    with any name. Python's zipfile silently stops at the declared size, but the Rust reader in calamine may not,
    so the member is opened with a larger declared size and any byte beyond the real declaration marks it as a
    lie (a bomb). The padding is far larger than zipfile's internal read-ahead (4 KiB to one chunk) and only one
    extra byte is read, so zipfile's CRC check, which runs once the padded size is reached, cannot fire first and
    report the bomb as merely corrupt.
    """
    limit = member.file_size + 1
    padded = copy.copy(member)
    padded.file_size = member.file_size + MiB
    seen = 0
    tail = b""
    try:
        with archive.open(padded) as stream:
            while seen < limit and (chunk := stream.read(min(_SCAN_CHUNK, limit - seen))):
                seen += len(chunk)
                if seen > member.file_size:
                    raise UploadRejected(MSG_ZIP_BOMB)
                # Keep the end of the previous chunk so a pattern split across two reads is still found.
                window = (tail + chunk).lower()
                if any(pattern in window for pattern in _XML_DECLARATION_PATTERNS):
                    raise UploadRejected(MSG_XML_ENTITY)
                tail = window[-_XML_PATTERN_OVERLAP:]
    except _ZIP_ERRORS as exc:  # bad CRC, truncated data, inconsistent local header
        raise UploadRejected(MSG_CORRUPT) from exc


# ---------------------------------------------------------------------------------------------------------------------
# Reading rows
# ---------------------------------------------------------------------------------------------------------------------


def read_rows(data: bytes, kind: str, *, sheet: int | str = 0, max_rows: int = 1_000_000) -> Iterator[list[object]]:
    """Yield the rows of an upload already accepted by :func:`inspect_upload`; the first row is the header.

    Leading blank rows are skipped (the header is the first non-blank row) and trailing blank rows are dropped;
    blank rows between data rows are kept, as lists of ``None``, so row positions still match the file. Strings
    come back stripped, empty cells as ``None``; numbers, dates and booleans keep calamine's Python types (use
    :func:`cell_text` for text columns). CSV rows shorter than the header are padded with ``None``.

    Raises :class:`UploadRejected` for more than ``max_rows`` data rows (possibly after earlier rows were yielded,
    so consume the rows inside a transaction), an unknown sheet, or an unreadable file.
    """
    if kind == "xlsx":
        raw_rows = _xlsx_rows(data, sheet, max_rows)
    elif kind == "csv":
        raw_rows = _csv_rows(data)
    else:
        raise ValueError(f"unknown upload kind {kind!r}")
    return _normalised_rows(raw_rows, max_rows)


def _xlsx_rows(data: bytes, sheet: int | str, max_rows: int) -> Iterator[list[object]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, OSError, ValueError) as exc:
        raise UploadRejected(MSG_CORRUPT) from exc
    names = list(workbook.sheet_names)
    if isinstance(sheet, str) and sheet not in names:
        raise UploadRejected(f"工作表“{sheet}”不存在，文件中的工作表有：{'、'.join(names)}")
    if isinstance(sheet, int) and not 0 <= sheet < len(names):
        raise UploadRejected(f"文件中没有第 {sheet + 1} 个工作表，文件中的工作表有：{'、'.join(names)}")
    try:
        # calamine parses the whole sheet here (it has no streaming reader); the upload and uncompressed-size
        # limits of inspect_upload are what bound this memory.
        worksheet = workbook.get_sheet_by_name(sheet) if isinstance(sheet, str) else workbook.get_sheet_by_index(sheet)
    except (CalamineError, OSError, ValueError) as exc:
        raise UploadRejected(MSG_CORRUPT) from exc
    # Fail before the caller has processed anything when the sheet is visibly too long.
    if worksheet.height - 1 > max_rows:
        raise UploadRejected(_too_many_rows(max_rows))
    return worksheet.iter_rows()


def _csv_rows(data: bytes) -> Iterator[list[object]]:
    # Decoded here, outside the generator, so an undecodable file is refused when read_rows is called.
    text = _decode_text(data)
    if text is None:
        raise UploadRejected(MSG_CSV_ENCODING)
    return _parse_csv(text)


def _parse_csv(text: str) -> Iterator[list[object]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        yield from reader
    except csv.Error as exc:
        raise UploadRejected(f"CSV 文件第 {reader.line_num} 行格式错误，无法读取") from exc


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the header line most often, counting only outside double quotes.

    csv.Sniffer guesses from all characters and fails on one-column files; the header line is enough here.
    """
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = dict.fromkeys(",\t;", 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _normalised_rows(raw_rows: Iterable[list[object]], max_rows: int) -> Iterator[list[object]]:
    width = 0
    header_seen = False
    pending_blank = 0  # blank rows are held back until a non-blank row shows they are not trailing
    data_rows = 0
    for raw_row in raw_rows:
        row = [_clean_cell(value) for value in raw_row]
        if all(value is None for value in row):
            if header_seen:
                pending_blank += 1
            continue
        if not header_seen:
            header_seen = True
            width = len(row)
            yield row
            continue
        data_rows += pending_blank + 1
        if data_rows > max_rows:
            raise UploadRejected(_too_many_rows(max_rows))
        for _ in range(pending_blank):
            yield [None] * width
        pending_blank = 0
        if len(row) < width:
            row.extend([None] * (width - len(row)))
        yield row


def _too_many_rows(max_rows: int) -> str:
    return f"行数超过上限 {max_rows} 行，请拆分文件"


def _clean_cell(value: object) -> object:
    if isinstance(value, str):
        return EDGE_JUNK_RE.sub("", value) or None
    return value
