"""The API's evaluations, participation records, reports, model sessions, search and notifications
answer as their pages do: the same objects, the same refusals in the same words, in one error shape."""

from typing import Any

import pytest
from django.utils import timezone, translation

from core.models import AuditEntry
from evaluations import participation
from library.models import ModelSession
from notifications.models import Notification
from notifications.services import notify
from planning.models import Session
from reports.models import Report
from tests import scenarios
from tests.scenarios import record

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
EVALUATION = {
    "presenter_strengths": "Chuẩn bị công phu",
    "presenter_weaknesses": "",
    "presenter_rating": "good",
    "result": "Đạt mục đích, yêu cầu",
    "lessons": "Gửi dự thảo sớm",
}


def vi(message: str) -> str:
    """``message`` as the Vietnamese page shows it."""
    with translation.override("vi"):
        return translation.gettext(message)


def call(client: Any, method: str, url: str, data: Any = None) -> Any:
    import json

    return client.generic(method, "/api/v1" + url, json.dumps(data or {}), "application/json")


# --- Evaluations -----------------------------------------------------------------------------------


def test_the_secretary_evaluates_an_issued_session(client, world):
    session = scenarios.issued_session(world)
    client.force_login(world.secretary)
    audit_before = AuditEntry.objects.count()
    response = call(client, "PUT", f"/sessions/{session.pk}/evaluation", EVALUATION)
    assert response.status_code == 200, response.content
    assert response.json()["presenter_rating"] == "good"
    session.refresh_from_db()
    assert session.status == Session.Status.EVALUATED
    assert AuditEntry.objects.count() > audit_before
    assert client.get(f"/api/v1/sessions/{session.pk}/evaluation").json()["result"] == EVALUATION["result"]


def test_a_session_not_yet_issued_is_refused_with_the_pages_words(client, world):
    session = scenarios.session_at(world, "planned")
    client.force_login(world.secretary)
    response = call(client, "PUT", f"/sessions/{session.pk}/evaluation", EVALUATION)
    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_state",
        "message": vi("A session is evaluated after its resolution is issued."),
        "fields": {},
    }


def test_an_evaluation_without_its_required_fields_names_them(client, world):
    session = scenarios.issued_session(world)
    client.force_login(world.secretary)
    response = call(client, "PUT", f"/sessions/{session.pk}/evaluation", {**EVALUATION, "result": ""})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == ["result"]
    bad = call(client, "PUT", f"/sessions/{session.pk}/evaluation", {**EVALUATION, "presenter_rating": "x"})
    assert bad.status_code == 422 and "presenter_rating" in bad.json()["fields"]


def test_participation_gives_the_records_figures(client, world):
    scenarios.regular_meeting(world, "approved")  # yesterday, everyone present
    member = record(world.member)
    expected = participation.record(member, YEAR)
    client.force_login(world.member)
    body = client.get(f"/api/v1/members/{member.pk}/participation?year={YEAR}").json()
    assert (body["present"], body["comments"], body["meetings"]) == (
        expected.present,
        expected.comments,
        expected.meetings,
    )
    assert body["present"] == 1  # yesterday's meeting, world.member present


def test_the_cells_table_is_refused_to_members(client, world):
    client.force_login(world.member)
    assert client.get(f"/api/v1/organizations/{world.cell.pk}/participation").status_code == 403
    client.force_login(world.secretary)
    rows = client.get(f"/api/v1/organizations/{world.cell.pk}/participation").json()
    assert rows["count"] == 4 and {row["full_name"] for row in rows["items"]} >= {"Lê Văn Đức"}


# --- Reports ---------------------------------------------------------------------------------------


def test_a_report_from_start_to_acknowledgement(client, world):
    client.force_login(world.secretary)
    created = call(client, "POST", "/reports", {"cell": world.cell.pk, "year": YEAR, "quarter": 1})
    assert created.status_code == 201, created.content
    report_id = created.json()["id"]
    assert created.json()["status"] == "draft" and "planned" in created.json()["figures"]

    refused = call(client, "POST", f"/reports/{report_id}/submit")
    assert refused.status_code == 400
    assert refused.json()["fields"] == {
        "assessment": [vi("Write the general assessment before submitting the report.")]
    }

    edited = call(client, "PATCH", f"/reports/{report_id}", {"assessment": "Đúng kế hoạch.", "direction": ""})
    assert edited.json()["assessment"] == "Đúng kế hoạch."
    assert call(client, "POST", f"/reports/{report_id}/submit").json()["status"] == "submitted"
    assert Report.objects.get(pk=report_id).figures is not None  # frozen at submission

    # The members read it now; the officer acknowledges it; the secretary may not.
    assert call(client, "POST", f"/reports/{report_id}/acknowledge").status_code == 403
    client.force_login(world.officer)
    acknowledged = call(client, "POST", f"/reports/{report_id}/acknowledge", {"remarks": ""})
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "acknowledged"


def test_a_second_report_for_the_period_is_refused_on_its_field(client, world):
    client.force_login(world.secretary)
    assert (
        call(client, "POST", "/reports", {"cell": world.cell.pk, "year": YEAR, "quarter": 1}).status_code
        == 201
    )
    again = call(client, "POST", "/reports", {"cell": world.cell.pk, "year": YEAR, "quarter": 1})
    assert again.status_code == 400
    assert again.json()["fields"] == {"quarter": [vi("This cell already has a report for this quarter.")]}


