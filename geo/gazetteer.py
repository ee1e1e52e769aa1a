"""The offline gazetteer: which places could a name mean?

One index over GeoNames cities, countries, admin-1 regions, US counties, continents, curated
composite/historical regions, airports, curated facilities and land borders (see data/README.md).

Start-up is kept cheap: the sorted keys stay one Arrow array, searched through a sampled list
and the bytes of a block (`_SortedKeys`); postings and place attributes stay in NumPy/Arrow
arrays; the long string columns (ids, names, sources) are read a row group at a time when first
asked for; and a `Candidate` is only built for rows that a lookup returns. Geometries load
lazily, per layer, on first use.

`OfflineGeocoder` puts the same index behind geopy's `Geocoder` interface, so an online geopy
geocoder (Nominatim, …) plugs in the same way (see `geo.online`).
"""

from __future__ import annotations

import math
import os
import threading
from bisect import bisect_left, bisect_right
from enum import IntEnum
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa

from geo.config import DATA_DIR
from geo.errors import DataError
from geo.models import KINDS, Candidate
from geo.normalize import normalize

__all__ = ["NameType", "Gazetteer", "haversine_km", "WELL_KNOWN_PRIOR", "MAJOR_PRIOR", "FAMOUS_PRIOR", "index_key",
           "write_index"]


class NameType(IntEnum):
    """How a key names an entry (stored in postings.parquet)."""

    NAME = 0  # the entry's own name
    ALT = 1  # an alternate name or exonym (Moskau, Weissrussland)
    ADJ = 2  # an adjective or demonym (russisch, Belarusian)
    CODE = 3  # an all-caps code (BY, MSQ, BLR): never matched in running text
    ABBR = 4  # a state/province abbreviation (Ky., B.C., TX): only after "Place,"


_NAME, _ALT, _CODE = int(NameType.NAME), int(NameType.ALT), int(NameType.CODE)
_LANG_CODE = {"de": 1, "en": 2}  # postings.parquet's lang column (0: any language)
_LANG_OF_CODE = {code: lang for lang, code in _LANG_CODE.items()}

