"""Permission rows for the search URLs (loaded by tests/test_permissions.py)."""

from tests.matrix import ANYONE_SIGNED_IN, Route

# Everyone signed in may search; what each persona finds is tested in search/tests/test_visibility.py.
ROUTES = [
    Route("search:results", "search-page", ANYONE_SIGNED_IN),
]
