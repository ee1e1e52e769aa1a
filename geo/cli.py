"""Command line: `python -m geo lookup|border|extract|claims|export …` (contracts in README.md).

Output is JSON on stdout; failures are one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _lookup(args: argparse.Namespace) -> int:
    from geo.gazetteer import Gazetteer

    found = Gazetteer.default().candidates(args.name, limit=args.limit)
    json.dump([c.as_dict() for c in found], sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _border(args: argparse.Namespace) -> int:
    import shapely

    from geo.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()
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


def _extract(args: argparse.Namespace) -> int:
    from geo.errors import AtlasError, EmptyArticle
    from geo.export import feature_collection
    from geo.pipeline import geoparse_file

    if args.format == "geojson" and len(args.paths) != 1:
        print("error: --format geojson takes one input; use --format jsonl for several", file=sys.stderr)
        return 2
    status = 0
    for path in args.paths:
        try:
            collection = feature_collection(geoparse_file(path, lang=args.lang))
        except EmptyArticle:
            collection = {"type": "FeatureCollection", "passages": [], "unresolved": [], "features": []}
        except AtlasError as err:
            print(f"error: {path}: {err}", file=sys.stderr)
            status = 1
            continue
        if args.format == "jsonl":
            collection = {"path": path, **collection}
            sys.stdout.write(json.dumps(collection, ensure_ascii=False) + "\n")
        else:
            json.dump(collection, sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
    return status


def _claims(args: argparse.Namespace) -> int:
    from geo.claims import distance_table, find_claims
    from geo.errors import AtlasError
    from geo.pipeline import geoparse_file

    try:
        result = geoparse_file(args.path, lang=args.lang)
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
    result = geoparse_file(args.article, lang=args.lang)
    meta = article_meta(result.article, title=args.title)
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
                outputs["pdf"] = sheet_pdf(result, meta, renderer=renderer)
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

    extract = commands.add_parser("extract", help="geoparse articles (GeoJSON or JSON lines)")
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--lang", choices=("auto", "de", "en"), default="auto")
    extract.add_argument("--format", choices=("geojson", "jsonl"), default="geojson")
    extract.set_defaults(run=_extract)

    claims = commands.add_parser("claims", help="the article's lengths, distances and areas, checked (JSON list)")
    claims.add_argument("path", metavar="ARTICLE")
    claims.add_argument("--lang", choices=("auto", "de", "en"), default="auto")
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
