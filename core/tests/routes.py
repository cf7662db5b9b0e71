"""Permission rows of the language switch and of the background jobs' pages (loaded by
tests/test_permissions.py). A job is its owner's alone: to anyone else, the administrator included, it
does not exist (404)."""

from typing import Any

from conftest import World
from tests.matrix import ANYONE_SIGNED_IN, PUBLIC, Route, rule

OWNER_ONLY = rule(ok=("officer",))


def officer_job(world: World) -> dict[str, Any]:
    """A finished job of world.officer with its file (the core tests' sample kind)."""
    from core import jobs
    from core.tests.test_jobs import SAMPLE

    job = jobs.start(actor=world.officer, kind=SAMPLE, title="Bảng theo dõi", params={"rows": 3})
    jobs.run(job.pk)
    return {"pk": job.pk}


ROUTES = [
    # The project's root URLs hold only Django's language switch: its row lives here.
    Route("set_language", "to-english", PUBLIC, "POST", data=lambda w: {"language": "en", "next": "/"}),
    Route("core:jobs", "own", ANYONE_SIGNED_IN),
    Route("core:job", "officers", OWNER_ONLY, kwargs=officer_job),
    Route("core:job_progress", "officers", OWNER_ONLY, kwargs=officer_job),
    Route("core:job_file", "officers", OWNER_ONLY, kwargs=officer_job),
]
