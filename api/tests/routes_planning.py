"""Permission rows of the API's planning operations (gathered by api/tests/routes.py)."""

from tests.matrix import Route

ROUTES: list[Route] = []
