"""Geocoders with geopy's interface: the offline gazetteer, and online sources as an option.

`OfflineGeocoder` answers from data/ with no network. `OnlineGeocoder` wraps any geopy
geocoder (Nominatim by default) with a rate limit, a timeout and error mapping into
`geo.errors`, so a slow or absent network never breaks geoparsing: callers get a clear
`GeocoderError` and keep their offline results.
"""

from __future__ import annotations

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geo.config import ONLINE_MIN_DELAY_S, ONLINE_TIMEOUT_S, USER_AGENT
from geo.errors import GeocoderError, GeocoderTimedOut, GeocoderUnavailable
from geo.gazetteer import Gazetteer
from geo.models import Candidate

__all__ = ["OfflineGeocoder", "OnlineGeocoder", "candidate_from_location"]


class OfflineGeocoder(Geocoder):
    """A geopy `Geocoder` over the offline gazetteer: no network, same call shape.

    `geocode("Riwne")` returns a geopy `Location` whose `raw` holds the gazetteer entry
    (id, kind, country, population, source).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, kinds: set[str] | None = None) -> None:
        super().__init__(user_agent=USER_AGENT)
        self._gazetteer = gazetteer
        self.kinds = kinds

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.default()
        return self._gazetteer

    def geocode(self, query: str, *, exactly_one: bool = True, timeout=None, limit: int | None = None,
                **_ignored) -> Location | list[Location] | None:
        """Locations for a place name, best first; None when nothing matches (as geopy does)."""
        found = self.gazetteer.candidates(str(query), limit=1 if exactly_one else (limit or 10), kinds=self.kinds)
        return _answer([_location(c) for c in found], exactly_one)

    def reverse(self, query, *, exactly_one: bool = True, timeout=None, limit: int | None = None,
                **_ignored) -> Location | list[Location] | None:
        """The nearest cities to a point given as (lat, lon), "lat, lon" or a geopy Point."""
        point = Point(query)
        found = self.gazetteer.nearest(point.latitude, point.longitude, kinds={"city"},
                                       limit=1 if exactly_one else (limit or 5))
        return _answer([_location(c) for c, _ in found], exactly_one)


class OnlineGeocoder:
    """An online geopy geocoder behind a rate limit, a timeout and `geo.errors`.

    Never used unless the user turns online lookups on. `geocoder` defaults to Nominatim
    with an identifying user agent, at most one request per second (its usage policy).
    """

    def __init__(self, geocoder: Geocoder | None = None, *, timeout: float = ONLINE_TIMEOUT_S,
                 min_delay_seconds: float = ONLINE_MIN_DELAY_S) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        if geocoder is None:
            from geopy.geocoders import Nominatim

            geocoder = Nominatim(user_agent=USER_AGENT, timeout=timeout)
        self.geocoder = geocoder
        self.timeout = timeout
        self._geocode = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds,
                                    max_retries=0, swallow_exceptions=False)
        self._cache: dict[str, Candidate | None] = {}

    @property
    def name(self) -> str:
        return type(self.geocoder).__name__

    def lookup(self, query: str) -> Candidate | None:
        """The best online match for a name, or None; raises GeocoderError subclasses."""
        from geopy import exc

        if query in self._cache:
            return self._cache[query]
        try:
            location = self._geocode(query, exactly_one=True, timeout=self.timeout)
        except exc.GeocoderTimedOut as err:
            raise GeocoderTimedOut(f"{self.name} did not answer within {self.timeout:g} s for {query!r}") from err
        except (exc.GeocoderUnavailable, exc.GeocoderServiceError, OSError) as err:
            raise GeocoderUnavailable(f"{self.name} is unreachable ({err}); offline results are kept") from err
        except exc.GeopyError as err:
            raise GeocoderError(f"{self.name} failed for {query!r}: {err}") from err
        candidate = None if location is None else candidate_from_location(location, source=self.name)
        self._cache[query] = candidate
        return candidate


def candidate_from_location(location: Location, *, source: str) -> Candidate:
    """Turn a geopy Location from an online source into a Candidate (pure, testable)."""
    raw = location.raw if isinstance(location.raw, dict) else {}
    kind = "other"  # streets, rivers, anything unclassified
    osm_class, osm_type = raw.get("class", ""), raw.get("type", "")
    if osm_type == "country" or raw.get("addresstype") == "country":
        kind = "country"
    elif osm_type in ("state", "region", "province", "county") or osm_class == "boundary":
        kind = "region"
    elif osm_class == "place" and osm_type in ("city", "town", "village", "hamlet", "suburb", "neighbourhood"):
        kind = "city"
    elif osm_class in ("aeroway", "amenity", "building", "power", "tourism", "historic", "man_made"):
        kind = "facility"
    ident = f"osm:{raw.get('osm_type', 'x')}/{raw.get('osm_id', '')}" if raw.get("osm_id") else f"online:{location.address}"
    attribution = " (© OpenStreetMap contributors, ODbL)" if source == "Nominatim" else ""
    return Candidate(
        id=ident, name=location.address.split(",")[0], kind=kind, lat=float(location.latitude),
        lon=float(location.longitude), source=f"{source}{attribution}",
    )


def _location(candidate: Candidate) -> Location:
    address = candidate.name if not candidate.country else f"{candidate.name}, {candidate.country}"
    return Location(address, (candidate.lat, candidate.lon), candidate.as_dict())


def _answer(locations: list[Location], exactly_one: bool):
    if exactly_one:
        return locations[0] if locations else None
    return locations or None
