"""Permission rows of the API's meeting-room operations (gathered by api/tests/routes.py). Each operation is
the same action as a page of room/tests/routes.py and takes that page's rule, anonymous callers getting
401; the scenarios are the pages' own."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from conftest import World
from room.tests import routes as room_routes
from tests import scenarios
from tests.matrix import MANAGES_MEETING, SEES_CELL, Route, for_api

SEES_MEETING = for_api(SEES_CELL)
RECORDS_MEETING = for_api(MANAGES_MEETING)
# Every member summoned checks themselves in and asks to speak; not those who only oversee.
CHECKS_IN = for_api(room_routes.CHECKS_IN)
# The member withdraws their own request to speak.
WITHDRAWS = for_api(room_routes.WITHDRAWS)
# The full members present cast; the probationary member and those not summoned are refused.
CASTS = for_api(room_routes.CASTS)


@dataclass(frozen=True)
class QueryRoute(Route):
    """A row whose operation reads a query parameter (the receipt checked)."""

    query: Callable[[World], dict[str, str]] = lambda world: {}

    def url(self, world: World) -> str:
        return super().url(world) + "?" + urlencode(self.query(world))


def meeting_at(stage: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"meeting_id": scenarios.regular_meeting(world, stage).pk}


def with_ballot(*, voted: bool = False) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"ballot_id": room_routes.open_ballot(world, voted=voted).pk}


def room_with_ballot(world: World) -> dict[str, Any]:
    return {"meeting_id": room_routes.open_ballot(world, voted=True).meeting_id}


def speaker_request(*, speaking: bool = False) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"request_id": room_routes.speaker_request(world, speaking=speaking)["pk"]}


def room_with_speaker(world: World) -> dict[str, Any]:
    from room.models import SpeakerRequest

    request = SpeakerRequest.objects.get(pk=room_routes.speaker_request(world, speaking=True)["pk"])
    return {"meeting_id": request.meeting_id}


ROUTES = [
    Route("api-v1:get_room", "ballot", SEES_MEETING, kwargs=room_with_ballot, api=True),
    Route("api-v1:get_check_in_code", "open", RECORDS_MEETING, kwargs=meeting_at("open"), api=True),
    Route(
        "api-v1:check_in",
        "open",
        CHECKS_IN,
        "POST",
        kwargs=meeting_at("open"),
        data=room_routes.current_code,
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route("api-v1:list_speaker_requests", "speaking", SEES_MEETING, kwargs=room_with_speaker, api=True),
    Route(
        "api-v1:request_floor",
        "marked",
        CHECKS_IN,
        "POST",
        kwargs=meeting_at("marked"),
        data=lambda w: {"about": "Đoạn 2"},
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    # Withdrawing and giving the floor write no audit entry (as on the pages); the ended turn does.
    Route(
        "api-v1:withdraw_speaker_request",
        "waiting",
        WITHDRAWS,
        "POST",
        kwargs=speaker_request(),
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:give_floor",
        "waiting",
        RECORDS_MEETING,
        "POST",
        kwargs=speaker_request(),
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:end_floor",
        "speaking",
        RECORDS_MEETING,
        "POST",
        kwargs=speaker_request(speaking=True),
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route("api-v1:list_ballots", "ballot", SEES_MEETING, kwargs=room_with_ballot, api=True),
    Route("api-v1:get_ballot", "ballot", SEES_MEETING, kwargs=with_ballot(voted=True), api=True),
    Route(
        "api-v1:open_ballot",
        "marked",
        RECORDS_MEETING,
        "POST",
        kwargs=meeting_at("marked"),
        data=lambda w: {"subject": "Nghị quyết", "secret": True},
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    # Casting writes no audit entry (its time would line a secret voter up with the count).
    Route(
        "api-v1:cast_vote",
        "ballot",
        CASTS,
        "POST",
        kwargs=with_ballot(),
        data=lambda w: {"choice": "for"},
        api=True,
        ok_status=201,
    ),
    Route(
        "api-v1:close_ballot",
        "ballot",
        RECORDS_MEETING,
        "POST",
        kwargs=with_ballot(voted=True),
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:withdraw_ballot",
        "ballot",
        RECORDS_MEETING,
        "POST",
        kwargs=with_ballot(),
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    QueryRoute(
        "api-v1:check_receipt",
        "ballot",
        SEES_MEETING,
        kwargs=with_ballot(voted=True),
        query=lambda w: {"code": "ABCDEFGHJK"},
        api=True,
    ),
]
