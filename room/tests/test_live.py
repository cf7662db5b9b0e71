"""Live updates of the meeting room (room/live.py): every change the room shows is told once its
transaction commits (never after a rollback); the public state says what every reader may see in a
fixed number of queries; the JSON poll answers 304 while nothing changed; in stream mode a real
uvicorn, told through a real Redis, sends the next state within 2 s."""

import asyncio
import contextlib
import html as html_module
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from core.errors import InvalidTransition
from meetings import services as meetings
from meetings.models import Attendance, Meeting
from meetings.tests.helpers import member_of, open_meeting, yesterday
from room import checkin, live, services, speakers
from tests.factories import UserFactory, member_in

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def told(monkeypatch: Any) -> list[int]:
    """The meetings ``live.notify`` is called for, in order."""
    calls: list[int] = []
    monkeypatch.setattr(live, "notify", calls.append)
    return calls


def _marked(world: Any, **where: Any) -> Meeting:
    meeting = open_meeting(world, **where)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    return meeting


def _mark(world: Any, meeting: Meeting, user: Any, status: str) -> None:
    meetings.set_attendance(
        actor=world.secretary, meeting=meeting, member_id=member_of(user).pk, status=status
    )


# Each kind of change the room shows: (name, setup(world) -> meeting and state, change(world, state)).
def _ballot(world: Any, secret: bool = True, **where: Any) -> Any:
    meeting = _marked(world, **where)
    return services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=secret)


def _waiting(world: Any) -> Any:
    return speakers.request_floor(actor=world.member, meeting=_marked(world))


def _speaking(world: Any) -> Any:
    return speakers.give_floor(actor=world.secretary, request=_waiting(world))


def _voted(world: Any) -> Any:
    ballot = _ballot(world)
    services.cast_vote(actor=world.deputy, ballot=ballot, choice="for")
    return ballot


def _check_in(world: Any, meeting: Meeting) -> None:
    checkin.check_in(actor=world.member, meeting=meeting, code=checkin.current_code(meeting).code)


CHANGES: dict[str, tuple[Callable[[Any], Any], Callable[[Any, Any], Any]]] = {
    "attendance by the secretary": (
        open_meeting,
        lambda w, m: _mark(w, m, w.member, "present"),
    ),
    "check-in": (open_meeting, _check_in),
    "a ballot opened": (
        _marked,
        lambda w, m: services.open_ballot(actor=w.secretary, meeting=m, subject="Nghị quyết", secret=False),
    ),
    "a secret vote cast": (_ballot, lambda w, b: services.cast_vote(actor=w.member, ballot=b, choice="for")),
    "a named vote cast": (
        lambda w: _ballot(w, secret=False),
        lambda w, b: services.cast_vote(actor=w.member, ballot=b, choice="against"),
    ),
    "a ballot closed": (_voted, lambda w, b: services.close_ballot(actor=w.secretary, ballot=b)),
    "a ballot withdrawn": (_ballot, lambda w, b: services.withdraw_ballot(actor=w.secretary, ballot=b)),
    "a request to speak": (_marked, lambda w, m: speakers.request_floor(actor=w.member, meeting=m, about="")),
    "a request withdrawn": (_waiting, lambda w, r: speakers.withdraw_request(actor=w.member, request=r)),
    "the floor given": (_waiting, lambda w, r: speakers.give_floor(actor=w.secretary, request=r)),
    "the floor ended": (_speaking, lambda w, r: speakers.end_floor(actor=w.secretary, request=r)),
    "the agenda written": (
        _marked,
        lambda w, m: meetings.save_field(actor=w.secretary, meeting=m, name="agenda", value="Khai mạc"),
    ),
}


def _meeting_id(thing: Any) -> int:
    return int(thing.pk if isinstance(thing, Meeting) else thing.meeting_id)


@pytest.mark.parametrize("kind", list(CHANGES))
def test_each_change_is_told_once_it_commits(world, told, django_capture_on_commit_callbacks, kind):
    setup, change = CHANGES[kind]
    thing = setup(world)
    with django_capture_on_commit_callbacks(execute=True):
        change(world, thing)
        assert told == []  # not before the commit
    assert told and set(told) == {_meeting_id(thing)}


@pytest.mark.parametrize("kind", ["attendance by the secretary", "a secret vote cast", "the floor given"])
def test_nothing_is_told_of_a_change_rolled_back(world, told, django_capture_on_commit_callbacks, kind):
    setup, change = CHANGES[kind]
    thing = setup(world)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        change(world, thing)
        raise RuntimeError("rolled back")
    assert told == [] and callbacks == []


