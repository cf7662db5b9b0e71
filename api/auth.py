"""Who is calling: the browser's session (with its CSRF token on changes) or a personal access token
(``Authorization: Bearer …``). Both lead to the same user, and from there to the same permission checks
as the pages (issue 14, item 2)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth


class Session(SessionAuth):
    """The signed-in browser; ninja checks the CSRF token on every unsafe method."""


class Token(HttpBearer):
    """A personal access token. TODO(api-core): look the token up hashed (accounts), check expiry and
    scope (a read token may only call safe methods), record its use, and return its user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return None


AUTH = [Token(), Session()]
