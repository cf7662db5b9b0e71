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
from django.db import transaction
from django.test import Client

from conftest import World
from core.models import AuditEntry
from tests.matrix import OK, Route
from tests.test_permissions import ROUTES

CORPUS = json.loads((Path(__file__).parent / "corpus" / "text.json").read_text())
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


def _check(world: World, route: Route) -> None:
    poster = next(p for p in POSTERS if route.expected[p] == OK)
    url = route.url(world)
    problems = []
    for value in CORPUS:
        with transaction.atomic():
            try:
                client = Client(raise_request_exception=False)
                client.force_login(world.persona(poster))
                before = AuditEntry.objects.count()
                response = client.post(url, _hostile(route.data(world), value))
                body = response.content.decode(errors="replace") if response.status_code == 200 else ""
                refused = any(m.level == messages.ERROR for m in get_messages(response.wsgi_request))
                if response.status_code >= 500:
                    problems.append(f"{value[:30]!r}: {response.status_code}")
                elif (refused or response.status_code >= 400) and AuditEntry.objects.count() != before:
                    problems.append(
                        f"{value[:30]!r}: refused ({response.status_code}) yet the audit log grew"
                    )
                if any(raw in body for raw in ("<script>alert", "<svg/onload", "<img src=x onerror")):
                    problems.append(f"{value[:30]!r}: the markup came back unescaped")
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