def test_a_refused_change_is_not_told(world, told, django_capture_on_commit_callbacks):
    ballot = _voted(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(InvalidTransition):
        services.cast_vote(actor=world.deputy, ballot=ballot, choice="for")  # a second vote
    assert told == [] and callbacks == []


def test_the_public_state_says_what_any_reader_may_see(world):
    meeting = open_meeting(world)
    _mark(world, meeting, world.secretary, "present")
    _mark(world, meeting, world.deputy, "present")
    _mark(world, meeting, world.member, "late")
    _mark(world, meeting, world.probationary, Attendance.Status.EXCUSED)
    waiting = speakers.request_floor(actor=world.deputy, meeting=meeting)
    speaking = speakers.give_floor(
        actor=world.secretary, request=speakers.request_floor(actor=world.member, meeting=meeting)
    )
    speakers.request_floor(actor=world.secretary, meeting=meeting)
    ballot = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True)
    services.cast_vote(actor=world.deputy, ballot=ballot, choice="against")

    state = live.public_state(meeting.pk)

    from room.screen import version

    assert state == {
        "version": version(meeting.pk),
        "status": "in_progress",
        "ballot": {
            "id": ballot.pk,
            "status": "open",
            "secret": True,
            "subject": "Nghị quyết",
            "voted": 1,
            "eligible": 3,
        },
        "present": 3,
        "expected": 4,
        "speaking": speaking.pk,
        "waiting": 2,
    }
    assert waiting.pk != speaking.pk
    assert json.loads(json.dumps(state)) == state  # JSON as it is

    services.cast_vote(actor=world.member, ballot=ballot, choice="for")
    after = live.public_state(meeting.pk)
    assert after["ballot"]["voted"] == 2 and after["version"] != state["version"]
    services.close_ballot(actor=world.secretary, ballot=ballot)
    closed = live.public_state(meeting.pk)
    assert closed["ballot"]["status"] == "closed"
    assert "votes_for" not in json.dumps(closed)  # counts are the pages' business, never the state's


def test_the_public_state_of_a_named_vote_counts_the_votes_and_names_nobody(world):
    ballot = _ballot(world, secret=False)
    services.cast_vote(actor=world.member, ballot=ballot, choice="for")
    state = live.public_state(ballot.meeting_id)
    assert state["ballot"]["voted"] == 1 and state["ballot"]["secret"] is False
    assert "Lê Văn Đức" not in json.dumps(state, ensure_ascii=False)


def test_the_public_state_takes_as_many_queries_in_a_bigger_meeting(world, django_assert_num_queries):
    def measure(members: int) -> None:
        meeting = Meeting.objects.filter(cell=world.cell).latest("pk")
        assert meeting.attendances.count() == members
        with django_assert_num_queries(9):
            live.public_state(meeting.pk)

    ballot = _ballot(world, secret=False)
    services.cast_vote(actor=world.member, ballot=ballot, choice="for")
    speakers.request_floor(actor=world.member, meeting=ballot.meeting)
    measure(4)
    for index in range(6):
        member_in(world.cell, user=UserFactory(), full_name=f"Đảng viên {index}")
    ballot = _ballot(world, secret=False, day=yesterday() - timedelta(days=7))  # with ten members
    for user in (world.member, world.deputy, world.secretary):
        services.cast_vote(actor=user, ballot=ballot, choice="for")
        speakers.request_floor(actor=user, meeting=ballot.meeting)
    measure(10)


# --- The JSON poll -------------------------------------------------------------------------------


def test_the_json_poll_answers_304_until_something_changes(client, world):
    meeting = _marked(world)
    client.force_login(world.probationary)
    url = reverse("room:state", args=[meeting.pk])
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    assert first.json()["present"] == 4 and first.json()["ballot"] is None
    assert first["ETag"] == f'"{first.json()["version"]}"'
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    # GZipMiddleware sends a weak ETag; the browser sends it back as it got it.
    assert client.get(url, headers={"If-None-Match": "W/" + first["ETag"]}).status_code == 304
    speakers.request_floor(actor=world.member, meeting=meeting)
    second = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200 and second.json()["waiting"] == 1
    assert second["ETag"] != first["ETag"]


def test_the_json_poll_and_the_stream_refuse_who_may_not_see_the_meeting(client, world):
    meeting = _marked(world)
    for name in ("room:state", "room:stream"):
        url = reverse(name, args=[meeting.pk])
        anonymous = Client().get(url)
        assert anonymous.status_code == 401 and "Location" not in anonymous  # a script: no sign-in page
        client.force_login(world.other_member)  # a member of another cell
        assert client.get(url).status_code == 404
    client.force_login(world.member)
    assert client.get(reverse("room:stream", args=[meeting.pk])).status_code == 404  # poll mode


