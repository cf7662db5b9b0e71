"""Every change to topics, orientations, annual plans, sessions, presenters and registrations.

Each function: check permission and state (typed domain errors with translatable messages), validate,
write in one transaction, log one audit entry. The HTML views, the API and the demo loader call these.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workkeys
from core.audit import log_action
from core.errors import DomainError, InvalidTransition
from core.models import AuditEntry
from core.permissions import require
from notifications.kinds import Kind
from notifications.services import notify, notify_members, site_text
from notifications.webhooks import emit
from organizations.models import Member, Membership, Organization
from organizations.permissions import active_q
from organizations.selectors import cell_leader_members, cell_members, officers_above
from planning import lifecycle
from planning.models import AnnualPlan, Assignment, Orientation, Registration, Session, Topic, TopicGroup
from planning.seed import TOPIC_GROUPS


def _told_of_changes(session: Session) -> list[Member]:
    """Who hears that a session moves or is cancelled: everyone in its cell today, exempted members and
    members attached here or elsewhere included."""
    return cell_members(session.cell, exempted=True, attached_here=True, attached_elsewhere=True)


def _plan_url(plan: AnnualPlan) -> str:
    from django.urls import reverse

    return reverse("planning:plan", args=[plan.pk])


def _session_url(session: Session) -> str:
    from django.urls import reverse

    return reverse("planning:session", args=[session.pk])


def _plan_event(plan: AnnualPlan) -> dict[str, Any]:
    """What a webhook says of a plan (notifications.webhooks.emit)."""
    return {"id": plan.pk, "kind": "plan", "title": plan, "url": _plan_url(plan), "year": plan.year}


def session_event(session: Session, url: str = "") -> dict[str, Any]:
    """What a webhook says of a session (notifications.webhooks.emit); ``url``: a page other than the
    session's own (the draft, for drafts)."""
    return {
        "id": session.pk,
        "kind": "session",
        "title": session.title,
        "url": url or _session_url(session),
        "year": session.plan.year,
        "quarter": session.quarter,
    }


def reverse_topics() -> str:
    from django.urls import reverse

    return reverse("planning:topics")


def _locked_plan(plan: AnnualPlan) -> AnnualPlan:
    return AnnualPlan.objects.select_for_update(of=("self",)).select_related("cell__parent").get(pk=plan.pk)


def _locked_session(session: Session) -> Session:
    return Session.objects.select_for_update(of=("self",)).select_related("plan", "cell").get(pk=session.pk)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


# --- Catalogue and orientation ---------------------------------------------------------------


def ensure_topic_groups(party: Organization) -> list[TopicGroup]:
    """Give a Đảng bộ the eight topic groups of the source article if it has none yet."""
    if party.kind != Organization.Kind.PARTY_COMMITTEE:
        raise DomainError(_("Topic groups belong to a Party organisation (Đảng bộ)."))
    existing = list(TopicGroup.objects.filter(organization=party))
    if existing:
        return existing
    with transaction.atomic():
        return [
            TopicGroup.objects.create(organization=party, name=name, keywords=keywords, order=index)
            for index, (name, keywords) in enumerate(TOPIC_GROUPS, start=1)
        ]


def update_topic_group(*, actor: Any, group: TopicGroup, data: dict[str, Any]) -> TopicGroup:
    """The Đảng ủy edits one of its topic groups (name, description, keywords, order, in use)."""
    require(actor, "topic_group.edit", group)
    fields = [k for k in ("name", "description", "keywords", "order", "is_active") if k in data]
    with transaction.atomic():
        for key in fields:
            setattr(group, key, data[key])
        group.full_clean()
        group.save(update_fields=fields)
        log_action(actor, "planning.topic_group.updated", group, {"name": group.name})
    return group


