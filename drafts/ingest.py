"""Reading a draft into the app: a Word file, a PDF, or the editor's HTML.

Pure functions over bytes and strings (no models, no storage), so the services decide where the
result goes and the rules here are tested on files built in memory.

A Word file becomes clean HTML (mammoth converts, nh3 sanitises) whose blocks carry stable anchors
``p-1``, ``p-2``… that comments attach to; a PDF is kept as it is and comments refer to its pages.
Files come from members' computers and are then opened by everyone in the cell, so anything that
runs code or fetches content from elsewhere when the file is opened is refused with a message that
tells the person what to fix.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from html import escape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit
from xml.parsers import expat

import mammoth
import nh3
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from core.errors import DomainError
from core.text import nfc


class IngestError(DomainError):
    """The uploaded file or the editor's text cannot become a draft; the message says why."""


@dataclass(frozen=True)
class Ingested:
    """A draft as the app keeps it: sanitised HTML with anchored blocks, or a PDF's pages."""

    kind: str  # "docx" | "pdf" | "html"
    html: str
    paragraphs: list[dict[str, str]]
    pages: int | None = None
    notes: list[str] = field(default_factory=list)


# --- The allow-list -------------------------------------------------------------------------------

BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "table"})
_LIST_TAGS = frozenset({"ul", "ol"})
_TABLE_PARTS = frozenset({"thead", "tbody", "tr", "th", "td"})
_INLINE_TAGS = frozenset({"strong", "em", "u", "sub", "sup", "br", "a", "img"})
ALLOWED_TAGS = BLOCK_TAGS | _LIST_TAGS | _TABLE_PARTS | _INLINE_TAGS
_VOID_TAGS = frozenset({"br", "img"})
# Removed together with their content: what is inside them is code or markup, never draft text.
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "svg", "math", "iframe", "object", "embed", "template", "noscript", "textarea"}
)
_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    **{tag: {"id", "data-anchor"} for tag in BLOCK_TAGS},
}
_LINK_REL = "noopener noreferrer nofollow"
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_ANCHOR = re.compile(r"p-[1-9][0-9]{0,5}")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+")
_SPAN = re.compile(r"[1-9][0-9]{0,2}")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # nh3 has already applied the tag and attribute allow-list and the URL schemes; this narrows
    # values further. It must never raise: nh3 would only report the error and drop the attribute.
    if attribute in ("id", "data-anchor"):
        return value if tag in BLOCK_TAGS and _ANCHOR.fullmatch(value) else None
    if tag == "a" and attribute == "href":
        try:
            scheme = urlsplit(value.strip()).scheme.lower()
        except ValueError:
            return None
        return value if scheme in _LINK_SCHEMES else None
    if tag == "a" and attribute == "rel":
        return _LINK_REL
    if tag == "img" and attribute == "src":
        return value if _DATA_IMAGE.fullmatch(value) else None
    if tag == "img" and attribute == "alt":
        return value
    if tag in ("td", "th") and attribute in ("colspan", "rowspan"):
        return value if _SPAN.fullmatch(value.strip()) else None
    return None


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROP_WITH_CONTENT),
    attributes=_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel=_LINK_REL,
    # "data" only for pictures: the attribute filter keeps it on img src and never on a link.
    url_schemes={"http", "https", "mailto", "data"},
    url_relative="deny",
)


def sanitize_html(html: str) -> str:
    """The HTML reduced to our allow-list (text structure, links, embedded pictures), in NFC.

    Anchors (``id``/``data-anchor`` of the form ``p-N``) survive, so anchored HTML can be cleaned
    again before it is shown."""
    return _CLEANER.clean(nfc(html))


