"""Planning a meeting and its notice (Thông báo, TB): the usual agenda, the meeting, the notice
that tells every member of the cell."""

from datetime import date, time
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import DomainError, InvalidTransition
from core.permissions import require
from documents.services import issue_document
from meetings import selectors
from meetings.models import Meeting
from meetings.services.common import locked
from notifications.kinds import Kind
from notifications.services import notify_members, site_text
from organizations.selectors import cell_members
from planning.models import Session

# --- Planning the meeting and its notice -------------------------------------------------------


# The agenda is part of the notice and the minutes, official documents written in Vietnamese whatever
# language the secretary uses the application in; the default items are therefore not translated.
AGENDA_REGULAR = "Kiểm điểm việc thực hiện nhiệm vụ tháng; phương hướng, nhiệm vụ tháng tới"
AGENDA_TASKS = "Kiểm điểm việc thực hiện các nhiệm vụ theo nghị quyết ({count} nhiệm vụ chưa hoàn thành)"
AGENDA_SESSION = "Sinh hoạt chuyên đề: {title}"
AGENDA_CLOSING = "Thảo luận, kết luận của chủ trì và biểu quyết"


def default_agenda(kind: str, session: Session | None, open_tasks: int) -> str:
    """The usual order of business (HD 12 §II.1.2), with the follow-up of open tasks when there are any."""
    items = []
    if kind in (Meeting.Kind.REGULAR, Meeting.Kind.COMBINED):
        items.append(AGENDA_REGULAR)
    if open_tasks:
        items.append(AGENDA_TASKS.format(count=open_tasks))
    if session is not None:
        items.append(AGENDA_SESSION.format(title=session.title))
        items.append(AGENDA_CLOSING)
    return "\n".join(items)


def create_meeting(
    *,
    actor: Any,
    cell: Any,
    kind: str,
    date: date,
    start_time: time,
    place: str,
    session: Session | None = None,
    agenda: str | None = None,
    with_notice: bool = False,
) -> Meeting:
    """Plan a meeting of ``cell``; a thematic or combined one belongs to a session of the cell's plan.
    ``with_notice``: issue its notice too, in the same transaction (both or neither)."""
    require(actor, "meeting.create", cell)
    if kind not in Meeting.Kind.values:
        raise DomainError(_("Choose the kind of meeting."), field="kind")
    place = place.strip()
    if not place:
        raise DomainError(_("Say where the meeting takes place."), field="place")
    if kind == Meeting.Kind.REGULAR:
        session = None
    elif session is None:
        raise DomainError(_("Choose the thematic session held at this meeting."), field="session")
    elif session.cell_id != cell.pk:
        raise DomainError(_("This session belongs to another cell."), field="session")
    elif session.status == Session.Status.CANCELLED:
        raise DomainError(_("This session was cancelled."), field="session")
    with transaction.atomic():
        if session is not None:
            session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
            if Meeting.objects.filter(session=session).exists():
                raise DomainError(_("This session already has its meeting."), field="session")
        if Meeting.objects.filter(cell=cell, date=date, start_time=start_time).exists():
            # Also what a form sent twice meets: the first one made the meeting.
            raise DomainError(_("This cell already has a meeting at this time."), field="date")
        if agenda is None:
            agenda = default_agenda(kind, session, selectors.open_tasks(cell.pk).count())
        meeting = Meeting.objects.create(
            cell=cell,
            kind=kind,
            session=session,
            date=date,
            start_time=start_time,
            place=place,
            agenda=agenda.strip(),
        )
        log_action(actor, "meetings.meeting.created", meeting, {"date": date.strftime("%d/%m/%Y")})
        if with_notice:
            issue_notice(actor=actor, meeting=meeting)
    return meeting


def issue_notice(*, actor: Any, meeting: Meeting, issued_on: date | None = None) -> Any:
    """Issue the meeting notice (Thông báo, numbered TB) and tell every member of the cell.
    ``issued_on`` (today by default) is for records of meetings already past."""
    from meetings.documents import notice_frame

    require(actor, "meeting.manage", meeting)
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise InvalidTransition(_("The meeting has already started; a notice is sent before it."))
        if meeting.notice_id is not None:
            raise InvalidTransition(_("The notice of this meeting was already issued."))
        document = issue_document(
            actor=actor,
            organization=meeting.cell,
            doc_type="TB",
            frame=notice_frame(meeting),
            source=meeting,
            issued_on=issued_on,
        )
        meeting.notice = document
        meeting.save(update_fields=["notice"])
        log_action(actor, "meetings.notice.issued", meeting, {"symbol": document.symbol})
        members = cell_members(
            meeting.cell, meeting.date, exempted=False, attached_here=True, attached_elsewhere=True
        )
        notify_members(
            kind=Kind.MEETING,
            members=members,
            title=site_text(_("Meeting on %(date)s"), {"date": meeting.date.strftime("%d/%m/%Y")}),
            body=site_text(
                _("%(kind)s at %(time)s, %(place)s."),
                {
                    "kind": Meeting.Kind(meeting.kind).label,
                    "time": meeting.start_time.strftime("%H:%M"),
                    "place": meeting.place,
                },
            ),
            url=reverse("meetings:detail", args=[meeting.pk]),
        )
    return document
