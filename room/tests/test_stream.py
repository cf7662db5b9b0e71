"""The room's streams served in front of Django (room/stream.py, routed by chuyende/asgi.py): the same
answers as the rest of the site's machine readers, and open streams that hold no database connection
of their own — the reason they are not a Django view (BENCHMARKS.md § Live updates in the meeting room).

Driven in this process through the ASGI interface, as uvicorn calls it."""

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import pytest
import time_machine
from asgiref.sync import sync_to_async
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created
from django.urls import reverse
from django.utils import timezone

from chuyende.asgi import application
from meetings.tests.helpers import open_meeting, yesterday
from room import live, stream
from room.tests.test_live import REDIS_URL, _session_cookie
from tests.factories import UserFactory, member_in

pytestmark = pytest.mark.django_db(transaction=True)


def _scope(path: str, cookie: str = "", method: str = "GET", host: str = "127.0.0.1") -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", host.encode()),
            (b"cookie", cookie.encode()),
            (b"accept", b"text/event-stream"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


class Phone:
    """One client of the ASGI application: what it was sent, and a way to leave."""

    def __init__(self, scope: dict[str, Any]) -> None:
        self.messages: list[dict[str, Any]] = []
        self.left = asyncio.Event()
        self.first_event = asyncio.Event()
        self.task = asyncio.ensure_future(application(scope, self.receive, self.send))

    async def receive(self) -> dict[str, Any]:
        await self.left.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        self.messages.append(message)
        if message["type"] == "http.response.body" and b"event: state" in message.get("body", b""):
            self.first_event.set()

    @property
    def status(self) -> int:
        return int(self.messages[0]["status"])

    def headers(self) -> dict[bytes, bytes]:
        return dict(self.messages[0]["headers"])


def _run(scenario: Callable[[], Any]) -> Any:
    # A thread of its own: a browser test earlier in this process leaves an event loop running here.
    with ThreadPoolExecutor(1) as executor:
        return executor.submit(asyncio.run, scenario()).result()


async def _answer(scope: dict[str, Any]) -> Phone:
    phone = Phone(scope)
    await asyncio.wait_for(phone.task, 10)  # a refusal ends the response at once
    return phone


def test_a_stream_is_refused_as_the_sites_machine_readers_are(world, settings):
    settings.LIVE_UPDATES, settings.LIVE_REDIS_URL = "stream", REDIS_URL
    meeting = open_meeting(world)
    path = reverse("room:stream", args=[meeting.pk])
    member, outsider = _session_cookie(world.member), _session_cookie(world.other_member)

    async def scenario() -> dict[str, int]:
        answers = {
            "anonymous": await _answer(_scope(path)),
            "outsider": await _answer(_scope(path, outsider)),
            "no such meeting": await _answer(_scope(reverse("room:stream", args=[meeting.pk + 999]), member)),
            "a host not allowed": await _answer(_scope(path, member, host="evil.example")),
            "a POST": await _answer(_scope(path, member, method="POST")),
            "a forged session": await _answer(_scope(path, "sessionid=forged")),
        }
        return {name: phone.status for name, phone in answers.items()}

    assert _run(scenario) == {
        "anonymous": 401,
        "outsider": 404,
        "no such meeting": 404,
        "a host not allowed": 400,
        "a POST": 405,
        "a forged session": 401,
    }
    settings.LIVE_UPDATES = "poll"
    assert _run(lambda: _answer(_scope(path, member))).status == 404


def test_many_open_streams_share_one_database_connection_and_leave_the_hub(world, settings, monkeypatch):
    """Twenty phones open the stream at once: each gets its first state, and all of them together use
    the database from one thread (the one for synchronous code outside requests), whose connection,
    kept as production keeps one (CONN_MAX_AGE), is made once. As a Django view, each request had its
    own thread, which opened a connection and kept it while the phone stayed."""
    settings.LIVE_UPDATES, settings.LIVE_REDIS_URL = "stream", REDIS_URL
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 60)
    meeting = open_meeting(world)
    users = [world.member, world.deputy] + [member_in(world.cell, user=UserFactory()).user for _ in range(18)]
    cookies = [_session_cookie(user) for user in users]
    path = reverse("room:stream", args=[meeting.pk])
    opened: list[Any] = []

    def count(sender: Any, connection: Any, **kwargs: Any) -> None:
        opened.append(threading.get_ident())

    async def scenario() -> tuple[list[Phone], int]:
        # Warm: one phone comes and goes, and the shared thread's connection is made.
        warm = Phone(_scope(path, cookies[0]))
        await asyncio.wait_for(warm.first_event.wait(), 10)
        warm.left.set()
        await asyncio.wait_for(warm.task, 10)
        connection_created.connect(count)
        try:
            phones = [Phone(_scope(path, cookie)) for cookie in cookies]
            await asyncio.wait_for(asyncio.gather(*(phone.first_event.wait() for phone in phones)), 20)
            watching = len(live.hub.clients.get(meeting.pk, ()))
            for phone in phones:
                phone.left.set()
            await asyncio.wait_for(asyncio.gather(*(phone.task for phone in phones)), 10)
            return phones, watching
        finally:
            connection_created.disconnect(count)
            await sync_to_async(connections.close_all)()  # the shared thread's, before the test ends

    phones, watching = _run(scenario)
    assert [phone.status for phone in phones] == [200] * 20
    headers = phones[0].headers()
    assert headers[b"content-type"].startswith(b"text/event-stream")
    assert headers[b"cache-control"] == b"no-cache" and headers[b"x-accel-buffering"] == b"no"
    first = phones[0].messages[1]["body"].decode()
    assert first.startswith(f"retry: {live.RETRY_MILLISECONDS}\nevent: state\ndata: ")
    assert watching == 20
    assert len(opened) <= 1, f"{len(opened)} connections opened for 20 streams, in {len(set(opened))} threads"
    assert live.hub.clients == {}  # every phone that left has left the hub