# --- Entry points ---------------------------------------------------------------------------------

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
# Compound File Binary: Word 97-2003 .doc files, and also Word files saved with a password.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ingest_upload(filename: str, data: bytes, *, max_bytes: int) -> Ingested:
    """Read an uploaded draft, deciding by its content whether it is a Word file or a PDF.

    ``filename`` is only used to tell the person when the name and the content disagree; the
    extension never decides how the file is read."""
    if len(data) > max_bytes:
        raise IngestError(
            _("The file is larger than the limit of %(limit)s MB.") % {"limit": _megabytes(max_bytes)}
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(b"%PDF-"):
        result = _ingest_pdf(data)
        if extension != "pdf":
            note = _("The file name does not end in .pdf, but the file is a PDF; it was read as one.")
            result = replace(result, notes=[*result.notes, note])
        return result
    if data.startswith(_OLE_MAGIC):
        raise IngestError(
            _(
                "This is an old Word document (.doc) or a Word file protected by a password. Open it in "
                "Word, remove any password, save it as a Word document (.docx) and upload it again."
            )
        )
    if data.startswith(b"PK"):
        result = _ingest_docx(data, max_bytes=max_bytes)
        if extension != "docx":
            note = _(
                "The file name does not end in .docx, but the file is a Word document; it was read as one."
            )
            result = replace(result, notes=[*result.notes, note])
        return result
    raise _not_a_document()


def ingest_editor_html(html: str) -> Ingested:
    """Clean and anchor a draft written in the app's editor."""
    html_out, paragraphs = _anchor(sanitize_html(html))
    if not paragraphs:
        raise IngestError(_("The draft is empty."))
    return Ingested(kind="html", html=html_out, paragraphs=paragraphs)


def _megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    return number_format(mb, decimal_pos=0 if mb == int(mb) else 1)


def _not_a_document() -> IngestError:
    return IngestError(_("The file is not a Word document (.docx) or a PDF."))


def _damaged_docx() -> IngestError:
    return IngestError(
        _(
            "The Word file is damaged and cannot be read. "
            "Open it in Word, save it again as .docx and upload it."
        )
    )


def _damaged_pdf() -> IngestError:
    return IngestError(_("The PDF is damaged and cannot be read. Save it again as PDF and upload it."))


# --- Word files -----------------------------------------------------------------------------------

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
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def _ingest_docx(data: bytes, *, max_bytes: int) -> Ingested:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise _damaged_docx() from None
    with archive:
        parts = _read_xml_parts(archive, infos, max_bytes=max_bytes)
        _check_package(parts, {info.filename for info in infos})
        html, messages = _convert_docx(data)
    html_out, paragraphs = _anchor(sanitize_html(html))
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
        raise _damaged_docx() if "word/document.xml" in names else _not_a_document()
    types, all_types = _content_types(content_types)
    if not any(t.startswith(_WORD_TYPE_PREFIXES) for t in all_types):
        raise _not_a_document()
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
        raise _not_a_document()
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


def _sniff_image(data: bytes) -> str | None:
    for magic, content_type in _IMAGE_MAGIC:
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _convert_docx(data: bytes) -> tuple[str, list[str]]:
    """Mammoth's HTML and the notes worth showing to the person, in their language."""
    dropped_images = 0

    def image_source(image: Any) -> dict[str, str]:
        # The type is taken from the picture's bytes, not from what the file claims; a picture a
        # browser cannot show (EMF, TIFF, SVG…) is left out and counted.
        nonlocal dropped_images
        with image.open() as stream:
            content = stream.read()
        content_type = _sniff_image(content)
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


# --- PDF ------------------------------------------------------------------------------------------

# Objects visited while looking for scripts; a real draft has a few thousand.
_MAX_PDF_OBJECTS = 500_000
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch"})


def _ingest_pdf(data: bytes) -> Ingested:
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
        paragraphs.append({"anchor": f"page-{number}", "text": _plain_lines(nfc(text))})
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


def _plain_lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# --- Anchoring ------------------------------------------------------------------------------------


@dataclass
class _Node:
    tag: str
    attrs: list[tuple[str, str]] = field(default_factory=list)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A tree of the sanitised HTML (nh3's output is well formed, so a simple stack suffices)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, [(k, v or "") for k, v in attrs])
        self._stack[-1].children.append(node)
        if tag not in _VOID_TAGS:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(_Node(tag, [(k, v or "") for k, v in attrs]))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


_BREAKING_TAGS = BLOCK_TAGS | _LIST_TAGS | frozenset({"tr", "thead", "tbody"})


@dataclass
class _Anchoring:
    out: list[str] = field(default_factory=list)
    paragraphs: list[dict[str, str]] = field(default_factory=list)

    def next_anchor(self, text: str) -> str:
        anchor = f"p-{len(self.paragraphs) + 1}"
        self.paragraphs.append({"anchor": anchor, "text": text})
        return anchor


def _anchor(clean_html: str) -> tuple[str, list[dict[str, str]]]:
    """Give every block of already sanitised HTML its anchor, and read each block's plain text.

    Blocks are paragraphs, headings, quotes and tables (one block each, whatever they contain) and
    list items (each its own block, nested items too). Text outside any block is wrapped in a
    paragraph so that it can be commented on; blocks without text or pictures are dropped. The
    result goes through the sanitiser once more, so what is stored is always nh3's output."""
    builder = _TreeBuilder()
    builder.feed(clean_html)
    builder.close()
    state = _Anchoring()
    for child in _wrap_loose(builder.root.children, "p"):
        _emit(child, state, flow=True)
    return sanitize_html("".join(state.out)), state.paragraphs


def _is_inline(item: _Node | str) -> bool:
    return isinstance(item, str) or item.tag in _INLINE_TAGS


def _wrap_loose(children: Iterable[_Node | str], wrapper: str) -> list[_Node | str]:
    """Runs of text and inline elements between blocks, wrapped in ``wrapper`` (dropped when blank)."""
    result: list[_Node | str] = []
    run: list[_Node | str] = []

    def flush() -> None:
        if run and (_text_of(run) or _has_picture(run)):
            result.append(_Node(wrapper, [], list(run)))
        run.clear()

    for child in children:
        if _is_inline(child):
            run.append(child)
        else:
            flush()
            result.append(child)
    flush()
    return result


def _emit(item: _Node | str, state: _Anchoring, *, flow: bool) -> None:
    """Serialise ``item``; in the flow of the document (not inside a block) blocks get anchors."""
    if isinstance(item, str):
        state.out.append(escape(item, quote=False))
    elif flow and item.tag in BLOCK_TAGS:
        _emit_block(item, state)
    elif flow and item.tag in _LIST_TAGS:
        state.out.append(_start_tag(item.tag, item.attrs))
        for child in _wrap_loose(item.children, "li"):
            _emit(child, state, flow=True)
        state.out.append(f"</{item.tag}>")
    elif item.tag == "img" and not _is_picture(item):
        return  # its source was refused by the sanitiser; an empty frame would only puzzle readers
    elif item.tag == "a" and not any(name == "href" for name, _value in item.attrs):
        for child in item.children:  # a link whose address was refused keeps its words
            _emit(child, state, flow=False)
    else:
        state.out.append(_start_tag(item.tag, item.attrs))
        for child in item.children:
            _emit(child, state, flow=False)
        if item.tag not in _VOID_TAGS:
            state.out.append(f"</{item.tag}>")


def _emit_block(node: _Node, state: _Anchoring) -> None:
    # A list item's own content excludes its sub-lists, whose items are blocks of their own.
    is_item = node.tag == "li"
    own = [c for c in node.children if not (is_item and _is_list(c))]
    text = _text_of(own)
    has_own_content = bool(text) or _has_picture(own)
    nested = len(own) < len(node.children)
    if not has_own_content and not nested:
        return
    anchor = state.next_anchor(text) if has_own_content else None
    state.out.append(_start_tag(node.tag, node.attrs, anchor))
    for child in node.children:
        _emit(child, state, flow=is_item and _is_list(child))
    state.out.append(f"</{node.tag}>")


def _is_list(item: _Node | str) -> bool:
    return isinstance(item, _Node) and item.tag in _LIST_TAGS


def _start_tag(tag: str, attrs: list[tuple[str, str]], anchor: str | None = None) -> str:
    # Anchors already in the input (pasted from an earlier version) are dropped and given afresh.
    kept = [(name, value) for name, value in attrs if name not in ("id", "data-anchor")]
    if anchor is not None:
        kept = [("id", anchor), ("data-anchor", anchor), *kept]
    rendered = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in kept)
    return f"<{tag}{rendered}>"


def _text_of(items: Iterable[_Node | str]) -> str:
    """Plain text: one line per inner paragraph, table row or line break; a cell's text on its row."""
    pieces: list[str] = []

    def walk(item: _Node | str, in_cell: bool) -> None:
        if isinstance(item, str):
            pieces.append(item)
        elif item.tag == "br":
            pieces.append(" " if in_cell else "\n")
        elif item.tag == "img":
            return
        else:
            in_cell = in_cell or item.tag in ("td", "th")
            breaking = item.tag in _BREAKING_TAGS and not in_cell
            separator = "\n" if breaking else " " if in_cell else ""
            pieces.append(separator)
            for child in item.children:
                walk(child, in_cell)
            pieces.append(separator)

    for item in items:
        walk(item, False)
    return _plain_lines(nfc("".join(pieces)))


def _has_picture(items: Iterable[_Node | str]) -> bool:
    return any(
        isinstance(item, _Node) and (_is_picture(item) or _has_picture(item.children)) for item in items
    )


def _is_picture(node: _Node) -> bool:
    return node.tag == "img" and any(name == "src" for name, _value in node.attrs)
