"""The stored files of issued documents (issue 17, "frozen at issue").

An issued document is rendered once as PDF and as DOCX, with its verification code and QR code, and the
bytes are kept under MEDIA_ROOT/issued/ with their SHA-256 (:class:`~documents.models.IssuedFile`).
Every later download serves those bytes, never a new rendering: a change to a template, a font or the
object the document came from cannot change a document once issued, and a holder of a copy can check it
byte for byte on the public verification page.

The files are made right after the issue commits (``issue_document`` queues :func:`freeze_issued`), and
on the first download if that has not run yet (a worker down, a document issued before this existed):
whoever stores first wins, the unique constraint refuses the others, which then read the winner's row.
``manage.py freeze_issued_documents`` freezes what an older database holds.
"""

import hashlib
import logging
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.text import slugify
from django_tasks import task

from core.text import fold
from documents import render
from documents.frame import DocumentFrame
from documents.models import IssuedDocument, IssuedFile

logger = logging.getLogger(__name__)

FORMATS = tuple(IssuedFile.Format.values)
CONTENT_TYPES = {IssuedFile.Format.PDF: "application/pdf", IssuedFile.Format.DOCX: render.DOCX_CONTENT_TYPE}
CHUNK = 64 * 1024


def verification_url(code: str) -> str:
    """The public page of one document, as printed in its QR code: SITE_URL/xac-thuc/<code>/."""
    return settings.SITE_URL + reverse("documents:verify_code", args=[code])


def verification(document: IssuedDocument) -> render.Verification:
    return render.Verification(code=document.code, url=verification_url(document.code))


def _render(document: IssuedDocument, fmt: str, frame: DocumentFrame) -> bytes:
    if fmt == IssuedFile.Format.PDF:
        return render.render_pdf(frame, verification=verification(document))
    return render.render_docx(frame, verification=verification(document))


def stored_name(document: IssuedDocument, fmt: str, version: int, *, signed: bool = False) -> str:
    # The storage adds a suffix if two workers race on the same name; the loser deletes its own file.
    suffix = "-ky-so" if signed else ""
    return f"{slugify(fold(document.symbol)) or 'van-ban'}-{document.code.lower()}-v{version}{suffix}.{fmt}"


def stored_file(document: IssuedDocument, fmt: str, *, version: int = 1) -> IssuedFile | None:
    return IssuedFile.objects.filter(
        document=document, format=fmt, version=version, kind=IssuedFile.Kind.ISSUED
    ).first()


def freeze(
    document: IssuedDocument, fmt: str, *, version: int = 1, frame: DocumentFrame | None = None
) -> IssuedFile:
    """The stored ``fmt`` file of ``document`` (``version`` of its content), rendered and stored now if
    it is not yet. Version 1 is the document's own snapshot; a later version (minutes corrected under
    the same number) needs its ``frame``. Safe under concurrency: one row per document, format and
    version; a worker that loses the race removes its own file and returns the winner's."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; expected one of {FORMATS}.")
    existing = stored_file(document, fmt, version=version)
    if existing is not None:
        return existing
    if frame is None:
        if version != 1:
            raise ValueError("A version after the first needs its frame.")
        frame = document.frame
    content = _render(document, fmt, frame)
    row = IssuedFile(
        document=document,
        format=fmt,
        version=version,
        kind=IssuedFile.Kind.ISSUED,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    row.file.save(stored_name(document, fmt, version), ContentFile(content), save=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        row.file.storage.delete(row.file.name)
        winner = stored_file(document, fmt, version=version)
        if winner is None:  # not a lost race: another constraint refused the row
            raise
        return winner
    return row


def signed_file(document: IssuedDocument, *, version: int = 1) -> IssuedFile | None:
    """The signed PDF of ``version``, if it was signed."""
    return IssuedFile.objects.filter(
        document=document, format=IssuedFile.Format.PDF, version=version, kind=IssuedFile.Kind.SIGNED
    ).first()


def latest_pdf(document: IssuedDocument) -> IssuedFile:
    """The stored PDF (as issued) of the newest version, frozen now if it was not yet."""
    newest = (
        IssuedFile.objects.filter(
            document=document, format=IssuedFile.Format.PDF, kind=IssuedFile.Kind.ISSUED
        )
        .order_by("-version")
        .first()
    )
    return newest or freeze(document, IssuedFile.Format.PDF)


def read(stored: IssuedFile) -> bytes:
    """The stored bytes; a file that no longer matches its hash is logged loudly (it must never change)."""
    with stored.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != stored.sha256:
        logger.error(
            "The stored file %s of %s no longer matches its SHA-256.", stored.file.name, stored.document
        )
    return content


def issued_file(
    document: IssuedDocument,
    fmt: str,
    name: str,
    *,
    version: int = 1,
    frame: DocumentFrame | None = None,
    limit: int | None = None,
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of an issued document as stored: what every download of an
    issued document serves: the signed PDF once there is one. ``name`` becomes the ASCII file name;
    ``version``/``frame`` as :func:`freeze`."""
    stored = (signed_file(document, version=version) if fmt == IssuedFile.Format.PDF else None) or freeze(
        document, fmt, version=version, frame=frame
    )
    return read(stored), CONTENT_TYPES[IssuedFile.Format(fmt)], render.file_name(name, fmt, limit=limit)


def freeze_document(document_id: int) -> list[IssuedFile]:
    """Both files of the document as issued (version 1), stored if not yet."""
    document = IssuedDocument.objects.select_related("organization").get(pk=document_id)
    return [freeze(document, fmt) for fmt in FORMATS]


@task()
def freeze_issued(document_id: int) -> None:
    """The background task queued when a document is issued: it carries the id, nothing else."""
    freeze_document(document_id)


def enqueue_freeze(document_id: int) -> None:
    freeze_issued.enqueue(document_id)


def unfrozen() -> list[int]:
    """Ids of the issued documents missing a file of version 1 (oldest first)."""
    complete = (
        IssuedFile.objects.filter(version=1, kind=IssuedFile.Kind.ISSUED)
        .values("document")
        .order_by()
        .annotate(n=Count("pk"))
        .filter(n=len(FORMATS))
        .values("document")
    )
    return list(IssuedDocument.objects.exclude(pk__in=complete).order_by("pk").values_list("pk", flat=True))


def sha256_of(stream: IO[bytes]) -> str:
    """The SHA-256 hex of a file read in chunks (an upload is never held whole in memory nor stored)."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()
