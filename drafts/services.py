"""Every change to a session's draft: versions, approval, distribution, reading, comments, responses.

Each function checks permission and state, validates everything first, writes in one transaction,
logs one audit entry, and sends notifications only after the transaction commits. Concurrency: the
session row is locked for every change of state, and a caller that acted on an older page says which
version it saw (``expected_version``), so two people never silently overwrite each other.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workkeys
from core.audit import log_action
from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.permissions import require
from drafts import permissions
from drafts.models import Comment, Distribution, DraftVersion, Reading, Reminder, Response, Review
from drafts.rules import comments_due
from notifications.kinds import Kind
from notifications.services import notify_members, site_text
from notifications.webhooks import emit
from organizations.models import Member
from organizations.selectors import cell_members
from planning import lifecycle
from planning.models import Session
from planning.services import session_event

# Before approval, and after the meeting while the presenter revises the text (a "final" version).
WRITABLE = lifecycle.WRITING
# After the meeting, versions are the revised (final) text.
AFTER_MEETING = lifecycle.AFTER_MEETING
# Comments are written on the distributed draft until the meeting; after it the text is revised.
COMMENTABLE = (Session.Status.DISTRIBUTED,)
MAX_COMMENT_LENGTH = 5000


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update(of=("self",)).select_related("plan", "cell").get(pk=session.pk)


def latest_version(session: Session, stage: str | None = None) -> DraftVersion | None:
    versions = session.draft_versions.all() if stage is None else session.draft_versions.filter(stage=stage)
    return versions.order_by("-number").first()


def _check_expected(session: Session, expected_version: int | None) -> None:
    if expected_version is None:
        return
    latest = session.draft_versions.order_by("-number").values_list("number", flat=True).first() or 0
    if latest != expected_version:
        raise InvalidTransition(
            _(
                "Version %(latest)s was added while you were working on version %(seen)s. "
                "Reload the page to see it; nothing was changed."
            )
            % {"latest": latest, "seen": expected_version}
        )


# --- Writing ---------------------------------------------------------------------------------


def add_version(
    *,
    actor: Any,
    session: Session,
    upload: tuple[str, bytes] | None = None,
    text: str | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> DraftVersion:
    """Add a version from an uploaded DOCX/PDF (``upload`` = (file name, bytes)) or from the editor.

    The file is checked and converted before anything is written; comments on the previous version are
    re-attached to the most similar paragraph of the new one (or marked unmatched, never dropped)."""
    require(actor, "draft.write", session)
    if (upload is None) == (text is None):
        raise DomainError(_("Upload a file or write the text, not both."))
    from drafts.ingest import ingest_editor_html, ingest_upload

    ingested = (
        ingest_upload(upload[0], upload[1], max_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024)
        if upload is not None
        else ingest_editor_html(editor_text_to_html(text or ""))
    )
    with transaction.atomic():
        session = _locked(session)
        if session.status not in WRITABLE:
            raise InvalidTransition(
                _("The draft cannot be changed now: it is waiting for approval or already sent.")
            )
        _check_expected(session, expected_version)
        previous = latest_version(session)
        version = DraftVersion(
            session=session,
            stage=DraftVersion.Stage.FINAL if session.status in AFTER_MEETING else DraftVersion.Stage.DRAFT,
            number=(session.draft_versions.order_by("-number").values_list("number", flat=True).first() or 0)
            + 1,
            kind=ingested.kind,
            html=ingested.html,
            paragraphs=ingested.paragraphs,
            pages=ingested.pages,
            note=note.strip()[:500],
            created_by=actor if getattr(actor, "pk", None) else None,
            original_name=upload[0][:255] if upload else "",
        )
        if upload is not None:
            version.file.save(
                _stored_name(session, version.number, upload[0]), ContentFile(upload[1]), save=False
            )
        version.save()
        if previous is not None:
            _reanchor(session, previous, version)
        if lifecycle.can_take(session.status, "start_drafting"):
            lifecycle.advance(session, "start_drafting", actor=actor)
        elif lifecycle.can_take(session.status, "start_revising"):
            # The first revised version after the meeting: the presenter is now revising.
            lifecycle.advance(session, "start_revising", actor=actor)
        log_action(
            actor,
            "drafts.version.added",
            session,
            {"number": version.number, "kind": version.get_kind_display()},
        )
    return version


def _stored_name(session: Session, number: int, filename: str) -> str:
    suffix = ".pdf" if filename.lower().endswith(".pdf") else ".docx"
    return f"session-{session.pk}-v{number}{suffix}"


def editor_text_to_html(text: str) -> str:
    """The simple editor's plain text to HTML: blank lines separate paragraphs, "# " starts a heading,
    "- " a list item. Everything is escaped; the sanitiser and the anchors come after."""
    from django.utils.html import escape

    blocks: list[str] = []
    items: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in raw.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = [f"<li>{escape(line[2:])}</li>" for line in lines]
            blocks.append(f"<ul>{''.join(items)}</ul>")
        elif lines[0].startswith("# ") and len(lines) == 1:
            blocks.append(f"<h2>{escape(lines[0][2:])}</h2>")
        else:
            blocks.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return "".join(blocks)


def _reanchor(session: Session, previous: DraftVersion, version: DraftVersion) -> None:
    """Move every comment sitting on ``previous`` to the matching paragraph of ``version``."""
    if version.kind == DraftVersion.Kind.PDF or previous.kind == DraftVersion.Kind.PDF:
        mapping: dict[str, str | None] = {}
        pages = version.pages or 0
        for comment in Comment.objects.filter(session=session, current_version=previous).exclude(
            current_anchor=""
        ):
            number = (
                int(comment.current_anchor.split("-")[1]) if comment.current_anchor.startswith("page-") else 0
            )
            mapping[comment.current_anchor] = comment.current_anchor if 0 < number <= pages else None
    else:
        from drafts.textdiff import match_anchors

        mapping = match_anchors(previous.paragraphs, version.paragraphs)
    for comment in Comment.objects.filter(session=session, current_version=previous):
        comment.current_version = version
        if comment.current_anchor and not comment.unmatched:
            new_anchor = mapping.get(comment.current_anchor)
            if new_anchor is None:
                comment.unmatched = True
            else:
                comment.current_anchor = new_anchor
        comment.save(update_fields=["current_version", "current_anchor", "unmatched"])


# --- Approval and distribution ---------------------------------------------------------------


def submit_draft(*, actor: Any, session: Session, expected_version: int | None = None) -> Review:
    """The presenter submits the newest version to the secretary (or chi ủy)."""
    require(actor, "draft.submit", session)
    with transaction.atomic():
        session = _locked(session)
        if session.status == Session.Status.SUBMITTED:
            raise InvalidTransition(_("This draft is already waiting for approval."))
        if session.status not in (Session.Status.DRAFTING, Session.Status.RETURNED):
            raise InvalidTransition(_("Upload the draft first."))
        _check_expected(session, expected_version)
        version = latest_version(session)
        if version is None:
            raise InvalidTransition(_("Upload the draft first."))
        review = Review.objects.create(session=session, version=version, submitted_by=_user(actor))
        lifecycle.advance(session, "submit_draft", actor=actor, data={"number": version.number})
        approvers = permissions.approver_ids(session) - permissions.presenter_ids(session)
        notify_members(
            kind=Kind.DRAFT_REVIEW,
            members=Member.objects.filter(pk__in=approvers),
            title=site_text(_("Draft to approve: %(title)s"), {"title": session.title}),
            body=site_text(
                _("Version %(number)s of the draft waits for your approval."), {"number": version.number}
            ),
            url=reverse("drafts:workspace", args=[session.pk]),
            work_key=lifecycle.step_key(session, "distribute"),
        )
    return review


@dataclass
class DistributionResult:
    distribution: Distribution
    recipients: int
    late: bool


def approve_draft(
    *, actor: Any, session: Session, expected_version: int | None = None, include_exempted: bool = False
) -> DistributionResult:
    """Approve the submitted version and send it to every member of the cell for study and comments.

    Probationary members are included; exempted ones only if asked. If this is later than the rule set
    allows before the meeting, the result says so (the secretary is warned, nothing is refused)."""
    require(actor, "draft.approve", session)
    with transaction.atomic():
        session = _locked(session)
        review = (
            Review.objects.filter(session=session, decision=Review.Decision.PENDING)
            .select_related("version")
            .first()
        )
        if session.status != Session.Status.SUBMITTED or review is None:
            raise InvalidTransition(_("There is no draft waiting for approval."))
        _check_expected(session, expected_version)
        now = timezone.now()
        review.decision, review.decided_by, review.decided_at = Review.Decision.APPROVED, _user(actor), now
        review.save(update_fields=["decision", "decided_by", "decided_at"])
        version = review.version
        version.approved_at = now
        version.save(update_fields=["approved_at"])
        params = session.cell.effective_rule_set().params
        late = session.planned_date is not None and timezone.localdate() > session.planned_date - timedelta(
            days=params["distribution_min_days_before"]
        )
        distribution, _created = Distribution.objects.update_or_create(
            session=session,
            defaults={
                "version": version,
                "distributed_by": _user(actor),
                "include_exempted": include_exempted,
                "late": late,
            },
        )
        recipients = recipients_of(session, include_exempted=include_exempted)
        presenters = permissions.presenter_ids(session)
        lifecycle.advance(
            session, "distribute", actor=actor, data={"number": version.number, "count": len(recipients)}
        )
        emit(
            "draft.distributed",
            session.cell,
            session_event(session, reverse("drafts:read", args=[session.pk])),
        )
        due_date = comments_due(session)
        body = (
            site_text(
                _(
                    "The approved draft of the thematic session “%(title)s” is ready for you to read. "
                    "Please send your comments by %(due)s."
                ),
                {"title": session.title, "due": due_date.strftime("%d/%m/%Y")},
            )
            if due_date
            # A session not dated yet has no deadline to name (it was "by —.").
            else site_text(
                _(
                    "The approved draft of the thematic session “%(title)s” is ready for you to read. "
                    "Please send your comments before the meeting."
                ),
                {"title": session.title},
            )
        )
        notify_members(
            kind=Kind.DRAFT_STUDY,
            members=[m for m in recipients if m.pk not in presenters],
            title=site_text(_("Draft for study: %(title)s"), {"title": session.title}),
            body=body,
            url=reverse("drafts:read", args=[session.pk]),
            work_key=workkeys.comment(session.pk),
        )
    return DistributionResult(distribution, len(recipients), late)


def return_draft(
    *, actor: Any, session: Session, remarks: str, expected_version: int | None = None
) -> Review:
    """Return the submitted version to the presenter with remarks; the next upload starts a new round."""
    require(actor, "draft.return", session)
    remarks = remarks.strip()
    if not remarks:
        raise DomainError(_("Write the remarks the presenter should act on."), field="remarks")
    with transaction.atomic():
        session = _locked(session)
        review = Review.objects.filter(session=session, decision=Review.Decision.PENDING).first()
        if session.status != Session.Status.SUBMITTED or review is None:
            raise InvalidTransition(_("There is no draft waiting for approval."))
        _check_expected(session, expected_version)
        review.decision, review.remarks = Review.Decision.RETURNED, remarks
        review.decided_by, review.decided_at = _user(actor), timezone.now()
        review.save(update_fields=["decision", "remarks", "decided_by", "decided_at"])
        lifecycle.advance(session, "return_draft", actor=actor, data={"remarks": remarks})
        notify_members(
            kind=Kind.DRAFT_REVIEW,
            members=session.presenters.all(),
            title=site_text(_("Draft returned: %(title)s"), {"title": session.title}),
            body=remarks,
            url=reverse("drafts:workspace", args=[session.pk]),
            work_key=lifecycle.step_key(session, "submit_draft"),
        )
    return review


def recipients_of(session: Session, *, include_exempted: bool) -> list[Member]:
    """Who the session's draft is sent to: the members of its cell on the session's date (today while
    it has none), regular and temporarily attached here (they take part here), members attached to
    another cell included; exempted members only if asked. The presenters are among them: the
    callers leave them out where they do not count (progress, notices)."""
    return cell_members(
        session.cell,
        session.planned_date,
        exempted=include_exempted,
        attached_here=True,
        attached_elsewhere=True,
    )


# --- Reading and comments --------------------------------------------------------------------


def distributed_version(session: Session) -> DraftVersion | None:
    distribution = Distribution.objects.filter(session=session).select_related("version").first()
    return distribution.version if distribution else None


def record_open(*, member: Member, session: Session) -> bool:
    """Record a member's first open of the distributed draft; True if this was the first."""
    version = distributed_version(session)
    if version is None:
        return False
    _reading, created = Reading.objects.get_or_create(
        session=session, member=member, defaults={"version": version}
    )
    return created


