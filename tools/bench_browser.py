"""Browser timings of the dashboard: a real `streamlit run` on 127.0.0.1, Debian chromium driving it.

    python -m tools.bench_browser            # prints the figures as JSON
    from tools.bench_browser import measure  # tools/bench.py's browser section calls this

Figures (goals from issue 4; reported, never asserted):
  cold_start_to_map_s   `python -m geo.serve` (= make run) started → map with basemap on screen,
                        timed in the map's frame (atlasTimes.shown), median of 5 (goal <= 2.5 s),
                        interleaved with the bare page's 5;
                        cold_start_plain_s: once, plain `streamlit run`
  warm_load_s           reload of the running app → map visible, median of 5 (goal <= 1 s)
  click_to_passage_s    mouse press on a city marker → its mentions highlighted in the article,
                        timed inside the page (goal <= 0.4 s, median)
  list_to_flight_s      place chosen in the list → map has flown there        (median)
  rerun_bytes           bytes the server sent for one rerun after a click     (median)
  cold_start_bare_s     a bare Streamlit page (a title and a line) started → visible, timed in
                        the page as well (its text found), same run
  cold_start_ratio      cold_start_to_map_s / cold_start_bare_s (goal <= 2.0, issue 11)
  sessions_N_*          N browser sessions opening the page at once on one warm server (N = 1, 20):
                        page_ready_p95_s (goto → map drawn, timed in the page), cpu_per_session_s
                        (server CPU time / N; goal <= 0.25 s) and server_memory_mb (RSS after)
  sessions_N_bare_*     the same on a bare Streamlit page, same run: Streamlit's own cost of a new
                        session (its front end's ~70 files, served by the same server process)

The helpers (free_port, AppServer, launch_chromium, wait_for_map, …) are shared with
tests/test_browser.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geo.snapshot import CHROMIUM_ARGS, find_chromium  # noqa: E402

__all__ = ["GOALS", "free_port", "AppServer", "launch_chromium", "map_frame", "wait_for_map",
           "wait_for_full_page", "clickable_marker", "click_marker", "wait_for_highlight", "timed_click", "measure"]

GOALS = {"cold_start_to_map_s": 2.5, "warm_load_s": 1.0, "click_to_passage_s": 0.4, "cold_start_ratio": 2.0,
         "sessions_1_cpu_per_session_s": 0.25, "sessions_20_cpu_per_session_s": 0.25}
SESSION_COUNTS = (1, 20)
BARE_PAGE = 'import streamlit as st\nst.title("Bare page")\nst.write("Nothing else.")\n'
# In every frame of a page: the moment the map iframe has drawn its places (epoch ms).
_BARE_PROBE = """(() => {
    const check = () => {
        if (document.body && document.body.innerText.includes('Nothing else.')) { window.atlasReadyAt = Date.now(); return; }
        setTimeout(check, 20);
    };
    check();
})();"""
_READY_PROBE = """(() => {
    const check = () => {
        if (document.querySelector('[data-place-id]')) { window.atlasReadyAt = Date.now(); return; }
        setTimeout(check, 20);
    };
    check();
})();"""
COLD_STARTS = 5  # medians: a single run on a shared two-core machine is noisy (3.0-4.5 s for the same code)
WARM_RELOADS = 5
PAGE_TIMEOUT_S = 90.0  # a page that takes longer counts as not loaded (a loaded machine is slow, not broken)
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`streamlit run app.py` on 127.0.0.1 and a free port; stopped (only this process) on exit."""

    def __init__(self, home: Path, *, port: int | None = None, log: Path | None = None,
                 script: str = "serve") -> None:
        self.home = Path(home)
        self.script = script
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log or Path(tempfile.gettempdir()) / f"article-atlas-{self.port}.log"
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.started_epoch = 0.0

    def start(self) -> AppServer:
        env = {**os.environ, "ARTICLE_ATLAS_HOME": str(self.home), "PYTHONUNBUFFERED": "1"}
        # "serve": `python -m geo.serve` (what `make run` starts); else `streamlit run <script>`.
        launcher = ["-m", "geo.serve"] if self.script == "serve" else ["-m", "streamlit", "run", str(ROOT / self.script)]
        command = [sys.executable, *launcher,
                   "--server.address", "127.0.0.1", "--server.port", str(self.port),
                   "--server.headless", "true", "--browser.gatherUsageStats", "false",
                   "--server.fileWatcherType", "none"]
        self.started_at = time.perf_counter()
        self.started_epoch = time.time()  # the clock a page's Date.now() and performance.timeOrigin use
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, timeout_s: float = 60.0) -> None:
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.02)
        raise TimeoutError(f"streamlit did not answer on {self.url} within {timeout_s} s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self) -> AppServer:
        self.start()
        self.wait_ready()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def launch_chromium(playwright):
    executable = find_chromium()
    if executable is None:
        raise RuntimeError("Debian chromium is not installed (make chromium)")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def map_frame(page, timeout_s: float = 30.0):
    """The map's iframe (streamlit-folium), once it exists."""
    deadline = time.perf_counter() + timeout_s
    while True:
        element = page.wait_for_selector(MAP_IFRAME, state="attached",
                                         timeout=max(100, (deadline - time.perf_counter()) * 1000))
        frame = element.content_frame()
        if frame is not None:
            return frame
        if time.perf_counter() > deadline:
            raise TimeoutError("no map iframe")
        time.sleep(0.01)


def wait_for_map(page, timeout_s: float = 30.0):
    """Wait until the map has drawn its places and its basemap; return the iframe's Frame.

    Checks in short slices and finds the iframe again each time: if Streamlit replaces the
    iframe meanwhile, the wait follows the new one instead of hanging on the old.
    """
    deadline = time.perf_counter() + timeout_s
    while True:
        left = deadline - time.perf_counter()
        frame = map_frame(page, max(0.1, left))
        try:
            frame.wait_for_function("window.atlasReady === true && window.atlasBasemapReady >= 1",
                                    timeout=max(100, min(500, left * 1000)), polling="raf")
            return frame
        except Exception:
            if time.perf_counter() > deadline:
                raise


def wait_for_full_page(page, timeout_s: float = 30.0) -> None:
    """Wait until a new session's second run (the rest of the page, after the map: app.py's
    map_drawn_signal) has drawn and no run is going: a marker picked during that run may be
    covered by the time it is clicked, as layers are added again."""
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Go to a place").wait_for(timeout=timeout_s * 1000)
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return app && app.getAttribute('data-test-script-state') === 'notRunning'; }""",
        timeout=timeout_s * 1000)


def clickable_marker(frame, kinds: tuple[str, ...] = ("city",), exclude: tuple[str, ...] = ()) -> dict | None:
    """A place marker whose centre is not covered by another one: {id, x, y} in iframe pixels."""
    return frame.evaluate("""([kinds, exclude]) => {
        for (const el of document.querySelectorAll('[data-place-id]')) {
            if (!kinds.includes(el.getAttribute('data-kind'))) continue;
            if (exclude.includes(el.getAttribute('data-place-id'))) continue;
            const r = el.getBoundingClientRect();
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            if (r.width === 0 || x < 40 || y < 40 || x > innerWidth - 40 || y > innerHeight - 40) continue;
            const top = document.elementFromPoint(x, y);
            if (top === el || el.contains(top)) return {id: el.getAttribute('data-place-id'), x, y};
        }
        return null;
    }""", [list(kinds), list(exclude)])


def click_marker(page, frame, marker: dict) -> None:
    """A real mouse click at the marker's centre (page coordinates)."""
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.click(box["x"] + marker["x"], box["y"] + marker["y"])


