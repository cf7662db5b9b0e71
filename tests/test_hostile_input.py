"""Every form of the app against the hostile input corpus (issue 13: tests/corpus/text.json): for each
POST row of the permission tables, as a persona allowed to post it, every text field at once receives
each hostile value. Nothing answers a server error, nothing is half-written (a refused post leaves the
audit log as it was), and no markup typed comes back unescaped.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from conftest import World
from core.models import AuditEntry
from tests.matrix import OK, Route
from tests.test_permissions import ROUTES

CORPUS_DIR = Path(__file__).parent / "corpus"
CORPUS = json.loads((CORPUS_DIR / "text.json").read_text())
# Hostile files, for the forms that take one (a draft, a member list): see tests/corpus/README.md.
FILES = sorted((CORPUS_DIR / "files").iterdir())
# Who posts each form: the first of these the row allows.
POSTERS = ("secretary", "deputy", "member", "probationary", "officer", "admin")
# Fields that carry the page's own bookkeeping, not what a person types.
KEPT = {"expected_version", "client_id", "csrfmiddlewaretoken", "next"}


def _posts() -> list[Route]:
    return [r for r in ROUTES if r.method == "POST" and any(r.expected[p] == OK for p in POSTERS)]


def _hostile(data: dict[str, Any], value: str) -> dict[str, Any]:
    out = {}
    for name, field in data.items():
        if (
            isinstance(field, str)
            and name not in KEPT
            and not name.endswith(("TOTAL_FORMS", "INITIAL_FORMS"))
        ):
            out[name] = value
        else:
            out[name] = field
    return out


def _variants(route: Route, world: World) -> list[tuple[str, Any]]:
    """(label, a function giving the data to post): each text value, and for a form that takes a
    file, each hostile file in its place (the other fields as the row gives them)."""

    def typed(value: str) -> Any:
        return lambda: _hostile(route.data(world), value)

    def uploaded(name: str, path: Path) -> Any:
        return lambda: {**route.data(world), name: SimpleUploadedFile(path.name, path.read_bytes())}

    variants = [(repr(value[:30]), typed(value)) for value in CORPUS]
    for name, field in route.data(world).items():
        if isinstance(field, SimpleUploadedFile):
            variants += [(path.name, uploaded(name, path)) for path in FILES]
    return variants


def _check(world: World, route: Route) -> None:
    poster = next(p for p in POSTERS if route.expected[p] == OK)
    url = route.url(world)
    problems = []
    for value, data in _variants(route, world):
        with transaction.atomic():
            try:
                client = Client(raise_request_exception=False)
                client.force_login(world.persona(poster))
                before = AuditEntry.objects.count()
                response = client.post(url, data())
                body = response.content.decode(errors="replace") if response.status_code == 200 else ""
                refused = any(m.level == messages.ERROR for m in get_messages(response.wsgi_request))
                if response.status_code >= 500:
                    problems.append(f"{value}: {response.status_code}")
                elif (refused or response.status_code >= 400) and AuditEntry.objects.count() != before:
                    problems.append(f"{value}: refused ({response.status_code}), yet audited")
                if any(raw in body for raw in ("<script>alert", "<svg/onload", "<img src=x onerror")):
                    problems.append(f"{value}: the markup came back unescaped")
            finally:
                transaction.set_rollback(True)
    assert not problems, f"{route.name} as {poster}:\n" + "\n".join(problems)


# Two halves, so that pytest-xdist (--dist loadscope) runs them on two workers.
POSTS = _posts()
HALF = len(POSTS) // 2


class TestFirstHalf:
    @pytest.mark.parametrize("route", [pytest.param(r, id=r.id) for r in POSTS[:HALF]])
    def test_every_form_takes_the_corpus_without_error_or_half_write(self, world: World, route: Route):
        _check(world, route)


class TestSecondHalf:
    @pytest.mark.parametrize("route", [pytest.param(r, id=r.id) for r in POSTS[HALF:]])
    def test_every_form_takes_the_corpus_without_error_or_half_write(self, world: World, route: Route):
        _check(world, route)


def test_the_hostile_files_reach_the_forms_that_take_files(world: World):
    takes_files = {r.name for r in POSTS if len(_variants(r, world)) > len(CORPUS)}
    assert {"drafts:upload", "organizations:import"} <= takes_files
    assert len(FILES) >= 8
