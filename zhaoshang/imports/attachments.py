"""Documents attached to business records (a signed agreement, a licence, a photo of the site): PDF, Word
(.docx), Excel (.xlsx) and PNG/JPEG images, recognised by their bytes — never by the name alone — and
refused when the name claims another type, when they carry macros, or when an archive is a bomb.

The same upload rules as the import engine (``files.inspect_upload``): a size cap, ZIP structure checks, and a
Chinese message that says what the file really is.
"""

import io
import os
import uuid
import zipfile
from typing import BinaryIO, Final

from zhaoshang.core.errors import ValidationFailed

from .files import MiB, UploadRejected, _check_zip_structure, _extension, _read_bounded

ATTACHMENT_MAX_BYTES: Final = 20 * MiB
# kind → (extensions the name may carry, what to call it)
KINDS: Final = {
    "pdf": ((".pdf",), "PDF 文件"),
    "docx": ((".docx",), "Word 文档（.docx）"),
    "xlsx": ((".xlsx",), "Excel 表格（.xlsx）"),
    "png": ((".png",), "PNG 图片"),
    "jpg": ((".jpg", ".jpeg"), "JPEG 图片"),
}
MSG_ATTACHMENT_TYPE: Final = "不支持的附件类型，请上传 PDF、Word（.docx）、Excel（.xlsx）或 PNG/JPG 图片"
_OOXML_MAIN: Final = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}


def inspect_attachment(data: bytes | BinaryIO, filename: str, *, max_bytes: int = ATTACHMENT_MAX_BYTES) -> str:
    """The attachment's kind (a key of ``KINDS``) or :class:`UploadRejected` with the reason in Chinese."""
    raw = _read_bounded(data, max_bytes)
    kind = _kind_of(raw)
    if kind is None:
        raise UploadRejected(MSG_ATTACHMENT_TYPE)
    extensions, label = KINDS[kind]
    extension = _extension(filename)
    if extension not in extensions:
        shown = extension or "（无）"
        raise UploadRejected(
            f"文件扩展名为 {shown}，但内容实际是{label}，请使用正确的扩展名（{extensions[0]}）后重新上传"
        )
    return kind


def _kind_of(raw: bytes) -> str | None:
    if raw.startswith(b"%PDF-"):
        return "pdf"
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if raw.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if raw.startswith(b"PK\x03\x04"):
        return _ooxml_kind(raw)
    return None


def _ooxml_kind(raw: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRejected("文件已损坏，无法读取") from exc
    with archive:
        members = archive.infolist()
        _check_zip_structure(members, max_uncompressed_bytes=10 * len(raw) + 50 * MiB, max_ratio=100)
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names:
            return None
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise UploadRejected("文件包含宏（VBA 代码），不支持，请另存为不含宏的文件后上传")
        return next((kind for main, kind in _OOXML_MAIN.items() if main in names), None)


def accept_attachment(upload, *, kinds: tuple[str, ...] | None = None, kinds_message: str = "") -> tuple[str, str]:
    """Check an uploaded document (Django ``UploadedFile``) by the rules above before it is stored, and give it a
    new random name (``<hex>.<kind>``: a name from the user never reaches the disk). Returns ``(kind, the
    original file name)``; a refused file raises ``ValidationFailed`` on the ``file`` field with the reason in
    Chinese, and nothing is stored. ``kinds`` narrows the accepted kinds (``kinds_message`` says which)."""
    if upload is None:
        raise ValidationFailed("请选择要上传的文件", fields={"file": ["请选择要上传的文件"]})
    try:
        stream = upload.file if hasattr(upload, "file") else upload
        kind = inspect_attachment(stream, upload.name, max_bytes=ATTACHMENT_MAX_BYTES)
    except UploadRejected as exc:
        raise ValidationFailed(exc.message, fields={"file": [exc.message]}) from exc
    if kinds is not None and kind not in kinds:
        raise ValidationFailed(kinds_message, fields={"file": [kinds_message]})
    original = os.path.basename(upload.name.replace("\\", "/"))[:200]
    upload.name = f"{uuid.uuid4().hex}.{kind}"
    return kind, original
