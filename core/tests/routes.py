"""Permission rows of the home page and the language switch (loaded by tests/test_permissions.py)."""

from tests.matrix import ANYONE_SIGNED_IN, PUBLIC, Route

ROUTES = [
    Route("core:home", "page", ANYONE_SIGNED_IN),
    # The project's root URLs hold only Django's language switch: its row lives here, with the home page.
    Route("set_language", "to-english", PUBLIC, "POST", data=lambda w: {"language": "en", "next": "/"}),
]