_IN_ARTICLE = """(selector) => {
    for (const host of document.querySelectorAll('[data-testid="stBidiComponentIsolated"]')) {
        if (host.shadowRoot && host.shadowRoot.querySelector(selector)) return true;
    }
    return document.querySelector(selector) !== null;
}"""


def wait_for_highlight(page, place_id: str, timeout_s: float = 20.0) -> None:
    """Wait (checking every animation frame) until the article marks `place_id` as selected.

    Playwright's own locator waits poll at up to 500 ms intervals: too coarse for a timing.
    """
    page.wait_for_function(_IN_ARTICLE, arg=f'mark.selected[data-place="{place_id}"]',
                           timeout=timeout_s * 1000, polling="raf")


_WATCH = """(id) => {
    window.atlasClick = {down: null, highlighted: null};
    const host = document.querySelector('[data-testid="stBidiComponentIsolated"]');
    const root = host && host.shadowRoot ? host.shadowRoot : document;
    const selector = 'mark.selected[data-place="' + CSS.escape(id) + '"]';
    const observer = new MutationObserver(() => {
        if (root.querySelector(selector)) { window.atlasClick.highlighted = performance.now(); observer.disconnect(); }
    });
    observer.observe(root, {subtree: true, attributes: true, childList: true});
    const map = document.querySelector('iframe[title="streamlit_folium.st_folium"]').contentWindow;
    map.document.addEventListener('mousedown', () => { window.atlasClick.down = performance.now(); },
                                  {once: true, capture: true});
}"""


