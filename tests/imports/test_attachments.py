"""Attachments are recognised by their bytes: a file whose name claims another type is refused."""

import io
import zipfile

import pytest

from zhaoshang.imports.attachments import inspect_attachment
from zhaoshang.imports.files import UploadRejected

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def ooxml(main: str, *extra: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<document/>")
        for name in extra:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (PDF, "协议.pdf", "pdf"),
        (PNG, "现场.PNG", "png"),
        (JPG, "现场.jpeg", "jpg"),
        (ooxml("word/document.xml"), "协议.docx", "docx"),
        (ooxml("xl/workbook.xml"), "清单.xlsx", "xlsx"),
        (PDF, "C:\\fakepath\\协议.pdf", "pdf"),
    ],
)
def test_accepted_kinds(content, name, kind):
    assert inspect_attachment(content, name) == kind


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            ooxml("word/document.xml"),
            "协议.pdf",
            "文件扩展名为 .pdf，但内容实际是Word 文档（.docx），请使用正确的扩展名（.docx）后重新上传",
        ),
        (PDF, "协议.docx", "文件扩展名为 .docx，但内容实际是PDF 文件，请使用正确的扩展名（.pdf）后重新上传"),
        (PNG, "协议", "文件扩展名为 （无），但内容实际是PNG 图片，请使用正确的扩展名（.png）后重新上传"),
        (
            b"MZ\x90\x00" + b"\x00" * 64,
            "setup.pdf",
            "不支持的附件类型，请上传 PDF、Word（.docx）、Excel（.xlsx）或 PNG/JPG 图片",
        ),
        (
            b"<html><script>alert(1)</script>",
            "协议.pdf",
            "不支持的附件类型，请上传 PDF、Word（.docx）、Excel（.xlsx）或 PNG/JPG 图片",
        ),
        (
            ooxml("ppt/presentation.xml"),
            "协议.docx",
            "不支持的附件类型，请上传 PDF、Word（.docx）、Excel（.xlsx）或 PNG/JPG 图片",
        ),
        (
            ooxml("word/document.xml", "word/vbaProject.bin"),
            "协议.docx",
            "文件包含宏（VBA 代码），不支持，请另存为不含宏的文件后上传",
        ),
        (b"PK\x03\x04garbage", "协议.docx", "文件已损坏，无法读取"),
        (b"", "协议.pdf", "文件为空"),
    ],
)
def test_refused(content, name, message):
    with pytest.raises(UploadRejected) as excinfo:
        inspect_attachment(content, name)
    assert excinfo.value.message == message


def test_size_cap():
    with pytest.raises(UploadRejected) as excinfo:
        inspect_attachment(PDF + b"0" * 2048, "协议.pdf", max_bytes=1024)
    assert excinfo.value.message.startswith("文件过大")
