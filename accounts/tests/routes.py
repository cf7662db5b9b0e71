"""Permission rows of the accounts URLs (loaded by tests/test_permissions.py): signing in and the
password reset are public, the rest is for anyone signed in."""

from tests.matrix import ANYONE_SIGNED_IN, PUBLIC, Route

ROUTES = [
    Route("accounts:login", "page", PUBLIC),
    Route("accounts:logout", "self", ANYONE_SIGNED_IN, "POST"),
    Route("accounts:password_change", "page", ANYONE_SIGNED_IN),
    Route("accounts:password_change_done", "page", ANYONE_SIGNED_IN),
    Route("accounts:password_reset", "page", PUBLIC),
    Route("accounts:password_reset_done", "page", PUBLIC),
    Route(
        "accounts:password_reset_confirm",
        "stale-link",
        PUBLIC,
        kwargs=lambda w: {"uidb64": "MQ", "token": "stale-token"},
    ),
    Route("accounts:password_reset_complete", "page", PUBLIC),
]
