"""The safe file layer of the import engine: upload inspection, row reading and formula-safe exports."""

import datetime
import io
import struct
import zipfile
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from zhaoshang.imports.files import (
    MSG_CORRUPT,
    MSG_EMPTY,
    MSG_ENCRYPTED,
    MSG_LEGACY_XLS,
    MSG_MACRO,
    MSG_UNSUPPORTED,
    MSG_UTF16,
    MSG_XML_ENTITY,
    MSG_ZIP_BOMB,
    UploadRejected,
    cell_text,
    escape_formula,
    inspect_upload,
    read_rows,
    write_template,
    write_xlsx,
)

MiB = 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def rejected(data: bytes | io.IOBase, filename: str, **limits: int) -> str:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(data, filename, **limits)
    assert str(caught.value) == caught.value.message
    return caught.value.message


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def minimal_xlsx_members() -> dict[str, bytes]:
    return {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def exported(rows: list[list[object]], headers: list[str] | None = None, name: str = "企业") -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, [(name, headers or ["名称", "数值"], rows)])
    return buffer.getvalue()


def with_member(xlsx: bytes, name: str, content: bytes) -> bytes:
    """Copy a workbook, adding or replacing one member."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        for info in source.infolist():
            members[info.filename] = source.read(info)
    members[name] = content
    return make_zip(members)


def csv_rows(text: str, encoding: str = "utf-8", **kwargs: int) -> list[list[object]]:
    data = text.encode(encoding)
    assert inspect_upload(data, "名单.csv") == "csv"
    return list(read_rows(data, "csv", **kwargs))


# ---------------------------------------------------------------------------------------------------------------------
# inspect_upload: size and type
# ---------------------------------------------------------------------------------------------------------------------


def test_empty_file_is_refused():
    assert rejected(b"", "a.xlsx") == "文件为空"
    assert rejected(io.BytesIO(b""), "a.csv") == MSG_EMPTY


def test_whitespace_only_csv_counts_as_empty():
    assert rejected("\ufeff \r\n\r\n".encode(), "a.csv") == "文件为空"


def test_oversize_file_names_its_size_and_the_limit():
    data = b"a,b\n" * 400_000  # 1.6 MB
    assert rejected(data, "a.csv", max_bytes=MiB) == "文件过大（1.6 MB），上限为 1 MB"


def test_oversize_stream_is_refused_before_it_is_read():
    class CountingStream(io.BytesIO):
        read_sizes: list[int] = []

        def read(self, size: int | None = -1) -> bytes:
            self.read_sizes.append(size)
            return super().read(size)

    stream = CountingStream(b"x" * (2 * MiB))
    assert rejected(stream, "a.csv", max_bytes=MiB) == "文件过大（2 MB），上限为 1 MB"
    assert stream.read_sizes == []


def test_unseekable_oversize_stream_reports_its_real_size():
    class Unseekable(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:
            return self._inner.readinto(buffer)

    stream = io.BufferedReader(Unseekable(b"x" * (3 * MiB)))
    assert not stream.seekable()
    assert rejected(stream, "a.csv", max_bytes=MiB) == "文件过大（3 MB），上限为 1 MB"


def test_stream_is_left_where_it_was_for_the_reader():
    stream = io.BytesIO("企业名称,电话\n甲公司,123\n".encode())
    assert inspect_upload(stream, "a.csv") == "csv"
    assert stream.tell() == 0
    assert list(read_rows(stream.read(), "csv")) == [["企业名称", "电话"], ["甲公司", "123"]]


def test_legacy_xls_is_refused_by_its_magic_bytes_whatever_the_name():
    data = OLE2 + b"\x00" * 504 + "Workbook".encode("utf-16-le")
    assert rejected(data, "名单.xls") == "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 后上传"
    assert rejected(data, "名单.xlsx") == MSG_LEGACY_XLS


def test_password_protected_xlsx_is_named_as_such():
    data = OLE2 + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    assert rejected(data, "名单.xlsx") == MSG_ENCRYPTED


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "名单.pdf"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n", "名单.csv"),  # pure-ASCII PDF renamed
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "名单.xlsx"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "photo.csv"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "setup.exe"),
        (b"\x7fELF\x02\x01\x01\x00", "a.csv"),
        (b"<!DOCTYPE html><html><body><table></table></body></html>", "名单.csv"),
        (b"ab\x01\x02\x03cd,ef\n", "名单.csv"),  # control characters: not text
        ("企业名称,电话\n甲公司,123\n".encode(), "名单.docx"),  # text, but not under a CSV name
    ],
)
def test_anything_else_is_an_unsupported_type(data: bytes, filename: str):
    assert rejected(data, filename) == "不支持的文件类型，请上传 .xlsx 或 .csv 文件"
    assert MSG_UNSUPPORTED == "不支持的文件类型，请上传 .xlsx 或 .csv 文件"


def test_html_table_saved_as_xls_is_told_to_resave_as_xlsx():
    assert rejected(b"<html><body><table><tr><td>1</td></tr></table></body></html>", "导出.xls") == MSG_LEGACY_XLS


def test_csv_named_xlsx_says_it_is_really_csv():
    message = rejected("企业名称,电话\n甲公司,123\n".encode(), "名单.xlsx")
    assert message == "文件扩展名为 .xlsx，但内容实际是文本（CSV）文件，请将扩展名改为 .csv 后重新上传"


def test_xlsx_named_csv_says_it_is_really_xlsx():
    message = rejected(exported([["甲公司", 1]]), "名单.csv")
    assert message == "文件扩展名为 .csv，但内容实际是 Excel（.xlsx）文件，请将扩展名改为 .xlsx 后重新上传"


def test_plain_zip_named_csv_says_it_is_a_zip():
    message = rejected(make_zip({"readme.txt": b"hello"}), "名单.csv")
    assert message == "文件内容实际是ZIP 压缩包，不是 Excel 或 CSV 表格，请上传 .xlsx 或 .csv 文件"


def test_docx_is_named_as_a_word_document():
    docx = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    message = rejected(docx, "名单.xlsx")
    assert message == "文件内容实际是Word 文档（.docx），不是 Excel 或 CSV 表格，请上传 .xlsx 或 .csv 文件"


def test_ods_is_told_to_resave_as_xlsx():
    ods = make_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, zipfile.ZIP_STORED)
    assert (
        rejected(ods, "名单.ods")
        == "文件内容实际是 OpenDocument 电子表格（.ods），请在 WPS 或 Excel 中另存为 .xlsx 后上传"
    )


def test_utf16_text_export_is_told_which_encoding_to_use():
    data = "企业名称\t电话\n甲公司\t123\n".encode("utf-16")
    assert rejected(data, "名单.txt") == MSG_UTF16


def test_undecodable_csv_names_the_encodings():
    data = b"\x81\x30\x81" * 10  # invalid in UTF-8 and GB18030 (a four-byte sequence cut short)
    assert rejected(data, "名单.csv") == "无法识别 CSV 文件的编码，请以 UTF-8 或 GBK（GB18030）编码保存后上传"


def test_real_xlsx_and_csv_are_accepted():
    assert inspect_upload(exported([["甲公司", 1]]), "名单.XLSX") == "xlsx"
    assert inspect_upload(io.BytesIO(exported([["甲公司", 1]])), r"C:\fakepath\名单.xlsx") == "xlsx"
    assert inspect_upload(b"a,b\n1,2\n", "a.txt") == "csv"


# ---------------------------------------------------------------------------------------------------------------------
# inspect_upload: zip bombs, path tricks, XML entities, corrupt archives
# ---------------------------------------------------------------------------------------------------------------------


def test_highly_compressed_member_is_a_zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in minimal_xlsx_members().items():
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(4):  # 4 MB of zeros, written in pieces to keep the test's memory small
                member.write(bytes(MiB))
    bomb = buffer.getvalue()
    assert len(bomb) < 64 * 1024
    assert rejected(bomb, "名单.xlsx") == "文件疑似压缩炸弹或已损坏，已拒绝"


def test_moderately_compressed_member_passes_the_ratio_check():
    # Highly repetitive but varied content: well under 100:1, like a real sheet.
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i * 7919 % 104729}</v></c></row>' for i in range(60_000))
    members = minimal_xlsx_members() | {"xl/worksheets/sheet1.xml": rows.encode()}
    assert inspect_upload(make_zip(members), "名单.xlsx") == "xlsx"


def test_total_uncompressed_size_over_the_limit_is_a_zip_bomb():
    members = minimal_xlsx_members() | {"xl/worksheets/sheet1.xml": b"<x/>" * 1000}
    assert rejected(make_zip(members), "名单.xlsx", max_uncompressed_bytes=2000) == MSG_ZIP_BOMB


def test_too_many_members_is_a_zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in minimal_xlsx_members().items():
            archive.writestr(name, content)
        for index in range(10_000):
            archive.writestr(f"p/{index}", b"")
    assert rejected(buffer.getvalue(), "名单.xlsx") == MSG_ZIP_BOMB


@pytest.mark.parametrize("evil_name", ["../evil", "xl/../../evil.xml", "/etc/passwd", "\\evil", "C:/evil"])
def test_member_path_escaping_the_archive_is_refused(evil_name: str):
    members = minimal_xlsx_members() | {evil_name: b"x"}
    assert rejected(make_zip(members), "名单.xlsx") == MSG_ZIP_BOMB


def test_member_that_inflates_past_its_declared_size_is_a_zip_bomb():
    members = minimal_xlsx_members() | {"xl/worksheets/sheet1.xml": b"<worksheet/>" + b" " * 50_000}
    data = bytearray(make_zip(members))
    # Lower the declared size of the sheet in the central directory (offset 24 of its entry) to 100 bytes.
    entry = _central_entry(data, b"xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, entry + 24, 100)
    assert rejected(bytes(data), "名单.xlsx") == MSG_ZIP_BOMB


def _central_entry(data: bytearray, name_prefix: bytes) -> int:
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        if data[position + 46 :].startswith(name_prefix):
            return position
        position = data.find(b"PK\x01\x02", position + 4)
    raise AssertionError("central directory entry not found")


def test_duplicate_member_names_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in minimal_xlsx_members().items():
            archive.writestr(name, content)
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("xl/workbook.xml", b"<workbook/>")
    assert rejected(buffer.getvalue(), "名单.xlsx") == MSG_ZIP_BOMB


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol3;</t></si></sst>"""