def record_reading(*, user: Any, member: Member | None, session: Session, version: DraftVersion) -> bool:
    """``user`` (whose member record is ``member``) opened ``version``: the first time a member of the
    cell opens an approved version counts as reading the distributed draft. True if this was the first."""
    if member is None or version.approved_at is None or not permissions.is_cell_member(user, session):
        return False
    return record_open(member=member, session=session)


def _comment_target(session: Session) -> DraftVersion:
    # Read the state afresh: the caller's object may predate the approval.
    status = Session.objects.filter(pk=session.pk).values_list("status", flat=True).get()
    if status not in COMMENTABLE:
        raise InvalidTransition(_("Comments open when the approved draft is sent to the members."))
    version = session.draft_versions.exclude(approved_at=None).order_by("-number").first()
    if version is None:
        raise InvalidTransition(_("Comments open when the approved draft is sent to the members."))
    return version


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise DomainError(_("Write your comment."), field="body")
    if len(body) > MAX_COMMENT_LENGTH:
        raise DomainError(
            _("A comment can be at most %(count)s characters.") % {"count": MAX_COMMENT_LENGTH}, field="body"
        )
    return body


def comments_closed(session: Session) -> bool:
    """Has the comment deadline (:func:`comments_due`) passed? Read afresh from the database, with the
    cell's rule set: a comment written now is flagged late, and can no longer be edited or deleted."""
    session = Session.objects.select_related("cell__rule_set", "cell__parent__rule_set").get(pk=session.pk)
    due = comments_due(session)
    return due is not None and timezone.localdate() > due


