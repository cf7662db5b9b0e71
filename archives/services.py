"""Making, downloading and restoring the archives of a term (every change here is audited)."""

import hashlib
import logging
import shutil
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from archives import archive as writer
from archives import restore
from archives.models import RestoredArchive, TermArchive
from core import jobs
from core.audit import log_action
from core.errors import DomainError
from core.models import Job
from core.permissions import require
from organizations.models import Organization, Term

logger = logging.getLogger(__name__)

TERM_ARCHIVE_JOB = "archives.term_archive"


def _who(actor: Any) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return ""
    return actor.get_full_name() or actor.username


def _new_version(*, actor: Any, cell: Organization, term: Term) -> TermArchive:
    """The next version of the term's archive, taken under a lock on the term (two requests at once
    get two versions)."""
    Term.objects.select_for_update().filter(pk=term.pk).first()
    last = TermArchive.objects.filter(term=term).aggregate(n=Max("version"))["n"] or 0
    return TermArchive.objects.create(
        organization=cell,
        term=term,
        version=last + 1,
        provisional=writer.is_running(term),
        made_by=actor if getattr(actor, "pk", None) else None,
    )


def _check_term(cell: Organization, term: Term) -> None:
    if not cell.is_cell:
        raise DomainError(_("Only a cell's terms are archived."))
    if term.organization_id != cell.pk:
        raise DomainError(_("This term is not one of this cell's."))
    if term.start_date > timezone.localdate():
        raise DomainError(_("This term has not begun: there is nothing to archive yet."))


def request_archive(*, actor: Any, cell: Organization, term: Term) -> TermArchive:
    """Ask for a new version of the archive of ``cell``'s ``term``, made in the background (core.jobs).

    A term still running gets a provisional archive, marked so in its index, manifest and list."""
    require(actor, "archive.make", cell)
    _check_term(cell, term)
    if actor is None:
        raise ValueError("A background job needs a person to report to; the system calls make_now.")
    with transaction.atomic():
        pending = TermArchive.objects.filter(
            term=term, sha256="", job__state__in=(Job.State.QUEUED, Job.State.RUNNING)
        )
        if pending.exists():
            raise DomainError(_("An archive of this term is already being made: wait until it is done."))
        archive = _new_version(actor=actor, cell=cell, term=term)
        job = jobs.start(
            actor=actor,
            kind=TERM_ARCHIVE_JOB,
            title=_("Term archive %(term)s · %(cell)s (version %(version)s)")
            % {"term": term.name, "cell": cell.name, "version": archive.version},
            params={"archive": archive.pk},
        )
        archive.job = job
        archive.save(update_fields=["job"])
        log_action(
            actor,
            "archives.archive.requested",
            archive,
            {"term": term.name, "version": archive.version, "provisional": archive.provisional},
        )
    return archive


def make_now(*, cell: Organization, term: Term) -> TermArchive:
    """Make a new version at once, for the system (``manage.py make_term_archives``, the demo)."""
    _check_term(cell, term)
    with transaction.atomic():
        archive = _new_version(actor=None, cell=cell, term=term)
    return make_archive(archive.pk)


def make_archive(archive_id: int, progress: jobs.Progress | None = None) -> TermArchive:
    """Write the archive's ZIP and record its SHA-256 (the job's work). An archive already made is
    left as it is: it never changes."""
    archive = TermArchive.objects.select_related("organization", "term", "made_by").get(pk=archive_id)
    if archive.is_made:
        return archive
    path, relative = writer.new_path(archive.organization, archive.term, archive.version)
    header = writer.Header(
        archive_id=archive.pk,
        version=archive.version,
        provisional=archive.provisional,
        generated_at=timezone.now(),
        generated_by=_who(archive.made_by),
    )
    try:
        manifest, sha256, size = writer.write_to(path, archive.organization, archive.term, header, progress)
    except writer.StoredFileChanged as error:
        logger.error(
            "Archive %s not made: the stored file %s no longer matches its SHA-256.", archive.pk, error
        )
        raise jobs.JobError(
            _(
                "The archive was not made: the stored file %(name)s no longer matches the fingerprint it "
                "was stored with. Tell the administrator."
            )
            % {"name": error.name}
        ) from None
    manifest_sha256 = hashlib.sha256(writer.manifest_bytes(manifest)).hexdigest()
    with transaction.atomic():
        updated = TermArchive.objects.filter(pk=archive.pk, sha256="").update(
            file=relative,
            sha256=sha256,
            manifest_sha256=manifest_sha256,
            size=size,
            finished_at=timezone.now(),
            counts=manifest["counts"],
        )
        if not updated:  # another worker finished it first: keep theirs, drop ours
            path.unlink(missing_ok=True)
            return TermArchive.objects.get(pk=archive.pk)
        archive.refresh_from_db()
        log_action(
            archive.made_by,
            "archives.archive.made",
            archive,
            {"term": archive.term.name, "version": archive.version, "sha256": sha256, "size": size},
        )
    return archive