@pytest.mark.parametrize("page", ["room:vote", "room:speakers", "room:checkin"])
def test_the_members_pages_offer_the_stream_only_in_stream_mode(client, world, settings, page):
    meeting = _marked(world)
    client.force_login(world.member)
    html = client.get(reverse(page, args=[meeting.pk])).content.decode()
    assert f'data-state-url="{reverse("room:state", args=[meeting.pk])}"' in html
    assert "data-stream-url" not in html and "room/live.js" in html
    settings.LIVE_UPDATES, settings.LIVE_REDIS_URL = "stream", REDIS_URL
    html = client.get(reverse(page, args=[meeting.pk])).content.decode()
    given = re.search(r'data-stream-url="([^"]+)"', html)
    assert given is not None
    path, _, query = html_module.unescape(given[1]).partition("?t=")
    assert path == reverse("room:stream", args=[meeting.pk])
    # The address carries the reader's token for this meeting (room/stream.py opens it without a session).
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert live.stream_reader(unquote(query), meeting.pk, session) == world.member.pk
    assert live.stream_reader(unquote(query), meeting.pk, "another-session") is None


def test_stream_mode_without_redis_is_refused_at_startup():
    env = {**os.environ, "LIVE_UPDATES": "stream", "CACHE_URL": "locmem://", "PYTHONPATH": str(ROOT)}
    env.pop("LIVE_REDIS_URL", None)
    probe = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "chuyende.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (
        probe.returncode != 0 and "ImproperlyConfigured" in probe.stderr and "LIVE_REDIS_URL" in probe.stderr
    )


# --- Stream mode: a real uvicorn, a real Redis ------------------------------------------------------


def test_the_hub_computes_once_per_burst_for_all_its_clients_and_forgets_who_leaves(monkeypatch, settings):
    settings.LIVE_REDIS_URL = REDIS_URL
    watched, unwatched = 10**9 + 7, 10**9 + 8  # no test meeting's id: other runs publish on this Redis
    computed: list[int] = []

    def state(meeting_id: int) -> dict[str, Any]:
        computed.append(meeting_id)
        return {"version": f"v{len(computed)}"}

    monkeypatch.setattr(live, "_fresh_state", state)
    monkeypatch.setattr(live, "first_state", lambda meeting_id: {"version": "v0"})

    async def until_full(queue: asyncio.Queue[Any]) -> None:
        while queue.empty():
            await asyncio.sleep(0.01)

    async def scenario() -> None:
        hub = live.Hub()
        first, second = await hub.join(watched), await hub.join(watched)
        await asyncio.wait_for(hub.subscribed.wait(), 10)
        assert (await hub.first_state(watched))["version"] == "v0"
        for _ in range(5):
            hub.changed(watched)
        hub.changed(unwatched)  # nobody here watches it: nothing computed
        await asyncio.wait_for(until_full(first), 10)
        await asyncio.sleep(live.COALESCE_SECONDS * 2)
        assert computed == [watched]
        assert first.get_nowait()["version"] == second.get_nowait()["version"] == "v1"
        # A new client starts from the state last sent, without computing it again.
        assert (await hub.first_state(watched))["version"] == "v1" and computed == [watched]
        hub.leave(watched, first)
        hub.leave(watched, second)
        assert hub.clients == {} and hub.latest == {}
        hub.changed(watched)
        await asyncio.sleep(live.COALESCE_SECONDS * 2)
        assert computed == [watched]
        assert hub.listener is not None
        hub.listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await hub.listener

    # In a thread of its own: a browser test before it in this process leaves Playwright's event loop
    # running in the main thread, where asyncio.run() refuses to start another.
    with ThreadPoolExecutor(1) as executor:
        executor.submit(asyncio.run, scenario()).result()


def test_clients_arriving_together_share_one_first_state(monkeypatch, settings):
    """Twenty phones of a meeting open their streams at once (the Wi-Fi came back): one computation of
    the first state, not twenty; a phone that leaves while it is computed does not cancel the others'."""
    settings.LIVE_REDIS_URL = REDIS_URL
    meeting_id = 10**9 + 9
    computed: list[int] = []

    def slow_state(meeting_id: int) -> dict[str, Any]:
        computed.append(meeting_id)
        time.sleep(0.2)
        return {"version": "v1"}

    monkeypatch.setattr(live, "first_state", slow_state)

    async def scenario() -> list[Any]:
        hub = live.Hub()
        for _ in range(20):
            await hub.join(meeting_id)
        asking = [asyncio.ensure_future(hub.first_state(meeting_id)) for _ in range(20)]
        await asyncio.sleep(0.05)
        asking[0].cancel()  # this phone left
        states = await asyncio.gather(*asking[1:])
        # Later arrivals take the state the hub holds.
        states.append(await hub.first_state(meeting_id))
        assert hub.computing == {}
        assert hub.listener is not None
        hub.listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await hub.listener
        return states

    with ThreadPoolExecutor(1) as executor:
        states = executor.submit(asyncio.run, scenario()).result()
    assert computed == [meeting_id]
    assert [state["version"] for state in states] == ["v1"] * 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