def add_comment(
    *,
    actor: Any,
    session: Session,
    body: str,
    anchor: str = "",
    parent: Comment | None = None,
    client_id: uuid.UUID | None = None,
) -> Comment:
    """Comment on a paragraph (``p-N``), a PDF page (``page-N``) or the whole draft (``""``), or reply.

    The text is stored as plain text and always shown escaped: HTML typed in a comment never runs.
    A comment sent again with the same ``client_id`` (queued on the phone while there was no signal
    and sent once more, a retry) is not stored twice: the one stored first is returned."""
    require(actor, "comment.add", session)
    author = permissions.member_of(actor)
    if author is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    sent = _sent_before(author, client_id, session)
    if sent is not None:
        return sent
    body = _clean_body(body)
    version = _comment_target(session)
    if parent is not None:
        if parent.session_id != session.pk or parent.parent_id is not None:
            raise DomainError(_("You can only reply to a comment of this draft."))
        anchor, version = parent.current_anchor, parent.current_version
    elif anchor and anchor not in version.anchors():
        raise DomainError(_("This paragraph is not in the draft any more; reload the page."), field="anchor")
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                session=session,
                version=version,
                anchor=anchor,
                current_version=version,
                current_anchor=anchor,
                parent=parent,
                author=author,
                body=body,
                late=comments_closed(session),
                client_id=client_id,
            )
            Reading.objects.get_or_create(session=session, member=author, defaults={"version": version})
            log_action(actor, "drafts.comment.added", comment, {"title": session.title})
    except IntegrityError:
        if client_id is None:
            raise
        # The same comment arrived twice at the same moment: the other request stored it.
        return Comment.objects.get(author=author, client_id=client_id)
    return comment


