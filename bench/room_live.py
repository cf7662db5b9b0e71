"""`make bench-room`: the meeting room's live updates, conditional polling against server-sent events
(issue 15, item 5: "updates reach every phone and the screen within 2 s … and cost little: 60 phones in
one meeting and 300 meetings at once on one 2-core server").

The two mechanisms, each served as production would run it:

* **poll**: gunicorn (sync workers, `chuyende.wsgi`); every client asks its state endpoint every 2 s
  with If-None-Match, as `room/static/room/screen.js` does (a tick that comes while the last request is
  still out is skipped), and is answered 304 or 200 with the new ETag. The screen asks
  `/hop/<id>/man-hinh/trang-thai/`; the phones the members' `/hop/<id>/trang-thai/` when the site has
  it, else the screen's endpoint too.
* **stream**: uvicorn (`chuyende.asgi:application`, LIVE_UPDATES=stream, the changes passed between
  processes by Redis pub/sub at LIVE_REDIS_URL); every client holds `/hop/<id>/song/` open and reads
  its `event: state` lines, reconnecting after `retry:` when the connection drops.

The scenarios: **one** meeting with 60 phones and its screen, one change a second; **many**: 300
meetings, each a screen and 19 phones (6,000 clients), ~20 changes a second in random meetings. A change
is a member checking in through the service their phone calls (`room.checkin.check_in`), made by a
writer process (bench/room_data.py) that records each change's commit moment and the version the room
is at after it; each client records when it first holds that version (or a later one). All clients are
asyncio coroutines in this one process, speaking plain HTTP/1.1 over `asyncio.open_connection`, each
signed in with its member's own session (made server-side with the site's session engine).

Measured over the steady window (the changes' span), for each mechanism and scenario: the latency from
a change's commit to each client of its meeting seeing it (p50, p95, max, the share within 2 s, and
those not seen at all by the end of a grace period); the CPU of the app server (its processes and
their children, from /proc/<pid>/stat), of PostgreSQL's backends of the bench database and of Redis
(INFO cpu), per second of wall time; the requests (or events) served per second; and the CPU of the
load generator and of the writer, which share the same 2 cores.

Data: a database of its own (`chuyende_bench_room`), created afresh, migrated, filled by
`generate_scale_data --cells 301 --members-per-cell 30 --years 1`, then prepared by
`bench/room_data.py prepare` (`--reuse` keeps the database and the plan of an earlier run).

Usage: .venv/bin/python bench/room_live.py [--mechanisms poll,stream] [--scenarios one,many]
       [--seconds 35] [--many-meetings 300] [--reuse] [--no-write] [--report-only]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import resource
import secrets
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale import ensure_postgres, free_port, psql  # noqa: E402

PYTHON = sys.executable
DATABASE = "chuyende_bench_room"
VAR_DIR = ROOT / "var" / "bench"
PLAN = VAR_DIR / "room_plan.json"
RESULTS = VAR_DIR / "room_live.json"
BENCHMARKS = ROOT / "BENCHMARKS.md"
START, END = "<!-- bench/room_live.py: start -->", "<!-- bench/room_live.py: end -->"
CACHE_URL = "redis://127.0.0.1:6379/12"  # the site's shared cache (sessions, frames), as in production
LIVE_REDIS_URL = "redis://127.0.0.1:6379/11"  # the stream's pub/sub
HOST = "127.0.0.1"
# The app servers connect as a role of their own, held to CONNECTIONS connections (a superuser is held
# to none): PostgreSQL's connections are shared with the other work on the machine, and a server that
# keeps one per client must meet the limit here rather than take every connection of the cluster.
ROLE, CONNECTIONS = "chuyende_bench_room", 40
POLL_SECONDS = 2.0  # room/static/room/screen.js
TARGET_SECONDS = 2.0  # issue 15: "within 2 s"
TICK = os.sysconf("SC_CLK_TCK")

# The scenarios: meetings taken from the plan, changes a second.
SCENARIOS = {"one": {"rate": 1.0}, "many": {"rate": 20.0}}


def say(message: str) -> None:
    print(f"[bench-room] {message}", flush=True)


# --- The database, the servers -----------------------------------------------------------------------


POOL_SIZE = 18


def environment(mechanism: str, secret: str, role: str = "postgres") -> dict[str, str]:
    """The site in production mode (DEBUG off) on the bench database, with the shared Redis cache;
    connected as ``role`` (the servers as ROLE, whose connections are limited)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{role}@{HOST}:5432/{DATABASE}",
        DJANGO_SETTINGS_MODULE="chuyende.settings",
        DEBUG="false",
        SECRET_KEY=secret,
        ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        STATIC_MANIFEST="false",  # only the state endpoints are asked: no collectstatic needed
        VAR_DIR=str(VAR_DIR),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        CACHE_URL=CACHE_URL,
        LIVE_UPDATES="poll" if mechanism == "poll" else "stream",
        DATABASE_CONN_MAX_AGE="60",
        # stream: each uvicorn worker shares a pool of connections among the site's requests and the
        # streams' one thread (room/stream.py), within the role's 40 (2 workers × 18), as
        # docs/architecture.md says to run it.
        DATABASE_POOL_SIZE=str(POOL_SIZE) if mechanism == "stream" else "0",
        LIVE_REDIS_URL=LIVE_REDIS_URL,
    )
    return env


