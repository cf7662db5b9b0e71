"""Schemathesis hooks of tools/api_fuzz.py: a check that the API shows a persona nothing its pages hide.

For every successful read, the object it returned (a single object, or the first items of a list) is
looked up on its page as the same persona, signed in with a session of the same user
(``FUZZ_SESSION``): the page must answer 200. A 404 or 403 there means the API let the persona read
what the pages keep from them. Loaded through ``SCHEMATHESIS_HOOKS=tools.api_fuzz_hooks``.
"""

import http.client
import json
import os
import urllib.parse
from typing import Any

import schemathesis

PREFIX = "/api/v1"
# An operation that reads one object -> the page of that object, from the operation's path parameters (and
# the answer's own fields, for a page named by another id than the path's).
ITEM_PAGES: dict[str, str] = {
    "/organizations/{organization_id}": "/to-chuc/{organization_id}/",
    "/organizations/{organization_id}/members": "/to-chuc/{organization_id}/",
    "/organizations/{organization_id}/participation": "/danh-gia/chi-bo/{organization_id}/tham-gia/",
    "/members/{member_id}": "/to-chuc/dang-vien/{member_id}/",
    "/members/{member_id}/participation": "/danh-gia/dang-vien/{member_id}/",
    "/reports/{report_id}": "/bao-cao/{report_id}/",
    "/models/{model_id}": "/mau/{model_id}/",
    "/sessions/{session_id}/evaluation": "/ke-hoach/buoi/{session_id}/",
    # The meeting room (api/routers/room.py): the screen, the code, the speakers' and the vote's pages.
    "/rooms/{meeting_id}": "/hop/{meeting_id}/man-hinh/",
    "/rooms/{meeting_id}/check-in-code": "/hop/{meeting_id}/ma-diem-danh/",
    "/rooms/{meeting_id}/speaker-requests": "/hop/{meeting_id}/xin-phat-bieu/",
    "/rooms/{meeting_id}/ballots": "/hop/{meeting_id}/bieu-quyet-dien-tu/",
    # A ballot's page is its meeting's vote page: the meeting's id comes from the answer.
    "/ballots/{ballot_id}": "/hop/{meeting_id}/bieu-quyet-dien-tu/",
}
# An operation that lists objects -> the page of each item, from the item's "id".
LIST_PAGES: dict[str, str] = {
    "/organizations": "/to-chuc/{id}/",
    "/reports": "/bao-cao/{id}/",
    "/models": "/mau/{id}/",
}
ITEMS_CHECKED = 5

_answers: dict[str, int] = {}


def page_status(path: str) -> int:
    """The status of ``path`` for the persona's browser session (cached: the pages do not change while
    the fuzzer only reads; writes that would change them are not checked here)."""
    if path not in _answers:
        base = urllib.parse.urlsplit(os.environ["FUZZ_BASE"])
        connection = http.client.HTTPConnection(base.hostname or "127.0.0.1", base.port, timeout=30)
        headers = {"Cookie": f"sessionid={os.environ['FUZZ_SESSION']}", "X-Forwarded-Proto": "https"}
        connection.request("GET", path, headers=headers)
        _answers[path] = connection.getresponse().status
        connection.close()
    return _answers[path]


def _pages(case: Any, body: Any) -> list[str]:
    template = case.operation.path.removeprefix(PREFIX)
    if template in ITEM_PAGES:
        fields = body if isinstance(body, dict) else {}
        return [ITEM_PAGES[template].format(**{**fields, **(case.path_parameters or {})})]
    if template in LIST_PAGES and isinstance(body, dict):
        return [LIST_PAGES[template].format(id=item["id"]) for item in body.get("items", [])[:ITEMS_CHECKED]]
    return []


@schemathesis.check
def reads_only_what_pages_show(ctx: Any, response: Any, case: Any) -> bool | None:
    if case.method.upper() != "GET" or response.status_code != 200:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    for page in _pages(case, body):
        status = page_status(page)
        if status != 200:
            raise AssertionError(f"the API read {case.operation.path} but the page {page} answers {status}")
    return True
