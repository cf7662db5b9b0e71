"""What reading a draft produces: the draft as the app keeps it, or a refusal that says what to fix."""

from dataclasses import dataclass, field

from core.errors import DomainError


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