def run_django(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed (exit {done.returncode})")
    return done.stdout


def prepare_data(env: dict[str, str], seed: int) -> None:
    started = time.monotonic()
    psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{DATABASE}"')
    run_django(env, "manage.py", "migrate", "--no-input", "-v0")
    say(f"{DATABASE}: migrated in {time.monotonic() - started:.0f} s")
    run_django(
        env,
        "manage.py",
        "generate_scale_data",
        "--preset",
        "school",
        "--cells",
        "301",
        "--members-per-cell",
        "30",
        "--years",
        "1",
        "--seed",
        str(seed),
    )
    say(f"{DATABASE}: generated in {time.monotonic() - started:.0f} s")
    run_django(env, "bench/room_data.py", "prepare", "--out", str(PLAN))
    psql("ANALYZE", DATABASE)
    say(f"{DATABASE}: ready in {time.monotonic() - started:.0f} s")


def grant_role() -> None:
    """ROLE may read and write every table of the bench database, with at most CONNECTIONS connections."""
    exists = psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}'") == "1"
    psql(f'{"ALTER" if exists else "CREATE"} ROLE "{ROLE}" LOGIN CONNECTION LIMIT {CONNECTIONS}')
    for sql in (
        f'GRANT USAGE ON SCHEMA public TO "{ROLE}"',
        f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{ROLE}"',
        f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{ROLE}"',
    ):
        psql(sql, DATABASE)