def test_only_the_streams_address_is_served_in_front_of_django():
    assert stream.match(_scope("/hop/12/song/")) == 12
    assert stream.match({**_scope("/chuyende/hop/12/song/"), "root_path": "/chuyende"}) == 12
    others = ("/hop/12/song", "/hop/12/song/x", "/hop/abc/song/", "/hop/12/trang-thai/", "/x/hop/12/song/")
    for path in others:
        assert stream.match(_scope(path)) is None
    assert stream.match({"type": "websocket", "path": "/hop/12/song/"}) is None
    assert stream.match({"type": "lifespan"}) is None


def test_a_pages_token_opens_the_stream_with_its_session_cookie_and_only_for_its_meeting(world, settings):
    """The page's address opens the stream without a query (the cookie's session is not read, only
    compared with the token's mark); the address without that cookie, another session's cookie,
    another meeting's token, a changed one or an expired one open nothing."""
    settings.LIVE_UPDATES, settings.LIVE_REDIS_URL = "stream", REDIS_URL
    meeting, other = open_meeting(world), open_meeting(world, day=yesterday() - timedelta(days=1))
    cookie, other_session = _session_cookie(world.member), _session_cookie(world.member)
    session = cookie.partition("=")[2]
    given = live.stream_url(world.member.pk, meeting.pk, session)
    path, _, query = given.partition("?")
    token = unquote(query.removeprefix("t="))
    elsewhere = live.stream_url(world.member.pk, other.pk, session).partition("?")[2]
    changed = query[:-1] + ("A" if query[-1] != "A" else "B")

    def scope(path: str, query: str, cookie: str = cookie) -> dict[str, Any]:
        return {**_scope(path, cookie), "query_string": query.encode()}

    async def scenario() -> tuple[Phone, dict[str, int]]:
        phone = Phone(scope(path, query))
        await asyncio.wait_for(phone.first_event.wait(), 10)
        phone.left.set()
        await asyncio.wait_for(phone.task, 10)
        refused = {
            "the address alone": await _answer(scope(path, query, cookie="")),
            "another session's cookie": await _answer(scope(path, query, other_session)),
            "another meeting's token": await _answer(scope(path, elsewhere)),
            "a changed token": await _answer(scope(path, changed)),
            "an empty token": await _answer(scope(path, "t=")),
        }
        return phone, {name: answer.status for name, answer in refused.items()}

    phone, refused = _run(scenario)
    assert phone.status == 200 and b"event: state" in phone.messages[1]["body"]
    assert set(refused.values()) == {401}, refused
    # Six hours later the token no longer opens it (the page then polls, which reads the session).
    with time_machine.travel(timezone.now() + timedelta(seconds=live.STREAM_TOKEN_SECONDS + 60)):
        assert live.stream_reader(token, meeting.pk, session) is None
    assert live.stream_reader(token, meeting.pk, session) == world.member.pk
