"""Permission rows for the library's URLs (loaded by tests/test_permissions.py)."""

from typing import Any

from conftest import World
from library.tests import helpers
from tests import scenarios
from tests.matrix import (
    ANYONE_SIGNED_IN,
    MANAGES_CELL,
    PLANS_CELL,
    REVIEWS_PLAN,
    SEES_CELL,
    SEES_PARTY,
    Route,
    rule,
)

# A published model is read by every cell of the Đảng bộ and its Đảng ủy, by nobody outside.
READS_LIBRARY = rule(ok=("secretary", "deputy", "member", "probationary", "other_member", "officer", "admin"))
# world.cell's own model: its leaders cannot adopt it (they held it); only another cell's leaders can,
# and in this world only the administrator leads world.other_cell.
ADOPTS_CELLS_MODEL = rule(
    ok=("admin",), forbidden=("secretary", "deputy", "member", "probationary", "other_member", "officer")
)
# world.other_cell's model: world.cell's secretary and deputy adopt it.
ADOPTS_OTHER_CELLS_MODEL = rule(
    ok=("secretary", "deputy", "admin"), forbidden=("member", "probationary", "other_member", "officer")
)


def _pk(model: Any) -> dict[str, Any]:
    return {"pk": model.pk}


def registered(world: World) -> dict[str, Any]:
    from library import services

    return _pk(services.register_model(actor=None, session=scenarios.issued_session(world)))


def approved_evaluated(world: World) -> dict[str, Any]:
    return _pk(scenarios.model_session(world, "approved"))


def published(world: World) -> dict[str, Any]:
    return _pk(scenarios.model_session(world, "published"))


def other_cells_model(world: World) -> dict[str, Any]:
    return _pk(helpers.stored_model(world.other_cell, "Nâng cao chất lượng giảng dạy lý luận cơ sở"))


def planned_session(world: World) -> dict[str, Any]:
    return {"session_pk": helpers.plan_session(world.cell, "Văn hóa Hồ Chí Minh").pk}


def party(world: World) -> dict[str, Any]:
    return {"pk": world.party.pk}


def adopt_into(cell_name: str) -> Any:
    return lambda w: {"cell": getattr(w, cell_name).pk, "year": helpers.next_year(), "quarter": 1}


ROUTES = [
    Route("library:list", "page", ANYONE_SIGNED_IN),
    Route("library:detail", "published", READS_LIBRARY, kwargs=published),
    Route("library:detail", "registered", SEES_CELL, kwargs=registered),
    Route("library:register", "cell-session", PLANS_CELL, kwargs=planned_session),
    Route(
        "library:register",
        "cell-session",
        PLANS_CELL,
        "POST",
        kwargs=planned_session,
        data=lambda w: {"note": "Mời các chi bộ dự"},
        changes_state=True,
    ),
    Route("library:approve", "registered", REVIEWS_PLAN, "POST", kwargs=registered, changes_state=True),
    Route(
        "library:decline",
        "registered",
        REVIEWS_PLAN,
        "POST",
        kwargs=registered,
        data=lambda w: {"reason": "Chưa đủ điều kiện"},
        changes_state=True,
    ),
    Route(
        "library:withdraw",
        "registered",
        PLANS_CELL,
        "POST",
        kwargs=registered,
        data=lambda w: {"reason": "Buổi sinh hoạt bị hủy"},
        changes_state=True,
    ),
    Route(
        "library:publish", "evaluated", MANAGES_CELL, "POST", kwargs=approved_evaluated, changes_state=True
    ),
    Route(
        "library:adopt",
        "own-cells-model",
        ADOPTS_CELLS_MODEL,
        "POST",
        kwargs=published,
        data=adopt_into("other_cell"),
        changes_state=True,
    ),
    Route(
        "library:adopt",
        "other-cells-model",
        ADOPTS_OTHER_CELLS_MODEL,
        "POST",
        kwargs=other_cells_model,
        data=adopt_into("cell"),
        changes_state=True,
    ),
    Route("library:party", "party", SEES_PARTY, kwargs=party),
    Route("library:adoptions", "party", SEES_PARTY, kwargs=party),
]
