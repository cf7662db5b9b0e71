"""Who gets what: every URL of the project, asked by every persona (tests/matrix.py gives the rules).

Each app keeps its rows in ``<app>/tests/routes.py``; a guard test walks the URL resolver, so a named
URL outside Django's admin without a row fails the suite.

The matrix builds each route's scenario once and asks it as every persona, each persona in a
savepoint rolled back afterwards: what one persona's request changes, the next does not see.
"""

import importlib
import json
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import World
from core.models import AuditEntry
from organizations.models import Exemption, Member, Membership, Position
from tests.factories import (
    CellFactory,
    ExemptionFactory,
    MembershipFactory,
    PositionFactory,
    UserFactory,
    member_in,
)
from tests.matrix import ANONYMOUS, LOGIN, OK, PERSONAS, Route
from tests.scenarios import record


def _app_routes() -> list[Route]:
    """The rows of every app of the project (``<app>/tests/routes.py``, a list ``ROUTES``)."""
    rows: list[Route] = []
    for config in apps.get_app_configs():
        if Path(config.path).parent != Path(settings.BASE_DIR):
            continue  # Django's and third-party apps: the guard below leaves their URLs out
        try:
            module = importlib.import_module(f"{config.name}.tests.routes")
        except ModuleNotFoundError as error:
            if error.name not in (f"{config.name}.tests", f"{config.name}.tests.routes"):
                raise
            continue
        rows.extend(module.ROUTES)
    return rows


ROUTES = _app_routes()


def sign_in_as(client: Any, world: World, persona: str) -> None:
    if persona != ANONYMOUS:
        client.force_login(world.persona(persona))


# --- Every route, every persona ----------------------------------------------------------------


@pytest.mark.parametrize("route", [pytest.param(route, id=route.id) for route in ROUTES])
def test_each_persona_gets_the_answer_the_rules_give(world, route):
    url = route.url(world)
    wrong = [answer for persona in PERSONAS if (answer := _wrong_answer(route, world, url, persona))]
    if wrong:
        pytest.fail("\n".join([f"{route.name} {route.method} {url}:", *wrong]), pytrace=False)


def _wrong_answer(route: Route, world: World, url: str, persona: str) -> str | None:
    """What is wrong with the answer ``persona`` gets, or None; the database is left as it was."""
    with transaction.atomic():
        try:
            problems = _problems(route, world, url, persona)
        except Exception:
            problems = ["raised " + traceback.format_exc(limit=-3)]
        finally:
            transaction.set_rollback(True)
    if not problems:
        return None
    return f"  {persona}: expected {route.expected_label(persona)}, " + "; ".join(problems)


def _problems(route: Route, world: World, url: str, persona: str) -> list[str]:
    expected = route.expected[persona]
    client = Client()
    sign_in_as(client, world, persona)
    audit_before = AuditEntry.objects.count()

    if route.method == "GET":
        response = client.get(url)
    elif route.api:
        response = client.generic(route.method, url, json.dumps(route.data(world)), "application/json")
    else:
        response = client.post(url, route.data(world))

    problems: list[str] = []
    if expected == LOGIN:
        location = urlsplit(response.get("Location", ""))
        answered = (
            response.status_code == 302
            and location.path == reverse("accounts:login")
            and parse_qs(location.query).get("next") == [url]
        )
    elif expected == OK:
        answered = response.status_code == route.ok_code
    else:
        answered = response.status_code == expected
    if not answered:
        problems.append(f"got {response.status_code} {response.get('Location', '')}".rstrip())
    elif expected == OK and route.method != "GET" and route.changes_state and route.api:
        if AuditEntry.objects.count() <= audit_before:
            problems.append("no audit entry written")
    elif expected == OK and route.method == "POST" and route.changes_state:
        queued = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
        if [level for level, _ in queued] != [messages.SUCCESS]:
            problems.append(f"messages {queued}, not one success")
        if AuditEntry.objects.count() <= audit_before:
            problems.append("no audit entry written")
    if expected != OK and AuditEntry.objects.count() != audit_before:
        problems.append("a refused request must change nothing, yet the audit log grew")
    return problems


def _named_urls(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, str]]:
    """(namespace, qualified name) of every named URL under ``patterns``."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace, f"{namespace}:{pattern.name}" if namespace else pattern.name


def _guarded_urls() -> dict[str, set[str]]:
    """Every named URL of the project by namespace, except Django's own admin."""
    guarded: dict[str, set[str]] = {}
    for namespace, name in _named_urls(get_resolver().url_patterns):
        if namespace.split(":")[0] != "admin":
            guarded.setdefault(namespace, set()).add(name)
    return guarded