def create_topic(
    *,
    actor: Any,
    organization: Organization,
    group: TopicGroup,
    title: str,
    description: str = "",
    proposed_by: Member | None = None,
) -> Topic:
    """Add a topic: to a Đảng bộ's catalogue (its officers), or proposed by a cell or a member."""
    if organization.kind == Organization.Kind.PARTY_COMMITTEE:
        require(actor, "catalogue.edit", organization)
        source = Topic.Source.ORIENTATION
    else:
        require(actor, "topic.propose", organization)
        source = Topic.Source.MEMBER if proposed_by is not None else Topic.Source.CELL
    if not organization.path.startswith(group.organization.path):
        raise DomainError(_("This topic group belongs to another Party organisation."), field="group")
    topic = Topic(
        organization=organization,
        group=group,
        title=title.strip(),
        description=description.strip(),
        source=source,
        proposed_by=proposed_by,
    )
    topic.full_clean()
    with transaction.atomic():
        topic.save()
        log_action(actor, "planning.topic.created", topic, {"group": group.name})
    return topic


def set_orientation(
    *,
    actor: Any,
    party: Organization,
    year: int,
    plans_due: date,
    note: str = "",
    topics: list[Topic] | None = None,
) -> Orientation:
    """Create or change the Đảng ủy's orientation for a year."""
    require(actor, "orientation.edit", party)
    topics = topics or []
    if any(not party.path.startswith(t.organization.path) and t.organization_id != party.pk for t in topics):
        raise DomainError(
            _("Only topics of this Party organisation's catalogue can be asked for."), field="topics"
        )
    with transaction.atomic():
        orientation, created = Orientation.objects.select_for_update().get_or_create(
            organization=party, year=year, defaults={"plans_due": plans_due, "note": note}
        )
        if not created:
            orientation.plans_due, orientation.note = plans_due, note
            orientation.save(update_fields=["plans_due", "note"])
        orientation.topics.set(topics)
        log_action(actor, "planning.orientation.saved", orientation, {"year": year, "count": len(topics)})
    return orientation


# --- Plans -----------------------------------------------------------------------------------


def create_plan(*, actor: Any, cell: Organization, year: int, purpose: str = "") -> AnnualPlan:
    """Start a cell's annual plan for ``year``."""
    require(actor, "plan.create", cell)
    if not cell.is_cell:
        raise DomainError(_("Annual thematic plans belong to a cell."))
    if year < 2000 or year > timezone.localdate().year + 2:
        raise DomainError(_("Choose a year between 2000 and two years from now."), field="year")
    plan = AnnualPlan(cell=cell, year=year, purpose=purpose.strip())
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        log_action(actor, "planning.plan.created", plan, {"year": year})
    return plan


def _snapshot(plan: AnnualPlan) -> list[dict[str, Any]]:
    """The plan's sessions as the Đảng ủy acknowledged them, to show what a revision changes."""
    rows = plan.sessions.select_related("topic").order_by("quarter", "month", "planned_date", "id")
    return [
        {
            "id": s.pk,
            "title": s.title,
            "quarter": s.quarter,
            "month": s.month,
            "planned_date": s.planned_date.isoformat() if s.planned_date else None,
            "combined": s.combined_with_regular,
            "cancelled": s.status == Session.Status.CANCELLED,
        }
        for s in rows
    ]


def _touch_plan(actor: Any, plan: AnnualPlan) -> None:
    """Called under lock before a change to the sessions: an acknowledged plan opens a new revision."""
    if plan.status == AnnualPlan.Status.SUBMITTED:
        raise InvalidTransition(
            _("The plan is waiting for the Party committee; it can be changed once acknowledged or returned.")
        )
    updates = ["lock_version"]
    plan.lock_version = F("lock_version") + 1
    if plan.status == AnnualPlan.Status.ACKNOWLEDGED:
        plan.status = AnnualPlan.Status.DRAFT
        plan.revision += 1
        updates += ["status", "revision"]
        log_action(actor, "planning.plan.revision_opened", plan, {"revision": plan.revision})
    plan.save(update_fields=updates)
    plan.refresh_from_db(fields=["lock_version"])


