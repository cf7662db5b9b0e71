"""The printed meeting pack, for members who read on paper (issue 16, "Paper where it must").

One pack per member: a cover with their name, the meeting (time and place, or a line saying it is not
announced yet) and a QR code with the address of the reading page; the meeting notice as issued (TB);
the approved draft with its paragraph numbers, the same numbers the reading page gives (the anchors
``p-N``, "Đoạn N" in the responses table); and a comment sheet with ruled lines under each paragraph
number, with the member's name on every page. The whole cell's PDF is every member's pack in turn, each
starting on an odd page so that a double-sided print never puts two members on one sheet.

A4 in the Party-document font (documents.fonts: Liberation Serif 2 or Tinos, embedded), 14 pt for the
older members who use it. The notice and the draft are rendered once and their pages reused in every
pack; only the cover and the comment sheet are rendered per member. A draft kept as PDF is appended as
it is (pypdf), its comment sheet asking page by page.

drafts sits below meetings: the meeting and its notice come through planning.hooks (the meetings' part
of the session page), and the notice is rendered from its frozen snapshot (documents.IssuedDocument).
"""

import io
import re
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher

from documents.fonts import document_fonts
from documents.render import render_html
from drafts.blocks import split_blocks
from drafts.models import DraftVersion
from drafts.rules import comments_due
from organizations.models import Member
from planning import hooks
from planning.models import Session

# Ruled lines under each paragraph number on the comment sheet, and for the whole draft.
LINES_PER_PARAGRAPH = 4
LINES_FOR_WHOLE_DRAFT = 8
# Only the font files are fetched (file:); the draft's pictures are data: URLs kept by the sanitiser.
_FETCHER = URLFetcher(allowed_protocols=("file", "data"))
_NUMBERED = re.compile(r'<(p|h[1-6]|li|blockquote|pre)(\s[^>]*)?\sid="p-(\d+)"([^>]*)>')
_NUMBERED_OTHER = re.compile(r'<(table|div|figure)(\s[^>]*)?\sid="p-(\d+)"([^>]*)>')


@dataclass
class Sheet:
    """One entry of the comment sheet: "Ý kiến góp ý đoạn N" (or page N), with the start of its text."""

    number: str
    page: bool
    text: str


@dataclass
class Shared:
    """What every member's pack of a session has in common, rendered once."""

    session: Session
    version: DraftVersion
    url: str
    qr: SafeString
    meeting: Any
    notice_symbol: str
    notice: Document | None
    draft: Document | None
    draft_pdf: bytes | None
    sheet: list[Sheet]
    due: Any
    presenters: str


def reading_url(session: Session) -> str:
    """The reading page's address, as printed under the QR code."""
    return settings.SITE_URL + reverse("drafts:read", args=[session.pk])


def _render(html: str) -> Document:
    return HTML(string=html, url_fetcher=_FETCHER).render()


def _numbered(html: str) -> str:
    """The block's HTML with each paragraph's number before its text, as "[N]"."""
    html = _NUMBERED.sub(
        lambda m: f'<{m[1]}{m[2] or ""} id="p-{m[3]}"{m[4]}><span class="no">[{m[3]}]</span> ', html
    )
    return _NUMBERED_OTHER.sub(
        lambda m: (
            f'<p class="no-line"><span class="no">[{m[3]}]</span></p><{m[1]}{m[2] or ""} id="p-{m[3]}"{m[4]}>'
        ),
        html,
    )


def _context(**extra: Any) -> dict[str, Any]:
    return {"fonts": document_fonts(), **extra}


