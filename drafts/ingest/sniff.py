"""What an uploaded file is, told by its content and never by its name: a PDF, a Word document,
something else; whether it is within the size limit; which kind of picture a Word file embeds."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from drafts.ingest.result import IngestError

PDF = "pdf"
DOCX = "docx"

# Compound File Binary: Word 97-2003 .doc files, and also Word files saved with a password.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def check_size(data: bytes, *, max_bytes: int) -> None:
    """Refuse a file above the limit, naming the limit in MB."""
    if len(data) > max_bytes:
        raise IngestError(
            _("The file is larger than the limit of %(limit)s MB.") % {"limit": _megabytes(max_bytes)}
        )


def document_kind(data: bytes) -> str:
    """:data:`PDF` or :data:`DOCX` (a zip, for the Word reader to check); anything else is refused,
    with a way out for old and password-protected Word files."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_OLE_MAGIC):
        raise IngestError(
            _(
                "This is an old Word document (.doc) or a Word file protected by a password. Open it in "
                "Word, remove any password, save it as a Word document (.docx) and upload it again."
            )
        )
    if data.startswith(b"PK"):
        return DOCX
    raise not_a_document()


def name_mismatch_note(filename: str, kind: str) -> str | None:
    """The note telling the person that the file's name and its content disagree, if they do."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == kind:
        return None
    if kind == PDF:
        return _("The file name does not end in .pdf, but the file is a PDF; it was read as one.")
    return _("The file name does not end in .docx, but the file is a Word document; it was read as one.")


def sniff_image(data: bytes) -> str | None:
    """The content type of a picture a browser can show, from its first bytes; None for any other."""
    for magic, content_type in _IMAGE_MAGIC:
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def not_a_document() -> IngestError:
    """The refusal of a file that is neither a Word document nor a PDF, whatever its name says."""
    return IngestError(_("The file is not a Word document (.docx) or a PDF."))


def _megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    return number_format(mb, decimal_pos=0 if mb == int(mb) else 1)
