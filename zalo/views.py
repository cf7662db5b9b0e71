"""The Zalo Official Account page of an organisation: its settings, its templates per kind of notice,
and the latest sends (docs/zalo.md)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import action_form, deny_unless, get_visible_or_404, run_service, submit_and_report
from organizations.models import Organization
from organizations.permissions import visible_organizations
from zalo import services
from zalo.forms import AccountForm, TemplateForm
from zalo.models import ZaloAccount, ZaloSend, ZaloTemplate

LOG_SIZE = 30


def _managed_org(request: HttpRequest, pk: int) -> Organization:
    """The organisation, if the reader may see it (else 404) and configure its Zalo account (else 403)."""
    org = get_visible_or_404(visible_organizations(request.user), pk=pk)
    deny_unless(request.user, "zalo.manage", org)
    return org


def _page(
    request: HttpRequest,
    org: Organization,
    account: ZaloAccount | None,
    form: AccountForm,
    template_form: TemplateForm,
) -> HttpResponse:
    templates = list(account.templates.all()) if account else []
    sends = (
        list(ZaloSend.objects.filter(account=account).select_related("recipient")[:LOG_SIZE])
        if account
        else []
    )
    context = {
        "org": org,
        "account": account,
        "form": form,
        "template_form": template_form,
        "templates": templates,
        "sends": sends,
    }
    return render(request, "zalo/account.html", context)


def account(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's Official Account: see and change it."""
    org = _managed_org(request, pk)
    current = ZaloAccount.objects.filter(organization=org).first()
    form = AccountForm(request.POST or None, initial=AccountForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: services.save_account(actor=request.user, organization=org, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, _("The Zalo Official Account is saved."))
            return redirect("zalo:account", org.pk)
    return _page(request, org, current, form, TemplateForm())


@require_POST
def template_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a template for a kind of notice, or replace the one the kind has."""
    org = _managed_org(request, pk)
    current = ZaloAccount.objects.filter(organization=org).first()
    form = TemplateForm(request.POST)
    if current is None:
        form.add_error(None, _("Save the Official Account first."))
    elif form.is_valid():

        def call() -> ZaloTemplate:
            params = services.parse_params(form.cleaned_data["params"])
            return services.set_template(
                actor=request.user,
                account=current,
                kind=form.cleaned_data["kind"],
                template_id=form.cleaned_data["template_id"],
                params=params,
            )

        if run_service(form, call) is not None:
            messages.success(request, _("The template is saved."))
            return redirect("zalo:account", org.pk)
    return _page(request, org, current, AccountForm(initial=AccountForm.initial_for(current)), form)


@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_visible_or_404(
        ZaloTemplate.objects.filter(
            account__organization__in=visible_organizations(request.user)
        ).select_related("account__organization"),
        pk=pk,
    )
    deny_unless(request.user, "zalo.manage", template.account.organization)
    submit_and_report(
        request,
        action_form(),
        lambda data: services.delete_template(actor=request.user, template=template),
        _("The template is removed."),
    )
    return redirect("zalo:account", template.account.organization_id)
