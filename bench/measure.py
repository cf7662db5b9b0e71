"""Measures one database in-process, for `bench/scale.py`: each page as its persona through Django's
test client (`force_login`), the documents through `documents.render`, the spreadsheets through their
views. Prints nothing but writes JSON to --out; `--counts-only` measures the query counts alone (CI).

Run by scale.py with the bench's environment (DATABASE_URL, DEBUG=false...), not by hand."""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.pages import Found, Page, find_pages  # noqa: E402
from core import jobs, versions  # noqa: E402
from core.models import Job  # noqa: E402
from documents.render import render_docx, render_pdf  # noqa: E402
from home.invalidation import cell_names  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from organizations.models import Member, Organization  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 20 runs is the 19th fastest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


class Browser:
    """One signed-in test client per user, kept for the whole run."""

    def __init__(self) -> None:
        self.clients: dict[int, Client] = {}

    def client(self, user_id: int) -> Client:
        if user_id not in self.clients:
            client = Client(secure=True)
            client.force_login(User.objects.get(pk=user_id))
            self.clients[user_id] = client
        return self.clients[user_id]

    def get(self, page: Page) -> Any:
        response = self.client(page.user_id).get(page.path)
        if response.status_code != 200:
            raise RuntimeError(f"{page.name}: {page.path} answered {response.status_code} to {page.persona}")
        return response


def change(page: Page) -> None:
    """Before a cold page: a change to its cell (the tokens any write there replaces), or, without
    one, the cache emptied."""
    if page.changed_cell is None:
        cache.clear()
    else:
        versions.bump(cell_names(page.changed_cell))


def count_queries(browser: Browser, page: Page) -> int:
    browser.get(page)  # warm-up: first-use caches, compiled templates, the figures kept per cell
    if page.cold:
        change(page)
    with CaptureQueriesContext(connection) as queries:
        browser.get(page)
    return len(queries)


def measure_page(browser: Browser, page: Page, runs: int) -> dict[str, Any]:
    queries = count_queries(browser, page)
    times, body = [], b""
    for _ in range(max(5, runs // 4) if page.cold else runs):
        if page.cold:
            change(page)
        start = time.perf_counter()
        response = browser.get(page)
        times.append((time.perf_counter() - start) * 1000)
        body = response.content
    return {
        "name": page.name,
        "persona": page.persona,
        "group": page.group,
        "path": page.path,
        "queries": queries,
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "html_bytes": len(body),
        "gzip_bytes": len(gzip.compress(body, 6)),
    }


def time_call(function: Any, runs: int) -> dict[str, Any]:
    function()  # warm-up: fonts, templates
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
        size = len(result)
    return {"p50_ms": statistics.median(times), "max_ms": max(times), "bytes": size, "runs": runs}


def measure_outputs(browser: Browser, found: Found, runs: int) -> dict[str, Any]:
    outputs: dict[str, Any] = {}
    if found.minutes_meeting_id is not None:
        meeting = Meeting.objects.get(pk=found.minutes_meeting_id)
        version = meeting.minutes_versions.order_by("-number").first()
        if version is not None:
            outputs["minutes DOCX"] = time_call(lambda: render_docx(version.frame), runs)
            outputs["minutes PDF"] = time_call(lambda: render_pdf(version.frame), max(3, runs // 4))
    if found.cell_xlsx is not None:
        page = found.cell_xlsx
        outputs[page.name] = time_call(lambda: browser.get(page).content, max(3, runs // 4))
    if found.dashboard_xlsx is not None and found.dashboard_party_id is not None:
        # A POST starts it as a background job; its runner is what the worker spends the time on.
        job = Job(
            owner_id=found.dashboard_xlsx.user_id,
            kind="reports.dashboard_xlsx",
            params={"party": found.dashboard_party_id, "year": timezone.localdate().year, "quarter": None},
        )
        outputs[found.dashboard_xlsx.name] = time_call(lambda: _run_job(job), max(3, runs // 4))
    return outputs


def _run_job(job: Job) -> bytes:
    out = io.BytesIO()
    jobs.runner_for(job.kind)(job, out, lambda done, total: None)
    return out.getvalue()


def session_cookies(found: Found) -> list[dict[str, str]]:
    """Signed-in cookies for the throughput run (gunicorn reads the same session table)."""
    wanted = [
        page for page in found.pages if page.name == "member home" or page.name.startswith("session page")
    ]
    cookies = []
    for page in wanted:
        client = Client()
        client.force_login(User.objects.get(pk=page.user_id))
        name = settings.SESSION_COOKIE_NAME
        cookies.append(
            {
                "name": page.name,
                "path": page.path,
                "cookie": f"{name}={client.cookies[name].value}",
            }
        )
    return cookies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--counts-only", action="store_true")
    args = parser.parse_args()

    found = find_pages()
    browser = Browser()
    result: dict[str, Any] = {"missing": found.missing}
    if args.counts_only:
        result["pages"] = [
            {"name": page.name, "queries": count_queries(browser, page)} for page in found.pages
        ]
    else:
        result["pages"] = [measure_page(browser, page, args.runs) for page in found.pages]
        result["outputs"] = measure_outputs(browser, found, args.runs)
        result["throughput"] = session_cookies(found)
        result["size"] = {
            "cells": Organization.objects.filter(kind=Organization.Kind.CELL).count(),
            "members": Member.objects.count(),
        }
    Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
