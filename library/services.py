"""Every change to model sessions: registering, approving or declining, withdrawing, publishing, adopting.

Each function checks permission and state (typed domain errors with translatable messages), writes in
one transaction with the rows it changes locked, logs the change and notifies the people who act next
(the texts in the site's language; e-mails leave after commit).
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workkeys
from core.audit import log_action
from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.permissions import require
from library import package, permissions
from library.models import Adoption, ModelSession
from notifications.kinds import Kind
from notifications.services import notify, notify_members, site_text
from notifications.webhooks import emit
from organizations.models import Member, Organization
from organizations.selectors import cell_leader_members, leader_members_under, officers_above
from planning import services as planning
from planning.models import AnnualPlan, Session

NOTE_MAX = 2000
REASON_MAX = ModelSession._meta.get_field("reason").max_length or 500


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _locked(model: ModelSession) -> ModelSession:
    return (
        ModelSession.objects.select_for_update(of=("self",))
        .select_related("session__plan", "session__topic__group", "cell", "party")
        .get(pk=model.pk)
    )


def party_of(cell: Organization) -> Organization | None:
    """The nearest Đảng bộ above a cell: its Đảng ủy approves the cell's model sessions."""
    node = cell.parent
    while node is not None and node.kind != Organization.Kind.PARTY_COMMITTEE:
        node = node.parent
    return node


def _model_url(model: ModelSession) -> str:
    return reverse("library:detail", args=[model.pk])


def _but_actor(leaders: QuerySet[Member], actor: Any) -> QuerySet[Member]:
    """The cell leaders to tell, except the actor (who knows what they did)."""
    return leaders.exclude(user=actor) if getattr(actor, "pk", None) else leaders


def _tell_officers(
    party: Organization, actor: Any, title: str, body: str, url: str, work_key: str = ""
) -> None:
    """Tell the users serving the Đảng ủy of ``party`` or of an organisation above it, but the actor."""
    users = [u for u in officers_above(party, include_self=True) if u.pk != getattr(actor, "pk", None)]
    notify(recipients=users, title=title, body=body, url=url, kind=Kind.LIBRARY, work_key=work_key)


# --- Registering with the Đảng ủy ----------------------------------------------------------------


def register_model(*, actor: Any, session: Session, note: str = "") -> ModelSession:
    """The cell registers one of its sessions as a model session with the Đảng ủy of its Đảng bộ,
    which is asked to approve it."""
    require(actor, "model.register", session)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise DomainError(_("Keep the note under %(n)s characters.") % {"n": NOTE_MAX}, field="note")
    with transaction.atomic():
        session = (
            Session.objects.select_for_update(of=("self",))
            .select_related("cell__parent", "plan")
            .get(pk=session.pk)
        )
        if session.status == Session.Status.CANCELLED:
            raise InvalidTransition(_("This session was cancelled; it cannot be a model session."))
        party = party_of(session.cell)
        if party is None:
            raise DomainError(
                _("This cell belongs to no Party organisation whose committee could approve it.")
            )
        if ModelSession.objects.filter(session=session, status__in=ModelSession.LIVE_STATUSES).exists():
            raise InvalidTransition(_("This session is already registered as a model session."))
        model = ModelSession.objects.create(
            session=session,
            cell=session.cell,
            party=party,
            note=note,
            registered_by=_user(actor),
            registered_at=timezone.now(),
        )
        log_action(actor, "library.model.registered", model, {"cell": session.cell.name})
        log_action(actor, "library.session.registered", session, {"party": party.name})
        _tell_officers(
            party,
            actor,
            site_text(_("Model session to approve: %(title)s"), {"title": session.title}),
            site_text(_("%(cell)s registered this session as a model session."), {"cell": session.cell.name}),
            _model_url(model),
            workkeys.model_session(model.pk),
        )
    return model


def approve_model(*, actor: Any, model: ModelSession) -> ModelSession:
    """The Đảng ủy approves a registered model session; the cell holds it and then publishes it."""
    require(actor, "model.approve", model)
    with transaction.atomic():
        model = _locked(model)
        if model.status != ModelSession.Status.REGISTERED:
            raise InvalidTransition(
                _("Only a registered model session waiting for approval can be approved.")
            )
        model.status = ModelSession.Status.APPROVED
        model.decided_by, model.decided_at = _user(actor), timezone.now()
        model.save(update_fields=["status", "decided_by", "decided_at"])
        log_action(actor, "library.model.approved", model)
        notify_members(
            kind=Kind.LIBRARY,
            members=_but_actor(cell_leader_members(model.cell), actor),
            title=site_text(_("Model session approved: %(title)s"), {"title": model.session.title}),
            body=site_text(
                _(
                    "The Party committee approved it as a model session. Once it is held and evaluated, "
                    "publish it to the library for the other cells."
                )
            ),
            url=_model_url(model),
        )
    return model