def timed_click(page, frame, marker: dict) -> float:
    """Click a marker; seconds from the mouse press to its mentions highlighted, timed in the page."""
    page.evaluate(_WATCH, marker["id"])
    click_marker(page, frame, marker)
    wait_for_highlight(page, marker["id"])
    page.wait_for_function("window.atlasClick.highlighted !== null", timeout=20_000)
    return page.evaluate("(window.atlasClick.highlighted - window.atlasClick.down) / 1000")


def _choose_in_list(page, label: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Go to a place").locator("input")
    box.click()
    page.keyboard.type(label)
    page.keyboard.press("Enter")


@contextlib.contextmanager
def _all_cores():
    """tools/bench.py pins itself to one core; a browser and a server are measured as users run them."""
    getter = getattr(os, "sched_getaffinity", None)
    if getter is None:
        yield
        return
    before = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, range(os.cpu_count() or 1))
    except OSError:
        pass
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def _open_cold(browser, server: AppServer):
    """A fresh page on a just-started server, once its map is drawn: (page, seconds since start).

    Timed in the page: the map's frame notes when its basemap is on screen (atlasTimes.shown, two
    animation frames after drawing it). Polling from here would see it late whenever the page
    is busy drawing the rest (the session's second run) in the same renderer thread."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    server.wait_ready()
    page.goto(server.url)
    frame = wait_for_map(page, timeout_s=60)
    frame.wait_for_function("window.atlasTimes && window.atlasTimes.shown > 0", timeout=60_000)
    shown_ms = frame.evaluate("performance.timeOrigin + window.atlasTimes.shown")
    return page, shown_ms / 1000 - server.started_epoch


def _cold_start(browser, home: Path, *, script: str) -> float:
    """Seconds from starting the server (with this launcher) to the map drawn in a fresh page."""
    home.mkdir(parents=True, exist_ok=True)
    server = AppServer(home, script=script).start()
    try:
        page, seconds = _open_cold(browser, server)
        page.close()
        return seconds
    finally:
        server.stop()


def _cold_start_bare(browser, folder: Path) -> float:
    """Seconds from starting `streamlit run` on a bare page to its title visible in a fresh page."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "bare_page.py"
    script.write_text(BARE_PAGE, encoding="utf-8")
    server = AppServer(folder, script=str(script)).start()
    try:
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.add_init_script(_BARE_PROBE)  # timed in the page too: its text found (20 ms polling)
        server.wait_ready()
        page.goto(server.url)
        _wait_for_bare(page, timeout_s=60)
        page.wait_for_function("window.atlasReadyAt > 0", timeout=60_000)
        seconds = page.evaluate("window.atlasReadyAt") / 1000 - server.started_epoch
        page.close()
        return seconds
    finally:
        server.stop()


