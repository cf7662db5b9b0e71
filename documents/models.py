"""Party-format documents: the number register of each term and the documents issued from it.

docs/domain.md §4: a document is numbered ``Số <n>-<type>/<issuer>``, n starting at 01 per document type
per committee term (not reset each year) and never reused. The content of an issued document is
frozen in ``IssuedDocument.snapshot`` when it is issued; DOCX and PDF are rendered from that snapshot,
never from the live objects it came from.
"""

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Organization, Term

if TYPE_CHECKING:
    from documents.frame import DocumentFrame


class DocumentType(models.TextChoices):
    """Party document types and their codes in the symbol [QĐ 66-QĐ/TW; HD 36-HD/VPTW].

    Labels carry a context: "Minutes", "Report", "Plan" mean other things elsewhere in the interface.
    """

    RESOLUTION = "NQ", pgettext_lazy("document type", "Resolution")
    PLAN = "KH", pgettext_lazy("document type", "Plan")
    REPORT = "BC", pgettext_lazy("document type", "Report")
    MINUTES = "BB", pgettext_lazy("document type", "Minutes")
    NOTICE = "TB", pgettext_lazy("document type", "Notice")
    CONCLUSION = "KL", pgettext_lazy("document type", "Conclusion")
    DECISION = "QĐ", pgettext_lazy("document type", "Decision")
    PROGRAMME = "CTr", pgettext_lazy("document type", "Programme")
    OFFICIAL_LETTER = "CV", pgettext_lazy("document type", "Official letter")


class NumberRegister(models.Model):
    """The last number given to one document type in one committee term (sổ đăng ký văn bản).

    One row per (term, type), locked while a number is taken, so two documents issued at the same
    moment never get the same number.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="number_registers",
    )
    term = models.ForeignKey(
        Term,
        verbose_name=pgettext_lazy("committee term", "term"),
        on_delete=models.PROTECT,
        related_name="number_registers",
    )
    doc_type = models.CharField(_("document type"), max_length=3, choices=DocumentType.choices)
    last_number = models.PositiveIntegerField(
        _("last number issued"), default=0, help_text=_("0 until the first document of this type.")
    )

    class Meta:
        verbose_name = _("number register")
        verbose_name_plural = _("number registers")
        ordering = ["term", "doc_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "doc_type"],
                name="number_register_one_per_type_and_term",
                violation_error_message=_("This term already has a register for this document type."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} · {self.doc_type} · {self.last_number:02d}"


# The verification code printed on each issued document: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V, so a
# code read aloud or typed from paper is not mistaken for another. 23 signs, 10 places: about 2^45.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
CODE_LENGTH = 10


def new_code() -> str:
    """A random verification code (unique in practice; the unique constraint says so in fact)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """A code as typed (spaces, dashes, lower case) in its stored form."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


class IssuedDocument(models.Model):
    """A numbered document as it was issued: its number, symbol, date and frozen content.

    ``snapshot`` holds the document frame (header, title, body, recipients, signature) exactly as
    issued; rendering reads it back with :attr:`frame`. ``source`` points, when there is one, at the
    object the document was issued for (an annual plan, a meeting, a resolution…).
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    term = models.ForeignKey(
        Term,
        verbose_name=pgettext_lazy("committee term", "term"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    doc_type = models.CharField(_("document type"), max_length=3, choices=DocumentType.choices)
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("number and symbol"), max_length=40, help_text=_("For example 01-KH/CB."))
    title = models.CharField(_("document title"), max_length=100, help_text=_("For example KẾ HOẠCH."))
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("The line under the title (trích yếu), what the document is about."),
    )
    issued_on = models.DateField(_("issue date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    snapshot = models.JSONField(_("content as issued"))
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    code = models.CharField(
        _("verification code"),
        max_length=CODE_LENGTH,
        unique=True,
        default=new_code,
        editable=False,
        help_text=_("Printed on the document with a QR code; anyone may check a copy with it at /xac-thuc/."),
    )

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "doc_type", "number"],
                name="issued_document_number_unique",
                violation_error_message=_("This number has already been given in this term."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="issued_document_number_positive",
                violation_error_message=_("Document numbers start at 1."),
            ),
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="issued_document_source_complete",
                violation_error_message=_("A source needs both its type and its id."),
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="issued_document_source_idx"),
            models.Index(fields=["organization", "-issued_on"], name="issued_document_org_idx"),
            # The dashboard and oversight count a period's resolutions under a Đảng bộ by issue date:
            # without it, a scan of every document issued in five years of a province.
            models.Index(fields=["issued_on"], name="issued_document_date_idx"),
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        """Symbol, title and summary on one line: "01-KH/CB KẾ HOẠCH Sinh hoạt chuyên đề năm 2024"."""
        return " ".join(part for part in (self.symbol, self.title, self.summary) if part)

    @property
    def signers(self) -> list[str]:
        """Who signed, as printed: "BÍ THƯ Nguyễn Văn Bình" (and the left signature of minutes)."""
        data = self.snapshot
        pairs = [(data.get("signer_title", ""), data.get("signer_name", ""))]
        if data.get("cosigner_title"):
            pairs.append((data["cosigner_title"], data.get("cosigner_name", "")))
        return [" ".join(part for part in pair if part) for pair in pairs if any(pair)]

    @property
    def recipients(self) -> list[str]:
        """The "Nơi nhận" lines as printed ("- Đảng ủy Trường (b/c),")."""
        return list(self.snapshot.get("recipients") or [])

    @property
    def frame(self) -> "DocumentFrame":
        """The frozen frame, ready to render."""
        from documents.frame import DocumentFrame

        return DocumentFrame.from_dict(self.snapshot)


