"""Live updates of the meeting room (issue 15, item 5): every phone and the room screen learn of a change
within 2 s.

* Whatever changes what the room shows calls :func:`changed` inside its transaction: the room's services
  (ballots, votes, check-ins, speakers) and every revision of a meeting record (``meetings.hooks``
  ``on_record_change``, called by ``meetings.services.common.bump``, registered in room/apps.py). Once
  the transaction commits, :func:`notify` runs (never after a rollback).
* :func:`public_state` is the small summary any reader of the meeting may see (no names, no choices):
  the pages compare it with what they show, update counters in place and fetch themselves again when
  the phase changes (room/static/room/live.js).
* ``LIVE_UPDATES=poll`` (the default): notify does nothing; the pages ask ``/hop/<id>/trang-thai/``
  every 2 s and are answered 304 while :func:`version` is unchanged.
* ``LIVE_UPDATES=stream``: notify PUBLISHes to the Redis channel ``chuyende:room:<id>``; each ASGI
  process holds one Redis connection subscribed to all of them (:class:`Hub`), computes the new state
  once per change (not once per client) and hands it to its clients' queues; the stream view
  (``/hop/<id>/song/``) writes it as a server-sent event. An idle connection costs a queue and a ping
  every 20 s.
"""

import asyncio
import contextlib
import contextvars
import hashlib
import json
import logging
from collections.abc import AsyncGenerator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signing
from django.db import close_old_connections, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode

from meetings import rules
from meetings import services as meetings
from meetings.models import Attendance, Meeting
from room.models import Ballot, CheckIn, SpeakerRequest

logger = logging.getLogger(__name__)

CHANNEL_PREFIX = "chuyende:room:"
COALESCE_SECONDS = 0.1  # notifications closer than this are sent as one state
PING_SECONDS = 20.0  # a comment line that keeps proxies from closing an idle stream
RETRY_MILLISECONDS = 3000  # how long the browser waits before it reconnects a dropped stream


def streaming() -> bool:
    return bool(settings.LIVE_UPDATES == "stream")


# --- The stream's address ---------------------------------------------------------------------------

STREAM_TOKEN_SALT = "room.stream"
STREAM_TOKEN_SECONDS = 6 * 3600  # a long meeting; then the page polls until it is loaded again


def _session_mark(session_key: str | None) -> str:
    """What a token keeps of the reader's session: enough to tell it from another, not to use it."""
    return hashlib.sha256(f"room.stream:{session_key or ''}".encode()).hexdigest()[:16]


def stream_url(user_id: int, meeting_id: int, session_key: str | None) -> str:
    """The address of the meeting's stream for ``user_id``, as a page gives it to the browser: with a
    signed token (the reader, the meeting and a mark of the reader's session, timestamped) that lets
    the stream (room/stream.py) open without reading the session, the user or the permission again.
    The page that gives it has just checked that the reader may see the meeting; the stream then shows
    nothing but :func:`public_state` (counts, a ballot's subject, a request's id; no names, no
    choices), and only to a browser holding the same session cookie: the address alone, copied or
    read from a proxy's log, opens nothing."""
    value = f"{user_id}.{meeting_id}.{_session_mark(session_key)}"
    token = signing.TimestampSigner(salt=STREAM_TOKEN_SALT).sign(value)
    return reverse("room:stream", args=[meeting_id]) + "?" + urlencode({"t": token})


def stream_reader(token: str, meeting_id: int, session_key: str | None) -> int | None:
    """The user a stream token was given to, when it is genuine, for ``meeting_id``, for the session
    whose key the browser sends, and younger than STREAM_TOKEN_SECONDS; else None."""
    try:
        value = signing.TimestampSigner(salt=STREAM_TOKEN_SALT).unsign(token, max_age=STREAM_TOKEN_SECONDS)
    except signing.BadSignature:  # changed, or expired (SignatureExpired is one)
        return None
    user_id, meeting, mark = [*value.split("."), "", ""][:3]
    if meeting != str(meeting_id) or not user_id.isdigit() or not session_key:
        return None
    if not constant_time_compare(mark, _session_mark(session_key)):
        return None
    return int(user_id)


