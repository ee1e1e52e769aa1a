"""Corpus scale: many articles, compact records, all cores or a Dask cluster.

    records = run_batch(paths, BatchOptions(geometry="full"), executor)   # input order kept

A corpus run turns each input file into one record (JSON-ready dict):

    {"record": "article", "path", "lang", "title", "warnings", "passages" (with their text: the
     quotes), "places" (ids, kinds, a representative point, confidence, mentions),
     "unresolved"}
    {"record": "error", "path", "message"}       one per unreadable or hostile file
    {"record": "geometry", "id", "geometry"}     once per distinct place (full/simplified modes)

A place's full outline is written once per corpus and referred to by its id (`"geometry":
"country:BY"`), not inlined in every article that names it. `--geometry point` puts the point
in the place itself, `none` leaves geometry out. Writers: JSON lines (`write_jsonl`) and
(Geo)Parquet tables (`write_parquet`: articles, places, mentions, geometries).

Parallelism is a `concurrent.futures.Executor`: `InProcessExecutor` (one process), a process
pool (`--jobs N`) or a Dask client's executor (`--scheduler`): the same `run_batch` for all.
Each worker process loads the gazetteer once, over the memory-mapped index
(`geo.config.INDEX_CACHE_DIR`), so the workers of one machine share its pages.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import AtlasError, InputError
from geo.models import Geoparse
from geo.resolve import Corrections

__all__ = [
    "GEOMETRY_MODES",
    "FORMATS",
    "ARTICLE_SUFFIXES",
    "SIMPLIFY_TOLERANCE_DEG",
    "COORDINATE_DECIMALS",
    "BatchOptions",
    "BatchSummary",
    "InProcessExecutor",
    "process_executor",
    "dask_executor",
    "with_geometry",
    "PARQUET_TABLES",
    "expand_inputs",
    "article_record",
    "error_record",
    "parse_files",
    "Encoded",
    "geometry_records",
    "run_batch",
    "write_jsonl",
    "write_parquet",
    "read_jsonl",
    "read_parquet",
    "default_jobs",
    "worker_gazetteer",
]

GEOMETRY_MODES = ("full", "simplified", "point", "none")
FORMATS = ("jsonl", "parquet")
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")  # what a folder given as input contributes
SIMPLIFY_TOLERANCE_DEG = 0.01  # about 1 km: invisible on a country map
COORDINATE_DECIMALS = 6  # of a degree in geometry records: 0.1 m, finer than any source outline
_REFERENCED = ("full", "simplified")  # modes whose geometry is written once and referred to
_FILES_PER_TASK = 8  # a task is a few files: small enough to balance, large enough to amortise
_GEOMETRIES_PER_TASK = 4
# Geometry tasks submitted ahead of the one being written: outlines are large (a country's, a
# few MB as Python lists), and a finished task's records wait in this process until their turn.
_GEOMETRY_TASKS_AHEAD = 4
_MAX_EXIT = 100  # exit codes count failed files up to this


@dataclass(frozen=True)
class BatchOptions:
    """What every worker needs to geoparse a file (picklable: it travels to the workers)."""

    lang: str = "auto"
    geometry: str = "full"
    corrections: Corrections | None = None
    encoded: bool = False  # workers hand back each record as its JSON line (`Encoded`), for write_jsonl

    def __post_init__(self) -> None:
        if self.geometry not in GEOMETRY_MODES:
            raise InputError(f"Unknown geometry mode {self.geometry!r}; use one of {', '.join(GEOMETRY_MODES)}.")


@dataclass(frozen=True)
class Encoded:
    """A record already written as its JSON line, in the worker (`BatchOptions(encoded=True)`).

    The parent process only counts it and copies the line out: unpickling each nested record
    and encoding it again there was about a third of its CPU with `--jobs 2`, work that no
    other core could share. `write_jsonl` writes `line`; the bytes are those of `_json_line`."""

    record: str  # article, error or geometry
    line: str
    path: str = ""
    message: str = ""
    place_ids: tuple[str, ...] = ()
    mentions: int = 0

    @classmethod
    def of(cls, record: dict) -> Encoded:
        places = record.get("places", ())
        return cls(record["record"], _json_line(record), record.get("path", ""), record.get("message", ""),
                   tuple(p["id"] for p in places), sum(p["mention_count"] for p in places))


@dataclass
class BatchSummary:
    """Counts for the summary line."""

    files: int = 0
    failed: int = 0
    places: int = 0
    mentions: int = 0
    geometries: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every file was read; else the number of failed files (at most 100)."""
        return min(self.failed, _MAX_EXIT)

    def line(self, seconds: float) -> str:
        rate = f", {self.files / seconds:,.1f} files/s" if seconds > 0 else ""
        return (f"{self.files:,} files in {seconds:.2f} s{rate}: {self.files - self.failed:,} geoparsed, "
                f"{self.failed:,} failed; {self.places:,} places, {self.mentions:,} mentions, "
                f"{self.geometries:,} distinct geometries")


