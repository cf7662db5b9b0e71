"""For the tests of pages that start a background job: send the form, let the commit run the job (the
immediate backend), and fetch its file as its owner would."""

from typing import Any

from django.test import TestCase
from django.urls import resolve

from core.models import Job


def start_and_download(client: Any, url: str, data: dict[str, Any] | None = None) -> tuple[Job, bytes]:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data or {})
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.view_name == "core:job"
    job = Job.objects.get(pk=match.kwargs["pk"])
    assert job.state == Job.State.DONE, (job.state, job.message)
    download = client.get(f"/viec-nen/{job.pk}/tai-ve/")
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)
