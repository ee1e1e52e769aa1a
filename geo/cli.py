"""Command line: `python -m geo lookup|border|extract|batch|claims|export …` (contracts in README.md).

Output is JSON on stdout; failures are one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _gazetteer():
    """The process's shared gazetteer, over the memory-mapped index (geo.config.INDEX_CACHE_DIR)
    as app.py and geo.batch load it: its pages are the page cache's, not this process's decoded
    Parquet (one article peaks at ~220 MB resident instead of ~390 MB). Made the default, so the
    stages that ask for `Gazetteer.default()` get this one."""
    from geo.config import INDEX_CACHE_DIR
    from geo.gazetteer import Gazetteer

    return Gazetteer.default(cache_dir=INDEX_CACHE_DIR)


def _lookup(args: argparse.Namespace) -> int:
    found = _gazetteer().candidates(args.name, limit=args.limit)
    json.dump([c.as_dict() for c in found], sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _border(args: argparse.Namespace) -> int:
    import shapely

    gazetteer = _gazetteer()
    codes = [args.a.upper(), args.b.upper()]
    for code in codes:
        if gazetteer.by_id(f"country:{code}") is None:
            print(f"error: {code} is not an ISO 3166 alpha-2 country code we know", file=sys.stderr)
            return 2
    border = gazetteer.border_between(*codes)
    if border is None:
        print(f"{codes[0]} and {codes[1]} share no land border", file=sys.stderr)
        return 1
    feature = {
        "type": "Feature",
        "geometry": shapely.geometry.mapping(gazetteer.geometry(border.id)),
        "properties": {
            "id": border.id, "name": border.name, "name_de": border.name_de, "kind": "border",
            "countries": sorted(codes), "length_km": border.length_km, "source": border.source,
        },
    }
    json.dump(feature, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _corrections(args: argparse.Namespace):
    """The corrections file given with --corrections (the page's export), or None."""
    if not getattr(args, "corrections", None):
        return None
    from pathlib import Path

    from geo.corrections import from_json
    from geo.errors import InputError

    try:
        data = Path(args.corrections).read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the corrections file {args.corrections}: {err.strerror or err}") from err
    return from_json(data)


def _extract(args: argparse.Namespace) -> int:
    from geo.batch import with_geometry
    from geo.corrections import apply_removals
    from geo.errors import AtlasError, EmptyArticle
    from geo.export import feature_collection
    from geo.pipeline import geoparse_file

    if args.format in ("records", "parquet"):
        return _run_batch(args)
    if args.format == "geojson" and len(args.paths) != 1:
        print("error: --format geojson takes one input; use --format jsonl or records for several", file=sys.stderr)
        return 2
    # geojson, and jsonl: one FeatureCollection a line with its path (the shared reference
    # scorers read this); `records` is the compact corpus format.
    corrections = _corrections(args)
    status = 0
    for path in args.paths:
        try:
            result = geoparse_file(path, lang=args.lang, gazetteer=_gazetteer(), corrections=corrections)
            if corrections is not None:
                result = apply_removals(result, corrections)
            collection = with_geometry(feature_collection(result), args.geometry)
        except EmptyArticle:
            collection = {"type": "FeatureCollection", "passages": [], "unresolved": [], "features": []}
        except AtlasError as err:
            print(f"error: {path}: {err}", file=sys.stderr)
            status = 1
            continue
        if args.format == "jsonl":
            collection = {"path": path, **collection}
        sys.stdout.write(json.dumps(collection, ensure_ascii=False) + "\n")
    return status


def _run_batch(args: argparse.Namespace) -> int:
    """extract --format records|parquet and batch: one code path, on an Executor."""
    import time
    from contextlib import ExitStack
    from pathlib import Path

    from geo.batch import BatchOptions, BatchSummary, expand_inputs, run_batch, write_jsonl, write_parquet

    out = Path(args.out) if args.out else None
    if args.format == "parquet" and out is None:
        print("error: --format parquet writes a folder of tables; give it with --out DIR", file=sys.stderr)
        return 2
    paths = expand_inputs(args.paths)
    if not paths:
        print("error: no article files (.txt, .md, .html) in the inputs given", file=sys.stderr)
        return 2
    # JSON lines: each worker encodes its records (the parent only writes them out).
    options = BatchOptions(lang=args.lang, geometry=args.geometry, corrections=_corrections(args),
                           encoded=args.format != "parquet")
    summary = BatchSummary()
    started = time.perf_counter()
    with ExitStack() as stack:
        executor = stack.enter_context(_executor(args, len(paths)))
        progress = stack.enter_context(_progress(len(paths)))
        records = run_batch(paths, options, executor, progress=progress, summary=summary)
        if args.format == "parquet":
            write_parquet(records, out, geometry=args.geometry)
        elif out is not None:
            out.mkdir(parents=True, exist_ok=True)
            with open(out / "geoparse.jsonl", "w", encoding="utf-8") as handle:
                write_jsonl(records, handle)
        else:
            write_jsonl(records, sys.stdout)
            sys.stdout.flush()
    for path, message in summary.errors:
        print(f"error: {path}: {message}", file=sys.stderr)
    if not args.quiet:
        print(summary.line(time.perf_counter() - started), file=sys.stderr)
    return summary.exit_code


def _executor(args: argparse.Namespace, files: int):
    """In this process (--jobs 1), a process pool (--jobs N) or Dask (batch, --scheduler)."""
    from contextlib import contextmanager

    from geo.batch import InProcessExecutor, dask_executor, process_executor

    @contextmanager
    def opened():
        jobs = args.jobs
        if args.command == "batch":
            with dask_executor(args.scheduler, jobs=jobs) as executor:
                yield executor
        elif jobs == 1 or files == 1:
            yield InProcessExecutor()
        else:
            with process_executor(jobs) as executor:
                yield executor

    return opened()


def _progress(total: int):
    """A progress bar on a terminal (tqdm on stderr); nothing when stderr is a file or pipe."""
    from contextlib import contextmanager

    @contextmanager
    def opened():
        if not sys.stderr.isatty():
            yield None
            return
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this
        with tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True) as bar:
            yield bar.update

    return opened()


