"""Times the province's background work on one database, for `bench/scale.py` (issue 12, item 6): the
year-end evidence archive of the top organisation (evaluations.archive.write_archive, its latest year
with recorded meetings) and an announcement to every member under it
(notifications.announcements.deliver). One job per process (`--job`), so that its peak memory is its
own. Prints nothing but writes JSON to --out.

The archive only reads. The announcement writes its notices and e-mails for real (one committed
transaction a batch, as in production), then deletes them and vacuums the two tables, so the data the
pages are measured on stays as it was; the `deliver_outbox` task it enqueues at the end is counted, not
run (sending 90,000 e-mails is the outbox worker's business, not the announcement's).

Run by scale.py with the bench's environment (DATABASE_URL, DEBUG=false...), not by hand."""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402

from evaluations import archive  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from notifications import announcements  # noqa: E402
from notifications.models import Announcement, Notification, OutboundEmail  # noqa: E402
from organizations.models import Organization  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """This process's resident memory now (not its peak)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def top() -> Organization:
    """The root organisation with the most cells under it (the province in the province's data)."""
    roots = Organization.objects.filter(parent__isnull=True)
    return max(
        roots,
        key=lambda root: Organization.objects.filter(
            path__startswith=root.path, kind=Organization.Kind.CELL
        ).count(),
    )


def time_archive() -> dict[str, Any]:
    party = top()
    latest = Meeting.objects.filter(status__in=archive.participation.RECORDED).aggregate(day=Max("date"))
    year = (latest["day"] or timezone.localdate()).year
    samples: list[float] = []

    def progress(done: int, total: int) -> None:
        if done:
            samples.append(rss_mb())

    before = rss_mb()
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        cells, members = archive.write_archive(party, year, out, progress)
        seconds = time.perf_counter() - start
        size = out.tell()
    return {
        "organization": party.name,
        "year": year,
        "cells": cells,
        "members": members,
        "seconds": seconds,
        "bytes": size,
        "batches": len(samples),
        "rss_before_mb": before,
        "rss_first_batch_mb": samples[0] if samples else before,
        "peak_rss_mb": peak_mb(),
    }


class _Enqueued:
    """Stands in for the deliver_outbox task: counts the enqueue, sends nothing."""

    calls = 0

    def enqueue(self) -> None:
        self.calls += 1


def time_announcement() -> dict[str, Any]:
    party = top()
    announcement = Announcement.objects.create(
        author=None,
        organization=party,
        title="Thông báo đo thời gian (bench)",
        body="Nội dung thông báo chung gửi toàn Đảng bộ. " * 6,
        members_on=timezone.localdate(),
    )
    outbox_task = _Enqueued()
    announcements.deliver_outbox = outbox_task  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        announcement = announcements.deliver(announcement)
        seconds = time.perf_counter() - start
        result = {
            "organization": party.name,
            "seconds": seconds,
            "reached": announcement.reached,
            "emailed": announcement.emailed,
            "outbox_task_enqueued": outbox_task.calls,
            "peak_rss_mb": peak_mb(),
        }
    finally:
        url = announcement_url(announcement)
        notices, emails = Notification._meta.db_table, OutboundEmail._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {emails} WHERE notification_id IN (SELECT id FROM {notices} WHERE url = %s)",
                [url],
            )
            cursor.execute(f"DELETE FROM {notices} WHERE url = %s", [url])
        announcement.delete()
        if connection.vendor == "postgresql":
            # Autovacuum is off on the bench machine: 180,000 dead rows a run would make the next
            # run's inserts (and the notifications page) slower each time (7 s became 12-16 s).
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {notices}, {emails}")
    return result


def announcement_url(announcement: Announcement) -> str:
    from django.urls import reverse

    return reverse("notifications:announcement", args=[announcement.pk])


JOBS = {"archive": time_archive, "announcement": time_announcement}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--job", choices=sorted(JOBS), required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    Path(args.out).write_text(json.dumps(JOBS[args.job](), indent=1))


if __name__ == "__main__":
    main()