def test_reports_filter_by_natural_keys_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    from reports import services

    for quarter in (1, 2, 3):
        services.create_report(actor=None, cell=world.cell, year=YEAR, quarter=quarter)
    client.force_login(world.secretary)
    with django_assert_max_num_queries(12):
        body = client.get(f"/api/v1/reports?year={YEAR}&quarter=2").json()
    assert [(item["year"], item["quarter"]) for item in body["items"]] == [(YEAR, 2)]
    assert client.get("/api/v1/reports").json()["count"] == 3
    # A member does not see the secretaries' drafts, as on the page.
    client.force_login(world.member)
    assert client.get("/api/v1/reports").json()["count"] == 0


# --- Model sessions --------------------------------------------------------------------------------


def test_a_model_session_registered_approved_published_and_adopted(client, world):
    session = scenarios.evaluated_session(world)
    client.force_login(world.secretary)
    registered = call(client, "POST", f"/sessions/{session.pk}/model", {"note": "Mô hình mẫu"})
    assert registered.status_code == 201, registered.content
    model_id = registered.json()["id"]
    assert registered.json()["package"] is None

    client.force_login(world.officer)
    assert call(client, "POST", f"/models/{model_id}/approve").json()["status"] == "approved"
    client.force_login(world.secretary)
    published = call(client, "POST", f"/models/{model_id}/publish")
    assert published.json()["status"] == "published" and published.json()["package"]

    # The cell that held it cannot adopt it, with the form's words.
    refused = call(
        client, "POST", f"/models/{model_id}/adopt", {"cell": world.cell.pk, "year": YEAR + 1, "quarter": 1}
    )
    assert refused.status_code == 403
    client.force_login(world.admin)
    adopted = call(
        client,
        "POST",
        f"/models/{model_id}/adopt",
        {"cell": world.other_cell.pk, "year": YEAR + 1, "quarter": 2},
    )
    assert adopted.status_code == 201, adopted.content
    assert adopted.json()["cell_id"] == world.other_cell.pk and adopted.json()["session_id"]
    assert ModelSession.objects.get(pk=model_id).adoptions.count() == 1


def test_a_model_of_another_party_does_not_exist(client, world):
    model = scenarios.model_session(world, "published")
    client.force_login(world.foreign_officer)
    assert client.get(f"/api/v1/models/{model.pk}").status_code == 404
    assert client.get("/api/v1/models").json()["count"] == 0


# --- Search ----------------------------------------------------------------------------------------


def test_search_finds_what_the_page_finds(client, world):
    scenarios.evaluated_session(world)
    client.force_login(world.member)
    body = client.get("/api/v1/search?q=van%20hoa").json()
    assert body["count"] >= 1
    assert any(hit["title"] == scenarios.SESSION_TITLE for hit in body["items"])
    assert all(hit["url"].startswith("/") for hit in body["items"])
    # The foreign officer sees nothing of this Đảng bộ.
    client.force_login(world.foreign_officer)
    assert client.get("/api/v1/search?q=van%20hoa").json()["count"] == 0
    assert client.get("/api/v1/search?q=").status_code == 422


# --- Notifications ---------------------------------------------------------------------------------


def test_notifications_are_each_persons_own(client, world):
    [mine] = notify(recipients=[world.member], title="Dự thảo mới", body="", url="/", email=False)
    notify(recipients=[world.member], title="Họp chi bộ", body="", url="/", email=False)
    client.force_login(world.secretary)
    assert call(client, "POST", f"/notifications/{mine.pk}/read").status_code == 404
    client.force_login(world.member)
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 2
    assert call(client, "POST", f"/notifications/{mine.pk}/read").json()["read_at"]
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 1
    assert call(client, "POST", "/notifications/read").json() == {"count": 1}
    assert not Notification.objects.filter(recipient=world.member, read_at__isnull=True).exists()


def test_search_counts_and_pages_the_best_matches_only_as_the_page_does(client, world, monkeypatch):
    from search import selectors

    scenarios.evaluated_session(world)  # a topic, an approved draft, a resolution, lessons: several hits
    client.force_login(world.member)
    everything = client.get("/api/v1/search?q=van%20hoa").json()
    assert everything["count"] >= 2
    monkeypatch.setattr(selectors, "MAX_COUNTED", 1)
    capped = client.get("/api/v1/search?q=van%20hoa").json()
    assert capped["count"] == 1
    assert [hit["title"] for hit in capped["items"]] == [everything["items"][0]["title"]]


def test_field_errors_are_in_the_readers_language(client, world):
    client.force_login(world.secretary)
    body = {"cell": "abc", "year": YEAR, "quarter": 9}
    vi_answer = call(client, "POST", "/reports", body).json()
    assert vi_answer["fields"] == {
        "cell": ["Hãy nhập một số nguyên."],
        "quarter": ["Hãy nhập giá trị không quá 4."],
    }
    en_answer = client.post(
        "/api/v1/reports", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert en_answer["fields"]["cell"] == ["Enter a whole number."]


def test_an_id_beyond_any_row_is_refused_not_a_server_error(client, world):
    client.force_login(world.secretary)
    response = call(client, "POST", "/reports", {"cell": 2**70, "year": YEAR, "quarter": 1})
    assert response.status_code in (404, 422)
    assert set(response.json()) == {"code", "message", "fields"}