def _sent_before(author: Member, client_id: uuid.UUID | None, session: Session) -> Comment | None:
    """The comment already stored under ``client_id`` (a form queued on the phone and sent again)."""
    if client_id is None:
        return None
    sent = Comment.objects.filter(author=author, client_id=client_id).first()
    if sent is not None and sent.session_id != session.pk:
        raise DomainError(_("The form was damaged; reload the page."))
    return sent


def paper_recipients(session: Session) -> list[Member]:
    """The members a printed pack is made for and whose paper comments may be recorded: those the
    draft was sent to (in name order), but the presenters, who wrote it. Empty before distribution."""
    distribution = Distribution.objects.filter(session=session).first()
    if distribution is None:
        return []
    presenters = permissions.presenter_ids(session)
    recipients = recipients_of(session, include_exempted=distribution.include_exempted)
    return [m for m in recipients if m.pk not in presenters]


def add_paper_comment(
    *,
    actor: Any,
    session: Session,
    member: Member,
    body: str,
    anchor: str = "",
    handed_in_on: date | None = None,
    client_id: uuid.UUID | None = None,
) -> Comment:
    """A secretary types in a comment a member handed in on the printed comment sheet (góp ý bằng văn
    bản): it is the member's comment, marked as on paper, with who typed it and the day it was handed in.

    The deadline is judged by the day the sheet was handed in, not the day it is typed: a sheet handed
    in on time may be recorded after the deadline, as long as the draft is still open for comments
    (until the meeting's minutes are approved). The day is not in the future, not before the draft
    was sent, and not after the meeting's day. Refused for a member the draft was not sent to."""
    require(actor, "draft.paper", session)
    sent = _sent_before(member, client_id, session)
    if sent is not None:
        return sent
    body = _clean_body(body)
    version = _comment_target(session)
    if member.pk not in {m.pk for m in paper_recipients(session)}:
        raise DomainError(_("The draft was not sent to this member."), field="member")
    if anchor and anchor not in version.anchors():
        raise DomainError(_("This paragraph is not in the draft any more; reload the page."), field="anchor")
    session = Session.objects.select_related("cell__rule_set", "cell__parent__rule_set").get(pk=session.pk)
    today = timezone.localdate()
    handed_in_on = handed_in_on or today
    distribution = Distribution.objects.get(session=session)
    if handed_in_on > today:
        raise DomainError(_("The day the sheet was handed in cannot be in the future."), field="handed_in_on")
    if handed_in_on < timezone.localdate(distribution.distributed_at):
        raise DomainError(
            _("The sheet cannot have been handed in before the draft was sent (%(date)s).")
            % {"date": timezone.localdate(distribution.distributed_at).strftime("%d/%m/%Y")},
            field="handed_in_on",
        )
    if session.planned_date is not None and handed_in_on > session.planned_date:
        raise DomainError(
            _("A sheet handed in after the meeting (%(date)s) is not a comment on the draft.")
            % {"date": session.planned_date.strftime("%d/%m/%Y")},
            field="handed_in_on",
        )
    due = comments_due(session)
    with transaction.atomic():
        comment = Comment.objects.create(
            session=session,
            version=version,
            anchor=anchor,
            current_version=version,
            current_anchor=anchor,
            author=member,
            body=body,
            late=due is not None and handed_in_on > due,
            client_id=client_id,
            on_paper=True,
            recorded_by=_user(actor),
            handed_in_on=handed_in_on,
        )
        # The member read the draft, on paper: their participation record says so.
        Reading.objects.get_or_create(session=session, member=member, defaults={"version": version})
        log_action(
            actor,
            "drafts.comment.paper",
            comment,
            {
                "title": session.title,
                "member": member.full_name,
                "member_id": member.pk,
                "date": handed_in_on.strftime("%d/%m/%Y"),
            },
        )
    return comment