ON_THE_TESTS_CLOCK = """
import sys, time_machine, uvicorn
time_machine.travel(float(sys.argv[1]), tick=True).start()
sys.argv = ["uvicorn", *sys.argv[2:]]
uvicorn.main()
"""


@pytest.fixture
def uvicorn_server(transactional_db: None) -> Iterator[str]:
    """The app under uvicorn in stream mode, on the test database (the test's data is committed)."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": _database_url(),
        "LIVE_UPDATES": "stream",
        "LIVE_REDIS_URL": REDIS_URL,
        "DEBUG": "true",
        "LANGUAGE": "vi",
    }
    # On the tests' clock (conftest.py), or the sessions signed in the test would have expired.
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            ON_THE_TESTS_CLOCK,
            str(time.time()),
            "chuyende.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("uvicorn did not start") from None
                time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


class Events:
    """A server-sent events reader over one HTTP connection."""

    def __init__(self, address: str, path: str, cookie: str) -> None:
        host, port = address.split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=5)
        self.connection.request("GET", path, headers={"Cookie": cookie, "Accept": "text/event-stream"})
        self.response = self.connection.getresponse()

    def next_block(self, timeout: float) -> list[str]:
        """The next event's lines (comments included), waiting at most ``timeout`` seconds."""
        self.connection.sock.settimeout(timeout)
        lines: list[str] = []
        while True:
            line = self.response.readline().decode()
            if line in ("\n", ""):
                return lines
            lines.append(line.rstrip("\n"))

    def next_state(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            block = self.next_block(max(0.01, deadline - time.monotonic()))
            data = [line.removeprefix("data: ") for line in block if line.startswith("data: ")]
            if "event: state" in block and data:
                return dict(json.loads(data[0]))

    def close(self) -> None:
        self.connection.close()


def test_stream_mode_sends_the_next_state_within_two_seconds(uvicorn_server, world, settings):
    import redis

    settings.LIVE_UPDATES, settings.LIVE_REDIS_URL = "stream", REDIS_URL
    meeting = open_meeting(world)
    path = reverse("room:stream", args=[meeting.pk])

    stream = Events(uvicorn_server, path, _session_cookie(world.member))
    try:
        assert stream.response.status == 200
        assert stream.response.getheader("Content-Type").startswith("text/event-stream")
        assert stream.response.getheader("Cache-Control") == "no-cache"
        assert stream.response.getheader("X-Accel-Buffering") == "no"
        assert stream.response.getheader("Content-Encoding") is None
        first = stream.next_block(timeout=5)
        assert first[0] == f"retry: {live.RETRY_MILLISECONDS}" and first[1] == "event: state"
        state = json.loads(first[2].removeprefix("data: "))
        assert state["present"] == 0 and state["expected"] == 4 and state["ballot"] is None

        # Notifications with nothing changed send nothing (never the same version twice) ...
        publisher = redis.Redis.from_url(REDIS_URL)
        for _ in range(3):
            publisher.publish(f"{live.CHANNEL_PREFIX}{meeting.pk}", b"")
        # ... and a change made by the secretary's phone arrives within 2 s.
        started = time.monotonic()
        _mark(world, meeting, world.deputy, "present")
        after = stream.next_state(timeout=2)
        assert time.monotonic() - started < 2
        assert after["present"] == 1 and after["version"] != state["version"]

        # A burst of changes arrives, at the latest, as the newest state.
        for user in (world.secretary, world.member):
            _mark(world, meeting, user, "present")
        deadline = time.monotonic() + 2
        latest = stream.next_state(timeout=2)
        while latest["present"] < 3:
            latest = stream.next_state(timeout=max(0.01, deadline - time.monotonic()))
        assert latest["present"] == 3
    finally:
        stream.close()

    # The first client has gone (its request ended); a new one still hears of the next change.
    again = Events(uvicorn_server, path, _session_cookie(world.probationary))
    try:
        assert again.next_state(timeout=5)["present"] == 3
        _mark(world, meeting, world.probationary, "present")
        assert again.next_state(timeout=2)["present"] == 4
    finally:
        again.close()

    outsider = Events(uvicorn_server, path, _session_cookie(world.other_member))
    assert outsider.response.status == 404
    outsider.close()
    anonymous = Events(uvicorn_server, path, "")
    assert anonymous.response.status == 401
    anonymous.close()
    # The JSON poll is served by the same server.
    poll = Events(uvicorn_server, reverse("room:state", args=[meeting.pk]), _session_cookie(world.member))
    assert poll.response.status == 200 and json.loads(poll.response.read())["present"] == 4
    poll.close()
