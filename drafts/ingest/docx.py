"""Word drafts: the package is checked, then mammoth converts it to HTML.

Refused: what is not a Word document, a damaged or oversized package, macros and ActiveX, and
anything that loads content from elsewhere when the file is opened (external relationships, field
codes such as INCLUDEPICTURE). Pictures are embedded when a browser can show them.
"""

import base64
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

import mammoth
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drafts.ingest.anchoring import anchor_blocks
from drafts.ingest.result import Ingested, IngestError
from drafts.ingest.sanitise import sanitize_html
from drafts.ingest.sniff import not_a_document, sniff_image

_DOCX_MAIN_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    }
)
_WORD_TYPE_PREFIXES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.",
    "application/vnd.ms-word.",
)

# A zip of a few MB can unpack to gigabytes; Word files unpack to a few times their size at most.
_UNPACKED_FACTOR = 20
_MIN_UNPACKED_LIMIT = 64 * 1024 * 1024
_MAX_ZIP_ENTRIES = 5000
_MACRO_EXTENSIONS = (".bin", ".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".xlsb", ".pptm", ".potm", ".ppsm")
_HYPERLINK_TYPE_SUFFIX = "/hyperlink"
# Field codes that make Word fetch a file or start a program when fields are updated.
_LOADING_FIELDS = frozenset({"INCLUDEPICTURE", "INCLUDETEXT", "LINK", "DDE", "DDEAUTO", "IMPORT"})
_STYLE_MAP = """
u => u
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => h2:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='List Paragraph'] => p:fresh
"""
_UNRECOGNISED_STYLE = re.compile(r"Unrecognised (?:paragraph|run|table) style: (.*) \(Style ID: .*\)")


def read_docx(data: bytes, *, max_bytes: int) -> Ingested:
    """A Word file as clean anchored HTML, after checking it is a sound, macro-free document that
    loads nothing from elsewhere."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise _damaged_docx() from None
    with archive:
        parts = _read_xml_parts(archive, infos, max_bytes=max_bytes)
        _check_package(parts, {info.filename for info in infos})
        html, messages = _convert_docx(data)
    html_out, paragraphs = anchor_blocks(sanitize_html(html))
    if not paragraphs:
        raise IngestError(_("The draft is empty."))
    return Ingested(kind="docx", html=html_out, paragraphs=paragraphs, notes=messages)


def _read_xml_parts(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], *, max_bytes: int
) -> dict[str, bytes]:
    """The package's XML parts, after checking the zip is sound and not a decompression bomb."""
    if len(infos) > _MAX_ZIP_ENTRIES:
        raise _damaged_docx()
    # The declared sizes bound what zipfile will inflate, so checking them is enough.
    if sum(info.file_size for info in infos) > max(_UNPACKED_FACTOR * max_bytes, _MIN_UNPACKED_LIMIT):
        raise _damaged_docx()
    parts = {}
    try:
        for info in infos:
            if info.flag_bits & 0x1:  # an encrypted entry: Word never writes these
                raise _damaged_docx()
            name = info.filename
            if name.endswith((".xml", ".rels")):
                parts[name] = archive.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _damaged_docx() from None
    return parts


def _check_package(parts: dict[str, bytes], names: set[str]) -> None:
    """Refuse what is not a macro-free Word document reading only its own content."""
    content_types = parts.get("[Content_Types].xml")
    if content_types is None:
        raise _damaged_docx() if "word/document.xml" in names else not_a_document()
    types, all_types = _content_types(content_types)
    if not any(t.startswith(_WORD_TYPE_PREFIXES) for t in all_types):
        raise not_a_document()
    lowered = [name.lower() for name in names]
    if (
        any("macroenabled" in t.lower() or "vba" in t.lower() or "activex" in t.lower() for t in all_types)
        or any(name.endswith(_MACRO_EXTENSIONS) for name in lowered)
        or any("/activex/" in f"/{name}" for name in lowered)
    ):
        raise IngestError(
            _(
                "The Word file contains macros, ActiveX controls or embedded programs, which are not "
                "accepted. Save it as a Word document (.docx) without macros or embedded objects and "
                "upload it again."
            )
        )
    main_parts = [name for name, t in types.items() if t in _DOCX_MAIN_TYPES]
    if not main_parts:
        raise not_a_document()
    if not all(name in names for name in main_parts):
        raise _damaged_docx()

    found: list[str] = []
    for name, content in parts.items():
        if name.endswith(".rels"):
            found.extend(_external_relationships(content))
        elif name != "[Content_Types].xml":
            found.extend(_loading_fields(content))
    if found:
        unique = list(dict.fromkeys(found))
        raise IngestError(
            _(
                "The Word file loads content from outside the document when it is opened: %(found)s. "
                "Insert pictures and text into the document itself (or remove them) and upload it again."
            )
            % {"found": "; ".join(unique[:3]) + ("; …" if len(unique) > 3 else "")}
        )


class _XmlRefused(Exception):
    pass


def _parse_xml(
    content: bytes,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> None:
    """Stream one package part through expat with local names, refusing any DTD.

    OOXML never has a DOCTYPE; refusing it rules out entity expansion before mammoth sees the part."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse_doctype(*args: Any) -> None:
        raise _XmlRefused

    def local(name: str) -> str:
        return name.rsplit(" ", 1)[-1]

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = lambda name, attrs: start(
        local(name), {local(k): v for k, v in attrs.items()}
    )
    if end is not None:
        parser.EndElementHandler = lambda name: end(local(name))
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        parser.Parse(content, True)
    except (expat.ExpatError, _XmlRefused, ValueError):
        raise _damaged_docx() from None


def _content_types(content: bytes) -> tuple[dict[str, str], set[str]]:
    """Part name (without the leading slash) → content type of the parts listed by name, and every
    content type declared (by name or by extension)."""
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == "Override" and "PartName" in attrs:
            overrides[attrs["PartName"].lstrip("/")] = attrs.get("ContentType", "")
        elif name == "Default" and "Extension" in attrs:
            defaults["." + attrs["Extension"].lower()] = attrs.get("ContentType", "")

    _parse_xml(content, start)
    return overrides, set(overrides.values()) | set(defaults.values())


def _describe_relationship(rel_type: str) -> str:
    kind = rel_type.rsplit("/", 1)[-1]
    descriptions = {
        "image": _("a linked picture"),
        "attachedTemplate": _("a template attached from another location"),
        "oleObject": _("a linked object"),
        "frame": _("a frame showing another document"),
        "subDocument": _("a linked sub-document"),
        "aFChunk": _("imported content"),
        "package": _("a linked package"),
    }
    return descriptions.get(kind, _("external content"))


def _external_relationships(content: bytes) -> list[str]:
    found = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name != "Relationship" or attrs.get("TargetMode", "").lower() != "external":
            return
        rel_type = attrs.get("Type", "")
        # Hyperlinks only open when clicked; the sanitiser keeps them to http, https and mailto.
        if rel_type.endswith(_HYPERLINK_TYPE_SUFFIX):
            return
        target = attrs.get("Target", "")
        if len(target) > 80:
            target = target[:77] + "…"
        found.append(f"{_describe_relationship(rel_type)} ({target})")

    _parse_xml(content, start)
    return found


def _loading_fields(content: bytes) -> list[str]:
    """Field codes such as INCLUDEPICTURE "http://…", which fetch content without a relationship."""
    found: list[str] = []
    stack: list[list[str]] = []  # instruction text of the fields being read (they can nest)
    in_instr = False

    def check(instruction: str) -> None:
        code = instruction.strip().split(None, 1)[0].upper() if instruction.strip() else ""
        if code in _LOADING_FIELDS:
            found.append(_("a field that loads content (%(field)s)") % {"field": code})

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal in_instr
        if name == "fldSimple":
            check(attrs.get("instr", ""))
        elif name == "fldChar":
            kind = attrs.get("fldCharType")
            if kind == "begin":
                stack.append([])
            elif kind in ("separate", "end") and stack:
                check("".join(stack[-1]))
                stack[-1] = []
                if kind == "end":
                    stack.pop()
        elif name == "instrText":
            in_instr = True

    def end(name: str) -> None:
        nonlocal in_instr
        if name == "instrText":
            in_instr = False

    def text(data: str) -> None:
        if in_instr and stack:
            stack[-1].append(data)

    _parse_xml(content, start, end, text)
    return found


def _convert_docx(data: bytes) -> tuple[str, list[str]]:
    """Mammoth's HTML and the notes worth showing to the person, in their language."""
    dropped_images = 0

    def image_source(image: Any) -> dict[str, str]:
        # The type is taken from the picture's bytes, not from what the file claims; a picture a
        # browser cannot show (EMF, TIFF, SVG…) is left out and counted.
        nonlocal dropped_images
        with image.open() as stream:
            content = stream.read()
        content_type = sniff_image(content)
        if content_type is None:
            dropped_images += 1
            return {}
        return {"src": f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_STYLE_MAP,
            include_embedded_style_map=False,
            external_file_access=False,
            convert_image=mammoth.images.img_element(image_source),
        )
    except Exception:  # mammoth raises many kinds of error on a malformed package; all mean "damaged"
        raise _damaged_docx() from None

    styles: list[str] = []
    others = 0
    for message in result.messages:
        match = _UNRECOGNISED_STYLE.fullmatch(message.message)
        if match:
            styles.append(match.group(1))
        elif not message.message.startswith("Image of type"):  # counted in dropped_images
            others += 1
    notes = []
    if styles:
        unique = list(dict.fromkeys(styles))
        notes.append(
            _("These Word styles are not recognised; their text is kept as ordinary text: %(styles)s.")
            % {"styles": ", ".join(unique)}
        )
    if dropped_images:
        notes.append(
            ngettext(
                "%(count)d picture is in a format browsers cannot show (such as EMF or TIFF) and was left "
                "out.",
                "%(count)d pictures are in a format browsers cannot show (such as EMF or TIFF) and were "
                "left out.",
                dropped_images,
            )
            % {"count": dropped_images}
        )
    if others:
        notes.append(
            ngettext(
                "%(count)d element of the Word file could not be converted and was left out.",
                "%(count)d elements of the Word file could not be converted and were left out.",
                others,
            )
            % {"count": others}
        )
    return result.value, notes


def _damaged_docx() -> IngestError:
    return IngestError(
        _(
            "The Word file is damaged and cannot be read. "
            "Open it in Word, save it again as .docx and upload it."
        )
    )