_PLACE_COLUMNS = [
    "id", "kind", "feature", "name", "name_de", "country", "admin1", "admin2",
    "population", "lat", "lon", "length_km", "city", "layer", "settled",
]
# Read by row group when first asked for, in a process that reads the Parquet files (not at start-up).
_LAZY_COLUMNS = ("id", "name", "name_de", "source")
_KIND_CODE = {kind: i for i, kind in enumerate(KINDS)}
_CITY = _KIND_CODE["city"]
_TYPE_PENALTY = np.array([0.0, 0.3, 2.0, 3.0, 0.5])
_TYPE_PENALTY_LIST = _TYPE_PENALTY.tolist()
_REGION = _KIND_CODE["region"]
_GROUPS_BEFORE_WHOLE = 8  # row groups of a string column read one by one before the whole column is
_FIELDS_KEPT = 20_000  # rows whose Candidate fields are kept (a corpus run asks for ~10,000)
_FACTS_KEPT = 50_000  # rows whose resolver facts are kept (see facts_of)
_SMALL_SPAN = 48  # postings of a key ranked in plain Python (below) rather than with arrays
# Context-free prior of a kind/feature, on the scale of log10(population).
_FEATURE_PRIOR = {
    "PCLI": 8.0, "CONT": 7.5, "COMPOSITE": 7.0, "ADM1": 5.0, "ADM2": 3.5, "ADM3": 3.5, "AIRP": 3.0, "BORDER": 5.0,
    # Physical features (data/physical.parquet): as well known as a city of 100k to 3M.
    "OCEAN": 6.5, "SEA": 6.0, "DESERT": 6.0, "NATURAL_REGION": 6.0, "MOUNTAINS": 5.5, "ISLAND": 5.5,
    "RIVER": 5.0, "LAKE": 5.0, "GULF": 5.0, "BAY": 4.5, "STRAIT": 5.0, "CANAL": 5.0,
    "PASS": 5.0, "GLACIER": 5.0,  # an Alpine road pass or glacier: as well known as a river
}
_FACILITY_PRIOR = 5.5
# How well known a place is, on the same scale: the cut-offs the recogniser uses when a name's
# own standing is the evidence (geo.recognize).
WELL_KNOWN_PRIOR = 5.0  # a city of 100,000, a state or province, a river
MAJOR_PRIOR = 6.0  # a city of a million, a sea, a country's large region
FAMOUS_PRIOR = 7.0  # a city of ten million, a curated composite region (a country is 8)
_CAPITAL_BONUS = 1.0
# A town without a head count (a village with its own post office whose people GeoNames counts
# on the commune: Widnau, Heerbrugg, Pittsburg, Ky.): as known as a village of 300, just below
# the smallest counted town (cities500).
_UNCOUNTED_TOWN_PRIOR = 2.5
_NAMESAKE_PENALTY = 1.5  # a region named like a big city in it (Lviv oblast, canton of Bern)
_NAMESAKE_KM = 100.0  # … or right beside it
_SMALL_ALT_PENALTY = 0.7
_ALT_BESIDE_NAME_PENALTY = 1.0  # another town's alternate spelling of a place's own name
_EXONYM_KNOWN_PRIOR = 6.0  # … costs nothing for a city of a million (less in between)


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; accepts scalars or NumPy arrays."""
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 6371.0088 * 2 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


class Gazetteer:
    """Offline place index. `Gazetteer.default()` shares one per process."""

    _default: Gazetteer | None = None
    _default_lock = threading.Lock()

    def __init__(self, data_dir: Path = DATA_DIR, *, cache_dir: Path | None = None) -> None:
        """`cache_dir`: where a memory-mapped index derived from data/ is kept, shared by the
        processes of a corpus run (geo.batch passes INDEX_CACHE_DIR); None reads the Parquet files
        into this process."""
        self.data_dir = Path(data_dir)
        try:
            index = _open_index(self.data_dir, cache_dir) if cache_dir is not None else None
            names, postings, places = index.tables if index else _read_tables(self.data_dir)
        except (OSError, ValueError) as err:
            raise DataError(
                f"cannot read the gazetteer in {self.data_dir}: {err}. Run `make data` to rebuild it."
            ) from err
        self.index_dir = index.folder if index else None
        self._keys = _SortedKeys(_single_chunk(names.column("key")))
        if index:
            self._sorted_ids, self._id_rows = index.ids, index.id_rows
        else:
            self._sorted_ids = self._id_rows = None
        self._starts = np.concatenate([np.zeros(1, np.int32), np.cumsum(_numpy(names.column("count")), dtype=np.int32)])
        self._entry = _numpy(postings.column("entry"))
        self._type = _numpy(postings.column("type"))
        self._lang = _numpy(postings.column("lang"))
        self._places = places
        self._lat = _numpy(places.column("lat"))
        self._lon = _numpy(places.column("lon"))
        self._population = _numpy(places.column("population"))
        self._settled = _numpy(places.column("settled"))  # inhabitants of the towns in a region
        self._kind = _codes(places.column("kind"), {kind: i for i, kind in enumerate(KINDS)})
        self._feature_values = _decoded(places.column("feature"))
        # The dictionary-encoded columns every Candidate reads, by code (Arrow cells cost ~1 µs).
        self._countries = _decoded(places.column("country"))
        self._prior = self._priors(places.column("feature"))
        self._lock = threading.Lock()
        self._parquet = None  # places.parquet, opened once for the columns read by row group
        self._ids = self._strings("id")
        self._names = self._strings("name")
        self._subsets: dict[tuple, np.ndarray] = {}  # (features, kinds) → rows, for nearest()
        self._fields: dict[int, tuple] = {}  # row → its Candidate's fields (see candidate)
        self._rows_by_id: dict[str, int] = {}  # … and their ids → row
        self._facts: dict[int, tuple[str, int, str, str, str, str, str]] = {}  # row → facts_of(row)
        self._geometry_cache: dict[str, dict[str, int]] = {}  # layer → id → row
        self._geometry_tables: dict[str, _RowGroupColumn] = {}

    @classmethod
    def default(cls, *, cache_dir: Path | None = None) -> Gazetteer:
        """The shared gazetteer over data/ (thread-safe, loaded once). `cache_dir` is used by the
        call that loads it: the dashboard passes INDEX_CACHE_DIR, whose mapped index makes a
        fresh server's first article ~1 s of CPU faster (no Parquet column to read and decode)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls(cache_dir=cache_dir)
            return cls._default

    def __len__(self) -> int:
        return len(self._lat)

    # -------------------------------------------------------------------- keys

    def _priors(self, feature_column) -> np.ndarray:
        population = np.maximum(self._population.astype(float), 1.0)
        prior = np.log10(population)
        # On the dictionary codes of the feature column: comparing 250k strings costs 40 ms.
        known = list(_FEATURE_PRIOR) + [f for f in ("PPLC", "AIRP") if f not in _FEATURE_PRIOR]
        feature = _codes(feature_column, {name: i for i, name in enumerate(known)})
        by_feature = np.array(list(_FEATURE_PRIOR.values()))
        listed = (feature >= 0) & (feature < len(by_feature))
        prior[listed] = by_feature[feature[listed]]
        prior[feature == known.index("PPLC")] += _CAPITAL_BONUS
        facility = (self._kind == _KIND_CODE["facility"]) & (feature != known.index("AIRP"))
        prior[facility] = _FACILITY_PRIOR
        uncounted = (self._kind == _CITY) & (self._population == 0) & ~listed
        prior[uncounted] = _UNCOUNTED_TOWN_PRIOR
        return prior

    def _find(self, key: str) -> int:
        """Index of a key among the sorted keys, or -1."""
        return self._keys.find(key)

    def _range(self, key: str) -> tuple[int, int] | None:
        i = self._find(key)
        if i < 0:
            return None
        return int(self._starts[i]), int(self._starts[i + 1])

    def has_key(self, key: str) -> bool:
        """True when a normalised key names at least one entry."""
        return self._keys.find(key) >= 0  # (not through _find: the scan asks this ~50,000 times a corpus)

    def has_prefix(self, prefix: str) -> bool:
        """True when some key starts with `prefix` (used to grow multi-word names)."""
        return self._keys.has_prefix(prefix)

    def postings(self, key: str) -> list[tuple[int, int]]:
        """(entry row, NameType) pairs for a normalised key, in stored order."""
        span = self._range(key)
        if span is None:
            return []
        start, stop = span
        return list(zip(self._entry[start:stop].tolist(), self._type[start:stop].tolist()))

    def name_languages(self, key: str, row: int, name_type: int) -> set[str]:
        """The languages ("de", "en"; "" for any) in which `key` names entry `row` as `name_type`."""
        span = self._range(key)
        if span is None:
            return set()
        start, stop = span
        postings = zip(self._entry[start:stop].tolist(), self._type[start:stop].tolist(),
                       self._lang[start:stop].tolist())
        return {_LANG_OF_CODE.get(lang, "") for entry, kind, lang in postings if entry == row and kind == name_type}

    # -------------------------------------------------------------------- entries

    def prior(self, row: int) -> float:
        return float(self._prior[row])

    def kind_of(self, row: int) -> str:
        return KINDS[self._kind[row]]

    @cached_property
    def _name_counts(self) -> np.ndarray:
        return np.bincount(self._entry, minlength=len(self._lat)).astype(np.int32)

    def name_count(self, row: int) -> int:
        """How many keys of the index name an entry: a measure of how widely it is known (a
        capital has dozens of exonyms, a village one or two)."""
        return int(self._name_counts[row])

    def facts_of(self, row: int) -> tuple[str, int, str, str, str, str, str]:
        """(kind, name count, country, admin-1, admin-2, id, name) of an entry, "" for a missing one:
        what the resolver reads of every candidate, kept for the rows asked for (bounded)."""
        facts = self._facts.get(row)
        if facts is None:
            if len(self._facts) >= _FACTS_KEPT:
                self._facts.clear()
            facts = self._facts[row] = (KINDS[self._kind[row]], int(self._name_counts[row]),
                                        self._countries[row] or "", self._admin1[row] or "",
                                        self._admin2[row] or "", self._ids[row], self._names[row] or "")
        return facts

    def load_columns(self) -> None:
        """Read now the columns read on first use (admin codes, name counts, German names,
        sources, lengths): a process that forks workers shares them instead of each reading
        its own."""
        for column in ("_admin1", "_admin2", "_name_counts", "_names_de", "_sources", "_length_km"):
            getattr(self, column)

    def population_of(self, row: int) -> int:
        return int(self._population[row])

    def size_of(self, row: int) -> int:
        """How many people live there: the population, or for a region the people of its towns."""
        return int(max(self._population[row], self._settled[row]))

    def point_of(self, row: int) -> tuple[float, float]:
        return float(self._lat[row]), float(self._lon[row])

    def points_of(self, rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Latitudes and longitudes of several entries (arrays)."""
        index = np.array(rows, dtype=np.intp)
        return self._lat[index].astype(float), self._lon[index].astype(float)

    def value(self, column: str, row: int):
        """One attribute of an entry (the hot columns come from Python lists)."""
        if column == "id":
            return self._ids[row]
        if column == "name":
            return self._names[row]
        if column == "country":
            return self._countries[row]
        if column == "feature":
            return self._feature_values[row]
        if column == "admin1":
            return self._admin1[row]
        if column == "admin2":
            return self._admin2[row]
        if column == "name_de":
            return self._names_de[row]
        if column == "source":
            return self._source(row)
        return self._places.column(column)[row].as_py()

    @cached_property
    def _sources(self):
        return self._strings("source")

    def _source(self, row: int) -> str:
        """An entry's source (the column is large and rarely all needed)."""
        return self._sources[row]

    @cached_property
    def _names_de(self):
        return self._strings("name_de")

    @cached_property
    def _admin1(self):
        return _decoded(self._places.column("admin1"))  # a few thousand distinct values

    @cached_property
    def _admin2(self):
        return _decoded(self._places.column("admin2"))

    @cached_property
    def _length_km(self) -> np.ndarray:
        return _numpy(self._places.column("length_km"))

    @cached_property
    def _row_of_entry_id(self) -> dict[str, int]:
        """Id → row of every entry but the towns (18,000 of 288,000 rows: countries, regions,
        borders, airports …), the ids asked for before any Candidate of them was made (a
        qualifier's state outline): found without the dict of every id, which costs 0.2 s to
        make. Their ids are unique and no town's (tests/test_gazetteer.py)."""
        return {self._ids[row]: row for row in np.flatnonzero(self._kind != _CITY).tolist()}

    @cached_property
    def _row_of_id(self) -> dict[str, int]:
        ids = self._all_strings("id")
        return dict(zip(ids, range(len(ids))))

    def _all_strings(self, column: str) -> list:
        """Every cell of a string column of the places, at once (Arrow's conversion, not cell by cell)."""
        if column in self._places.column_names:
            return self._places.column(column).to_pylist()
        with self._lock:
            if self._parquet is None:
                self._parquet = _places_file(self.data_dir)
            return self._parquet.read(columns=[column], use_pandas_metadata=False).column(column).to_pylist()

    def _strings(self, column: str):
        """A string column of the places, cell by cell: from the mapped index's buffers, or read
        from places.parquet a row group at a time as cells are asked for (start-up reads none)."""
        if column in self._places.column_names:
            return _StringColumn(_single_chunk(self._places.column(column)))
        with self._lock:
            if self._parquet is None:
                self._parquet = _places_file(self.data_dir)
        return _RowGroupColumn(self.data_dir / "places.parquet", column, self._lock, handle=self._parquet)

    def row_of(self, place_id: str) -> int | None:
        known = self._rows_by_id.get(place_id)  # a place a Candidate was made of (its outline, by id)
        if known is not None:
            return known
        if self._sorted_ids is None:
            row = self._row_of_entry_id.get(place_id)
            return row if row is not None else self._row_of_id.get(place_id)
        key = place_id.encode()
        i = int(self._sorted_ids.searchsorted(key))
        if i < len(self._sorted_ids) and self._sorted_ids[i] == key:
            return int(self._id_rows[i])
        return None

    def candidate(self, row: int, score: float = 0.0) -> Candidate:
        """The Candidate for an entry row."""
        fields = self._fields.get(row)
        if fields is None:
            fields = self._candidate_fields(row)
        return Candidate(*fields, score=round(float(score), 3))

    def _candidate_fields(self, row: int) -> tuple:
        """A Candidate's fields but its score, kept for the rows asked for (bounded)."""
        population = int(self._population[row])
        length = self._length_km[row]
        fields = (
            self._ids[row],
            self._names[row],
            KINDS[self._kind[row]],
            float(self._lat[row]),
            float(self._lon[row]),
            self._countries[row] or "",
            population or None,
            self._source(row),
            self._feature_values[row],
            self._names_de[row] or "",
            self._admin1[row] or "",
            None if math.isnan(length) else float(length),
        )
        if len(self._fields) >= _FIELDS_KEPT:
            self._fields.clear()
            self._rows_by_id.clear()
        self._fields[row] = fields
        self._rows_by_id[fields[0]] = row
        return fields

    def by_id(self, place_id: str) -> Candidate | None:
        row = self.row_of(place_id)
        return None if row is None else self.candidate(row)

    # -------------------------------------------------------------------- lookups

    def ranked_rows(self, key: str, *, kinds: set[str] | None = None, allow_codes: bool = True,
                    text_lang: str = "") -> list[tuple[int, float]]:
        """Entry rows a normalised key can mean, best first, with their prior score.

        `text_lang`: the language of the text the key comes from. In English, German country
        names are left out ("Island" is Iceland in German only); German texts use English names too.
        """
        span = self._range(key)
        if span is None:
            return []
        start, stop = span
        if stop - start <= _SMALL_SPAN:
            return self._ranked_few(start, stop, kinds, allow_codes, text_lang)
        return self._ranked_many(start, stop, kinds, allow_codes, text_lang)

    def _ranked_many(self, start: int, stop: int, kinds: set[str] | None, allow_codes: bool,
                     text_lang: str) -> list[tuple[int, float]]:
        """`ranked_rows` over the postings start:stop, with arrays."""
        rows = self._entry[start:stop]
        types = self._type[start:stop]
        if text_lang == "en":
            # Only countries' and towns' German names are sure to be German only: German exonyms,
            # German transliterations (Saporischschja), the villages named by German stops (curated
            # names_de such as "Pentagon" are English usage too).
            foreign = (self._lang[start:stop] == _LANG_CODE["de"]) & np.isin(
                self._kind[rows], (_KIND_CODE["country"], _KIND_CODE["city"]))
            if foreign.any():
                rows, types = rows[~foreign], types[~foreign]
        scores = self._prior[rows] - _TYPE_PENALTY[types]
        # An alternate name of a small town is weak evidence (GeoNames lists many odd ones).
        alt_city = (types == _ALT) & (self._kind[rows] == _CITY)
        scores = scores - alt_city * _SMALL_ALT_PENALTY * np.maximum(0.0, 4.5 - self._prior[rows])
        if (types == _NAME).any():
            # The key is some place's own name: another place's alternate spelling must be far
            # better known to win (Rogersville is not Rogers Park; Moskau still is Moscow), but a
            # city of a million is known by its exonym (Odessa is Odesa, not Odessa, Texas).
            known = np.clip(_EXONYM_KNOWN_PRIOR - self._prior[rows], 0.0, 1.0)
            scores = scores - alt_city * _ALT_BESIDE_NAME_PENALTY * known
        keep = np.ones(len(rows), dtype=bool)
        if not allow_codes:
            keep &= types != _CODE
        if kinds is not None:
            keep &= np.isin(self._kind[rows], [_KIND_CODE[k] for k in kinds])
        rows, scores, types = rows[keep], scores[keep], types[keep]
        if len(rows) == 0:
            return []
        scores = scores - self._namesake_penalty(rows, types)
        best: dict[int, float] = {}
        for row, score in zip(rows.tolist(), scores.tolist()):
            if score > best.get(row, -math.inf):
                best[row] = score
        return sorted(best.items(), key=lambda item: -item[1])

    def _ranked_few(self, start: int, stop: int, kinds: set[str] | None, allow_codes: bool,
                    text_lang: str) -> list[tuple[int, float]]:
        """`ranked_rows` for a few postings, in plain Python: the same operations on the same
        floats in the same order as the array version (NumPy costs ~3 µs a call on short arrays)."""
        rows = self._entry[start:stop].tolist()
        types = self._type[start:stop].tolist()
        index = self._entry[start:stop]
        kind = self._kind[index].tolist()
        prior = self._prior[index].tolist()
        if text_lang == "en":
            langs = self._lang[start:stop].tolist()
            foreign_de, german_only = _LANG_CODE["de"], (_KIND_CODE["country"], _KIND_CODE["city"])
            keep = [k for k in range(len(rows)) if not (langs[k] == foreign_de and kind[k] in german_only)]
            if len(keep) < len(rows):
                rows, types = [rows[k] for k in keep], [types[k] for k in keep]
                kind, prior = [kind[k] for k in keep], [prior[k] for k in keep]
        penalty = _TYPE_PENALTY_LIST
        scores = [p - penalty[t] for p, t in zip(prior, types)]
        alt_city = [t == _ALT and k == _CITY for t, k in zip(types, kind)]
        # (see ranked_rows for what these say)
        scores = [s - _SMALL_ALT_PENALTY * max(0.0, 4.5 - p) if alt else s
                  for s, p, alt in zip(scores, prior, alt_city)]
        if _NAME in types:
            scores = [s - _ALT_BESIDE_NAME_PENALTY * min(max(_EXONYM_KNOWN_PRIOR - p, 0.0), 1.0) if alt else s
                      for s, p, alt in zip(scores, prior, alt_city)]
        wanted = None if kinds is None else {_KIND_CODE[k] for k in kinds}
        if not allow_codes or wanted is not None:
            keep = [k for k in range(len(rows))
                    if (allow_codes or types[k] != _CODE) and (wanted is None or kind[k] in wanted)]
            rows, scores, types, kind = ([x[k] for k in keep] for x in (rows, scores, types, kind))
        if not rows:
            return []
        if _REGION in kind and _CITY in kind:
            penalties = self._namesake_penalty(np.array(rows), np.array(types)).tolist()
            scores = [s - q for s, q in zip(scores, penalties)]
        best: dict[int, float] = {}
        for row, score in zip(rows, scores):
            if score > best.get(row, -math.inf):
                best[row] = score
        return sorted(best.items(), key=lambda item: -item[1])

    def _namesake_penalty(self, rows: np.ndarray, types: np.ndarray) -> np.ndarray:
        """Demote a region when a sizeable city of the same name lies in it (Lviv oblast, canton
        of Bern, New York state); Washington state keeps its say beside Washington, D.C."""
        penalty = np.zeros(len(rows))
        kinds = self._kind[rows]
        regions = np.flatnonzero(kinds == _KIND_CODE["region"])
        cities = np.flatnonzero((kinds == _KIND_CODE["city"]) & (self._population[rows] >= 20_000)
                                & (types == _NAME))
        if len(regions) and len(cities):
            city_rows = rows[cities]
            city_regions = {self.value("admin1", int(r)) for r in city_rows}
            for i in regions:
                region = int(rows[i])
                near = haversine_km(self._lat[region], self._lon[region], self._lat[city_rows],
                                    self._lon[city_rows]) < _NAMESAKE_KM
                if self._ids[region] in city_regions or near.any():  # Pest county beside Pest
                    penalty[i] = _NAMESAKE_PENALTY
        return penalty

    def candidates(self, name: str, *, limit: int | None = 10, kinds: set[str] | None = None) -> list[Candidate]:
        """Every place `name` could mean, best first (context-free ranking)."""
        ranked = self.ranked_rows(normalize(name), kinds=kinds)
        if limit is not None:
            ranked = ranked[:limit]
        return [self.candidate(row, score) for row, score in ranked]

    def nearest(self, lat: float, lon: float, *, features: set[str] | None = None,
                kinds: set[str] | None = None, max_km: float = math.inf, limit: int = 5) -> list[tuple[Candidate, float]]:
        """Entries nearest to a point, optionally of given features (AIRP, NUCLEAR_PLANT …) or kinds."""
        rows = self._rows_of(frozenset(features) if features is not None else None,
                             frozenset(kinds) if kinds is not None else None)
        if len(rows) == 0:
            return []
        distance = haversine_km(lat, lon, self._lat[rows], self._lon[rows])
        order = np.argsort(distance)[:limit]
        return [(self.candidate(int(rows[i])), float(distance[i])) for i in order if distance[i] <= max_km]

    def _rows_of(self, features: frozenset[str] | None, kinds: frozenset[str] | None) -> np.ndarray:
        """Rows of the given features and kinds, computed once per combination (a few ms each)."""
        found = self._subsets.get((features, kinds))
        if found is None:
            mask = np.ones(len(self._lat), dtype=bool)
            if features is not None:
                mask &= self._feature_values.isin(features)
            if kinds is not None:
                mask &= np.isin(self._kind, [_KIND_CODE[k] for k in kinds])
            found = self._subsets[(features, kinds)] = np.flatnonzero(mask)
        return found

    # -------------------------------------------------------------------- geometry

    def geometry(self, place_id: str):
        """The shapely geometry of an entry: polygon, border line, or point.

        Geometry files are read one row group (256 features) at a time, so Donbass does not
        decompress every US county.
        """
        import shapely

        row = self.row_of(place_id)
        if row is None:
            raise KeyError(place_id)
        layer = self.value("layer", row)
        if layer:
            found = self._geometry_wkb(layer, place_id)
            if found is not None:
                return shapely.from_wkb(found)
        return shapely.Point(float(self._lon[row]), float(self._lat[row]))

    def _geometry_wkb(self, layer: str, place_id: str) -> bytes | None:
        with self._lock:
            if layer not in self._geometry_cache:
                path = self.data_dir / f"{layer}.parquet"
                mapped = _mapped_layer(path, self.index_dir) if self.index_dir is not None else None
                if mapped is not None:  # uncompressed and shared through the page cache
                    ids = mapped.column("id").to_pylist()
                    self._geometry_tables[layer] = _MappedColumn(mapped.column("geometry"))
                else:
                    import pyarrow.parquet as pq

                    ids = pq.ParquetFile(path).read(columns=["id"], use_pandas_metadata=False).column("id").to_pylist()
                    self._geometry_tables[layer] = _RowGroupColumn(path, "geometry", self._lock)
                self._geometry_cache[layer] = dict(zip(ids, range(len(ids))))
        position = self._geometry_cache[layer].get(place_id)
        return None if position is None else self._geometry_tables[layer].get(position)

    def border_between(self, a: str, b: str) -> Candidate | None:
        """The land border between two countries (ISO alpha-2), or None if they share none."""
        first, second = sorted((a.upper(), b.upper()))
        row = self._border_rows.get(f"border:{first}-{second}")
        return None if row is None else self.candidate(row)

    def borders_of(self, country: str) -> list[Candidate]:
        """Every land border of a country (ISO alpha-2)."""
        code = country.upper()
        return [self.candidate(row) for row, ident in self._border_ids if code in ident[7:].split("-")]

    @cached_property
    def _border_ids(self) -> list[tuple[int, str]]:
        """(row, id) of every land border, in row order (found once, by kind: the id column is
        not read whole, nor a dict of every id made, for 333 rows)."""
        return [(row, self._ids[row]) for row in np.flatnonzero(self._kind == _KIND_CODE["border"]).tolist()]

    @cached_property
    def _border_rows(self) -> dict[str, int]:
        """A land border's id → its row."""
        return {ident: row for row, ident in self._border_ids}


# ----------------------------------------------------------------------------- the mapped index
#
# data/ keeps Parquet (small, compressed, committed). On first load the three index tables are
# written uncompressed as Arrow IPC files, and the sorted keys and ids as fixed-width NumPy
# arrays, into a folder named by a hash of the data files' names, sizes and modification times.
# Later loads map those files read-only: every process on the machine shares their pages through
# the page cache, so a second worker adds only its own Python objects.

_INDEX_VERSION = 2  # bump when the cached layout changes (2: source in places, admin1/admin2/city
                   # dictionary-encoded, keys searched in names.arrow)
_INDEX_SOURCES = ("names", "postings", "places")
_PLACE_DICTIONARIES = ["kind", "feature", "layer", "country", "admin1", "admin2", "city"]


def _read_tables(data_dir: Path, *, every_column: bool = False) -> tuple:
    """names, postings and places as Arrow tables read from data/ (ParquetFile.read, not
    read_table: it skips pyarrow.dataset, 0.15 s at start-up). Without `every_column` the places'
    long string columns (_LAZY_COLUMNS) are left for `Gazetteer._strings` to read by row group;
    the mapped index keeps them all."""
    return tuple(_read_table(data_dir, name, every_column=every_column) for name in _INDEX_SOURCES)


def _read_table(data_dir: Path, name: str, *, every_column: bool = False):
    """One of _read_tables' tables."""
    import pyarrow.parquet as pq

    if name != "places":
        return pq.ParquetFile(data_dir / f"{name}.parquet").read(use_pandas_metadata=False)
    columns = _PLACE_COLUMNS + ["source"] if every_column else [c for c in _PLACE_COLUMNS if c not in _LAZY_COLUMNS]
    return _places_file(data_dir).read(columns=columns, use_pandas_metadata=False)


def _places_file(data_dir: Path):
    import pyarrow.parquet as pq

    return pq.ParquetFile(data_dir / "places.parquet", read_dictionary=_PLACE_DICTIONARIES)


def index_key(data_dir: Path) -> str:
    """The cache folder's name: a hash of the index sources' names, sizes and mtimes."""
    import hashlib

    digest = hashlib.blake2b(str(_INDEX_VERSION).encode(), digest_size=10)
    for name in _INDEX_SOURCES:
        info = os.stat(data_dir / f"{name}.parquet")
        digest.update(f"{name}:{info.st_size}:{info.st_mtime_ns};".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class _MappedIndex:
    folder: Path
    tables: tuple  # names, postings, places: Arrow tables over mapped files
    ids: np.ndarray  # sorted place ids, fixed width (mapped)
    id_rows: np.ndarray  # the place row of each sorted id


def _open_index(data_dir: Path, cache_dir: Path) -> _MappedIndex | None:
    """The mapped index, written first if missing; None if the cache cannot be written."""
    folder = Path(cache_dir) / index_key(data_dir)
    if not (folder / "done").exists():
        try:
            write_index(data_dir, folder)
        except OSError:
            return None  # a read-only checkout: fall back to reading the Parquet files
    tables = tuple(pa.ipc.open_file(pa.memory_map(str(folder / f"{name}.arrow"))).read_all()
                   for name in _INDEX_SOURCES)
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in ("ids", "id_rows")}
    return _MappedIndex(folder, tables, arrays["ids"], arrays["id_rows"])


def write_index(data_dir: Path, folder: Path) -> Path:
    """Write the mapped index of data/ into `folder` (atomically: a temporary folder renamed)."""
    import shutil
    import tempfile

    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".index-", dir=folder.parent))
    try:
        for name in _INDEX_SOURCES:  # one table at a time
            table = _read_table(data_dir, name, every_column=True)
            with pa.ipc.new_file(str(staging / f"{name}.arrow"), table.schema) as writer:
                writer.write_table(table.combine_chunks())
        ids = [i.encode() for i in table.column("id").to_pylist()]  # (the places, last)
        del table
        order = sorted(range(len(ids)), key=ids.__getitem__)
        np.save(staging / "ids.npy", np.array([ids[i] for i in order], dtype=f"S{max(map(len, ids))}"))
        np.save(staging / "id_rows.npy", np.array(order, dtype=np.int32))
        del ids, order
        # The decoded Parquet goes back to the system, not kept by Arrow's allocator for a process
        # that from now on reads the mapped files (the first run after a data change: 436 → 328 MB).
        pa.default_memory_pool().release_unused()
        (staging / "done").write_text("ok\n")
        try:
            os.rename(staging, folder)
        except OSError:
            if not (folder / "done").exists():  # not another process that got there first
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _mapped_layer(path: Path, index_dir: Path):
    """A geometry layer (id, geometry) as a mapped Arrow IPC file in the index folder, written on
    first use (keyed like the folder, plus the layer file's own size and mtime); None if it
    cannot be written."""
    info = os.stat(path)
    target = index_dir / f"layer-{path.stem}-{info.st_size}-{info.st_mtime_ns}.arrow"
    if not target.exists():
        try:
            import pyarrow.parquet as pq

            table = pq.ParquetFile(path).read(columns=["id", "geometry"], use_pandas_metadata=False)
            staging = target.with_name(f".{target.name}.{os.getpid()}")
            with pa.ipc.new_file(str(staging), table.schema) as writer:
                writer.write_table(table.combine_chunks())
            os.replace(staging, target)
        except OSError:
            return None
    return pa.ipc.open_file(pa.memory_map(str(target))).read_all()