def record_download(*, actor: Any, archive: TermArchive) -> Path:
    """The archive's file, the download written in the audit log."""
    require(actor, "archive.view", archive)
    if not archive.is_made:
        raise DomainError(_("This archive is not made yet."))
    log_action(actor, "archives.archive.downloaded", archive, {"version": archive.version})
    return Path(settings.MEDIA_ROOT) / archive.file.name


def restore_archive(*, actor: Any, organization: Organization, upload: IO[bytes]) -> RestoredArchive:
    """Check an archive (manifest and every file's SHA-256) and keep it under ``organization`` for
    reading; a changed or incomplete archive is refused with the name of the file at fault and nothing
    is kept."""
    require(actor, "archive.restore", organization)
    checked = restore.check(upload)
    manifest = checked.manifest
    folder = Path(settings.MEDIA_ROOT) / "archives" / "restored" / str(organization.pk)
    folder.mkdir(parents=True, exist_ok=True)
    relative = (
        f"archives/restored/{organization.pk}/{checked.sha256[:16]}-{timezone.now():%Y%m%d%H%M%S%f}.zip"
    )
    target = Path(settings.MEDIA_ROOT) / relative
    upload.seek(0)
    with open(target, "wb") as out:
        shutil.copyfileobj(upload, out, writer.CHUNK)
    try:
        with transaction.atomic():
            restored = RestoredArchive.objects.create(
                organization=organization,
                file=relative,
                sha256=checked.sha256,
                size=checked.size,
                manifest=manifest,
                cell_name=str(manifest["cell"]["name"])[:255],
                term_name=str(manifest["term"]["name"])[:50],
                made_here=checked.made_here,
                restored_by=actor if getattr(actor, "pk", None) else None,
            )
            log_action(
                actor,
                "archives.restored.restored",
                restored,
                {
                    "cell": restored.cell_name,
                    "term": restored.term_name,
                    "sha256": checked.sha256,
                    "files": len(restored.files),
                },
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return restored


def read_restored(*, actor: Any, restored: RestoredArchive, index: int) -> tuple[bytes, str]:
    """One file of a restored archive (checked again as it is read), the reading audited."""
    require(actor, "archive.view", restored)
    files = restored.files
    if not 0 <= index < len(files):
        raise DomainError(_("This archive has no such file."))
    entry = files[index]
    with restored.file.open("rb") as stream:
        content = restore.read_member(stream, entry)
    log_action(actor, "archives.restored.file_read", restored, {"path": entry["path"]})
    return content, entry["path"].rsplit("/", 1)[-1]


def archive_ended_terms() -> list[TermArchive]:
    """Make the archive of every cell's term that has ended and has none yet (``manage.py
    make_term_archives``, daily from cron: "at the end of a committee term")."""
    today = timezone.localdate()
    terms = (
        Term.objects.filter(organization__kind=Organization.Kind.CELL, end_date__lt=today)
        .exclude(pk__in=TermArchive.objects.filter(provisional=False).exclude(sha256="").values("term_id"))
        .select_related("organization")
        .order_by("end_date", "pk")
    )
    return [make_now(cell=term.organization, term=term) for term in terms]
