"""The cell's "Lưu trữ nhiệm kỳ" page, its archives' downloads, and the archives restored for reading."""

import mimetypes
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives import archive as writer
from archives import services
from archives.forms import MakeForm, RestoreForm
from archives.models import RestoredArchive, TermArchive
from core.errors import DomainError
from core.permissions import can
from core.web import attachment, deny_unless, get_visible_or_404, run_service
from organizations.models import Organization
from organizations.permissions import visible_organizations


def _organization(request: HttpRequest, pk: int) -> Organization:
    organization = get_visible_or_404(visible_organizations(request.user), pk=pk)
    deny_unless(request.user, "archive.view", organization)
    return organization


def _page(
    request: HttpRequest,
    organization: Organization,
    *,
    make_form: MakeForm | None = None,
    restore_form: RestoreForm | None = None,
    status: int = 200,
) -> HttpResponse:
    archives = list(
        TermArchive.objects.filter(organization=organization)
        .select_related("term", "job", "made_by")
        .order_by("-term__start_date", "-version")
    )
    restored = list(
        RestoredArchive.objects.filter(organization=organization)
        .select_related("restored_by")
        .defer("manifest")
        .order_by("-restored_at", "-pk")
    )
    may_make = can(request.user, "archive.make", organization)
    return render(
        request,
        "archives/list.html",
        {
            "org": organization,
            "archives": archives,
            "restored": restored,
            "may_make": may_make,
            "make_form": make_form or (MakeForm(cell=organization) if may_make else None),
            "restore_form": restore_form or RestoreForm(),
            "polling": any(not a.is_made and a.state in ("queued", "running") for a in archives),
        },
        status=status,
    )


def archive_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The archives of the organisation's terms (a cell's), the button to make one, and the archives
    restored under it."""
    return _page(request, _organization(request, pk))


@require_POST
def make(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk)
    deny_unless(request.user, "archive.make", organization)
    form = MakeForm(request.POST, cell=organization)
    if form.is_valid():
        term = form.cleaned_data["term"]
        archive = run_service(
            form, lambda: services.request_archive(actor=request.user, cell=organization, term=term)
        )
        if archive is not None:
            messages.success(
                request,
                _("Version %(version)s of the archive of term %(term)s is being made; this page shows it.")
                % {"version": archive.version, "term": term.name},
            )
            return redirect("archives:list", organization.pk)
    return _page(request, organization, make_form=form, status=400)


@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk)
    deny_unless(request.user, "archive.restore", organization)
    form = RestoreForm(request.POST, request.FILES)
    if form.is_valid():
        restored = run_service(
            form,
            lambda: services.restore_archive(
                actor=request.user, organization=organization, upload=form.cleaned_data["file"]
            ),
        )
        if restored is not None:
            messages.success(
                request,
                _("The archive was checked (every file matches its manifest) and restored for reading."),
            )
            return redirect("archives:restored", restored.pk)
    return _page(request, organization, restore_form=form, status=400)


def download(request: HttpRequest, pk: int) -> FileResponse:
    archive = get_visible_or_404(
        TermArchive.objects.filter(organization__in=visible_organizations(request.user)).select_related(
            "organization", "term"
        ),
        pk=pk,
    )
    deny_unless(request.user, "archive.view", archive)
    try:
        path = services.record_download(actor=request.user, archive=archive)
    except DomainError:
        raise Http404 from None
    return FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=writer.file_name(archive.organization, archive.term, archive.version),
        content_type="application/zip",
    )


def _restored(request: HttpRequest, pk: int) -> RestoredArchive:
    restored = get_visible_or_404(
        RestoredArchive.objects.filter(organization__in=visible_organizations(request.user)).select_related(
            "organization", "restored_by", "made_here"
        ),
        pk=pk,
    )
    deny_unless(request.user, "archive.view", restored)
    return restored


def restored(request: HttpRequest, pk: int) -> HttpResponse:
    """A restored archive, read-only: what it is of, its index, each file downloadable."""
    archive = _restored(request, pk)
    manifest: dict[str, Any] = archive.manifest
    files = [{**entry, "index": i} for i, entry in enumerate(archive.files)]
    sections = [
        (_("Issued documents"), [f for f in files if f.get("kind") == "document"]),
        (_("Minutes book"), [f for f in files if f.get("kind") == "minutes"]),
        (_("Resolutions and their tasks"), [f for f in files if f.get("kind") == "resolutions"]),
        (_("Participation of the members"), [f for f in files if f.get("kind") == "participation"]),
        (
            _("Indexes"),
            [
                f
                for f in files
                if f.get("kind") not in ("document", "minutes", "resolutions", "participation")
            ],
        ),
    ]
    term = manifest.get("term") or {}
    return render(
        request,
        "archives/restored.html",
        {
            "restored": archive,
            "manifest": manifest,
            "sections": [s for s in sections if s[1]],
            # Shown as dates, not as the manifest's ISO text (None when missing or malformed).
            "term_start": _parsed(parse_date, term.get("start_date")),
            "term_end": _parsed(parse_date, term.get("end_date")),
            "generated_at": _parsed(parse_datetime, manifest.get("generated_at")),
        },
    )


def _parsed(parse: Any, value: Any) -> Any:
    try:
        return parse(value) if isinstance(value, str) else None
    except ValueError:
        return None


def restored_file(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    archive = _restored(request, pk)
    try:
        content, name = services.read_restored(actor=request.user, restored=archive, index=index)
    except DomainError as error:
        if index >= len(archive.files) or index < 0:
            raise Http404 from None
        messages.error(request, str(error.message))
        return redirect("archives:restored", archive.pk)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return attachment(content, content_type, name)