class _MappedColumn:
    """A column of a mapped table with _RowGroupColumn's `get`."""

    def __init__(self, column) -> None:
        self._column = column.combine_chunks() if column.num_chunks != 1 else column.chunks[0]

    def get(self, row: int):
        return self._column[row].as_py()


class _SortedKeys:
    """Sorted strings of an Arrow string array, searched as `bisect` would search a list of them,
    without making that list (769,000 Python strings: 0.1 s and 60 MB at start-up).

    Two steps: `bisect` over every SAMPLE-th string (a short Python list), then over the UTF-8
    bytes of that block (byte order is code-point order). Lookups of the same key repeat a lot in
    running text: the answers are kept in a bounded memo.
    """

    SAMPLE = 16
    _MEMO_LIMIT = 200_000

    def __init__(self, array) -> None:
        self._cells = _StringColumn(array)
        self._length = len(array)
        self._sample = _every_nth(array, self.SAMPLE)
        self._memo: dict[str, int] = {}
        self._prefix_memo: dict[str, bool] = {}

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i: int) -> str:
        return self._cells[i]

    def _bytes(self, i: int) -> bytes:
        offsets = self._cells.offsets
        return bytes(self._cells.data[offsets[i]:offsets[i + 1]])

    def lower_bound(self, key: str) -> int:
        """The first index whose string is >= key (bisect_left over all strings)."""
        j = bisect_left(self._sample, key)
        if j == 0:
            return 0
        step = self.SAMPLE
        lo, hi = (j - 1) * step + 1, min(j * step, self._length)  # sample[j - 1] < key <= sample[j]
        encoded = key.encode()
        while lo < hi:
            mid = (lo + hi) // 2
            if self._bytes(mid) < encoded:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def find(self, key: str) -> int:
        """Index of `key`, or -1."""
        found = self._memo.get(key)
        if found is None:
            i = self.lower_bound(key)
            found = i if i < self._length and self._cells[i] == key else -1
            if len(self._memo) >= self._MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = found
        return found

    def has_prefix(self, prefix: str) -> bool:
        found = self._prefix_memo.get(prefix)
        if found is None:
            i = self.lower_bound(prefix)
            found = i < self._length and self._cells[i].startswith(prefix)
            if len(self._prefix_memo) >= self._MEMO_LIMIT:
                self._prefix_memo.clear()
            self._prefix_memo[prefix] = found
        return found