def edit_comment(*, actor: Any, comment: Comment, body: str, expected_edited_at: Any = None) -> Comment:
    """The author corrects their comment, until the comment deadline."""
    require(actor, "comment.edit", comment)
    body = _clean_body(body)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("session").get(pk=comment.pk)
        if comment.is_deleted:
            raise InvalidTransition(_("This comment was deleted."))
        if comments_closed(comment.session):
            raise InvalidTransition(_("The comment deadline has passed; add a reply instead."))
        if hasattr(comment, "response"):
            raise InvalidTransition(
                _("The presenter has already answered this comment; add a reply instead.")
            )
        if expected_edited_at is not None and comment.edited_at != expected_edited_at:
            raise InvalidTransition(_("This comment was changed meanwhile; reload the page."))
        comment.body, comment.edited_at = body, timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        log_action(actor, "drafts.comment.edited", comment, {})
    return comment


def delete_comment(*, actor: Any, comment: Comment) -> Comment:
    """Delete a comment: its text goes, a visible tombstone stays (replies keep their place)."""
    require(actor, "comment.delete", comment)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("session").get(pk=comment.pk)
        if comment.is_deleted:
            raise InvalidTransition(_("This comment was deleted."))
        if Response.objects.filter(comment=comment).exists():
            raise InvalidTransition(
                _("The presenter has answered this comment; it stays in the table of responses.")
            )
        if comments_closed(comment.session) or comment.session.status not in COMMENTABLE:
            raise InvalidTransition(_("The comment deadline has passed; comments can no longer be deleted."))
        comment.body, comment.deleted_at = "", timezone.now()
        comment.save(update_fields=["body", "deleted_at"])
        log_action(actor, "drafts.comment.deleted", comment, {})
    return comment


