"""Permission rows for every URL of the documents app (loaded by tests/test_permissions.py).

Every target starts with "van-ban" so that ``pytest -k van-ban`` selects these rows.

* The register of issued documents of an organisation is its leadership's: the secretaries of the
  cell, the Đảng ủy officers above it and the administrator (the right to issue its documents); its
  members are refused, everyone else does not see the organisation.
* The verification pages are public: anyone, signed in or not, may check a code or a file.
* An issued document's page and its stored files are the register's (members read a document where
  its source shows it, under that page's rule); signing it
  (Ký số) is for the cell's secretaries alone: not its members, not the officers above, not the
  administrator as such (documents.permissions.can_sign).
"""

from datetime import date
from typing import Any

from conftest import World
from tests.matrix import MANAGES_CELL, PUBLIC, Route, rule


def _cell(world: World) -> dict[str, Any]:
    return {"pk": world.cell.pk}


def _document(world: World) -> Any:
    from documents import services
    from documents.frame import frame_for

    frame = frame_for(world.cell, doc_type="TB", summary="về họp chi bộ", on=date(2026, 3, 6))
    return services.issue_document(
        actor=None, organization=world.cell, doc_type="TB", frame=frame, issued_on=date(2026, 3, 6)
    )


def _issued(world: World) -> dict[str, Any]:
    return {"code": _document(world).code}


def _issued_pk(world: World) -> dict[str, Any]:
    return {"pk": _document(world).pk}


def _issued_pdf(world: World) -> dict[str, Any]:
    return {"pk": _document(world).pk, "fmt": "pdf"}


SIGNS_CELL = rule(ok=("secretary", "deputy"), forbidden=("member", "probationary", "officer", "admin"))


ROUTES = [
    Route("documents:register", "van-ban-so-di", MANAGES_CELL, kwargs=_cell),
    Route("documents:register_xlsx", "van-ban-so-di-xlsx", MANAGES_CELL, kwargs=_cell),
    Route("documents:verify", "van-ban-xac-thuc", PUBLIC),
    Route("documents:verify_code", "van-ban-xac-thuc-ma", PUBLIC, kwargs=_issued),
    Route("documents:detail", "van-ban-chi-tiet", MANAGES_CELL, kwargs=_issued_pk),
    Route("documents:download", "van-ban-tai", MANAGES_CELL, kwargs=_issued_pdf),
    Route("documents:sign", "van-ban-ky-so", SIGNS_CELL, method="POST", kwargs=_issued_pk),
]