# --- Telling of a change --------------------------------------------------------------------------


def changed(meeting_id: int) -> None:
    """What the room shows of ``meeting_id`` changes in the current transaction: :func:`notify` once it
    commits (at once outside a transaction)."""
    transaction.on_commit(lambda: notify(meeting_id))


_publisher: Any = None
_publisher_url = ""


def notify(meeting_id: int) -> None:
    """Tell the stream processes that ``meeting_id`` changed (stream mode; nothing to do in poll mode,
    where the pages ask). A Redis failure never fails the change, already committed: it is logged, and
    the clients see it with the next change or when they reconnect."""
    if not streaming():
        return
    global _publisher, _publisher_url
    import redis

    try:
        if _publisher is None or _publisher_url != settings.LIVE_REDIS_URL:
            _publisher = redis.Redis.from_url(
                settings.LIVE_REDIS_URL, socket_timeout=2, socket_connect_timeout=2
            )
            _publisher_url = settings.LIVE_REDIS_URL
        _publisher.publish(f"{CHANNEL_PREFIX}{meeting_id}", b"")
    except redis.RedisError:
        logger.warning("Live updates: could not publish the change of meeting %s", meeting_id, exc_info=True)


# --- What every reader of the meeting may see -----------------------------------------------------
# (Here, below room.services and room.screen, which tell of their changes through this module.)


def expected_and_present(meeting: Meeting) -> tuple[int, int]:
    """The members expected at the meeting and how many of them are marked present or late (one query)."""
    counts = Attendance.objects.filter(rules.expected_at_meeting_q(), meeting=meeting).aggregate(
        expected=Count("id"), present=Count("id", filter=Q(status__in=rules.ATTENDED))
    )
    return counts["expected"], counts["present"]


def version(meeting_id: int) -> str:
    """A token that changes whenever anything the screen shows changes (four small queries): the
    record's revision (attendance, speeches, the vote, the agenda), the ballots with their counts, the
    speakers' requests and the check-ins."""
    revision = Meeting.objects.filter(pk=meeting_id).values_list("revision", "status").first()
    ballots = Ballot.objects.filter(meeting_id=meeting_id).aggregate(
        n=Count("id"),
        last=Max("id"),
        voted=Count("voters", distinct=True),
        named=Count("named_votes", distinct=True),
        open=Count("id", filter=Q(status=Ballot.Status.OPEN), distinct=True),
    )
    requests = SpeakerRequest.objects.filter(meeting_id=meeting_id).aggregate(
        n=Count("id"),
        waiting=Count("id", filter=Q(status=SpeakerRequest.Status.WAITING)),
        speaking=Max("id", filter=Q(status=SpeakerRequest.Status.SPEAKING)),
        started=Max("started_at"),
        ended=Max("ended_at"),
    )
    checked = CheckIn.objects.filter(meeting_id=meeting_id).count()
    raw = repr((revision, sorted(ballots.items()), sorted(requests.items()), checked))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def eligible_present(meeting: Meeting) -> int:
    """The full members present who may vote (one query)."""
    attendances = Attendance.objects.filter(meeting=meeting)
    return sum(1 for attendance in attendances if meetings.may_vote(attendance))


def public_state(meeting_id: int, known_version: str | None = None) -> dict[str, Any]:
    """The room's summary for the pages' live updates: the version of the room's state, the record's
    status, the latest ballot with how many voted of how many may (never who or what), attendance,
    who has the floor (a request's id) and how many wait. At most nine queries (four for the version,
    none for ``eligible`` when there is no ballot), whatever the size of the meeting. Raises
    ``Meeting.DoesNotExist`` for a meeting that does not exist."""
    status = Meeting.objects.filter(pk=meeting_id).values_list("status", flat=True).get()
    meeting = Meeting(pk=meeting_id)
    ballot = (
        Ballot.objects.filter(meeting_id=meeting_id)
        .annotate(named=Count("named_votes"))
        .order_by("-opened_at", "-id")
        .first()
    )
    ballot_state = None
    if ballot is not None:
        voted = (
            ballot.votes_for + ballot.votes_against + ballot.votes_other if ballot.secret else ballot.named
        )
        ballot_state = {
            "id": ballot.pk,
            "status": ballot.status,
            "secret": ballot.secret,
            "subject": ballot.subject,
            "voted": voted,
            "eligible": eligible_present(meeting),
        }
    expected, present = expected_and_present(meeting)
    turns = SpeakerRequest.objects.filter(meeting_id=meeting_id).aggregate(
        speaking=Max("id", filter=Q(status=SpeakerRequest.Status.SPEAKING)),
        waiting=Count("id", filter=Q(status=SpeakerRequest.Status.WAITING)),
    )
    return {
        "version": known_version or version(meeting_id),
        "status": status,
        "ballot": ballot_state,
        "present": present,
        "expected": expected,
        "speaking": turns["speaking"],
        "waiting": turns["waiting"],
    }


