"""The register of issued documents (sổ đăng ký văn bản đi) and the public verification pages."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.permissions import can
from core.web import action_form, attachment, deny_unless, get_visible_or_404, submit_and_report
from documents import files, selectors, services, spreadsheet, verification
from documents.forms import CodeForm, FileCheckForm, RegisterSearchForm
from documents.models import IssuedDocument, IssuedFile, normalize_code
from documents.permissions import visible_documents
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


# --- One issued document: its stored files and its signature ---------------------------------------


def _document(request: HttpRequest, pk: int) -> IssuedDocument:
    """An issued document for its register's readers (the organisation's secretaries, the Đảng ủy
    officers above, the administrator): its page, its stored files and fingerprints. Members read a
    document where its source shows it (the session, the meeting, the report), under that page's own
    rule (a report returned to the cell, say, is not theirs to read)."""
    document = get_visible_or_404(visible_documents(request.user).select_related("organization"), pk=pk)
    deny_unless(request.user, "document.register", document.organization)
    return document


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An issued document: number, date, type, its stored files with their fingerprints, who signed it,
    and the "Ký số" button for who may sign (the newest version, once)."""
    document = _document(request, pk)
    stored = list(document.files.select_related("signature").order_by("version", "format", "kind"))
    newest = max((f.version for f in stored if f.format == IssuedFile.Format.PDF), default=1)
    signed = [f for f in stored if f.kind == IssuedFile.Kind.SIGNED and f.version == newest]
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "stored": stored,
            "signature": signed[-1].signature if signed else None,
            "may_sign": not signed and can(request.user, "document.sign", document),
            "certificate": services.current_certificate(document.organization),
        },
    )


def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The stored file of the newest version of ``fmt`` (the signed PDF once there is one); a format
    whose newest version was never stored (minutes corrected and downloaded as PDF only) falls back
    to the newest stored one of that format, else the first."""
    document = _document(request, pk)
    if fmt not in files.FORMATS:
        raise Http404
    newest = document.files.filter(format=fmt).order_by("-version").values_list("version", flat=True).first()
    return attachment(*files.issued_file(document, fmt, document.heading, version=newest or 1))


@require_http_methods(["POST"])
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Ký số: sign the stored PDF with the organisation's certificate."""
    document = get_visible_or_404(visible_documents(request.user).select_related("organization"), pk=pk)
    deny_unless(request.user, "document.sign", document)
    submit_and_report(
        request,
        action_form(),
        lambda _data: services.sign_document(actor=request.user, document=document),
        _("The document is digitally signed."),
    )
    return redirect("documents:detail", document.pk)


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
