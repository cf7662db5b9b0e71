"""Shared personas and the browser fixture.

Personas (STYLE.md "Tests"): a secretary, a deputy, a full member and a probationary member of one
cell; a member of another cell of the same Đảng bộ; the Đảng ủy officer; an officer of another Đảng
bộ; an administrator.
"""

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from organizations.models import Member, OfficerAssignment, Organization, Position

# The Chromium the browser tests drive: $CHROMIUM when set (a path; one that does not exist skips them),
# otherwise the ``chromium`` on the PATH (Debian's).
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

# --- The clock -----------------------------------------------------------------------------------
# No test reads the real calendar (STYLE.md "Tests are cheap to run"): the whole run happens on a
# fixed Wednesday in November, the clock ticking from there. Tests about dates near "now" are marked
# ``new_year`` and run three times: on that day, late on 31 December and early on 1 January, when the
# local date and the UTC date differ (06:30 in Hà Nội is still 31 December in UTC).
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TEST_NOW = datetime(2026, 11, 18, 9, 0, tzinfo=HCM)
NEW_YEAR_CLOCKS = {
    "nov-18": None,
    "dec-31": datetime(2026, 12, 31, 22, 0, tzinfo=HCM),
    "jan-01": datetime(2027, 1, 1, 6, 30, tzinfo=HCM),
}


@pytest.fixture(scope="session", autouse=True)
def _fixed_clock() -> Iterator[None]:
    with time_machine.travel(TEST_NOW, tick=True):
        yield


def pytest_generate_tests(metafunc: Any) -> None:
    if metafunc.definition.get_closest_marker("new_year"):
        metafunc.parametrize(
            "_clock_at", list(NEW_YEAR_CLOCKS.values()), ids=list(NEW_YEAR_CLOCKS), indirect=True
        )


@pytest.fixture(autouse=True)
def _clock_at(request: Any) -> Iterator[None]:
    """Moves the clock for one run of a ``new_year`` test. Autouse, so it comes before the test's
    other function fixtures (``world`` is built on the moved clock); a module-scoped scenario would
    not be, so ``new_year`` tests build their data per test."""
    moment = getattr(request, "param", None)
    if moment is None:
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


# --- The test database ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database starts empty, whatever the last run left in it.

    pytest reuses the test database (``--reuse-db``; under pytest-xdist one per worker, suffixed
    ``_gw0``, ``_gw1``...). Browser tests commit their data and empty the tables only when they end, so
    a run killed midway leaves rows that make every later test fail (``UNIQUE constraint failed``).
    Emptying the tables takes well under a second; migrating a new database takes longer."""
    from django.core.management import call_command
    from django.db import connections

    with django_db_blocker.unblock():
        for alias in connections:
            call_command("flush", database=alias, interactive=False, verbosity=0)


def _fast_and_quiet_settings() -> dict[str, Any]:
    from django.conf import settings

    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LANGUAGE_CODE": "vi",
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any) -> None:
    for name, value in _fast_and_quiet_settings().items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _issued_documents_frozen_at_first_download(request: Any, monkeypatch: Any) -> None:
    """A site renders and stores an issued document's PDF and DOCX once the issue commits (documents.files,
    a background task): some seventy of them, a dozen seconds, when a test loads the demo with commits.
    Tests store them at the first download instead, as a site does whose worker is down; the tests of
    that step itself (marked ``freezes``) keep it."""
    if request.node.get_closest_marker("freezes") is None:
        from documents import files

        monkeypatch.setattr(files, "enqueue_freeze", lambda document_id: None)


# --- Data shared by a module's tests -------------------------------------------------------------


@pytest.fixture(scope="module")
def module_transaction(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Lets a module's tests share data built once (STYLE.md "Tests are cheap to run").

    A module-scoped fixture that requests this one writes its data in a transaction that stays open
    until the module's last test and is then rolled back; each test still runs in its own savepoint
    inside it, so what a test changes the next does not see. Every test of the module sees the data,
    whether it asks for it or not: use it only in modules whose every test does, and never with
    transactional tests (they empty the tables). The data is built with the tests' settings. ``make
    test`` hands pytest-xdist whole modules (``--dist loadscope``), so each module builds it once."""
    from django.db import transaction
    from django.test import override_settings

    with override_settings(**_fast_and_quiet_settings()), django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@dataclass
