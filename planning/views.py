"""Annual plans, sessions, presenters, registrations, the topic catalogue and the oversight page.

Thin views: fetch through ``permissions``, validate a form, call one service, redirect or render."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from core import pages
from core.audit import history
from core.web import attachment, deny_unless, form_errors, get_visible_or_404, run_service, submit_and_report
from organizations.models import Member, Membership, Organization, path_ids
from organizations.permissions import active_q, scope_for, visible_organizations
from planning import hooks, lifecycle, permissions, rules, selectors, services
from planning.forms import (
    AcceptForm,
    PlanForm,
    PostponeForm,
    PresentersForm,
    ReasonForm,
    RegistrationForm,
    RemarksForm,
    SessionForm,
    TopicForm,
)
from planning.models import AnnualPlan, Registration, Session, Topic, TopicGroup

PAGE_SIZE = 50  # rows of a list page (issue 12: no officer page grows with the number of cells)


def _plan(request: HttpRequest, pk: int) -> AnnualPlan:
    return get_visible_or_404(
        permissions.visible_plans(request.user).select_related("cell__parent", "document"), pk=pk
    )


def _session(request: HttpRequest, pk: int) -> Session:
    return get_visible_or_404(
        permissions.visible_sessions(request.user).select_related("plan", "cell__parent", "topic__group"),
        pk=pk,
    )


# --- Plans -----------------------------------------------------------------------------------


def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans the user may open, 50 a page in a stable order (newest year, then cell name),
    narrowed by year, state and cell name; the cells the user may start a plan for; the Đảng bộ
    whose oversight page they open (only the top ones they serve: the page drills down from there)."""
    plans = permissions.visible_plans(request.user).select_related("cell")
    years = list(plans.order_by("-year").values_list("year", flat=True).distinct())
    year = request.GET.get("nam", "")
    if year.isdigit():
        plans = plans.filter(year=int(year))
    state = request.GET.get("trang-thai", "")
    if state in AnnualPlan.Status.values:
        plans = plans.filter(status=state)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        plans = plans.filter(cell__name__icontains=query)
    page = Paginator(plans.order_by("-year", Lower("cell__name"), "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    scope = scope_for(request.user)
    managed = Organization.objects.filter(pk__in=scope.managed_cell_ids, kind=Organization.Kind.CELL)
    parties = Organization.objects.filter(kind=Organization.Kind.PARTY_COMMITTEE)
    overseen = (
        parties.filter(parent__isnull=True)
        if scope.is_admin
        else parties.filter(path__in=scope.officer_paths)
    )
    return render(
        request,
        "planning/plan_list.html",
        {
            "page": page,
            "plans": page.object_list,
            "years": years,
            "year": year,
            "states": AnnualPlan.Status.choices,
            "state": state,
            "query": query,
            "filtered": bool(year or state or query),
            "managed": managed,
            "overseen": overseen.order_by("path"),
            "this_year": timezone.localdate().year,
        },
    )


def plan_create(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell = get_visible_or_404(visible_organizations(request.user), pk=cell_pk)
    deny_unless(request.user, "plan.create", cell)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        plan = run_service(
            form, lambda: services.create_plan(actor=request.user, cell=cell, **form.cleaned_data)
        )
        if plan is not None:
            return redirect("planning:plan", plan.pk)
    return render(request, "planning/form.html", {"form": form, "title": _("New annual plan"), "cell": cell})


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    sessions = selectors.plan_sessions(plan)
    params = plan.cell.effective_rule_set().params
    quarters = [
        {
            "n": q,
            "sessions": [(s, rules.deadlines(s.planned_date, params)) for s in sessions if s.quarter == q],
        }
        for q in (1, 2, 3, 4)
    ]
    can_edit = permissions.can(request.user, "plan.edit", plan)
    can_review = permissions.can(request.user, "plan.acknowledge", plan)
    context = {
        "plan": plan,
        "quarters": quarters,
        "warnings": selectors.warnings_for(plan, sessions),
        "changes": selectors.revision_changes(plan, sessions),
        "can_edit": can_edit and plan.is_editable,
        "can_submit": can_edit and plan.status in (AnnualPlan.Status.DRAFT, AnnualPlan.Status.RETURNED),
        "can_review": can_review and plan.status == AnnualPlan.Status.SUBMITTED,
        "remarks_form": RemarksForm(),
        "history": history(plan),
        "removed": services.removed_sessions(plan) if can_edit else [],
        "undo_hours": services.UNDO_REMOVAL_HOURS,
    }
    return render(request, "planning/plan_detail.html", context)


@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    deny_unless(request.user, "plan.submit", plan)
    submit_and_report(
        request,
        forms.Form(request.POST),  # a confirmation: nothing to fill in
        lambda data: services.submit_plan(actor=request.user, plan=plan),
        _("The plan was sent to the Party committee."),
    )
    return redirect("planning:plan", plan.pk)


@require_POST
def plan_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    deny_unless(request.user, "plan.acknowledge", plan)
    submit_and_report(
        request,
        forms.Form(request.POST),  # a confirmation: nothing to fill in
        lambda data: services.acknowledge_plan(actor=request.user, plan=plan),
        _("The plan was acknowledged."),
    )
    return redirect("planning:plan", plan.pk)


@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    deny_unless(request.user, "plan.return", plan)
    submit_and_report(
        request,
        RemarksForm(request.POST),
        lambda data: services.return_plan(actor=request.user, plan=plan, remarks=data["remarks"]),
        _("The plan was returned to the cell with your remarks."),
    )
    return redirect("planning:plan", plan.pk)


def plan_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    from planning import exports

    plan = _plan(request, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    return attachment(*exports.export_plan(plan, fmt))


# --- Sessions --------------------------------------------------------------------------------


def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    deny_unless(request.user, "plan.edit", plan)
    form = SessionForm(request.POST or None, topics=selectors.topics_for(plan.cell))
    if request.method == "POST" and form.is_valid():
        session = run_service(
            form, lambda: services.add_session(actor=request.user, plan=plan, **form.cleaned_data)
        )
        if session is not None:
            messages.success(request, _("The session was added to the plan."))
            return redirect("planning:session", session.pk)
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": _("Add a session"), "plan": plan, "cell": plan.cell},
    )


def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "plan.edit", session.plan)
    initial = {
        "topic": session.topic,
        "title": session.title,
        "quarter": session.quarter,
        "month": session.month,
        "planned_date": session.planned_date,
        "planned_time": session.planned_time,
        "combined_with_regular": session.combined_with_regular,
    }
    form = SessionForm(request.POST or None, initial=initial, topics=selectors.topics_for(session.cell))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["title"] = data["title"] or (data["topic"].title if data["topic"] else session.title)
        changed = run_service(
            form, lambda: services.update_session(actor=request.user, session=session, data=data)
        )
        if changed is not None:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
            return redirect("planning:session", session.pk)
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": _("Change the session"), "plan": session.plan, "cell": session.cell},
    )


@require_POST
def session_remove(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "plan.edit", session.plan)
    plan_pk = session.plan_id
    if submit_and_report(
        request,
        forms.Form(request.POST),  # a confirmation: nothing to fill in
        lambda data: services.remove_session(actor=request.user, session=session),
        _("The session was removed from the plan."),
    ):
        return redirect("planning:plan", plan_pk)
    return redirect("planning:session", session.pk)


@require_POST
def session_restore(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    deny_unless(request.user, "plan.edit", plan)
    form = forms.Form(request.POST)  # a confirmation: nothing to fill in
    restored = run_service(
        form, lambda: services.restore_session(actor=request.user, plan=plan, entry_id=entry_pk)
    )
    if restored is None:
        messages.error(request, form_errors(form))
        return redirect("planning:plan", plan.pk)
    messages.success(request, _("The session is back in the plan."))
    return redirect("planning:session", restored.pk)


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Everything the page shows belongs to the session's cell (its meeting, evaluation, lessons,
    # history) or to the organisations and rule sets (the frame's tokens): kept rendered per viewer.
    # Answering from the cache needs only the cell, through the same visibility check; the session
    # and all it joins are read when the page is rendered.
    cell_id = (
        permissions.visible_sessions(request.user).filter(pk=pk).values_list("cell_id", flat=True).first()
    )
    if cell_id is None:
        raise Http404
    return pages.render(
        request,
        "planning/session_detail.html",
        [f"cell:{cell_id}"],
        lambda: _session_context(request, _session(request, pk)),
    )


def _session_context(request: HttpRequest, session: Session) -> dict[str, Any]:
    can_manage = permissions.can(request.user, "session.manage", session)
    scope = scope_for(request.user)
    params = session.cell.effective_rule_set().params
    registrations = selectors.session_registrations(request.user, session, manages=can_manage)
    context: dict[str, Any] = {
        "session": session,
        "presenters": list(session.presenters.order_by("full_name")),
        "deadlines": rules.deadlines(session.planned_date, params),
        "can_manage": can_manage,
        # Registering to present makes sense only while nobody is assigned.
        "can_register": permissions.can(request.user, "cell.register", session.cell)
        and session.status == Session.Status.PLANNED
        and not any(r.member_id == scope.member_id and r.status == "pending" for r in registrations),
        "registrations": registrations,
        "can_postpone": can_manage and session.status not in lifecycle.FINISHED,
        "can_choose_presenters": can_manage and session.status in lifecycle.OPEN,
        "history": history(session),
        "undo_hours": services.UNDO_REMOVAL_HOURS,
    }
    # The meeting (meetings); the evaluation and lessons (evaluations).
    context.update(hooks.session_page(request.user, session))
    # Where the session is in its cycle and what next: the lifecycle table, with the meeting if any.
    context.update(
        cycle=lifecycle.steps(session),
        progress=lifecycle.progress(session),
        next_actions=lifecycle.next_actions(request.user, session, context.get("meeting")),
    )
    if can_manage:
        members = Member.objects.filter(
            active_q("memberships__"),
            memberships__organization=session.cell,
            memberships__kind=Membership.Kind.REGULAR,
        ).order_by("full_name")
        context.update(
            # Suggestions help choose the first presenter; afterwards the folded form changes them.
            suggestions=(
                selectors.suggestions_for(session) if session.status == Session.Status.PLANNED else []
            ),
            presenters_form=PresentersForm(initial={"members": context["presenters"]}, members=members),
            postpone_form=PostponeForm(),
            cancel_form=ReasonForm(),
        )
    return context


@require_POST
def session_presenters(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "session.manage", session)
    members = selectors.presenter_choices(session.cell)
    submit_and_report(
        request,
        PresentersForm(request.POST, members=members),
        lambda data: services.assign_presenters(
            actor=request.user, session=session, members=list(data["members"])
        ),
        _("Presenters saved."),
    )
    return redirect("planning:session", session.pk)


@require_POST
def session_postpone(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "session.postpone", session)
    submit_and_report(
        request,
        PostponeForm(request.POST),
        lambda data: services.postpone_session(actor=request.user, session=session, **data),
        _("The session was postponed."),
    )
    return redirect("planning:session", session.pk)


@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "session.cancel", session)
    submit_and_report(
        request,
        ReasonForm(request.POST),
        lambda data: services.cancel_session(actor=request.user, session=session, **data),
        _("The session was cancelled."),
    )
    return redirect("planning:session", session.pk)


# --- Registrations ---------------------------------------------------------------------------


def _my_member(request: HttpRequest) -> Member:
    member = selectors.acting_member(request.user)
    if member is None:
        raise PermissionDenied
    return member


def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "cell.register", session.cell)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.register(
                actor=request.user,
                member=_my_member(request),
                cell=session.cell,
                session=session,
                **form.cleaned_data,
            ),
        )
        if done is not None:
            messages.success(request, _("Your registration was sent to the secretary."))
            return redirect("planning:session", session.pk)
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": _("Register to present"), "subtitle": session.title, "cell": session.cell},
    )


