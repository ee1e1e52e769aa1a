"""PNG and PDF: a self-contained HTML page rendered by the system Chromium through Playwright.

    png = png_bytes(standalone_html(data))
    pdf = pdf_bytes(sheet_html)            # print-to-PDF: selectable text

Uses Debian's `chromium` (never a browser Playwright downloads). The page is loaded from a
temporary file and every request that would leave it (http, https, ws) is refused, so a
snapshot is offline by construction.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import os
import shutil
import tempfile
from pathlib import Path

from geo.errors import AtlasError

__all__ = ["CHROMIUM_ARGS", "SnapshotUnavailable", "SnapshotFailed", "Renderer", "find_chromium", "png_bytes",
           "pdf_bytes"]

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


_READY = ("window.atlasReady === true && window.atlasBasemapReady >= 1 && !window.atlasMap._animatingZoom "
          "&& (window.atlasLabeller === null || window.atlasLabelsReady >= 1)")


def png_bytes(html: str, *, width: int = 1280, height: int = 800, scale: float = 1.0, chromium: str | None = None,
              timeout_s: float = 20.0) -> bytes:
    """Screenshot of a self-contained HTML map page once its map says it is ready (window.atlasReady).

    `scale`: device pixels per CSS pixel (2 for print): the image is width·scale × height·scale.
    """
    return _in_worker(lambda: _one_shot(chromium, timeout_s, lambda r: r.png(html, width=width, height=height,
                                                                             scale=scale)))


def pdf_bytes(html: str, *, chromium: str | None = None, timeout_s: float = 30.0) -> bytes:
    """Chromium's print-to-PDF of a self-contained HTML page (its @page rule sets the paper)."""
    return _in_worker(lambda: _one_shot(chromium, timeout_s, lambda r: r.pdf(html)))


def _in_worker(job):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return job()
    # Playwright's sync API refuses to run inside an event loop (a notebook, another
    # Playwright session): render in a worker thread instead.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(job).result()


def _one_shot(chromium: str | None, timeout_s: float, job):
    with Renderer(chromium=chromium, timeout_s=timeout_s) as renderer:
        return job(renderer)