class IssuedFile(models.Model):
    """One stored file of an issued document, rendered once and never changed (issue 17).

    ``version`` is the content version under the same number: 1 as issued, 2… for a correction that
    keeps the number (approved minutes corrected later); a correction that issues a new document has
    its own files. ``kind`` leaves room for what comes after the issued file (a signed PDF is a new
    row of another kind, the issued one stays). The bytes live in MEDIA_ROOT under ``issued/``; their
    SHA-256 is what the public verification page compares a copy with.
    """

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    class Kind(models.TextChoices):
        ISSUED = "issued", _("as issued")
        # The issued PDF with a PAdES signature appended (an incremental update: the issued bytes are its
        # first part). Its Signature row says who signed, when and with which certificate.
        SIGNED = "signed", _("digitally signed")

    document = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("issued document"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ISSUED)
    file = models.FileField(_("file"), upload_to="issued/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("stored at"), default=timezone.now)

    class Meta:
        verbose_name = _("stored file of an issued document")
        verbose_name_plural = _("stored files of issued documents")
        ordering = ["document", "version", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "format", "version", "kind"],
                name="issued_file_once_per_format_and_version",
                violation_error_message=_("This file of the document is already stored."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="issued_file_version_positive",
                violation_error_message=_("Versions start at 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.symbol} v{self.version} {self.format} {self.sha256[:12]}"


class SigningCertificate(models.Model):
    """An organisation's signing certificate (PKCS#12: key, certificate and chain), uploaded by an
    administrator (issue 17). The archive and its passphrase are stored encrypted with ENCRYPTION_KEY
    (:mod:`core.crypto`); what a person needs to recognise it (subject, issuer, validity, SHA-256
    fingerprint of the certificate) is kept in clear. The newest one of an organisation is the one used;
    older ones stay, since the signatures they made name them."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="signing_certificates",
    )
    pkcs12_encrypted = models.TextField(_("PKCS#12 archive (encrypted)"), editable=False)
    passphrase_encrypted = models.TextField(_("passphrase (encrypted)"), editable=False)
    subject = models.CharField(_("subject"), max_length=500)
    issuer = models.CharField(_("issuer"), max_length=500)
    serial_number = models.CharField(_("serial number"), max_length=100)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["organization", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.fingerprint[:16]})"

    def is_valid_on(self, moment: datetime) -> bool:
        return self.not_before <= moment <= self.not_after


class Signature(models.Model):
    """Who signed a stored PDF, when and with which certificate: the step issued → signed.

    One per signed file (kind ``signed``); the unique constraint on the stored files (one per document,
    format, version and kind) is what refuses a second signature of the same version."""

    file = models.OneToOneField(
        IssuedFile,
        verbose_name=_("signed file"),
        on_delete=models.PROTECT,
        related_name="signature",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signer_name = models.CharField(
        _("signer's name"), max_length=200, help_text=_("As it was when the document was signed.")
    )
    certificate = models.ForeignKey(
        SigningCertificate,
        verbose_name=_("signing certificate"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    timestamped = models.BooleanField(
        _("with a timestamp"), default=False, help_text=_("From the timestamp server (PAdES B-T).")
    )

    class Meta:
        verbose_name = _("digital signature")
        verbose_name_plural = _("digital signatures")
        ordering = ["-signed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file.document.symbol} · {self.signer_name}"
