"""Signing the stored PDF of an issued document (PAdES, issue 17), with pyHanko.

A :class:`Signer` gives pyHanko what it needs to sign (a key and its certificate chain). Today there is
one kind, :class:`Pkcs12Signer`: the organisation's certificate uploaded by an administrator, stored
encrypted (:class:`~documents.models.SigningCertificate`). A hardware token (PKCS#11, the USB tokens the
Vietnamese certificate authorities issue) plugs in as another implementation of the same interface; see
docs/architecture.md "PDF/A and signatures".

The signature is appended to the stored PDF as an incremental update, so the issued bytes stay the first
part of the signed file and it stays PDF/A-2b: the visible box is drawn with the document's own font,
embedded, and pyHanko keeps the XMP metadata in step. The box sits where the document prints
"T/M CHI BỘ / BÍ THƯ": the PDF frame marks the top and the bottom of the space left for the handwritten
signature with two anchors (``signature-top``, ``signature-bottom``) that WeasyPrint writes as named
destinations, so the position travels inside the stored file and needs no new rendering.
"""

import asyncio
import functools
import hashlib
import io
import logging
import os
import tempfile
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.stamp import TextStampStyle
from pypdf import PdfReader

from core.errors import DomainError
from documents import render
from documents.fonts import document_fonts

FIELD_NAME = "ChuKySo"
ANCHOR_TOP = "signature-top"
ANCHOR_BOTTOM = "signature-bottom"
MM = 72 / 25.4
# The visible box: at most this wide, centred in the signature column, a little inside the space left
# for the handwritten signature so it touches neither the title above nor the name below.
BOX_WIDTH_MM = 62
BOX_INSET_MM = 1.5
UNITS_PER_EM = 1000

# fontTools reports every table it subsets at INFO, a dozen lines per signature.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


@dataclass(frozen=True)
class CertificateFacts:
    """What a person needs to recognise a certificate, read from a PKCS#12 archive."""

    subject: str
    issuer: str
    serial_number: str
    not_before: datetime
    not_after: datetime
    fingerprint: str


def read_pkcs12(data: bytes, passphrase: str) -> CertificateFacts:
    """The facts of the certificate in ``data``; a file that is not PKCS#12, a wrong passphrase or an
    archive without a private key is refused with a message the administrator understands."""
    try:
        key, certificate, _chain = pkcs12.load_key_and_certificates(data, passphrase.encode() or None)
    except ValueError as error:
        raise DomainError(
            _("This is not a PKCS#12 file (.p12, .pfx), or the passphrase is wrong."), field="pkcs12"
        ) from error
    if key is None or certificate is None:
        raise DomainError(
            _("The PKCS#12 file must hold the private key and its certificate."), field="pkcs12"
        )
    return CertificateFacts(
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        serial_number=format(certificate.serial_number, "X"),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
    )


class Signer(Protocol):
    """Key material pyHanko signs with. ``pyhanko_signer`` may ask for a PIN or talk to a device; it is
    called once per signature, inside the signing transaction."""

    def pyhanko_signer(self) -> signers.Signer: ...


@dataclass(frozen=True)
class Pkcs12Signer:
    """A PKCS#12 archive held by the server (decrypted only for the moment of signing)."""

    data: bytes
    passphrase: str

    def pyhanko_signer(self) -> signers.Signer:
        return signers.SimpleSigner.load_pkcs12_data(
            self.data, (), passphrase=self.passphrase.encode() or None
        )


@dataclass(frozen=True)
class Placement:
    """The visible signature's page (0-based) and box (x1, y1, x2, y2 in PDF points, origin bottom left)."""

    page: int
    box: tuple[int, int, int, int]


def _number(value: object) -> float:
    return float(value)  # type: ignore[arg-type]  # a PDF number (pypdf types it as any PdfObject)