def _check_schedule(plan: AnnualPlan, quarter: int, month: int | None, planned_date: date | None) -> None:
    """The date (checked first: it is what people type) and the month must lie in the quarter and year."""
    if planned_date is not None:
        if planned_date.year != plan.year:
            raise DomainError(_("The date must be in %(year)s.") % {"year": plan.year}, field="planned_date")
        if quarter_of(planned_date.month) != quarter:
            raise DomainError(
                _("The date is not in quarter %(quarter)s.") % {"quarter": quarter}, field="planned_date"
            )
        if month is not None and planned_date.month != month:
            raise DomainError(
                _("The date is not in month %(month)s.") % {"month": month}, field="planned_date"
            )
    if month is not None and quarter_of(month) != quarter:
        raise DomainError(
            _("Month %(month)s is not in quarter %(quarter)s.") % {"month": month, "quarter": quarter},
            field="month",
        )


def add_session(
    *,
    actor: Any,
    plan: AnnualPlan,
    quarter: int,
    title: str = "",
    topic: Topic | None = None,
    month: int | None = None,
    planned_date: date | None = None,
    planned_time: time | None = None,
    combined_with_regular: bool = False,
) -> Session:
    """Add a thematic session to the plan (by quarter, optionally month and date)."""
    require(actor, "plan.edit", plan)
    title = (title or (topic.title if topic else "")).strip()
    if not title:
        raise DomainError(_("Choose a topic or write the session's title."), field="title")
    if planned_date is not None and month is None:
        month = planned_date.month
    _check_schedule(plan, quarter, month, planned_date)
    with transaction.atomic():
        plan = _locked_plan(plan)
        _touch_plan(actor, plan)
        session = Session(
            plan=plan,
            cell=plan.cell,
            topic=topic,
            title=title,
            quarter=quarter,
            month=month,
            planned_date=planned_date,
            planned_time=planned_time,
            combined_with_regular=combined_with_regular,
        )
        session.full_clean()
        session.save()
        log_action(actor, "planning.session.added", session, {"quarter": quarter, "plan": str(plan)})
    return session


def update_session(*, actor: Any, session: Session, data: dict[str, Any]) -> list[str]:
    """Change a planned session's topic, title, schedule or combination; returns the changed fields."""
    require(actor, "plan.edit", session.plan)
    editable = ("topic", "title", "quarter", "month", "planned_date", "planned_time", "combined_with_regular")
    with transaction.atomic():
        session = _locked_session(session)
        if session.status not in lifecycle.OPEN:
            raise InvalidTransition(_("Only sessions that are still planned can be changed in the plan."))
        changes = {k: v for k, v in data.items() if k in editable and getattr(session, k) != v}
        if not changes:
            return []
        for key, value in changes.items():
            setattr(session, key, value)
        if "planned_date" in changes and session.planned_date is not None and "month" not in data:
            # A new date carries its month along unless the caller says otherwise.
            changes["month"] = session.month = session.planned_date.month
        _check_schedule(session.plan, session.quarter, session.month, session.planned_date)
        session.full_clean()
        _touch_plan(actor, _locked_plan(session.plan))
        session.save(update_fields=list(changes))
        log_action(actor, "planning.session.updated", session, {"fields": ", ".join(changes)})
    return list(changes)


# How long a removed session can be put back ("Hoàn tác" on the plan page).
UNDO_REMOVAL_HOURS = 24


def remove_session(*, actor: Any, session: Session) -> AuditEntry:
    """Remove a session that is still only planned (a held one is cancelled instead).

    The audit entry keeps what the session was (schedule, topic, presenters), so that
    ``restore_session`` can put it back for ``UNDO_REMOVAL_HOURS``."""
    require(actor, "plan.edit", session.plan)
    with transaction.atomic():
        session = _locked_session(session)
        if session.status not in lifecycle.OPEN:
            raise InvalidTransition(_("This session is under way; cancel it with a reason instead."))
        plan = _locked_plan(session.plan)
        _touch_plan(actor, plan)
        entry = log_action(
            actor,
            "planning.session.removed",
            plan,
            {
                "title": session.title,
                "topic": session.topic_id,
                "quarter": session.quarter,
                "month": session.month,
                "planned_date": session.planned_date.isoformat() if session.planned_date else None,
                "planned_time": session.planned_time.isoformat() if session.planned_time else None,
                "combined_with_regular": session.combined_with_regular,
                "presenters": sorted(session.presenters.values_list("id", flat=True)),
            },
        )
        session.delete()
    return entry


