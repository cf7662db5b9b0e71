"""The meeting room through the API answers as the room's pages do (issues 14 and 15): the same services,
permissions and refusals. One meeting held from beginning to end through the API alone, then the
refusals and the bad input."""

import json
import time as time_module
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import IdempotencyKey
from api.types import ID_MAX
from core.models import AuditEntry
from meetings import services as meetings
from meetings.models import Attendance, Meeting, Speech
from meetings.tests.helpers import open_meeting
from room import checkin, speakers
from room import services as room_services
from room.models import Ballot, CheckIn, SpeakerRequest
from tests import scenarios
from tests.browser import vi
from tests.factories import member_in
from tests.scenarios import record

API = "/api/v1"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client, method, url, data=None, **headers):
    return client.generic(method, API + url, json.dumps(data or {}), "application/json", headers=headers)


def today_at(hour: int, minute: int = 0, second: int = 0):
    moment = datetime.combine(
        timezone.localdate(), time(hour, minute, second), tzinfo=timezone.get_default_timezone()
    )
    return time_machine.travel(moment, tick=False)


def refused(response, status: int, message: str) -> bool:
    body = response.json()
    return response.status_code == status and body["message"] == vi(message)


@pytest.mark.django_db
def test_a_whole_meeting_in_the_room_through_the_api(world):
    """Check-in by code (a late arrival, a refused second check-in), two turns to speak ending as speeches, a
    secret ballot with receipts and the probationary member refused, a named ballot, each closing written to
    the record with the adjusted total."""
    secretary, deputy = signed_in(world.secretary), signed_in(world.deputy)
    member, probationary = signed_in(world.member), signed_in(world.probationary)

    # The secretary plans the meeting and opens its record when it starts.
    with today_at(13):
        day = timezone.localdate().isoformat()
        data = {"cell_id": world.cell.pk, "kind": "regular", "date": day, "start_time": "14:00", "place": "P"}
        created = send(secretary, "POST", "/meetings", data)
        assert created.status_code == 201, created.content
        meeting_id = created.json()["id"]
        # Before the record is opened there is no list of who is summoned: refused as the page does.
        early = send(member, "POST", f"/rooms/{meeting_id}/check-ins", {"code": "123456"})
        assert refused(early, 403, "Only the members summoned to the meeting check in.")
    with today_at(14):
        opened = send(secretary, "POST", f"/meetings/{meeting_id}/open", {"confirmed_without_notice": True})
        assert opened.status_code == 200, opened.content

    # Check-in: the code is for whoever records; each member checks themselves in, once.
    with today_at(14, 2):
        shown = secretary.get(f"{API}/rooms/{meeting_id}/check-in-code")
        assert shown.status_code == 200
        code = shown.json()
        assert code["code"] == checkin.current_code(Meeting.objects.get(pk=meeting_id)).code
        assert 0 < code["expires_in"] <= checkin.WINDOW_SECONDS and code["expected"] == 4
        assert code["check_in_url"] == f"/hop/{meeting_id}/diem-danh-ma/?ma={code['code']}"
        assert member.get(f"{API}/rooms/{meeting_id}/check-in-code").status_code == 403
        wrong = "000000" if code["code"] != "000000" else "111111"
        bad = send(member, "POST", f"/rooms/{meeting_id}/check-ins", {"code": wrong})
        assert refused(
            bad, 400, "This code is not valid (it changes every few minutes); type the one shown now."
        )
        assert bad.json()["fields"] == {"code": [bad.json()["message"]]}
        for client in (secretary, deputy, member):
            done = send(client, "POST", f"/rooms/{meeting_id}/check-ins", {"code": code["code"]})
            assert done.status_code == 201, done.content
            assert done.json()["status"] == "present" and done.json()["late"] is False
        again = send(member, "POST", f"/rooms/{meeting_id}/check-ins", {"code": code["code"]})
        assert refused(again, 409, "You are already marked present.")
    with today_at(14, 5, 30):
        # The code shown at 14:02 is still taken in the next window (14:03-14:06), and more than five
        # minutes after the start the probationary member is late.
        late = send(probationary, "POST", f"/rooms/{meeting_id}/check-ins", {"code": code["code"]})
        assert late.status_code == 201 and late.json()["status"] == "late" and late.json()["late"] is True
    assert CheckIn.objects.filter(meeting_id=meeting_id).count() == 4
    rows = {
        r["member"]["full_name"]: r["status"]
        for r in member.get(f"{API}/meetings/{meeting_id}/attendance").json()["rows"]
    }
    assert rows == {
        "Nguyễn Văn Bình": "present",
        "Trần Thị Hoa": "present",
        "Lê Văn Đức": "present",
        "Phạm Thị Mai": "late",
    }
    room = member.get(f"{API}/rooms/{meeting_id}").json()
    assert (room["present"], room["expected"]) == (4, 4)

    # Two turns to speak, handled by the chair, end as speeches of the record with their times.
    with today_at(14, 15):
        asked = send(member, "POST", f"/rooms/{meeting_id}/speaker-requests", {"about": "Đoạn 3 của dự thảo"})
        assert asked.status_code == 201 and asked.json()["status"] == "waiting" and asked.json()["mine"]
        second = send(probationary, "POST", f"/rooms/{meeting_id}/speaker-requests")
        assert second.status_code == 201
        twice = send(member, "POST", f"/rooms/{meeting_id}/speaker-requests")
        assert refused(twice, 409, "You have already asked to speak.")
        queue = member.get(f"{API}/rooms/{meeting_id}/speaker-requests").json()
        assert [(r["id"], r["mine"]) for r in queue] == [
            (asked.json()["id"], True),
            (second.json()["id"], False),
        ]
        assert send(member, "POST", f"/speaker-requests/{asked.json()['id']}/give-floor").status_code == 403
        given = send(secretary, "POST", f"/speaker-requests/{asked.json()['id']}/give-floor")
        assert given.status_code == 200 and given.json()["status"] == "speaking"
        busy = send(secretary, "POST", f"/speaker-requests/{second.json()['id']}/give-floor")
        assert refused(busy, 409, "Someone has the floor; end their turn first.")
        on_screen = member.get(f"{API}/rooms/{meeting_id}").json()["speakers"]
        assert [(s["member"]["full_name"], s["status"], s["about"]) for s in on_screen] == [
            ("Lê Văn Đức", "speaking", "Đoạn 3 của dự thảo"),
            ("Phạm Thị Mai", "waiting", ""),
        ]
    with today_at(14, 19):
        ended = send(secretary, "POST", f"/speaker-requests/{asked.json()['id']}/end")
        assert ended.status_code == 200, ended.content
        assert ended.json()["request"]["status"] == "done"
        speech = ended.json()["speech"]
        assert (
            speech["member"]["full_name"] == "Lê Văn Đức"
            and "14:15" in speech["summary"]
            and "14:19" in speech["summary"]
        )
        assert send(secretary, "POST", f"/speaker-requests/{asked.json()['id']}/end").status_code == 409
        assert (
            send(secretary, "POST", f"/speaker-requests/{second.json()['id']}/give-floor").status_code == 200
        )
    with today_at(14, 22):
        assert send(secretary, "POST", f"/speaker-requests/{second.json()['id']}/end").status_code == 200
    speeches = member.get(f"{API}/meetings/{meeting_id}/speeches").json()
    assert [(s["id"], s["speaker"]) for s in speeches] == [
        (speech["id"], "Lê Văn Đức"),
        (speeches[1]["id"], "Phạm Thị Mai"),
    ]
    assert Speech.objects.filter(meeting_id=meeting_id).count() == 2
    assert member.get(f"{API}/rooms/{meeting_id}").json()["speakers"] == []

    # A secret ballot: counts only, a receipt for each voter, the probationary member refused.
    with today_at(14, 30):
        ballot = send(
            secretary,
            "POST",
            f"/rooms/{meeting_id}/ballots",
            {"subject": "Thông qua nghị quyết", "secret": True},
        )
        assert ballot.status_code == 201, ballot.content
        ballot_id = ballot.json()["id"]
        assert ballot.json()["status"] == "open" and ballot.json()["eligible"] == 3
        receipts = {}
        for name, client, choice in (("secretary", secretary, "for"), ("deputy", deputy, "for")):
            cast = send(client, "POST", f"/ballots/{ballot_id}/votes", {"choice": choice})
            assert cast.status_code == 201, cast.content
            receipts[name] = cast.json()["receipt"]
        # A secret ballot keeps no Idempotency-Key: the stored request would tie the member to "against".
        key = {"Idempotency-Key": "v-1"}
        first = send(member, "POST", f"/ballots/{ballot_id}/votes", {"choice": "against"}, **key)
        assert (
            first.status_code == 201 and not IdempotencyKey.objects.filter(user_id=world.member.pk).exists()
        )
        receipts["member"] = first.json()["receipt"]
        assert len(set(receipts.values())) == 3 and all(receipts.values())
        again = send(member, "POST", f"/ballots/{ballot_id}/votes", {"choice": "against"}, **key)
        assert refused(again, 409, "You have already voted.") and "Idempotent-Replayed" not in again
        assert not IdempotencyKey.objects.filter(user_id=world.member.pk).exists()
        no = send(probationary, "POST", f"/ballots/{ballot_id}/votes", {"choice": "for"})
        assert refused(no, 403, "Probationary members and members attached here temporarily do not vote.")
        assert probationary.get(f"{API}/ballots/{ballot_id}").json()["standing"] == {
            "may_cast": False,
            "reason": no.json()["message"],
            "voted": False,
        }
        # While it is open, the counts are the chair's; the members see how many have voted.
        seen = member.get(f"{API}/ballots/{ballot_id}").json()
        assert (seen["voted"], seen["votes_for"], seen["against"]) == (3, None, None)
        assert seen["standing"] == {"may_cast": False, "reason": "", "voted": True}
        chair = secretary.get(f"{API}/ballots/{ballot_id}").json()
        assert (chair["votes_for"], chair["against"], chair["other"]) == (2, 1, 0)
        on_screen = member.get(f"{API}/rooms/{meeting_id}").json()["ballot"]
        assert (on_screen["voted"], on_screen["eligible"], on_screen["votes_for"]) == (3, 3, None)
        # A receipt is checked by anyone, spaces and case ignored; a made-up one is not counted.
        spaced = receipts["member"].lower()[:5] + " " + receipts["member"].lower()[5:]
        assert member.get(f"{API}/ballots/{ballot_id}/receipt", {"code": spaced}).json()["counted"] is True
        assert (
            member.get(f"{API}/ballots/{ballot_id}/receipt", {"code": "ABCDEFGHJK"}).json()["counted"]
            is False
        )
        assert send(member, "POST", f"/ballots/{ballot_id}/close").status_code == 403

        closed = send(secretary, "POST", f"/ballots/{ballot_id}/close")
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert body["ballot"]["status"] == "closed" and body["ballot"]["named"] is None
    vote = body["vote"]
    assert (vote["mode"], vote["votes_for"], vote["against"], vote["other"], vote["passed"]) == (
        "counts",
        2,
        1,
        0,
        True,
    )
    assert vote["subject"] == "Thông qua nghị quyết" and vote["named"] == []
    # The adjusted total: three full members, the probationary member not counted.
    assert (vote["basis"]["adjusted_total"], vote["basis"]["needed"], vote["basis"]["eligible_present"]) == (
        3,
        2,
        3,
    )
    assert body["message"] == vi("Passed: %(for)s for, at least %(needed)s of %(total)s needed.") % {
        "for": 2,
        "needed": 2,
        "total": 3,
    }
    # What the record holds is what the meetings service recorded, as the page's closing records it.
    stored = Meeting.objects.get(pk=meeting_id)
    assert (
        stored.vote_mode,
        stored.votes_for,
        stored.votes_against,
        stored.votes_other,
        stored.vote_passed,
    ) == (
        Meeting.VoteMode.COUNTS,
        2,
        1,
        0,
        True,
    )
    assert vote["basis"] == vars(meetings.stored_basis(stored))
    assert member.get(f"{API}/meetings/{meeting_id}").json()["vote"] == {**vote, "named": []}
    assert not Attendance.objects.filter(meeting_id=meeting_id).exclude(vote="").exists()
    # Closed, everyone sees the counts, on the screen too.
    after = member.get(f"{API}/ballots/{ballot_id}").json()
    assert (after["votes_for"], after["against"], after["other"]) == (2, 1, 0)
    assert member.get(f"{API}/rooms/{meeting_id}").json()["result"]["basis"] == vote["basis"]

    # A named ballot, after the recorded vote is cleared: each member's choice, shown to who records.
    with today_at(14, 45):
        named_ballot(world, meeting_id, secretary, deputy, member, probationary)
    actions = list(AuditEntry.objects.filter(action__startswith="room.").values_list("action", flat=True))
    assert actions.count("room.checked_in") == 4 and actions.count("room.vote.closed") == 2
    assert actions.count("room.speech.ended") == 2 and actions.count("room.speech.requested") == 2


