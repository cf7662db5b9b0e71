"""The judgements of `bench/scale.py`, kept free of Django and of the machine so that a test can feed
them figures: the targets of issue 12 checked against a run, and query counts compared between sizes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Issue 12, "Targets" (province scale, PostgreSQL, 2 cores).
OFFICER_MAX_HTML = 100 * 1024
OFFICER_MAX_P95_MS = 300.0
MEMBER_MAX_P95_MS = 50.0
SEARCH_MAX_P95_MS = 100.0
SESSION_MIN_THROUGHPUT = 0.40
DOCX_MAX_MS = 150.0
PDF_MAX_MS = 1500.0
# Item 6: the province's year-end archive and an announcement to every member.
ARCHIVE_MAX_S = 30.0
# "Memory flat": the archive's peak may exceed its memory after the first batch by this much at most,
# whatever the number of batches (one batch's members, rosters and files are in memory at a time).
ARCHIVE_MAX_GROWTH_MB = 64.0
ANNOUNCEMENT_MAX_S = 10.0


@dataclass(frozen=True)
class Check:
    what: str  # "dashboard by year: HTML"
    target: str  # "≤ 100 KB"
    value: str  # "981 KB"
    passed: bool


@dataclass(frozen=True)
class Growth:
    page: str
    small: int | None  # None: the page was not found at that size
    large: int | None

    def __str__(self) -> str:
        if self.small is None or self.large is None:
            where = "the smaller" if self.small is None else "the larger"
            return f"{self.page}: not found at {where} size, so its count cannot be compared"
        return f"{self.page}: {self.small} queries at the smaller size, {self.large} at the larger"


def growing_counts(
    small: list[dict[str, Any]], large: list[dict[str, Any]], *, missing_fails: bool = True
) -> list[Growth]:
    """Pages whose query count grows from the smaller data to the larger, or (`missing_fails`) that
    one size lacks.

    Pages are matched by name; a name that carries a figure of the data ("reading page (38 comments)")
    is matched by what comes before the bracket."""
    small_counts = {page_key(page["name"]): page["queries"] for page in small}
    large_counts = {page_key(page["name"]): page["queries"] for page in large}
    problems = []
    for key in sorted(small_counts.keys() | large_counts.keys()):
        before, after = small_counts.get(key), large_counts.get(key)
        if before is None or after is None:
            if missing_fails:
                problems.append(Growth(key, before, after))
        elif after > before:
            problems.append(Growth(key, before, after))
    return problems


def page_key(name: str) -> str:
    """A page's name without a figure of the data: "reading page (38 comments)" is "reading page"."""
    base, bracket, rest = name.partition(" (")
    if bracket and rest[:1].isdigit():
        return base
    return name


def _ms(value: float) -> str:
    return f"{value:,.0f} ms"


def _kb(value: float) -> str:
    return f"{value / 1024:,.0f} KB"


def page_checks(page: dict[str, Any]) -> list[Check]:
    """The targets a page is held to, by the group it belongs to (bench/pages.py)."""
    checks = []
    group, name = page["group"], page["name"]
    if group == "officer":
        html = page["html_bytes"]
        checks.append(
            Check(f"{name}: HTML", f"≤ {_kb(OFFICER_MAX_HTML)}", _kb(html), html <= OFFICER_MAX_HTML)
        )
        p95 = page["p95_ms"]
        checks.append(
            Check(f"{name}: p95", f"≤ {_ms(OFFICER_MAX_P95_MS)}", _ms(p95), p95 <= OFFICER_MAX_P95_MS)
        )
    elif group == "member":
        p95 = page["p95_ms"]
        checks.append(
            Check(f"{name}: p95", f"≤ {_ms(MEMBER_MAX_P95_MS)}", _ms(p95), p95 <= MEMBER_MAX_P95_MS)
        )
    elif group == "search":
        p95 = page["p95_ms"]
        checks.append(
            Check(f"{name}: p95", f"≤ {_ms(SEARCH_MAX_P95_MS)}", _ms(p95), p95 <= SEARCH_MAX_P95_MS)
        )
    return checks


def scale_checks(result: dict[str, Any]) -> list[Check]:
    """Every target of one scale's run: pages, throughput, documents."""
    checks = [check for page in result["pages"] for check in page_checks(page)]
    for row in result.get("throughput", []):
        if row["name"].startswith("session page"):
            ratio = row["ratio"]
            checks.append(
                Check(
                    f"{row['name']}: throughput",
                    f"≥ {SESSION_MIN_THROUGHPUT:.0%} of the bare view",
                    f"{ratio:.0%}",
                    ratio >= SESSION_MIN_THROUGHPUT,
                )
            )
    checks += background_checks(result.get("background", {}))
    for name, limit in (("minutes DOCX", DOCX_MAX_MS), ("minutes PDF", PDF_MAX_MS)):
        output = result.get("outputs", {}).get(name)
        if output is not None:
            value = output["p50_ms"]
            checks.append(Check(f"{name}: render (median)", f"≤ {_ms(limit)}", _ms(value), value <= limit))
    return checks


def background_checks(background: dict[str, Any]) -> list[Check]:
    """The archive within its time with memory flat, the announcement within its time."""
    checks = []
    made = background.get("archive")
    if made:
        seconds = made["seconds"]
        checks.append(
            Check(
                "year-end archive: time",
                f"≤ {ARCHIVE_MAX_S:g} s",
                f"{seconds:.1f} s",
                seconds <= ARCHIVE_MAX_S,
            )
        )
        growth = made["peak_rss_mb"] - made["rss_first_batch_mb"]
        checks.append(
            Check(
                "year-end archive: memory",
                f"peak ≤ first batch + {ARCHIVE_MAX_GROWTH_MB:g} MB",
                f"+{growth:.0f} MB",
                growth <= ARCHIVE_MAX_GROWTH_MB,
            )
        )
    sent = background.get("announcement")
    if sent:
        seconds = sent["seconds"]
        checks.append(
            Check(
                "announcement: time",
                f"≤ {ANNOUNCEMENT_MAX_S:g} s",
                f"{seconds:.1f} s",
                seconds <= ANNOUNCEMENT_MAX_S,
            )
        )
    return checks


def count_checks(
    small_name: str, small: dict[str, Any], large_name: str, large: dict[str, Any]
) -> list[Check]:
    """Query counts equal at both scales: one failed check per page that grows (a page only one scale
    has, such as the province officer's home, is not compared)."""
    target = f"{large_name} ≤ {small_name}"
    problems = growing_counts(small["pages"], large["pages"], missing_fails=False)
    if not problems:
        return [Check("query counts of every page", target, "none grows", True)]
    return [Check(f"query count: {problem.page}", target, str(problem), False) for problem in problems]