def _server_usage(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) and resident memory (MB) of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    return cpu, rss


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def _wait_for_bare(page, timeout_s: float):
    page.get_by_text("Nothing else.").wait_for(timeout=timeout_s * 1000)
    return page.main_frame


def sessions(browser, server: AppServer, count: int, *, timeout_s: float = 240.0, bare: bool = False) -> dict:
    """`count` new browser sessions open the page at once; page-ready times, server CPU and memory.
    `bare`: the server runs BARE_PAGE (Streamlit's own cost of a session: its front end's files)."""
    contexts = [browser.new_context(viewport={"width": 1500, "height": 1000}) for _ in range(count)]
    for context in contexts:
        context.add_init_script(_BARE_PROBE if bare else _READY_PROBE)
    pages = [c.new_page() for c in contexts]
    try:
        time.sleep(1.0)  # the server settles: its idle CPU is not counted
        cpu_before, _ = _server_usage(server.process.pid)
        started = {}
        for i, page in enumerate(pages):
            started[i] = time.time() * 1000
            page.goto(server.url, wait_until="commit")
        ready, deadline = [], time.perf_counter() + timeout_s
        for i, page in enumerate(pages):
            try:
                wait = _wait_for_bare if bare else wait_for_map
                frame = wait(page, timeout_s=max(1.0, deadline - time.perf_counter()))
            except Exception:  # noqa: BLE001 - a page that never got ready counts as a failure
                continue
            ready.append((frame.evaluate("window.atlasReadyAt") - started[i]) / 1000)
        time.sleep(1.5)  # the last reruns finish
        cpu_after, rss = _server_usage(server.process.pid)
    finally:
        for context in contexts:
            context.close()
    name = f"sessions_{count}_bare" if bare else f"sessions_{count}"
    return {
        f"{name}_page_ready_p95_s": round(_percentile(ready, 0.95), 3) if ready else None,
        f"{name}_not_ready": count - len(ready),
        f"{name}_cpu_per_session_s": round((cpu_after - cpu_before) / count, 3),
        f"{name}_server_memory_mb": round(rss, 1),
    }


def measure_sessions(home: Path, counts: tuple[int, ...] = SESSION_COUNTS) -> dict:
    """Several sessions on one server, warmed by a first page (as a hosted server is); then the
    same on a bare Streamlit page: what Streamlit itself costs a session (serving its front end)."""
    from playwright.sync_api import sync_playwright

    figures: dict = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            with AppServer(home) as server:
                warm = browser.new_page()
                warm.goto(server.url)
                wait_for_map(warm, timeout_s=90)
                warm.close()
                for count in counts:
                    figures.update(sessions(browser, server, count))
            folder = home / "bare"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "bare_page.py").write_text(BARE_PAGE, encoding="utf-8")
            with AppServer(folder, script=str(folder / "bare_page.py")) as server:
                warm = browser.new_page()
                warm.goto(server.url)
                _wait_for_bare(warm, 90)
                warm.close()
                for count in counts:
                    figures.update(sessions(browser, server, count, bare=True))
        finally:
            browser.close()
    return figures


