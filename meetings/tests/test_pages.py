"""The meeting pages through the test client: the secretary runs a meeting with plain forms (the
way a phone without scripts does), the script's JSON answers, and what members and others see."""

import json
import uuid
from unittest import mock

import pytest
from django.urls import reverse

from core.errors import DomainError
from meetings.models import Meeting, Speech
from meetings.tests.helpers import member_of
from notifications.models import Notification
from organizations.models import Member
from tests import scenarios


@pytest.fixture
def secretary_client(client, world):
    client.force_login(world.secretary)
    return client


def _member(user):
    return Member.objects.get(user=user)


def test_the_secretary_plans_and_runs_a_meeting_with_plain_forms(secretary_client, world, distributed):
    client = secretary_client
    page = client.get(reverse("meetings:create", args=[world.cell.pk]) + f"?session={distributed.pk}")
    assert page.status_code == 200 and distributed.title in page.content.decode()
    answer = client.post(
        reverse("meetings:create", args=[world.cell.pk]),
        {
            "kind": "thematic",
            "session": distributed.pk,
            "date": distributed.planned_date.isoformat(),
            "start_time": "14:00",
            "place": "Phòng họp Khoa",
        },
    )
    meeting = Meeting.objects.get(session=distributed)
    assert answer.status_code == 302 and answer["Location"] == reverse("meetings:detail", args=[meeting.pk])
    client.post(reverse("meetings:notice_issue", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.notice.symbol == "01-TB/CB"
    assert Notification.objects.filter(
        recipient=world.member, url=reverse("meetings:detail", args=[meeting.pk])
    )
    pdf = client.get(reverse("meetings:notice_file", args=[meeting.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"

    client.post(reverse("meetings:open", args=[meeting.pk]))
    page = client.get(reverse("meetings:record", args=[meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Phạm Thị Mai" in html and 'data-attendance="' in html
    client.post(reverse("meetings:all_present", args=[meeting.pk]))
    assert not meeting.attendances.filter(status="").exists()
    mai = _member(world.probationary)
    client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {f"status-{mai.pk}": "absent_excused", f"reason-{mai.pk}": "Ốm"},
    )
    assert meeting.attendances.get(member=mai).reason == "Ốm"
    presenter = _member(world.member)
    client.post(
        reverse("meetings:save_field", args=[meeting.pk]),
        {"minutes_secretary": presenter.pk, "conclusion": "Chi bộ thống nhất cao.", "end_time": "16:05"},
    )
    client.post(
        reverse("meetings:speech_add", args=[meeting.pk]),
        {
            "member": presenter.pk,
            "kind": "presentation",
            "summary": "Trình bày dự thảo",
            "client_id": uuid.uuid4(),
        },
    )
    client.post(
        reverse("meetings:speech_add", args=[meeting.pk]),
        {
            "member": _member(world.deputy).pk,
            "kind": "speech",
            "summary": "Bổ sung ví dụ",
            "client_id": uuid.uuid4(),
        },
    )
    answer = client.post(
        reverse("meetings:vote", args=[meeting.pk]),
        {"mode": "counts", "votes_for": 3, "against": 0, "other": 0, "vote_subject": "Nghị quyết chuyên đề"},
        follow=True,
    )
    meeting.refresh_from_db()
    assert (meeting.votes_for, meeting.vote_passed, meeting.vote_subject) == (3, True, "Nghị quyết chuyên đề")
    assert answer.status_code == 200
    page = client.get(reverse("meetings:record", args=[meeting.pk]))
    assert "Approve the minutes" in page.content.decode() or "Duyệt biên bản" in page.content.decode()
    answer = client.post(reverse("meetings:minutes_approve", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.APPROVED, answer
    docx = client.get(reverse("meetings:minutes_file", args=[meeting.pk, "docx"]) + "?v=1")
    assert docx.status_code == 200
    # Locked: the record page sends back to the meeting page.
    assert client.get(reverse("meetings:record", args=[meeting.pk])).status_code == 302


def test_planning_a_meeting_can_issue_its_notice_in_the_same_step(secretary_client, world, distributed):
    client = secretary_client
    url = reverse("meetings:create", args=[world.cell.pk])
    html = client.get(url + f"?session={distributed.pk}").content.decode()
    assert 'name="issue_notice"' in html and 'data-confirm-when="issue_notice"' in html
    assert 'id="id_issue_notice" checked' in html
    data = {
        "kind": "thematic",
        "session": distributed.pk,
        "date": distributed.planned_date.isoformat(),
        "start_time": "14:00",
        "place": "Phòng họp Khoa",
        "issue_notice": "on",
    }
    # If the notice is refused, the meeting is not planned either, and the form says why.
    with mock.patch("meetings.services.notice.issue_notice", side_effect=DomainError("Sổ văn bản đang bận.")):
        answer = client.post(url, data)
    assert answer.status_code == 200 and "Sổ văn bản đang bận." in answer.content.decode()
    assert not Meeting.objects.filter(session=distributed).exists()
    answer = client.post(url, data)
    meeting = Meeting.objects.get(session=distributed)
    assert answer.status_code == 302 and meeting.notice is not None
    told = Notification.objects.filter(
        recipient=world.member, url=reverse("meetings:detail", args=[meeting.pk])
    )
    assert told.exists()


def vote_card(html: str) -> str:
    return html.split('id="vote"', 1)[1].split("</section>", 1)[0]


def test_a_vote_exceeding_the_voters_is_refused_beside_its_fields_with_the_values_kept(
    secretary_client, world, meeting
):
    client = secretary_client
    client.post(reverse("meetings:all_present", args=[meeting.pk]))
    eligible = 3  # Bình, Hoa, Đức present; Mai is probationary
    answer = client.post(
        reverse("meetings:vote", args=[meeting.pk]),
        {"mode": "counts", "votes_for": 9, "against": 0, "other": 1, "vote_subject": "Nghị quyết chuyên đề"},
    )
    meeting.refresh_from_db()
    assert meeting.votes_for is None
    # The record page again, in place (no redirect to the top), the message inside the vote card.
    assert answer.status_code == 400
    card = vote_card(answer.content.decode())
    assert 'role="alert" id="vote-error"' in card and "dự bị" in card
    assert 'name="votes_for" value="9" autofocus aria-invalid="true"' in card
    assert 'name="other" value="1"' in card and 'value="Nghị quyết chuyên đề"' in card
    # The inputs carry the server's limit: no count above the full members present who may vote.
    assert card.count(f'max="{eligible}"') == 3
    assert 'data-eligible="3"' in card
    assert not answer.context["messages"] or "dự bị" not in " ".join(map(str, answer.context["messages"]))


def test_a_refused_named_vote_keeps_each_choice(secretary_client, world, meeting):
    client = secretary_client
    client.post(reverse("meetings:all_present", args=[meeting.pk]))
    voter = member_of(world.member)
    answer = client.post(
        reverse("meetings:vote", args=[meeting.pk]),
        {"mode": "named", f"vote-{voter.pk}": "for", f"vote-{member_of(world.probationary).pk}": "for"},
    )
    assert answer.status_code == 400
    card = vote_card(answer.content.decode())
    assert "Phạm Thị Mai" in card.split('id="vote-error"', 1)[1].split("</p>", 1)[0]
    select = card.split(f'name="vote-{voter.pk}"', 1)[1].split("</select>", 1)[0]
    assert '<option value="for" selected>' in select
    assert '<input type="radio" name="mode" value="named" checked' in card


def test_a_refused_quality_score_keeps_the_points_typed(secretary_client, world, meeting):
    client = secretary_client
    page = client.get(reverse("meetings:record", args=[meeting.pk]))
    rubric = page.context["rubric"]
    first, second = rubric.criteria[0], rubric.criteria[1]
    answer_rubric = client.post(
        reverse("meetings:quality", args=[meeting.pk]),
        {f"score-{first.code}": "5,5", f"score-{second.code}": "7"},
    )
    assert answer_rubric.status_code == 400
    card = answer_rubric.content.decode().split('id="quality"', 1)[1].split("</section>", 1)[0]
    assert 'role="alert" id="quality-error"' in card and "số nguyên" in card
    assert f'name="score-{first.code}" value="5,5" autofocus' in card
    assert f'name="score-{second.code}" value="7"' in card


def test_autosave_answers_json_and_reports_a_conflict(secretary_client, meeting):
    url = reverse("meetings:save_field", args=[meeting.pk])
    headers = {"X-Requested-With": "fetch"}
    first = secretary_client.post(url, {"name": "conclusion", "value": "Bản A", "base": ""}, headers=headers)
    assert first.status_code == 200 and json.loads(first.content)["ok"] is True
    # A second phone that loaded the page before "Bản A" was saved.
    stale = secretary_client.post(url, {"name": "conclusion", "value": "Bản B", "base": ""}, headers=headers)
    assert stale.status_code == 409
    assert json.loads(stale.content)["current"] == "Bản A"
    meeting.refresh_from_db()
    assert meeting.conclusion == "Bản A"


def test_a_speech_sent_twice_is_saved_once(secretary_client, world, meeting):
    client_id = str(uuid.uuid4())
    data = {"member": _member(world.deputy).pk, "kind": "speech", "summary": "Ý kiến", "client_id": client_id}
    url = reverse("meetings:speech_add", args=[meeting.pk])
    headers = {"X-Requested-With": "fetch"}
    assert secretary_client.post(url, data, headers=headers).status_code == 200
    assert secretary_client.post(url, data, headers=headers).status_code == 200
    assert Speech.objects.filter(meeting=meeting).count() == 1


def test_marking_someone_outside_the_cell_is_refused(secretary_client, world, meeting):
    outsider = Member.objects.get(user=world.other_member)
    answer = secretary_client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {f"status-{outsider.pk}": "present"},
        headers={"X-Requested-With": "fetch"},
    )
    assert answer.status_code == 400
    assert not meeting.attendances.filter(member=outsider).exists()


def test_the_meeting_page_tells_a_changed_mark_and_the_people_named_as_sentences(
    secretary_client, world, regular
):
    client = secretary_client
    mai, hoa = _member(world.probationary), _member(world.deputy)
    client.post(reverse("meetings:all_present", args=[regular.pk]))
    client.post(
        reverse("meetings:attendance", args=[regular.pk]),
        {f"status-{mai.pk}": "absent_excused", f"reason-{mai.pk}": "Ốm"},
    )
    client.post(reverse("meetings:save_field", args=[regular.pk]), {"minutes_secretary": hoa.pk})
    html = client.get(reverse("meetings:detail", args=[regular.pk])).content.decode()
    assert "đã sửa điểm danh của Phạm Thị Mai từ “Có mặt” thành “Vắng có lý do”." in html
    assert "đã cử Trần Thị Hoa làm thư ký cuộc họp." in html


def _planned(world, day, start):
    from meetings import services

    return services.create_meeting(
        actor=world.secretary, cell=world.cell, kind="regular", date=day, start_time=start, place="Phòng họp"
    )


def test_before_its_start_the_meeting_page_says_when_the_record_opens(secretary_client, world):
    from datetime import time

    from django.utils import timezone

    meeting = _planned(world, timezone.localdate(), time(14, 0))  # it is 09:00
    page = secretary_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Biên bản được mở khi cuộc họp bắt đầu, lúc 14:00" in page
    assert reverse("meetings:open", args=[meeting.pk]) not in page
    answer = secretary_client.post(reverse("meetings:open", args=[meeting.pk]), follow=True)
    assert "Biên bản được mở khi cuộc họp bắt đầu" in answer.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_opening_a_meeting_without_a_notice_asks_to_confirm_on_a_page_of_its_own(secretary_client, world):
    from datetime import time

    from django.utils import timezone

    meeting = _planned(world, timezone.localdate(), time(7, 30))
    url = reverse("meetings:open", args=[meeting.pk])
    page = secretary_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'action="{url}"' in page

    # The button sends no confirmation: the answer is the confirm step, naming what is missing.
    for data in ({}, {"confirmed_without_notice": ""}):
        answer = secretary_client.post(url, data)
        html = answer.content.decode()
        assert answer.status_code == 200
        assert "Cuộc họp này chưa có thông báo (TB)" in html
        assert 'name="confirmed_without_notice"' in html and f'action="{url}"' in html
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.SCHEDULED

    answer = secretary_client.post(url, {"confirmed_without_notice": "on"})
    assert answer.status_code == 302 and answer["Location"] == reverse("meetings:record", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_PROGRESS


def test_the_session_page_shows_the_cycle_and_the_next_step(secretary_client, world, meeting):
    page = secretary_client.get(reverse("planning:session", args=[meeting.session_id]))
    html = page.content.decode()
    assert 'aria-current="step"' in html
    # While the record is open, continuing it is the one primary action.
    actions = html.split('class="card cycle-card"', 1)[1].split("</section>", 1)[0]
    first = actions.split('class="btn"', 1)[1].split("</a>", 1)[0]
    assert reverse("meetings:record", args=[meeting.pk]) in first and "Tiếp tục ghi biên bản" in first


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.new_year
def test_the_record_and_meeting_pages_take_the_same_queries_for_a_bigger_cell(secretary_client, world):
    """Queries per page do not grow with the members, speeches and open tasks of the cell."""
    from datetime import time, timedelta

    from django.utils import timezone

    from meetings import services
    from tests.factories import member_in

    def meeting_with(members: int) -> Meeting:
        hour = 7 + members  # one meeting per time of day
        for n in range(members):
            member_in(world.cell, full_name=f"Đảng viên {len(str(n))}{n}")
        meeting = services.create_meeting(
            actor=world.secretary,
            cell=world.cell,
            kind="regular",
            date=timezone.localdate() - timedelta(days=1),
            start_time=time(hour, 30),
            place="Phòng họp",
        )
        services.open_record(actor=world.secretary, meeting=meeting, confirmed_without_notice=True)
        services.mark_all_present(actor=world.secretary, meeting=meeting)
        for row in meeting.attendances.all()[:members]:
            services.add_speech(
                actor=world.secretary, meeting=meeting, member_id=row.member_id, summary="Ý kiến"
            )
        return meeting

    small, big = meeting_with(1), meeting_with(8)
    for name in ("meetings:record", "meetings:detail"):
        assert _queries(secretary_client, reverse(name, args=[small.pk])) == _queries(
            secretary_client, reverse(name, args=[big.pk])
        ), name


def test_unusual_digits_in_the_address_or_the_form_get_an_answer_not_an_error(
    secretary_client, world, meeting
):
    """ "²".isdigit() is true but int("²") fails: such input is refused cleanly, never a server error."""
    client = secretary_client
    assert client.get(reverse("meetings:create", args=[world.cell.pk]) + "?session=²").status_code == 200
    assert client.get(reverse("meetings:minutes_file", args=[meeting.pk, "pdf"]) + "?v=²").status_code == 404
    client.post(reverse("meetings:all_present", args=[meeting.pk]))
    answer = client.post(reverse("meetings:vote", args=[meeting.pk]), {"mode": "named", "vote-²": "for"})
    assert answer.status_code == 400  # refused in place, with its reason
    assert 'id="vote-error"' in answer.content.decode()
    meeting.refresh_from_db()
    assert meeting.votes_for is None


def test_the_draft_resolution_is_for_the_secretaries_until_it_is_issued(client, world):
    meeting = scenarios.thematic_meeting(world, "resolution-draft")
    url = reverse("meetings:resolution", args=[meeting.pk])
    for user, expected in ((world.member, 404), (world.officer, 404), (world.deputy, 200)):
        client.force_login(user)
        assert client.get(url).status_code == expected, user
    from meetings import services

    services.issue_resolution(actor=world.secretary, meeting=meeting)
    client.force_login(world.member)
    page = client.get(url)
    assert page.status_code == 200 and "NQ/CB" in page.content.decode()
    assert 'name="results"' not in page.content.decode()


def test_an_attendance_mark_over_someone_elses_is_refused_not_written_over(secretary_client, world, meeting):
    """Two people record: a change sent from a page that still showed the old mark is refused."""
    duc = member_of(world.member)
    url = reverse("meetings:attendance", args=[meeting.pk])
    fetch = {"HTTP_X_REQUESTED_WITH": "fetch"}
    first = secretary_client.post(url, {f"status-{duc.pk}": "present", f"base-{duc.pk}": ""}, **fetch)
    assert first.status_code == 200 and first.json()["ok"]
    # The deputy's phone still showed Đức unmarked when she chose "absent".
    refused = secretary_client.post(
        url, {f"status-{duc.pk}": "absent_unexcused", f"base-{duc.pk}": ""}, **fetch
    )
    assert refused.status_code == 400 and "Lê Văn Đức" in refused.json()["error"]
    assert meeting.attendances.get(member=duc).status == "present"
    # The same mark sent again (a retry) is fine; a change from the page that showed it is too.
    again = secretary_client.post(url, {f"status-{duc.pk}": "present", f"base-{duc.pk}": ""}, **fetch)
    assert again.status_code == 200
    changed = secretary_client.post(url, {f"status-{duc.pk}": "late", f"base-{duc.pk}": "present"}, **fetch)
    assert changed.status_code == 200 and meeting.attendances.get(member=duc).status == "late"
    html = secretary_client.get(reverse("meetings:record", args=[meeting.pk])).content.decode()
    assert f'name="base-{duc.pk}" value="late"' in html  # the plain form sends what it showed