def removed_sessions(plan: AnnualPlan) -> list[AuditEntry]:
    """The sessions removed from ``plan`` that can still be put back, newest first."""
    since = timezone.now() - timedelta(hours=UNDO_REMOVAL_HOURS)
    entries = AuditEntry.objects.filter(
        action="planning.session.removed",
        content_type=ContentType.objects.get_for_model(AnnualPlan),
        object_id=plan.pk,
        created_at__gte=since,
    ).order_by("-created_at")
    restored = set(
        AuditEntry.objects.filter(
            action="planning.session.restored",
            content_type=ContentType.objects.get_for_model(AnnualPlan),
            object_id=plan.pk,
            created_at__gte=since,
        ).values_list("data__entry", flat=True)
    )
    return [entry for entry in entries if entry.pk not in restored]


def restore_session(*, actor: Any, plan: AnnualPlan, entry_id: int) -> Session:
    """Put back a session removed from ``plan`` less than ``UNDO_REMOVAL_HOURS`` ago, with its
    schedule, topic and the presenters who are still members of the cell."""
    require(actor, "plan.edit", plan)
    entry = next((e for e in removed_sessions(plan) if e.pk == entry_id), None)
    if entry is None:
        raise InvalidTransition(_("This session can no longer be put back; add it to the plan again."))
    data = entry.data
    with transaction.atomic():
        session = add_session(
            actor=actor,
            plan=plan,
            quarter=data["quarter"],
            title=data["title"],
            topic=Topic.objects.filter(pk=data.get("topic")).first() if data.get("topic") else None,
            month=data.get("month"),
            planned_date=date.fromisoformat(data["planned_date"]) if data.get("planned_date") else None,
            planned_time=time.fromisoformat(data["planned_time"]) if data.get("planned_time") else None,
            combined_with_regular=bool(data.get("combined_with_regular")),
        )
        on = session.planned_date or timezone.localdate()
        presenters = list(
            Member.objects.filter(
                pk__in=data.get("presenters") or [],
                memberships__in=Membership.objects.filter(active_q(on=on), organization=plan.cell),
            ).distinct()
        )
        if presenters:
            session = assign_presenters(actor=actor, session=session, members=presenters)
        log_action(actor, "planning.session.restored", plan, {"title": session.title, "entry": entry.pk})
    return session


def _moment(on: date | None) -> datetime:
    """Now, or 08:00 local time on ``on`` when a past step is recorded afterwards (e.g. last year's plan)."""
    if on is None:
        return timezone.now()
    return datetime.combine(on, time(8, 0), tzinfo=timezone.get_current_timezone())