def _jobs(value: str) -> int:
    jobs = int(value)
    if jobs < 1:
        raise argparse.ArgumentTypeError("--jobs takes a whole number >= 1")
    return jobs


def _add_geoparse_options(command: argparse.ArgumentParser, *, formats: tuple[str, ...], default: str) -> None:
    """Options every geoparsing command shares."""
    from geo.batch import GEOMETRY_MODES, default_jobs

    command.add_argument("--lang", choices=("auto", "de", "en"), default="auto")
    command.add_argument("--format", choices=formats, default=default)
    command.add_argument("--geometry", choices=GEOMETRY_MODES, default="full",
                         help="full outlines (once per distinct place, by reference, in jsonl/parquet), "
                              "simplified outlines, the point only, or none")
    command.add_argument("--corrections", metavar="FILE",
                         help="corrections exported from the page (JSON): applied to every article")
    command.add_argument("--jobs", type=_jobs, default=default_jobs(), metavar="N",
                         help="worker processes (default: all cores)")
    command.add_argument("--quiet", action="store_true", help="no summary line on stderr")


def _claims(args: argparse.Namespace) -> int:
    from geo.claims import distance_table, find_claims
    from geo.errors import AtlasError
    from geo.pipeline import geoparse_file

    from geo.corrections import apply_removals

    try:
        corrections = _corrections(args)
        result = geoparse_file(args.path, lang=args.lang, gazetteer=_gazetteer(), corrections=corrections)
        if corrections is not None:
            result = apply_removals(result, corrections)
    except AtlasError as err:
        print(f"error: {args.path}: {err}", file=sys.stderr)
        return 1
    if args.distances:
        out = [{k: v for k, v in row.items() if k != "line"} for row in distance_table(result)]
    else:
        out = [claim.as_dict() for claim in find_claims(result)]
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


_EXPORT_FORMATS = ("png", "pdf", "svg", "html", "geojson", "gpkg", "csv")