class InProcessExecutor(Executor):
    """An Executor that runs each call at once in this process (`--jobs 1`)."""

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(err)
        return future

    def map(self, fn: Callable, *iterables, timeout=None, chunksize=1) -> Iterator:
        return map(fn, *iterables)


def process_executor(jobs: int) -> Executor:
    """A pool of `jobs` worker processes, forked once this process has loaded the gazetteer and
    the recogniser: the workers share those pages instead of each loading its own, and
    `gc.freeze` keeps the collector from writing to (and so copying) every inherited object."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _warm_worker()
    _load_before_fork()
    gc.collect()
    gc.freeze()
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_warm_worker)


def _load_before_fork() -> None:
    """What every worker would otherwise read or build for itself, loaded once in the parent so
    that the forked workers share its pages (20-35 MB a worker): the gazetteer's lazily read
    columns, both languages' word lists, and the modules a task imports."""
    import shapely  # noqa: F401 - a qualifier's state outline, geometry records

    from geo import corrections, layers  # noqa: F401 - imported by every task
    from geo.lexicon import first_names, word_frequencies

    worker_gazetteer().load_columns()
    for lang in ("de", "en"):
        first_names(lang)
        word_frequencies(lang)


def _warm_worker() -> None:
    """Load the gazetteer once per worker, before its first task."""
    from geo.pipeline import recognizer

    recognizer(worker_gazetteer())


_gazetteer_lock = threading.Lock()
_gazetteer = None


def worker_gazetteer():
    """This process's gazetteer for corpus runs: over the mapped index, loaded once."""
    global _gazetteer
    with _gazetteer_lock:
        if _gazetteer is None:
            from geo.config import INDEX_CACHE_DIR
            from geo.gazetteer import Gazetteer

            _gazetteer = Gazetteer(cache_dir=INDEX_CACHE_DIR)
        return _gazetteer