GUARDED_URLS = _guarded_urls()


def test_the_guard_sees_the_urls_of_our_apps():
    assert {"", "home", "accounts", "organizations"} <= set(GUARDED_URLS)
    assert "set_language" in GUARDED_URLS[""]


@pytest.mark.parametrize("namespace", sorted(GUARDED_URLS), ids=lambda namespace: namespace or "root")
def test_every_named_url_has_a_permission_row(namespace):
    missing = GUARDED_URLS[namespace] - {route.name for route in ROUTES}
    assert not missing, f"add a row to ROUTES in <app>/tests/routes.py for: {sorted(missing)}"


BACK_OFFICE = ("admin:index", "admin:organizations_member_changelist")


@pytest.mark.parametrize("page", BACK_OFFICE)
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin"])
def test_the_back_office_sends_everyone_but_staff_to_its_sign_in(client, world, persona, page):
    sign_in_as(client, world, persona)
    response = client.get(reverse(page))
    assert response.status_code == 302
    # LoginRequiredMiddleware may answer for the admin before the admin's own check does.
    sign_in_pages = {reverse("admin:login")} | (
        {reverse("accounts:login")} if persona == ANONYMOUS else set()
    )
    assert urlsplit(response["Location"]).path in sign_in_pages


@pytest.mark.parametrize("page", BACK_OFFICE)
def test_the_back_office_opens_for_the_administrator(client, world, page):
    client.force_login(world.admin)
    assert client.get(reverse(page)).status_code == 200


# --- Private data on the member profile --------------------------------------------------------


@pytest.fixture
def private_data(world: World) -> dict[str, Member]:
    """Give the deputy (Trần Thị Hoa) and world.member (Lê Văn Đức) a phone and an e-mail."""
    Member.objects.filter(user=world.deputy).update(phone="0905 111 222", email="hoa.tt@truongchinhtri.vn")
    Member.objects.filter(user=world.member).update(phone="0905 333 444", email="duc.lv@truongchinhtri.vn")
    return {"deputy": record(world.deputy), "member": record(world.member)}


def private_values(member: Member) -> list[str]:
    return [
        member.date_of_birth.strftime("%d/%m/%Y"),
        member.party_card_number,
        member.phone,
        member.email,
    ]