def test_shared_strings_with_entity_definitions_are_refused():
    crafted = with_member(exported([["甲公司", 1]]), "xl/sharedStrings.xml", BILLION_LAUGHS)
    assert rejected(crafted, "名单.xlsx") == "文件包含不允许的 XML 实体声明，已拒绝"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("xl/_rels/workbook.xml.rels", b'<?xml version="1.0"?><!doctype r SYSTEM "file:///etc/passwd"><r/>'),
        ("xl/worksheets/sheet1.xml", '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16")),
        ("xl/custom.dat", b'<!ENTITY xxe SYSTEM "file:///etc/passwd">'),  # any member, whatever its name
        ("xl/big.xml", b" " * (64 * 1024 - 4) + b"<!DOCTYPE x>"),  # split across two read chunks
    ],
)
def test_entity_declarations_are_found_in_any_member_and_encoding(name: str, content: bytes):
    crafted = with_member(exported([["甲公司", 1]]), name, content)
    assert rejected(crafted, "名单.xlsx") == MSG_XML_ENTITY


def test_truncated_zip_is_corrupt():
    data = exported([["甲公司", 1]])
    assert rejected(data[: len(data) // 2], "名单.xlsx") == "文件已损坏，无法读取"


def test_member_with_a_wrong_checksum_is_corrupt():
    data = bytearray(make_zip(minimal_xlsx_members() | {"xl/styles.xml": b"<styleSheet/>"}))
    entry = _central_entry(data, b"xl/styles.xml")
    crc = struct.unpack_from("<I", data, entry + 16)[0]
    struct.pack_into("<I", data, entry + 16, crc ^ 1)
    assert rejected(bytes(data), "名单.xlsx") == MSG_CORRUPT


def test_workbook_with_macros_is_refused():
    members = minimal_xlsx_members() | {"xl/vbaProject.bin": b"\x00\x01"}
    assert rejected(make_zip(members), "名单.xlsx") == MSG_MACRO


# ---------------------------------------------------------------------------------------------------------------------
# read_rows
# ---------------------------------------------------------------------------------------------------------------------


def test_xlsx_written_by_write_xlsx_reads_back_with_the_same_values():
    rows = [
        ["甲公司", 12, Decimal("1234.50"), datetime.date(2024, 1, 2), "13800000000"],
        ["乙公司", -3.25, None, datetime.date(2023, 12, 31), "  带空格的文本  "],
    ]
    data = exported(rows, ["企业名称", "人数", "投资额（万元）", "签约日期", "电话"])
    assert inspect_upload(data, "导出.xlsx") == "xlsx"
    assert list(read_rows(data, "xlsx")) == [
        ["企业名称", "人数", "投资额（万元）", "签约日期", "电话"],
        ["甲公司", 12.0, 1234.5, datetime.date(2024, 1, 2), "13800000000"],
        ["乙公司", -3.25, None, datetime.date(2023, 12, 31), "带空格的文本"],
    ]


def test_formula_text_is_exported_as_escaped_text_not_as_a_formula():
    payload = '=HYPERLINK("http://x","y")'
    data = exported([[payload, "-1+2"], ["@SUM(A1)", -5]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    assert b"<f " not in sheet_xml
    rows = list(read_rows(data, "xlsx"))
    assert rows[1] == ["'" + payload, "'-1+2"]
    assert rows[2] == ["'@SUM(A1)", -5.0]  # a negative number stays a number


def test_write_xlsx_counts_rows_of_all_sheets_and_streams_iterators():
    buffer = io.BytesIO()
    count = write_xlsx(
        buffer,
        [
            ("企业", ["名称"], ([f"公司{i}"] for i in range(5))),
            ("项目[2024]", ["名称"], iter([["项目甲"], ["项目乙"]])),
            ("空表", ["名称"], []),
        ],
        column_widths={0: 30, "名称": 20},
    )
    assert count == 7
    data = buffer.getvalue()
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert workbook.sheet_names == ["企业", "项目_2024_", "空表"]
    assert list(read_rows(data, "xlsx", sheet="项目_2024_")) == [["名称"], ["项目甲"], ["项目乙"]]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first_sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert 'state="frozen"' in first_sheet
    assert 'width="30' in first_sheet


def test_write_xlsx_writes_dates_with_a_date_format_and_booleans_as_text():
    aware = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    data = exported([[True, datetime.date(2024, 5, 6)], [False, aware.replace(tzinfo=None)], [10**17, None]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert 'formatCode="yyyy-mm-dd"' in styles
    assert list(read_rows(data, "xlsx"))[1:] == [
        ["是", datetime.date(2024, 5, 6)],
        ["否", datetime.datetime(2024, 1, 2, 3, 4, 5)],
        ["100000000000000000", None],  # beyond 15 digits: text, so no digit is lost
    ]


def test_missing_sheet_name_lists_the_sheets_that_exist():
    buffer = io.BytesIO()
    write_xlsx(buffer, [("企业", ["名称"], []), ("项目", ["名称"], [])])
    with pytest.raises(UploadRejected) as caught:
        read_rows(buffer.getvalue(), "xlsx", sheet="数据")
    assert caught.value.message == "工作表“数据”不存在，文件中的工作表有：企业、项目"
    with pytest.raises(UploadRejected) as caught:
        read_rows(buffer.getvalue(), "xlsx", sheet=2)
    assert caught.value.message == "文件中没有第 3 个工作表，文件中的工作表有：企业、项目"


def test_xlsx_over_max_rows_is_refused_before_any_row_is_yielded():
    data = exported([["甲", i] for i in range(11)])
    assert len(list(read_rows(data, "xlsx", max_rows=11))) == 12
    with pytest.raises(UploadRejected) as caught:
        read_rows(data, "xlsx", max_rows=10)
    assert caught.value.message == "行数超过上限 10 行，请拆分文件"


def test_csv_over_max_rows_is_refused():
    text = "名称\n" + "".join(f"公司{i}\n" for i in range(11))
    assert len(csv_rows(text, max_rows=11)) == 12
    with pytest.raises(UploadRejected, match="行数超过上限 10 行，请拆分文件"):
        csv_rows(text, max_rows=10)


def test_gb18030_csv_reads_chinese_text():
    text = "企业名称,法定代表人,地址\r\n甲乙丙有限公司,张三,江西省某县工业园区㐀路1号\r\n"
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert inspect_upload(data, "名单.csv") == "csv"
    assert list(read_rows(data, "csv")) == [
        ["企业名称", "法定代表人", "地址"],
        ["甲乙丙有限公司", "张三", "江西省某县工业园区㐀路1号"],
    ]


def test_utf8_bom_csv_loses_its_bom():
    assert csv_rows("\ufeff企业名称,电话\n甲公司,138\n") == [["企业名称", "电话"], ["甲公司", "138"]]


def test_tab_separated_csv_is_sniffed():
    rows = csv_rows("企业名称\t地址\t电话\n甲公司\t北京市, 朝阳区\t138\n")
    assert rows == [["企业名称", "地址", "电话"], ["甲公司", "北京市, 朝阳区", "138"]]


def test_semicolon_and_quoted_headers_are_sniffed():
    assert csv_rows('"名称,全称";电话\n甲;1\n') == [["名称,全称", "电话"], ["甲", "1"]]
    assert csv_rows("名称\n甲公司\n") == [["名称"], ["甲公司"]]


def test_rows_are_cleaned_padded_and_blank_rows_kept_only_inside():
    text = "\n\n 名称 ,电话,备注\n甲公司\u200b, ,\n\n,,\n乙公司,138\n\n,,\n"
    assert csv_rows(text) == [
        ["名称", "电话", "备注"],
        ["甲公司", None, None],
        [None, None, None],
        [None, None, None],
        ["乙公司", "138", None],
    ]


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown upload kind"):
        read_rows(b"a", "xls")


def test_corrupt_xlsx_given_to_read_rows_is_refused():
    with pytest.raises(UploadRejected, match=MSG_CORRUPT):
        read_rows(b"PK\x03\x04not really a zip", "xlsx")


# ---------------------------------------------------------------------------------------------------------------------
# cell_text, escape_formula, write_template
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  \u3000 ", None),
        ("  甲公司 \t", "甲公司"),
        (1.0, "1"),
        (12345678901.0, "12345678901"),
        (-3.0, "-3"),
        (1.5, "1.5"),
        (0.1 + 0.2, "0.3"),
        (42, "42"),
        (Decimal("1234.500"), "1234.5"),
        (Decimal("1E+2"), "100"),
        (True, "是"),
        (False, "否"),
        (datetime.date(2024, 1, 2), "2024-01-02"),
        (datetime.datetime(2024, 1, 2), "2024-01-02"),
        (datetime.datetime(2024, 1, 2, 13, 45), "2024-01-02 13:45:00"),
        (datetime.time(8, 30), "08:30:00"),
    ],
)
def test_cell_text(value: object, expected: str | None):
    assert cell_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("甲公司", "甲公司"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (-1.5, -1.5),
        (Decimal("-2"), Decimal("-2")),
        (None, None),
    ],
)
def test_escape_formula(value: object, expected: object):
    assert escape_formula(value) == expected


def test_template_has_annotated_headers_and_an_instructions_sheet():
    buffer = io.BytesIO()
    write_template(
        buffer,
        [("企业名称", "必填，营业执照上的全称"), ("统一社会信用代码", "18 位，不含空格")],
        ["1. 请勿修改表头。", "- 日期请写成 2024-01-02。"],
        [["示例有限公司", "91360000MA00000000"]],
    )
    data = buffer.getvalue()
    assert inspect_upload(data, "导入模板.xlsx") == "xlsx"
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert workbook.sheet_names == ["数据", "填写说明"]
    assert list(read_rows(data, "xlsx")) == [["企业名称", "统一社会信用代码"]]
    guide = [row[0] for row in read_rows(data, "xlsx", sheet="填写说明")]
    assert guide[:2] == ["1. 请勿修改表头。", "- 日期请写成 2024-01-02。"]
    assert guide[-1] == "示例有限公司"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        comments = archive.read("xl/comments1.xml").decode()
        data_sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "必填，营业执照上的全称" in comments
    assert "18 位，不含空格" in comments
    assert 'state="frozen"' in data_sheet
