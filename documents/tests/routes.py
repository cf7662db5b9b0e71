"""Permission rows for every URL of the documents app (loaded by tests/test_permissions.py).

Every target starts with "van-ban" so that ``pytest -k van-ban`` selects these rows.

* The register of issued documents of an organisation is its leadership's: the secretaries of the
  cell, the Đảng ủy officers above it and the administrator (the right to issue its documents); its
  members are refused, everyone else does not see the organisation.
* The verification pages are public: anyone, signed in or not, may check a code or a file.
"""

from datetime import date
from typing import Any

from conftest import World
from tests.matrix import MANAGES_CELL, PUBLIC, Route


def _cell(world: World) -> dict[str, Any]:
    return {"pk": world.cell.pk}


def _issued(world: World) -> dict[str, Any]:
    from documents import services
    from documents.frame import frame_for

    frame = frame_for(world.cell, doc_type="TB", summary="về họp chi bộ", on=date(2026, 3, 6))
    document = services.issue_document(
        actor=None, organization=world.cell, doc_type="TB", frame=frame, issued_on=date(2026, 3, 6)
    )
    return {"code": document.code}


ROUTES = [
    Route("documents:register", "van-ban-so-di", MANAGES_CELL, kwargs=_cell),
    Route("documents:register_xlsx", "van-ban-so-di-xlsx", MANAGES_CELL, kwargs=_cell),
    Route("documents:verify", "van-ban-xac-thuc", PUBLIC),
    Route("documents:verify_code", "van-ban-xac-thuc-ma", PUBLIC, kwargs=_issued),
]