class World:
    party: Organization
    cell: Organization
    other_cell: Organization
    other_party: Organization
    foreign_cell: Organization
    secretary: Any
    deputy: Any
    member: Any
    probationary: Any
    other_member: Any
    officer: Any
    foreign_officer: Any
    admin: Any

    def persona(self, name: str) -> Any:
        return getattr(self, name)


@pytest.fixture
def world(db: Any) -> World:
    from tests.factories import (
        CellFactory,
        OrganizationFactory,
        PositionFactory,
        TermFactory,
        UserFactory,
        member_in,
    )

    party = OrganizationFactory(name="Đảng bộ Trường Chính trị Nguyễn Chí Thanh")
    cell = CellFactory(name="Chi bộ Khoa Xây dựng Đảng", parent=party)
    other_cell = CellFactory(name="Chi bộ Khoa Lý luận cơ sở", parent=party)
    other_party = OrganizationFactory(name="Đảng bộ Sở Y tế")
    foreign_cell = CellFactory(name="Chi bộ Văn phòng Sở", parent=other_party)

    users = {
        name: UserFactory(username=name, first_name=name)
        for name in ("bithu", "phobithu", "dangvien", "duby", "khac", "danguy", "danguykhac")
    }
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)

    term = TermFactory(organization=cell)
    secretary = member_in(cell, user=users["bithu"], full_name="Nguyễn Văn Bình")
    deputy = member_in(cell, user=users["phobithu"], full_name="Trần Thị Hoa")
    member_in(cell, user=users["dangvien"], full_name="Lê Văn Đức")
    member_in(cell, user=users["duby"], full_name="Phạm Thị Mai", status=Member.Status.PROBATIONARY)
    member_in(other_cell, user=users["khac"], full_name="Võ Văn Khánh")
    member_in(foreign_cell, full_name="Hồ Thị Lan")
    PositionFactory(term=term, member=secretary, role=Position.Role.SECRETARY)
    PositionFactory(term=term, member=deputy, role=Position.Role.DEPUTY_SECRETARY)
    OfficerAssignment.objects.create(user=users["danguy"], organization=party, title="Văn phòng Đảng ủy")
    OfficerAssignment.objects.create(user=users["danguykhac"], organization=other_party)

    return World(
        party=party,
        cell=cell,
        other_cell=other_cell,
        other_party=other_party,
        foreign_cell=foreign_cell,
        secretary=users["bithu"],
        deputy=users["phobithu"],
        member=users["dangvien"],
        probationary=users["duby"],
        other_member=users["khac"],
        officer=users["danguy"],
        foreign_officer=users["danguykhac"],
        admin=admin,
    )


# --- Browser tests -----------------------------------------------------------------------------

_skipped_browser_tests: list[str] = []
_ran_browser_tests: list[str] = []


def pytest_runtest_logreport(report: Any) -> None:
    """Under pytest-xdist this runs in each worker for its own tests and again in the controller for
    every worker's reports; the controller alone has the whole picture."""
    if "browser" in report.keywords and report.when in ("setup", "call"):
        # An expected failure (xfail) is reported as skipped, but the test did run.
        if report.skipped and not hasattr(report, "wasxfail"):
            _skipped_browser_tests.append(report.nodeid)
        elif report.when == "call":
            _ran_browser_tests.append(report.nodeid)


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """On CI a skipped browser test is a failure: the journeys must really have run."""
    if os.environ.get("CI", "").lower() != "true":
        return
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker saw only its share of the tests: the controller decides
    if _skipped_browser_tests:
        print(f"\nCI: {len(_skipped_browser_tests)} browser test(s) were skipped: {_skipped_browser_tests}")
        session.exitstatus = 1
    elif not _ran_browser_tests and session.testscollected:
        print("\nCI: no browser test ran.")
        session.exitstatus = 1


@pytest.fixture(scope="session")
def browser() -> Any:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
    # are still made synchronously, so allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", device_scale_factor=2
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    yield context.new_page()
    context.close()