def named_ballot(world, meeting_id, secretary, deputy, member, probationary):
    assert send(secretary, "DELETE", f"/meetings/{meeting_id}/vote").status_code == 204
    named = send(
        secretary, "POST", f"/rooms/{meeting_id}/ballots", {"subject": "Kết nạp đảng viên", "secret": False}
    )
    assert named.status_code == 201
    named_id = named.json()["id"]
    for client, choice in ((secretary, "for"), (deputy, "against")):
        cast = send(client, "POST", f"/ballots/{named_id}/votes", {"choice": choice})
        assert cast.status_code == 201 and cast.json()["receipt"] is None
    # A named vote is on the record anyway: its answer, lost, is given again for the same key.
    key = {"Idempotency-Key": "v-3"}
    first = send(member, "POST", f"/ballots/{named_id}/votes", {"choice": "for"}, **key)
    replay = send(member, "POST", f"/ballots/{named_id}/votes", {"choice": "for"}, **key)
    assert first.status_code == replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json() and first.json()["ballot"]["standing"]["voted"] is True
    no = send(probationary, "POST", f"/ballots/{named_id}/votes", {"choice": "for"})
    assert refused(no, 403, "Probationary members and members attached here temporarily do not vote.")
    assert (
        member.get(f"{API}/ballots/{named_id}").json()["votes_for"] == 2
    )  # a named ballot's counts are open
    closed = send(secretary, "POST", f"/ballots/{named_id}/close")
    assert closed.status_code == 200, closed.content
    vote = closed.json()["vote"]
    assert (vote["mode"], vote["votes_for"], vote["against"], vote["passed"]) == ("named", 2, 1, True)
    ids = {
        name: record(user).pk
        for name, user in (("s", world.secretary), ("d", world.deputy), ("m", world.member))
    }
    assert vote["named"] == sorted(
        [
            {"member_id": ids["s"], "vote": "for"},
            {"member_id": ids["d"], "vote": "against"},
            {"member_id": ids["m"], "vote": "for"},
        ],
        key=lambda v: v["member_id"],
    )
    shown = secretary.get(f"{API}/ballots/{named_id}").json()["named"]
    assert [(v["member"]["full_name"], v["choice"]) for v in shown] == [
        ("Lê Văn Đức", "for"),
        ("Nguyễn Văn Bình", "for"),
        ("Trần Thị Hoa", "against"),
    ]
    assert member.get(f"{API}/ballots/{named_id}").json()["named"] is None
    listed = member.get(f"{API}/rooms/{meeting_id}/ballots").json()
    assert [(b["secret"], b["status"]) for b in listed["items"]] == [(True, "closed"), (False, "closed")]
    assert listed["items"][1]["id"] == named_id and listed["count"] == 2


