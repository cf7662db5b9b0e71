"""Reading drafts: for the home page, and what the draft pages and the API both show."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from drafts import permissions
from drafts.models import Comment, Distribution, DraftVersion, Reading
from organizations.permissions import scope_for
from planning.models import Session


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


def draft_sessions(user: Any) -> QuerySet[Session]:
    """The sessions whose draft pages ``user`` may open, with what every draft page reads: the rule
    sets (deadlines) and the presenters (every permission check asks: drafts.permissions.presenter_ids
    reads the prefetched list)."""
    return (
        permissions.readable_sessions(user)
        .select_related("cell__rule_set", "cell__parent__rule_set", "plan")
        .prefetch_related("presenters")
    )


def readable_comments(user: Any) -> QuerySet[Comment]:
    """Comments on the drafts ``user`` may read, with their session."""
    return Comment.objects.filter(session__in=permissions.readable_sessions(user)).select_related("session")


def visible_versions(user: Any, session: Session) -> list[DraftVersion]:
    """The versions ``user`` sees, oldest first: every one for the presenters and the approvers, the
    approved ones for everyone else (HD 12: only an approved draft reaches the members)."""
    versions = list(session.draft_versions.select_related("created_by").order_by("number"))
    if permissions.sees_unapproved(user, session):
        return versions
    return [v for v in versions if v.approved_at is not None]


def pick_version(versions: list[DraftVersion], wanted: int | str | None = None) -> DraftVersion | None:
    """The version the reading page shows: the one asked for (None if it is not among ``versions``),
    else the newest approved one, else the newest one; None when there is none."""
    if wanted:
        return next((v for v in versions if str(v.number) == str(wanted)), None)
    approved = [v for v in versions if v.approved_at is not None]
    if approved:
        return approved[-1]
    return versions[-1] if versions else None


def compared_pair(
    versions: list[DraftVersion], a: int | None, b: int | None
) -> tuple[DraftVersion, DraftVersion] | None:
    """The two versions the comparison page shows: ``a`` and ``b`` when both are among ``versions``,
    else the last two; None when there are fewer than two."""
    by_number = {v.number: v for v in versions}
    if a in by_number and b in by_number:
        return by_number[a], by_number[b]
    numbers = sorted(by_number)
    if len(numbers) < 2:
        return None
    return by_number[numbers[-2]], by_number[numbers[-1]]


@dataclass
class Placed:
    """The comments of a session as they sit on one version: by anchor ("" for the whole draft), and
    those whose paragraph changed too much to be found in it (shown apart, never dropped)."""

    by_anchor: dict[str, list[Comment]]
    unmatched: list[Comment]


def placed_comments(session: Session, version: DraftVersion) -> Placed:
    """The comments (with replies, authors and responses; deleted ones as tombstones) shown on
    ``version``: a comment sits where it is now in the newest version (unmatched ones apart); read on
    an older version, it sits where it was written. Three queries whatever their number."""
    comments = (
        Comment.objects.filter(session=session, parent=None)
        .select_related("author", "response")
        .prefetch_related(
            Prefetch("replies", queryset=Comment.objects.select_related("author").order_by("created_at"))
        )
        .order_by("created_at", "id")
    )
    by_anchor: dict[str, list[Comment]] = defaultdict(list)
    unmatched: list[Comment] = []
    for comment in comments:
        if comment.current_version_id == version.pk:
            (unmatched if comment.unmatched else by_anchor[comment.current_anchor]).append(comment)
        elif comment.version_id == version.pk:
            by_anchor[comment.anchor].append(comment)
    return Placed(dict(by_anchor), unmatched)