@contextmanager
def dask_executor(address: str | None, *, jobs: int) -> Iterator[Executor]:
    """The executor of a Dask cluster: the scheduler at `address`, or a local cluster of `jobs`
    worker processes (one thread each) on 127.0.0.1."""
    import logging

    from distributed import Client, LocalCluster

    if address:
        with Client(address) as client:
            yield client.get_executor()
        return
    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client.get_executor()


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def expand_inputs(inputs: Iterable[str | Path]) -> list[str]:
    """Files as given; a folder gives its article files (.txt .md .html), sorted, recursively."""
    paths: list[str] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            paths.extend(str(p) for p in sorted(path.rglob("*"))
                         if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            paths.append(str(item))
    return paths


# --------------------------------------------------------------------------- records


def article_record(result: Geoparse, path: str, *, geometry: str = "full") -> dict:
    """The compact record of one geoparsed article (geometry by reference or as a point)."""
    from geo.layers import place_record

    article = result.article
    places = []
    for place in result.places:
        record = place_record(place)
        record["reason"] = place.reason
        if geometry in _REFERENCED:
            record["geometry"] = place.id
        elif geometry == "point":
            record["geometry"] = {"type": "Point", "coordinates": [place.candidate.lon, place.candidate.lat]}
        places.append(record)
    return {
        "record": "article",
        "path": path,
        "lang": article.lang,
        "title": article.title,
        "warnings": list(article.warnings) + list(result.warnings),
        "passages": [{"index": p.index, "start": p.start, "end": p.end, "role": p.role,
                      "paragraph": p.paragraph, "text": article.text[p.start:p.end]} for p in article.passages],
        "places": places,
        "unresolved": [{**m.as_dict(), "key": m.key} for m in result.unresolved],
    }


def with_geometry(collection: dict, geometry: str) -> dict:
    """A GeoJSON FeatureCollection with its geometry as `--geometry` asks (full: unchanged)."""
    if geometry == "full":
        return collection
    import shapely

    features = []
    for feature in collection["features"]:
        properties = feature["properties"]
        if geometry == "none":
            shape = None
        elif geometry == "point":
            shape = {"type": "Point", "coordinates": [properties["lon"], properties["lat"]]}
        else:
            shape = shapely.geometry.mapping(shapely.simplify(
                shapely.geometry.shape(feature["geometry"]), SIMPLIFY_TOLERANCE_DEG, preserve_topology=True))
        features.append({**feature, "geometry": shape})
    return {**collection, "features": features}


def error_record(path: str, message: str) -> dict:
    return {"record": "error", "path": path, "message": message}


def _parse_file(path: str, options: BatchOptions) -> dict | Encoded:
    """One file → its article record, or an error record (never raises for a bad file);
    encoded as its JSON line when the options ask."""
    record = _file_record(path, options)
    return Encoded.of(record) if options.encoded else record


def _file_record(path: str, options: BatchOptions) -> dict:
    from geo.corrections import apply_removals
    from geo.pipeline import geoparse_file

    try:
        result = geoparse_file(path, lang=options.lang, corrections=options.corrections,
                               gazetteer=worker_gazetteer())
    except AtlasError as err:
        return error_record(path, str(err))
    except (UnicodeError, ValueError, OSError, MemoryError, RecursionError) as err:  # hostile input
        return error_record(path, f"cannot geoparse this file ({type(err).__name__}: {err})")
    if options.corrections is not None:
        result = apply_removals(result, options.corrections)
    return article_record(result, path, geometry=options.geometry)


def parse_files(paths: Sequence[str], options: BatchOptions) -> list[dict | Encoded]:
    """A task: several files → their records, in order (runs in a worker)."""
    return [_parse_file(path, options) for path in paths]


def geometry_records(place_ids: Sequence[str], geometry: str, encoded: bool = False) -> list[dict | Encoded]:
    """A task: the geometry record of each place id (full or simplified outline), each encoded
    as its JSON line if `encoded`."""
    import numpy as np
    import shapely

    gazetteer = worker_gazetteer()
    records = []
    for place_id in place_ids:
        if gazetteer.row_of(place_id) is None:
            continue  # not an offline place (none reach a batch today)
        shape = gazetteer.geometry(place_id)
        if geometry == "simplified" and shape.geom_type != "Point":
            shape = shapely.simplify(shape, SIMPLIFY_TOLERANCE_DEG, preserve_topology=True)
        shape = shapely.transform(shape, lambda xy: np.round(xy, COORDINATE_DECIMALS))
        record = {"record": "geometry", "id": place_id, "geometry": shapely.geometry.mapping(shape)}
        records.append(Encoded.of(record) if encoded else record)
    return records


def _chunks(items: Sequence, size: int) -> list[tuple]:
    return [tuple(items[i:i + size]) for i in range(0, len(items), size)]


def run_batch(paths: Sequence[str], options: BatchOptions, executor: Executor, *,
              progress: Callable[[int], None] | None = None,
              summary: BatchSummary | None = None) -> Iterator[dict]:
    """Every file's record in input order, then the geometry records (sorted by id).

    `executor` runs the tasks: InProcessExecutor, a ProcessPoolExecutor or a Dask client's
    `get_executor()`. `progress(n)` is called as n more files are done.
    """
    summary = summary if summary is not None else BatchSummary()
    seen: set[str] = set()
    chunks = _chunks(list(paths), _FILES_PER_TASK)
    # Lists, not itertools.repeat: Dask's executor sizes its arguments.
    for records in executor.map(parse_files, chunks, [options] * len(chunks)):
        for record in records:
            summary.files += 1
            if isinstance(record, Encoded):
                kind, path, message, place_ids, mentions = (record.record, record.path, record.message,
                                                            record.place_ids, record.mentions)
            else:
                kind, path, message = record["record"], record["path"], record.get("message", "")
                place_ids = [p["id"] for p in record.get("places", ())]
                mentions = sum(p["mention_count"] for p in record.get("places", ()))
            if kind == "error":
                summary.failed += 1
                summary.errors.append((path, message))
            else:
                summary.places += len(place_ids)
                summary.mentions += mentions
                seen.update(place_ids)
            yield record
        if progress is not None:
            progress(len(records))
    if options.geometry in _REFERENCED and seen:
        # In this process a task of one: each outline is written before the next is made.
        chunks = _chunks(sorted(seen), 1 if isinstance(executor, InProcessExecutor) else _GEOMETRIES_PER_TASK)
        for records in _in_order(executor, geometry_records, chunks, (options.geometry, options.encoded),
                                 _GEOMETRY_TASKS_AHEAD):
            summary.geometries += len(records)
            yield from records


def _in_order(executor: Executor, fn: Callable, chunks: Sequence, arguments: tuple, ahead: int) -> Iterator:
    """`executor.map(fn, chunks, *([a] * len(chunks) for a in arguments))`, in order, with at most `ahead` tasks
    submitted beyond the one whose result is being read (map submits every task at once). In
    this process (InProcessExecutor) none: a task submitted there is done at once, and its
    outlines would wait here for nothing (16 tasks ahead held ~40 MB of Python coordinates)."""
    if isinstance(executor, InProcessExecutor):
        ahead = 0
    pending: deque = deque()
    for chunk in chunks:
        pending.append(executor.submit(fn, chunk, *arguments))
        if len(pending) > ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# --------------------------------------------------------------------------- writers


def _json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_finite) + "\n"


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write_jsonl(records: Iterable[dict | Encoded], out) -> None:
    """One record a line, to a text stream."""
    for record in records:
        out.write(record.line if isinstance(record, Encoded) else _json_line(record))


