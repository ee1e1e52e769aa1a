"""The one exception tree of Article Atlas.

    AtlasError
    ├── InputError (ValueError)          the article cannot be read: binary, too large …
    │   └── EmptyArticle                 there is no text at all
    ├── DataError (RuntimeError)         a data file under data/ is missing or unreadable
    ├── GeocoderError                    an online geocoder failed
    │   ├── GeocoderUnavailable (ConnectionError)
    │   └── GeocoderTimedOut (TimeoutError)
    └── FetchError                       an article could not be fetched by its web address
        ├── AddressRefused (PermissionError)   not http(s), or a loopback/private/link-local target
        └── FetchUnavailable (ConnectionError) offline, unreachable, or too slow

Each subclass also inherits the matching built-in, so callers that catch ValueError or
TimeoutError keep working. Messages are written for the person who has to act on them.
"""

from __future__ import annotations

__all__ = [
    "AtlasError",
    "InputError",
    "EmptyArticle",
    "DataError",
    "GeocoderError",
    "GeocoderUnavailable",
    "GeocoderTimedOut",
    "FetchError",
    "AddressRefused",
    "FetchUnavailable",
]


class AtlasError(Exception):
    """Root of every error Article Atlas raises on purpose."""


class InputError(AtlasError, ValueError):
    """The article cannot be used as given; the message says what to do instead."""


class EmptyArticle(InputError):
    """The article has no text: a clear message in the page, an empty collection in the CLI."""


class DataError(AtlasError, RuntimeError):
    """A derived data file is missing or corrupt; `make data` rebuilds it."""


class GeocoderError(AtlasError):
    """An online geocoder failed; offline results are still available."""


class GeocoderUnavailable(GeocoderError, ConnectionError):
    """The online geocoder could not be reached (no network, refused, DNS)."""


class GeocoderTimedOut(GeocoderError, TimeoutError):
    """The online geocoder did not answer in time."""


class FetchError(AtlasError):
    """An article could not be fetched from its web address; pasting its text still works."""


class AddressRefused(FetchError, PermissionError):
    """The address is not one Article Atlas fetches (scheme, or a non-public network address)."""


class FetchUnavailable(FetchError, ConnectionError):
    """The site could not be reached: no network, refused, or no answer in time."""
