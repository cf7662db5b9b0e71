"""The register of issued documents as XLSX (openpyxl, write-only: one row in memory at a time)."""

import io
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from core.spreadsheets import safe_row, write_only_book
from documents import render
from documents.models import IssuedDocument
from organizations.models import Organization

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = {"A": 6, "B": 16, "C": 12, "D": 16, "E": 50, "F": 34, "G": 44, "H": 66, "I": 34, "J": 18, "K": 66}


def _local(document: IssuedDocument) -> datetime | None:
    signed_at = getattr(document, "signed_at", None)
    return timezone.localtime(signed_at) if signed_at else None


def register_xlsx(organization: Organization, rows: Iterable[IssuedDocument]) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the register: one line per document, as on the page."""
    book = write_only_book()
    sheet = book.create_sheet(_("Issued documents")[:31])
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"
    sheet.append(
        safe_row(
            sheet,
            [_("Register of issued documents: %(org)s") % {"org": organization.name}],
            font=Font(bold=True, size=13),
        )
    )
    sheet.append([])
    header = [
        _("No."),
        _("Number and symbol"),
        _("Issue date"),
        _("Document type"),
        _("Summary"),
        _("Signed by"),
        _("Recipients"),
        _("SHA-256 of the PDF"),
        _("Digitally signed by"),
        _("Signed at"),
        _("SHA-256 of the signed PDF"),
    ]
    sheet.append(safe_row(sheet, header, font=Font(bold=True)))
    not_frozen = _("not yet frozen")
    for index, document in enumerate(rows, start=1):
        sheet.append(
            safe_row(
                sheet,
                [
                    index,
                    document.symbol,
                    document.issued_on.strftime("%d/%m/%Y"),
                    str(document.get_doc_type_display()),
                    document.summary,
                    "; ".join(document.signers),
                    " ".join(document.recipients),
                    getattr(document, "pdf_sha256", None) or not_frozen,
                    getattr(document, "digital_signer", None) or "",
                    signed_at.strftime("%d/%m/%Y %H:%M") if (signed_at := _local(document)) else "",
                    getattr(document, "signed_sha256", None) or "",
                ],
            )
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), CONTENT_TYPE, render.file_name(f"so-van-ban-di-{organization.name}", "xlsx")
