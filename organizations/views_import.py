"""Member import pages: upload a member list to a cell, and download the template to fill in.

Thin views: the checking and writing are all in :mod:`organizations.importing`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.web import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, get_visible_or_404
from organizations import importing
from organizations.forms import ImportForm
from organizations.permissions import can, visible_organizations


def member_import(request: HttpRequest, pk: int) -> HttpResponse:
    cell = get_visible_or_404(visible_organizations(request.user).select_related("parent"), pk=pk)
    if not can(request.user, "organization.import_members", cell):
        raise PermissionDenied
    if not cell.is_cell:
        raise Http404
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    rejected: importing.ImportRejected | None = None
    if form.is_bound and form.is_valid():
        try:
            result = importing.import_members(
                actor=request.user, cell=cell, uploaded_file=form.cleaned_data["file"]
            )
        except importing.ImportRejected as error:
            rejected = error
        except DomainError as error:
            form.add_error("file", str(error.message))
        else:
            messages.success(
                request,
                _("Import finished: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            return redirect("organizations:detail", cell.pk)
    return render(
        request,
        "organizations/import.html",
        {
            "org": cell,
            "form": form,
            "rejected": rejected,
            "gender_words": importing.choice_words("gender"),
            "status_words": importing.choice_words("status"),
            "columns": importing.COLUMNS,
        },
    )


def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The empty member list to fill in; it holds no data, so every signed-in user may download it."""
    if fmt == "xlsx":
        response = HttpResponse(importing.template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    elif fmt == "csv":
        response = HttpResponse(importing.template_csv(), content_type=CSV_CONTENT_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{importing.TEMPLATE_NAME}.{fmt}"'
    return response