def _interactive(browser, server: AppServer, *, clicks: int) -> dict:
    """On a just-started server: cold start, warm reloads, clicks and flights (seconds, bytes)."""
    page, cold = _open_cold(browser, server)
    figures: dict = {"cold_start_to_map_s": cold}
    reloads = []
    for _ in range(WARM_RELOADS):  # a median: one reload can catch the machine busy
        started = time.perf_counter()
        page.reload()
        wait_for_map(page, timeout_s=PAGE_TIMEOUT_S)
        reloads.append(time.perf_counter() - started)
    figures["warm_load_s"] = round(statistics.median(reloads), 3)

    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(
        len(payload) if isinstance(payload, (bytes, str)) else 0)))
    page.reload()  # reload so the websocket listener sees the new connection
    frame = wait_for_map(page, timeout_s=PAGE_TIMEOUT_S)
    wait_for_full_page(page, timeout_s=PAGE_TIMEOUT_S)
    click_times, rerun_bytes = [], []
    previous: tuple[str, ...] = ()
    for _ in range(clicks):
        frame.evaluate("() => { window.atlasMap.closePopup(); }")
        marker = clickable_marker(frame, exclude=previous)
        if marker is None:
            break
        received.clear()
        click_times.append(timed_click(page, frame, marker))
        previous = (marker["id"],)
        time.sleep(0.8)  # let the rerun finish sending
        rerun_bytes.append(sum(received))
    figures["click_to_passage_s"] = round(statistics.median(click_times), 3) if click_times else None
    figures["rerun_bytes"] = int(statistics.median(rerun_bytes)) if rerun_bytes else None

    flights = []
    for label, place_id in (("Lwiw", "geonames:702550"), ("Sotschi", "geonames:491422"),
                            ("Warschau", "geonames:756135")):
        before = frame.evaluate("window.atlasFlights || 0")
        started = time.perf_counter()
        _choose_in_list(page, label)
        frame.wait_for_function(f"window.atlasSelected === {json.dumps(place_id)} && "
                                f"(window.atlasFlights || 0) > {before}", timeout=10_000, polling="raf")
        flights.append(time.perf_counter() - started)
    figures["list_to_flight_s"] = round(statistics.median(flights), 3) if flights else None
    return figures


def _part(figures: dict, name: str, job) -> None:
    """Run one part of the measurement; a part that fails is reported, the others still run."""
    try:
        figures.update(job())
    except Exception as err:  # noqa: BLE001 - a busy machine can time one step out
        figures.setdefault("failed", []).append(f"{name}: {str(err).splitlines()[0] if str(err) else type(err).__name__}")
        print(f"browser bench, {name} not measured: {err}", file=sys.stderr)


def measure(*, clicks: int = 5, home: Path | None = None) -> dict:
    """Start the app, drive it in chromium, return the figures (seconds and bytes; a part that
    could not be measured is missing, and named under "failed")."""
    from playwright.sync_api import sync_playwright

    figures: dict = {}
    with _all_cores(), tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp, sync_playwright() as p:
        browser = launch_chromium(p)  # started first: the cold start is the app's, not the browser's
        try:
            server = AppServer(home or Path(tmp)).start()
            try:
                _part(figures, "page", lambda: _interactive(browser, server, clicks=clicks))
            finally:
                server.stop()

            def cold_starts() -> dict:
                # Interleaved (map, bare, map, bare …): a shared machine's load drifts over a
                # minute, and the ratio should compare starts made under the same load.
                colds, bares = [], []
                for k in range(COLD_STARTS):
                    colds.append(_cold_start(browser, Path(tmp) / f"cold{k}", script="serve"))
                    bares.append(_cold_start_bare(browser, Path(tmp) / f"bare{k}"))
                cold, bare = statistics.median(colds), statistics.median(bares)
                plain = _cold_start(browser, Path(tmp) / "plain", script="app.py")
                return {"cold_start_to_map_s": round(cold, 3), "cold_start_plain_s": round(plain, 3),
                        "cold_start_bare_s": round(bare, 3), "cold_start_ratio": round(cold / bare, 2),
                        "cold_starts_s": [round(c, 2) for c in colds], "cold_starts_bare_s": [round(b, 2) for b in bares]}

            _part(figures, "cold starts", cold_starts)
        finally:
            browser.close()
    # After the first Playwright has stopped: a second one inside it refuses to start.
    with _all_cores(), tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        _part(figures, "sessions", lambda: measure_sessions(Path(tmp) / "sessions"))
    return figures


if __name__ == "__main__":
    if sys.argv[1:] == ["--sessions"]:  # only the many-sessions figures
        with _all_cores(), tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
            print(json.dumps(measure_sessions(Path(tmp)), indent=2))
    else:
        print(json.dumps(measure(), indent=2))
