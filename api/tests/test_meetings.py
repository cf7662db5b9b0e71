"""The meetings API answers as the meeting pages do: the same services, permissions and refusals."""

import json
import uuid
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.models import AuditEntry
from meetings import services
from meetings.models import Attendance, Meeting, MinutesVersion, Resolution, ResolutionTask, Speech
from tests import scenarios
from tests.factories import member_in
from tests.scenarios import record

API = "/api/v1"


def send(client, method, url, data=None):
    return client.generic(method, API + url, json.dumps(data or {}), "application/json")


def audited(action):
    return AuditEntry.objects.filter(action=action).count()


def yesterday():
    return timezone.localdate() - timedelta(days=1)


@pytest.mark.django_db
class TestReading:
    def test_members_list_their_cells_meetings_with_filters(self, client, world):
        mine = scenarios.regular_meeting(world, "scheduled")
        services.create_meeting(
            actor=None, cell=world.other_cell, kind="regular", date=yesterday(), start_time=time(8), place="P"
        )
        client.force_login(world.member)
        body = client.get(f"{API}/meetings").json()
        assert [m["id"] for m in body["items"]] == [mine.pk] and body["count"] == 1
        item = body["items"][0]
        assert item["cell_id"] == world.cell.pk and item["status"] == "scheduled"
        assert item["page_url"] == reverse("meetings:detail", args=[mine.pk])
        assert client.get(f"{API}/meetings?kind=thematic").json()["count"] == 0
        assert client.get(f"{API}/meetings?year={mine.date.year - 1}").json()["count"] == 0
        assert client.get(f"{API}/meetings?year={mine.date.year}&cell={world.cell.pk}").json()["count"] == 1
        quarter = (mine.date.month - 1) // 3 + 1
        assert client.get(f"{API}/meetings?quarter={quarter}").json()["count"] == 1
        assert client.get(f"{API}/meetings?quarter={quarter % 4 + 1}").json()["count"] == 0
        assert client.get(f"{API}/meetings?quarter=5").status_code == 422

    def test_the_meeting_of_a_session(self, client, world):
        meeting = scenarios.thematic_meeting(world, "held")
        scenarios.regular_meeting(world, "scheduled")
        client.force_login(world.member)
        body = client.get(f"{API}/meetings?session={meeting.session_id}").json()
        assert [m["id"] for m in body["items"]] == [meeting.pk]
        assert client.get(f"{API}/meetings?kind=thematic").json()["count"] == 1

    def test_the_officer_lists_every_cell_below_in_few_queries(
        self, client, world, django_assert_max_num_queries
    ):
        for day in range(1, 4):
            for cell in (world.cell, world.other_cell):
                services.create_meeting(
                    actor=None,
                    cell=cell,
                    kind="regular",
                    date=yesterday() - timedelta(days=day),
                    start_time=time(8),
                    place="P",
                )
        client.force_login(world.officer)
        client.get(f"{API}/meetings")
        with django_assert_max_num_queries(8):
            body = client.get(f"{API}/meetings?page_size=100").json()
        assert body["count"] == 6
        with django_assert_max_num_queries(8):
            page = client.get(f"{API}/meetings?page_size=2&page=2").json()
        assert len(page["items"]) == 2 and page["items"][0]["id"] == body["items"][2]["id"]

    def test_what_cannot_be_seen_does_not_exist(self, client, world):
        meeting = scenarios.regular_meeting(world, "approved")
        client.force_login(world.other_member)
        response = client.get(f"{API}/meetings/{meeting.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert client.get(f"{API}/meetings/{meeting.pk}/attendance").status_code == 404

    def test_the_meeting_as_its_page_shows_it(self, client, world):
        meeting = scenarios.thematic_meeting(world, "held")
        client.force_login(world.member)
        body = client.get(f"{API}/meetings/{meeting.pk}").json()
        assert body["status"] == "approved" and body["minutes_symbol"]
        assert body["chair"]["full_name"] == "Nguyễn Văn Bình"
        assert body["minutes_secretary"]["full_name"] == "Lê Văn Đức"
        assert body["session_title"] == scenarios.SESSION_TITLE and body["conclusion"] == "Nhất trí"
        assert body["vote"]["votes_for"] == 3 and body["vote"]["passed"] is True
        assert body["vote"]["basis"]["adjusted_total"] == 3 and body["vote"]["basis"]["needed"] == 2
        assert [v["number"] for v in body["minutes"]] == [1]
        assert body["problems"] is None  # the record is the secretaries' work, and it is locked

    def test_attendance_with_the_adjusted_total(self, client, world):
        meeting = scenarios.regular_meeting(world, "marked")
        client.force_login(world.member)
        body = client.get(f"{API}/meetings/{meeting.pk}/attendance").json()
        assert {r["member"]["full_name"] for r in body["rows"]} == {
            "Nguyễn Văn Bình",
            "Trần Thị Hoa",
            "Lê Văn Đức",
            "Phạm Thị Mai",
        }
        probationary = next(r for r in body["rows"] if r["member"]["full_name"] == "Phạm Thị Mai")
        assert probationary["full"] is False and probationary["may_vote"] is False
        assert body["summary"]["present"] == 4 and body["summary"]["basis"]["adjusted_total"] == 3
        assert body["checks"] is None  # the rule checks are for who records
        client.force_login(world.secretary)
        assert client.get(f"{API}/meetings/{meeting.pk}/attendance").json()["checks"] is not None


@pytest.mark.django_db
class TestPlanning:
    def test_the_secretary_plans_a_meeting_and_issues_its_notice(self, client, world):
        client.force_login(world.secretary)
        day = (timezone.localdate() + timedelta(days=7)).isoformat()
        data = {"cell_id": world.cell.pk, "kind": "regular", "date": day, "start_time": "07:30", "place": "P"}
        response = send(client, "POST", "/meetings", data)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "scheduled" and body["notice_symbol"] is None
        assert body["agenda"]  # the usual order of business, as the page makes it
        assert audited("meetings.meeting.created") == 1
        response = send(client, "POST", f"/meetings/{body['id']}/notice")
        assert response.status_code == 200 and response.json()["notice_symbol"].endswith("-TB/CB")
        again = send(client, "POST", f"/meetings/{body['id']}/notice")
        assert again.status_code == 409
        assert again.json()["message"] == "Thông báo của cuộc họp này đã được ban hành."

    def test_the_same_time_twice_is_refused_with_the_pages_message(self, client, world):
        client.force_login(world.secretary)
        day = (timezone.localdate() + timedelta(days=7)).isoformat()
        data = {
            "cell_id": world.cell.pk,
            "kind": "regular",
            "date": day,
            "start_time": "07:30",
            "place": "P",
            "issue_notice": True,
        }
        first = send(client, "POST", "/meetings", data)
        assert first.status_code == 201 and first.json()["notice_symbol"]
        second = send(client, "POST", "/meetings", data)
        assert second.status_code == 400
        assert "date" in second.json()["fields"]
        assert Meeting.objects.count() == 1

    def test_a_thematic_meeting_needs_its_session_field_by_field(self, client, world):
        client.force_login(world.secretary)
        data = {
            "cell_id": world.cell.pk,
            "kind": "thematic",
            "date": "2026-03-06",
            "start_time": "14:00",
            "place": "P",
        }
        response = send(client, "POST", "/meetings", data)
        assert response.status_code == 400
        assert response.json()["fields"] == {
            "session_id": ["Chọn buổi sinh hoạt chuyên đề tổ chức tại cuộc họp này."]
        }
        malformed = send(client, "POST", "/meetings", {**data, "date": "06/03/2026"})
        assert malformed.status_code == 422 and "date" in malformed.json()["fields"]

    def test_members_may_not_plan_and_strangers_see_no_cell(self, client, world):
        data = {
            "cell_id": world.cell.pk,
            "kind": "regular",
            "date": "2026-03-06",
            "start_time": "14:00",
            "place": "P",
        }
        client.force_login(world.member)
        assert send(client, "POST", "/meetings", data).status_code == 403
        client.force_login(world.other_member)
        assert send(client, "POST", "/meetings", data).status_code == 404
        assert not Meeting.objects.exists()


@pytest.mark.django_db
class TestRecord:
    def test_opening_without_a_notice_asks_for_the_confirmation(self, client, world):
        meeting = scenarios.regular_meeting(world, "scheduled")
        client.force_login(world.secretary)
        response = send(client, "POST", f"/meetings/{meeting.pk}/open")
        assert response.status_code == 400
        assert list(response.json()["fields"]) == ["confirmed_without_notice"]
        assert response.json()["message"].startswith("Cuộc họp này chưa có thông báo (TB)")
        response = send(client, "POST", f"/meetings/{meeting.pk}/open", {"confirmed_without_notice": True})
        assert response.status_code == 200 and response.json()["status"] == "in_progress"
        assert "Ghi giờ kết thúc cuộc họp." in response.json()["problems"]
        assert Attendance.objects.filter(meeting=meeting).count() == 4

    def test_one_mark_then_a_change_is_audited(self, client, world):
        meeting = scenarios.regular_meeting(world, "open")
        member = record(world.member)
        client.force_login(world.deputy)
        url = f"/meetings/{meeting.pk}/attendance/{member.pk}"
        response = send(client, "PUT", url, {"status": "absent_excused", "reason": "Đi công tác"})
        assert response.status_code == 200
        assert response.json()["status"] == "absent_excused" and response.json()["reason"] == "Đi công tác"
        assert audited("meetings.attendance.changed") == 0  # the first marking is read back with the minutes
        response = send(client, "PUT", url, {"status": "absent_unexcused", "expected": "absent_excused"})
        assert response.status_code == 200 and audited("meetings.attendance.changed") == 1

    def test_a_mark_over_someone_elses_is_refused(self, client, world):
        meeting = scenarios.regular_meeting(world, "marked")
        member = record(world.member)
        client.force_login(world.deputy)
        response = send(
            client,
            "PUT",
            f"/meetings/{meeting.pk}/attendance/{member.pk}",
            {"status": "late", "expected": ""},
        )
        assert response.status_code == 409 and "Lê Văn Đức" in response.json()["message"]

    def test_a_batch_is_saved_whole_or_not_at_all_and_can_be_sent_again(self, client, world):
        meeting = scenarios.regular_meeting(world, "open")
        deputy, member = record(world.deputy), record(world.member)
        client.force_login(world.secretary)
        bad = {
            "marks": [
                {"member_id": deputy.pk, "status": "present"},
                {"member_id": member.pk, "status": "exempted"},
            ]
        }
        response = send(client, "POST", f"/meetings/{meeting.pk}/attendance", bad)
        assert response.status_code == 400 and "Lê Văn Đức" in response.json()["message"]
        assert not Attendance.objects.filter(meeting=meeting).exclude(status="").exists()
        good = {
            "marks": [
                {"member_id": deputy.pk, "status": "present"},
                {"member_id": member.pk, "status": "absent_excused", "reason": "Ốm"},
            ]
        }
        for _ in range(2):  # the phone's queue sent again after a dropped answer
            response = send(client, "POST", f"/meetings/{meeting.pk}/attendance", good)
            assert response.status_code == 200
        assert response.json()["summary"]["present"] == 1 and response.json()["summary"]["excused"] == 1
        assert audited("meetings.attendance.changed") == 0
        response = send(client, "POST", f"/meetings/{meeting.pk}/attendance/all-present")
        assert response.json()["marked"] == 2 and response.json()["attendance"]["summary"]["unmarked"] == 0
        assert audited("meetings.attendance.all_present") == 1

    def test_the_minutes_secretary_writes_but_the_secretaries_name_people(self, client, world):
        meeting = scenarios.regular_meeting(world, "open")
        member = record(world.member)
        client.force_login(world.secretary)
        response = send(client, "PATCH", f"/meetings/{meeting.pk}", {"minutes_secretary_id": member.pk})
        assert response.status_code == 200 and response.json()["minutes_secretary"]["id"] == member.pk
        assert audited("meetings.role.named") == 1
        client.force_login(world.member)
        response = send(
            client,
            "PATCH",
            f"/meetings/{meeting.pk}",
            {"conclusion": "Chi bộ thống nhất.", "end_time": "16:00", "guests": "Đ/c Hà"},
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["conclusion"] == "Chi bộ thống nhất." and body["end_time"] == "16:00:00"
        response = send(client, "PATCH", f"/meetings/{meeting.pk}", {"guests": "Khác", "chair_id": None})
        assert response.status_code == 403
        assert response.json()["message"] == "Đồng chí không có quyền thực hiện thao tác này."
        assert Meeting.objects.get(pk=meeting.pk).guests == "Đ/c Hà"  # all fields or none

    def test_a_field_changed_meanwhile_is_a_conflict(self, client, world):
        meeting = scenarios.regular_meeting(world, "open")
        services.save_field(actor=None, meeting=meeting, name="guests", value="Đ/c Hà")
        client.force_login(world.secretary)
        response = send(
            client,
            "PATCH",
            f"/meetings/{meeting.pk}",
            {"agenda": "Mới", "guests": "Đ/c Lan", "base": {"guests": ""}},
        )
        assert response.status_code == 409
        assert response.json()["code"] == "conflict" and list(response.json()["fields"]) == ["guests"]
        meeting.refresh_from_db()
        assert meeting.guests == "Đ/c Hà" and meeting.agenda != "Mới"

    def test_a_scheduled_meeting_has_no_record_yet(self, client, world):
        meeting = scenarios.regular_meeting(world, "scheduled")
        client.force_login(world.secretary)
        response = send(client, "PATCH", f"/meetings/{meeting.pk}", {"guests": "Đ/c Hà"})
        assert response.status_code == 409
        assert response.json()["message"] == "Hãy mở biên bản cuộc họp trước."

    def test_a_speech_sent_twice_is_saved_once_and_removed_with_an_entry(self, client, world):
        meeting = scenarios.regular_meeting(world, "open")
        client.force_login(world.secretary)
        data = {"member_id": record(world.deputy).pk, "summary": "Nhất trí", "client_id": str(uuid.uuid4())}
        first = send(client, "POST", f"/meetings/{meeting.pk}/speeches", data)
        again = send(client, "POST", f"/meetings/{meeting.pk}/speeches", data)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"] and Speech.objects.count() == 1
        assert first.json()["speaker"] == "Trần Thị Hoa"
        client.force_login(world.member)
        assert [s["summary"] for s in client.get(f"{API}/meetings/{meeting.pk}/speeches").json()] == [
            "Nhất trí"
        ]
        assert send(client, "DELETE", f"/speeches/{first.json()['id']}").status_code == 403
        client.force_login(world.secretary)
        assert send(client, "DELETE", f"/speeches/{first.json()['id']}").status_code == 204
        assert not Speech.objects.exists() and audited("meetings.speech.deleted") == 1

    def test_a_speech_needs_a_speaker_on_the_list(self, client, world):
        meeting = scenarios.regular_meeting(world, "open")
        client.force_login(world.secretary)
        stranger = record(world.other_member)
        response = send(
            client, "POST", f"/meetings/{meeting.pk}/speeches", {"member_id": stranger.pk, "summary": "x"}
        )
        assert response.status_code == 400 and "member_id" in response.json()["fields"]
        response = send(client, "POST", f"/meetings/{meeting.pk}/speeches", {"summary": "x"})
        assert response.status_code == 400 and "member_id" in response.json()["fields"]


@pytest.mark.django_db
class TestVoteAndQuality:
    def test_the_vote_against_the_adjusted_total(self, client, world):
        meeting = scenarios.regular_meeting(world, "marked")
        client.force_login(world.secretary)
        data = {"mode": "counts", "votes_for": 2, "against": 1, "other": 0, "subject": "Thông qua nghị quyết"}
        response = send(client, "POST", f"/meetings/{meeting.pk}/vote", data)
        assert response.status_code == 200, response.content
        body = response.json()
        assert (
            body["passed"] is True and body["basis"]["adjusted_total"] == 3 and body["basis"]["needed"] == 2
        )
        assert audited("meetings.vote.recorded") == 1
        different = send(
            client, "POST", f"/meetings/{meeting.pk}/vote", {**data, "votes_for": 1, "against": 2}
        )
        assert different.status_code == 409
        assert send(client, "POST", f"/meetings/{meeting.pk}/vote", data).status_code == 200
        assert audited("meetings.vote.recorded") == 1  # the same vote sent again changes nothing
        assert send(client, "DELETE", f"/meetings/{meeting.pk}/vote").status_code == 204
        assert Meeting.objects.get(pk=meeting.pk).votes_for is None

    def test_more_votes_than_voters_and_an_unmarked_list_are_refused(self, client, world):
        client.force_login(world.secretary)
        meeting = scenarios.regular_meeting(world, "open")
        data = {"mode": "counts", "votes_for": 3, "against": 0, "other": 0}
        response = send(client, "POST", f"/meetings/{meeting.pk}/vote", data)
        assert response.status_code == 409 and response.json()["message"].startswith(
            "Điểm danh tất cả đảng viên trước khi biểu quyết"
        )
        services.mark_all_present(actor=None, meeting=meeting)
        response = send(client, "POST", f"/meetings/{meeting.pk}/vote", {**data, "votes_for": 4})
        assert response.status_code == 400 and response.json()["code"] == "refused"
        assert response.json()["message"] == (
            "Đã đếm 4 phiếu nhưng chỉ có 3 đảng viên chính thức có quyền biểu quyết có mặt "
            "(đảng viên dự bị không biểu quyết)."
        )
        page = client.post(reverse("meetings:vote", args=[meeting.pk]), {**data, "votes_for": 4})
        assert page.status_code == 400 and escape(response.json()["message"]) in page.content.decode()
        negative = send(client, "POST", f"/meetings/{meeting.pk}/vote", {**data, "votes_for": -1})
        assert negative.status_code == 422

    def test_a_named_vote_shows_each_members_vote_to_who_records(self, client, world):
        meeting = scenarios.regular_meeting(world, "marked")
        client.force_login(world.secretary)
        voters = [record(u).pk for u in (world.secretary, world.deputy, world.member)]
        named = {str(voters[0]): "for", str(voters[1]): "for", str(voters[2]): "against"}
        response = send(client, "POST", f"/meetings/{meeting.pk}/vote", {"mode": "named", "named": named})
        assert response.status_code == 200, response.content
        assert response.json()["votes_for"] == 2 and len(response.json()["named"]) == 3
        client.force_login(world.member)
        assert client.get(f"{API}/meetings/{meeting.pk}").json()["vote"]["named"] == []

    def test_quality_by_the_rubric(self, client, world):
        meeting = scenarios.regular_meeting(world, "open")
        client.force_login(world.secretary)
        rubric = client.get(f"{API}/meetings/{meeting.pk}/quality").json()
        full = {c["code"]: c["points"] for c in rubric["criteria"]}
        response = send(client, "POST", f"/meetings/{meeting.pk}/quality", {"scores": full})
        assert response.status_code == 200
        assert response.json()["result"]["score"] == sum(full.values())
        assert response.json()["result"]["label"] == rubric["levels"][0]["label"]
        assert audited("meetings.quality.scored") == 1
        code = rubric["criteria"][0]["code"]
        too_many = send(client, "POST", f"/meetings/{meeting.pk}/quality", {"scores": {code: 999}})
        assert too_many.status_code == 400 and rubric["criteria"][0]["label"] in too_many.json()["message"]
        client.force_login(world.member)
        assert client.get(f"{API}/meetings/{meeting.pk}/quality").status_code == 403
        assert send(client, "POST", f"/meetings/{meeting.pk}/quality", {"scores": full}).status_code == 403


@pytest.mark.django_db
class TestMinutes:
    def test_approval_waits_for_what_is_missing(self, client, world):
        meeting = scenarios.regular_meeting(world, "marked")
        client.force_login(world.secretary)
        response = send(client, "POST", f"/meetings/{meeting.pk}/minutes/approve")
        assert response.status_code == 400
        problems = client.get(f"{API}/meetings/{meeting.pk}").json()["problems"]
        assert problems and response.json()["message"] == " ".join(problems)

    def test_approve_correct_and_approve_again_keeps_both_versions(self, client, world):
        meeting = scenarios.regular_meeting(world, "ready")
        client.force_login(world.secretary)
        response = send(client, "POST", f"/meetings/{meeting.pk}/minutes/approve")
        assert response.status_code == 200 and response.json()["status"] == "approved"
        locked = send(client, "PATCH", f"/meetings/{meeting.pk}", {"guests": "x"})
        assert locked.status_code == 409
        no_reason = send(client, "POST", f"/meetings/{meeting.pk}/minutes/correct", {"reason": ""})
        assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
        response = send(
            client, "POST", f"/meetings/{meeting.pk}/minutes/correct", {"reason": "Sai giờ kết thúc"}
        )
        assert response.status_code == 200 and response.json()["status"] == "correcting"
        assert response.json()["correction_reason"] == "Sai giờ kết thúc"
        client.force_login(world.member)
        assert client.get(f"{API}/meetings/{meeting.pk}").json()["correction_reason"] is None
        client.force_login(world.secretary)
        assert send(client, "PATCH", f"/meetings/{meeting.pk}", {"end_time": "10:00"}).status_code == 200
        response = send(client, "POST", f"/meetings/{meeting.pk}/minutes/approve")
        assert [(v["number"], v["reason"]) for v in response.json()["minutes"]] == [
            (1, ""),
            (2, "Sai giờ kết thúc"),
        ]
        assert MinutesVersion.objects.filter(meeting=meeting).count() == 2
        client.force_login(world.member)
        first, second = (client.get(f"{API}/meetings/{meeting.pk}/minutes/{n}").json() for n in (1, 2))
        assert first["symbol"] == second["symbol"] and first["symbol"].endswith("-BB/CB")
        assert first["title"] == "BIÊN BẢN" and first["signer_name"] == "Nguyễn Văn Bình"
        text = " ".join(str(block) for block in second["body"])
        assert "10 giờ 00 phút" in text and "09 giờ 30 phút" not in text
        assert " ".join(str(block) for block in first["body"]) != text
        assert client.get(f"{API}/meetings/{meeting.pk}/minutes/3").status_code == 404
        assert audited("meetings.minutes.correcting") == 1 and audited("meetings.minutes.approved") == 2

    def test_members_may_not_approve(self, client, world):
        meeting = scenarios.regular_meeting(world, "ready")
        client.force_login(world.member)
        assert send(client, "POST", f"/meetings/{meeting.pk}/minutes/approve").status_code == 403
        assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.IN_PROGRESS


def resolution_data(world, **changes):
    deadline = (timezone.localdate() + timedelta(days=60)).isoformat()
    data = {
        "kind": "NQ",
        "results": "Chi bộ thống nhất nội dung chuyên đề.",
        "tasks": [
            {
                "description": "Xây dựng giờ giảng mẫu",
                "owner_ids": [record(world.member).pk],
                "deadline": deadline,
            },
            {"description": "Tổng kết", "owner_ids": [record(world.deputy).pk], "deadline": deadline},
        ],
    }
    return {**data, **changes}


@pytest.mark.django_db
class TestResolutions:
    def test_written_then_issued_as_the_page_does(self, client, world):
        meeting = scenarios.thematic_meeting(world, "final-approved")
        client.force_login(world.secretary)
        response = send(client, "PUT", f"/meetings/{meeting.pk}/resolution", resolution_data(world))
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["symbol"] is None and [t["description"] for t in body["tasks"]] == [
            "Xây dựng giờ giảng mẫu",
            "Tổng kết",
        ]
        assert audited("meetings.resolution.saved") == 1
        client.force_login(world.member)
        assert client.get(f"{API}/meetings/{meeting.pk}/resolution").status_code == 404  # a draft
        assert client.get(f"{API}/resolutions").json()["count"] == 0
        client.force_login(world.secretary)
        response = send(client, "POST", f"/meetings/{meeting.pk}/resolution/issue")
        assert response.status_code == 200 and response.json()["symbol"].endswith("-NQ/CB")
        assert audited("meetings.resolution.issued") == 2  # on the meeting and on the session
        again = send(client, "POST", f"/meetings/{meeting.pk}/resolution/issue")
        assert again.status_code == 409 and again.json()["message"] == "Nghị quyết này đã được ban hành."
        client.force_login(world.member)
        read = client.get(f"{API}/meetings/{meeting.pk}/resolution").json()
        assert read["symbol"] == response.json()["symbol"] and read["issued_on"]
        listed = client.get(f"{API}/resolutions?cell={world.cell.pk}").json()["items"]
        assert [(r["id"], r["tasks_total"], r["tasks_done"]) for r in listed] == [(read["id"], 2, 0)]

    def test_tasks_need_owners_of_the_cell_and_deadlines(self, client, world):
        meeting = scenarios.thematic_meeting(world, "final-approved")
        client.force_login(world.secretary)
        data = resolution_data(world)
        data["tasks"][1] = {
            "description": "Tổng kết",
            "owner_ids": [record(world.other_member).pk],
            "deadline": None,
        }
        response = send(client, "PUT", f"/meetings/{meeting.pk}/resolution", data)
        assert response.status_code == 400
        assert set(response.json()["fields"]) == {"tasks.1.owners"}
        assert not Resolution.objects.exists()
        data["tasks"][1]["owner_ids"] = [record(world.deputy).pk]
        response = send(client, "PUT", f"/meetings/{meeting.pk}/resolution", data)
        assert response.status_code == 400
        assert response.json()["fields"] == {"tasks": ["Nhiệm vụ 2: ghi thời hạn."]}

    def test_no_resolution_before_the_minutes_are_approved(self, client, world):
        meeting = scenarios.regular_meeting(world, "approved")
        client.force_login(world.secretary)
        # A regular meeting ends with no resolution at all, as on the page.
        assert (
            send(client, "PUT", f"/meetings/{meeting.pk}/resolution", resolution_data(world)).status_code
            == 404
        )

    def test_members_may_not_write_it(self, client, world):
        meeting = scenarios.thematic_meeting(world, "resolution-issued")
        client.force_login(world.member)
        response = send(client, "PUT", f"/meetings/{meeting.pk}/resolution", resolution_data(world))
        assert response.status_code == 403


@pytest.mark.django_db
class TestTasks:
    def test_the_owner_lists_filters_and_completes_their_task(self, client, world):
        meeting = scenarios.thematic_meeting(world, "resolution-issued")
        task = ResolutionTask.objects.get(resolution__meeting=meeting)
        me = record(world.member)
        client.force_login(world.member)
        body = client.get(f"{API}/tasks?owner={me.pk}&state=open").json()
        assert [t["id"] for t in body["items"]] == [task.pk]
        assert body["items"][0]["owners"] == [{"id": me.pk, "full_name": "Lê Văn Đức"}]
        assert client.get(f"{API}/tasks?owner={record(world.deputy).pk}").json()["count"] == 0
        assert client.get(f"{API}/tasks?state=done").json()["count"] == 0
        due = task.deadline
        assert (
            client.get(f"{API}/tasks?due_before={(due - timedelta(days=1)).isoformat()}").json()["count"] == 0
        )
        assert client.get(f"{API}/tasks?due_after={due.isoformat()}").json()["count"] == 1
        response = send(client, "POST", f"/tasks/{task.pk}/complete", {"note": "Đã dạy giờ mẫu"})
        assert response.status_code == 200 and response.json()["state"] == "done"
        assert response.json()["done_note"] == "Đã dạy giờ mẫu" and audited("meetings.task.done") == 1
        again = send(client, "POST", f"/tasks/{task.pk}/complete", {})
        assert again.status_code == 409 and again.json()["message"] == "Nhiệm vụ này đã hoàn thành."
        assert client.get(f"{API}/tasks?state=done").json()["count"] == 1

    def test_others_may_read_but_not_complete_and_strangers_see_nothing(self, client, world):
        meeting = scenarios.thematic_meeting(world, "resolution-issued")
        task = ResolutionTask.objects.get(resolution__meeting=meeting)
        client.force_login(world.probationary)
        assert client.get(f"{API}/tasks/{task.pk}").status_code == 200
        assert send(client, "POST", f"/tasks/{task.pk}/complete", {}).status_code == 403
        client.force_login(world.other_member)
        assert client.get(f"{API}/tasks/{task.pk}").status_code == 404
        assert client.get(f"{API}/tasks").json()["count"] == 0
        assert send(client, "POST", f"/tasks/{task.pk}/complete", {}).status_code == 404

    def test_a_draft_resolutions_tasks_are_the_secretaries(self, client, world):
        scenarios.thematic_meeting(world, "resolution-draft")
        client.force_login(world.member)
        assert client.get(f"{API}/tasks").json()["count"] == 0
        client.force_login(world.secretary)
        assert client.get(f"{API}/tasks").json()["count"] == 1

    def test_the_task_list_makes_as_many_queries_for_many_tasks(
        self, client, world, django_assert_max_num_queries
    ):
        meeting = scenarios.thematic_meeting(world, "resolution-issued")
        resolution = Resolution.objects.get(meeting=meeting)
        owners = [record(u) for u in (world.member, world.deputy)]
        for n in range(30):
            task = ResolutionTask.objects.create(
                resolution=resolution, description=f"Việc {n}", deadline=date(2030, 1, 1) + timedelta(n)
            )
            task.owners.set(owners)
        client.force_login(world.officer)
        client.get(f"{API}/tasks")
        with django_assert_max_num_queries(8):
            body = client.get(f"{API}/tasks?page_size=100").json()
        assert body["count"] == 31 and all(len(t["owners"]) == 2 for t in body["items"][1:])


@pytest.mark.django_db
class TestShape:
    def test_the_attendance_and_the_meeting_cost_as_many_queries_for_a_larger_cell(self, client, world):
        def queries(meeting):
            counts = []
            for url in (f"{API}/meetings/{meeting.pk}/attendance", f"{API}/meetings/{meeting.pk}"):
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                counts.append(len(captured.captured_queries))
            return counts

        client.force_login(world.secretary)
        small = scenarios.regular_meeting(world, "marked")
        client.get(f"{API}/meetings/{small.pk}")  # fill the process-wide caches first
        few = queries(small)
        for _ in range(20):
            member_in(world.cell)
        large = services.create_meeting(
            actor=None, cell=world.cell, kind="regular", date=yesterday(), start_time=time(15), place="P"
        )
        services.open_record(actor=None, meeting=large, confirmed_without_notice=True)
        services.mark_all_present(actor=None, meeting=large)
        body = client.get(f"{API}/meetings/{large.pk}/attendance").json()
        assert len(body["rows"]) == 24 and body["summary"]["present"] == 24
        assert queries(large) == few

    def test_every_operation_is_documented_in_vietnamese_with_its_tag(self, client, world):
        client.force_login(world.member)
        schema = client.get(f"{API}/openapi.json").json()
        operations = [
            operation
            for path, item in schema["paths"].items()
            if path.startswith(
                ("/api/v1/meetings", "/api/v1/resolutions", "/api/v1/tasks", "/api/v1/speeches")
            )
            for operation in item.values()
        ]
        assert len(operations) == 27
        assert all(op["tags"] == ["meetings"] and op["summary"] for op in operations)
        assert all("404" in op["responses"] and "403" in op["responses"] for op in operations)
