"""Permission rows for every URL of the reports app (loaded by tests/test_permissions.py).

Every target starts with "bao-cao" so that ``pytest -k bao`` selects these rows.

* The cell's secretaries (and the administrator) start, write and submit reports; while a report is
  being written nobody else sees it.
* Once submitted, the cell's members (probationary included) and the Đảng ủy officers above read it;
  the officers acknowledge it or return it with remarks. A returned report is back with the
  secretaries and the officers; the members see it again when it is submitted anew.
* The dashboard of a Đảng bộ is its officers' (and the administrator's).
"""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from conftest import World
from tests.matrix import SEES_CELL, SEES_PARTY, Route, rule

WRITES_REPORT = rule(ok=("secretary", "deputy", "admin"), forbidden=("member", "probationary", "officer"))
# A draft is the secretaries' working text.
DRAFT_REPORT = rule(ok=("secretary", "deputy", "admin"))
RETURNED_REPORT = rule(ok=("secretary", "deputy", "officer", "admin"))
ACKNOWLEDGES_REPORT = rule(
    ok=("officer", "admin"), forbidden=("secretary", "deputy", "member", "probationary")
)
SEES_FOREIGN_PARTY = rule(ok=("foreign_officer", "admin"))
NOBODY = rule(ok=())


def _report(world: World, stage: str) -> Any:
    """The report of world.cell for the first quarter of this year (always begun), at ``stage``."""
    from reports import services

    report = services.create_report(actor=None, cell=world.cell, year=timezone.localdate().year, quarter=1)
    services.save_text(actor=None, report=report, assessment="Chi bộ thực hiện đúng kế hoạch.", direction="")
    if stage == "draft":
        return report
    services.submit_report(actor=None, report=report)
    if stage == "returned":
        services.return_report(actor=None, report=report, remarks="Bổ sung nguyên nhân.")
    return report


def report_at(stage: str) -> Any:
    return lambda world: {"pk": _report(world, stage).pk}


def report_file(stage: str) -> Any:
    return lambda world: {"pk": _report(world, stage).pk, "fmt": "docx"}


def party(world: World) -> dict[str, Any]:
    return {"party_pk": world.party.pk}


def sub_party(world: World) -> dict[str, Any]:
    """A Đảng bộ under world.party: the dashboard one level down (its officers are world.party's)."""
    from tests.factories import CellFactory, OrganizationFactory

    below = OrganizationFactory.create(parent=world.party, name="Đảng ủy Xã Phong An")
    CellFactory.create(parent=below, name="Chi bộ An")
    return {"party_pk": below.pk}


@dataclass(frozen=True)
class QueryRoute(Route):
    """A route asked with a query string (the dashboard's level, filter, sort, search)."""

    query: str = ""

    def url(self, world: World) -> str:
        return super().url(world) + self.query


ROUTES = [
    Route("reports:list", "bao-cao-cell", SEES_CELL, kwargs=lambda w: {"cell_pk": w.cell.pk}),
    Route("reports:create", "bao-cao-cell", WRITES_REPORT, kwargs=lambda w: {"cell_pk": w.cell.pk}),
    Route(
        "reports:create",
        "bao-cao-cell",
        WRITES_REPORT,
        "POST",
        kwargs=lambda w: {"cell_pk": w.cell.pk},
        data=lambda w: {"year": timezone.localdate().year, "quarter": "1"},
        changes_state=True,
    ),
    Route("reports:detail", "bao-cao-draft", DRAFT_REPORT, kwargs=report_at("draft")),
    Route("reports:detail", "bao-cao-submitted", SEES_CELL, kwargs=report_at("submitted")),
    Route("reports:detail", "bao-cao-returned", RETURNED_REPORT, kwargs=report_at("returned")),
    Route("reports:edit", "bao-cao-draft", DRAFT_REPORT, kwargs=report_at("draft")),
    Route("reports:edit", "bao-cao-submitted", WRITES_REPORT, kwargs=report_at("submitted")),
    Route(
        "reports:edit",
        "bao-cao-draft",
        DRAFT_REPORT,
        "POST",
        kwargs=report_at("draft"),
        data=lambda w: {"assessment": "Đánh giá đã sửa.", "direction": ""},
        changes_state=True,
    ),
    Route(
        "reports:submit", "bao-cao-draft", DRAFT_REPORT, "POST", kwargs=report_at("draft"), changes_state=True
    ),
    Route(
        "reports:acknowledge",
        "bao-cao-submitted",
        ACKNOWLEDGES_REPORT,
        "POST",
        kwargs=report_at("submitted"),
        data=lambda w: {"remarks": ""},
        changes_state=True,
    ),
    Route(
        "reports:return",
        "bao-cao-submitted",
        ACKNOWLEDGES_REPORT,
        "POST",
        kwargs=report_at("submitted"),
        data=lambda w: {"remarks": "Chưa nêu nguyên nhân vắng sinh hoạt."},
        changes_state=True,
    ),
    Route("reports:file", "bao-cao-submitted", SEES_CELL, kwargs=report_file("submitted")),
    Route("reports:file", "bao-cao-draft-preview", DRAFT_REPORT, kwargs=report_file("draft")),
    Route("reports:dashboard", "bao-cao-party", SEES_PARTY, kwargs=party),
    QueryRoute(
        "reports:dashboard",
        "bao-cao-party-cells",
        SEES_PARTY,
        kwargs=party,
        query="?cap=chi-bo&loc=chua-sinh-hoat&sap=-du-hop&q=chi&trang=2",
    ),
    Route("reports:dashboard", "bao-cao-sub-party", SEES_PARTY, kwargs=sub_party),
    QueryRoute(
        "reports:dashboard",
        "bao-cao-other-party-cells",
        SEES_FOREIGN_PARTY,
        kwargs=lambda w: {"party_pk": w.other_party.pk},
        query="?cap=chi-bo",
    ),
    Route(
        "reports:dashboard",
        "bao-cao-other-party",
        SEES_FOREIGN_PARTY,
        kwargs=lambda w: {"party_pk": w.other_party.pk},
    ),
    Route(
        "reports:dashboard", "bao-cao-a-cell-is-no-party", NOBODY, kwargs=lambda w: {"party_pk": w.cell.pk}
    ),
    # starts the table in the background and goes to its progress page
    Route("reports:dashboard_xlsx", "bao-cao-party", SEES_PARTY, "POST", kwargs=party),
]
