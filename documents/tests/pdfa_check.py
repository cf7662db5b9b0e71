"""A PDF/A-2b checker for the tests, independent of what made the file (pypdf reads it; WeasyPrint and
pyHanko write it).

veraPDF, the reference validator, is a Java program not published on the package registries this
project installs from, so it cannot be a test dependency. This checks the rules of ISO 19005-2 level B
that a renderer or a signer most often breaks, and says which one failed:

- the file header with its binary comment, a trailer /ID, no encryption, no LZW;
- XMP metadata in the catalogue declaring pdfaid:part 2 and conformance B;
- an output intent GTS_PDFA1 with an embedded ICC profile;
- every font used by a page, a form XObject or an annotation's appearance embedded (FontFile/2/3);
- the document information dictionary saying what the XMP says (title, producer);
- no JavaScript, no launch actions, no additional actions on the catalogue, no embedded files;
- every annotation printable (the Print flag, not hidden), every widget with an appearance.

It does not check glyph widths against the font programs, colour spaces inside content streams,
transparency groups or the XMP schema extensions: veraPDF does; docs/architecture.md says so.
"""

import io
import re
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

INFO_TO_XMP = {"/Title": "dc:title", "/Producer": "pdf:Producer"}


def _xmp_value(xmp: str, name: str) -> str | None:
    attribute = re.search(rf'{re.escape(name)}="([^"]*)"', xmp)
    if attribute:
        return attribute.group(1)
    element = re.search(rf"<{re.escape(name)}[^>]*>(.*?)</{re.escape(name)}>", xmp, re.S)
    if element is None:
        return None
    inner = element.group(1)
    item = re.search(r"<rdf:li[^>]*>(.*?)</rdf:li>", inner, re.S)
    return (item.group(1) if item else inner).strip()


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _fonts(resources: object, seen: set[int]) -> Iterator[tuple[str, DictionaryObject]]:
    if isinstance(resources, IndirectObject):
        resources = resources.get_object()
    if not isinstance(resources, DictionaryObject):
        return
    fonts = resources.get("/Font")
    if fonts is not None:
        for name, font in fonts.get_object().items():
            yield name, font.get_object()
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            yield from _form_fonts(ref, seen)


def _form_fonts(ref: object, seen: set[int]) -> Iterator[tuple[str, DictionaryObject]]:
    if isinstance(ref, IndirectObject):
        if ref.idnum in seen:
            return
        seen.add(ref.idnum)
    obj = ref.get_object() if hasattr(ref, "get_object") else ref
    if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Form":
        yield from _fonts(obj.get("/Resources"), seen)


def _embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        return all(_embedded(d.get_object()) for d in font["/DescendantFonts"])
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def problems(pdf: bytes) -> list[str]:
    """What stops ``pdf`` from being PDF/A-2b, as far as this checker sees; empty when nothing does."""
    found: list[str] = []
    if not re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", pdf):
        found.append("header: %PDF-1.x followed by a comment of four bytes above 127")
    if b"/LZWDecode" in pdf:
        found.append("LZW compression")
    reader = PdfReader(io.BytesIO(pdf))
    trailer = reader.trailer
    if "/Encrypt" in trailer:
        found.append("encrypted")
    if "/ID" not in trailer:
        found.append("trailer without /ID")
    root = trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data().decode("utf-8", "replace") if metadata is not None else ""
    if not xmp:
        found.append("no XMP metadata in the catalogue")
    elif _xmp_value(xmp, "pdfaid:part") != "2" or _xmp_value(xmp, "pdfaid:conformance") != "B":
        found.append("XMP does not declare PDF/A-2B (pdfaid:part 2, pdfaid:conformance B)")
    intents = [intent.get_object() for intent in root.get("/OutputIntents", ArrayObject())]
    pdfa_intents = [intent for intent in intents if intent.get("/S") == "/GTS_PDFA1"]
    if not pdfa_intents:
        found.append("no GTS_PDFA1 output intent")
    elif "/DestOutputProfile" not in pdfa_intents[0]:
        found.append("output intent without an ICC profile")
    info = trailer.get("/Info")
    if info is not None and xmp:
        for key, name in INFO_TO_XMP.items():
            value = info.get_object().get(key)
            if value is not None and _unescape(_xmp_value(xmp, name) or "") != str(value):
                found.append(f"information dictionary {key} differs from XMP {name}")
    names_ref = root.get("/Names")
    names = names_ref.get_object() if names_ref is not None else DictionaryObject()
    assert isinstance(names, DictionaryObject)
    for key in ("/AA", "/JavaScript"):
        if key in root or key in names:
            found.append(f"catalogue has {key}")
    if "/EmbeddedFiles" in names:
        found.append("embedded files")
    if b"/JavaScript" in pdf or b"/Launch" in pdf:
        found.append("JavaScript or launch actions")
    seen: set[int] = set()
    for number, page in enumerate(reader.pages, start=1):
        for name, font in _fonts(page.get("/Resources"), seen):
            if not _embedded(font):
                found.append(f"page {number}: font {name} ({font.get('/BaseFont')}) not embedded")
        for ref in page.get("/Annots", ArrayObject()):
            annot = ref.get_object()
            flags = int(annot.get("/F", 0))
            if not flags & 4 or flags & (1 | 2 | 32):
                found.append(f"page {number}: annotation {annot.get('/Subtype')} not printable or hidden")
            appearance = annot.get("/AP")
            if annot.get("/Subtype") == "/Widget" and appearance is None:
                found.append(f"page {number}: widget without appearance")
            if appearance is not None:
                normal = appearance.get_object().get("/N")
                if normal is not None:
                    for name, font in _form_fonts(normal, seen):
                        if not _embedded(font):
                            found.append(f"page {number}: appearance font {name} not embedded")
    return found