def topic_register(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_visible_or_404(permissions.visible_topics(request.user).select_related("group"), pk=pk)
    member = _my_member(request)
    cell = selectors.registering_cell(member)
    if cell is None:
        raise PermissionDenied
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.register(
                actor=request.user, member=member, cell=cell, topic=topic, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("Your registration was sent to the secretary."))
            return redirect("planning:topics")
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": _("Register to present a topic"), "subtitle": topic.title, "cell": cell},
    )


def registration_accept(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_visible_or_404(
        Registration.objects.filter(cell__in=visible_organizations(request.user)).select_related(
            "member", "topic", "session", "cell"
        ),
        pk=pk,
    )
    deny_unless(request.user, "registration.decide", registration)
    open_sessions = selectors.sessions_to_accept_into(registration.cell)
    # A registration for a session needs no choice; one for a topic needs a session or a quarter.
    # An empty POST is a valid answer here, so bind on the method rather than on "request.POST or None".
    form = AcceptForm(request.POST if request.method == "POST" else None, sessions=open_sessions)
    if registration.session_id is not None:
        form.fields = {}
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.accept_registration(
                actor=request.user,
                registration=registration,
                session=form.cleaned_data.get("session"),
                quarter=form.cleaned_data.get("quarter"),
            ),
        )
        if done is not None:
            messages.success(
                request, _("Accepted: %(name)s is now a presenter.") % {"name": registration.member}
            )
            return redirect("planning:session", done.session_id)
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": _("Accept the registration"),
            "subtitle": f"{registration.member} · {registration.session or registration.topic}",
            "cell": registration.cell,
        },
    )


