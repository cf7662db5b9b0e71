"""Search at province scale: the trigram index answers the match on PostgreSQL, a page runs the match
twice (counts by kind, which also give the pager its count, then the page's rows) whatever the number
of matches, and the visibility rule stays a path prefix however large the tree."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from search import selectors
from search.models import SearchEntry
from search.permissions import visible_entries
from search.services import folded
from search.views import PAGE_SIZE
from tests.factories import CellFactory

pytestmark = pytest.mark.django_db

URL = reverse("search:results")
Kind = SearchEntry.Kind
WORDS = (
    "chi bộ đảng viên sinh hoạt chuyên đề nghị quyết học tập làm theo tư tưởng đạo đức phong cách "
    "kiểm tra giám sát công tác xây dựng chỉnh đốn cán bộ nhân dân kinh tế xã hội quốc phòng an ninh "
    "giáo dục đào tạo y tế môi trường chuyển đổi số cải cách hành chính tổ chức thực hiện kết quả"
)
SYLLABLES = WORDS.split()


def bulk_entries(organizations, number: int, *, start: int = 0, every: int = 10, seed: int = 12) -> None:
    """``number`` entries of made-up text spread over ``organizations`` and the four kinds; one in
    ``every`` speaks of "văn hóa" (every other one in its title), of each kind in turn."""
    rng = random.Random(seed)
    now = timezone.now()
    kinds = list(Kind.values)
    rows = []
    for n in range(start, start + number):
        title = " ".join(rng.choices(SYLLABLES, k=6)).capitalize()
        text = " ".join(rng.choices(SYLLABLES, k=120))
        if n % every == 0:
            title, text = (f"Văn hóa {title}", text) if n % (2 * every) == 0 else (title, f"{text} văn hóa")
        rows.append(
            SearchEntry(
                kind=kinds[n // every % 4],
                object_id=n + 1,
                organization=organizations[n % len(organizations)],
                audience=SearchEntry.Audience.CELL,
                title=title,
                text=text,
                url="/",
                dated=now - timedelta(hours=n),
                folded_title=folded(title),
                folded=folded(f"{title}\n{text}"),
            )
        )
    SearchEntry.objects.bulk_create(rows, batch_size=500)


def page_queries(client, query: dict) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, query)
    assert response.status_code == 200
    return [q["sql"] for q in context.captured_queries], response


def matching_queries(sqls: list[str]) -> list[str]:
    """The queries that match the words (the page's rows do not select the folded column)."""
    return [sql for sql in sqls if "folded" in sql]


@pytest.mark.parametrize("kind", ["", Kind.DRAFT])
def test_a_page_matches_twice_whatever_the_number_of_matches(client, world, kind):
    client.force_login(world.officer)
    query = {"q": "van hoa", "loai": kind} if kind else {"q": "van hoa"}
    bulk_entries([world.cell, world.other_cell], 80)
    page_queries(client, query)  # warm up the session and the caches
    few, response = page_queries(client, query)
    assert response.context["total"] == 8

    bulk_entries([world.cell, world.other_cell], 800, start=80)
    many, response = page_queries(client, query)
    assert len(many) == len(few), "\n".join(many)
    # The counts by kind, the page's rows, and for one kind its own count.
    assert len(matching_queries(many)) == (3 if kind else 2), "\n".join(many)
    assert response.context["total"] == 88


def test_counts_by_kind_stay_whole_under_a_kind_filter_and_give_the_pager_its_count(client, world):
    bulk_entries([world.cell], 1000)  # 100 speak of văn hóa: 25 of each kind, by construction
    client.force_login(world.member)
    everything = client.get(URL, {"q": "van hoa"})
    expected = {code: 25 for code in Kind.values}
    assert {code: count for code, _label, count in everything.context["kinds"]} == expected
    assert everything.context["page"].paginator.count == everything.context["total"] == 100

    drafts = client.get(URL, {"q": "van hoa", "loai": Kind.DRAFT, "page": 2})
    assert {code: count for code, _label, count in drafts.context["kinds"]} == expected
    assert drafts.context["total"] == 100
    page = drafts.context["page"]
    assert (page.paginator.count, page.paginator.num_pages, page.number) == (25, 2, 2)
    assert len(drafts.context["results"]) == 25 - PAGE_SIZE
    assert {r.entry.kind for r in drafts.context["results"]} == {Kind.DRAFT}
    # The counts are those of a full count of the same matches.
    found = selectors.matching(world.member, selectors.parse_query("van hoa"))
    assert found.filter(kind=Kind.DRAFT).count() == 25


def test_an_officers_visibility_is_a_path_prefix_not_a_list_of_cells(world):
    def sql_and_params():
        return visible_entries(world.officer).query.sql_with_params()

    world.officer._chuyende_scope = None
    sql, params = sql_and_params()
    for _ in range(40):
        CellFactory(parent=world.party)
    world.officer._chuyende_scope = None  # a new request
    assert sql_and_params() == (sql, params)
    assert len(params) < 5, params  # the officer's path and its ancestors', not the cells
    assert any(str(param).startswith(world.party.path) for param in params), params


def _explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
@pytest.mark.parametrize("persona", ["member", "officer"])
def test_the_trigram_index_answers_the_match_on_postgresql(world, persona):
    cells = [world.cell, world.other_cell, *(CellFactory(parent=world.party) for _ in range(20))]
    bulk_entries(cells, 4000, every=100)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry, organizations_organization")
    user = world.persona(persona)
    query = selectors.parse_query("van hoa")

    page = selectors.search(user, query).values("pk")[:PAGE_SIZE]  # what selectors.Ranked sorts
    with CaptureQueriesContext(connection) as counting:
        selectors.counts_by_kind(selectors.matching(user, query))
    (counts,) = [q["sql"] for q in counting.captured_queries if "search_searchentry" in q["sql"]]
    for plan in (_explain(*page.query.sql_with_params()), _explain(counts, None)):
        assert "Seq Scan on search_searchentry" not in plan, plan
        if persona == "officer":  # the whole Đảng bộ: the words narrow the rows down
            assert "Bitmap Index Scan on searchentry_folded_trgm" in plan, plan
        else:  # a cell's rows and its Đảng bộ's catalogue: the organisation narrows them down first
            assert "Bitmap Index Scan on search_searchentry_organization_id" in plan, plan

    # And the indexes find what a scan of the table finds.
    with_index = selectors.counts_by_kind(selectors.matching(user, query))
    if persona == "officer":
        assert with_index.by_kind == {code: 10 for code in Kind.values}  # 40 speak of văn hóa
    with connection.cursor() as cursor:
        cursor.execute("SET enable_bitmapscan = off; SET enable_indexscan = off")
        try:
            assert "Seq Scan on search_searchentry" in _explain(counts, None)
            assert selectors.counts_by_kind(selectors.matching(user, query)) == with_index
        finally:
            cursor.execute("RESET enable_bitmapscan; RESET enable_indexscan")


def test_matches_are_counted_up_to_a_cap_and_the_best_of_them_paged_through(client, world, monkeypatch):
    """Past selectors.MAX_COUNTED the page says "more than", pages through that many, best first,
    and shows the kinds without counting them; a kind with fewer matches is still counted exactly."""
    monkeypatch.setattr(selectors, "MAX_COUNTED", 50)
    bulk_entries([world.cell], 880)  # 88 speak of văn hóa: 22 of each kind
    client.force_login(world.member)
    response = client.get(URL, {"q": "van hoa"})
    html = response.content.decode()
    assert response.context["more"] and response.context["capped"] and response.context["total"] == 50
    page = response.context["page"]
    assert (page.paginator.count, page.paginator.num_pages) == (50, 3)
    assert "Tất cả (hơn 50)" in html and "Hơn 50 kết quả" in html
    assert "Dự thảo (" not in html and "Dự thảo</a>" in html  # each kind offered, not counted
    best = list(selectors.search(world.member, selectors.parse_query("van hoa")).values_list("pk", flat=True))
    assert len(best) == 88
    assert [r.entry.pk for r in response.context["results"]] == best[:PAGE_SIZE]
    last = client.get(URL, {"q": "van hoa", "page": 3})
    assert [r.entry.pk for r in last.context["results"]] == best[2 * PAGE_SIZE : 50]

    drafts = client.get(URL, {"q": "van hoa", "loai": Kind.DRAFT})
    assert not drafts.context["more"] and drafts.context["page"].paginator.count == 22
    assert "22 kết quả" in drafts.content.decode()

    monkeypatch.setattr(selectors, "MAX_COUNTED", 88)  # exactly as many as there are: not "more"
    exact = client.get(URL, {"q": "van hoa"})
    assert not exact.context["more"] and not exact.context["capped"] and exact.context["total"] == 88
    assert {code: n for code, _label, n in exact.context["kinds"]} == {code: 22 for code in Kind.values}
