"""One whole cycle driven only through the API (issue 14, "What must be shown"): the secretary plans,
the Đảng ủy acknowledges, the presenter writes the draft, the cell reads and comments, the meeting is
held and recorded, the final text approved and the resolution issued, then evaluated. Every step is an
HTTP request with a personal access token; nothing calls a service or touches a model directly, and
the end state is read back through the API too."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts import services as accounts

pytestmark = pytest.mark.django_db


class Caller:
    """One persona's program: its own token, nothing else (no session cookie)."""

    def __init__(self, user: Any):
        _token, secret = accounts.create_token(actor=user, name="chu trình", days=30, scope="write")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def __call__(self, method: str, path: str, data: Any = None, status: int = 200) -> Any:
        response = self.client.generic(
            method, "/api/v1" + path, json.dumps(data) if data is not None else "", "application/json"
        )
        assert response.status_code == status, (
            f"{method} {path}: {response.status_code} {response.content[:600]!r}"
        )
        return response.json() if response.content else None


def test_plan_to_issued_resolution_through_the_api_only(world):
    secretary, officer, member = Caller(world.secretary), Caller(world.officer), Caller(world.member)
    year = timezone.localdate().year + 1

    # The annual plan: made, given a session, submitted, acknowledged by the Đảng ủy.
    presenter_id = member("GET", "/me")["member_id"]
    plan = secretary("POST", "/plans", {"cell_id": world.cell.pk, "year": year}, status=201)
    session = secretary(
        "POST",
        f"/plans/{plan['id']}/sessions",
        {"title": "Văn hóa Hồ Chí Minh", "quarter": 1, "planned_date": f"{year}-02-10"},
        status=201,
    )
    secretary("POST", f"/plans/{plan['id']}/submit")
    assert officer("POST", f"/plans/{plan['id']}/acknowledge")["status"] == "acknowledged"
    session_id = session["id"]

    # The presenter is assigned and writes the draft; the secretary approves it, which distributes it.
    secretary("PUT", f"/sessions/{session_id}/presenters", {"members": [presenter_id]})
    member(
        "POST",
        f"/sessions/{session_id}/draft/versions/text",
        {"text": "# I. Nội dung\n\nVăn hóa Hồ Chí Minh về học tập.\n\nLiên hệ thực tiễn của Khoa."},
        status=201,
    )
    member("POST", f"/sessions/{session_id}/draft/submit", {})
    secretary("POST", f"/sessions/{session_id}/draft/approve", {})

    # A cell-mate reads it and comments on a paragraph; the presenter answers the comment.
    deputy = Caller(world.deputy)
    draft = deputy("GET", f"/sessions/{session_id}/draft")
    anchor = draft["current_version"]["paragraphs"][-1]["anchor"]
    comment = deputy(
        "POST",
        f"/sessions/{session_id}/comments",
        {"body": "Nên thêm ví dụ của Khoa.", "anchor": anchor},
        status=201,
    )
    member("PUT", f"/comments/{comment['id']}/response", {"decision": "accepted", "explanation": ""})

    # The meeting: created with its notice, opened, everyone present, a speech, the vote, the minutes.
    meeting = secretary(
        "POST",
        "/meetings",
        {
            "cell_id": world.cell.pk,
            "kind": "thematic",
            "session_id": session_id,
            "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "start_time": "14:00",
            "place": "Phòng họp Khoa",
            "issue_notice": True,
        },
        status=201,
    )
    meeting_id = meeting["id"]
    secretary("POST", f"/meetings/{meeting_id}/open", {"confirmed_without_notice": False})
    secretary("POST", f"/meetings/{meeting_id}/attendance/all-present", {})
    secretary(
        "PATCH",
        f"/meetings/{meeting_id}",
        {
            "minutes_secretary_id": presenter_id,
            "end_time": "16:00",
            "conclusion": "Nhất trí nội dung chuyên đề.",
        },
    )
    secretary(
        "POST",
        f"/meetings/{meeting_id}/speeches",
        {"member_id": presenter_id, "kind": "presentation", "summary": "Trình bày chuyên đề"},
        status=201,
    )
    vote = secretary(
        "POST", f"/meetings/{meeting_id}/vote", {"mode": "counts", "votes_for": 3, "against": 0, "other": 0}
    )
    assert vote["votes_for"] == 3
    secretary("POST", f"/meetings/{meeting_id}/minutes/approve", {})

    # The final text after the meeting, submitted and approved.
    member(
        "POST",
        f"/sessions/{session_id}/draft/versions/text",
        {"text": "# I. Nội dung\n\nBản hoàn chỉnh sau buổi sinh hoạt, có ví dụ của Khoa."},
        status=201,
    )
    member("POST", f"/sessions/{session_id}/final-text/submit", {})
    secretary("POST", f"/sessions/{session_id}/final-text/approve", {})

    # The resolution with one task for the presenter, issued; then the session is evaluated.
    secretary(
        "PUT",
        f"/meetings/{meeting_id}/resolution",
        {
            "kind": "NQ",
            "results": "Chi bộ thống nhất nội dung chuyên đề.",
            "tasks": [
                {
                    "description": "Xây dựng giờ giảng mẫu",
                    "owner_ids": [presenter_id],
                    "deadline": f"{year}-03-31",
                }
            ],
        },
    )
    secretary("POST", f"/meetings/{meeting_id}/resolution/issue", {})
    secretary(
        "PUT",
        f"/sessions/{session_id}/evaluation",
        {
            "presenter_strengths": "Chuẩn bị công phu",
            "presenter_rating": "good",
            "result": "Đạt mục đích, yêu cầu",
            "lessons": "Gửi dự thảo sớm",
        },
    )

    # Read back through the API: the session at the end of its cycle, the resolution issued, the task
    # in the presenter's list, the comment answered.
    assert member("GET", f"/sessions/{session_id}")["status"] == "evaluated"
    resolution = member("GET", f"/meetings/{meeting_id}/resolution")
    assert resolution["symbol"] and resolution["issued_on"]
    tasks = member("GET", f"/tasks?owner={presenter_id}")["items"]
    assert [t["description"] for t in tasks] == ["Xây dựng giờ giảng mẫu"]
    responses = secretary("GET", f"/sessions/{session_id}/responses")["items"]
    assert [(r["body"], r["response"]["decision"]) for r in responses] == [
        ("Nên thêm ví dụ của Khoa.", "accepted")
    ]
