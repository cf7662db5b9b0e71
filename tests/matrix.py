"""The words of the permission tables: personas, expected answers, the rules shared by several apps,
and ``Route``, one row of a table.

Each app keeps its rows in ``<app>/tests/routes.py`` (a list ``ROUTES``, the rules only it uses next
to them); tests/test_permissions.py loads them all and asks every route as every persona.

The answers follow one rule set:

* anonymous visitors are sent to the sign-in page, except on the sign-in, password reset and
  language pages, which are public;
* what a persona may not see does not exist for them (404);
* what they may see but not change is refused (403);
* what they may do answers 200 (a page) or 302 (a change that was made).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from conftest import World

OK = "ok"  # 200 for a page, 302 for a change that was made
LOGIN = "login"  # redirected to the sign-in page, which brings them back afterwards
FORBIDDEN = 403
NOT_FOUND = 404

ANONYMOUS = "anonymous"
SIGNED_IN = (
    "secretary",
    "deputy",
    "member",
    "probationary",
    "other_member",
    "officer",
    "foreign_officer",
    "admin",
)
PERSONAS = (ANONYMOUS, *SIGNED_IN)


def rule(*, ok: Iterable[str], forbidden: Iterable[str] = (), anonymous: str = LOGIN) -> dict[str, Any]:
    """Expected answer per persona; every signed-in persona not named gets 404."""
    expected: dict[str, Any] = dict.fromkeys(SIGNED_IN, NOT_FOUND)
    expected.update(dict.fromkeys(ok, OK))
    expected.update(dict.fromkeys(forbidden, FORBIDDEN))
    expected[ANONYMOUS] = anonymous
    return expected


# The API answers an anonymous caller 401 (it never redirects to the sign-in page).
UNAUTHENTICATED = 401


def api_rule(*, ok: Iterable[str], forbidden: Iterable[str] = ()) -> dict[str, Any]:
    """Expected answer per persona for an API operation: like :func:`rule`, anonymous callers get 401."""
    return rule(ok=ok, forbidden=forbidden, anonymous=UNAUTHENTICATED)


def for_api(expected: dict[str, Any]) -> dict[str, Any]:
    """A page's rule for the API operation that is the same action: the same answers, but 401 for an
    anonymous caller."""
    return {**expected, ANONYMOUS: UNAUTHENTICATED}


PUBLIC = rule(ok=SIGNED_IN, anonymous=OK)
ANYONE_SIGNED_IN = rule(ok=SIGNED_IN)
# world.cell and the people in it: its members see it, its secretaries and the Đảng ủy manage it.
SEES_CELL = rule(ok=("secretary", "deputy", "member", "probationary", "officer", "admin"))
MANAGES_CELL = rule(ok=("secretary", "deputy", "officer", "admin"), forbidden=("member", "probationary"))
SEES_PARTY = rule(ok=("officer", "admin"))
# planning: the cell's leadership prepares the plan; the Đảng ủy above it reviews it.
PLANS_CELL = rule(ok=("secretary", "deputy", "admin"), forbidden=("member", "probationary", "officer"))
REVIEWS_PLAN = rule(ok=("officer", "admin"), forbidden=("secretary", "deputy", "member", "probationary"))
# meetings: the cell's secretaries record and approve; members and the Đảng ủy read.
MANAGES_MEETING = rule(ok=("secretary", "deputy", "admin"), forbidden=("member", "probationary", "officer"))


@dataclass(frozen=True)
class Route:
    """One request to make, and the answer each persona should get.

    ``kwargs`` builds what the URL points at (the scenario) and is called once per route; ``data``
    builds the form and is called once per persona, inside that persona's savepoint."""

    name: str
    target: str
    expected: dict[str, Any]
    method: str = "GET"
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    # A successful POST goes through a service: audit entries and one success message.
    changes_state: bool = False
    # An API operation (api/): the body is sent as JSON, "ok" is ``ok_status`` (200 for a read, 201 for
    # a create…), and a change that was made shows in the audit log but leaves no flash message.
    api: bool = False
    ok_status: int | None = None

    def url(self, world: World) -> str:
        return reverse(self.name, kwargs=self.kwargs(world))

    @property
    def id(self) -> str:
        return f"{self.name.split(':')[-1]}-{self.target}-{self.method}"

    def expected_label(self, persona: str) -> str:
        """The expected answer as a status code where there is one: "200", "302", "403", "login"."""
        expected = self.expected[persona]
        if expected == OK:
            return str(self.ok_code)
        return str(expected)

    @property
    def ok_code(self) -> int:
        """The status of an answer that did what was asked."""
        if self.ok_status is not None:
            return self.ok_status
        return 200 if self.method == "GET" else 302


def today() -> str:
    return timezone.localdate().isoformat()