def read_jsonl(path: str | Path) -> tuple[list[dict], list[dict], dict[str, dict]]:
    """(articles, errors, geometry by id) of a JSON-lines batch output."""
    articles, errors, geometries = [], [], {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            kind = record["record"]
            if kind == "article":
                articles.append(record)
            elif kind == "error":
                errors.append(record)
            elif kind == "geometry":
                geometries[record["id"]] = record["geometry"]
    return articles, errors, geometries


_PLACE_SCALARS = ("id", "name", "display_name", "kind", "feature", "country", "confidence", "source",
                  "mention_count", "lat", "lon", "length_km", "population", "corrected", "reason")
PARQUET_TABLES = ("articles", "places", "mentions", "geometries")


def write_parquet(records: Iterable[dict], folder: str | Path, *, geometry: str = "full") -> list[Path]:
    """Parquet tables in `folder`: articles (errors included), places (GeoParquet, one row per
    place per article, its point), mentions (with their quote), geometries (GeoParquet, one row
    per distinct place: the outline the places refer to by id)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    articles, places, mentions, geometries = [], [], [], []
    index = 0
    for record in records:
        kind = record["record"]
        if kind == "geometry":
            geometries.append({"id": record["id"],
                               "geometry": shapely.to_wkb(shapely.geometry.shape(record["geometry"]))})
            continue
        row = {"article": index, "path": record["path"], "status": "ok" if kind == "article" else "error",
               "error": record.get("message"), "lang": record.get("lang"), "title": record.get("title"),
               "warnings": record.get("warnings", []), "passages": len(record.get("passages", ())),
               "places": len(record.get("places", ()))}
        articles.append(row)
        if kind == "article":
            quotes = [p["text"] for p in record["passages"]]
            for place in record["places"]:
                values = {"article": index, "path": record["path"], **{k: place[k] for k in _PLACE_SCALARS},
                          "alternatives": json.dumps(place["alternatives"], ensure_ascii=False)}
                if geometry != "none":
                    values["geometry"] = shapely.to_wkb(shapely.Point(place["lon"], place["lat"]))
                places.append(values)
                mentions.extend(_mention_row(index, record["path"], place["id"], m, quotes) for m in place["mentions"])
            mentions.extend(_mention_row(index, record["path"], None, m, quotes) for m in record["unresolved"])
        index += 1
    article_schema, place_schema, mention_schema, geometry_schema = _schemas()
    if geometry == "none":
        place_schema = place_schema.remove(place_schema.get_field_index("geometry"))
    tables = [("articles", articles, article_schema), ("places", places, place_schema),
              ("mentions", mentions, mention_schema)]
    if geometry in _REFERENCED:
        tables.append(("geometries", geometries, geometry_schema))
    written = []
    for name, rows, schema in tables:
        table = pa.Table.from_pylist(rows, schema=schema)
        if "geometry" in schema.names:
            table = table.replace_schema_metadata({b"geo": _geo_metadata(rows)})
        path = folder / f"{name}.parquet"
        pq.write_table(table, path)
        written.append(path)
    return written


def _mention_row(article: int, path: str, place_id: str | None, mention: dict, quotes: list[str]) -> dict:
    return {"article": article, "path": path, "place_id": place_id, "start": mention["start"],
            "end": mention["end"], "text": mention["text"], "passage": mention["passage"],
            "form": mention["form"], "quote": quotes[mention["passage"]]}


def _geo_metadata(rows: list[dict]) -> bytes:
    """GeoParquet 1.1 metadata (WKB, longitude/latitude: OGC:CRS84, the default)."""
    import shapely

    types = sorted({shapely.from_wkb(r["geometry"]).geom_type for r in rows if r.get("geometry")})
    return json.dumps({"version": "1.1.0", "primary_column": "geometry",
                       "columns": {"geometry": {"encoding": "WKB", "geometry_types": types}}}).encode()


def _schemas() -> tuple:
    """The Arrow schemas of the articles, places, mentions and geometries tables."""
    import pyarrow as pa

    articles = pa.schema([("article", pa.int32()), ("path", pa.string()), ("status", pa.string()),
                          ("error", pa.string()), ("lang", pa.string()), ("title", pa.string()),
                          ("warnings", pa.list_(pa.string())), ("passages", pa.int32()), ("places", pa.int32())])
    places = pa.schema([("article", pa.int32()), ("path", pa.string()), ("id", pa.string()), ("name", pa.string()),
                        ("display_name", pa.string()), ("kind", pa.string()), ("feature", pa.string()),
                        ("country", pa.string()), ("confidence", pa.float64()), ("source", pa.string()),
                        ("mention_count", pa.int32()), ("lat", pa.float64()), ("lon", pa.float64()),
                        ("length_km", pa.float64()), ("population", pa.int64()), ("corrected", pa.bool_()),
                        ("reason", pa.string()), ("alternatives", pa.string()), ("geometry", pa.binary())])
    mentions = pa.schema([("article", pa.int32()), ("path", pa.string()), ("place_id", pa.string()),
                          ("start", pa.int32()), ("end", pa.int32()), ("text", pa.string()),
                          ("passage", pa.int32()), ("form", pa.string()), ("quote", pa.string())])
    geometries = pa.schema([("id", pa.string()), ("geometry", pa.binary())])
    return articles, places, mentions, geometries


def read_parquet(folder: str | Path) -> dict:
    """The tables of a Parquet batch output as pyarrow Tables (those present)."""
    import pyarrow.parquet as pq

    folder = Path(folder)
    return {name: pq.read_table(folder / f"{name}.parquet") for name in PARQUET_TABLES
            if (folder / f"{name}.parquet").exists()}
