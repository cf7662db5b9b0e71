"""Read-only queries of the documents' pages: the register of issued documents (sổ đăng ký văn bản đi)."""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from documents.models import IssuedDocument, IssuedFile, Signature
from organizations.models import Organization


@dataclass(frozen=True)
class RegisterFilter:
    """What the register is narrowed to: text in the symbol or summary, a type, a year of issue."""

    text: str = ""
    doc_type: str = ""
    year: int | None = None


def register(
    organization: Organization, where: RegisterFilter = RegisterFilter()
) -> QuerySet[IssuedDocument]:
    """The documents ``organization`` issued, newest first, each with the SHA-256 and version of its
    newest stored PDF (``pdf_sha256``/``pdf_version``, None while not frozen) and, once signed, who
    signed it digitally, when, and the signed PDF's SHA-256 (``digital_signer``, ``signed_at``,
    ``signed_sha256``): one query for any number."""
    pdf = IssuedFile.objects.filter(
        document=OuterRef("pk"), format=IssuedFile.Format.PDF, kind=IssuedFile.Kind.ISSUED
    ).order_by("-version")
    signature = Signature.objects.filter(file__document=OuterRef("pk")).order_by("-signed_at", "-pk")
    rows = IssuedDocument.objects.filter(organization=organization).annotate(
        pdf_sha256=Subquery(pdf.values("sha256")[:1]),
        pdf_version=Subquery(pdf.values("version")[:1]),
        digital_signer=Subquery(signature.values("signer_name")[:1]),
        signed_at=Subquery(signature.values("signed_at")[:1]),
        signed_sha256=Subquery(signature.values("file__sha256")[:1]),
    )
    if where.text:
        rows = rows.filter(Q(symbol__icontains=where.text) | Q(summary__icontains=where.text))
    if where.doc_type:
        rows = rows.filter(doc_type=where.doc_type)
    if where.year:
        rows = rows.filter(issued_on__year=where.year)
    return rows.order_by("-issued_on", "-pk")
