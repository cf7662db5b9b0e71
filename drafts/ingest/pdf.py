"""PDF drafts: kept as they are, read page by page, refused when they carry scripts or launch actions."""

import io
from typing import Any

from django.utils.translation import gettext as _
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from core.text import nfc
from drafts.ingest.anchoring import plain_lines
from drafts.ingest.result import Ingested, IngestError

# Objects visited while looking for scripts; a real draft has a few thousand.
_MAX_PDF_OBJECTS = 500_000
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch"})


def read_pdf(data: bytes) -> Ingested:
    """A PDF kept as it is, with the text of each page for comments to refer to; refused when it is
    damaged, locked by a password or carries scripts."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception:  # pypdf raises many kinds of error on a malformed file; all mean "damaged"
        raise _damaged_pdf() from None
    if encrypted:
        # A file with only an owner password opens in every viewer without asking; accept it.
        try:
            opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception:
            opened = False
        if not opened:
            raise IngestError(
                _("The PDF is password-protected. Save a copy without the password and upload that.")
            )
    try:
        active = _pdf_has_active_content(reader)
        pages = list(reader.pages)
    except IngestError:
        raise
    except Exception:
        raise _damaged_pdf() from None
    if active:
        raise IngestError(
            _(
                "The PDF contains JavaScript or actions that start programs, which are not accepted. "
                "Save or print it again as a plain PDF and upload that."
            )
        )
    if not pages:
        raise _damaged_pdf()
    paragraphs = []
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception:  # one unreadable page should not refuse the file; it just has no text
            text = ""
        paragraphs.append({"anchor": f"page-{number}", "text": plain_lines(nfc(text))})
    notes = []
    if not any(p["text"] for p in paragraphs):
        notes.append(
            _("No text could be read from the PDF (it may be a scan); comments will refer to pages only.")
        )
    return Ingested(kind="pdf", html="", paragraphs=paragraphs, pages=len(pages), notes=notes)


def _pdf_has_active_content(reader: PdfReader) -> bool:
    """Whether any object reachable from the trailer carries JavaScript or a launch action.

    Walking every object (catalogue, name trees, pages, annotations, form fields, outlines) catches
    /OpenAction, /AA, /Names /JavaScript, XFA forms and link actions alike."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > _MAX_PDF_OBJECTS:
            raise _damaged_pdf()
        if isinstance(obj, DictionaryObject):
            # /XFA forms carry their scripts inside XML streams, where no /JS key would show them.
            if "/JS" in obj or "/JavaScript" in obj or "/XFA" in obj:
                return True
            action = obj.get("/S")
            if isinstance(action, IndirectObject):
                action = action.get_object()
            if action in _ACTIVE_ACTIONS:
                return True
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return False


def _damaged_pdf() -> IngestError:
    return IngestError(_("The PDF is damaged and cannot be read. Save it again as PDF and upload it."))