class Renderer:
    """One Chromium kept open for several renders (the CLI writing PNG and PDF, the bench).

        with Renderer() as r:
            png = r.png(html, width=1920, height=1080)
            pdf = r.pdf(sheet)

    Every page is loaded from a temporary file; a request that would leave it is refused.
    Not thread-safe (Playwright's sync API): use it from the thread that opened it.
    """

    def __init__(self, *, chromium: str | None = None, timeout_s: float = 60.0) -> None:
        self.executable = find_chromium(chromium)
        self.timeout_s = timeout_s
        self._playwright = None
        self._browser = None
        self._folder: tempfile.TemporaryDirectory | None = None
        self._pages: dict[float, object] = {}  # pixel density → a page to reuse
        self._count = 0
        # what the last map rendered showed (window.atlasView(): bounds, zoom, layers), or None
        self.last_view: dict | None = None

    def __enter__(self) -> Renderer:
        if self.executable is None:
            raise SnapshotUnavailable(
                "The PNG and PDF exports need Chromium, which is not installed here "
                "(Debian: `apt-get install chromium`). The HTML export works without it."
            )
        try:
            from playwright.sync_api import Error as PlaywrightError
            from playwright.sync_api import sync_playwright
        except ImportError as err:  # pragma: no cover - playwright is in requirements.txt
            raise SnapshotUnavailable("The PNG export needs the Python package playwright (requirements.txt).") from err
        self._error = PlaywrightError
        self._folder = tempfile.TemporaryDirectory(prefix="atlas-snapshot-")
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=self.executable, args=CHROMIUM_ARGS)
        except PlaywrightError as err:
            self.close()
            message = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise SnapshotUnavailable(f"Chromium at {self.executable} could not start: {message}") from err
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _release(self, page, scale: float) -> None:
        """Keep a page for the next render of that density (one each), close any other."""
        if page.is_closed():
            return
        if float(scale) in self._pages:
            page.close()
        else:
            self._pages[float(scale)] = page

    def close(self) -> None:
        self._pages.clear()
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def _open(self, html: str, *, width: int, height: int, scale: float, wait_map: bool):
        """A page showing `html`: a warm page of the same pixel density is reused (a new one costs
        more than the render), else a new one is opened."""
        self._count += 1
        page_file = Path(self._folder.name) / f"page-{self._count}.html"
        page_file.write_text(html, encoding="utf-8")
        page = self._pages.pop(float(scale), None)
        if page is None or page.is_closed():
            page = self._browser.new_page(viewport={"width": int(width), "height": int(height)},
                                          device_scale_factor=float(scale))
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(("file:", "data:", "blob:")) else route.abort())
        else:
            page.set_viewport_size({"width": int(width), "height": int(height)})
        page.goto(page_file.as_uri(), wait_until="load", timeout=self.timeout_s * 1000)
        page_file.unlink()
        if wait_map:
            page.wait_for_function(_READY, timeout=self.timeout_s * 1000)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            self.last_view = page.evaluate("() => window.atlasView ? window.atlasView() : null")
        return page

    def png(self, html: str, *, width: int = 1280, height: int = 800, scale: float = 1.0) -> bytes:
        """Screenshot of a map page (it must set window.atlasReady) at width × height CSS pixels."""
        if self._browser is None:
            raise SnapshotFailed("the renderer is closed; use it inside `with Renderer() as r:`")
        try:
            page = self._open(html, width=width, height=height, scale=scale, wait_map=True)
            try:
                return self._capture(page, width=width, height=height, scale=scale)
            finally:
                self._release(page, scale)
        except self._error as err:
            raise SnapshotFailed(f"The map did not render for the PNG export: {_first_line(err)}") from err

    @staticmethod
    def _capture(page, *, width: int, height: int, scale: float) -> bytes:
        """The viewport as PNG, in device pixels: what page.screenshot() gives, pixel for pixel,
        encoded with Chromium's faster PNG settings (optimizeForSpeed: ~0.2 s less at 1920×1080,
        a somewhat larger file). Its own DevTools session carries the page's metrics, which
        Chromium keeps per session."""
        session = page.context.new_cdp_session(page)
        try:
            session.send("Emulation.setDeviceMetricsOverride", {"width": int(width), "height": int(height),
                                                                "deviceScaleFactor": float(scale), "mobile": False})
            shot = session.send("Page.captureScreenshot", {
                "format": "png", "optimizeForSpeed": True, "captureBeyondViewport": False,
                "clip": {"x": 0, "y": 0, "width": int(width), "height": int(height), "scale": 1}})
        finally:
            session.detach()
        return base64.b64decode(shot["data"])

    def map_pdf(self, html: str, *, width: int, height: int) -> bytes:
        """A map page printed as one PDF page of exactly width × height CSS pixels (vector where
        the page draws vectors: places, labels, text; the basemap canvas stays an image)."""
        if self._browser is None:
            raise SnapshotFailed("the renderer is closed; use it inside `with Renderer() as r:`")
        try:
            page = self._open(html, width=width, height=height, scale=1.0, wait_map=True)
            try:
                return page.pdf(width=f"{int(width)}px", height=f"{int(height)}px", print_background=True,
                                margin={"top": "0", "right": "0", "bottom": "0", "left": "0"}, page_ranges="1")
            finally:
                self._release(page, 1.0)
        except self._error as err:
            raise SnapshotFailed(f"The map did not render for the SVG export: {_first_line(err)}") from err

    def pdf(self, html: str) -> bytes:
        """Print a page to PDF (paper size and margins from its CSS @page rule; text stays text)."""
        if self._browser is None:
            raise SnapshotFailed("the renderer is closed; use it inside `with Renderer() as r:`")
        try:
            page = self._open(html, width=1123, height=794, scale=1.0, wait_map=False)
            try:
                page.evaluate("() => document.fonts.ready.then(() => true)")
                return page.pdf(prefer_css_page_size=True, print_background=True)
            finally:
                self._release(page, 1.0)
        except self._error as err:
            raise SnapshotFailed(f"The briefing sheet did not print: {_first_line(err)}") from err


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0] if str(err) else type(err).__name__
