"""The Django side of `bench/room_live.py` (the room's live updates): the meetings and the sign-ins it
measures with, and the writer that changes them. Run with the bench's environment (DATABASE_URL...).

``prepare --out plan.json``: on a database filled by ``generate_scale_data`` (301 cells), the largest cell
topped up to 61 members and every other cell to at least 20 (members with logins, in bulk, as the
generator writes them), then in each cell a regular meeting planned and its record opened by its
secretary through the meetings services (``create_meeting``, ``open_record``: the attendance list from
the roster, check-in open). A sign-in session for each client, made server-side with the site's
session engine (the users' own sessions, so every request passes the app's permission checks): the
screen as the cell's secretary (as the projector in the room runs, with the check-in code), the phones
as members. Writes the plan: meetings, session keys, the phones' endpoint.

``reset --plan plan.json``: every member of the plan's meetings back to "not marked" (check-ins
deleted), so that the next mechanism is measured with the same changes; prints the endpoints the site
has now (JSON).

``write --plan plan.json --scenario one|many --rate R --seconds S [--start-at T]``: from T (without
it, from the moment read on stdin once the writer has said it is ready), R changes a second for S
seconds, each a member checking in through ``room.checkin.check_in`` (the service the member's phone
calls; its transaction bumps the record's revision and, in stream mode, tells the streams through
Redis once it commits). One JSON line per change on stdout once it is committed: the meeting, the
moment of the commit, the version the room is at after it (``room.screen.version``, read while no
other change to that meeting can run), and how late it was on its schedule.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuyende.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import Resolver404, resolve, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from accounts.models import User  # noqa: E402
from core.permissions import can  # noqa: E402
from meetings.models import Attendance, Meeting  # noqa: E402
from meetings.services import create_meeting, open_record  # noqa: E402
from organizations.models import Member, Membership, Organization  # noqa: E402
from organizations.permissions import active_q  # noqa: E402
from room import checkin  # noqa: E402
from room import screen as room_screen  # noqa: E402
from room.models import CheckIn  # noqa: E402

ONE_MEETING_PHONES = 60
MANY_MEETINGS = 300
MANY_PHONES = 19  # with the screen, 20 clients a meeting
SESSION_KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"  # Django's own session-key alphabet


def log(message: str) -> None:
    print(f"[room data] {message}", file=sys.stderr, flush=True)


# --- prepare ---------------------------------------------------------------------------------------


def cells_by_size(day: date) -> list[tuple[int, int]]:
    """(cell id, members in force with a login), largest first."""
    rows = (
        Membership.objects.filter(active_q(on=day), organization__kind=Organization.Kind.CELL)
        .filter(member__user__isnull=False)
        .values("organization_id")
        .annotate(n=Count("member_id", distinct=True))
        .order_by("-n", "organization_id")
    )
    counts = {row["organization_id"]: row["n"] for row in rows}
    cells = Organization.objects.filter(kind=Organization.Kind.CELL).values_list("pk", flat=True)
    return sorted(((pk, counts.get(pk, 0)) for pk in cells), key=lambda row: (-row[1], row[0]))


def top_up(wanted: dict[int, int], day: date) -> int:
    """Adds full members with logins to the cells short of ``wanted[cell]`` (bulk, one password hash)."""
    password = make_password("chuyende-bench")
    made = 0
    for cell_id, missing in wanted.items():
        if missing <= 0:
            continue
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench{cell_id}x{i}x{get_random_string(4).lower()}",
                    password=password,
                    email="",
                )
                for i in range(missing)
            ]
        )
        members = Member.objects.bulk_create(
            [
                Member(
                    full_name=f"Đảng viên bổ sung {cell_id}-{i + 1}",
                    date_of_birth=date(1985, 1, 1),
                    gender=Member.Gender.MALE if i % 2 else Member.Gender.FEMALE,
                    admission_date=date(2010, 5, 19),
                    official_date=date(2011, 5, 19),
                    status=Member.Status.FULL,
                    user=user,
                )
                for i, user in enumerate(users)
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    member=member,
                    organization_id=cell_id,
                    kind=Membership.Kind.REGULAR,
                    start_date=day - timedelta(days=400),
                )
                for member in members
            ]
        )
        made += missing
    return made


def sessions_for(users: list[Any]) -> list[str]:
    """A sign-in session per user, as `django.contrib.auth.login` leaves it (bulk-written)."""
    engine = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])
    store = engine.SessionStore()
    model = store.get_model_class() if hasattr(store, "get_model_class") else None
    if model is None:
        raise SystemExit(f"{settings.SESSION_ENGINE}: the bench writes sessions to the database")
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    expires = timezone.now() + timedelta(days=1)
    rows, keys = [], []
    for user in users:
        key = get_random_string(32, SESSION_KEY_CHARS)
        data = store.encode(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )
        rows.append(model(session_key=key, session_data=data, expire_date=expires))
        keys.append(key)
    model.objects.bulk_create(rows, batch_size=1000)
    return keys


def open_meeting(cell: Organization, start: datetime) -> tuple[Meeting, Any]:
    """A regular meeting of the cell, planned and its record opened by its secretary (the services)."""
    from documents.frame import signing_position

    position = signing_position(cell, start.date())
    if position is None or position.member.user is None:
        raise SystemExit(f"cell {cell.pk} has no secretary with a login")
    secretary = position.member.user
    meeting = create_meeting(
        actor=secretary,
        cell=cell,
        kind=Meeting.Kind.REGULAR,
        date=start.date(),
        start_time=start.time().replace(microsecond=0),
        place="Hội trường (bench)",
    )
    meeting = open_record(actor=secretary, meeting=meeting, confirmed_without_notice=True)
    if not can(secretary, "meeting.record", meeting):
        raise SystemExit(f"the secretary of cell {cell.pk} may not record its meeting")
    return meeting, secretary


def phones_endpoint(meeting_id: int) -> str:
    """The members' state endpoint when the site has it (`/hop/<id>/trang-thai/`, JSON with an ETag),
    else the screen's (`/hop/<id>/man-hinh/trang-thai/`)."""
    public = f"/hop/{meeting_id}/trang-thai/"
    try:
        resolve(public)
        return "/hop/{id}/trang-thai/"
    except Resolver404:
        return reverse("room:screen_state", args=[999999]).replace("999999", "{id}")


