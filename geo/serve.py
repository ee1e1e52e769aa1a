"""Start the dashboard: `python -m geo.serve [streamlit options]` (what `make run` uses).

Equivalent to `streamlit run asgi.py …` (app.py as an ASGI app, `st.App`, behind `MemoryFiles`),
plus one thing Streamlit cannot do by itself: while the server starts and the browser loads
the page (about a second), a background thread imports the map libraries, loads the gazetteer
and geoparses the sample article, so the first page run finds everything warm. Hosting
platforms that call `streamlit run app.py` directly get the same page, only a slower first
view and about twice the server CPU per new session.

`MemoryFiles`: a new browser session fetches some 150 files before it shows the map:
Streamlit's front end (/static/…, 135 chunks for this page), ./static (/app/static/…: Leaflet,
the offline basemap) and streamlit-folium's front end (/component/…). Streamlit reads each
from disk for every request, through a thread pool, and gzips the last two anew each time:
about 0.2 s of server CPU per session, half of what a session cost. The middleware reads
each file once, on its first request, and answers from memory with the headers Streamlit
sends; it gzips each compressible file once too (Streamlit's front end included, which
Streamlit sends uncompressed rather than compress it per request), in the background after
its first answer, so the first page never waits for it. It serves only files it found by listing those folders (no path is
built from a request); everything else (the page itself, ranges, other methods, a file that
appeared later) goes on to Streamlit unchanged.
"""

from __future__ import annotations

import asyncio
import gc
import gzip
import hashlib
import os
import sys
import threading
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

from geo.config import INDEX_CACHE_DIR, PROJECT_ROOT, STATIC_DIR

__all__ = ["main", "warm_up", "import_folium_without_pandas", "keep_sample_pages", "MemoryFiles"]


def warm_up() -> None:
    """Do, ahead of the first page run, the work every first page run does: import what app.py
    imports, in its order (most of a second of CPU: folium and its plugins, SQLAlchemy, shapely),
    load the gazetteer, geoparse the sample and draw its map and tables once. pandas is left to
    the page run (`import_folium_without_pandas` says why)."""
    # streamlit_folium itself is left to the page (importing it outside a page run breaks its
    # component's registration); folium.plugins, which it imports, is most of its cost.
    import_folium_without_pandas()
    import folium

    from geo import access, articles, corrections, snapshot, store, text, web  # noqa: F401  (the page's)
    from geo.bundle import page_bundle
    from geo.gazetteer import Gazetteer
    from geo.mapping import measurement_layer, selection_layer
    from geo.models import Corrections
    from geo.persist import PAGES_DIR

    store.Store.open("sqlite://").close()  # SQLAlchemy loads its SQLite dialect on first use (~0.1 s)
    gazetteer = Gazetteer.default(cache_dir=INDEX_CACHE_DIR)  # as app.py loads it
    # The sample as a new visitor's page asks for it (its bytes and name, language «auto», no
    # corrections): the first page run finds it computed (geo.bundle keeps it per process).
    source, filename = articles.sample_source()
    bundle = page_bundle(source, filename, "auto", corrections.to_json(Corrections()), gazetteer=gazetteer,
                         keep_sample_in=PAGES_DIR)
    # The page's base map is rendered (or read from PAGES_DIR) by the page itself; its own
    # layers are rendered on every run: compile the templates they use, as a run would.
    data = bundle["map"]
    shown = folium.Map(location=None, tiles=None)
    for layer in (selection_layer(data, None, fly=True, nonce=0), measurement_layer([], data=data, fly=False, nonce=0)):
        layer.add_to(shown)
    shown.get_root().render()


def import_folium_without_pandas() -> None:
    """Import folium and its plugins without their optional pandas: folium takes pandas only to
    accept DataFrames as locations, which the atlas never passes. pandas (with pyarrow, 0.5 s of
    CPU) still loads in the first page run, since Streamlit imports both to check a component's
    list arguments for DataFrames, but by then the warm-up has finished and the page's own
    imports were not kept waiting for it. Measured interleaved, six cold starts each on two
    cores: median 3.91 s to the map with pandas in the warm-up's folium import, 3.66 s so, 3.92 s
    with pandas imported at the warm-up's end instead.
    While folium imports, `import pandas` raises ImportError (sys.modules holds None), as if
    pandas were not installed; nothing the page imports at that time imports pandas (app.py
    imports it where its tables are drawn). A process that has pandas already gets folium as
    usual."""
    if "folium" in sys.modules or "pandas" in sys.modules:
        import folium.plugins  # noqa: F401
        return
    sys.modules["pandas"] = None  # the import system's "not importable" mark
    try:
        import folium.plugins  # noqa: F401
    finally:
        if sys.modules.get("pandas", 0) is None:
            del sys.modules["pandas"]


