"""The drafts demo notifies members as real drafts do, yet `make run` loading it sends no e-mail.

Apart from drafts/tests/test_demo.py, which loads the demo once for all its tests: here the demo is
loaded inside the test, while its mailbox listens."""

from io import StringIO

import pytest
from django.core.management import call_command

from drafts.models import DraftVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("load_demo", stdout=StringIO())


def test_the_demo_sends_no_email(demo, mailoutbox):
    assert mailoutbox == []
    assert DraftVersion.objects.count() >= 4