def stream_endpoint() -> str | None:
    try:
        resolve("/hop/1/song/")
        return "/hop/{id}/song/"
    except Resolver404:
        return None


def prepare(out: Path) -> None:
    started = time.monotonic()
    now = timezone.localtime()
    start = now - timedelta(minutes=10)  # begun ten minutes ago: the record may be opened
    sizes = cells_by_size(start.date())
    if len(sizes) < MANY_MEETINGS + 1:
        raise SystemExit(f"{len(sizes)} cells; the bench needs {MANY_MEETINGS + 1}")
    big_id = sizes[0][0]
    chosen = sizes[1 : MANY_MEETINGS + 1]
    wanted = {big_id: ONE_MEETING_PHONES + 1 - sizes[0][1]}
    wanted.update({cell_id: MANY_PHONES + 1 - n for cell_id, n in chosen})
    with transaction.atomic():
        added = top_up(wanted, start.date() - timedelta(days=1))
    log(
        f"largest cell {big_id} ({sizes[0][1]} members with logins); {added} members added to reach the sizes"
    )
    cells = Organization.objects.in_bulk([big_id, *(cell_id for cell_id, _n in chosen)])
    plan: dict[str, Any] = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "phones_endpoint": phones_endpoint(1),
        "screen_endpoint": reverse("room:screen_state", args=[999999]).replace("999999", "{id}"),
        "stream_endpoint": stream_endpoint(),
    }
    rooms: list[dict[str, Any]] = []
    with transaction.atomic():
        for index, cell_id in enumerate([big_id, *(cell_id for cell_id, _n in chosen)]):
            meeting, secretary = open_meeting(cells[cell_id], start)
            phones_wanted = ONE_MEETING_PHONES if index == 0 else MANY_PHONES
            phone_users = list(
                User.objects.filter(
                    member__pk__in=Attendance.objects.filter(meeting=meeting).values("member_id")
                )
                .exclude(pk=secretary.pk)
                .order_by("pk")[:phones_wanted]
            )
            if len(phone_users) < phones_wanted:
                raise SystemExit(f"meeting {meeting.pk}: {len(phone_users)} members with logins")
            screen_key, *phone_keys = sessions_for([secretary, *phone_users])
            rooms.append({"meeting": meeting.pk, "cell": cell_id, "screen": screen_key, "phones": phone_keys})
    plan["one"] = rooms[0]
    plan["many"] = rooms[1:]
    out.write_text(json.dumps(plan))
    log(
        f"{len(rooms)} meetings opened, {sum(1 + len(r['phones']) for r in rooms)} sessions, "
        f"in {time.monotonic() - started:.0f} s"
    )


# --- reset -----------------------------------------------------------------------------------------


def reset(plan: dict[str, Any]) -> None:
    ids = [plan["one"]["meeting"], *(room["meeting"] for room in plan["many"])]
    with transaction.atomic():
        checks = CheckIn.objects.filter(meeting_id__in=ids).delete()[0]
        marked = Attendance.objects.filter(
            meeting_id__in=ids, status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]
        ).update(status="")
    log(f"reset: {checks} check-ins removed, {marked} members unmarked")
    # The endpoints as the site has them now (a --reuse'd plan may be older than the code).
    print(
        json.dumps(
            {
                "phones_endpoint": phones_endpoint(1),
                "stream_endpoint": stream_endpoint(),
                "stream_paths": stream_paths(plan),
            }
        )
    )


