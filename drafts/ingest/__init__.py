"""Reading a draft into the app: a Word file, a PDF, or the editor's HTML.

Pure functions over bytes and strings (no models, no storage), so the services decide where the
result goes and the rules here are tested on files built in memory.

A Word file becomes clean HTML (mammoth converts, nh3 sanitises) whose blocks carry stable anchors
``p-1``, ``p-2``… that comments attach to; a PDF is kept as it is and comments refer to its pages.
Files come from members' computers and are then opened by everyone in the cell, so anything that
runs code or fetches content from elsewhere when the file is opened is refused with a message that
tells the person what to fix.

The package, in the order a file goes through it: :mod:`~drafts.ingest.sniff` tells what the file
is; :mod:`~drafts.ingest.docx` and :mod:`~drafts.ingest.pdf` check and read it;
:mod:`~drafts.ingest.sanitise` reduces HTML to the allow-list; :mod:`~drafts.ingest.anchoring`
gives each block its anchor. Only the names below are used outside the package.
"""

from dataclasses import replace

from django.utils.translation import gettext as _

from drafts.ingest.anchoring import anchor_blocks
from drafts.ingest.docx import read_docx
from drafts.ingest.pdf import read_pdf
from drafts.ingest.result import Ingested, IngestError
from drafts.ingest.sanitise import ALLOWED_TAGS, BLOCK_TAGS, sanitize_html
from drafts.ingest.sniff import PDF, check_size, document_kind, name_mismatch_note

__all__ = [
    "ALLOWED_TAGS",
    "BLOCK_TAGS",
    "IngestError",
    "Ingested",
    "ingest_editor_html",
    "ingest_upload",
    "sanitize_html",
]


def ingest_upload(filename: str, data: bytes, *, max_bytes: int) -> Ingested:
    """Read an uploaded draft, deciding by its content whether it is a Word file or a PDF.

    ``filename`` is only used to tell the person when the name and the content disagree; the
    extension never decides how the file is read."""
    check_size(data, max_bytes=max_bytes)
    kind = document_kind(data)
    result = read_pdf(data) if kind == PDF else read_docx(data, max_bytes=max_bytes)
    note = name_mismatch_note(filename, kind)
    return replace(result, notes=[*result.notes, note]) if note else result


def ingest_editor_html(html: str) -> Ingested:
    """Clean and anchor a draft written in the app's editor."""
    html_out, paragraphs = anchor_blocks(sanitize_html(html))
    if not paragraphs:
        raise IngestError(_("The draft is empty."))
    return Ingested(kind="html", html=html_out, paragraphs=paragraphs)
