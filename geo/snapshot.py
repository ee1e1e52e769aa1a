"""PNG of a map: the standalone HTML export rendered by the system Chromium through Playwright.

    png = png_bytes(standalone_html(data))

Uses Debian's `chromium` (never a browser Playwright downloads). The page is loaded from a
temporary file and every request that would leave it (http, https, ws) is refused, so a
snapshot is offline by construction.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import tempfile
from pathlib import Path

from geo.errors import AtlasError

__all__ = ["CHROMIUM_ARGS", "SnapshotUnavailable", "SnapshotFailed", "find_chromium", "png_bytes"]

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


class SnapshotUnavailable(AtlasError, RuntimeError):
    """No Chromium (or no Playwright) here: the PNG export cannot run; the HTML export still can."""


class SnapshotFailed(AtlasError, RuntimeError):
    """Chromium ran but the map did not render in time."""


def find_chromium(explicit: str | None = None) -> str | None:
    """Path of a usable Chromium: the explicit one, else Debian's, else one on PATH."""
    for candidate in ([explicit] if explicit else []) + list(_CANDIDATES):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def png_bytes(html: str, *, width: int = 1280, height: int = 800, chromium: str | None = None,
              timeout_s: float = 20.0) -> bytes:
    """Screenshot of a self-contained HTML page once its map says it is ready (window.atlasReady)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _png_bytes(html, width, height, chromium, timeout_s)
    # Playwright's sync API refuses to run inside an event loop (a notebook, another
    # Playwright session): render in a worker thread instead.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_png_bytes, html, width, height, chromium, timeout_s).result()


def _png_bytes(html: str, width: int, height: int, chromium: str | None, timeout_s: float) -> bytes:
    executable = find_chromium(chromium)
    if executable is None:
        raise SnapshotUnavailable(
            "The PNG export needs Chromium, which is not installed here "
            "(Debian: `apt-get install chromium`). The HTML export works without it."
        )
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as err:  # pragma: no cover - playwright is in requirements.txt
        raise SnapshotUnavailable("The PNG export needs the Python package playwright (requirements.txt).") from err
    with tempfile.TemporaryDirectory(prefix="atlas-snapshot-") as folder:
        page_file = Path(folder) / "map.html"
        page_file.write_text(html, encoding="utf-8")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.route("**/*", lambda route: route.continue_()
                               if route.request.url.startswith(("file:", "data:", "blob:")) else route.abort())
                    page.goto(page_file.as_uri(), wait_until="load", timeout=timeout_s * 1000)
                    page.wait_for_function("window.atlasReady === true && window.atlasBasemapReady >= 1 && "
                                           "!window.atlasMap._animatingZoom", timeout=timeout_s * 1000)
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    return page.screenshot(type="png", full_page=False)
                finally:
                    browser.close()
        except PlaywrightError as err:
            message = str(err).splitlines()[0] if str(err) else type(err).__name__
            if "Executable doesn't exist" in message or "spawn" in message:
                raise SnapshotUnavailable(f"Chromium at {executable} could not start: {message}") from err
            raise SnapshotFailed(f"The map did not render for the PNG export: {message}") from err
