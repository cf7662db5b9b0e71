"""Numbering and issuing Party documents.

``allocate_number`` takes the next number of a document type in the organisation's current term;
``issue_document`` numbers a frame, freezes it and records who issued it. Other apps call
``issue_document`` from their own services (approving an annual plan issues its KẾ HOẠCH, and so on),
inside their transaction, so a document and the state change it belongs to commit together.

The text helpers ``symbol``, ``number_line`` and ``date_line`` live in :mod:`documents.wording` with
the rest of the official wording and are re-exported here as part of this module's interface.
"""

from datetime import date
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import DomainError
from core.permissions import require
from documents import files
from documents.frame import DocumentFrame
from documents.models import DocumentType, IssuedDocument, NumberRegister
from documents.wording import date_line, number_line, symbol
from organizations.models import Organization, Term
from organizations.selectors import current_term

__all__ = ["allocate_number", "date_line", "issue_document", "number_line", "symbol"]


def _check_type(doc_type: str) -> None:
    if doc_type not in DocumentType.values:
        raise ValueError(f"Unknown document type {doc_type!r}; expected one of {DocumentType.values}.")


def allocate_number(*, organization: Organization, doc_type: str, on: date | None = None) -> tuple[Term, int]:
    """Take the next number of ``doc_type`` in the term of ``organization`` in force on ``on``.

    Numbers start at 1 per type per committee term, run on across calendar years and are never
    given twice. The register row is locked (``SELECT … FOR UPDATE``) until the caller's transaction
    ends, so concurrent issues queue up instead of sharing a number; when the first document of a
    type is issued the row is created, and a transaction that loses that race (IntegrityError inside
    ``get_or_create``'s savepoint) reads and locks the winner's row. Call it inside the transaction
    that saves the document, so a rolled-back issue gives its number back rather than leaving a gap.
    """
    _check_type(doc_type)
    term = current_term(organization, on)
    if term is None:
        raise DomainError(_("Open the committee term first: document numbers run per term."))
    with transaction.atomic():
        register, _created = NumberRegister.objects.select_for_update().get_or_create(
            term=term, doc_type=doc_type, defaults={"organization": organization}
        )
        register.last_number += 1
        register.save(update_fields=["last_number"])
    return term, register.last_number


def issue_document(
    *,
    actor: Any,
    organization: Organization,
    doc_type: str,
    frame: DocumentFrame,
    source: models.Model | None = None,
    issued_on: date | None = None,
) -> IssuedDocument:
    """Number ``frame``, date it ``issued_on`` (today by default), freeze it and record who issued it;
    its PDF and DOCX are stored once the transaction commits (:mod:`documents.files`).

    The frame must be a draft of the same type (from :func:`documents.frame.frame_for`). All its
    text is stored in Unicode NFC. ``source`` is the object the document was issued for, if any.
    """
    _check_type(doc_type)
    require(actor, "document.issue", organization)
    if frame.doc_type != doc_type:
        raise ValueError(f"The frame is for {frame.doc_type!r}, not {doc_type!r}.")
    if not frame.is_draft:
        raise ValueError(f"The frame was already issued as {frame.symbol!r}.")
    if source is not None and source.pk is None:
        raise ValueError("Save the source object before issuing a document for it.")
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        term, number = allocate_number(organization=organization, doc_type=doc_type, on=issued_on)
        final = frame.issued(
            number=number, symbol=symbol(number, doc_type, organization), on=issued_on
        ).normalized()
        document = IssuedDocument(
            organization=organization,
            term=term,
            doc_type=doc_type,
            number=number,
            symbol=final.symbol,
            title=final.title,
            summary=final.summary,
            issued_on=issued_on,
            place=final.place,
            snapshot=final.to_dict(),
            issued_by=actor if getattr(actor, "pk", None) else None,
        )
        if source is not None:
            document.source = source
        document.save()
        log_action(
            actor,
            "documents.document.issued",
            document,
            {"symbol": document.symbol, "title": f"{document.title} {document.summary}".strip()},
        )
        # Rendered and stored once the issue commits (a background task; at once in the embedded
        # default). If it does not run, the first download stores them (documents.files.freeze).
        document_id = document.pk
        transaction.on_commit(lambda: files.enqueue_freeze(document_id), robust=True)
    return document