def submit_plan(*, actor: Any, plan: AnnualPlan, on: date | None = None) -> AnnualPlan:
    """Send the plan to the Đảng ủy (from draft or after it was returned), issuing it as a numbered
    document dated ``on`` (today by default)."""
    require(actor, "plan.submit", plan)
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status not in (AnnualPlan.Status.DRAFT, AnnualPlan.Status.RETURNED):
            raise InvalidTransition(_("This plan has already been submitted."))
        if not plan.sessions.exclude(status=Session.Status.CANCELLED).exists():
            raise DomainError(_("Add at least one session before submitting the plan."))
        from planning import exports

        plan.document = exports.issue_plan_document(actor=actor, plan=plan, on=on)
        plan.status = AnnualPlan.Status.SUBMITTED
        plan.submitted_at = _moment(on)
        plan.first_submitted_at = plan.first_submitted_at or plan.submitted_at
        plan.remarks = ""
        plan.save(update_fields=["status", "submitted_at", "first_submitted_at", "remarks", "document"])
        log_action(
            actor,
            "planning.plan.submitted",
            plan,
            {"revision": plan.revision, "symbol": plan.document.symbol if plan.document else ""},
        )
        emit("plan.submitted", plan.cell, _plan_event(plan))
        notify(
            kind=Kind.PLAN_REPORT,
            recipients=officers_above(plan.cell),
            title=site_text(
                _("Plan to acknowledge: %(cell)s, %(year)s"), {"cell": plan.cell.name, "year": plan.year}
            ),
            body=site_text(
                _("The cell has submitted its annual thematic plan (revision %(revision)s)."),
                {"revision": plan.revision},
            ),
            url=_plan_url(plan),
            work_key=workkeys.plan(plan.pk),
        )
    return plan


def acknowledge_plan(*, actor: Any, plan: AnnualPlan, on: date | None = None) -> AnnualPlan:
    """The Đảng ủy acknowledges a submitted plan; its sessions are kept as the acknowledged version."""
    require(actor, "plan.acknowledge", plan)
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status != AnnualPlan.Status.SUBMITTED:
            raise InvalidTransition(_("Only a submitted plan can be acknowledged."))
        plan.status = AnnualPlan.Status.ACKNOWLEDGED
        plan.acknowledged_at = _moment(on)
        plan.acknowledged_snapshot = {"revision": plan.revision, "sessions": _snapshot(plan)}
        plan.save(update_fields=["status", "acknowledged_at", "acknowledged_snapshot"])
        log_action(actor, "planning.plan.acknowledged", plan, {"revision": plan.revision})
        emit("plan.acknowledged", plan.cell, _plan_event(plan))
        notify_members(
            kind=Kind.PLAN_REPORT,
            members=cell_leader_members(plan.cell),
            title=site_text(_("Plan acknowledged: %(year)s"), {"year": plan.year}),
            body=site_text(_("The Party committee acknowledged the annual thematic plan.")),
            url=_plan_url(plan),
        )
    return plan


def return_plan(*, actor: Any, plan: AnnualPlan, remarks: str) -> AnnualPlan:
    """The Đảng ủy returns a submitted plan with remarks the secretary must see."""
    require(actor, "plan.return", plan)
    remarks = remarks.strip()
    if not remarks:
        raise DomainError(_("Write the remarks the cell should act on."), field="remarks")
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status != AnnualPlan.Status.SUBMITTED:
            raise InvalidTransition(_("Only a submitted plan can be returned."))
        plan.status = AnnualPlan.Status.RETURNED
        plan.remarks = remarks
        plan.save(update_fields=["status", "remarks"])
        log_action(actor, "planning.plan.returned", plan, {"remarks": remarks})
        emit("plan.returned", plan.cell, _plan_event(plan))
        notify_members(
            kind=Kind.PLAN_REPORT,
            members=cell_leader_members(plan.cell),
            title=site_text(_("Plan returned with remarks: %(year)s"), {"year": plan.year}),
            body=remarks,
            url=_plan_url(plan),
        )
    return plan


# --- Presenters and registrations ------------------------------------------------------------


def _check_presenter(session: Session, member: Member) -> None:
    on = session.planned_date or timezone.localdate()
    if not Membership.objects.filter(active_q(on=on), member=member, organization=session.cell).exists():
        raise DomainError(
            _("%(name)s is not a member of this cell.") % {"name": member.full_name}, field="members"
        )


