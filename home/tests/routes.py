"""Permission rows of the home page (loaded by tests/test_permissions.py)."""

from tests.matrix import ANYONE_SIGNED_IN, PUBLIC, Route

ROUTES = [
    Route("home:home", "page", ANYONE_SIGNED_IN),
    # For a load balancer: no sign-in, no personal data (home/tests/test_operations.py).
    Route("healthz", "check", PUBLIC),
]
