"""Permission rows of the room URLs (loaded by tests/test_permissions.py): the electronic vote's page,
opening, casting, closing and withdrawing a vote."""

from typing import Any

from conftest import World
from tests import scenarios
from tests.matrix import ANONYMOUS, MANAGES_MEETING, SEES_CELL, UNAUTHENTICATED, Route, rule

# A vote is cast by the full members present (world.cell's three), never by the probationary member,
# nor by those who see the meeting without being summoned to it.
# Every member summoned checks themselves in, the probationary member too; not those who only oversee.
CHECKS_IN = rule(ok=("secretary", "deputy", "member", "probationary"), forbidden=("officer", "admin"))
# The member withdraws their own request (world.member's here); the chair gives and ends the floor.
WITHDRAWS = rule(ok=("member",), forbidden=("secretary", "deputy", "probationary", "officer", "admin"))
# The live updates' state and stream are read by a script: anonymous gets 401, never the sign-in page.
# The stream answers 404 to everyone in poll mode (the tests' mode) and outside an ASGI server.
LIVE_STATE = {**SEES_CELL, ANONYMOUS: UNAUTHENTICATED}
LIVE_STREAM = {**rule(ok=(), forbidden=()), ANONYMOUS: UNAUTHENTICATED}
CASTS = rule(ok=("secretary", "deputy", "member"), forbidden=("probationary", "officer", "admin"))


def open_meeting(world: World) -> dict[str, Any]:
    return {"pk": scenarios.regular_meeting(world, "open").pk}


def current_code(world: World) -> dict[str, Any]:
    from meetings.models import Meeting
    from room import checkin

    # The field's name is all that tests/test_hostile_input.py asks of it, before any meeting exists.
    meeting = Meeting.objects.filter(cell=world.cell).order_by("-pk").first()
    return {"code": checkin.current_code(meeting).code if meeting else "000000"}


def marked_meeting(world: World) -> dict[str, Any]:
    return {"pk": scenarios.regular_meeting(world, "marked").pk}


def open_ballot(world: World, *, voted: bool = False) -> Any:
    from room import services

    meeting = scenarios.regular_meeting(world, "marked")
    ballot = services.open_ballot(actor=None, meeting=meeting, subject="Nghị quyết", secret=True)
    if voted:
        services.cast_vote(actor=world.deputy, ballot=ballot, choice="for")
    return ballot


def speaker_request(world: World, *, speaking: bool = False) -> dict[str, Any]:
    from meetings.models import Meeting
    from room import speakers

    meeting = Meeting.objects.get(pk=scenarios.regular_meeting(world, "marked").pk)
    request = speakers.request_floor(actor=world.member, meeting=meeting, about="Đoạn 2")
    if speaking:
        speakers.give_floor(actor=None, request=request)
    return {"pk": request.pk}


ROUTES = [
    Route("room:screen", "ballot", SEES_CELL, kwargs=lambda w: {"pk": open_ballot(w, voted=True).meeting_id}),
    Route("room:screen_state", "marked", SEES_CELL, kwargs=marked_meeting),
    Route("room:state", "marked", LIVE_STATE, kwargs=marked_meeting),
    Route("room:stream", "marked", LIVE_STREAM, kwargs=marked_meeting),
    Route("room:speakers", "marked", SEES_CELL, kwargs=marked_meeting),
    Route(
        "room:speak_request",
        "marked",
        CHECKS_IN,
        "POST",
        kwargs=marked_meeting,
        data=lambda w: {"about": "Đoạn 2"},
        changes_state=True,
    ),
    # Withdrawing and giving the floor write no audit entry; the ended turn does, with its times.
    Route("room:speak_withdraw", "waiting", WITHDRAWS, "POST", kwargs=speaker_request),
    Route("room:speak_give", "waiting", MANAGES_MEETING, "POST", kwargs=speaker_request),
    Route(
        "room:speak_end",
        "speaking",
        MANAGES_MEETING,
        "POST",
        kwargs=lambda w: speaker_request(w, speaking=True),
        changes_state=True,
    ),
    Route("room:checkin", "open", SEES_CELL, kwargs=open_meeting),
    Route(
        "room:checkin", "open", CHECKS_IN, "POST", kwargs=open_meeting, data=current_code, changes_state=True
    ),
    Route("room:checkin_code", "open", MANAGES_MEETING, kwargs=open_meeting),
    Route("room:vote", "marked", SEES_CELL, kwargs=marked_meeting),
    Route("room:vote", "ballot", SEES_CELL, kwargs=lambda w: {"pk": open_ballot(w).meeting_id}),
    Route(
        "room:vote_open",
        "marked",
        MANAGES_MEETING,
        "POST",
        kwargs=marked_meeting,
        data=lambda w: {"subject": "Nghị quyết", "secret": "on"},
        changes_state=True,
    ),
    # Casting writes no audit entry (its time would line a secret voter up with the count).
    Route(
        "room:vote_cast",
        "ballot",
        CASTS,
        "POST",
        kwargs=lambda w: {"pk": open_ballot(w).pk},
        data=lambda w: {"choice": "for"},
    ),
    Route(
        "room:vote_close",
        "ballot",
        MANAGES_MEETING,
        "POST",
        kwargs=lambda w: {"pk": open_ballot(w, voted=True).pk},
        changes_state=True,
    ),
    Route(
        "room:vote_withdraw",
        "ballot",
        MANAGES_MEETING,
        "POST",
        kwargs=lambda w: {"pk": open_ballot(w).pk},
        changes_state=True,
    ),
]