def _every_nth(array, step: int) -> list[str]:
    """Strings 0, step, 2·step … of an Arrow string array, gathered with NumPy into a new array
    and converted at once (a Python loop over the cells takes ten times longer)."""
    validity, offsets, data = array.buffers()
    wide = array.type in (pa.large_string(), pa.large_binary())
    bounds = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)[array.offset:array.offset + len(array) + 1]
    starts, ends = bounds[:-1][::step].astype(np.int64), bounds[1:][::step].astype(np.int64)
    lengths = ends - starts
    new_offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    gather = np.repeat(starts - new_offsets[:-1], lengths) + np.arange(int(new_offsets[-1]), dtype=np.int64)
    chars = np.frombuffer(data, dtype=np.uint8)[gather] if len(gather) else np.zeros(0, dtype=np.uint8)
    sample = pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(new_offsets), pa.py_buffer(chars))
    return sample.to_pylist()


def _single_chunk(column):
    """A column's one Arrow array (chunks of a Parquet file's row groups are joined)."""
    return column.chunks[0] if column.num_chunks == 1 else column.combine_chunks()


class _StringColumn:
    """Cells of an Arrow string array read straight from its buffers (about 0.3 µs a cell)."""

    def __init__(self, array) -> None:
        validity, offsets, data = array.buffers()
        code = "q" if array.type in (pa.large_string(), pa.large_binary()) else "i"
        self._offsets = self.offsets = memoryview(offsets).cast(code)[array.offset:array.offset + len(array) + 1]
        self._data = self.data = memoryview(data) if data is not None else memoryview(b"")
        self._valid = None
        if array.null_count:
            self._valid = array.is_valid().to_numpy(zero_copy_only=False)
        self._length = len(array)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, row: int) -> str | None:
        if self._valid is not None and not self._valid[row]:
            return None
        return str(self._data[self._offsets[row]:self._offsets[row + 1]], "utf-8")

    def __iter__(self):
        return (self[row] for row in range(self._length))


