"""Uploaded files at rest: encrypted with the field key while their import needs them, then deleted.

An imported file holds what the platform otherwise stores encrypted (contact phones) or not at all, so it is
never kept in plain text: ``store`` writes ``core.crypto.sm4_encrypt_bytes`` of the upload (mode 0600 in a 0700
directory, settings ``FILE_UPLOAD_*``); ``read`` gives the plain bytes back; ``discard`` deletes the file. The
services delete it as soon as the import has committed, hand it over on a re-run, and a daily purge
(``imports.services.import_files_purge``, command ``zhaoshang purge-import-files``) deletes what is left once
the job has been finished or abandoned for ``ZHAOSHANG_IMPORT_RETENTION_DAYS`` (default 7: time to download
the error report and import the corrected file). Files only: the job's row is written by the services.
"""

from django.core.files.base import ContentFile

from zhaoshang.core.crypto import BYTES_MAGIC, sm4_decrypt_bytes, sm4_encrypt_bytes


def store(job, data: bytes, name: str) -> None:
    """Attach ``data`` to ``job.file`` encrypted (the job is saved by the caller)."""
    job.file.save(name, ContentFile(sm4_encrypt_bytes(data)), save=False)


def read(job) -> bytes:
    with job.file.open("rb") as handle:
        blob = handle.read()
    # Files stored before encryption at rest are read as they are (and purged like the others).
    return sm4_decrypt_bytes(blob) if blob.startswith(BYTES_MAGIC) else blob


def discard(job) -> bool:
    """Delete the job's file from storage; whether there was one. ``job.file`` is emptied (not saved)."""
    if not job.file:
        return False
    job.file.delete(save=False)
    return True