def decline_model(*, actor: Any, model: ModelSession, reason: str) -> ModelSession:
    """The Đảng ủy declines a model session (still waiting, or approved but not yet published), with
    the reason the cell will read."""
    require(actor, "model.decline", model)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason so that the cell understands the decision."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}, field="reason")
    with transaction.atomic():
        model = _locked(model)
        if model.status not in (ModelSession.Status.REGISTERED, ModelSession.Status.APPROVED):
            raise InvalidTransition(_("Only a model session not yet published can be declined."))
        model.status = ModelSession.Status.DECLINED
        model.reason = reason
        model.decided_by, model.decided_at = _user(actor), timezone.now()
        model.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        log_action(actor, "library.model.declined", model, {"reason": reason})
        notify_members(
            kind=Kind.LIBRARY,
            members=_but_actor(cell_leader_members(model.cell), actor),
            title=site_text(_("Model session declined: %(title)s"), {"title": model.session.title}),
            body=reason,
            url=_model_url(model),
        )
    return model


def withdraw_model(*, actor: Any, model: ModelSession, reason: str) -> ModelSession:
    """The cell withdraws its registration before publication (the session was cancelled, or will not
    be the model the cell hoped for); the Đảng ủy is told why."""
    require(actor, "model.withdraw", model)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the cell withdraws it."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}, field="reason")
    with transaction.atomic():
        model = _locked(model)
        if model.status not in (ModelSession.Status.REGISTERED, ModelSession.Status.APPROVED):
            raise InvalidTransition(_("Only a model session not yet published can be withdrawn."))
        model.status = ModelSession.Status.WITHDRAWN
        model.reason = reason
        model.save(update_fields=["status", "reason"])
        log_action(actor, "library.model.withdrawn", model, {"reason": reason})
        _tell_officers(
            model.party,
            actor,
            site_text(_("Model session withdrawn: %(title)s"), {"title": model.session.title}),
            reason,
            _model_url(model),
        )
    return model


# --- Publishing ----------------------------------------------------------------------------------


def publish_problems(model: ModelSession) -> list[str]:
    """Why the model cannot be published yet (empty when it can)."""
    found: list[str] = []
    if model.status != ModelSession.Status.APPROVED:
        found.append(str(_("The Party committee must approve the model session first.")))
    return found + package.problems(model.session)


def publish_model(*, actor: Any, model: ModelSession) -> ModelSession:
    """Publish an approved model session once it is held and evaluated: its package is frozen and every
    cell of the Đảng bộ can read it in the library; their secretaries are told."""
    require(actor, "model.publish", model)
    with transaction.atomic():
        model = _locked(model)
        if model.status == ModelSession.Status.PUBLISHED:
            raise InvalidTransition(_("This model session is already published."))
        if model.status != ModelSession.Status.APPROVED:
            raise InvalidTransition(_("The Party committee must approve the model session first."))
        # The session cannot be re-evaluated while its package is taken.
        session = (
            Session.objects.select_for_update(of=("self",))
            .select_related("plan", "cell", "topic__group")
            .get(pk=model.session_id)
        )
        problems = package.problems(session)
        if problems:
            raise InvalidTransition(" ".join(problems))
        model.package = package.build(session)
        model.status = ModelSession.Status.PUBLISHED
        model.published_by, model.published_at = _user(actor), timezone.now()
        model.save(update_fields=["package", "status", "published_by", "published_at"])
        log_action(actor, "library.model.published", model)
        log_action(actor, "library.session.published", session)
        emit(
            "model_session.published",
            model.cell,
            {
                "id": model.pk,
                "kind": "model_session",
                "title": model.title,
                "url": _model_url(model),
                "year": session.plan.year,
                "quarter": session.quarter,
            },
        )
        notify_members(
            kind=Kind.LIBRARY,
            members=_but_actor(leader_members_under(model.party), actor),
            title=site_text(_("New model session in the library: %(title)s"), {"title": model.title}),
            body=site_text(
                _(
                    "%(cell)s published its model session: the final text, the minutes, the resolution and "
                    "the lessons. Your cell can adopt it into its plan."
                ),
                {"cell": model.cell.name},
            ),
            url=_model_url(model),
        )
    return model


# --- Adopting ------------------------------------------------------------------------------------