@pytest.mark.parametrize(
    ("viewer", "subject", "shown"),
    [
        pytest.param("member", "deputy", False, id="member-does-not-see-a-cell-mates-private-data"),
        pytest.param(
            "probationary", "deputy", False, id="probationary-does-not-see-a-cell-mates-private-data"
        ),
        pytest.param("member", "member", True, id="member-sees-their-own-private-data"),
        pytest.param("deputy", "deputy", True, id="deputy-sees-their-own-private-data"),
        pytest.param("secretary", "deputy", True, id="secretary-sees-a-cell-members-private-data"),
        pytest.param("secretary", "member", True, id="secretary-sees-another-cell-members-private-data"),
        pytest.param("officer", "deputy", True, id="dang-uy-officer-sees-private-data-in-their-cells"),
        pytest.param("admin", "member", True, id="admin-sees-private-data"),
    ],
)
def test_private_fields_on_the_member_profile(client, world, private_data, viewer, subject, shown):
    member = private_data[subject]
    client.force_login(world.persona(viewer))
    response = client.get(reverse("organizations:member", args=[member.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert member.full_name in page
    for value in private_values(member):
        assert (value in page) is shown, value


# --- Listings never leak -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "listed", "not_listed"),
    [
        pytest.param("member", ["cell"], ["party", "other_cell", "foreign_cell", "other_party"], id="member"),
        pytest.param(
            "secretary", ["cell"], ["party", "other_cell", "foreign_cell", "other_party"], id="secretary"
        ),
        pytest.param("other_member", ["other_cell"], ["party", "cell", "foreign_cell"], id="other-member"),
        pytest.param(
            "officer", ["party", "cell", "other_cell"], ["other_party", "foreign_cell"], id="officer"
        ),
        pytest.param(
            "foreign_officer",
            ["other_party", "foreign_cell"],
            ["party", "cell", "other_cell"],
            id="foreign-officer",
        ),
        pytest.param("admin", ["party", "cell", "other_cell", "other_party", "foreign_cell"], [], id="admin"),
    ],
)
def test_organisation_tree_lists_only_what_the_reader_may_open(client, world, persona, listed, not_listed):
    """The tree shows one level at a time: its top level and a search matching every name ("bộ")
    together list the whole of what the reader may see."""
    client.force_login(world.persona(persona))
    page = ""
    for params in ({}, {"q": "bộ"}):
        response = client.get(reverse("organizations:tree"), params)
        assert response.status_code == 200
        page += response.content.decode()
    for org in listed:
        assert getattr(world, org).name in page, org
    for org in not_listed:
        assert getattr(world, org).name not in page, org


def test_an_account_linked_to_no_member_sees_an_empty_tree(client, world):
    client.force_login(UserFactory.create(username="nguoingoai"))
    response = client.get(reverse("organizations:tree"))
    assert response.status_code == 200
    page = response.content.decode()
    for org in (world.party, world.cell, world.other_cell, world.other_party, world.foreign_cell):
        assert org.name not in page


def test_the_cell_page_lists_only_the_cells_own_members(client, world):
    client.force_login(world.officer)
    page = client.get(reverse("organizations:detail", args=[world.cell.pk])).content.decode()
    for name in ("Nguyễn Văn Bình", "Trần Thị Hoa", "Lê Văn Đức", "Phạm Thị Mai"):
        assert name in page
    assert "Võ Văn Khánh" not in page  # other_cell
    assert "Hồ Thị Lan" not in page  # foreign_cell


def test_the_party_page_lists_its_cells_for_the_officer(client, world):
    client.force_login(world.officer)
    page = client.get(reverse("organizations:detail", args=[world.party.pk])).content.decode()
    assert world.cell.name in page
    assert world.other_cell.name in page
    assert world.foreign_cell.name not in page


def test_the_home_page_of_a_member_shows_their_cell_only(client, world):
    client.force_login(world.member)
    page = client.get(reverse("home:home")).content.decode()
    assert world.cell.name in page
    assert world.other_cell.name not in page
    assert world.foreign_cell.name not in page


# --- Query counts ------------------------------------------------------------------------------


def _queries_for(client: Any, url: str) -> list[str]:
    """The SQL of one GET, copied at once: the next request clears the connection's query log."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    queries = [query["sql"] for query in captured.captured_queries]
    assert queries, "nothing was captured"
    return queries


def _both(few: list[str], many: list[str]) -> str:
    return "\n".join(["with few:", *few, "with many:", *many])


def test_cell_page_makes_as_many_queries_with_40_extra_members_as_with_5(client, world):
    term = world.cell.terms.get()

    def add_members(count: int) -> None:
        for index in range(count):
            member = member_in(world.cell)
            ExemptionFactory(member=member)
            if index % 2:
                PositionFactory(term=term, member=member, role=Position.Role.COMMITTEE_MEMBER)
            else:
                MembershipFactory(
                    member=member, organization=world.other_cell, kind=Membership.Kind.TEMPORARY
                )

    client.force_login(world.secretary)
    url = reverse("organizations:detail", args=[world.cell.pk])
    add_members(5)
    client.get(url)  # fill the process-wide caches (content types) before counting
    with_5 = _queries_for(client, url)
    add_members(35)
    with_40 = _queries_for(client, url)

    page = client.get(url).content.decode()
    assert page.count('class="person"') == 4 + 40
    assert Exemption.objects.filter(member__memberships__organization=world.cell).count() == 40
    assert len(with_5) == len(with_40), _both(with_5, with_40)


def test_organisation_tree_makes_as_many_queries_for_40_cells_as_for_5(client, world):
    def add_cells(count: int) -> None:
        for _ in range(count):
            member_in(CellFactory.create(parent=world.party))

    client.force_login(world.officer)
    url = reverse("organizations:tree") + f"?mo={world.party.pk}"  # one level at a time: the Đảng bộ opened
    add_cells(5)
    client.get(url)
    with_5 = _queries_for(client, url)
    add_cells(35)
    with_40 = _queries_for(client, url)
    assert client.get(url).content.decode().count('class="node"') == 2 + 40  # its cells
    assert len(with_5) == len(with_40), _both(with_5, with_40)


def test_party_page_makes_as_many_queries_for_40_cells_as_for_5(client, world):
    client.force_login(world.officer)
    url = reverse("organizations:detail", args=[world.party.pk])

    def add_cells(count: int) -> None:
        for _ in range(count):
            member_in(CellFactory.create(parent=world.party))

    add_cells(5)
    client.get(url)
    with_5 = _queries_for(client, url)
    add_cells(35)
    with_40 = _queries_for(client, url)
    assert client.get(url).content.decode().count("<tr>") == 1 + 2 + 40  # header, world's cells, new
    assert len(with_5) == len(with_40), _both(with_5, with_40)
