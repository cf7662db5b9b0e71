"""The results page: the box, friendly answers to odd queries, results with snippets, kinds, pages, and a
number of queries that does not grow with the matches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning import services as planning
from search.models import SearchEntry
from search.selectors import MAX_QUERY_LENGTH
from search.views import PAGE_SIZE
from tests import scenarios

pytestmark = pytest.mark.django_db

URL = reverse("search:results")


def add_topics(world, count: int, start: int = 0) -> None:
    group = planning.ensure_topic_groups(world.party)[0]
    for n in range(start, start + count):
        planning.create_topic(
            actor=None,
            organization=world.party,
            group=group,
            title=f"Chuyên đề số {n + 1}",
            description="Nâng cao năng lực giảng dạy của giảng viên Khoa.",
        )


def test_the_empty_page_invites_to_type(client, world):
    client.force_login(world.member)
    response = client.get(URL)
    assert response.status_code == 200
    assert "results" not in response.context
    assert 'name="q"' in response.content.decode()


def test_punctuation_alone_gets_a_friendly_answer(client, world, catalogue_topic):
    client.force_login(world.member)
    response = client.get(URL, {"q": "%%% ?!"})
    assert response.status_code == 200
    assert "results" not in response.context
    assert 'class="warning"' in response.content.decode()


def test_a_very_long_query_is_cut_not_refused(client, world, catalogue_topic):
    client.force_login(world.member)
    response = client.get(URL, {"q": "văn hóa " + "x" * 5000})
    assert response.status_code == 200
    assert response.context["query"].truncated
    assert len(response.context["query"].text) == MAX_QUERY_LENGTH
    assert response.context["results"] == []


def test_results_show_kind_title_place_and_the_text_as_written(client, world, catalogue_topic, evaluated):
    client.force_login(world.member)
    response = client.get(URL, {"q": "VAN HOA ho chi minh"})
    page = response.content.decode()
    kinds = {r.entry.kind for r in response.context["results"]}
    assert kinds == set(SearchEntry.Kind.values)  # the session's title is "Văn hóa Hồ Chí Minh"
    assert reverse("planning:topics") in page
    assert "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc" in page
    assert world.cell.name in page and world.party.name in page
    # The words were in the approved draft; the hit shows the final text that replaced it.
    drafts = [r for r in response.context["results"] if r.entry.kind == SearchEntry.Kind.DRAFT]
    assert [r.entry.text for r in drafts] == ["Bản hoàn chỉnh sau buổi sinh hoạt."]
    assert "Bản <mark>hoà</mark>n <mark>chỉ</mark>nh" in page  # as written, where the words begin

    lessons = client.get(URL, {"q": "dai dien dang uy"})
    assert [r.entry.kind for r in lessons.context["results"]] == [SearchEntry.Kind.LESSON]
    assert "<mark>đại</mark> <mark>diện</mark> <mark>Đảng</mark> <mark>ủy</mark>" in lessons.content.decode()


def test_nothing_found_says_so(client, world, catalogue_topic):
    client.force_login(world.member)
    response = client.get(URL, {"q": "khong co dau"})
    assert response.status_code == 200
    assert response.context["results"] == []
    assert "khong co dau" in response.content.decode()


def test_results_come_twenty_a_page(client, world):
    add_topics(world, PAGE_SIZE + 5)
    client.force_login(world.other_member)

    first = client.get(URL, {"q": "giang vien"})
    assert len(first.context["results"]) == PAGE_SIZE
    assert first.context["page"].paginator.count == PAGE_SIZE + 5
    assert 'rel="next"' in first.content.decode()

    second = client.get(URL, {"q": "giang vien", "page": 2})
    assert len(second.context["results"]) == 5
    shown_first = {r.entry.pk for r in first.context["results"]}
    assert not shown_first & {r.entry.pk for r in second.context["results"]}

    # A page that does not exist shows the last one rather than an error.
    assert client.get(URL, {"q": "giang vien", "page": "99"}).status_code == 200
    assert client.get(URL, {"q": "giang vien", "page": "abc"}).status_code == 200


def test_the_kind_filter(client, world, catalogue_topic, evaluated):
    client.force_login(world.member)
    only_topics = client.get(URL, {"q": "van hoa", "loai": "topic"})
    assert {r.entry.kind for r in only_topics.context["results"]} == {SearchEntry.Kind.TOPIC}
    counts = {code: count for code, _label, count in only_topics.context["kinds"]}
    assert counts[SearchEntry.Kind.TOPIC] == 1 and counts[SearchEntry.Kind.DRAFT] >= 1
    ignored = client.get(URL, {"q": "van hoa", "loai": "<script>"})
    assert ignored.status_code == 200 and ignored.context["kind"] == ""
    assert len(ignored.context["results"]) == only_topics.context["total"]


def _queries(client, query: dict[str, str]) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, query)
    assert response.status_code == 200
    return [q["sql"] for q in context.captured_queries]


@pytest.mark.parametrize("persona", ["member", "officer", "admin"])
def test_the_page_makes_as_many_queries_for_45_matches_as_for_3(client, world, persona, evaluated):
    client.force_login(world.persona(persona))
    query = {"q": "giang"}
    add_topics(world, 3)
    _queries(client, query)  # warm up the session and the caches
    few = _queries(client, query)
    assert len(client.get(URL, query).context["results"]) == 4  # and the resolution's "giờ giảng mẫu"

    add_topics(world, 42, start=3)
    many = _queries(client, query)
    assert len(client.get(URL, query).context["results"]) == PAGE_SIZE
    assert len(many) == len(few), "\n".join(many)


def test_a_draft_revised_after_approval_is_one_hit_the_version_readers_see_last(client, world):
    meeting = scenarios.thematic_meeting(world, "final-approved")
    final = meeting.session.draft_versions.order_by("number").last()
    client.force_login(world.probationary)  # an ordinary reader of the cell
    response = client.get(URL, {"q": meeting.session.title, "loai": SearchEntry.Kind.DRAFT})
    hits = response.context["results"]
    assert [hit.entry.object_id for hit in hits] == [final.pk]
    assert hits[0].entry.url.endswith(f"?v={final.number}")
