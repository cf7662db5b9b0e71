"""Reading drafts for the home page."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from drafts.models import Comment, Distribution, DraftVersion, Reading
from organizations.permissions import scope_for


@dataclass
class DraftToRead:
    distribution: Distribution
    opened: bool


def drafts_to_read(user: Any, today: date | None = None) -> list[DraftToRead]:
    """Drafts sent to the user's cells that they have not commented on yet, while comments are open."""
    scope = scope_for(user)
    if scope.member_id is None:
        return []
    today = today or timezone.localdate()
    rows = (
        Distribution.objects.filter(session__cell_id__in=scope.cell_ids, session__status="distributed")
        .exclude(session__planned_date__lt=today)
        .exclude(Exists(Comment.objects.filter(session=OuterRef("session"), author_id=scope.member_id)))
        .exclude(session__presenters__id=scope.member_id)
        .annotate(
            opened=Exists(Reading.objects.filter(session=OuterRef("session"), member_id=scope.member_id))
        )
        .select_related("session__cell__rule_set", "session__cell__parent__rule_set")
        .order_by("session__planned_date")
    )
    return [DraftToRead(row, row.opened) for row in rows]


def quoted_paragraphs(comments: list[Comment]) -> dict[int, str]:
    """The text of the paragraph (or PDF page) each comment sits on in the newest version, by comment
    id, so a list of comments can quote what was commented on rather than only "Paragraph 8". One
    query for the versions the comments point at; comments on the whole draft have none."""
    anchored = [c for c in comments if c.current_anchor]
    if not anchored:
        return {}
    texts = {
        (pk, paragraph.get("anchor")): str(paragraph.get("text", ""))
        for pk, paragraphs in DraftVersion.objects.filter(
            pk__in={c.current_version_id for c in anchored}
        ).values_list("pk", "paragraphs")
        for paragraph in paragraphs
        if isinstance(paragraph, dict)
    }
    return {
        c.pk: text
        for c in anchored
        if (text := texts.get((c.current_version_id, c.current_anchor), "").strip())
    }
