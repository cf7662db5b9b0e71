"""The register of issued documents (sổ đăng ký văn bản đi) and the public verification pages."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.permissions import can
from core.web import attachment, deny_unless, get_visible_or_404
from documents import selectors, spreadsheet, verification
from documents.forms import CodeForm, FileCheckForm, RegisterSearchForm
from documents.models import normalize_code
from organizations.models import Organization
from organizations.permissions import visible_organizations

PAGE_SIZE = 50


# --- The register -------------------------------------------------------------------------------


def _register_rows(request: HttpRequest, pk: int) -> tuple[Organization, RegisterSearchForm, Any]:
    organization = get_visible_or_404(visible_organizations(request.user), pk=pk)
    deny_unless(request.user, "document.register", organization)
    form = RegisterSearchForm(request.GET or None)
    where = selectors.RegisterFilter()
    if form.is_valid():
        data = form.cleaned_data
        where = selectors.RegisterFilter(text=data["q"].strip(), doc_type=data["loai"], year=data["nam"])
    return organization, form, selectors.register(organization, where)


def register(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's issued documents, newest first, searchable, 50 a page."""
    organization, form, rows = _register_rows(request, pk)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/register.html",
        {"org": organization, "form": form, "page": page, "query": query.urlencode()},
    )


def register_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The register as searched, every page of it, as XLSX."""
    organization, _form, rows = _register_rows(request, pk)
    return attachment(*spreadsheet.register_xlsx(organization, rows.iterator(chunk_size=500)))


# --- Verification (public) ------------------------------------------------------------------------


def _too_many(request: HttpRequest) -> HttpResponse | None:
    if verification.over_limit(request):
        return render(request, "documents/verify_limit.html", status=429)
    return None


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Check a code (GET ``?ma=``: to the document's page) or a file or its fingerprint (POST)."""
    if refused := _too_many(request):
        return refused
    code_form = CodeForm(request.GET or None)
    if code_form.is_valid():
        return redirect("documents:verify_code", code_form.cleaned_data["ma"])
    file_form = FileCheckForm(request.POST, request.FILES) if request.method == "POST" else FileCheckForm()
    checked, found = False, None
    if request.method == "POST" and file_form.is_valid():
        checked, found = True, verification.file_by_hash(file_form.digest())
    return render(
        request,
        "documents/verify.html",
        {"code_form": code_form, "file_form": file_form, "checked": checked, "found": found},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """One document by its code: who issued it, its number, date and type, and a check of a copy.
    The summary only for a reader who may open the document; never its content."""
    if refused := _too_many(request):
        return refused
    document = verification.document_by_code(normalize_code(code))
    if document is None:
        return render(request, "documents/verify_unknown.html", {"code": code[:40]}, status=404)
    if normalize_code(code) != code:
        return redirect("documents:verify_code", document.code)
    file_form = FileCheckForm(request.POST, request.FILES) if request.method == "POST" else FileCheckForm()
    checked, found = False, None
    if request.method == "POST" and file_form.is_valid():
        checked, found = True, verification.file_of(document, file_form.digest())
    return render(
        request,
        "documents/verify_code.html",
        {
            "document": document,
            "file_form": file_form,
            "checked": checked,
            "found": found,
            "may_read": request.user.is_authenticated and can(request.user, "document.view", document),
        },
    )