def _fresh_state(meeting_id: int) -> dict[str, Any] | None:
    """public_state in the hub's one thread, outside any request: its database connection is kept no
    longer than Django's CONN_MAX_AGE allows, as a request's would be."""
    close_old_connections()
    try:
        return public_state(meeting_id)
    except Meeting.DoesNotExist:
        return None
    finally:
        close_old_connections()


def first_state(meeting_id: int) -> dict[str, Any] | None:
    """public_state for a new stream (room/stream.py), in the process's one thread for synchronous
    code outside requests, whose connection every stream of the process shares."""
    close_old_connections()
    try:
        return public_state(meeting_id)
    except Meeting.DoesNotExist:
        return None


# --- The stream processes' side ---------------------------------------------------------------------


def _offer(queue: "asyncio.Queue[dict[str, Any]]", state: dict[str, Any]) -> None:
    """Only the newest state matters: a client still holding an older one gets this one instead."""
    while True:
        try:
            queue.put_nowait(state)
            return
        except asyncio.QueueFull:
            with contextlib.suppress(asyncio.QueueEmpty):
                queue.get_nowait()


class Hub:
    """One per process: one Redis connection subscribed to every meeting's channel
    (``PSUBSCRIBE chuyende:room:*``) and this process's clients' queues by meeting. A notification for
    a meeting nobody here watches costs nothing but reading it; for a watched one, the state is computed
    once (after ``COALESCE_SECONDS``, so a burst is one state) and offered to each client's queue."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.clients: dict[int, set[asyncio.Queue[dict[str, Any]]]] = {}
        self.latest: dict[int, dict[str, Any]] = {}  # the state last sent, while somebody watches
        self.dirty: set[int] = set()
        self.refreshing: set[int] = set()
        self.computing: dict[int, asyncio.Future[dict[str, Any] | None]] = {}  # first states underway
        self.tasks: set[asyncio.Task[None]] = set()
        self.listener: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()
        self.loop: asyncio.AbstractEventLoop | None = None

    async def join(self, meeting_id: int) -> "asyncio.Queue[dict[str, Any]]":
        """A client's queue for ``meeting_id``, once the hub listens (or has tried for 2 s: without
        Redis the client still gets its first state, and the browser reconnects later)."""
        self._start()
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=1)
        self.clients.setdefault(meeting_id, set()).add(queue)
        if not self.subscribed.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.subscribed.wait(), 2)
        return queue

    def leave(self, meeting_id: int, queue: "asyncio.Queue[dict[str, Any]]") -> None:
        group = self.clients.get(meeting_id)
        if group is None:
            return
        group.discard(queue)
        if not group:
            del self.clients[meeting_id]
            self.latest.pop(meeting_id, None)

    async def first_state(self, meeting_id: int) -> dict[str, Any] | None:
        """The state a new client starts from: the one last sent here (sixty phones coming back after
        the Wi-Fi dropped cost one computation), else computed — once, however many clients of the
        meeting ask while it is computed (6,000 phones of 300 meetings arriving at once are 300
        computations, not 6,000). The last sent may be older than a change being computed: the
        client's queue is already in the hub (``join``), so the newer state reaches it as soon as it is
        computed."""
        if meeting_id in self.latest and self.subscribed.is_set():
            return self.latest[meeting_id]
        computing = self.computing.get(meeting_id)
        if computing is None:
            computing = asyncio.ensure_future(sync_to_async(first_state)(meeting_id))
            self.computing[meeting_id] = computing
            computing.add_done_callback(lambda _done: self.computing.pop(meeting_id, None))
        # Shielded: a client that leaves meanwhile does not cancel the others' computation.
        state = await asyncio.shield(computing)
        if state is not None and meeting_id in self.clients:
            self.latest.setdefault(meeting_id, state)  # never over a newer one the hub has sent
        return state

    def changed(self, meeting_id: int) -> None:
        if meeting_id not in self.clients:
            return
        self.dirty.add(meeting_id)
        if meeting_id not in self.refreshing:
            self.refreshing.add(meeting_id)
            task = asyncio.get_running_loop().create_task(self._refresh(meeting_id))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _refresh(self, meeting_id: int) -> None:
        """One computation at a time per meeting, so a slow one never overtakes a newer one."""
        try:
            while meeting_id in self.dirty:
                await asyncio.sleep(COALESCE_SECONDS)
                self.dirty.discard(meeting_id)
                if meeting_id not in self.clients:
                    break
                try:
                    state = await sync_to_async(_fresh_state)(meeting_id)
                except Exception:
                    logger.exception("Live updates: the state of meeting %s failed", meeting_id)
                    break
                if state is None or meeting_id not in self.clients:
                    continue
                previous = self.latest.get(meeting_id)
                if previous is not None and previous["version"] == state["version"]:
                    continue
                self.latest[meeting_id] = state
                for queue in list(self.clients.get(meeting_id, ())):
                    _offer(queue, state)
        finally:
            self.refreshing.discard(meeting_id)

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # the first client, or a new event loop (tests): start afresh
            self.reset()
            self.loop = loop
        if self.listener is None or self.listener.done():
            # In a context of its own, not the first client's request's: that one ends with the request
            # (and with it the thread its synchronous calls run in), the listener does not. Its calls
            # then run in asgiref's one thread outside requests, with one database connection.
            self.listener = loop.create_task(self._listen(), context=contextvars.Context())

    async def _listen(self) -> None:
        import redis.asyncio as aioredis

        while True:
            client = aioredis.Redis.from_url(settings.LIVE_REDIS_URL)
            try:
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                await pubsub.psubscribe(CHANNEL_PREFIX + "*")
                if self.subscribed.is_set():
                    # Back after a lost connection: a change may have come meanwhile.
                    for meeting_id in list(self.clients):
                        self.changed(meeting_id)
                self.subscribed.set()
                async for message in pubsub.listen():
                    channel = message.get("channel") or b""
                    suffix = channel.rsplit(b":", 1)[-1] if isinstance(channel, bytes) else b""
                    if message.get("type") == "pmessage" and suffix.isdigit():
                        self.changed(int(suffix))
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Live updates: the Redis subscription dropped; retrying", exc_info=True)
                self.latest.clear()  # changes may be missed until it is back
                await asyncio.sleep(1)
            finally:
                await client.aclose()


hub = Hub()


def _event(state: dict[str, Any]) -> str:
    return f"event: state\ndata: {json.dumps(state, separators=(',', ':'))}\n\n"


async def events(meeting_id: int) -> AsyncGenerator[str, None]:
    """The stream of one client: ``retry``, the current state, then one state per change (never the
    same version twice) and a ping every ``PING_SECONDS``. Ends (and leaves the hub) when the client
    disconnects: Django cancels the response on ``http.disconnect``."""
    queue = await hub.join(meeting_id)
    try:
        state = await hub.first_state(meeting_id)
        if state is None:
            return
        last = state["version"]
        yield f"retry: {RETRY_MILLISECONDS}\n" + _event(state)
        while True:
            try:
                state = await asyncio.wait_for(queue.get(), PING_SECONDS)
            except TimeoutError:
                yield ": ping\n\n"
                continue
            if state["version"] != last:
                last = state["version"]
                yield _event(state)
    finally:
        hub.leave(meeting_id, queue)