def flush_redis(*urls: str) -> None:
    import redis

    for url in urls:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def start_server(mechanism: str, env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    if mechanism == "poll":
        command = [PYTHON, "-m", "gunicorn", "chuyende.wsgi", "--workers", str(workers)]
        # A worker's first request loads the URLconf and the API's schemas: over gunicorn's default 30 s
        # on a machine shared with other work, where the worker would be killed and booted again.
        command += ["--bind", f"{HOST}:{port}", "--backlog", "2048", "--timeout", "120"]
    else:
        command = [PYTHON, "-m", "uvicorn", "chuyende.asgi:application", "--host", HOST, "--port", str(port)]
        command += [
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            os.environ.get("BENCH_UVICORN_LOG", "warning"),
        ]
    log = (VAR_DIR / f"room_{mechanism}_server.log").open("wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise SystemExit(f"the {mechanism} server stopped (exit {server.returncode}); see {log.name}")
        try:
            status, _headers, _body = asyncio.run(get(port, "/healthz", {}))
            if status == 200:
                asyncio.run(warm(port, workers))
                return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.terminate()
            raise SystemExit(f"the {mechanism} server did not answer /healthz within 60 s")
        time.sleep(0.25)


async def warm(port: int, workers: int) -> None:
    """Rounds of concurrent requests until one is quick: every worker has loaded the code (a busy sync
    worker takes no new connection, so concurrent requests reach the others)."""
    for _round in range(5):
        began = time.monotonic()
        await asyncio.gather(*(get(port, "/healthz", {}) for _ in range(2 * workers)), return_exceptions=True)
        if time.monotonic() - began < 1:
            return


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- CPU from /proc --------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, list[str]] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = text.rsplit(")", 1)[1].split()
    return int(rest[1]), rest  # ppid, the fields after the command's name (state first)


def _seconds(fields: list[str]) -> float:
    """utime + stime + cutime + cstime: the process's CPU and that of its children it has waited for."""
    return sum(int(value) for value in fields[11:15]) / TICK


def tree_cpu(root: int) -> float:
    """CPU seconds of ``root`` and every living descendant (each with its reaped children)."""
    parents: dict[int, int] = {}
    fields: dict[int, list[str]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            found = _stat(int(entry.name))
            if found:
                parents[int(entry.name)], fields[int(entry.name)] = found
    family = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                grew = True
    return sum(_seconds(fields[pid]) for pid in family if pid in fields)


class Backends:
    """PostgreSQL's backends serving the app server (their process title names ROLE), sampled every
    second: the CPU each used from when it was first seen (or its start, if it began in the window) to
    when it was last seen. A backend that ends between two samples loses its last second."""

    def __init__(self) -> None:
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}

    def sample(self, initial: bool = False) -> None:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if not title.startswith(b"postgres: ") or f" {ROLE} {DATABASE} ".encode() not in title:
                continue  # another database's, or the writer's (it connects as postgres)
            found = _stat(pid)
            if found is None:
                continue
            used = _seconds(found[1])
            self.first.setdefault(pid, used if initial else 0.0)
            self.last[pid] = used

    def seconds(self) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def redis_cpu() -> float:
    import redis

    info = redis.Redis.from_url(CACHE_URL, socket_connect_timeout=2).info("cpu")
    return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- HTTP/1.1 over asyncio -------------------------------------------------------------------------


def _request(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode("latin-1")


def _head(raw: bytes) -> tuple[int, dict[str, str]]:
    lines = raw.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def _chunks(reader: asyncio.StreamReader, headers: dict[str, str]) -> AsyncIterator[bytes]:
    """The body as it arrives: chunked transfer coding decoded, or up to the length, or to the close."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                return
            yield await reader.readexactly(size)
            await reader.readexactly(2)
    elif "content-length" in headers:
        length = int(headers["content-length"])
        if length:
            yield await reader.readexactly(length)
    else:
        while data := await reader.read(65536):
            yield data


async def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """One request on a connection of its own (gunicorn's sync workers close it after each answer)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(_request(path, {**headers, "Connection": "close"}))
        status, answer = _head(await reader.readuntil(b"\r\n\r\n"))
        body = b""
        if status not in (204, 304):
            body = b"".join([chunk async for chunk in _chunks(reader, answer)])
        return status, answer, body
    finally:
        writer.close()


def token(value: str) -> str:
    """The room's version in an ETag (`"<version>"`, or `"<version>-<code>"` on the secretary's screen,
    whose ETag also carries the check-in code) or a stream's `version`."""
    value = value.strip()
    value = value.removeprefix("W/").strip('"')
    return value.split("-", 1)[0]


# --- The clients -----------------------------------------------------------------------------------


@dataclass
class Client:
    meeting: int
    role: str  # screen or phone
    cookie: str
    seen: list[tuple[float, str]] = field(default_factory=list)  # (moment, version) at each new version


@dataclass
class Stats:
    window: tuple[float, float] = (0.0, 0.0)
    stop: float = float("inf")  # the clients end by themselves then (window's end and grace)
    statuses: Counter[str] = field(default_factory=Counter)  # in the window
    answer_ms: list[float] = field(default_factory=list)  # in the window: request sent to answer read
    queued_ms: list[float] = field(default_factory=list)  # in the window: waiting for the generator's cap
    skipped: int = 0  # poll ticks skipped in the window because the last request was still out
    errors: Counter[str] = field(default_factory=Counter)
    events: int = 0  # stream: state events received in the window
    pings: int = 0
    connects: int = 0
    connected: int = 0  # streams open now
    drops: int = 0  # streams that ended before the run did
    connect_ms: list[float] = field(default_factory=list)

    def inside(self, moment: float) -> bool:
        return self.window[0] <= moment <= self.window[1]


async def poll_client(
    client: Client, port: int, path: str, stop: float, stats: Stats, cap: asyncio.Semaphore, encoding: str
) -> None:
    headers = {"Cookie": client.cookie, "Accept-Encoding": encoding, "Accept": "*/*"}
    etag = ""
    tick = time.time() + random.uniform(0, POLL_SECONDS)
    while tick < stats.stop:
        await asyncio.sleep(max(0.0, tick - time.time()))
        asked = time.time()
        async with cap:
            sent = time.time()
            try:
                status, answer, _body = await asyncio.wait_for(
                    get(port, path, {**headers, "If-None-Match": etag} if etag else headers), 30
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                status, answer = 0, {}
                stats.errors[type(exc).__name__] += 1
        done = time.time()
        if status == 200 and answer.get("etag") and answer["etag"] != etag:
            etag = answer["etag"]
            client.seen.append((done, token(etag)))
        if stats.inside(done):
            stats.statuses[str(status)] += 1
            stats.answer_ms.append((done - sent) * 1000)
            stats.queued_ms.append((sent - asked) * 1000)
        tick += POLL_SECONDS
        while tick < done:  # setInterval's ticks that came while the request was out: skipped
            if stats.inside(tick):
                stats.skipped += 1
            tick += POLL_SECONDS


class Gate:
    """Lets connections open at most ``rate`` a second (the streams' ramp-up)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next = time.time()

    async def wait(self) -> None:
        now = time.time()
        slot = max(now, self.next)
        self.next = slot + self.interval
        await asyncio.sleep(slot - now)


def _events(buffer: bytearray, event: dict[str, Any]) -> list[dict[str, Any]]:
    """Complete server-sent events in ``buffer`` (consumed), ``event`` the one being read."""
    done: list[dict[str, Any]] = []
    while True:
        end = buffer.find(b"\n")
        if end < 0:
            return done
        line = bytes(buffer[:end]).rstrip(b"\r").decode()
        del buffer[: end + 1]
        if not line:
            if "data" in event or "event" in event:
                done.append(dict(event))
            event.clear()
            continue
        if line.startswith(":"):
            event["comments"] = event.get("comments", 0) + 1
            done.append({"comment": line})
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            event["data"] = event["data"] + "\n" + value if "data" in event else value
        elif name in ("event", "id", "retry"):
            event[name] = value


async def stream_client(client: Client, port: int, path: str, stop: float, stats: Stats, gate: Gate) -> None:
    retry = 3.0
    last_id = ""
    version = ""
    while time.time() < stats.stop:
        await gate.wait()
        headers = {"Cookie": client.cookie, "Accept": "text/event-stream", "Cache-Control": "no-cache"}
        if last_id:
            headers["Last-Event-ID"] = last_id
        writer = None
        opened = False
        try:
            began = time.time()
            reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(_request(path, headers))
            status, answer = _head(await reader.readuntil(b"\r\n\r\n"))
            if status != 200 or not answer.get("content-type", "").startswith("text/event-stream"):
                stats.errors[f"stream answered {status} {answer.get('content-type', '')}"] += 1
            else:
                stats.connects += 1
                stats.connected += 1
                opened = True
                stats.connect_ms.append((time.time() - began) * 1000)
                buffer, event = bytearray(), dict[str, Any]()
                async for chunk in _chunks(reader, answer):
                    buffer += chunk
                    for done in _events(buffer, event):
                        moment = time.time()
                        if "comment" in done:
                            stats.pings += stats.inside(moment)
                            continue
                        if "retry" in done:
                            retry = int(done["retry"]) / 1000
                        if "id" in done:
                            last_id = done["id"]
                        if done.get("event", "message") == "state":
                            stats.events += stats.inside(moment)
                            seen = token(str(json.loads(done["data"]).get("version", "")))
                            if seen != version:
                                version = seen
                                client.seen.append((moment, seen))
                if time.time() < stats.stop:
                    stats.drops += 1
        except asyncio.CancelledError:
            raise
        except (OSError, asyncio.IncompleteReadError, ValueError, json.JSONDecodeError) as exc:
            stats.errors[type(exc).__name__] += 1
            if opened and time.time() < stats.stop:
                stats.drops += 1
        finally:
            if opened:
                stats.connected -= 1
            if writer is not None:
                writer.close()
        await asyncio.sleep(retry * (1 if opened else random.uniform(1, 2)))  # refused: spread the retries


async def loop_lag(stop: float, lags: list[float], stats: Stats) -> None:
    """How late the generator's event loop wakes (a measure of its own saturation)."""
    while time.time() < stop:
        asked = time.time()
        await asyncio.sleep(0.1)
        if stats.inside(asked):
            lags.append((time.time() - asked - 0.1) * 1000)


# --- One run ---------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)  # nearest rank
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def latencies(
    clients: list[Client], changes: list[dict[str, Any]], window: tuple[float, float]
) -> dict[str, Any]:
    """Each (change, client of its meeting) pair: when the client first held the change's version or a
    later one of the same meeting, after the change's commit."""
    by_meeting: dict[int, list[dict[str, Any]]] = {}
    for change in sorted(changes, key=lambda c: c["t"]):
        by_meeting.setdefault(change["meeting"], []).append(change)
    values: list[float] = []
    missed = unmatched = 0
    for client in clients:
        own = by_meeting.get(client.meeting, [])
        if not own:
            continue
        index = {change["version"]: i for i, change in enumerate(own)}
        reached: list[float | None] = [None] * len(own)  # the moment the client first held change i
        highest = -1
        for moment, version in client.seen:
            i = index.get(version)
            if i is None:
                if highest >= 0:
                    unmatched += 1  # after a known one, a version no recorded change produced
                continue  # before any: the state the client started from
            for j in range(highest + 1, i + 1):
                reached[j] = moment
            highest = max(highest, i)
        for change, first in zip(own, reached, strict=True):
            if not window[0] <= change["t"] <= window[1]:
                continue
            if first is None:
                missed += 1
            else:
                values.append(max(0.0, first - change["t"]))
    pairs = len(values) + missed
    within = sum(1 for value in values if value <= TARGET_SECONDS)
    return {
        "pairs": pairs,
        "p50_s": percentile(values, 0.50),
        "p95_s": percentile(values, 0.95),
        "max_s": max(values) if values else None,
        "within_2s": within / pairs if pairs else None,
        "missed": missed,
        "unmatched_versions": unmatched,
    }


async def run(
    mechanism: str,
    scenario: str,
    plan: dict[str, Any],
    env: dict[str, str],
    port: int,
    server_pid: int,
    args: argparse.Namespace,
) -> dict[str, Any]:
    rooms = [plan["one"]] if scenario == "one" else plan["many"][: args.many_meetings]
    cookie_name = plan["session_cookie"]
    clients = []
    for room in rooms:
        clients.append(Client(room["meeting"], "screen", f"{cookie_name}={room['screen']}"))
        clients += [Client(room["meeting"], "phone", f"{cookie_name}={key}") for key in room["phones"]]
    rate = SCENARIOS[scenario]["rate"] * (len(rooms) / 300 if scenario == "many" else 1)
    stats = Stats()
    stop = float("inf")
    say(f"{mechanism} / {scenario}: {len(rooms)} meeting(s), {len(clients)} clients, {rate:g} changes/s")
    # The writers start first: Django's start-up takes seconds, while the clients warm up. Several for
    # many meetings (each its share of them), so that one process's lock does not cap the rate.
    count = 1 if scenario == "one" else max(1, args.writers)
    writers = []
    for index in range(count):
        part = VAR_DIR / f"room_plan_run{index}.json"
        part.write_text(json.dumps({**plan, "many": plan["many"][: args.many_meetings][index::count]}))
        writers.append(
            await asyncio.create_subprocess_exec(
                PYTHON,
                "bench/room_data.py",
                "write",
                "--plan",
                str(part),
                "--scenario",
                scenario,
                "--rate",
                str(rate / count),
                "--seconds",
                str(args.seconds),
                "--seed",
                str(args.seed + index),
                cwd=ROOT,
                env=env,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
        )
    tasks: list[asyncio.Task[None]] = []
    lags: list[float] = []
    started = time.time()
    cap = asyncio.Semaphore(args.cap)
    gate = Gate(args.connect_rate)
    for client in clients:
        if mechanism == "poll":
            endpoint = plan["screen_endpoint"] if client.role == "screen" else plan["phones_endpoint"]
            path = endpoint.format(id=client.meeting)
            tasks.append(
                asyncio.create_task(poll_client(client, port, path, stop, stats, cap, args.poll_encoding))
            )
        else:
            # The address the client's page gave it (with its token), else the bare one (cookie alone).
            key = client.cookie.partition("=")[2]
            path = plan.get("stream_paths", {}).get(key) or plan["stream_endpoint"].format(id=client.meeting)
            tasks.append(asyncio.create_task(stream_client(client, port, path, stop, stats, gate)))
    # Warm: every client has its first state (the workers' first requests load the code and templates).
    deadline = time.time() + (args.poll_warm_limit if mechanism == "poll" else args.ramp_limit)
    while sum(1 for c in clients if c.seen) < len(clients) and time.time() < deadline:
        await asyncio.sleep(0.5)
    ready = sum(1 for c in clients if c.seen)
    say(
        f"{mechanism} / {scenario}: {ready} of {len(clients)} clients hold the state after "
        f"{time.time() - started:.0f} s"
        + (f" ({stats.connected} streams open)" if mechanism != "poll" else "")
    )
    await asyncio.sleep(args.warmup)
    for writer in writers:
        assert writer.stdout is not None
        while "ready" not in json.loads(await writer.stdout.readline() or b'{"ready": 0}'):
            pass
    begin = time.time() + 0.5
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write(f"{begin}\n".encode())
        await writer.stdin.drain()
    window = (begin, begin + args.seconds)
    changes: list[dict[str, Any]] = []
    written: Counter[str] = Counter()

    async def read_writers() -> None:
        for writer in writers:
            assert writer.stdout is not None
            while line := await writer.stdout.readline():
                row = json.loads(line)
                (written.update(row) if "done" in row else changes.append(row))

    reading = asyncio.create_task(read_writers())
    stats.window = window
    stats.stop = window[1] + args.grace
    tasks.append(asyncio.create_task(loop_lag(window[1] + args.grace, lags, stats)))
    backends = Backends()
    await asyncio.sleep(max(0.0, begin - time.time()))
    cpu0 = tree_cpu(server_pid), redis_cpu(), own_cpu(), machine_busy()
    backends.sample(initial=True)
    while time.time() < window[1]:
        await asyncio.sleep(min(1.0, max(0.0, window[1] - time.time())))
        backends.sample()
    cpu1 = tree_cpu(server_pid), redis_cpu(), own_cpu(), machine_busy()
    seconds = window[1] - window[0]
    open_at_end = stats.connected
    await asyncio.sleep(args.grace)
    await reading
    for writer in writers:
        await writer.wait()
    # The clients end by themselves at stats.stop; a stream waits for its next event or ping.
    _done, pending = await asyncio.wait(tasks, timeout=5)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=5)  # one that does not end is left behind
    served = sum(n for status, n in stats.statuses.items() if status in ("200", "304"))
    result = {
        "mechanism": mechanism,
        "scenario": scenario,
        "meetings": len(rooms),
        "clients": len(clients),
        "window_s": seconds,
        "changes_planned": int(rate * args.seconds),
        "changes_made": sum(1 for c in changes if window[0] <= c["t"] <= window[1]),
        "changes_failed": written.get("failed"),
        "changes_dropped": written.get("dropped"),
        "writers": count,
        "writer_late_p95_s": percentile([c["late"] for c in changes], 0.95),
        "warm_clients": ready,
        "writer_cpu": written.get("cpu_s", 0.0) / seconds if written.get("cpu_s") else None,
        "latency": latencies(clients, changes, window),
        "server_cpu": (cpu1[0] - cpu0[0]) / seconds,
        "postgres_cpu": backends.seconds() / seconds,
        "redis_cpu": (cpu1[1] - cpu0[1]) / seconds,
        "generator_cpu": (cpu1[2] - cpu0[2]) / seconds,
        "machine_busy": (cpu1[3][0] - cpu0[3][0]) / (cpu1[3][1] - cpu0[3][1]) * (os.cpu_count() or 1),
        "loop_lag_p95_ms": percentile(lags, 0.95),
        "loop_lag_max_ms": max(lags) if lags else None,
        "errors": dict(stats.errors),
    }
    if mechanism == "poll":
        result |= {
            "requests_per_s": served / seconds,
            "offered_per_s": len(clients) / POLL_SECONDS,
            "statuses": dict(stats.statuses),
            "answer_ms_p50": percentile(stats.answer_ms, 0.5),
            "answer_ms_p95": percentile(stats.answer_ms, 0.95),
            "queued_ms_p95": percentile(stats.queued_ms, 0.95),
            "skipped_ticks": stats.skipped,
            "cap": args.cap,
        }
    else:
        result |= {
            "events_per_s": stats.events / seconds,
            "streams_open_at_end": open_at_end,
            "connects": stats.connects,
            "drops": stats.drops,
            "connect_ms_p95": percentile(stats.connect_ms, 0.95),
            "pings": stats.pings,
        }
    say(f"{mechanism} / {scenario}: {json.dumps(result)}")
    return result


# --- The report ------------------------------------------------------------------------------------


def _s(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def render(
    results: list[dict[str, Any]], notes: list[str], args: argparse.Namespace, info: dict[str, str]
) -> str:
    lines = [
        START,
        "",
        f"### Results: {info['date']}",
        "",
        f"Commit `{info['commit']}`; {info['cores']} cores ({info['cpu']}), PostgreSQL {info['postgresql']}, "
        f"Python {info['python']}, load average {info['load']} over the last 5 minutes at the end. "
        f"Steady window {args.seconds:g} s per run, grace {args.grace:g} s; gunicorn {args.gunicorn_workers} "
        f"sync workers; uvicorn {args.uvicorn_workers} workers; the generator's cap on requests in flight "
        f"{args.cap}. Command: `{' '.join(['bench/room_live.py', *sys.argv[1:]])}`.",
        "",
        "| mechanism | scenario | clients | changes made | latency p50 / p95 / max s | within 2 s | not seen "
        "| server CPU | PostgreSQL | Redis | served /s | generator CPU | writer CPU | machine busy |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        lat = r["latency"]
        served = (
            f"{r['requests_per_s']:,.0f} req ({r['offered_per_s']:,.0f} asked)"
            if r["mechanism"] == "poll"
            else f"{r['events_per_s']:,.0f} events"
        )
        within = "—" if lat["within_2s"] is None else f"{lat['within_2s']:.1%}"
        lines.append(
            f"| {r['mechanism']} | {r['scenario']} "
            f"({r['meetings']:,} meeting{'s' if r['meetings'] > 1 else ''}) "
            f"| {r['clients']:,} | {r['changes_made']} of {r['changes_planned']} "
            f"| {_s(lat['p50_s'])} / {_s(lat['p95_s'])} / {_s(lat['max_s'])} | {within} "
            f"| {lat['missed']:,} of {lat['pairs']:,} | {_s(r['server_cpu'])} | {_s(r['postgres_cpu'])} "
            f"| {_s(r['redis_cpu'])} | {served} | {_s(r['generator_cpu'])} | {_s(r['writer_cpu'])} "
            f"| {_s(r['machine_busy'])} |"
        )
    lines += ["", "CPU in seconds per second of wall time (1.00 = one of the 2 cores)."]
    details = []
    for r in results:
        if r["mechanism"] == "poll":
            details.append(
                f"poll / {r['scenario']}: answers {r['statuses']}, answer time p50 "
                f"{_s(r['answer_ms_p50'], 0)} ms / p95 {_s(r['answer_ms_p95'], 0)} ms, waiting for the "
                "generator's cap p95 "
                f"{_s(r['queued_ms_p95'], 0)} ms, {r['skipped_ticks']:,} ticks skipped (request still out), "
                f"errors {r['errors'] or 'none'}, generator loop lag p95 {_s(r['loop_lag_p95_ms'], 0)} ms"
            )
        else:
            details.append(
                f"stream / {r['scenario']}: {r['streams_open_at_end']:,} streams open at the end of the "
                "window, "
                f"{r['connects']:,} connections made, {r['drops']} dropped, connect p95 "
                f"{_s(r['connect_ms_p95'], 0)} ms, errors {r['errors'] or 'none'}, generator loop lag p95 "
                f"{_s(r['loop_lag_p95_ms'], 0)} ms"
            )
    for r in results:
        details.append(
            f"{r['mechanism']} / {r['scenario']}: {r['warm_clients']:,} of {r['clients']:,} clients held "
            f"their first state when the window began; {r['writers']} writer(s), whose changes were late on "
            f"their schedule by {_s(r['writer_late_p95_s'])} s at p95, {r['changes_failed'] or 0} failed, "
            f"{r['changes_dropped'] or 0} not made by the window's end; "
            f"{r['latency']['unmatched_versions']} versions seen that no change recorded"
        )
    lines += ["", *[f"- {line}" for line in details + notes]]
    lines += ["", END]
    return "\n".join(lines)


def machine() -> dict[str, str]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%d %B %Y %H:%M UTC"),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "cores": str(os.cpu_count()),
        "cpu": model,
        "postgresql": psql("SHOW server_version").split()[0],
        "python": platform.python_version(),
        "load": f"{os.getloadavg()[1]:.1f}",
    }


def write_report(section: str) -> None:
    text = BENCHMARKS.read_text()
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    BENCHMARKS.write_text(text)


def meets(result: dict[str, Any]) -> bool:
    """The issue's targets as this bench reads them: 95 % of the phones and screens see a change within
    2 s and none misses it, every planned change was made, and the server side (app, PostgreSQL, Redis)
    uses at most one of the two cores."""
    lat = result["latency"]
    server = result["server_cpu"] + result["postgres_cpu"] + result["redis_cpu"]
    return (
        lat["p95_s"] is not None
        and lat["p95_s"] <= TARGET_SECONDS
        and lat["missed"] == 0
        and result["changes_made"] == result["changes_planned"]
        and server <= 1.0
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mechanisms", default="poll,stream")
    parser.add_argument("--scenarios", default="one,many")
    parser.add_argument("--seconds", type=float, default=35, help="the steady window of each run")
    parser.add_argument(
        "--grace", type=float, default=6, help="seconds after the window to see the last changes"
    )
    parser.add_argument("--warmup", type=float, default=3, help="seconds once every client holds its state")
    parser.add_argument("--many-meetings", type=int, default=300, help="fewer for a quick try")
    parser.add_argument(
        "--cap", type=int, default=200, help="poll: requests the generator keeps in flight at most"
    )
    parser.add_argument(
        "--poll-encoding",
        default="gzip",
        help="poll: the Accept-Encoding sent (gzip, as browsers; identity to see the 304s a weak ETag loses)",
    )
    parser.add_argument("--connect-rate", type=float, default=100, help="stream: connections opened a second")
    parser.add_argument(
        "--ramp-limit", type=float, default=100, help="seconds to wait for every client's first state"
    )
    parser.add_argument(
        "--poll-warm-limit",
        type=float,
        default=30,
        help="poll: seconds to wait for every client's first state (a saturated server may never answer all)",
    )
    parser.add_argument("--gunicorn-workers", type=int, default=4, help="as README's production command")
    parser.add_argument("--uvicorn-workers", type=int, default=2)
    parser.add_argument("--writers", type=int, default=2, help="many: writer processes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the database and plan of an earlier run")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    parser.add_argument("--report-only", action="store_true", help="exit 0 whatever the figures")
    args = parser.parse_args()
    if shutil.which("psql") is None:
        raise SystemExit("psql is missing (apt-get install postgresql-client)")
    started = time.monotonic()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    ensure_postgres()
    secret = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)
    keyfile = VAR_DIR / "room_secret"
    if args.reuse and keyfile.exists() and PLAN.exists():
        secret = keyfile.read_text().strip()  # the plan's sessions are signed with it
        say(f"reusing {DATABASE} and {PLAN.relative_to(ROOT)}")
    else:
        keyfile.write_text(secret)
        prepare_data(environment("poll", secret), args.seed)
    grant_role()
    plan = json.loads(PLAN.read_text())
    mechanisms = [m for m in args.mechanisms.split(",") if m]
    scenarios = [s for s in args.scenarios.split(",") if s]
    results: list[dict[str, Any]] = []
    notes: list[str] = []
    for mechanism in mechanisms:
        env = environment(mechanism, secret)  # the writer's and the reset's: not held to the limit
        plan |= json.loads(
            run_django(env, "bench/room_data.py", "reset", "--plan", str(PLAN)).splitlines()[-1]
        )
        if mechanism != "poll" and not plan.get("stream_endpoint"):
            notes.append("stream: not measured, the site has no `/hop/<id>/song/`.")
            say(notes[-1])
            continue
        flush_redis(CACHE_URL, LIVE_REDIS_URL)
        port = free_port()
        workers = args.gunicorn_workers if mechanism == "poll" else args.uvicorn_workers
        server = start_server(mechanism, environment(mechanism, secret, ROLE), port, workers)
        try:
            for scenario in scenarios:
                results.append(asyncio.run(run(mechanism, scenario, plan, env, port, server.pid, args)))
        finally:
            stop_server(server)
    if "poll" in mechanisms:
        notes.insert(
            0,
            f"poll: the phones asked `{plan['phones_endpoint']}`, the screen `{plan['screen_endpoint']}` (as "
            "the meeting's secretary, the projector's account: its answer also carries the check-in code).",
        )
    info = machine()
    section = render(results, notes, args, info)
    print(section)
    RESULTS.write_text(json.dumps({"machine": info, "results": results, "notes": notes}, indent=1))
    say(f"results in {RESULTS.relative_to(ROOT)}; {time.monotonic() - started:.0f} s in all")
    if not args.no_write:
        write_report(section)
        say(f"written to {BENCHMARKS.relative_to(ROOT)}")
    meeting = {
        m: all(meets(r) for r in results if r["mechanism"] == m) for m in {r["mechanism"] for r in results}
    }
    for name, ok in sorted(meeting.items()):
        say(f"{name}: {'meets' if ok else 'does not meet'} the targets in every scenario measured")
    if not any(meeting.values()) and not args.report_only:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
