"""`make bench-scale`: the main pages at school and province scale on PostgreSQL (issue 12, item 2).

For each scale: a database of its own (`chuyende_bench_<scale>`) filled by `generate_scale_data` once
and reused while it holds the same preset, seed and generator (the database's comment says which;
`--regenerate` forces); then, with DEBUG off, each page as its persona in-process (bench/measure.py),
the documents and spreadsheets, and the throughput of the member home and the session page beside a
bare view, all served by gunicorn (2 workers) in the same run. Writes its section of BENCHMARKS.md
and exits 1 when a target fails (`--report-only`: never).

`--ci`: the fast check CI runs. Two small sizes, fresh each time; the query count of every page at
both; exits 1 if any count grows with the data.

Usage: .venv/bin/python bench/scale.py [--scales school,province] [--seed 1] [--runs 20]
       [--regenerate] [--report-only] [--no-write] | --ci [--sqlite]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import itertools
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.compare import (  # noqa: E402
    Check,
    background_checks,
    count_checks,
    growing_counts,
    page_checks,
    page_key,
    scale_checks,
)

PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
VAR_DIR = ROOT / "var" / "bench"
BENCHMARKS = ROOT / "BENCHMARKS.md"
START, END = "<!-- bench/scale.py: start -->", "<!-- bench/scale.py: end -->"

# The scales `make bench` measures: name -> arguments of generate_scale_data.
# "demo" is `load_demo`'s data, the scale the issue's first column was measured at.
SCALES: dict[str, list[str]] = {
    "demo": [],
    "tiny": ["--preset", "tiny"],
    "school": ["--preset", "school"],
    "district": ["--preset", "district"],
    "province": ["--preset", "province"],
}
# --ci: two small sizes whose counts must be equal (the second has more cells, members and history),
# both of the province's shape (four levels), so the officers of every level are measured too.
CI_SIZES = {
    "ci_small": ["--preset", "province", "--cells", "12", "--members-per-cell", "12", "--years", "2"],
    "ci_large": ["--preset", "province", "--cells", "24", "--members-per-cell", "18", "--years", "3"],
}
THROUGHPUT_PAGES = ("member home", "session page")


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- PostgreSQL and the databases ----------------------------------------------------------------


def ensure_postgres() -> None:
    """Starts the local cluster as .ci/run does when nothing answers."""
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode == 0:
        return
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)
    for _ in range(30):
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode == 0:
            return
        time.sleep(1)
    raise SystemExit("PostgreSQL did not start")


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def generator_version() -> str:
    """A digest of the generator's source and the migrations: a change to either regenerates."""
    tracked = subprocess.run(
        ["git", "ls-files", "*generate_scale_data*", "home/scale*.py", "*/migrations/*.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    digest = hashlib.sha256()
    for name in sorted(tracked):
        path = ROOT / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def env_for(database_url: str, *, manifest: bool = True) -> dict[str, str]:
    """The site in production mode (DEBUG off) on this database, as the bench serves it; without
    `manifest`, static files need no collectstatic (CI counts queries only)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        STATIC_MANIFEST="true" if manifest else "false",
        VAR_DIR=str(VAR_DIR),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.pop("CACHE_URL", None)  # the default cache: this process's memory
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_postgres(database: str, generate: list[str], seed: int, regenerate: bool) -> dict[str, str]:
    """The database filled with this preset and seed, generated now only when it holds anything else."""
    marker = f"chuyende-bench {' '.join(generate)} --seed {seed} generator={generator_version()}"
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"
    current = psql(
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{database}'"
    )
    env = env_for(f"{PG}/{database}")
    if exists and current == marker and not regenerate:
        say(f"{database}: reused ({marker})")
        manage(env, "migrate", "--no-input", "-v0")
        analyze(database)
        return env
    say(f"{database}: generating ({marker})")
    if exists:
        psql(f'DROP DATABASE "{database}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{database}"')
    started = time.monotonic()
    manage(env, "migrate", "--no-input", "-v0")
    fill(env, generate, seed)
    say(f"{database}: generated in {time.monotonic() - started:,.0f} s")
    analyze(database)
    psql(f"COMMENT ON DATABASE \"{database}\" IS '{marker}'")
    return env


def analyze(database: str) -> None:
    """The planner's statistics of freshly loaded data. Autovacuum would gather them in production,
    but it may be off (it is on the bench machine) or not yet round: without them PostgreSQL guesses
    one row for a year's meetings and nests loops (the year-end archive at 9,434 members over five
    years: over a minute without, 2 s with). Seconds, even at province scale."""
    started = time.monotonic()
    psql("ANALYZE", database)
    say(f"{database}: analysed in {time.monotonic() - started:,.0f} s")


def prepare_ci(args: argparse.Namespace) -> dict[str, dict[str, str]]:
    """Fresh databases for the CI sizes: the first migrated, the others copies of it (one migrate)."""
    names = list(CI_SIZES)
    if args.sqlite:
        paths = {name: VAR_DIR / f"{name}.sqlite3" for name in names}
        for path in paths.values():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        envs = {name: env_for(f"sqlite:///{path}", manifest=False) for name, path in paths.items()}
        manage(envs[names[0]], "migrate", "--no-input", "-v0")
        for name in names[1:]:
            shutil.copyfile(paths[names[0]], paths[name])
    else:
        ensure_postgres()
        databases = {name: f"{args.db_prefix}_{name}" for name in names}
        for database in databases.values():
            psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        psql(f'CREATE DATABASE "{databases[names[0]]}"')
        envs = {name: env_for(f"{PG}/{database}", manifest=False) for name, database in databases.items()}
        manage(envs[names[0]], "migrate", "--no-input", "-v0")
        for name in names[1:]:
            psql(f'CREATE DATABASE "{databases[name]}" TEMPLATE "{databases[names[0]]}"')
    return envs


def fill(env: dict[str, str], generate: list[str], seed: int) -> None:
    if generate:
        manage(env, "generate_scale_data", *generate, "--seed", str(seed))
    else:
        manage(env, "load_demo")


# --- Measuring -------------------------------------------------------------------------------------


def measure(env: dict[str, str], runs: int, counts_only: bool = False) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        target = Path(out.name)
    try:
        command = [PYTHON, str(ROOT / "bench" / "measure.py"), "--out", str(target), "--runs", str(runs)]
        if counts_only:
            command.append("--counts-only")
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        return json.loads(target.read_text())
    finally:
        target.unlink(missing_ok=True)


def background(env: dict[str, str]) -> dict[str, Any]:
    """The year-end archive and the announcement to every member (bench/background.py), each in a
    process of its own so that its peak memory is its own."""
    results: dict[str, Any] = {}
    for job in ("archive", "announcement"):
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            target = Path(out.name)
        try:
            command = [PYTHON, str(ROOT / "bench" / "background.py"), "--job", job, "--out", str(target)]
            subprocess.run(command, cwd=ROOT, env=env, check=True)
            results[job] = json.loads(target.read_text())
        finally:
            target.unlink(missing_ok=True)
    return results


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load(port: int, path: str, cookie: str, seconds: float, threads: int) -> float:
    """Requests per second that `threads` clients, each waiting for its answer, get in `seconds`."""
    done = [0] * threads
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        headers = {"Accept-Encoding": "gzip", "Cookie": cookie, "Host": "127.0.0.1"}
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(f"{path}: {response.status}")
                    return
                done[index] += 1
            except OSError as exc:
                errors.append(f"{path}: {exc}")
                return
            finally:
                connection.close()

    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise SystemExit(f"throughput: {errors[0]}")
    return sum(done) / (time.monotonic() - started)


def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}); see {VAR_DIR / 'gunicorn.log'}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/bench/bare/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.25)
        finally:
            connection.close()
    raise SystemExit("gunicorn did not answer within 30 s")


def throughput(env: dict[str, str], pages: list[dict[str, str]], seconds: float) -> list[dict[str, Any]]:
    """Each page beside the bare view, served by gunicorn (2 workers, DEBUG off), measured in turn:
    the bare view before and after the pages, its mean the floor."""
    port = free_port()
    log = (VAR_DIR / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "bench.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(port, server)
        threads = 4  # two per worker: one waiting while the other is served
        rows = [{"name": page["name"], "path": page["path"], "cookie": page["cookie"]} for page in pages]
        for row in rows:  # warm-up: every worker's first request of a page is seconds (imports, templates)
            load(port, row["path"], row["cookie"], max(3.0, seconds / 3), threads)
        before = load(port, "/bench/bare/", "", seconds, threads)
        measured = [(row["name"], load(port, row["path"], row["cookie"], seconds, threads)) for row in rows]
        after = load(port, "/bench/bare/", "", seconds, threads)
        floor = (before + after) / 2
        results: list[dict[str, Any]] = [
            {"name": "bare view", "rps": floor, "ratio": 1.0, "spread": [before, after]}
        ]
        results += [{"name": name, "rps": rps, "ratio": rps / floor} for name, rps in measured]
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def redis_cache(url: str) -> str:
    """``url`` when a Redis server answers there (emptied for this run), else "" (each process's own
    memory: the frame cache stays off, as in a single-server install without CACHE_URL)."""
    if not url:
        return ""
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except Exception as exc:  # no server, refused, bad URL: measure without the shared cache
        say(f"no shared cache ({exc}); measuring with each process's own memory")
        return ""
    return url


def run_scale(name: str, args: argparse.Namespace) -> dict[str, Any]:
    env = prepare_postgres(f"{args.db_prefix}_{name}", SCALES[name], args.seed, args.regenerate)
    # As production runs several app servers: a shared Redis cache (CACHE_URL), which turns on the
    # frame cache (home/invalidation.py); docs/architecture.md.
    cache = redis_cache(args.cache_url)
    if cache:
        env = {**env, "CACHE_URL": cache}
    args.cache_used = cache or "none (each process's memory; frame cache off)"
    say(f"{name}: measuring {args.runs} requests per page")
    result = measure(env, args.runs)
    pages = [row for row in result.pop("throughput") if row["name"].startswith(THROUGHPUT_PAGES)]
    say(f"{name}: throughput beside the bare view, {args.seconds:g} s each")
    result["throughput"] = throughput(env, pages, args.seconds)
    say(f"{name}: the year-end archive and an announcement to every member")
    result["background"] = background(env)
    result["scale"] = name
    return result


# --- The report ------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    memory = next(
        line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
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
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return {
        "date": datetime.now(UTC).strftime("%d %B %Y %H:%M UTC"),
        "commit": commit + (" (with uncommitted changes)" if dirty.strip() else ""),
        "cores": str(os.cpu_count()),
        "cpu": model,
        "ram": f"{int(memory.split()[1]) / 1024 / 1024:.0f} GB",
        "postgresql": psql("SHOW server_version").split()[0],
        "python": platform.python_version(),
        "load": f"{os.getloadavg()[1]:.1f}",
    }


def _verdict(passed: bool) -> str:
    return "pass" if passed else "**FAIL**"


def render(results: list[dict[str, Any]], checks: list[Check], args: argparse.Namespace) -> str:
    info = machine()
    command = " ".join(["bench/scale.py", *sys.argv[1:]])
    lines = [
        START,
        "",
        f"### Results: {info['date']}",
        "",
        f"Commit `{info['commit']}`; {info['cores']} cores ({info['cpu']}), {info['ram']} RAM, "
        f"PostgreSQL {info['postgresql']}, Python {info['python']}, load average {info['load']} over the "
        f"last 5 minutes at the end (other work on the machine slows every figure); {args.runs} requests "
        f"per page after one warm-up; throughput {args.seconds:g} s per page; cache "
        f"`{getattr(args, 'cache_used', 'none')}`. Command: `{command}`.",
        "",
    ]
    for result in results:
        size = result.get("size", {})
        lines += [
            f"#### {result['scale']}: {size.get('cells', '?'):,} cells, {size.get('members', '?'):,} members",
            "",
            "| page | as | queries | p50 / p95 ms | HTML | gzip | target | |",
            "|---|---|--:|--:|--:|--:|---|---|",
        ]
        for page in result["pages"]:
            own = page_checks(page)
            target = "; ".join(f"{check.what.rsplit(': ', 1)[1]} {check.target}" for check in own) or "—"
            verdict = _verdict(all(check.passed for check in own)) if own else ""
            times = f"{page['p50_ms']:,.0f} / {page['p95_ms']:,.0f}"
            sizes = f"{page['html_bytes'] / 1024:,.1f} KB | {page['gzip_bytes'] / 1024:,.1f} KB"
            who = f"{page['name']} | {page['persona']} | {page['queries']}"
            lines.append(f"| {who} | {times} | {sizes} | {target} | {verdict} |")
        lines += [
            "",
            "| served by gunicorn, 2 workers, 4 clients | requests/s | of the bare view | target | |",
            "|---|--:|--:|---|---|",
        ]
        for row in result["throughput"]:
            target, verdict = "", ""
            if row["name"].startswith("session page"):
                target, verdict = "≥ 40 %", _verdict(row["ratio"] >= 0.40)
            lines.append(f"| {row['name']} | {row['rps']:,.0f} | {row['ratio']:.0%} | {target} | {verdict} |")
        lines += [
            "",
            "| document or spreadsheet | median / max ms | size | target | |",
            "|---|--:|--:|---|---|",
        ]
        limits = {"minutes DOCX": 150, "minutes PDF": 1500}
        for name, output in result.get("outputs", {}).items():
            limit = limits.get(name)
            target = f"≤ {limit:,} ms" if limit else ""
            verdict = _verdict(output["p50_ms"] <= limit) if limit else ""
            lines.append(
                f"| {name} ({output['runs']} runs) | {output['p50_ms']:,.0f} / {output['max_ms']:,.0f} "
                f"| {output['bytes'] / 1024:,.1f} KB | {target} | {verdict} |"
            )
        lines += background_rows(result.get("background", {}))
        if result.get("missing"):
            lines += ["", "Not in this data: " + "; ".join(result["missing"]) + "."]
        lines.append("")
    failed = [check for check in checks if not check.passed]
    lines += [f"**{len(checks) - len(failed)} of {len(checks)} targets met.**", ""]
    if failed:
        lines += ["| target not met | target | measured |", "|---|---|---|"]
        lines += [f"| {check.what} | {check.target} | {check.value} |" for check in failed]
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def background_rows(background: dict[str, Any]) -> list[str]:
    """The table of the background work (empty when it was not measured)."""
    if not background:
        return []
    lines = [
        "",
        "| background work (one run each) | seconds | peak memory (RSS) | target | |",
        "|---|--:|--:|---|---|",
    ]
    checks = {check.what: check for check in background_checks(background)}
    made = background.get("archive")
    if made:
        own = [
            checks[what] for what in ("year-end archive: time", "year-end archive: memory") if what in checks
        ]
        lines.append(
            f"| year-end archive of {made['organization']}, {made['year']}: {made['cells']:,} cells, "
            f"{made['members']:,} members, {made['bytes'] / 2**20:,.1f} MB ZIP | {made['seconds']:,.1f} "
            f"| {made['peak_rss_mb']:,.0f} MB ({made['rss_first_batch_mb']:,.0f} MB after batch 1 of "
            f"{made['batches']}) | {'; '.join(c.target for c in own)} "
            f"| {_verdict(all(c.passed for c in own))} |"
        )
    sent = background.get("announcement")
    if sent:
        check = checks["announcement: time"]
        lines.append(
            f"| announcement to {sent['reached']:,} members ({sent['emailed']:,} e-mails queued) "
            f"| {sent['seconds']:,.1f} | {sent['peak_rss_mb']:,.0f} MB | {check.target} "
            f"| {_verdict(check.passed)} |"
        )
    return lines


def write_report(section: str) -> None:
    text = BENCHMARKS.read_text()
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    BENCHMARKS.write_text(text)


# --- The two modes ---------------------------------------------------------------------------------


def collect_static(env: dict[str, str]) -> None:
    manage(env, "collectstatic", "--no-input", "-v0")


def main_scales(args: argparse.Namespace) -> int:
    ensure_postgres()
    names = [name.strip() for name in args.scales.split(",") if name.strip()]
    unknown = [name for name in names if name not in SCALES]
    if unknown:
        raise SystemExit(f"unknown scale {unknown[0]!r}: choose from {', '.join(SCALES)}")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    collect_static(env_for(f"{PG}/postgres"))
    results = [run_scale(name, args) for name in names]
    checks = [check for result in results for check in _named(result["scale"], scale_checks(result))]
    for small, large in itertools.pairwise(results):
        checks += count_checks(small["scale"], small, large["scale"], large)
    section = render(results, checks, args)
    print(section)
    if not args.no_write:
        write_report(section)
        say(f"written to {BENCHMARKS.relative_to(ROOT)}")
    failed = [check for check in checks if not check.passed]
    if failed:
        say(
            f"{len(failed)} target(s) not met" + (" (--report-only: not failing)" if args.report_only else "")
        )
        return 0 if args.report_only else 1
    return 0


def _named(scale: str, checks: list[Check]) -> list[Check]:
    return [Check(f"{scale}: {check.what}", check.target, check.value, check.passed) for check in checks]


def main_ci(args: argparse.Namespace) -> int:
    started = time.monotonic()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, env in prepare_ci(args).items():
        say(f"{name}: generate_scale_data {' '.join(CI_SIZES[name])}")
        fill(env, CI_SIZES[name], args.seed)
        # Counted as production serves pages (FRAME_CACHE on, as it is with Redis): the measuring
        # process is a single process, so its own memory is a correct frame cache. Without one, a
        # cell's rule set is read (two queries) on each request that shows something due in that cell:
        # bounded by the person's cells, not by the data, yet it made the counts differ between two
        # sizes whose personas happened to have nothing due in one and something in the other.
        counts[name] = measure({**env, "FRAME_CACHE": "true"}, runs=0, counts_only=True)
    (small_name, small), (large_name, large) = counts.items()
    by_name = {page_key(page["name"]): page["queries"] for page in large["pages"]}
    print(f"{'page':<40} {small_name:>10} {large_name:>10}")
    for page in small["pages"]:
        print(f"{page['name']:<40} {page['queries']:>10} {by_name.get(page_key(page['name']), '—')!s:>10}")
    for name, result in counts.items():
        for missing in result["missing"]:
            say(f"{name}: not measured: {missing}")
    problems = growing_counts(small["pages"], large["pages"])
    say(f"done in {time.monotonic() - started:,.0f} s")
    if problems:
        for problem in problems:
            say(f"query count grows: {problem}")
        return 1
    say("no query count grows with the data")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", default="school,province", help="comma-separated: " + ", ".join(SCALES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20, help="requests per page after one warm-up")
    parser.add_argument("--seconds", type=float, default=10, help="throughput: seconds per page")
    parser.add_argument("--regenerate", action="store_true", help="generate the data even if it is there")
    parser.add_argument("--report-only", action="store_true", help="exit 0 even when a target fails")
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/13",
        help="the shared cache the pages are measured with, as in production ('' for none)",
    )
    parser.add_argument("--no-write", action="store_true", help="print the section, leave BENCHMARKS.md")
    parser.add_argument("--db-prefix", default="chuyende_bench", help="databases are <prefix>_<scale>")
    parser.add_argument("--ci", action="store_true", help="fast: fail if a query count grows between sizes")
    parser.add_argument("--sqlite", action="store_true", help="--ci on SQLite files under var/bench")
    args = parser.parse_args()
    if shutil.which("psql") is None and not (args.ci and args.sqlite):
        raise SystemExit("psql is missing (apt-get install postgresql-client)")
    return main_ci(args) if args.ci else main_scales(args)


if __name__ == "__main__":
    sys.exit(main())
