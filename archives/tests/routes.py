"""Permission rows for every URL of the archives app (loaded by tests/test_permissions.py).

Every target starts with "luu-tru" so that ``pytest -k luu-tru`` selects these rows. An archive holds
every member's participation and every document of the cell: its secretaries, the Đảng ủy officers
above it and the administrator make, download, restore and read them; its members are refused;
everyone else does not see the cell.
"""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import World
from tests.matrix import MANAGES_CELL, Route

# The archive made for the rows (its bytes reused by each persona's upload).
_made: dict[str, Any] = {}


def _cell(world: World) -> dict[str, Any]:
    return {"pk": world.cell.pk}


def _archive(world: World) -> Any:
    from archives import services
    from organizations.models import Term

    archive = services.make_now(cell=world.cell, term=Term.objects.get(organization=world.cell))
    with archive.file.open("rb") as handle:
        _made["bytes"] = handle.read()
    return archive


def _made_archive(world: World) -> dict[str, Any]:
    return {"pk": _archive(world).pk}


def _cell_with_archive(world: World) -> dict[str, Any]:
    _archive(world)
    return _cell(world)


def _upload(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("luu-tru.zip", _made["bytes"], content_type="application/zip")}


def _restored(world: World) -> dict[str, Any]:
    import io

    from archives import services

    _archive(world)
    restored = services.restore_archive(
        actor=None, organization=world.cell, upload=io.BytesIO(_made["bytes"])
    )
    return {"pk": restored.pk}


def _restored_file(world: World) -> dict[str, Any]:
    return {**_restored(world), "index": 0}


def _term(world: World) -> dict[str, Any]:
    from organizations.models import Term

    return {"term": Term.objects.get(organization=world.cell).pk}


ROUTES = [
    Route("archives:list", "luu-tru-trang", MANAGES_CELL, kwargs=_cell),
    Route("archives:make", "luu-tru-lap", MANAGES_CELL, "POST", kwargs=_cell, data=_term, changes_state=True),
    Route(
        "archives:restore",
        "luu-tru-khoi-phuc",
        MANAGES_CELL,
        "POST",
        kwargs=_cell_with_archive,
        data=_upload,
        changes_state=True,
    ),
    Route("archives:download", "luu-tru-tai-ve", MANAGES_CELL, kwargs=_made_archive),
    Route("archives:restored", "luu-tru-da-khoi-phuc", MANAGES_CELL, kwargs=_restored),
    Route("archives:restored_file", "luu-tru-tep-khoi-phuc", MANAGES_CELL, kwargs=_restored_file),
]