def keep_sample_pages(environ=os.environ) -> None:
    """Keep the sample's page bundle and base map in build/pages (geo.persist) for the servers
    started later: the container image runs this at build time, since its server cannot write
    /app. Not in a serving process: it imports streamlit_folium outside a page run."""
    from geo import articles, corrections
    from geo.bundle import page_bundle
    from geo.gazetteer import Gazetteer
    from geo.mapping import Assets
    from geo.models import Corrections
    from geo.page_map import PAGE_MAP_KEY, kept_base_map
    from geo.persist import PAGES_DIR

    source, filename = articles.sample_source()
    bundle = page_bundle(source, filename, "auto", corrections.to_json(Corrections()),
                         gazetteer=Gazetteer.default(cache_dir=INDEX_CACHE_DIR), keep_sample_in=PAGES_DIR)
    assets = Assets(environ.get("ARTICLE_ATLAS_ASSETS") or "/app/static")  # as app.py reads it
    kept_base_map(bundle["map"], bundle["map_version"], online=False, assets=assets, key=PAGE_MAP_KEY,
                  keep_in=PAGES_DIR)


def main(argv: list[str] | None = None) -> None:
    # No garbage collection while the server starts and warms up: the imports and the gazetteer
    # make hundreds of thousands of objects that all live as long as the server, and collecting
    # them again and again cost about 0.15 s of a cold start's 1.4 s CPU. The warm-up ends by
    # freezing what exists (out of every later collection) and switching collection back on.
    gc.disable()
    threading.Thread(target=_quietly(_warm_up_when_serving), name="article-atlas-warm-up", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(PROJECT_ROOT / "asgi.py"), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


def _warm_up_when_serving(timeout_s: float = 30.0) -> None:
    """Wait until the server is ready (not to slow its start), then warm up while pages load."""
    import time

    from streamlit import config

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(0.02)
        try:
            port = config.get_option("server.port")
            address = config.get_option("server.address") or "127.0.0.1"
        except Exception:  # noqa: BLE001 - config not loaded yet
            continue
        if _answers(address, port):
            break
    try:
        warm_up()
    finally:
        gc.freeze()
        gc.enable()


def _answers(address: str, port: int) -> bool:
    """Whether the server says it is ready (its health check, once Streamlit's runtime has
    started), not merely that its port is open: warming up from the open port on held the GIL
    while the server was still starting, and its first answer came ~0.8 s later (2.0-2.4 s
    instead of 1.1-1.4 s on a loaded two-core machine) for a first page that waited as long."""
    import http.client
    import socket

    from streamlit import config

    host = address if address not in ("", "0.0.0.0", "::") else "127.0.0.1"
    if config.get_option("server.sslCertFile"):  # HTTPS: an open port is what can be checked cheaply
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return True
        except OSError:
            return False
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    connection = http.client.HTTPConnection(host, port, timeout=0.5)
    try:
        connection.request("GET", f"/{base}/_stcore/health" if base else "/_stcore/health")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def _quietly(function):
    def run() -> None:
        try:
            function()
        except Exception:  # noqa: BLE001 - warming is an optimisation; the page reports real errors
            pass

    return run


# --------------------------------------------------------------------------- static files

_IMMUTABLE = b"public, immutable, max-age=31536000"  # Streamlit's header for its hashed bundles
_COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/geo+json",
                     "image/svg+xml")
_MIN_COMPRESSED = 1000  # bytes; Streamlit's GZIP_MINIMUM_SIZE
_LEFT_TO_STREAMLIT = ("index.html", "manifest.json")  # the page and its manifest: no-cache, Streamlit's own


@dataclass(frozen=True)
class _Source:
    """A file on disk that a URL path names, and the headers its folder's route sends."""

    path: Path
    headers: tuple[tuple[bytes, bytes], ...]
    cors: bool = False  # a component's file: Access-Control-Allow-Origin as Streamlit decides


@dataclass(frozen=True)
class _Loaded:
    body: bytes
    compressible: bool
    etag: bytes
    headers: list[tuple[bytes, bytes]]
    cors: bool


