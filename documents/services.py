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

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import crypto
from core.audit import log_action
from core.errors import DomainError
from core.permissions import require
from documents import files, signing
from documents.frame import DocumentFrame
from documents.models import (
    DocumentType,
    IssuedDocument,
    IssuedFile,
    NumberRegister,
    Signature,
    SigningCertificate,
)
from documents.wording import date_line, number_line, symbol
from organizations.models import Member, Organization, Term
from organizations.selectors import current_term

__all__ = [
    "allocate_number",
    "date_line",
    "issue_document",
    "number_line",
    "sign_document",
    "store_certificate",
    "symbol",
]


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


# --- Signing (PAdES, issue 17) ----------------------------------------------------------------------


def store_certificate(
    *, actor: Any, organization: Organization, pkcs12_data: bytes, passphrase: str
) -> SigningCertificate:
    """Keep ``organization``'s signing certificate (a PKCS#12 archive and its passphrase, both encrypted
    with ENCRYPTION_KEY); from now on its documents are signed with it. A file that is not PKCS#12, a
    wrong passphrase, a key without its certificate and an expired certificate are refused."""
    require(actor, "document.manage_certificate", organization)
    facts = signing.read_pkcs12(pkcs12_data, passphrase)
    if facts.not_after < timezone.now():
        raise DomainError(
            _("This certificate expired on %(date)s: it can no longer sign.")
            % {"date": timezone.localtime(facts.not_after).strftime("%d/%m/%Y")},
            field="pkcs12",
        )
    with transaction.atomic():
        certificate = SigningCertificate.objects.create(
            organization=organization,
            pkcs12_encrypted=crypto.encrypt(pkcs12_data),
            passphrase_encrypted=crypto.encrypt(passphrase.encode()),
            subject=facts.subject,
            issuer=facts.issuer,
            serial_number=facts.serial_number,
            not_before=facts.not_before,
            not_after=facts.not_after,
            fingerprint=facts.fingerprint,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        log_action(
            actor,
            "documents.certificate.stored",
            certificate,
            {"organization": organization.name, "subject": facts.subject, "fingerprint": facts.fingerprint},
        )
    return certificate


def current_certificate(organization: Organization) -> SigningCertificate | None:
    """The certificate ``organization`` signs with: the newest uploaded."""
    return organization.signing_certificates.order_by("-uploaded_at", "-pk").first()


def signer_for(certificate: SigningCertificate) -> signing.Signer:
    """The key material of a stored certificate, decrypted for this signature only."""
    return signing.Pkcs12Signer(
        data=crypto.decrypt(certificate.pkcs12_encrypted),
        passphrase=crypto.decrypt(certificate.passphrase_encrypted).decode(),
    )


def _signer_name(actor: Any) -> str:
    member = (
        Member.objects.filter(user=actor).only("full_name").first() if getattr(actor, "pk", None) else None
    )
    if member is not None:
        return member.full_name
    return (actor.get_full_name() or actor.get_username()) if actor is not None else ""


def sign_document(*, actor: Any, document: IssuedDocument, signer_name: str = "") -> Signature:
    """Sign the newest stored PDF of ``document`` with its organisation's certificate (PAdES B-B, or
    B-T when SIGNING_TSA_URL names a timestamp server) and store the signed PDF beside it (kind
    ``signed``; the issued file stays): the step issued → signed. Only the secretary or deputy
    secretary of the issuing organisation signs (``document.sign``); a version is signed once; an
    expired certificate signs nothing. ``signer_name`` is for the system (the demo), which has no name."""
    require(actor, "document.sign", document)
    certificate = current_certificate(document.organization)
    if certificate is None:
        raise DomainError(_("The organisation has no signing certificate yet: ask the administrator."))
    now = timezone.now()
    if not certificate.is_valid_on(now):
        raise DomainError(
            _("The organisation's signing certificate is not valid now (valid %(start)s to %(end)s).")
            % {
                "start": timezone.localtime(certificate.not_before).strftime("%d/%m/%Y"),
                "end": timezone.localtime(certificate.not_after).strftime("%d/%m/%Y"),
            }
        )
    issued = files.latest_pdf(document)
    if IssuedFile.objects.filter(
        document=document, format=IssuedFile.Format.PDF, version=issued.version, kind=IssuedFile.Kind.SIGNED
    ).exists():
        raise DomainError(_("This document is already signed."))
    name = signer_name or _signer_name(actor)
    tsa_url = signing.tsa_url()
    content = signing.sign_pdf(
        files.read(issued),
        signer_for(certificate),
        signer_name=name,
        organization_name=document.organization.name,
        location=document.place,
        tsa_url=tsa_url,
    )
    row = IssuedFile(
        document=document,
        format=IssuedFile.Format.PDF,
        version=issued.version,
        kind=IssuedFile.Kind.SIGNED,
        sha256=signing.sha256(content),
        size=len(content),
    )
    row.file.save(
        files.stored_name(document, IssuedFile.Format.PDF, issued.version, signed=True),
        ContentFile(content),
        save=False,
    )
    try:
        with transaction.atomic():
            row.save()
            signature = Signature.objects.create(
                file=row,
                signed_by=actor if getattr(actor, "pk", None) else None,
                signer_name=name,
                certificate=certificate,
                signed_at=now,
                timestamped=bool(tsa_url),
            )
            log_action(
                actor,
                "documents.document.signed",
                document,
                {"symbol": document.symbol, "signer": name, "version": issued.version, "sha256": row.sha256},
            )
    except IntegrityError:
        # Signed by someone else meanwhile: the constraint kept one signed file; drop ours.
        row.file.storage.delete(row.file.name)
        raise DomainError(_("This document is already signed.")) from None
    return signature
