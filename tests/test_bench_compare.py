"""The judgements of `make bench-scale` and `make bench-ci` (bench/compare.py), fed figures by hand:
a query count that grows with the data fails, and so does a page past its target."""

from bench.compare import count_checks, growing_counts, scale_checks


def _pages(**counts: int) -> list[dict[str, object]]:
    return [{"name": name.replace("_", " "), "queries": queries} for name, queries in counts.items()]


def test_equal_counts_at_both_sizes_pass():
    assert growing_counts(_pages(member_home=15, plans=9), _pages(member_home=15, plans=9)) == []


def test_a_count_that_grows_is_reported_with_both_figures():
    problems = growing_counts(_pages(member_home=15, plans=9), _pages(member_home=15, plans=12))
    assert [(p.page, p.small, p.large) for p in problems] == [("plans", 9, 12)]
    assert str(problems[0]) == "plans: 9 queries at the smaller size, 12 at the larger"


def test_a_count_that_falls_is_not_a_failure():
    assert growing_counts(_pages(plans=12), _pages(plans=9)) == []


def test_a_page_missing_at_one_size_fails_in_ci_but_not_between_scales():
    small, large = _pages(plans=9), _pages(plans=9, officer_home=20)
    assert [p.page for p in growing_counts(small, large)] == ["officer home"]
    assert growing_counts(small, large, missing_fails=False) == []


def test_pages_named_with_a_figure_of_the_data_are_matched_by_their_name():
    small = [{"name": "reading page (4 comments)", "queries": 30}]
    large = [{"name": "reading page (40 comments)", "queries": 31}]
    assert [p.page for p in growing_counts(small, large)] == ["reading page"]
    # A bracket that is not a figure stays part of the name: two officers' homes are two pages.
    small = [{"name": "officer home (district)", "queries": 20}]
    large = [{"name": "officer home (district)", "queries": 20}]
    assert growing_counts(small, large) == []


def test_count_checks_fail_once_per_growing_page():
    school, province = {"pages": _pages(plans=9, search=7)}, {"pages": _pages(plans=10, search=8)}
    checks = count_checks("school", school, "province", province)
    assert [(c.what, c.passed) for c in checks] == [
        ("query count: plans", False),
        ("query count: search", False),
    ]
    assert count_checks("school", school, "province", school)[0].passed


def _page(name: str, group: str, *, p95: float, html: int = 10_000) -> dict[str, object]:
    return {"name": name, "group": group, "p95_ms": p95, "html_bytes": html}


def test_each_group_is_held_to_its_target():
    result = {
        "pages": [
            _page("dashboard", "officer", p95=250, html=981 * 1024),  # too heavy
            _page("plans", "officer", p95=120),
            _page("member home", "member", p95=51),  # too slow
            _page("search", "search", p95=99),
            _page("meeting mode", "secretary", p95=900),  # no target of its own
        ],
        "throughput": [
            {"name": "session page (held)", "ratio": 0.39},
            {"name": "member home", "ratio": 0.05},
        ],
        "outputs": {"minutes DOCX": {"p50_ms": 150.0}, "minutes PDF": {"p50_ms": 1600.0}},
    }
    failed = {c.what for c in scale_checks(result) if not c.passed}
    assert failed == {
        "dashboard: HTML",
        "member home: p95",
        "session page (held): throughput",
        "minutes PDF: render (median)",
    }
    assert len(scale_checks(result)) == 9  # 2 per officer page, 1 per other judged page, 3 more


def _background(archive_s: float, first_mb: float, peak_mb: float, announcement_s: float) -> dict:
    return {
        "archive": {"seconds": archive_s, "rss_first_batch_mb": first_mb, "peak_rss_mb": peak_mb},
        "announcement": {"seconds": announcement_s},
    }


def test_the_archive_and_the_announcement_are_held_to_their_targets():
    met = {
        c.what: c.passed for c in scale_checks({"pages": [], "background": _background(25.2, 85, 95, 7.3)})
    }
    assert met == {
        "year-end archive: time": True,
        "year-end archive: memory": True,
        "announcement: time": True,
    }
    failed = scale_checks({"pages": [], "background": _background(30.5, 85, 160, 10.2)})
    assert [(c.what, c.value) for c in failed if not c.passed] == [
        ("year-end archive: time", "30.5 s"),
        ("year-end archive: memory", "+75 MB"),
        ("announcement: time", "10.2 s"),
    ]
    assert scale_checks({"pages": []}) == []  # not measured: nothing judged