def adoption_years(today: Any = None) -> list[int]:
    """A model is adopted into this year's plan (a quarter not over yet) or next year's."""
    today = today or timezone.localdate()
    return [today.year, today.year + 1]


def _check_period(year: int, quarter: int) -> None:
    today = timezone.localdate()
    if year not in adoption_years(today):
        raise DomainError(
            _("Choose %(this)s or %(next)s.") % {"this": today.year, "next": today.year + 1}, field="year"
        )
    if quarter not in (1, 2, 3, 4):
        raise DomainError(_("Choose a quarter from 1 to 4."), field="quarter")
    if year == today.year and quarter < planning.quarter_of(today.month):
        raise DomainError(
            _("Quarter %(quarter)s of %(year)s is over; choose a quarter still ahead.")
            % {"quarter": quarter, "year": year},
            field="quarter",
        )


def _catalogue_topic(model: ModelSession, cell: Organization) -> Any:
    """The model's topic when it comes from a catalogue the adopting cell uses (its Đảng bộ's or one
    above); a topic another cell proposed stays that cell's, and the new session carries its title."""
    topic = model.session.topic
    if topic is None:
        return None
    return topic if topic.organization_id in cell.ancestor_ids() else None


def live_adoption(model: ModelSession, cell: Organization, year: int) -> Adoption | None:
    """The cell's adoption of the model for ``year`` whose session is still in its plan."""
    return (
        Adoption.objects.filter(model=model, cell=cell, year=year, session__isnull=False)
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session")
        .first()
    )


def adopt_model(*, actor: Any, model: ModelSession, cell: Organization, year: int, quarter: int) -> Adoption:
    """Another cell adopts a published model in one step: a session on the model's topic is added to
    its plan for ``year`` in ``quarter``, linked to the model (its materials); the Đảng ủy and the
    model's cell are told.

    The rule: a cell does not adopt its own model (it has held it), and adopts a model at most once a
    year; after cancelling or removing that session it may adopt it again. When the cell has no plan
    for the year yet, one is started (as a draft, for the secretary to complete and submit): refusing
    would only send them to create an empty plan first. A plan waiting for the Đảng ủy cannot change
    (planning's rule), and adding to an acknowledged one opens its next revision."""
    require(actor, "model.adopt", model)
    if actor is not None and not permissions.manages_cell(actor, cell.pk):
        raise PermissionDenied(_("You can adopt a model session only for a cell you lead."))
    if cell.kind != Organization.Kind.CELL or not cell.path.startswith(model.party.path):
        raise DomainError(_("Choose a cell of this Party organisation."), field="cell")
    if cell.pk == model.cell_id:
        raise DomainError(_("This is your cell's own model session: it has held it already."), field="cell")
    _check_period(year, quarter)
    with transaction.atomic():
        model = _locked(model)
        if model.status != ModelSession.Status.PUBLISHED:
            raise InvalidTransition(_("Only a published model session can be adopted."))
        existing = live_adoption(model, cell, year)
        if existing is not None:
            raise DomainError(
                _("%(cell)s already adopted this model for %(year)s (quarter %(quarter)s).")
                % {"cell": cell.name, "year": year, "quarter": existing.quarter},
                field="year",
            )
        plan = AnnualPlan.objects.filter(cell=cell, year=year).first()
        plan_created = plan is None
        if plan is None:
            plan = planning.create_plan(actor=actor, cell=cell, year=year)
        session = planning.add_session(
            actor=actor,
            plan=plan,
            quarter=quarter,
            title=model.title,
            topic=_catalogue_topic(model, cell),
        )
        adoption = Adoption.objects.create(
            model=model,
            cell=cell,
            session=session,
            year=year,
            quarter=quarter,
            plan_created=plan_created,
            adopted_by=_user(actor),
            adopted_at=timezone.now(),
        )
        data = {"cell": cell.name, "year": year, "quarter": quarter}
        log_action(actor, "library.model.adopted", model, data)
        log_action(actor, "library.session.adopted", session, {"cell": model.cell.name})
        title = site_text(
            _("%(cell)s adopts the model session: %(title)s"),
            {"cell": cell.name, "title": model.title},
        )
        body = site_text(
            _("Planned for quarter %(quarter)s of %(year)s."), {"quarter": quarter, "year": year}
        )
        notify_members(
            kind=Kind.LIBRARY,
            members=_but_actor(cell_leader_members(model.cell), actor),
            title=title,
            body=body,
            url=_model_url(model),
        )
        _tell_officers(model.party, actor, title, body, _model_url(model))
    return adoption
