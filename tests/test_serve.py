"""geo.serve.MemoryFiles: the files a new session fetches, answered from memory with the bytes
and headers Streamlit would send; everything else passes through to Streamlit.

Driven as an ASGI app with hand-made requests (no server): what reaches the wrapped app is
what Streamlit would have answered. The browser tests (tests/test_browser.py) run the whole
page through it.
"""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import pytest
from streamlit import config

from geo.serve import MemoryFiles

LEAFLET = "/app/static/vendor/leaflet/leaflet.js"


class Downstream:
    """The wrapped app (Streamlit): records what it was asked, answers 418."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 418, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def ask(app, path: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "query_string": b"",
             "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture()
def served(tmp_path):
    (tmp_path / "vendor" / "leaflet").mkdir(parents=True)
    (tmp_path / "vendor" / "leaflet" / "leaflet.js").write_text("var L = {};\n" * 200, encoding="utf-8")
    (tmp_path / "tiny.css").write_text("a{}", encoding="utf-8")
    config.set_option("server.enableStaticServing", True)
    downstream = Downstream()
    return MemoryFiles(downstream, static_dir=tmp_path), downstream, tmp_path


def test_a_static_file_is_answered_from_memory_and_gzipped_after_its_first_answer(served):
    app, downstream, folder = served
    raw = (folder / "vendor" / "leaflet" / "leaflet.js").read_bytes()
    status, headers, body = ask(app, LEAFLET, headers={"Accept-Encoding": "gzip"})
    assert (status, body, downstream.paths) == (200, raw, [])  # the first page does not wait for gzip
    assert headers["content-length"] == str(len(raw)) and "content-encoding" not in headers
    assert headers["access-control-allow-origin"] == "*" and headers["x-content-type-options"] == "nosniff"
    assert headers["vary"] == "Accept-Encoding"
    status, headers, body = ask(app, LEAFLET, headers={"Accept-Encoding": "gzip, br"})
    assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body) == raw
    assert ask(app, LEAFLET, headers={"Accept-Encoding": "identity"})[2] == raw
    for _ in range(2):
        status, headers, body = ask(app, "/app/static/tiny.css", headers={"Accept-Encoding": "gzip"})
        assert (status, body) == (200, b"a{}") and "vary" not in headers  # too small to compress


def test_a_file_read_once_is_not_read_again(served):
    app, _, folder = served
    first = ask(app, LEAFLET)[2]
    (folder / "vendor" / "leaflet" / "leaflet.js").write_text("changed", encoding="utf-8")
    assert ask(app, LEAFLET)[2] == first


def test_a_revalidation_gets_304_and_head_no_body(served):
    app, _, _ = served
    _, headers, _ = ask(app, LEAFLET)
    assert ask(app, LEAFLET, headers={"If-None-Match": headers["etag"]})[0] == 304
    status, headers, body = ask(app, LEAFLET, method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


@pytest.mark.parametrize("path", ["/app/static/missing.js", "/app/static/../app.py", "/app/static//etc/passwd",
                                  "/app/static/vendor/leaflet", "/", "/index.html", "/manifest.json",
                                  "/_stcore/health", "/component/nothing.registered/main.js"])
def test_what_was_not_listed_goes_to_streamlit(served, path):
    app, downstream, _ = served
    assert ask(app, path)[0] == 418 and downstream.paths == [path]


def test_ranges_and_other_methods_go_to_streamlit(served):
    app, downstream, _ = served
    assert ask(app, LEAFLET, headers={"Range": "bytes=0-9"})[0] == 418
    assert ask(app, LEAFLET, method="POST")[0] == 418
    assert downstream.paths == [LEAFLET, LEAFLET]


def test_streamlits_front_end_is_served_with_its_immutable_header(served):
    from streamlit import file_util

    app, downstream, _ = served
    status, headers, body = ask(app, "/favicon.png")
    assert status == 200 and downstream.paths == []
    assert body == (Path(file_util.get_static_dir()) / "favicon.png").read_bytes()
    assert headers["cache-control"] == "public, immutable, max-age=31536000" and headers["content-type"] == "image/png"


def test_static_serving_switched_off_serves_none_of_static(tmp_path):
    (tmp_path / "a.js").write_text("x" * 2000, encoding="utf-8")
    config.set_option("server.enableStaticServing", False)
    try:
        downstream = Downstream()
        assert ask(MemoryFiles(downstream, static_dir=tmp_path), "/app/static/a.js")[0] == 418
    finally:
        config.set_option("server.enableStaticServing", True)


def test_folium_is_imported_without_pandas_and_pandas_stays_importable():
    # in a fresh process, as the server's warm-up does it: folium and its plugins without pandas,
    # which the page imports later as usual
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from geo.serve import import_folium_without_pandas\n"
        "import_folium_without_pandas()\n"
        "import folium, folium.utilities\n"
        "assert 'folium.plugins' in sys.modules and 'pandas' not in sys.modules, sorted(sys.modules)\n"
        "assert folium.utilities.pd is None\n"
        "import pandas\n"
        "assert pandas.DataFrame({'a': [1]}).shape == (1, 1)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[1],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_warm_up_switches_garbage_collection_back_on_even_when_it_fails(monkeypatch):
    # geo.serve.main starts the server with collection off; the warm-up's end (done or failed)
    # freezes what exists and switches it back on, or the server would never collect again
    import gc

    from geo import serve

    def failing_warm_up():
        raise RuntimeError("no gazetteer")

    monkeypatch.setattr(serve, "warm_up", failing_warm_up)
    monkeypatch.setattr(serve, "_answers", lambda address, port: True)
    frozen_before = gc.get_freeze_count()
    gc.disable()
    try:
        with pytest.raises(RuntimeError):
            serve._warm_up_when_serving(timeout_s=1.0)
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen_before
    finally:
        gc.unfreeze()
        gc.enable()
