from typing import Any

import pytest

from push.vapid import generate


@pytest.fixture(scope="session")
def vapid_pair() -> tuple[str, str]:
    return generate()


@pytest.fixture
def vapid_keys(settings: Any, vapid_pair: tuple[str, str]) -> tuple[str, str]:
    """The site's VAPID pair, as production sets it."""
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = vapid_pair
    settings.VAPID_SUBJECT = "mailto:vanphong@truongchinhtri.vn"
    return vapid_pair
