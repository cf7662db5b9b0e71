"""A skeptic's review of the API's areas (issue 14): what the pages hide stays hidden, odd input is a
4xx in the one error shape (never a 500), and lists cost the same queries whatever the data."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.services import notify
from tests import scenarios
from tests.factories import CellFactory, member_in
from tests.scenarios import record

pytestmark = pytest.mark.django_db

API = "/api/v1"


def answers_in_shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    return body


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# --- What the pages hide --------------------------------------------------------------------------


PRESENTER_FIELDS = ("presenter_strengths", "presenter_weaknesses", "presenter_rating")


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("member", True), ("secretary", True), ("officer", True), ("probationary", False), ("deputy", True)],
)
def test_the_presenters_evaluation_is_read_by_whom_the_session_page_shows_it(client, world, persona, sees):
    """The session page shows the presenter's strengths, weaknesses and rating only to the presenters
    (world.member here) and to who manages the cell (evaluation.presenter); the other members read the
    session's result and lessons, not how their comrade was rated."""
    session = scenarios.evaluated_session(world)
    client.force_login(world.persona(persona))
    body = client.get(f"{API}/sessions/{session.pk}/evaluation").json()
    assert body["result"] == "Đạt mục đích, yêu cầu"
    if sees:
        assert body["presenter_rating"] == "good" and body["presenter_strengths"] == "Chuẩn bị công phu"
    else:
        assert all(body[name] is None for name in PRESENTER_FIELDS), body


# --- Odd input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["-1", "0", "99999", str(2**70)])
@pytest.mark.parametrize("path", ["/meetings", "/resolutions"])
def test_a_year_out_of_range_is_a_field_error_not_a_crash(client, world, path, year):
    client.force_login(world.secretary)
    body = answers_in_shape(client.get(f"{API}{path}?year={year}"), 422)
    assert "year" in body["fields"]


@pytest.mark.parametrize(
    "url",
    [
        "/organizations?parent={huge}",
        "/meetings?cell={huge}",
        "/meetings?session={huge}",
        "/resolutions?cell={huge}",
        "/tasks?cell={huge}",
        "/tasks?owner={huge}",
        "/reports?cell={huge}",
        "/models?cell={huge}",
    ],
)
def test_an_id_no_database_can_hold_is_refused_in_the_error_shape(client, world, url):
    """Path ids this large are already a 404 (Django's guard on the primary key); a filter on a foreign
    key has no such guard on SQLite (OverflowError, a 500), so the filters bound their ids."""
    client.force_login(world.secretary)
    body = answers_in_shape(client.get(API + url.format(huge=2**70)), 422)
    assert body["fields"]


@pytest.mark.parametrize("page", [2**63, 2**70])
def test_a_page_number_beyond_any_offset_is_a_field_error(client, world, page):
    client.raise_request_exception = False  # the 500 as the caller gets it
    client.force_login(world.secretary)
    body = answers_in_shape(client.get(f"{API}/notifications?page={page}"), 422)
    assert "page" in body["fields"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/meetings/{}"),
        ("get", "/sessions/{}/draft"),
        ("get", "/members/{}"),
        ("get", "/tasks/{}"),
        ("delete", "/comments/{}"),
        ("delete", "/speeches/{}"),
    ],
)
def test_a_huge_path_id_is_not_found(client, world, method, path):
    client.force_login(world.secretary)
    answers_in_shape(getattr(client, method)(API + path.format(2**70)), 404)


@pytest.mark.parametrize("body", ["null", "[]", '"text"', "{", "1", '{"summary": null}'])
def test_a_speech_that_is_not_an_object_is_refused_in_the_error_shape(client, world, body):
    meeting = scenarios.regular_meeting(world, "open")
    client.force_login(world.secretary)
    response = client.post(f"{API}/meetings/{meeting.pk}/speeches", body, "application/json")
    assert response.status_code in (400, 422), response.content
    answers_in_shape(response, response.status_code)


def test_an_upload_without_its_file_names_the_field(client, world):
    session = scenarios.session_at(world, "assigned")
    client.force_login(world.member)
    body = answers_in_shape(client.post(f"{API}/sessions/{session.pk}/draft/versions", {}), 400)
    assert "file" in body["fields"]


# --- Lists cost the same queries for more data -----------------------------------------------------


def test_the_tree_and_the_roster_cost_the_same_queries_for_more_cells_and_members(client, world):
    client.force_login(world.officer)
    roster = f"{API}/organizations/{world.cell.pk}/members"
    tree = f"{API}/organizations?parent={world.cell.parent_id}"
    client.get(roster)  # fill the process-wide caches first
    few = (queries(client, roster), queries(client, tree))
    for _ in range(15):
        member_in(world.cell)
        CellFactory(parent=world.cell.parent)
    assert (queries(client, roster), queries(client, tree)) == few


def test_notifications_cost_the_same_queries_for_many(client, world):
    client.force_login(world.member)
    notify(recipients=[world.member], title="Một", body="", url="/", email=False)
    client.get(f"{API}/notifications")
    few = queries(client, f"{API}/notifications")
    for number in range(20):
        notify(recipients=[world.member], title=f"Thông báo {number}", body="", url="/", email=False)
    assert queries(client, f"{API}/notifications") == few


def test_the_cells_participation_costs_the_same_queries_for_a_larger_cell(client, world):
    client.force_login(world.secretary)
    url = f"{API}/organizations/{world.cell.pk}/participation"
    client.get(url)
    few = queries(client, url)
    for _ in range(15):
        member_in(world.cell)
    assert queries(client, url) == few


def test_speeches_and_readers_cost_the_same_queries_for_more(client, world):
    from meetings import services

    meeting = scenarios.regular_meeting(world, "marked")
    client.force_login(world.secretary)
    speeches = f"{API}/meetings/{meeting.pk}/speeches"
    client.get(speeches)
    few = queries(client, speeches)
    for number in range(10):
        services.add_speech(
            actor=None,
            meeting=meeting,
            member_id=record(world.member).pk,
            kind="speech",
            summary=f"Ý {number}",
        )
    assert queries(client, speeches) == few


def test_search_costs_the_same_queries_for_a_page_of_many_hits(client, world):
    from django.utils import timezone

    from search.models import SearchEntry
    from search.services import folded

    def entry(number: int) -> None:
        title = f"Văn hóa Hồ Chí Minh {number}"
        SearchEntry.objects.create(
            kind=SearchEntry.Kind.TOPIC,
            object_id=number,
            organization=world.cell,
            audience=SearchEntry.Audience.CELL,
            title=title,
            text="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
            url="/",
            dated=timezone.now(),
            folded_title=folded(title),
            folded=folded(title + " Học tập và làm theo"),
        )

    entry(0)
    client.force_login(world.member)
    url = f"{API}/search?q=van%20hoa"
    assert client.get(url).json()["count"] == 1
    few = queries(client, url)
    for number in range(1, 30):
        entry(number)
    assert client.get(url).json()["count"] == 30
    assert queries(client, url) == few


def test_the_readers_cost_the_same_queries_for_a_larger_cell(client, world):
    small = scenarios.session_at(world, "distributed")
    client.force_login(world.secretary)
    url = f"{API}/sessions/{small.pk}/draft/readers"
    client.get(url)
    few = queries(client, url)
    for _ in range(15):
        member_in(world.cell)
    assert len(client.get(url).json()["items"]) > 15
    assert queries(client, url) == few
