"""The drafts' background jobs (core/jobs.py): the printed packs of a whole cell."""

from typing import Any

from django.utils.translation import gettext as _

from core import jobs
from core.models import Job
from drafts import paper, services
from planning.models import Session

PAPER_PACK = "drafts.paper_pack"


@jobs.register(PAPER_PACK)
def run(job: Job, out: Any, progress: jobs.Progress) -> str:
    """Every member's pack of one session, in turn, as one PDF (drafts.paper)."""
    session = Session.objects.get(pk=job.params["session"])
    version = services.distributed_version(session)
    if version is None:
        raise jobs.JobError(_("The draft has not been sent to the members."))
    members = services.paper_recipients(session)
    if not members:
        raise jobs.JobError(_("The draft was sent to nobody but its presenters: there is no pack to print."))
    out.write(paper.pack_pdf(session, version, members, user=job.owner, progress=progress))
    job.message = _("%(count)s packs, each starting on an odd page for double-sided printing.") % {
        "count": len(members)
    }
    return paper.file_name(session)
