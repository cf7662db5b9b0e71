"""The demo commands ``make run`` calls: ``load_demo`` and ``demo_logins``."""

from io import StringIO

import pytest
from django.core.management import call_command

from organizations import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> None:
    assert demo.load_demo() is True


def test_the_commands_report_what_they_did(school):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo data already present; nothing changed." in out.getvalue()
    out = StringIO()
    call_command("demo_logins", "--url", "http://127.0.0.1:8000", stdout=out)
    printed = out.getvalue()
    assert demo.PASSWORD in printed
    assert "http://127.0.0.1:8000/" in printed
    for login in demo.LOGINS:
        assert login.username in printed