def shared(session: Session, version: DraftVersion, user: Any = None) -> Shared:
    """Render what every pack of ``session`` shares: the notice (if issued) and the draft."""
    session = Session.objects.select_related("cell__rule_set", "cell__parent__rule_set").get(pk=session.pk)
    meeting = hooks.session_page(user, session).get("meeting")
    notice = getattr(meeting, "notice", None) if meeting is not None else None
    url = reading_url(session)
    qr = mark_safe(segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff"))
    presenters = ", ".join(m.full_name for m in session.presenters.all())
    is_pdf = version.kind == DraftVersion.Kind.PDF
    sheet = [
        Sheet(p["anchor"].split("-", 1)[1], is_pdf, str(p.get("text", ""))[:90])
        for p in version.paragraphs
        if isinstance(p, dict) and "anchor" in p
    ]
    draft = None
    draft_pdf = None
    if is_pdf:
        with version.file.open("rb") as f:
            draft_pdf = f.read()
    else:
        blocks = [mark_safe(_numbered(block.html)) for block in split_blocks(version.html)]
        draft = _render(
            render_to_string(
                "drafts/pack_draft.html",
                _context(session=session, version=version, blocks=blocks, presenters=presenters),
            )
        )
    return Shared(
        session=session,
        version=version,
        url=url,
        qr=qr,
        meeting=meeting,
        notice_symbol=notice.symbol if notice is not None else "",
        notice=_render(render_html(notice.frame)) if notice is not None else None,
        draft=draft,
        draft_pdf=draft_pdf,
        sheet=sheet,
        due=comments_due(session),
        presenters=presenters,
    )


def _member_pages(common: Shared, members: list[Member]) -> tuple[Document, dict[int, list[Any]]]:
    """Every member's cover (one page) and comment sheet, rendered as one document (the fonts are
    read once, not once per member), and the pages of each member, found by the cover's anchor."""
    document = _render(
        render_to_string(
            "drafts/pack_member.html",
            _context(
                c=common,
                members=members,
                lines=range(LINES_PER_PARAGRAPH),
                whole_lines=range(LINES_FOR_WHOLE_DRAFT),
            ),
        )
    )
    by_member: dict[int, list[Any]] = {}
    current: list[Any] = []
    ids = {f"m{m.pk}": m.pk for m in members}
    for page in document.pages:
        starts = [ids[name] for name in page.anchors if name in ids]
        if starts:
            current = by_member.setdefault(starts[0], [])
        current.append(page)
    return document, by_member


_BLANK = "<html><head><style>@page { size: A4; }</style></head><body></body></html>"


def pack_pdf(
    session: Session,
    version: DraftVersion,
    members: list[Member],
    user: Any = None,
    progress: Any = None,
) -> bytes:
    """The pack of each of ``members`` in turn, as one PDF (one member: their own pack).
    ``progress(done, total)`` is told after each step (the background job's progress bar)."""
    with translation.override(settings.LANGUAGE_CODE):
        common = shared(session, version, user)
        if progress:
            progress(1, 3)
        document, own = _member_pages(common, members)
        if progress:
            progress(2, 3)
        blank = _render(_BLANK).pages[0] if len(members) > 1 else None
        if common.draft_pdf is not None:
            return _with_pdf_draft(common, document, members, own, blank)
        pages: list[Any] = []
        shared_pages = [
            *(common.notice.pages if common.notice else []),
            *(common.draft.pages if common.draft else []),
        ]
        for member in members:
            pack = [own[member.pk][0], *shared_pages, *own[member.pk][1:]]
            pages += pack
            if blank is not None and len(pack) % 2:
                pages.append(blank)
        pdf = document.copy(pages).write_pdf()
    assert pdf is not None
    return pdf


def _with_pdf_draft(
    common: Shared, document: Document, members: list[Member], own: dict[int, list[Any]], blank: Any
) -> bytes:
    """A draft kept as PDF goes in as it is, between the notice and the comment sheet (pypdf)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    draft = PdfReader(io.BytesIO(common.draft_pdf or b""))
    notice = common.notice.pages if common.notice else []
    for member in members:
        before = document.copy([own[member.pk][0], *notice]).write_pdf()
        after = document.copy(own[member.pk][1:]).write_pdf()
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(before or b"")))
        writer.append(draft)
        writer.append(PdfReader(io.BytesIO(after or b"")))
        if blank is not None and (len(writer.pages) - start) % 2:
            writer.add_blank_page(width=595.28, height=841.89)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def file_name(session: Session, member: Member | None = None) -> str:
    """The download's name: tai-lieu-giay-<session>[-<member>].pdf, in ASCII."""
    from django.utils.text import slugify

    from core.text import fold

    parts = ["tai-lieu-giay", f"{session.pk}"] + ([slugify(fold(member.full_name))] if member else [])
    return "-".join(parts) + ".pdf"