def assign_presenters(*, actor: Any, session: Session, members: list[Member]) -> Session:
    """Set who prepares and presents the session (the secretary may override any suggestion).

    Presenters are part of the plan's execution, not of its schedule: changing them does not open a
    new plan revision, but is logged."""
    require(actor, "session.manage", session)
    with transaction.atomic():
        session = _locked_session(session)
        if session.status not in lifecycle.OPEN:
            raise InvalidTransition(_("Presenters can be changed only before the draft is written."))
        for member in members:
            _check_presenter(session, member)
        current = set(session.presenters.values_list("id", flat=True))
        wanted = {m.pk for m in members}
        if current == wanted:
            return session
        Assignment.objects.filter(session=session).exclude(member_id__in=wanted).delete()
        for member in members:
            if member.pk not in current:
                Assignment.objects.create(session=session, member=member, assigned_by=actor)
        if wanted and session.status == Session.Status.PLANNED:
            lifecycle.advance(session, "assign", actor=actor)
        elif not wanted and session.status == Session.Status.ASSIGNED:
            lifecycle.advance(session, "unassign", actor=actor)
        log_action(
            actor,
            "planning.session.presenters_set",
            session,
            {"names": ", ".join(m.full_name for m in members) or "—"},
        )
        notify_members(
            kind=Kind.ASSIGNMENT,
            members=[m for m in members if m.pk not in current],
            title=site_text(_("You present: %(title)s"), {"title": session.title}),
            body=site_text(
                _("You were assigned to prepare and present this thematic session; see its deadlines.")
            ),
            url=_session_url(session),
            work_key=lifecycle.step_key(session, "start_drafting"),
        )
    return session


def register(
    *,
    actor: Any,
    member: Member,
    cell: Organization,
    session: Session | None = None,
    topic: Topic | None = None,
    note: str = "",
) -> Registration:
    """A member of ``cell`` registers to present one of its sessions (an open slot) or a topic."""
    require(actor, "cell.register", cell)
    if session is None and topic is None:
        raise DomainError(_("Choose a session or a topic to register for."), field="session")
    if session is not None:
        if session.cell_id != cell.pk:
            raise DomainError(_("This session belongs to another cell."), field="session")
        if session.status not in lifecycle.OPEN:
            raise InvalidTransition(_("This session no longer takes registrations."))
        if session.presenters.filter(pk=member.pk).exists():
            raise DomainError(_("You are already assigned to this session."), field="session")
    if not member.memberships.filter(active_q(), organization=cell).exists():
        raise DomainError(_("%(name)s is not a member of this cell.") % {"name": member.full_name})
    registration = Registration(member=member, cell=cell, session=session, topic=topic, note=note.strip())
    registration.full_clean()
    with transaction.atomic():
        registration.save()
        log_action(
            actor,
            "planning.registration.created",
            registration,
            {"title": session.title if session else topic.title if topic else ""},
        )
    return registration


def accept_registration(
    *, actor: Any, registration: Registration, session: Session | None = None, quarter: int | None = None
) -> Registration:
    """Accept a registration: the member becomes a presenter of the session they chose, of an open
    session the secretary picks, or of a new session for the registered topic in ``quarter``."""
    require(actor, "registration.decide", registration)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("member", "topic")
            .get(pk=registration.pk)
        )
        if registration.status != Registration.Status.PENDING:
            raise InvalidTransition(_("This registration has already been decided."))
        target = registration.session or session
        if target is None:
            if quarter is None or registration.topic is None:
                raise DomainError(_("Choose the session, or the quarter for a new session."), field="session")
            plan = AnnualPlan.objects.filter(cell=registration.cell, year=timezone.localdate().year).first()
            if plan is None:
                raise DomainError(_("Create this year's plan first."))
            target = add_session(actor=actor, plan=plan, quarter=quarter, topic=registration.topic)
        elif registration.topic is not None and target.topic_id is None:
            target.topic = registration.topic
            target.save(update_fields=["topic"])
        presenters = list(target.presenters.all())
        assign_presenters(actor=actor, session=target, members=[*presenters, registration.member])
        registration.status = Registration.Status.ACCEPTED
        registration.session = target
        registration.decided_at = timezone.now()
        registration.save(update_fields=["status", "session", "decided_at"])
        log_action(actor, "planning.registration.accepted", registration, {"title": target.title})
        notify_members(
            kind=Kind.ASSIGNMENT,
            members=[registration.member],
            title=site_text(_("Registration accepted: %(title)s"), {"title": target.title}),
            body=site_text(_("The secretary accepted your registration; you present this session.")),
            url=_session_url(target),
            work_key=lifecycle.step_key(target, "start_drafting"),
        )
    return registration