def _export(args: argparse.Namespace) -> int:
    """`geo export ARTICLE --png F --pdf F …`: one geoparse, several files, one Chromium."""
    from pathlib import Path

    from geo.pipeline import geoparse_file
    from geo.records import article_meta

    wanted = {fmt: getattr(args, fmt) for fmt in _EXPORT_FORMATS if getattr(args, fmt)}
    if not wanted:
        print("error: name at least one output, e.g. --png map.png or --pdf sheet.pdf "
              f"(formats: {', '.join('--' + f for f in _EXPORT_FORMATS)})", file=sys.stderr)
        return 2
    try:
        from geo.briefing import parse_size

        size = parse_size(args.size)
    except ValueError as err:
        print(f"error: --size {err}", file=sys.stderr)
        return 2
    if not 0.5 <= args.scale <= 4:
        print("error: --scale takes a pixel density from 0.5 to 4 (2 for print)", file=sys.stderr)
        return 2
    result = geoparse_file(args.article, lang=args.lang, gazetteer=_gazetteer())
    meta = article_meta(result.article, title=args.title, places=result.places)
    outputs: dict[str, bytes] = {}
    if {"geojson", "gpkg", "csv"} & set(wanted):
        from geo.export import geojson_text, geopackage_bytes, places_csv

        if "geojson" in wanted:
            outputs["geojson"] = geojson_text(result, meta=meta).encode("utf-8")
        if "gpkg" in wanted:
            outputs["gpkg"] = geopackage_bytes(result, meta=meta)
        if "csv" in wanted:
            outputs["csv"] = places_csv(result, meta=meta).encode("utf-8")
    if "html" in wanted:
        from geo.mapping import map_data, standalone_html

        outputs["html"] = standalone_html(map_data(result), title=meta.title or "Article Atlas").encode("utf-8")
    if {"png", "pdf", "svg"} & set(wanted):
        from geo.briefing import briefing_png, briefing_svg, sheet_pdf
        from geo.snapshot import Renderer

        with Renderer() as renderer:
            if "png" in wanted:
                outputs["png"] = briefing_png(result, meta, size=size, scale=args.scale, numbers=args.numbers,
                                              renderer=renderer)
            if "svg" in wanted:
                outputs["svg"] = briefing_svg(result, meta, size=size, numbers=args.numbers, renderer=renderer)
            if "pdf" in wanted:
                from geo.claims import figures_sections

                outputs["pdf"] = sheet_pdf(result, meta, renderer=renderer, sections=figures_sections(result))
    for fmt, target in wanted.items():
        path = Path(target.replace("{stem}", meta.stem))
        path.write_bytes(outputs[fmt])
        print(f"{fmt}: {path} ({len(outputs[fmt]):,} bytes)", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Article Atlas: offline geoparsing.")
    commands = parser.add_subparsers(dest="command", required=True)

    lookup = commands.add_parser("lookup", help="places a name could mean, best first (JSON list)")
    lookup.add_argument("name")
    lookup.add_argument("--limit", type=int, default=10)
    lookup.set_defaults(run=_lookup)

    border = commands.add_parser("border", help="the land border of two countries (GeoJSON Feature)")
    border.add_argument("a", help="ISO alpha-2 code, e.g. BY")
    border.add_argument("b", help="ISO alpha-2 code, e.g. UA")
    border.set_defaults(run=_border)

    extract = commands.add_parser("extract", help="geoparse articles (GeoJSON, JSON lines or Parquet)")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders of them")
    _add_geoparse_options(extract, formats=("geojson", "jsonl", "records", "parquet"), default="geojson")
    extract.add_argument("--out", metavar="DIR", help="write DIR/geoparse.jsonl or the Parquet tables there")
    extract.set_defaults(run=_extract)

    batch = commands.add_parser("batch", help="geoparse a corpus on Dask (a local cluster without --scheduler)")
    batch.add_argument("paths", nargs="+", metavar="INPUT", help="article files or folders of them")
    _add_geoparse_options(batch, formats=("records", "parquet"), default="records")
    batch.add_argument("--out", metavar="DIR", required=True, help="where the output goes")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="a running Dask scheduler (tcp://host:8786); without it a local cluster of --jobs workers")
    batch.set_defaults(run=_run_batch)

    claims = commands.add_parser("claims", help="the article's lengths, distances and areas, checked (JSON list)")
    claims.add_argument("path", metavar="ARTICLE")
    claims.add_argument("--lang", choices=("auto", "de", "en"), default="auto")
    claims.add_argument("--corrections", metavar="FILE",
                        help="corrections exported from the page (JSON): applied before the claims are read")
    claims.add_argument("--distances", action="store_true",
                        help="print the distance table (between places, from borders) instead")
    claims.set_defaults(run=_claims)

    export = commands.add_parser(
        "export", help="briefing files of an article: PNG, PDF sheet, SVG, HTML map, GeoJSON, GeoPackage, CSV",
        description="Write one or more exports of one article. In a file name, {stem} becomes a name from the "
                    "article's date and title (e.g. 2022-12-19-putin-minsk).")
    export.add_argument("article", metavar="ARTICLE", help="a .txt, .md or .html file")
    for fmt, what in (("png", "briefing image (locator map)"), ("pdf", "briefing sheet, A4 landscape"),
                      ("svg", "briefing image as SVG (vector)"), ("html", "interactive map, opens offline"),
                      ("geojson", "places with quotes"), ("gpkg", "GeoPackage: a layer per kind, mentions, article"),
                      ("csv", "one row per place, with quotes")):
        export.add_argument(f"--{fmt}", metavar="FILE", help=what)
    export.add_argument("--size", default="1920x1080", metavar="WxH", help="image size in pixels (default 1920x1080)")
    export.add_argument("--scale", type=float, default=1.0, metavar="N",
                        help="pixel density of the PNG: 2 doubles both sides, for print (default 1)")
    export.add_argument("--title", default=None, metavar="T", help="title of the map and sheet (default: the headline)")
    export.add_argument("--numbers", action="store_true", help="number the places on the image, as on the sheet")
    export.add_argument("--lang", choices=("auto", "de", "en"), default="auto")
    export.set_defaults(run=_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except Exception as err:  # noqa: BLE001 - the CLI promises one line, never a traceback
        from geo.errors import AtlasError

        prefix = "error" if isinstance(err, AtlasError) else f"internal error ({type(err).__name__})"
        print(f"{prefix}: {err}", file=sys.stderr)
        return 1