def respond(*, actor: Any, comment: Comment, decision: str, explanation: str = "") -> Response:
    """The presenter records how a comment was handled (tiếp thu / tiếp thu một phần / không tiếp thu)."""
    require(actor, "comment.respond", comment.session)
    explanation = explanation.strip()
    if comment.parent_id is not None or comment.is_deleted:
        raise DomainError(_("Only comments (not replies or deleted ones) get a response."))
    if decision not in Response.Decision.values:
        raise DomainError(_("Choose how the comment was handled."), field="decision")
    if decision != Response.Decision.ACCEPTED and not explanation:
        raise DomainError(_("Explain why the comment was not (fully) accepted."), field="explanation")
    with transaction.atomic():
        response, _created = Response.objects.update_or_create(
            comment=comment,
            defaults={"decision": decision, "explanation": explanation, "responded_by": _user(actor)},
        )
        log_action(actor, "drafts.comment.answered", comment, {"decision": response.get_decision_display()})
    return response


def unanswered_comments(session: Session) -> int:
    """Comments the presenter has not answered yet; the final text cannot be submitted while any is left."""
    return (
        Comment.objects.filter(session=session, parent=None, deleted_at=None)
        .filter(response__isnull=True)
        .count()
    )


def submit_final(*, actor: Any, session: Session, expected_version: int | None = None) -> DraftVersion:
    """After the meeting, the presenter submits the revised (final) text for the chi ủy's approval.

    Refused while any comment has no response: the response table goes with the final text."""
    require(actor, "draft.submit", session)
    with transaction.atomic():
        session = _locked(session)
        if session.status != Session.Status.REVISING:
            raise InvalidTransition(
                _("The final text is submitted after the meeting, while it is being revised.")
            )
        _check_expected(session, expected_version)
        version = latest_version(session, DraftVersion.Stage.FINAL)
        if version is None:
            raise InvalidTransition(_("Upload the revised text first."))
        missing = unanswered_comments(session)
        if missing:
            raise DomainError(
                _(
                    "%(count)s comments have no response yet; "
                    "answer every comment before submitting the final text."
                )
                % {"count": missing}
            )
        Review.objects.create(session=session, version=version, submitted_by=_user(actor))
        lifecycle.advance(session, "submit_final", actor=actor, data={"number": version.number})
        approvers = permissions.approver_ids(session) - permissions.presenter_ids(session)
        notify_members(
            kind=Kind.DRAFT_REVIEW,
            members=Member.objects.filter(pk__in=approvers),
            title=site_text(_("Final text to approve: %(title)s"), {"title": session.title}),
            body=site_text(
                _("The revised text (version %(number)s) and the responses to the comments wait for you."),
                {"number": version.number},
            ),
            url=reverse("drafts:workspace", args=[session.pk]),
            work_key=lifecycle.step_key(session, "approve_final"),
        )
    return version


def _pending_final(session: Session) -> Review:
    review = (
        Review.objects.filter(session=session, decision=Review.Decision.PENDING)
        .select_related("version")
        .first()
    )
    if session.status != Session.Status.FINAL_SUBMITTED or review is None:
        raise InvalidTransition(_("There is no final text waiting for approval."))
    return review


def approve_final(*, actor: Any, session: Session, expected_version: int | None = None) -> DraftVersion:
    """The chi ủy (or the secretary where there is none) approves the final text; the resolution can
    then be issued (docs/domain.md §2 step 9)."""
    require(actor, "draft.approve", session)
    with transaction.atomic():
        session = _locked(session)
        review = _pending_final(session)
        _check_expected(session, expected_version)
        now = timezone.now()
        review.decision, review.decided_by, review.decided_at = Review.Decision.APPROVED, _user(actor), now
        review.save(update_fields=["decision", "decided_by", "decided_at"])
        version = review.version
        version.approved_at = now
        version.save(update_fields=["approved_at"])
        lifecycle.advance(session, "approve_final", actor=actor, data={"number": version.number})
        notify_members(
            kind=Kind.DRAFT_REVIEW,
            members=session.presenters.all(),
            title=site_text(_("Final text approved: %(title)s"), {"title": session.title}),
            body=site_text(_("The final text was approved; the resolution will be issued with it.")),
            url=reverse("drafts:workspace", args=[session.pk]),
        )
    return version