def _load(source: _Source) -> _Loaded:
    import mimetypes  # Streamlit's table: it registers application/javascript for .js at start

    body = source.path.read_bytes()
    kind = mimetypes.guess_type(source.path.name)[0] or "application/octet-stream"
    if kind.startswith("text/"):
        kind += "; charset=utf-8"
    compressible = len(body) >= _MIN_COMPRESSED and kind.startswith(_COMPRESSED_TYPES)
    etag = b'"%s"' % hashlib.blake2b(body, digest_size=16).hexdigest().encode()
    headers = [(b"content-type", kind.encode()), (b"etag", etag),
               (b"last-modified", formatdate(source.path.stat().st_mtime, usegmt=True).encode()),
               *source.headers]
    if compressible:
        headers.append((b"vary", b"Accept-Encoding"))
    return _Loaded(body, compressible, etag, headers, source.cors)


def _listing(folder: Path, prefix: str, headers: tuple, skip: tuple[str, ...] = ()) -> dict[str, _Source]:
    """URL path → file, for every file under `folder`."""
    found = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            relative = path.relative_to(folder).as_posix()
            if relative not in skip:
                found[prefix + relative] = _Source(path, headers)
    return found


class MemoryFiles:
    """ASGI middleware (`st.App(middleware=[Middleware(MemoryFiles)])`): Streamlit's front end,
    ./static and the components' files, answered from memory (see the module docstring)."""

    def __init__(self, app, *, static_dir: Path = STATIC_DIR) -> None:
        from streamlit import config, file_util

        self.app = app
        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        self._base = f"/{base}" if base else ""
        self._sources = _listing(Path(file_util.get_static_dir()), f"{self._base}/", ((b"cache-control", _IMMUTABLE),),
                                 skip=_LEFT_TO_STREAMLIT)
        if config.get_option("server.enableStaticServing"):
            self._sources.update(_listing(static_dir, f"{self._base}/app/static/",
                                          ((b"access-control-allow-origin", b"*"),
                                           (b"x-content-type-options", b"nosniff"))))
        self._components: set[str] = set()  # component names whose folder has been listed
        self._loaded: dict[str, _Loaded] = {}
        self._gzipped: dict[str, bytes] = {}  # filled in the background after a file's first answer

    def _component_files(self, path: str) -> None:
        """List a component's folder the first time one of its files is asked for (a component
        is registered by the first page run that uses it)."""
        name = path[len(self._base) + len("/component/"):].partition("/")[0]
        if not name or name in self._components:
            return
        from streamlit.runtime import Runtime

        try:
            root = Runtime.instance().component_registry.get_component_path(name)
        except Exception:  # noqa: BLE001 - no runtime yet: Streamlit answers
            return
        if root is None:
            return
        self._components.add(name)
        for url, source in _listing(Path(root), f"{self._base}/component/{name}/", ((b"cache-control", b"public"),),
                                    skip=("index.html",)).items():
            self._sources.setdefault(url, _Source(source.path, source.headers, cors=True))

    def _compress(self, path: str, body: bytes) -> None:
        self._gzipped[path] = gzip.compress(body, compresslevel=6, mtime=0)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        loaded = self._loaded.get(path)
        first = loaded is None
        if first:
            if path not in self._sources and path.startswith(f"{self._base}/component/"):
                self._component_files(path)
            source = self._sources.get(path)
            if source is None:
                await self.app(scope, receive, send)
                return
            import anyio

            try:
                loaded = self._loaded[path] = await anyio.to_thread.run_sync(_load, source)
            except OSError:  # gone since it was listed: Streamlit answers (404)
                await self.app(scope, receive, send)
                return
            if loaded.compressible:  # not while the first page waits: it gets the file as it is
                asyncio.get_running_loop().run_in_executor(None, self._compress, path, loaded.body)
        request = dict(scope["headers"])
        if b"range" in request:
            await self.app(scope, receive, send)
            return
        headers = list(loaded.headers)
        if loaded.cors:
            headers.extend(_cors(request.get(b"origin")))
        if request.get(b"if-none-match") == loaded.etag:
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        body = loaded.body
        gzipped = None if first else self._gzipped.get(path)
        if gzipped is not None and b"gzip" in request.get(b"accept-encoding", b""):
            body = gzipped
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def _cors(origin: bytes | None) -> list[tuple[bytes, bytes]]:
    """A component file's Access-Control-Allow-Origin, as Streamlit's component route sets it."""
    from streamlit.web.server.server_util import allow_all_cross_origin_requests, is_allowed_origin

    if allow_all_cross_origin_requests():
        return [(b"access-control-allow-origin", b"*")]
    if origin and is_allowed_origin(origin.decode("latin-1")):
        return [(b"access-control-allow-origin", origin)]
    return []


if __name__ == "__main__":
    main()
