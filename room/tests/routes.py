"""Permission rows of the room URLs (loaded by tests/test_permissions.py): the electronic vote's page,
opening, casting, closing and withdrawing a vote."""

from typing import Any

from conftest import World
from tests import scenarios
from tests.matrix import MANAGES_MEETING, SEES_CELL, Route, rule

# A vote is cast by the full members present (world.cell's three), never by the probationary member,
# nor by those who see the meeting without being summoned to it.
CASTS = rule(ok=("secretary", "deputy", "member"), forbidden=("probationary", "officer", "admin"))


def marked_meeting(world: World) -> dict[str, Any]:
    return {"pk": scenarios.regular_meeting(world, "marked").pk}


def open_ballot(world: World, *, voted: bool = False) -> Any:
    from room import services

    meeting = scenarios.regular_meeting(world, "marked")
    ballot = services.open_ballot(actor=None, meeting=meeting, subject="Nghị quyết", secret=True)
    if voted:
        services.cast_vote(actor=world.deputy, ballot=ballot, choice="for")
    return ballot


ROUTES = [
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
