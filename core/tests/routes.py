"""Permission rows of the language switch (loaded by tests/test_permissions.py)."""

from tests.matrix import PUBLIC, Route

ROUTES = [
    # The project's root URLs hold only Django's language switch: its row lives here.
    Route("set_language", "to-english", PUBLIC, "POST", data=lambda w: {"language": "en", "next": "/"}),
]