class _RowGroupColumn:
    """One column of a Parquet file, read a row group at a time on demand (thread-safe)."""

    def __init__(self, path: Path, column: str, lock: threading.Lock, *, handle=None) -> None:
        import pyarrow.parquet as pq

        self._handle = handle if handle is not None else pq.ParquetFile(path)
        self._column = column
        self._lock = lock
        meta = self._handle.metadata
        sizes = [meta.row_group(k).num_rows for k in range(meta.num_row_groups)]
        self._starts = np.cumsum([0] + sizes).tolist()
        # Row groups of one size (the last may be shorter): a row's group is a division.
        self._size = sizes[0] if sizes and all(n == sizes[0] for n in sizes[:-1]) and sizes[-1] <= sizes[0] else 0
        self._groups: dict[int, object] = {}
        self._cells: dict[int, _StringColumn] = {}
        self._whole: _StringColumn | None = None  # the whole column, once many row groups were asked for

    def get(self, row: int):
        group = bisect_right(self._starts, row) - 1
        values = self._groups.get(group)
        if values is None:
            with self._lock:
                values = self._groups[group] = self._handle.read_row_group(
                    group, columns=[self._column], use_pandas_metadata=False).column(self._column)
        return values[row - self._starts[group]].as_py()

    def __len__(self) -> int:
        return self._starts[-1]

    def __getitem__(self, row: int) -> str | None:
        """A string cell, read from the row group's buffers (a few times faster than `get`)."""
        if self._whole is not None:
            return self._whole[row]
        group = row // self._size if self._size else bisect_right(self._starts, row) - 1
        cells = self._cells.get(group)
        if cells is None:
            cells = self._group_cells(group)
        return cells[row - self._starts[group]]

    def _group_cells(self, group: int) -> _StringColumn:
        with self._lock:
            cells = self._cells.get(group)
            if cells is None and len(self._cells) >= _GROUPS_BEFORE_WHOLE:
                # Many rows asked for (a corpus): one read of the column costs less than its row groups.
                table = self._handle.read(columns=[self._column], use_pandas_metadata=False)
                whole = self._whole = _StringColumn(_single_chunk(table.column(self._column)))
                self._cells.clear()
                return _Slice(whole, self._starts[group])
            if cells is None:
                table = self._handle.read_row_group(group, columns=[self._column], use_pandas_metadata=False)
                cells = self._cells[group] = _StringColumn(_single_chunk(table.column(self._column)))
        return cells

    def __iter__(self):
        for row in range(len(self)):
            yield self[row]