def registration_decline(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_visible_or_404(
        Registration.objects.filter(cell__in=visible_organizations(request.user)).select_related(
            "member", "cell"
        ),
        pk=pk,
    )
    deny_unless(request.user, "registration.decide", registration)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.decline_registration(
                actor=request.user, registration=registration, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The registration was declined."))
            return redirect("home:home")
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": _("Decline the registration"),
            "subtitle": registration.member,
            "cell": registration.cell,
        },
    )


# --- Catalogue, orientation, oversight -------------------------------------------------------


def topics(request: HttpRequest) -> HttpResponse:
    from planning.models import Orientation

    scope = scope_for(request.user)
    year = timezone.localdate().year
    visible = permissions.visible_topics(request.user).select_related("group", "organization", "proposed_by")
    parties = [
        party
        for party in visible_organizations(request.user).filter(kind=Organization.Kind.PARTY_COMMITTEE)
        if permissions.can(request.user, "catalogue.edit", party)
    ]
    # The Đảng ủy sees every group of its catalogue, empty ones too, to edit them.
    groups: dict[TopicGroup, list[Topic]] = {
        group: [] for party in parties for group in services.ensure_topic_groups(party)
    }
    for topic in visible.order_by("group__order", "title"):
        groups.setdefault(topic.group, []).append(topic)
    asked = set(
        Orientation.topics.through.objects.filter(orientation__year=year, topic__in=visible).values_list(
            "topic_id", flat=True
        )
    )
    cells = Organization.objects.filter(pk__in=scope.cell_ids, kind=Organization.Kind.CELL)
    context = {
        "groups": groups,
        "asked": asked,
        "year": year,
        "can_register": scope.member_id is not None and bool(scope.cell_ids),
        "cells": cells,
        "parties": parties,
        "editable_groups": {g.pk for g in groups if permissions.can(request.user, "topic_group.edit", g)},
    }
    return render(request, "planning/topics.html", context)


