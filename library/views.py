"""The library of model sessions: the list, a model's page (its package and the adopt form), registering
a session, the Đảng ủy's decisions, publishing, and the Đảng ủy's pages of models and adoptions.

Thin views: fetch through ``permissions``, validate a form, call one service, redirect or render."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history
from core.web import deny_unless, form_errors, get_visible_or_404, run_service, submit_and_report
from library import permissions, selectors, services
from library.forms import AdoptForm, ReasonForm, RegisterForm
from library.models import Adoption, ModelSession
from organizations.models import Organization
from organizations.permissions import scope_for, visible_organizations
from planning import permissions as planning_permissions


def _model(request: HttpRequest, pk: int) -> ModelSession:
    return get_visible_or_404(
        permissions.visible_models(request.user).select_related(
            "cell", "party", "session__plan", "session__topic__group", "registered_by", "decided_by"
        ),
        pk=pk,
    )


def _party(request: HttpRequest, pk: int) -> Organization:
    party = get_visible_or_404(
        visible_organizations(request.user), pk=pk, kind=Organization.Kind.PARTY_COMMITTEE
    )
    deny_unless(request.user, "party.oversee", party)
    return party


# --- The library -------------------------------------------------------------------------------


def library(request: HttpRequest) -> HttpResponse:
    """Published models of the reader's Đảng bộ (made for a phone), their own cells' registrations,
    the sessions they could register, and the Đảng ủy's pages for officers."""
    return render(
        request,
        "library/list.html",
        {
            "models": list(selectors.published(request.user)),
            "own": selectors.own_models(request.user),
            "registrable": selectors.registrable_sessions(request.user),
            "several_cells": len(scope_for(request.user).managed_cell_ids) > 1,
            "parties": selectors.overseen_parties(request.user),
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    user = request.user
    context: dict[str, Any] = {
        "model": model,
        "package": model.package,
        "adoptions": list(model.adoptions.select_related("cell", "session").order_by("cell__name", "year")),
        "can_approve": model.status == ModelSession.Status.REGISTERED
        and permissions.can(user, "model.approve", model),
        "can_decline": model.status in (ModelSession.Status.REGISTERED, ModelSession.Status.APPROVED)
        and permissions.can(user, "model.decline", model),
        "can_withdraw": model.status in (ModelSession.Status.REGISTERED, ModelSession.Status.APPROVED)
        and permissions.can(user, "model.withdraw", model),
        "history": history(model),
    }
    if model.status == ModelSession.Status.APPROVED and permissions.can(user, "model.publish", model):
        context["can_publish"] = True
        context["publish_problems"] = services.publish_problems(model)
    if model.is_published and permissions.can(user, "model.adopt", model):
        context["adopt_form"] = AdoptForm(cells=permissions.adoptable_cells(user, model))
    # The session's own page is for the cell and its Đảng ủy; other cells read the package here.
    context["sees_session"] = planning_permissions.visible_sessions(user).filter(pk=model.session_id).exists()
    context["reason_form"] = ReasonForm()
    # Its own ids: an administrator sees both forms on one page.
    context["withdraw_form"] = ReasonForm(auto_id="withdraw_%s")
    return render(request, "library/detail.html", context)


# --- Registering and the Đảng ủy's decisions ----------------------------------------------------


def register(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = get_visible_or_404(
        planning_permissions.visible_sessions(request.user).select_related("cell", "plan", "topic__group"),
        pk=session_pk,
    )
    deny_unless(request.user, "model.register", session)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        model = run_service(
            form,
            lambda: services.register_model(
                actor=request.user, session=session, note=form.cleaned_data["note"]
            ),
        )
        if model is not None:
            messages.success(
                request, _("The session is registered as a model session; the Party committee will decide.")
            )
            return redirect("library:detail", model.pk)
    current = ModelSession.objects.filter(session=session, status__in=ModelSession.LIVE_STATUSES).first()
    return render(request, "library/register.html", {"session": session, "form": form, "current": current})


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    deny_unless(request.user, "model.approve", model)
    submit_and_report(
        request,
        forms.Form(request.POST),  # a confirmation: nothing to fill in
        lambda data: services.approve_model(actor=request.user, model=model),
        _("The model session is approved. The cell is told."),
    )
    return redirect("library:detail", model.pk)


@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    deny_unless(request.user, "model.decline", model)
    submit_and_report(
        request,
        ReasonForm(request.POST),
        lambda data: services.decline_model(actor=request.user, model=model, reason=data["reason"]),
        _("The model session is declined. The cell is told why."),
    )
    return redirect("library:detail", model.pk)


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    deny_unless(request.user, "model.withdraw", model)
    submit_and_report(
        request,
        ReasonForm(request.POST),
        lambda data: services.withdraw_model(actor=request.user, model=model, reason=data["reason"]),
        _("The registration is withdrawn. The Party committee is told why."),
    )
    return redirect("library:detail", model.pk)


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    deny_unless(request.user, "model.publish", model)
    submit_and_report(
        request,
        forms.Form(request.POST),
        lambda data: services.publish_model(actor=request.user, model=model),
        _("The model session is published: every cell of the Party organisation can read and adopt it."),
    )
    return redirect("library:detail", model.pk)


def _adopted_message(adoption: Adoption) -> str:
    assert adoption.session is not None
    plan = adoption.session.plan
    text = _(
        "The model session is adopted: “%(title)s” is in your plan for quarter %(quarter)s of %(year)s."
    ) % {
        "title": adoption.session.title,
        "quarter": adoption.quarter,
        "year": adoption.year,
    }
    if adoption.plan_created:
        text += " " + _(
            "The cell had no plan for %(year)s: a draft plan was started. Complete it and submit it to the "
            "Party committee."
        ) % {"year": adoption.year}
    elif plan.revision > 1 and plan.status == plan.Status.DRAFT:
        text += " " + _(
            "The plan had been acknowledged: this opens revision %(revision)s, to submit to the Party "
            "committee again."
        ) % {"revision": plan.revision}
    return text


@require_POST
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    model = _model(request, pk)
    deny_unless(request.user, "model.adopt", model)
    form = AdoptForm(request.POST, cells=permissions.adoptable_cells(request.user, model))
    adoption = None
    if form.is_valid():
        data = form.cleaned_data
        adoption = run_service(
            form,
            lambda: services.adopt_model(
                actor=request.user, model=model, cell=data["cell"], year=data["year"], quarter=data["quarter"]
            ),
        )
    if adoption is None:
        messages.error(request, form_errors(form))
        return redirect("library:detail", model.pk)
    messages.success(request, _adopted_message(adoption))
    return redirect("planning:session", adoption.session_id)


# --- The Đảng ủy's pages ------------------------------------------------------------------------


def party(request: HttpRequest, pk: int) -> HttpResponse:
    """The models of a Đảng bộ's cells: to approve, approved (to hold and publish), published, and the
    declined or withdrawn ones."""
    party = _party(request, pk)
    return render(
        request,
        "library/party.html",
        {"party": party, "groups": selectors.party_models(party), "reason_form": ReasonForm()},
    )


def adoptions(request: HttpRequest, pk: int) -> HttpResponse:
    """Which cells adopted which model, and where each adopted session stands."""
    party = _party(request, pk)
    return render(
        request, "library/adoptions.html", {"party": party, "rows": selectors.adoption_overview(party)}
    )