@pytest.fixture
def marked(world):
    """world.cell's meeting of yesterday, its record open and everyone marked present."""
    return Meeting.objects.get(pk=scenarios.regular_meeting(world, "marked").pk)


@pytest.mark.django_db
class TestRefusals:
    def test_what_cannot_be_seen_does_not_exist(self, world, marked):
        ballot = room_services.open_ballot(actor=world.secretary, meeting=marked, subject="NQ", secret=True)
        turn = speakers.request_floor(actor=world.member, meeting=marked)
        stranger = signed_in(world.other_member)
        for method, url in (
            ("GET", f"/rooms/{marked.pk}"),
            ("GET", f"/rooms/{marked.pk}/ballots"),
            ("GET", f"/rooms/{marked.pk}/speaker-requests"),
            ("GET", f"/ballots/{ballot.pk}"),
            ("GET", f"/ballots/{ballot.pk}/receipt?code=ABC"),
            ("POST", f"/ballots/{ballot.pk}/votes"),
            ("POST", f"/speaker-requests/{turn.pk}/withdraw"),
        ):
            response = send(stranger, method, url, {"choice": "for"})
            assert response.status_code == 404 and response.json()["code"] == "not_found", url

    def test_the_officer_reads_the_room_but_checks_in_and_votes_nowhere(self, world, marked):
        ballot = room_services.open_ballot(actor=world.secretary, meeting=marked, subject="NQ", secret=True)
        officer = signed_in(world.officer)
        assert officer.get(f"{API}/rooms/{marked.pk}").status_code == 200
        code = checkin.current_code(marked).code
        response = send(officer, "POST", f"/rooms/{marked.pk}/check-ins", {"code": code})
        assert refused(response, 403, "Only the members summoned to the meeting check in.")
        response = send(officer, "POST", f"/rooms/{marked.pk}/speaker-requests")
        assert refused(response, 403, "Only the members summoned to the meeting ask to speak.")
        response = send(officer, "POST", f"/ballots/{ballot.pk}/votes", {"choice": "for"})
        assert refused(response, 403, "Only the members summoned to the meeting may vote.")
        assert send(officer, "POST", f"/ballots/{ballot.pk}/close").status_code == 403

    def test_no_check_in_once_the_minutes_are_approved(self, world):
        meeting = scenarios.regular_meeting(world, "approved")
        code = checkin.current_code(meeting).code
        response = send(signed_in(world.member), "POST", f"/rooms/{meeting.pk}/check-ins", {"code": code})
        assert refused(response, 409, "Check-in is open only while the meeting is being recorded.")
        shown = signed_in(world.secretary).get(f"{API}/rooms/{meeting.pk}/check-in-code").json()
        assert shown["code"] is None and shown["expires_in"] is None and shown["check_in_url"] is None

    def test_an_expired_code_is_refused(self, world):
        meeting = scenarios.regular_meeting(world, "open")
        old = checkin.code_for(meeting, int(time_module.time() // checkin.WINDOW_SECONDS) - 2)
        if checkin.code_valid(meeting, old):  # the same six digits by chance: nothing to show
            pytest.skip("the expired code equals a current one")
        response = send(signed_in(world.member), "POST", f"/rooms/{meeting.pk}/check-ins", {"code": old})
        assert refused(
            response, 400, "This code is not valid (it changes every few minutes); type the one shown now."
        )
        assert not CheckIn.objects.exists()

    def test_only_the_member_withdraws_their_request(self, world, marked):
        turn = speakers.request_floor(actor=world.member, meeting=marked, about="Đoạn 2")
        response = send(signed_in(world.deputy), "POST", f"/speaker-requests/{turn.pk}/withdraw")
        assert refused(response, 403, "You are not allowed to do this.")
        response = send(signed_in(world.member), "POST", f"/speaker-requests/{turn.pk}/withdraw")
        assert response.status_code == 200 and response.json()["status"] == "withdrawn"
        again = send(signed_in(world.member), "POST", f"/speaker-requests/{turn.pk}/withdraw")
        assert refused(again, 409, "This request no longer waits.")
        assert signed_in(world.member).get(f"{API}/rooms/{marked.pk}/speaker-requests").json() == []

    def test_a_ballot_withdrawn_before_any_vote_only(self, world, marked):
        secretary = signed_in(world.secretary)
        opened = send(secretary, "POST", f"/rooms/{marked.pk}/ballots", {"subject": "NQ"})
        assert opened.status_code == 201 and opened.json()["secret"] is False
        again = send(secretary, "POST", f"/rooms/{marked.pk}/ballots", {"subject": "NQ khác"})
        assert refused(again, 409, "A vote is already open at this meeting.")
        ballot_id = opened.json()["id"]
        nobody = send(secretary, "POST", f"/ballots/{ballot_id}/close")
        assert refused(nobody, 409, "Nobody has voted yet. Wait for the votes, or withdraw the vote.")
        withdrawn = send(secretary, "POST", f"/ballots/{ballot_id}/withdraw")
        assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
        late = send(signed_in(world.member), "POST", f"/ballots/{ballot_id}/votes", {"choice": "for"})
        assert refused(late, 409, "The vote is closed.")
        second = send(secretary, "POST", f"/rooms/{marked.pk}/ballots", {"subject": "NQ", "secret": True})
        room_services.cast_vote(
            actor=world.member, ballot=Ballot.objects.get(pk=second.json()["id"]), choice="for"
        )
        voted = send(secretary, "POST", f"/ballots/{second.json()['id']}/withdraw")
        assert refused(voted, 409, "Members have voted: close the vote instead.")

    def test_no_ballot_before_every_member_is_marked(self, world):
        meeting = scenarios.regular_meeting(world, "open")
        response = send(signed_in(world.secretary), "POST", f"/rooms/{meeting.pk}/ballots", {"subject": "NQ"})
        assert response.status_code == 409
        assert response.json()["message"] == vi(
            "Mark the attendance of every member before the vote (%(count)s still to mark)."
        ) % {"count": 4}

    def test_the_answers_follow_the_callers_language(self, world, marked):
        ballot = room_services.open_ballot(actor=world.secretary, meeting=marked, subject="NQ", secret=True)
        client = signed_in(world.probationary)
        url = f"/ballots/{ballot.pk}/votes"
        response = send(client, "POST", url, {"choice": "for"}, **{"Accept-Language": "en"})
        message = "Probationary members and members attached here temporarily do not vote."
        assert response.status_code == 403 and response.json()["message"] == message
        assert response["Content-Language"] == "en"


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize(
        "code", ["12345", "1234567", "12a456", " 123456", "١٢٣٤٥٦", "１２３４５６", "²³⁴⁵⁶⁷", "", 123456]
    )
    def test_a_check_in_code_is_six_ascii_digits(self, world, code):
        meeting = scenarios.regular_meeting(world, "open")
        response = send(signed_in(world.member), "POST", f"/rooms/{meeting.pk}/check-ins", {"code": code})
        assert response.status_code == 422 and "code" in response.json()["fields"]
        assert not CheckIn.objects.exists()

    @pytest.mark.parametrize(
        "url", ["/rooms/0", f"/rooms/{ID_MAX + 1}", f"/ballots/{ID_MAX + 1}", f"/rooms/{ID_MAX + 1}/ballots"]
    )
    def test_ids_beyond_what_a_row_can_have_are_field_errors(self, world, url):
        response = signed_in(world.member).get(API + url)
        assert response.status_code == 422 and response.json()["code"] == "validation_error"

    def test_ids_in_the_range_but_missing_are_not_found(self, world):
        client = signed_in(world.member)
        assert client.get(f"{API}/rooms/{ID_MAX}").status_code == 404
        assert send(client, "POST", f"/speaker-requests/{ID_MAX}/end").status_code == 404

    def test_texts_are_bounded_as_the_pages_forms(self, world, marked):
        secretary, member = signed_in(world.secretary), signed_in(world.member)
        long_subject = send(secretary, "POST", f"/rooms/{marked.pk}/ballots", {"subject": "x" * 301})
        assert long_subject.status_code == 422 and "subject" in long_subject.json()["fields"]
        blank = send(secretary, "POST", f"/rooms/{marked.pk}/ballots", {"subject": "   "})
        assert blank.status_code == 400 and blank.json()["code"] == "invalid"
        assert blank.json()["fields"]["subject"] == [vi("This field is required.")]
        long_about = send(member, "POST", f"/rooms/{marked.pk}/speaker-requests", {"about": "x" * 201})
        assert long_about.status_code == 422 and "about" in long_about.json()["fields"]
        null = send(member, "POST", f"/rooms/{marked.pk}/speaker-requests", {"about": "Đoạn\x002"})
        assert null.status_code == 400 and "about" in null.json()["fields"]
        assert not Ballot.objects.exists() and not SpeakerRequest.objects.exists()

    def test_a_choice_is_one_of_three(self, world, marked):
        ballot = room_services.open_ballot(actor=world.secretary, meeting=marked, subject="NQ", secret=True)
        for choice in ("yes", "", None, 1):
            response = send(
                signed_in(world.member), "POST", f"/ballots/{ballot.pk}/votes", {"choice": choice}
            )
            assert response.status_code == 422 and "choice" in response.json()["fields"], choice
        missing = send(signed_in(world.member), "POST", f"/ballots/{ballot.pk}/votes", {})
        assert missing.status_code == 422 and "choice" in missing.json()["fields"]
        assert room_services.tally(ballot).voted == 0

    @pytest.mark.parametrize("code", ["", "A" * 17, "ABC-DEF", "ABC\x00DEF", "ẮĂÂ"])
    def test_a_receipt_to_check_is_up_to_16_letters_and_digits(self, world, marked, code):
        ballot = room_services.open_ballot(actor=world.secretary, meeting=marked, subject="NQ", secret=True)
        response = signed_in(world.member).get(f"{API}/ballots/{ballot.pk}/receipt", {"code": code})
        assert response.status_code == 422 and "code" in response.json()["fields"]


@pytest.mark.django_db
class TestQueries:
    def test_the_room_and_its_ballots_cost_as_many_queries_for_a_larger_meeting(self, world):
        client = signed_in(world.secretary)

        def queries(meeting: Meeting) -> tuple[int, ...]:
            counts = []
            for url in (
                f"/rooms/{meeting.pk}",
                f"/rooms/{meeting.pk}/ballots",
                f"/rooms/{meeting.pk}/speaker-requests",
            ):
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(API + url).status_code == 200
                counts.append(len(captured))
            return tuple(counts)

        def meeting_with(days_ago: int, members: int, ballots: int) -> Meeting:
            for _ in range(members):
                member_in(world.cell)
            meeting = open_meeting(world, day=timezone.localdate() - timedelta(days=days_ago))
            meetings.mark_all_present(actor=None, meeting=meeting)
            for user in (world.member, world.deputy, world.probationary)[: 1 + members // 6]:
                speakers.request_floor(actor=user, meeting=meeting)
            for index in range(ballots):
                ballot = room_services.open_ballot(
                    actor=None, meeting=meeting, subject="NQ", secret=index % 2 == 1
                )
                room_services.cast_vote(actor=world.member, ballot=ballot, choice="for")
                if index < ballots - 1:
                    room_services.close_ballot(actor=None, ballot=ballot)
                    meetings.clear_vote(actor=None, meeting=meeting)
            return meeting

        small = meeting_with(2, 0, 1)
        queries(small)  # the process-wide caches (content types, rule sets) filled first
        large = meeting_with(1, 12, 3)
        body = client.get(f"{API}/rooms/{large.pk}/ballots").json()
        assert body["count"] == 3 and [b["voted"] for b in body["items"]] == [1, 1, 1]
        assert len(client.get(f"{API}/rooms/{large.pk}/speaker-requests").json()) == 3
        assert client.get(f"{API}/rooms/{large.pk}").json()["expected"] == 16
        assert queries(small) == queries(large)


@pytest.mark.django_db
def test_a_motion_after_the_records_vote_through_the_api(world, marked):
    secretary, deputy, member = signed_in(world.secretary), signed_in(world.deputy), signed_in(world.member)
    first = room_services.open_ballot(actor=world.secretary, meeting=marked, subject="NQ", secret=True)
    room_services.cast_vote(actor=world.member, ballot=first, choice="for")
    room_services.close_ballot(actor=world.secretary, ballot=first)

    again = send(secretary, "POST", f"/rooms/{marked.pk}/ballots", {"subject": "Lại", "secret": False})
    assert refused(again, 409, "The record already holds a vote. Clear it first if the meeting votes again.")
    opened = send(
        secretary,
        "POST",
        f"/rooms/{marked.pk}/ballots",
        {"subject": "Thông qua biên bản", "secret": False, "motion": True},
    )
    assert opened.status_code == 201 and opened.json()["motion"] is True and opened.json()["passed"] is None
    motion_id = opened.json()["id"]
    for client in (secretary, deputy, member):
        assert send(client, "POST", f"/ballots/{motion_id}/votes", {"choice": "for"}).status_code == 201
    closed = send(secretary, "POST", f"/ballots/{motion_id}/close")
    assert closed.status_code == 200
    shown = member.get(f"{API}/ballots/{motion_id}").json()
    assert (shown["motion"], shown["passed"], shown["votes_for"]) == (True, True, 3)
    # The record's own vote is as the first ballot left it.
    assert Meeting.objects.get(pk=marked.pk).votes_for == 1


@pytest.mark.django_db
def test_closing_a_motion_before_the_records_vote_answers_its_result_and_no_record_vote(world, marked):
    secretary = signed_in(world.secretary)
    motion = {"subject": "Đề xuất", "secret": True, "motion": True}
    opened = send(secretary, "POST", f"/rooms/{marked.pk}/ballots", motion)
    motion_id = opened.json()["id"]
    for client in (secretary, signed_in(world.deputy)):
        assert send(client, "POST", f"/ballots/{motion_id}/votes", {"choice": "for"}).status_code == 201
    closed = send(secretary, "POST", f"/ballots/{motion_id}/close")
    assert closed.status_code == 200
    assert closed.json()["vote"] is None and closed.json()["ballot"]["passed"] is True
    assert Meeting.objects.get(pk=marked.pk).votes_for is None
