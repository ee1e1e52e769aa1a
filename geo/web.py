"""Articles by web address (online, optional): fetch one page safely and extract its text.

    data, filename = fetch_article("https://www.example.org/news/1")   # UTF-8 text, "….txt"
    result = geoparse(data, filename=filename)

A hosted dashboard fetches on behalf of whoever pastes the address, so the fetcher must not
become a way into the server's own network (SSRF). Only http and https; the host name is
resolved and every address it resolves to must be public (no loopback, private, link-local,
multicast, reserved or unspecified address) before a connection is made, and the connection
goes to the address that was checked, so a second DNS answer cannot swap it; every redirect is
checked the same way. Size, time and redirect limits bound the work. The page's text comes
from trafilatura (boilerplate, menus and comments dropped). Nothing here runs unless a person
asks for an address: the app stays offline by default.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from geo.config import MAX_ARTICLE_BYTES, USER_AGENT
from geo.errors import AddressRefused, FetchError, FetchUnavailable
from geo.text import decode_bytes

__all__ = ["FetchLimits", "fetch_article", "fetch_page", "page_text", "check_address"]

_SCHEMES = {"http": 80, "https": 443}
_REDIRECTS = {301, 302, 303, 307, 308}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain", "text/markdown")
_PASTE_INSTEAD = "Paste the article's text instead."

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class FetchLimits:
    """Bounds of one fetch: a news page's HTML is a few hundred kB; its text must fit the article limit."""

    max_bytes: int = 5 * MAX_ARTICLE_BYTES
    timeout_s: float = 15.0  # the whole fetch, redirects included
    max_redirects: int = 5


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def check_address(address: str, *, allow: Iterable[str] = ()) -> Address:
    """The address if a fetch may connect to it; AddressRefused for any non-public one.

    `allow` lists networks exempt from the check ("127.0.0.5/32"): for tests against a local
    server, never set by the page."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in ipaddress.ip_network(net, strict=False) for net in allow):
        return ip
    if ip.is_loopback:
        kind = "a loopback address (this server itself)"
    elif ip.is_link_local:
        kind = "a link-local address (e.g. a cloud metadata service)"
    elif ip.is_private:
        kind = "a private network address"
    elif ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        kind = "not a public internet address"
    else:
        return ip
    raise AddressRefused(f"{ip} is {kind}; Article Atlas fetches articles from public web sites only.")


def _target(url: str, *, allow: Iterable[str], resolve: Resolver) -> tuple[str, str, int, Address, str]:
    """scheme, host, port, checked address and request path of a URL, or AddressRefused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as err:
        raise AddressRefused(f"That is not a web address ({err}). Give one like https://www.example.org/news/1.")
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise AddressRefused("Only http:// and https:// addresses can be fetched"
                             + (f", not {scheme}:." if scheme else ". Give one like https://www.example.org/news/1."))
    host = parts.hostname
    if not host:
        raise AddressRefused("The address has no host name. Give one like https://www.example.org/news/1.")
    if parts.username or parts.password:
        raise AddressRefused("Addresses with a user name or password are not fetched.")
    port = port or _SCHEMES[scheme]
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = resolve(host, port)
        except (socket.gaierror, UnicodeError, OSError) as err:
            raise FetchUnavailable(f"Cannot look up {host}: this server seems to be offline, or the name does not "
                                   f"exist. {_PASTE_INSTEAD}") from err
        if not addresses:
            raise FetchUnavailable(f"{host} has no address. {_PASTE_INSTEAD}")
    checked = [check_address(a, allow=allow) for a in addresses]  # every one: no choosing the good one
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port, checked[0], path