def topic_propose(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell = get_visible_or_404(visible_organizations(request.user), pk=cell_pk)
    deny_unless(request.user, "topic.propose", cell)
    form = TopicForm(request.POST or None, groups=selectors.proposable_groups(cell))
    if request.method == "POST" and form.is_valid():
        proposer = selectors.topic_proposer(request.user, cell)
        topic = run_service(
            form,
            lambda: services.create_topic(
                actor=request.user, organization=cell, proposed_by=proposer, **form.cleaned_data
            ),
        )
        if topic is not None:
            messages.success(request, _("The topic was added to the catalogue."))
            return redirect("planning:topics")
    return render(request, "planning/form.html", {"form": form, "title": _("Propose a topic"), "cell": cell})


def oversight(request: HttpRequest, party_pk: int) -> HttpResponse:
    """The Đảng ủy's oversight of its cells' plans for a year, one level of the tree at a time: the
    organisations directly under the level (``?cap=``, the Đảng bộ itself by default) with their
    rolled-up figures, or (``?xem=chi-bo``) the matching cells of the whole subtree; both narrowed to
    what needs action (``?loc=``), searched by name (``?q=``), sorted (``?sap=``) and paginated."""
    party = get_visible_or_404(
        visible_organizations(request.user).filter(kind=Organization.Kind.PARTY_COMMITTEE), pk=party_pk
    )
    deny_unless(request.user, "orientation.edit", party)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam", today.year))
    except ValueError:
        year = today.year
    node = party
    if request.GET.get("cap", "").isdigit():
        node = get_visible_or_404(
            Organization.objects.filter(path__startswith=party.path).exclude(kind=Organization.Kind.CELL),
            pk=int(request.GET["cap"]),
        )
    need = request.GET.get("loc", "")
    need = need if need in selectors.NEEDS else ""
    sort = request.GET.get("sap", "ten")
    sort = sort if sort in selectors.SORTS else "ten"
    query = request.GET.get("q", "").strip()[:100]
    cells_view = request.GET.get("xem") == "chi-bo"
    terms = selectors.oversight_terms(party, year)

    children = selectors.oversight_rows(node, terms)
    context: dict[str, Any] = hooks.oversight_page(node, year)  # the cells' resolutions (meetings)
    by_child = context.get("resolutions_by_child", {})
    for row in children:
        row.resolutions = by_child.get(row.org.path, 0)
    page: Page[Any]
    if cells_view:
        page = Paginator(
            selectors.oversight_cells(node, terms, need=need, query=query, sort=sort), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        rows = selectors.cell_rows(page.object_list, terms)
    else:
        shown = [
            row
            for row in children
            if (not need or row.needs(need)) and (not query or query.casefold() in row.org.name.casefold())
        ]
        page = Paginator(sorted(shown, key=selectors.SORTS[sort]), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = list(page.object_list)
        selectors.attach_plans(rows, year)
    context.update(
        party=party,
        node=node,
        trail=Organization.objects.filter(pk__in=path_ids(node.path), path__startswith=party.path).order_by(
            "path"
        ),
        year=year,
        terms=terms,
        totals={
            name: sum(getattr(row, name) for row in children)
            for name in ("cells", "not_submitted", "late", "below_now")
        },
        rows=rows,
        page=page,
        cells_view=cells_view,
        need=need,
        sort=sort,
        query=query,
        needs=[
            ("chua-nop", _("Plan not submitted")),
            ("tre", _("Plan late")),
            ("thieu", _("Below the minimum in quarter %(q)s") % {"q": terms.quarter}),
        ],
        sorts=[
            ("ten", pgettext("sort", "Name")),
            ("chua-nop", _("Most plans not submitted")),
            ("tre", _("Most plans late")),
            ("thieu", _("Most below the minimum")),
        ],
        orientation=terms.orientation,
        years=range(today.year + 1, today.year - 4, -1),
        minimum=terms.minimum,
    )
    return render(request, "planning/oversight.html", context)


def orientation_edit(request: HttpRequest, party_pk: int, year: int) -> HttpResponse:
    from planning.forms import OrientationForm
    from planning.models import Orientation

    party = get_visible_or_404(
        visible_organizations(request.user).filter(kind=Organization.Kind.PARTY_COMMITTEE), pk=party_pk
    )
    deny_unless(request.user, "orientation.edit", party)
    services.ensure_topic_groups(party)
    existing = Orientation.objects.filter(organization=party, year=year).first()
    initial = (
        {"plans_due": existing.plans_due, "note": existing.note, "topics": list(existing.topics.all())}
        if existing
        else {}
    )
    form = OrientationForm(
        request.POST or None,
        initial=initial,
        topics=Topic.objects.filter(organization=party).select_related("group"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.set_orientation(
                actor=request.user,
                party=party,
                year=year,
                plans_due=data["plans_due"],
                note=data["note"],
                topics=list(data["topics"]),
            ),
        )
        if done is not None:
            messages.success(request, _("The orientation for %(year)s was saved.") % {"year": year})
            return redirect(f"{reverse('planning:oversight', args=[party.pk])}?nam={year}")
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": _("Orientation for %(year)s") % {"year": year}, "subtitle": party.name},
    )


def catalogue_topic_add(request: HttpRequest, party_pk: int) -> HttpResponse:
    party = get_visible_or_404(
        visible_organizations(request.user).filter(kind=Organization.Kind.PARTY_COMMITTEE), pk=party_pk
    )
    deny_unless(request.user, "catalogue.edit", party)
    groups = TopicGroup.objects.filter(pk__in=[g.pk for g in services.ensure_topic_groups(party)])
    form = TopicForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        topic = run_service(
            form, lambda: services.create_topic(actor=request.user, organization=party, **form.cleaned_data)
        )
        if topic is not None:
            messages.success(request, _("The topic was added to the catalogue."))
            return redirect("planning:topics")
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": _("Add a topic to the catalogue"), "subtitle": party},
    )


def topic_group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from planning.forms import TopicGroupForm

    group = get_visible_or_404(
        TopicGroup.objects.filter(organization__in=visible_organizations(request.user)), pk=pk
    )
    deny_unless(request.user, "topic_group.edit", group)
    form = TopicGroupForm(request.POST or None, instance=TopicGroup.objects.get(pk=group.pk))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form, lambda: services.update_topic_group(actor=request.user, group=group, data=form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("planning:topics")
    return render(request, "planning/form.html", {"form": form, "title": _("Edit the topic group")})