def return_final(
    *, actor: Any, session: Session, remarks: str, expected_version: int | None = None
) -> Review:
    """Return the final text to the presenter with remarks; they revise and submit it again."""
    require(actor, "draft.return", session)
    remarks = remarks.strip()
    if not remarks:
        raise DomainError(_("Write the remarks the presenter should act on."), field="remarks")
    with transaction.atomic():
        session = _locked(session)
        review = _pending_final(session)
        _check_expected(session, expected_version)
        review.decision, review.remarks = Review.Decision.RETURNED, remarks
        review.decided_by, review.decided_at = _user(actor), timezone.now()
        review.save(update_fields=["decision", "remarks", "decided_by", "decided_at"])
        lifecycle.advance(session, "return_final", actor=actor, data={"remarks": remarks})
        notify_members(
            kind=Kind.DRAFT_REVIEW,
            members=session.presenters.all(),
            title=site_text(_("Final text returned: %(title)s"), {"title": session.title}),
            body=remarks,
            url=reverse("drafts:workspace", args=[session.pk]),
            work_key=lifecycle.step_key(session, "submit_final"),
        )
    return review


# --- Who has done what; reminders ------------------------------------------------------------


@dataclass
class Progress:
    member: Member
    read_at: Any
    comments: int


def progress(session: Session) -> list[Progress]:
    """For each recipient but the presenters (who wrote it): when they first opened the draft and how
    many comments they wrote."""
    distribution = Distribution.objects.filter(session=session).first()
    if distribution is None:
        return []
    presenters = permissions.presenter_ids(session)
    recipients = recipients_of(session, include_exempted=distribution.include_exempted)
    members = [m for m in recipients if m.pk not in presenters]
    reads = dict(Reading.objects.filter(session=session).values_list("member_id", "first_opened_at"))
    counts: dict[int, int] = {}
    for author_id in Comment.objects.filter(session=session, deleted_at=None).values_list(
        "author_id", flat=True
    ):
        counts[author_id] = counts.get(author_id, 0) + 1
    return [Progress(m, reads.get(m.pk), counts.get(m.pk, 0)) for m in members]


def send_reminder(*, actor: Any, session: Session, automatic: bool = False) -> int:
    """Remind every recipient who has not commented yet; returns how many were reminded."""
    if not automatic:
        require(actor, "draft.track", session)
    if session.status != Session.Status.DISTRIBUTED:
        raise InvalidTransition(_("Reminders are for a draft sent to the members and not yet discussed."))
    if not automatic:
        last = Reminder.objects.filter(session=session, automatic=False).order_by("-sent_at").first()
        if last is not None and timezone.now() - last.sent_at < timedelta(hours=20):
            raise InvalidTransition(
                _("A reminder was already sent on %(time)s; wait until tomorrow before sending another.")
                % {"time": timezone.localtime(last.sent_at).strftime("%H:%M %d/%m/%Y")}
            )
    me = permissions.member_of(actor) if actor is not None else None
    waiting = [p.member for p in progress(session) if p.comments == 0 and p.member != me]
    with transaction.atomic():
        Reminder.objects.create(session=session, automatic=automatic, recipients=len(waiting))
        log_action(actor, "drafts.reminder.sent", session, {"count": len(waiting)})
        due = comments_due(session)
        notify_members(
            kind=Kind.DRAFT_STUDY,
            members=waiting,
            title=site_text(_("Reminder: comments on “%(title)s”"), {"title": session.title}),
            body=site_text(
                _("Your comments on the draft are awaited by %(due)s."),
                {"due": due.strftime("%d/%m/%Y") if due else "—"},
            ),
            url=reverse("drafts:read", args=[session.pk]),
            work_key=workkeys.comment(session.pk),
        )
    return len(waiting)


def send_due_reminders(today: date | None = None) -> int:
    """The automatic reminder, N days before the meeting (rule set), once per session; run daily."""
    today = today or timezone.localdate()
    sent = 0
    candidates = (
        Session.objects.filter(status=Session.Status.DISTRIBUTED, planned_date__gte=today)
        .filter(~Q(reminders__automatic=True))
        .select_related("cell__rule_set", "cell__parent__rule_set")
    )
    for session in candidates:
        days = session.cell.effective_rule_set().param("comment_reminder_days_before")
        if session.planned_date and session.planned_date - timedelta(days=days) <= today:
            send_reminder(actor=None, session=session, automatic=True)
            sent += 1
    return sent


# --- Helpers ---------------------------------------------------------------------------------


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None
