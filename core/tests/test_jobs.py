"""Background jobs (core/jobs.py): their lifecycle, progress, failures, a dead worker's job taken up
again, the file served to its owner only, and expiry."""

import io
from datetime import timedelta
from typing import Any, BinaryIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import Job

SAMPLE = "core.tests.sample"
seen: list[tuple[str, int, int]] = []


@jobs.register(SAMPLE)
def sample(job: Job, out: BinaryIO, progress: jobs.Progress) -> str:
    """Writes one line per row, reporting progress after each, as the row's state in the database."""
    rows = job.params.get("rows", 0)
    for index in range(1, rows + 1):
        out.write(f"dòng {index}\n".encode())
        progress(index, rows)
        seen.append(
            (Job.objects.get(pk=job.pk).state, *Job.objects.values_list("done", "total").get(pk=job.pk))
        )
    if job.params.get("fail") == "refused":
        raise jobs.JobError("Không có chi bộ nào trong Đảng bộ này.")
    if job.params.get("fail") == "crash":
        raise RuntimeError("disk on fire")
    job.message = f"{rows} dòng"
    return "mau.txt"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    seen.clear()


def _start(world: Any, **params: Any) -> Job:
    return jobs.start(actor=world.officer, kind=SAMPLE, title="Bảng mẫu", params=params)


def test_a_job_waits_then_runs_with_progress_then_is_done_with_its_file(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = _start(world, rows=3)
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.percent == 0 and len(callbacks) == 1

    callbacks[0]()  # the task the commit enqueues (the immediate backend runs it there and then)

    assert seen == [("running", 1, 3), ("running", 2, 3), ("running", 3, 3)]
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.percent, job.attempts) == ("done", 3, 3, 100, 1)
    assert job.file_name == "mau.txt" and job.message == "3 dòng"
    assert jobs.path_of(job).read_bytes() == "dòng 1\ndòng 2\ndòng 3\n".encode()
    assert job.file_size == len("dòng 1\ndòng 2\ndòng 3\n".encode())
    assert job.expires_at is not None and job.finished_at is not None
    assert job.expires_at > job.finished_at


def test_the_page_polls_while_running_and_stops_with_the_download_when_done(client, world):
    job = _start(world, rows=2)
    client.force_login(world.officer)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, done=1, total=4, heartbeat_at=timezone.now()
    )
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert f'data-poll="{reverse("core:job_progress", args=[job.pk])}"' in page
    assert 'value="25"' in page and "poll.js" in page

    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)
    jobs.run(job.pk)
    box = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert "data-poll" not in box
    assert reverse("core:job_file", args=[job.pk]) in box and "mau.txt" in box


@pytest.mark.parametrize(
    ("fail", "shown"),
    [("refused", "Không có chi bộ nào trong Đảng bộ này."), ("crash", "The work stopped on an error.")],
)
def test_a_failed_job_shows_its_error_and_leaves_no_file(client, world, settings, fail, shown):
    settings.LANGUAGE_CODE = "en"
    job = _start(world, rows=1, fail=fail)
    assert jobs.run(job.pk) == Job.State.FAILED
    job.refresh_from_db()
    assert job.state == "failed" and job.finished_at and not job.file_path
    assert not list((settings.MEDIA_ROOT / "jobs").iterdir())
    client.force_login(world.officer)
    page = client.get(reverse("core:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert shown in page and "data-poll" not in page
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404


def test_a_job_whose_worker_died_is_taken_up_again_and_a_live_one_is_not(world, settings):
    settings.JOB_LEASE_SECONDS = 60
    dead = _start(world, rows=2)
    alive = _start(world, rows=2)
    now = timezone.now()
    Job.objects.filter(pk=dead.pk).update(
        state=Job.State.RUNNING, attempts=1, done=1, total=2, heartbeat_at=now - timedelta(seconds=61)
    )
    Job.objects.filter(pk=alive.pk).update(state=Job.State.RUNNING, attempts=1, heartbeat_at=now)

    assert jobs.claim(alive.pk) is None  # another worker holds it
    output = io.StringIO()
    call_command("jobs", stdout=output)  # the immediate backend runs what it queues there and then
    assert output.getvalue().startswith("1 job(s) requeued")

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.state, dead.attempts, dead.done) == ("done", 2, 2)
    assert (alive.state, alive.attempts) == ("running", 1)
    assert jobs.run(dead.pk) == "done"  # a finished job is not run twice
    dead.refresh_from_db()
    assert dead.attempts == 2


def test_the_file_is_its_owners_alone(client, world):
    job = _start(world, rows=2)
    jobs.run(job.pk)
    for other in (world.admin, world.foreign_officer, world.secretary):
        client.force_login(other)
        for name in ("core:job", "core:job_progress", "core:job_file"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (other, name)
        assert "Bảng mẫu" not in client.get(reverse("core:jobs")).content.decode()
    client.force_login(world.officer)
    response = client.get(reverse("core:job_file", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "dòng 1\ndòng 2\n".encode()
    assert 'attachment; filename="mau.txt"' in response["Content-Disposition"]
    assert "Bảng mẫu" in client.get(reverse("core:jobs")).content.decode()


def test_expired_files_are_removed_and_no_longer_served(client, world):
    job = _start(world, rows=1)
    jobs.run(job.pk)
    job.refresh_from_db()
    path = jobs.path_of(job)
    assert job.expires_at is not None
    assert jobs.expire(now=job.expires_at - timedelta(minutes=1)) == 0 and path.exists()

    assert jobs.expire(now=job.expires_at + timedelta(minutes=1)) == 1

    assert not path.exists()
    client.force_login(world.officer)
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "mau.txt" not in page or "expired" in page or "hết hạn" in page
