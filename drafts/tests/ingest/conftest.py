import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English source; the Vietnamese catalogue may translate them.
    with translation.override("en"):
        yield