class _Slice:
    """Cells of a column from a row on (what `_RowGroupColumn._group_cells` returns once the whole
    column is read: indexed from its row group's start)."""

    def __init__(self, cells: _StringColumn, start: int) -> None:
        self._cells, self._start = cells, start

    def __getitem__(self, i: int) -> str | None:
        return self._cells[self._start + i]


def _numpy(column) -> np.ndarray:
    """A numeric Arrow column as NumPy, chunk by chunk (see _numpy_array)."""
    chunks = [_numpy_array(chunk) for chunk in column.chunks]
    return np.concatenate(chunks) if len(chunks) != 1 else chunks[0]


def _numpy_array(array) -> np.ndarray:
    """A null-free fixed-width Arrow array as a NumPy view of its data buffer.

    Arrow's own to_numpy() imports pandas (0.2 s at start-up); a buffer view does not.
    """
    dtype = _NUMPY_TYPES.get(str(array.type))
    if dtype is None:
        return array.to_numpy(zero_copy_only=False)
    validity, data = array.buffers()[:2]
    values = np.frombuffer(data, dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize)
    if array.null_count and dtype.kind == "f":  # nulls become NaN (floats only)
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        return np.where(bits[array.offset:array.offset + len(array)].astype(bool), values, np.nan)
    if array.null_count:
        return array.to_numpy(zero_copy_only=False)
    return values