def stream_paths(plan: dict[str, Any]) -> dict[str, str]:
    """Each client's stream address as its page gives it (``room.live.stream_url``: with the reader's
    signed token, made afresh on every run since it lasts six hours), by session key; empty when the
    site has no such function (the stream is then opened with the session cookie alone)."""
    from django.contrib.sessions.models import Session

    from room import live

    if not hasattr(live, "stream_url"):
        return {}
    keys = {plan["one"]["screen"]: plan["one"]["meeting"]}
    keys |= {key: plan["one"]["meeting"] for key in plan["one"]["phones"]}
    for room in plan["many"]:
        keys[room["screen"]] = room["meeting"]
        keys |= {key: room["meeting"] for key in room["phones"]}
    paths = {}
    for session in Session.objects.filter(session_key__in=keys):
        user_id = int(session.get_decoded()[SESSION_KEY])
        paths[session.session_key] = live.stream_url(user_id, keys[session.session_key], session.session_key)
    return paths


# --- write -----------------------------------------------------------------------------------------


def write(
    plan: dict[str, Any], scenario: str, rate: float, seconds: float, start_at: float, seed: int
) -> None:
    rooms = [plan["one"]] if scenario == "one" else plan["many"]
    ids = [room["meeting"] for room in rooms]
    meetings = Meeting.objects.in_bulk(ids)
    waiting: dict[int, list[Any]] = defaultdict(list)  # members still to check in, per meeting
    rows = (
        Attendance.objects.filter(meeting_id__in=ids, status="", member__user__isnull=False)
        .select_related("member__user")
        .order_by("meeting_id", "member_id")
    )
    for row in rows:
        waiting[row.meeting_id].append(row.member.user)
    rng = random.Random(seed)
    for users in waiting.values():
        rng.shuffle(users)
    total = int(rate * seconds)
    if sum(len(users) for users in waiting.values()) < total:
        raise SystemExit(f"{total} check-ins wanted, {sum(len(u) for u in waiting.values())} possible")
    locks = {meeting_id: threading.Lock() for meeting_id in ids}
    out = threading.Lock()
    errors: list[str] = []

    def change(meeting_id: int, user: Any, due: float) -> None:
        try:
            with locks[meeting_id]:  # one change to a meeting at a time: the version read is this one's
                meeting = meetings[meeting_id]
                checkin.check_in(actor=user, meeting=meeting, code=checkin.current_code(meeting).code)
                committed = time.time()
                version = room_screen.version(meeting_id)
            line = json.dumps(
                {"meeting": meeting_id, "t": committed, "version": version, "late": committed - due}
            )
            with out:
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
        except Exception as exc:  # counted and reported; the run goes on
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            close_old_connections()

    # A few threads, as several phones check in at once: a slow commit does not hold the schedule.
    pool = ThreadPoolExecutor(max_workers=4)
    connection.close()  # the main thread's connection is not used by the pool
    if not start_at:  # told by bench/room_live.py once its clients are warm
        sys.stdout.write(json.dumps({"ready": True}) + "\n")
        sys.stdout.flush()
        start_at = float(sys.stdin.readline())
    time.sleep(max(0.0, start_at - time.time()))
    cpu = time.process_time()
    futures = []
    for index in range(total):
        due = start_at + index / rate
        time.sleep(max(0.0, due - time.time()))
        candidates = [meeting_id for meeting_id in ids if waiting[meeting_id]]
        meeting_id = candidates[0] if scenario == "one" else rng.choice(candidates)
        futures.append(pool.submit(change, meeting_id, waiting[meeting_id].pop(), due))
    # What is still queued when the window ends is not made: it would only measure the writer's backlog.
    time.sleep(max(0.0, start_at + seconds + 1 - time.time()))
    dropped = sum(future.cancel() for future in futures)
    pool.shutdown(wait=True)
    if errors:
        log(f"{len(errors)} changes failed; first: {errors[0]}")
    done = {"done": total, "failed": len(errors), "dropped": dropped, "cpu_s": time.process_time() - cpu}
    sys.stdout.write(json.dumps(done) + "\n")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["prepare", "reset", "write"])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--plan", type=Path)
    parser.add_argument("--scenario", choices=["one", "many"], default="one")
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--start-at", type=float, default=0.0, help="the first change's moment (time.time())")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.out)
    elif args.command == "reset":
        reset(json.loads(args.plan.read_text()))
    else:
        write(
            json.loads(args.plan.read_text()),
            args.scenario,
            args.rate,
            args.seconds,
            args.start_at,
            args.seed,
        )


if __name__ == "__main__":
    main()
