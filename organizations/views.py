"""Organisation tree, cell page, member profile and the forms that change them.

Thin views: fetch through ``permissions``, validate a form, call one service, redirect or render."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import permissions as registry
from core.audit import history
from core.web import get_visible_or_404, run_service, submit_and_report
from organizations import selectors, services
from organizations.forms import EndForm, ExemptionForm, MemberForm, NewMemberForm, PositionForm, TermForm
from organizations.models import Exemption, Member, Membership, Organization, Position
from organizations.permissions import active_q, can, visible_members, visible_organizations


def _org(request: HttpRequest, pk: int, action: str = "organization.view") -> Organization:
    org = get_visible_or_404(visible_organizations(request.user).select_related("parent"), pk=pk)
    if not can(request.user, action, org):
        raise PermissionDenied
    return org


def _member(request: HttpRequest, pk: int, action: str = "member.view") -> Member:
    member = get_visible_or_404(visible_members(request.user), pk=pk)
    if not can(request.user, action, member):
        raise PermissionDenied
    return member


PAGE_SIZE = 50


def tree(request: HttpRequest) -> HttpResponse:
    """The organisation tree one level at a time: the user's top organisations, or (``?mo=<id>``) the
    children of the one opened with the way back up; or (``?q=``) the organisations found by name,
    each with its path. Pages of 50, counts from SQL: the same queries for a school and a province."""
    query = request.GET.get("q", "").strip()[:100]
    context: dict[str, Any] = {"query": query, "opened": None, "trail": []}
    if query:
        page = Paginator(selectors.search_tree(request.user, query), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(page=page, found=selectors.with_trails(request.user, list(page.object_list)))
        return render(request, "organizations/tree.html", context)
    opened = None
    if request.GET.get("mo", "").isdigit():
        opened = get_visible_or_404(visible_organizations(request.user), pk=int(request.GET["mo"]))
        context.update(opened=opened, trail=selectors.visible_trail(request.user, opened))
    page = Paginator(selectors.tree_level(request.user, opened), PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(page=page, nodes=selectors.count_below(list(page.object_list), opened))
    return render(request, "organizations/tree.html", context)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    can_manage = can(request.user, "organization.manage", org)
    context = {"org": org, "can_manage": can_manage, "history": history(org) if can_manage else []}
    # The webhooks page (notifications) is linked for those who may manage it: a rule of that app,
    # asked through the registry.
    context["can_webhooks"] = registry.can(request.user, "webhook.manage", org)
    context["can_zalo"] = registry.can(request.user, "zalo.manage", org)
    if org.is_cell:
        roster = selectors.cell_roster(org)
        context.update(
            roster=roster,
            counts=selectors.roster_counts(roster),
            warnings=selectors.cell_warnings(org, roster) if can_manage else [],
            term=selectors.current_term(org),
        )
    else:  # the organisations under it, 50 a page with their counts (a Đảng bộ may hold thousands)
        page = Paginator(selectors.tree_level(request.user, org), PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, children=selectors.count_below(list(page.object_list), org))
    return render(request, "organizations/detail.html", context)


def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    context = {
        "member": member,
        "private": can(request.user, "member.view_private", member),
        "can_edit": can(request.user, "member.edit", member),
        "memberships": member.memberships.select_related("organization").order_by("-start_date"),
        "positions": member.positions.select_related("term__organization").order_by("-start_date"),
        "exemptions": member.exemptions.order_by("-start_date"),
    }
    if context["can_edit"]:
        context["history"] = history(member)
    return render(request, "organizations/member_detail.html", context)


def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    cell = _org(request, pk, "organization.manage")
    form = NewMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "joined_on"}
        member = run_service(
            form,
            lambda: services.add_member(
                actor=request.user, cell=cell, data=data, joined_on=form.cleaned_data["joined_on"]
            ),
        )
        if member is not None:
            messages.success(request, _("%(name)s was added to the cell.") % {"name": member.full_name})
            return redirect("organizations:member", member.pk)
    return render(request, "organizations/form.html", {"form": form, "org": cell, "title": _("Add a member")})


def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, "member.edit")
    form = MemberForm(request.POST or None, instance=Member.objects.get(pk=member.pk))
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form, lambda: services.update_member(actor=request.user, member=member, data=form.cleaned_data)
        )
        if changed is not None:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
            return redirect("organizations:member", member.pk)
    return render(
        request, "organizations/form.html", {"form": form, "member": member, "title": _("Edit member record")}
    )


def exemption_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, "member.edit")
    form = ExemptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form, lambda: services.grant_exemption(actor=request.user, member=member, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("The exemption was recorded."))
            return redirect("organizations:member", member.pk)
    return render(
        request,
        "organizations/form.html",
        {"form": form, "member": member, "title": _("Exempt from Party work and meetings")},
    )


@require_POST
def exemption_end(request: HttpRequest, pk: int) -> HttpResponse:
    exemption = get_visible_or_404(
        Exemption.objects.filter(member__in=visible_members(request.user)).select_related("member"), pk=pk
    )
    if not can(request.user, "member.edit", exemption.member):
        raise PermissionDenied
    submit_and_report(
        request,
        EndForm(request.POST),
        lambda data: services.end_exemption(actor=request.user, exemption=exemption, **data),
        _("The exemption was ended."),
    )
    return redirect("organizations:member", exemption.member_id)


@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_visible_or_404(
        Membership.objects.filter(organization__in=visible_organizations(request.user)).select_related(
            "member", "organization"
        ),
        pk=pk,
    )
    if not can(request.user, "organization.manage", membership.organization):
        raise PermissionDenied
    if submit_and_report(
        request,
        EndForm(request.POST),
        lambda data: services.end_membership(actor=request.user, membership=membership, **data),
        _("%(name)s no longer belongs to the cell.") % {"name": membership.member},
    ):
        return redirect("organizations:detail", membership.organization_id)
    return redirect("organizations:member", membership.member_id)


def term_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, "organization.manage")
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        term = run_service(
            form, lambda: services.create_term(actor=request.user, organization=org, **form.cleaned_data)
        )
        if term is not None:
            messages.success(request, _("The term %(name)s was opened.") % {"name": term.name})
            return redirect("organizations:detail", org.pk)
    return render(request, "organizations/form.html", {"form": form, "org": org, "title": _("Open a term")})


def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    cell = _org(request, pk, "organization.manage")
    term = selectors.current_term(cell)
    if term is None:
        messages.error(request, _("Open the committee term first: positions belong to a term."))
        return redirect("organizations:term_add", cell.pk)
    members = Member.objects.filter(
        active_q("memberships__"), memberships__organization=cell, memberships__kind=Membership.Kind.REGULAR
    ).distinct()
    form = PositionForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        position = run_service(
            form, lambda: services.assign_position(actor=request.user, term=term, **form.cleaned_data)
        )
        if position is not None:
            messages.success(request, _("The position was assigned."))
            return redirect("organizations:detail", cell.pk)
    return render(
        request,
        "organizations/form.html",
        {"form": form, "org": cell, "title": _("Assign a position"), "subtitle": term.name},
    )


@require_POST
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_visible_or_404(
        Position.objects.filter(term__organization__in=visible_organizations(request.user)).select_related(
            "term__organization", "member"
        ),
        pk=pk,
    )
    if not can(request.user, "organization.manage", position.term.organization):
        raise PermissionDenied
    submit_and_report(
        request,
        EndForm(request.POST),
        lambda data: services.end_position(actor=request.user, position=position, **data),
        _("The position was ended."),
    )
    return redirect("organizations:member", position.member_id)
