"""First paint of the member pages on a slow 3G phone (issue 11, item 8): `make bench`.

Starts its own demo server (gunicorn, like production, in a fresh VAR_DIR: migrate, collectstatic,
load_demo), then with Chromium through Playwright loads each page cold (a fresh browser context,
the cache disabled) under emulated network and CPU conditions and reads its first-contentful-paint
(PerformanceObserver, type "paint"), RUNS times:

- the member's home and the reading page of the draft under comment, as the member ``dangvien``;
- meeting mode of the announced meeting, as the secretary ``bithu`` (members cannot open it);
  bench/prepare.py opens its record on its day first.

The target profile is WebPageTest's "3G Slow": 400 kbit/s down and up, 400 ms RTT
(https://github.com/WPO-Foundation/webpagetest/blob/master/www/settings/connectivity.ini.sample,
``[3GSlow] bwIn=400000 bwOut=400000 latency=400``), with the CPU 4× slower
(``Emulation.setCPUThrottlingRate``). The script exits 1 when a page's median first paint is over
2.5 s. For information only, it also measures DevTools' own "Slow 3G" preset (400 kbit/s, 2,000 ms
of latency per request: Puppeteer's PredefinedNetworkConditions, "aligned with DevTools"), under
which no page with a separate stylesheet can paint before 4 s (the page, then its stylesheet).

The server runs with DEBUG=true (so it serves plain HTTP on 127.0.0.1 without a SECRET_KEY or the
HTTPS redirect) and STATIC_MANIFEST=true: static files hashed, compressed and cached as in
production. See BENCHMARKS.md.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "chuyende-demo"
TARGET_MS = 2500

KBIT = 1000 / 8  # bytes per second in a kbit/s
PROFILES = {
    # name: (latency added to each request in ms, bytes/s down, bytes/s up, counts for the target)
    "WebPageTest 3G Slow": (400, 400 * KBIT, 400 * KBIT, True),
    "DevTools Slow 3G (information)": (2000, 500 * KBIT * 0.8, 500 * KBIT * 0.8, False),
}

FIRST_PAINT = """() => new Promise((resolve) => {
  new PerformanceObserver((list) => {
    const entry = list.getEntries().find((e) => e.name === "first-contentful-paint");
    if (entry) resolve(entry.startTime);
  }).observe({ type: "paint", buffered: true });
})"""
TRANSFERRED = """() => {
  const entries = performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"));
  return entries.reduce((sum, e) => sum + (e.transferSize || 0), 0);
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def start_server(var_dir: Path, port: int) -> tuple[subprocess.Popen[bytes], list[dict[str, str]]]:
    env = {**os.environ, "DEBUG": "true", "STATIC_MANIFEST": "true", "VAR_DIR": str(var_dir)}
    env.pop("STATIC_ROOT", None)
    env.pop("DATABASE_URL", None)  # always its own SQLite database
    print(f"Preparing the demo in {var_dir} (migrate, collectstatic, load_demo)…", flush=True)
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    manage(env, "load_demo")
    prepared = subprocess.run(
        [PYTHON, "bench/prepare.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if prepared.returncode:
        sys.exit(f"bench/prepare.py failed:\n{prepared.stderr}")
    pages = json.loads(prepared.stdout.strip().splitlines()[-1])
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "chuyende.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/tai-khoan/dang-nhap/", timeout=2)
            return server, pages
        except OSError:
            if server.poll() is not None:
                sys.exit("the server did not start (gunicorn exited)")
            time.sleep(0.2)
    server.terminate()
    sys.exit("the server did not answer within 20 s")


def sign_in(browser: Browser, base: str, login: str) -> Any:
    """The signed-in state (cookies) of ``login``, for the cold contexts that follow."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    state = context.storage_state()
    context.close()
    return state


def cold_load(browser: Browser, state: Any, url: str, profile: tuple[float, float, float, bool]) -> tuple:
    latency, down, up, _target = profile
    context = browser.new_context(storage_state=state, viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency, "downloadThroughput": down, "uploadThroughput": up},
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    response = page.goto(url, wait_until="load", timeout=120_000)
    if response is None or response.status != 200 or page.url != url:
        sys.exit(f"{url} did not load as expected (status {response and response.status}, at {page.url})")
    paint = float(page.evaluate(FIRST_PAINT))
    transferred = int(page.evaluate(TRANSFERRED))
    context.close()
    return paint, transferred


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads per page and profile (5)")
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: a free one)")
    parser.add_argument("--keep", action="store_true", help="keep the bench's VAR_DIR (printed)")
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    var_dir = Path(tempfile.mkdtemp(prefix="chuyende-bench-"))
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    server, pages = start_server(var_dir, port)
    missed = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            states = {login: sign_in(browser, base, login) for login in {p["login"] for p in pages}}
            for name, profile in PROFILES.items():
                kbits = profile[1] * 8 / 1000
                print(f"\n{name}: {profile[0]:.0f} ms per request, {kbits:.0f} kbit/s, CPU 4×")
                print(f"  {'page':<14} {'first paint (ms) min / median / max':>36}  transferred")
                for spec in pages:
                    url = base + spec["path"]
                    runs = [cold_load(browser, states[spec["login"]], url, profile) for _ in range(args.runs)]
                    paints = [p for p, _ in runs]
                    median = statistics.median(paints)
                    size = statistics.median(t for _, t in runs)
                    verdict = ""
                    if profile[3]:
                        verdict = "ok" if median <= TARGET_MS else f"OVER {TARGET_MS} ms"
                        if median > TARGET_MS:
                            missed.append(f"{spec['name']} ({median:.0f} ms)")
                    print(
                        f"  {spec['name']:<14} {min(paints):>12.0f} / {median:>6.0f} / {max(paints):>6.0f}"
                        f"  {size / 1000:>6.1f} KB  {verdict}",
                        flush=True,
                    )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        if args.keep:
            print(f"\nThe bench's data stays in {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    if missed:
        print(f"\nMedian first paint over {TARGET_MS} ms on WebPageTest's 3G Slow: {', '.join(missed)}")
        return 1
    print(f"\nEvery median first paint is within {TARGET_MS} ms on WebPageTest's 3G Slow.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