_NUMPY_TYPES = {
    "int8": np.dtype("int8"), "int16": np.dtype("int16"), "int32": np.dtype("int32"),
    "int64": np.dtype("int64"), "uint8": np.dtype("uint8"), "uint16": np.dtype("uint16"),
    "uint32": np.dtype("uint32"), "uint64": np.dtype("uint64"), "float": np.dtype("float32"),
    "double": np.dtype("float64"),
}


def _codes(column, mapping: dict[str, int]) -> np.ndarray:
    """Small integer codes of a dictionary-encoded string column (chunk by chunk: row groups
    have dictionaries of their own)."""
    parts = []
    for chunk in column.chunks:
        table = np.array([mapping.get(value, -1) for value in chunk.dictionary.to_pylist()], dtype=np.int8)
        parts.append(table[_numpy_array(chunk.indices)])
    return np.concatenate(parts) if parts else np.array([], dtype=np.int8)


def _decoded(column) -> _DictionaryColumn:
    """A dictionary-encoded string column, cell by cell (see _DictionaryColumn)."""
    return _DictionaryColumn(column)


class _DictionaryColumn:
    """Cells of a dictionary-encoded string column: its distinct values once as Python strings
    (None for a missing cell), and each row's code. The codes of a mapped index's one chunk are a
    view of its buffer (shared pages); a NumPy array of the strings would cost every process 8
    bytes a row (2.7 MB a column)."""

    def __init__(self, column) -> None:
        chunks = column.chunks
        if len(chunks) == 1 and not chunks[0].null_count and str(chunks[0].indices.type) == "int32":
            self.values = chunks[0].dictionary.to_pylist()
            codes = _numpy_array(chunks[0].indices)
        else:  # row groups with dictionaries of their own, or missing cells: codes into one list
            position: dict[str | None, int] = {}
            parts = []
            for chunk in chunks:
                table = np.array([position.setdefault(value, len(position))
                                  for value in chunk.dictionary.to_pylist()], dtype=np.int32)
                indices = chunk.indices
                dtype = _NUMPY_TYPES[str(indices.type)]
                raw = np.frombuffer(indices.buffers()[1], dtype=dtype, count=len(indices),
                                    offset=indices.offset * dtype.itemsize)  # any value where a cell is missing
                valid = chunk.is_valid().to_numpy(zero_copy_only=False) if chunk.null_count else None
                part = table[np.where(valid, raw, 0) if valid is not None else raw] if len(table) else \
                    np.zeros(len(chunk), dtype=np.int32)
                if valid is not None:
                    part[~valid] = position.setdefault(None, len(position))
                parts.append(part)
            self.values = list(position)
            codes = np.concatenate(parts).astype(np.int32) if parts else np.zeros(0, dtype=np.int32)
        self.codes = codes  # NumPy, for masks over every row
        self._cells = memoryview(np.ascontiguousarray(codes)).cast("B").cast("i")  # a cell as a Python int

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, row: int) -> str | None:
        return self.values[self._cells[row]]

    def isin(self, wanted) -> np.ndarray:
        """Rows whose value is one of `wanted` (as np.isin over the strings)."""
        codes = [code for code, value in enumerate(self.values) if value in wanted]
        return np.isin(self.codes, codes)