def decline_registration(*, actor: Any, registration: Registration, reason: str) -> Registration:
    """Decline a registration; the member sees the reason."""
    require(actor, "registration.decide", registration)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason so that the member understands the decision."), field="reason")
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.PENDING:
            raise InvalidTransition(_("This registration has already been decided."))
        registration.status = Registration.Status.DECLINED
        registration.decision_reason = reason
        registration.decided_at = timezone.now()
        registration.save(update_fields=["status", "decision_reason", "decided_at"])
        log_action(actor, "planning.registration.declined", registration, {"reason": reason})
        notify_members(
            kind=Kind.ASSIGNMENT,
            members=[registration.member],
            title=site_text(_("Registration declined")),
            body=reason,
            url=reverse_topics(),
        )
    return registration


# --- Postponing and cancelling ---------------------------------------------------------------


def postpone_session(*, actor: Any, session: Session, new_date: date, reason: str) -> Session:
    """Move a session to a later date with a reason (logged; the Đảng ủy sees it on the plan).

    The session keeps its stage: a draft already approved stays approved."""
    require(actor, "session.postpone", session)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for postponing."), field="reason")
    with transaction.atomic():
        session = _locked_session(session)
        if session.status in lifecycle.FINISHED:
            raise InvalidTransition(_("This session can no longer be postponed."))
        if session.planned_date is not None and new_date <= session.planned_date:
            raise DomainError(_("The new date must be after the planned date."), field="new_date")
        if new_date < timezone.localdate():
            raise DomainError(_("The new date cannot be in the past."), field="new_date")
        if new_date.year != session.plan.year:
            raise DomainError(
                _(
                    "The new date must be in %(year)s, the year of the plan. To hold it next year, cancel it "
                    "here and add it to next year's plan."
                )
                % {"year": session.plan.year},
                field="new_date",
            )
        old = session.planned_date
        if session.postponed_from is None:
            session.postponed_from = old
        session.planned_date = new_date
        session.month = new_date.month
        session.quarter = quarter_of(new_date.month)
        session.postponed_reason = reason
        session.save(update_fields=["planned_date", "month", "quarter", "postponed_from", "postponed_reason"])
        log_action(
            actor,
            "planning.session.postponed",
            session,
            {
                "from": old.strftime("%d/%m/%Y") if old else "—",
                "to": new_date.strftime("%d/%m/%Y"),
                "reason": reason,
            },
        )
        emit("session.postponed", session.cell, session_event(session))
        notify_members(
            kind=Kind.SESSION_CHANGED,
            members=_told_of_changes(session),
            title=site_text(
                _("Session postponed to %(date)s: %(title)s"),
                {"date": new_date.strftime("%d/%m/%Y"), "title": session.title},
            ),
            body=reason,
            url=_session_url(session),
        )
    return session


def cancel_session(*, actor: Any, session: Session, reason: str) -> Session:
    """Cancel a session with a reason (kept in the plan as cancelled, never deleted)."""
    require(actor, "session.cancel", session)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for cancelling."), field="reason")
    with transaction.atomic():
        session = _locked_session(session)
        if session.status in lifecycle.FINISHED:
            raise InvalidTransition(_("This session can no longer be cancelled."))
        session.cancelled_reason = reason
        lifecycle.advance(session, "cancel", actor=actor, data={"reason": reason}, also=["cancelled_reason"])
        emit("session.cancelled", session.cell, session_event(session))
        notify_members(
            kind=Kind.SESSION_CHANGED,
            members=_told_of_changes(session),
            title=site_text(_("Session cancelled: %(title)s"), {"title": session.title}),
            body=reason,
            url=_session_url(session),
        )
    return session
