"""Permission rows of the home page (loaded by tests/test_permissions.py)."""

from tests.matrix import ANYONE_SIGNED_IN, Route

ROUTES = [
    Route("home:home", "page", ANYONE_SIGNED_IN),
]