def _connect(address: Address, port: int, timeout: float) -> socket.socket:
    """The one place a socket is opened: to an address check_address has passed."""
    return socket.create_connection((str(address), port), timeout=timeout)


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to a checked address, with the Host header of the name."""

    def __init__(self, host: str, port: int, address: Address, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = _connect(self._address, self.port, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address; the certificate is checked for the name."""

    def __init__(self, host: str, port: int, address: Address, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = _connect(self._address, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch_page(url: str, *, limits: FetchLimits = FetchLimits(), allow: Iterable[str] = (),
               resolve: Resolver = _system_resolver) -> tuple[bytes, str, str]:
    """The body, content type and final URL of a page, following checked redirects."""
    allow = tuple(allow)
    deadline = time.monotonic() + limits.timeout_s
    for _ in range(limits.max_redirects + 1):
        scheme, host, port, address, path = _target(url, allow=allow, resolve=resolve)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchUnavailable(f"{host} did not answer within {limits.timeout_s:.0f} s. {_PASTE_INSTEAD}")
        connection = (_PinnedHTTPS if scheme == "https" else _PinnedHTTP)(host, port, address, remaining)
        try:
            connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                                                     "Accept": "text/html,application/xhtml+xml,text/plain;q=0.8"})
            response = connection.getresponse()
            if response.status in _REDIRECTS and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise FetchError(f"{host} answered {response.status} {response.reason}. Check the address.")
            body = _read(response, limits, deadline, host)
            content_type = (response.getheader("Content-Type") or "text/html").lower()
            return body, content_type, url
        except (socket.timeout, TimeoutError) as err:
            raise FetchUnavailable(f"{host} did not answer within {limits.timeout_s:.0f} s. {_PASTE_INSTEAD}") from err
        except ssl.SSLError as err:
            raise FetchUnavailable(f"The secure connection to {host} failed ({err.reason or err}).") from err
        except (OSError, http.client.HTTPException) as err:
            raise FetchUnavailable(f"Cannot reach {host} ({type(err).__name__}): this server may be offline. "
                                   f"{_PASTE_INSTEAD}") from err
        finally:
            connection.close()
    raise FetchError(f"More than {limits.max_redirects} redirects; the address does not lead to a page.")


def _read(response: http.client.HTTPResponse, limits: FetchLimits, deadline: float, host: str) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(f"The page at {host} has {int(declared) / 1e6:.1f} MB; at most "
                         f"{limits.max_bytes / 1e6:.0f} MB are fetched.")
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(f"The page at {host} is larger than {limits.max_bytes / 1e6:.0f} MB; not fetched.")
        chunks.append(chunk)


def page_text(body: bytes, content_type: str, url: str = "") -> str:
    """The article's text: a title line, then its paragraphs (trafilatura); plain text as it is."""
    if content_type.startswith(_TEXT_TYPES):
        return decode_bytes(body)[0]
    if not content_type.startswith(_HTML_TYPES):
        raise FetchError(f"The address gives {content_type.split(';')[0]}, not a web page. {_PASTE_INSTEAD}")
    import trafilatura

    text = trafilatura.extract(body, url=url or None, include_comments=False, include_tables=False,
                               favor_precision=True, deduplicate=True)
    if not text or not text.strip():
        raise FetchError(f"No article text was found on that page. {_PASTE_INSTEAD}")
    metadata = trafilatura.extract_metadata(body)
    title = (metadata.title or "").strip() if metadata else ""
    return f"{title}\n\n{text}" if title and not text.startswith(title) else text


def fetch_article(url: str, *, limits: FetchLimits = FetchLimits(), allow: Iterable[str] = (),
                  resolve: Resolver = _system_resolver) -> tuple[bytes, str]:
    """An article's text as UTF-8 bytes and a file name for it (host and path, `.txt`)."""
    body, content_type, final = fetch_page(url, limits=limits, allow=allow, resolve=resolve)
    text = page_text(body, content_type, final)
    parts = urlsplit(final)
    stem = re.sub(r"[^\w.-]+", "-", f"{parts.hostname}{parts.path}").strip("-.")[:80] or "article"
    return text.encode("utf-8"), f"{stem}.txt"