def placement(pdf: bytes) -> Placement:
    """Where the visible signature goes: in the signature column, between the signer's title and name,
    on the page that prints them (the last page of a Party document)."""
    reader = PdfReader(io.BytesIO(pdf))
    destinations = reader.named_destinations
    top, bottom = destinations.get(ANCHOR_TOP), destinations.get(ANCHOR_BOTTOM)
    page = reader.get_destination_page_number(top) if top is not None and bottom is not None else None
    if top is None or bottom is None or page is None:
        raise DomainError(
            _(
                "This stored PDF has no marked place for a signature (it was stored before signing "
                "existed); issue a new version to sign it."
            )
        )
    media = reader.pages[page].mediabox
    left = _number(top["/Left"])
    right = float(media.right) - render.DEFAULT_MARGINS.right * MM
    width = min(BOX_WIDTH_MM * MM, right - left)
    x1 = left + (right - left - width) / 2
    inset = BOX_INSET_MM * MM
    y_top = _number(top["/Top"]) - inset
    y_bottom = _number(bottom["/Top"]) + inset
    return Placement(page=page, box=(round(x1), round(y_bottom), round(x1 + width), round(y_top)))


@functools.cache
def _font_path() -> str:
    """The document font's regular face, for the box's text (embedded, like the rest: PDF/A).

    pyHanko writes the glyph widths (/W) in the font's own units, which PDF reads as thousandths of an
    em: right only for a font of 1000 units per em. Liberation Serif and Tinos have 2048, which would
    spread the letters twice too wide and make the widths disagree with the embedded font (a PDF/A
    fault). So the face is scaled to 1000 units once per process (fontTools) and kept in the temporary
    folder under a name that changes with the font file."""
    source = next(
        face.path for face in document_fonts() if face.weight == "normal" and face.style == "normal"
    )
    with TTFont(source) as font:
        if font["head"].unitsPerEm == UNITS_PER_EM:
            return str(source)
        stat = source.stat()
        key = hashlib.sha256(f"1:{source}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
        target = Path(tempfile.gettempdir()) / f"chuyende-signature-{key}.ttf"
        if not target.exists():
            scale_upem(font, UNITS_PER_EM)
            if "FFTM" in font:  # FontForge's timestamps: nothing a PDF needs, and the subsetter warns
                del font["FFTM"]
            partial = target.with_suffix(f".{os.getpid()}.part")
            font.save(partial)
            partial.replace(target)
    return str(target)


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """PDF/A wants the document information dictionary to say what the XMP metadata says. pyHanko sets
    the XMP producer to itself but appends itself to the information dictionary's producer: the two
    would differ. Saying pyHanko in both keeps them equal (WeasyPrint is in the first revision's)."""
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if info_ref is None:
        return
    info = info_ref.get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.update_container(info)


def sign_pdf(
    pdf: bytes,
    signer: Signer,
    *,
    signer_name: str,
    organization_name: str,
    location: str = "",
    tsa_url: str = "",
) -> bytes:
    """``pdf`` with a PAdES signature appended (B-B, or B-T with a timestamp from ``tsa_url``) and its
    visible box on the signature block."""
    where = placement(pdf)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _align_producer(writer)
    fields.append_signature_field(
        writer, fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=where.page, box=where.box)
    )
    # The box is part of the document, printed in its language (Vietnamese), whoever clicks "Ký số".
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(_("Signed on behalf of %(organization)s") % {"organization": organization_name})
        lines = [str(_("Digitally signed by: %(signer)s")), str(_("Signed at: %(ts)s"))]
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        name=signer_name,
        location=location or None,
        reason=reason,
    )
    style = TextStampStyle(
        stamp_text="\n".join([lines[0], organization_name.replace("%", "%%"), lines[1]]),
        timestamp_format="%d/%m/%Y %H:%M %z",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(_font_path()), font_size=9),
        border_width=1,
        background=None,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer.pyhanko_signer(),
        stamp_style=style,
        timestamper=timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None,
    )
    output = io.BytesIO()
    run_async(
        lambda: pdf_signer.async_sign_pdf(
            writer, output=output, appearance_text_params={"signer": signer_name}
        )
    )
    return output.getvalue()


T = TypeVar("T")


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run pyHanko's coroutine to its end from synchronous code. pyHanko's own synchronous wrappers call
    ``asyncio.run``, which refuses to start where an event loop is already running in this thread (a
    test after a browser test; any caller inside a loop): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(1) as executor:
        return executor.submit(lambda: asyncio.run(make())).result()


def tsa_url() -> str:
    return str(getattr(settings, "SIGNING_TSA_URL", "") or "")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
