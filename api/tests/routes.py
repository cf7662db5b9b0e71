"""Permission rows of the API's operations (loaded by tests/test_permissions.py). Where an operation is
the same action as a page, its row uses the page's rule (tests/matrix.py), anonymous callers getting
401 instead of the sign-in page."""

from typing import Any

from api.tests import (
    routes_account,
    routes_drafts,
    routes_meetings,
    routes_planning,
    routes_records,
    routes_room,
)
from conftest import World
from tests.matrix import ANONYMOUS, PERSONAS, SIGNED_IN, UNAUTHENTICATED, Route, api_rule
from tests.scenarios import record

ANYONE_SIGNED_IN = api_rule(ok=SIGNED_IN)
SEES_CELL = api_rule(ok=("secretary", "deputy", "member", "probationary", "officer", "admin"))
# The documentation is public, as the pages' sign-in page is: it holds no data.
DOCUMENTATION = {**api_rule(ok=SIGNED_IN), ANONYMOUS: 200}


def cell(world: World) -> dict[str, Any]:
    return {"organization_id": world.cell.pk}


def cell_mate(world: World) -> dict[str, Any]:
    return {"member_id": record(world.member).pk}


ORGANIZATIONS = [
    # /api/v1/ itself is no operation: the documentation is at /api/v1/docs/.
    Route("api-v1:api-root", "api", dict.fromkeys(PERSONAS, 404)),
    Route("api-v1:openapi-json", "schema", DOCUMENTATION),
    Route("api-v1:openapi-view", "docs", DOCUMENTATION),
    Route("api-v1:list_organizations", "any", ANYONE_SIGNED_IN, api=True),
    Route("api-v1:get_organization", "cell", SEES_CELL, kwargs=cell, api=True),
    Route("api-v1:list_members", "cell", SEES_CELL, kwargs=cell, api=True),
    Route(
        "api-v1:get_member",
        "cell-mate",
        {**SEES_CELL, "member": 200, ANONYMOUS: UNAUTHENTICATED},
        kwargs=cell_mate,
        api=True,
    ),
    Route("api-v1:list_terms", "cell", SEES_CELL, kwargs=cell, api=True),
    Route("api-v1:list_positions", "cell", SEES_CELL, kwargs=cell, api=True),
    # A JSON body carries no file: every signed-in caller is told the file is missing (422) before any
    # permission is asked. Who may import is shown with real uploads in api/tests/test_organizations.py.
    Route(
        "api-v1:import_members",
        "cell",
        {**dict.fromkeys(SIGNED_IN, 422), ANONYMOUS: UNAUTHENTICATED},
        "POST",
        kwargs=cell,
        api=True,
    ),
]


# Each area's rows live beside its tests (api/tests/routes_<area>.py).
ROUTES = [
    *ORGANIZATIONS,
    *routes_planning.ROUTES,
    *routes_drafts.ROUTES,
    *routes_meetings.ROUTES,
    *routes_room.ROUTES,
    *routes_records.ROUTES,
    *routes_account.ROUTES,
]
