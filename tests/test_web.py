"""Articles by web address, against a local test server (no network): the SSRF guards, redirects,
limits, extraction and the offline message."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

import geo.web
from geo.errors import AddressRefused, FetchError, FetchUnavailable
from geo.web import FetchLimits, check_address, fetch_article

# The test server listens on a loopback address of its own; only it is allowed, so 127.0.0.1
# stays a refused target like any other loopback address.
HOST = "127.0.0.5"
ALLOW = (f"{HOST}/32",)
ARTICLE = """<html><head><title>Gipfel in Genf</title><script>var tracking = 1;</script></head><body>
<nav><a href="/">Startseite</a> <a href="/sport">Sport</a> <a href="/wetter">Wetter</a></nav>
<article><h1>Gipfel in Genf</h1>
<p>Die Aussenminister trafen sich am Montag in Genève, um über die Lage an der Grenze zwischen
Belarus und der Ukraine zu sprechen. Die Delegationen waren am Vorabend aus Minsk und Kiew angereist.</p>
<p>Am Dienstag reisten die Gespräche weiter nach Zürich, wo die Verhandlungen bis in die Nacht dauerten.
Ein Abschluss wird frühestens im Januar erwartet, hiess es aus dem Umfeld der Gespräche.</p>
</article><footer>Impressum · Datenschutz · Kontakt</footer></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        _Handler.hits.append(self.path)
        route = urlsplit(self.path)
        query = parse_qs(route.query)
        if route.path == "/article":
            self._send(200, "text/html; charset=utf-8", ARTICLE.encode("utf-8"))
        elif route.path == "/plain":
            self._send(200, "text/plain; charset=latin-1", "Sie trafen sich in Genève und Minsk.".encode("latin-1"))
        elif route.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", query["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif route.path == "/loop":
            self.send_response(301)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif route.path == "/big":
            self._send(200, "text/html", b"<p>" + b"Minsk " * 50_000 + b"</p>", length=False)
        elif route.path == "/slow":
            time.sleep(2)
            self._send(200, "text/html", ARTICLE.encode("utf-8"))
        elif route.path == "/pdf":
            self._send(200, "application/pdf", b"%PDF-1.7")
        else:
            self._send(404, "text/plain", b"not here")

    def _send(self, status: int, content_type: str, body: bytes, *, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer((HOST, 0), _Handler)
    httpd.daemon_threads = True
    httpd.handle_error = lambda request, address: None  # the slow page's reader hangs up: expected
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://{HOST}:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch):
    """A second guard for the test itself: no socket to anything but loopback is ever opened,
    whatever the code under test decides (the workplace watches for such traffic)."""
    opened: list[str] = []
    real = geo.web._connect

    def guarded(address, port, timeout):
        opened.append(str(address))
        assert address.is_loopback, f"the fetcher tried to connect to {address}"
        return real(address, port, timeout)

    monkeypatch.setattr(geo.web, "_connect", guarded)
    _Handler.hits.clear()
    return opened


def test_an_article_page_gives_its_text_without_menus(server):
    data, filename = fetch_article(f"{server}/article", allow=ALLOW)
    text = data.decode("utf-8")
    assert text.startswith("Gipfel in Genf") and "in Genève, um über die Lage" in text and "Zürich" in text
    assert "Startseite" not in text and "tracking" not in text and "Impressum" not in text
    assert filename == "127.0.0.5-article.txt"


def test_the_fetched_article_is_geoparsed(server, gazetteer):
    from geo.pipeline import geoparse

    data, filename = fetch_article(f"{server}/article", allow=ALLOW)
    names = {p.name for p in geoparse(data, filename=filename, gazetteer=gazetteer).places}
    assert {"Minsk", "Kyiv", "Belarus", "Ukraine"} <= names, names


def test_plain_text_keeps_its_charset(server):
    data, _ = fetch_article(f"{server}/plain", allow=ALLOW)
    assert data.decode("utf-8") == "Sie trafen sich in Genève und Minsk."


@pytest.mark.parametrize("target", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "192.168.1.1", "0.0.0.0", "::1",
                                    "fe80::1", "::ffff:127.0.0.1", "100.64.0.1", "224.0.0.1"])
def test_non_public_addresses_are_refused(target):
    with pytest.raises(AddressRefused, match="public"):
        check_address(target)


@pytest.mark.parametrize("target", ["http://127.0.0.1/", "http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::1]:8501/", "http://localhost/", "https://10.0.0.1/"])
def test_refused_before_connecting(target, only_loopback):
    with pytest.raises(AddressRefused):
        fetch_article(target)
    assert only_loopback == [], "no connection was opened"


def test_the_test_server_itself_is_refused_without_the_allow_list(server, only_loopback):
    with pytest.raises(AddressRefused, match="loopback"):
        fetch_article(f"{server}/article")
    assert only_loopback == [] and _Handler.hits == []


@pytest.mark.parametrize("target", ["http://127.0.0.1/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                                    "http://localhost:9/", "file:///etc/passwd", "ftp://example.org/x",
                                    "gopher://127.0.0.1:6379/_INFO"])
def test_a_redirect_to_a_refused_target_is_refused(server, target, only_loopback):
    with pytest.raises(AddressRefused):
        fetch_article(f"{server}/redirect?to={target}", allow=ALLOW)
    assert _Handler.hits == [f"/redirect?to={target}"], "the redirect was not followed"
    assert set(only_loopback) == {HOST}


def test_a_redirect_to_an_allowed_page_is_followed(server):
    data, filename = fetch_article(f"{server}/redirect?to=/article", allow=ALLOW)
    assert "Genève" in data.decode("utf-8") and filename.endswith("article.txt")


def test_a_name_that_resolves_to_a_private_address_is_refused():
    def rebinding(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "10.0.0.1"]  # one public answer does not excuse a private one

    with pytest.raises(AddressRefused, match="private"):
        fetch_article("http://news.example/", resolve=rebinding)


def test_limits(server):
    with pytest.raises(FetchError, match="More than 5 redirects"):
        fetch_article(f"{server}/loop", allow=ALLOW)
    with pytest.raises(FetchError, match="larger than"):
        fetch_article(f"{server}/big", allow=ALLOW, limits=FetchLimits(max_bytes=100_000))
    started = time.monotonic()
    with pytest.raises(FetchUnavailable, match="did not answer"):
        fetch_article(f"{server}/slow", allow=ALLOW, limits=FetchLimits(timeout_s=0.5))
    assert time.monotonic() - started < 1.9
    with pytest.raises(FetchError, match="not a web page"):
        fetch_article(f"{server}/pdf", allow=ALLOW)
    with pytest.raises(FetchError, match="404"):
        fetch_article(f"{server}/missing", allow=ALLOW)


def test_offline_gets_a_clear_message():
    def offline(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    with pytest.raises(FetchUnavailable, match="offline") as caught:
        fetch_article("https://www.example.org/news/1", resolve=offline)
    assert "Paste the article's text instead" in str(caught.value)
