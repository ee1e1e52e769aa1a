"""Briefing exports: a locator-map image for a slide and an A4 sheet (PDF) for a paper.

    meta = article_meta(result.article, places=result.places)
    png = briefing_png(result, meta)                      # 1920×1080, newsroom locator style
    pdf = sheet_pdf(result, meta, sections=[("Figures", table_html)])

The image is the map page laid out like a newsroom locator map (title, source line, every place
named, legend, scale bar, credits; no zoom buttons or layer switcher), rendered by Chromium. The
sheet is an HTML page of ours printed by Chromium to PDF (A4 landscape, text selectable): the
headline, source and date; the map with numbered places; the places listed with their kind and
one key quote; the measured figures; the credits; and any extra sections a caller passes in as
`(heading, html)` pairs (their HTML must be escaped by the caller).

Every string from the article is escaped here before it becomes HTML.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import struct
import zlib
from collections.abc import Sequence

from geo.gazetteer import Gazetteer
from geo.kinds import KIND_LAYER, kind_of
from geo.mapping import ATTRIBUTION, MapData, RawHTML, build_map, map_data
from geo.models import Geoparse
from geo.records import ArticleMeta, key_passage, place_record
from geo.snapshot import Renderer
from geo.textview import country_names, excerpt

__all__ = [
    "BRIEFING_SIZE",
    "LAYOUT_WIDTH",
    "MAP_CREDIT",
    "Section",
    "briefing_html",
    "briefing_png",
    "briefing_svg",
    "sheet_html",
    "sheet_pdf",
    "measured_figures",
    "parse_size",
    "extent_text",
    "PNG_VIEW_KEY",
]

BRIEFING_SIZE = (1920, 1080)  # a full-HD slide
LAYOUT_WIDTH = 1280  # CSS px a briefing is laid out at; a wider image scales it up, text included
MAX_PIXELS = 8000  # either side of a PNG, after scaling: past this Chromium runs out of texture memory
MAP_CREDIT = "Map: Article Atlas"
# The sheet's map (190 × 150 mm): laid out at 900 CSS px (labels print at about 7 pt), rendered at
# twice that density (about 240 dpi).
SHEET_MAP_CSS = (900, 710)
SHEET_MAP_SCALE = 2.0
SHEET_SIDE_PLACES = 22  # places listed beside the map on page 1; all are in the table on page 2
OFF_MAP_NOTE = "outside the map"  # said of a listed place the map's view does not reach
SHEET_QUOTE_CHARS = 105  # one line of the table: the sheet stays on two pages
PNG_VIEW_KEY = "Article Atlas view"  # a PNG's text chunk: the map's bounds and layers, as JSON
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_FONTS = '"Liberation Sans", Arial, "DejaVu Sans", sans-serif'

Section = tuple[str, str]  # (heading, HTML the caller escaped), e.g. ("Figures", "<table>…</table>")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def parse_size(text: str) -> tuple[int, int]:
    """«1920x1080» → (1920, 1080); anything else raises ValueError with the expected form."""
    try:
        width, height = (int(part) for part in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise ValueError(f"size {text!r}: expected WIDTHxHEIGHT in pixels, e.g. 1920x1080") from None
    if not (100 <= width <= MAX_PIXELS and 100 <= height <= MAX_PIXELS):
        raise ValueError(f"size {text!r}: each side must be 100 to {MAX_PIXELS} pixels")
    return width, height


# --------------------------------------------------------------------------- the locator map page


_BRIEFING_CSS = f"""
html, body {{ background: #ffffff; }}
body {{ display: flex; flex-direction: column; font-family: {_FONTS}; color: #1f2328; }}
.folium-map {{ order: 1; flex: 1 1 auto; height: auto !important; min-height: 0; }}
.leaflet-container {{ font-family: {_FONTS}; }}
.atlas-brief-head {{ order: 0; padding: 18px 28px 12px; }}
.atlas-brief-head .kicker {{ font-size: 13px; line-height: 1.2; margin: 0 0 4px; font-weight: 700; color: #57606a;
  text-transform: uppercase; letter-spacing: 0.06em; }}
.atlas-brief-head h1 {{ font-size: 27px; line-height: 1.2; margin: 0 0 5px; font-weight: 700; }}
.atlas-brief-head p {{ font-size: 15px; line-height: 1.35; margin: 0; color: #57606a; }}
.atlas-brief-foot {{ order: 2; display: flex; gap: 24px; justify-content: space-between; padding: 8px 28px 10px;
  font-size: 11px; line-height: 1.35; color: #57606a; border-top: 1px solid #d0d7de; }}
.atlas-brief-foot b {{ color: #1f2328; }}
.atlas-brief-foot .credits {{ text-align: right; max-width: 62%; }}
.atlas-legend {{ font-size: 12.5px; }}
.atlas-inset {{ background: #dbe7f0; border: 1px solid #8c959f; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18); }}
"""


def _subtitle(meta: ArticleMeta) -> str:
    return meta.source_line or (meta.source_name and f"From {meta.source_name}") or ""


def _kicker_html(meta: ArticleMeta) -> str:
    """The kicker (topic line) above the title, small: «RUSSLAND»; nothing when there is none."""
    return f'<p class="kicker">{_e(meta.kicker)}</p>' if meta.kicker else ""


def briefing_html(data: MapData, meta: ArticleMeta, *, numbers: bool = False, chrome: bool = True,
                  legend: bool = True) -> str:
    """The locator-map page: title and source line above the map, credits below (`chrome=False`:
    the map alone, for the sheet, which prints its own). Self-contained and offline."""
    m = build_map(data, assets=None, online=False, briefing=True, numbers=numbers, legend=legend)
    root = m.get_root()
    root.header.add_child(RawHTML('<meta charset="utf-8">'), name="atlas_charset", index=0)
    root.header.add_child(RawHTML(f"<title>{_e(meta.title or 'Article Atlas')}</title>"), name="atlas_title")
    root.header.add_child(RawHTML(f"<style>{_BRIEFING_CSS}</style>"), name="atlas_briefing_css")
    if chrome:
        subtitle = _subtitle(meta)
        head = '<header class="atlas-brief-head">' + _kicker_html(meta)
        head += f'<h1>{_e(meta.title or "Places in the article")}</h1>'
        head += f"<p>{_e(subtitle)}</p>" if subtitle else ""
        head += "</header>"
        source = f"Source: {_e(meta.outlet or meta.source_name or 'the article')}"
        foot = (f'<footer class="atlas-brief-foot"><span><b>{_e(MAP_CREDIT)}</b> · {source}</span>'
                f'<span class="credits">{_e(ATTRIBUTION)}</span></footer>')
        root.html.add_child(RawHTML(head), name="atlas_brief_head")
        root.html.add_child(RawHTML(foot), name="atlas_brief_foot")
    return root.render()


def extent_text(view: dict | None) -> str:
    """«47.10–56.30° N, 23.00–38.50° E»: a rendered map's bounds (window.atlasView()) for a reader."""
    if not view:
        return ""
    (south, west), (north, east) = view["bounds"]

    def lat(v: float) -> str:
        return f"{abs(v):.2f}° {'N' if v >= 0 else 'S'}"

    def lon(v: float) -> str:
        return f"{abs(v):.2f}° {'E' if v >= 0 else 'W'}"

    return f"{lat(south)} – {lat(north)}, {lon(west)} – {lon(east)}"


def _png_text(png: bytes, entries: dict[str, str]) -> bytes:
    """The PNG with international text chunks (iTXt, UTF-8) after its header: read back with
    PIL's `Image.open(…).text` or `exiftool`."""
    if not png.startswith(_PNG_SIGNATURE):
        return png
    header_end = len(_PNG_SIGNATURE) + 8 + struct.unpack(">I", png[8:12])[0] + 4
    chunks = b""
    for keyword, text in entries.items():
        body = keyword.encode("latin-1")[:79] + b"\0\0\0\0\0" + text.encode("utf-8")
        chunks += struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    return png[:header_end] + chunks + png[header_end:]


def _layout(width: int, height: int, scale: float) -> tuple[int, int, float]:
    """CSS viewport and device scale for an image of width×height (×scale) pixels: laid out at
    LAYOUT_WIDTH CSS px (text keeps its size relative to the image), never narrower than asked."""
    zoom = max(1.0, width / LAYOUT_WIDTH)
    return round(width / zoom), round(height / zoom), zoom * scale


def briefing_png(result: Geoparse, meta: ArticleMeta, *, size: tuple[int, int] = BRIEFING_SIZE,
                 scale: float = 1.0, numbers: bool = False, data: MapData | None = None,
                 gazetteer: Gazetteer | None = None, renderer: Renderer | None = None) -> bytes:
    """The briefing image: size[0]·scale × size[1]·scale pixels. `data`: the page's map data (with
    the user's view, geo.mapping.in_view), else fitted to the places. `renderer`: a warm Chromium
    to reuse. The PNG records its title and what its map shows (PNG_VIEW_KEY: bounds, layers)."""
    width, height = size
    if max(width, height) * scale > MAX_PIXELS:
        raise ValueError(f"{width}×{height} at scale {scale:g} is past {MAX_PIXELS} pixels a side")
    data = data or map_data(result, gazetteer=gazetteer)
    page = briefing_html(data, meta, numbers=numbers)
    css_width, css_height, density = _layout(width, height, scale)

    def render(r: Renderer) -> bytes:
        png = r.png(page, width=css_width, height=css_height, scale=density)
        entries = {"Title": meta.title or "Places in the article", "Software": MAP_CREDIT, "Copyright": ATTRIBUTION}
        if r.last_view:
            entries[PNG_VIEW_KEY] = json.dumps(r.last_view, separators=(",", ":"))
        return _png_text(png, entries)

    if renderer is not None:
        return render(renderer)
    with Renderer() as fresh:
        return render(fresh)


def briefing_svg(result: Geoparse, meta: ArticleMeta, *, size: tuple[int, int] = BRIEFING_SIZE,
                 numbers: bool = False, data: MapData | None = None, gazetteer: Gazetteer | None = None,
                 renderer: Renderer | None = None) -> bytes:
    """The briefing image as SVG: the page printed to a one-page PDF by Chromium, converted by
    poppler's pdftocairo (Debian `poppler-utils`). Places, borders, labels and text are vectors;
    the basemap is an embedded image."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from geo.snapshot import SnapshotFailed, SnapshotUnavailable

    tool = shutil.which("pdftocairo")
    if tool is None:
        raise SnapshotUnavailable("The SVG export needs pdftocairo (Debian: `apt-get install poppler-utils`); "
                                  "the PNG and PDF exports work without it.")
    data = data or map_data(result, gazetteer=gazetteer)
    page = briefing_html(data, meta, numbers=numbers)
    css_width, css_height, _ = _layout(*size, 1.0)
    if renderer is not None:
        pdf = renderer.map_pdf(page, width=css_width, height=css_height)
    else:
        with Renderer() as fresh:
            pdf = fresh.map_pdf(page, width=css_width, height=css_height)
    with tempfile.TemporaryDirectory(prefix="atlas-svg-") as folder:
        source, target = Path(folder) / "map.pdf", Path(folder) / "map.svg"
        source.write_bytes(pdf)
        run = subprocess.run([tool, "-svg", "-f", "1", "-l", "1", str(source), str(target)],
                             capture_output=True, text=True, timeout=120)
        if run.returncode != 0 or not target.exists():
            raise SnapshotFailed(f"pdftocairo could not convert the map: {run.stderr.strip()[:200]}")
        return target.read_bytes()


# --------------------------------------------------------------------------- the sheet


def measured_figures(result: Geoparse, data: MapData | None = None) -> list[tuple[str, str]]:
    """(what, value) for the lengths the map measured: each border's geodesic length (of the
    borders on the map, when `data` is the user's view)."""
    rows = []
    for _, place in _shown(result, data):
        if place.kind == "border" and place.candidate.length_km:
            rows.append((f"{place.candidate.name} (land border)", f"{place.candidate.length_km:,.0f} km"))
    return rows


_SHEET_CSS = f"""
@page {{ size: A4 landscape; margin: 11mm 12mm 13mm; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font-family: {_FONTS}; color: #1f2328; font-size: 9pt; line-height: 1.35; }}
header {{ margin-bottom: 3mm; }}
h1 {{ font-size: 17pt; line-height: 1.2; margin: 0 0 1.5mm; }}
header .kicker {{ font-size: 8.5pt; font-weight: 700; color: #57606a; text-transform: uppercase; letter-spacing: 0.06em;
  margin: 0 0 0.8mm; }}
.sub {{ color: #57606a; font-size: 10pt; margin: 0; }}
.page1 {{ display: flex; gap: 6mm; align-items: flex-start; }}
.map {{ flex: 0 0 190mm; }}
.map img {{ width: 190mm; height: 150mm; display: block; border: 0.3mm solid #d0d7de; }}
.side {{ flex: 1 1 auto; min-width: 0; }}
h2 {{ font-size: 10.5pt; margin: 0 0 1.5mm; }}
.side section + section {{ margin-top: 4mm; }}
ol.key {{ list-style: none; padding: 0; margin: 0; columns: 1; }}
ol.key li {{ display: flex; gap: 1.8mm; align-items: baseline; margin: 0 0 0.8mm; }}
.n {{ display: inline-block; min-width: 4.6mm; height: 4.2mm; border-radius: 2.1mm; background: #1f2328;
  color: #fff; font-size: 7pt; line-height: 4.2mm; text-align: center; flex: 0 0 auto; }}
.kind {{ color: #57606a; font-size: 8pt; }}
.swatch {{ display: inline-block; width: 2.4mm; height: 2.4mm; border-radius: 0.6mm; background: var(--k); }}
table {{ width: 100%; border-collapse: collapse; }}
th, td {{ text-align: left; vertical-align: top; padding: 0.6mm 1.4mm; border-bottom: 0.2mm solid #d0d7de; }}
td.place {{ width: 78mm; line-height: 1.2; }}
.places {{ font-size: 7.5pt; line-height: 1.2; }}
.places mark {{ background: #fff1a8; font-style: normal; font-weight: 600; color: #1f2328; padding: 0 0.3mm; }}
th {{ font-size: 8pt; color: #57606a; font-weight: 600; border-bottom: 0.4mm solid #57606a; }}
td.num {{ text-align: right; white-space: nowrap; }}
.places td.quote {{ font-style: italic; color: #33383d; }}
.places tr {{ break-inside: avoid; }}
.page2 {{ break-before: page; }}
.extra {{ margin-top: 5mm; break-inside: avoid; }}
.why {{ color: #57606a; font-size: 7pt; }}
.more {{ color: #57606a; font-size: 8pt; margin-top: 1mm; }}
footer {{ margin-top: 2.5mm; color: #57606a; font-size: 7.5pt; border-top: 0.2mm solid #d0d7de; padding-top: 1.5mm; }}
"""


def _shown(result: Geoparse, data: MapData | None):
    """(number, place) of the places on the sheet: all, or those of the layers the user's view
    has on (numbers stay the map's: one per place of the article)."""
    layers = None if data is None or data.view is None else set(data.view.layers)
    return [(n, p) for n, p in enumerate(result.places, 1) if layers is None or KIND_LAYER[p.kind] in layers]


def _on_map(focus: dict | None, extent: dict | None) -> bool:
    """Whether a place shows on a map of this extent (window.atlasView()): its outline's box or
    its point meets the map's bounds. Unknown either way: True."""
    if not focus or not extent:
        return True
    (south, west), (north, east) = extent["bounds"]
    (p_south, p_west), (p_north, p_east) = focus["bounds"] or (focus["anchor"], focus["anchor"])
    return p_south <= north and p_north >= south and p_west <= east and p_east >= west


def _place_rows(result: Geoparse, gazetteer: Gazetteer | None, data: MapData | None = None,
                extent: dict | None = None) -> list[dict]:
    names = country_names(result.places, gazetteer)
    focus = data.focus if data is not None else {}
    rows = []
    for n, place in _shown(result, data):
        record = place_record(place, result.article)
        index = key_passage(place, result.article)
        # escaped by geo.textview.excerpt, the place's mentions in <mark>
        quote = "" if index is None else excerpt(result.article, index, place.mentions, limit=SHEET_QUOTE_CHARS)
        country = names.get(place.candidate.country, "") if place.kind != "country" else ""
        rows.append({"n": n, "record": record, "quote": quote, "country": country,
                     "colour": kind_of(place.kind).colour, "on_map": _on_map(focus.get(place.id), extent)})
    return rows


def sheet_html(result: Geoparse, meta: ArticleMeta, map_png: bytes, *, sections: Sequence[Section] = (),
               gazetteer: Gazetteer | None = None, made: dt.date | None = None, data: MapData | None = None,
               extent: dict | None = None) -> str:
    """The briefing sheet as HTML (A4 landscape when printed). `map_png`: the numbered map.
    `sections`: extra (heading, html) blocks after the places table, e.g. a figures check.
    `data`: the map's data (a user's view lists only the places of the layers it has on);
    `extent`: what the map image shows (window.atlasView()), printed in the footer."""
    rows = _place_rows(result, gazetteer, data, extent)
    made = made or dt.date.today()
    subtitle = " · ".join(p for p in (_subtitle(meta), f"{len(rows)} places") if p)
    image = base64.b64encode(map_png).decode("ascii")

    key = []
    for row in rows[:SHEET_SIDE_PLACES]:
        r = row["record"]
        key.append(f'<li><span class="n">{row["n"]}</span><span><b>{_e(r["display_name"])}</b> '
                   f'<span class="kind"><span class="swatch" style="--k:{row["colour"]}"></span> '
                   f'{_e(r["kind_label"])}{" · " + _e(row["country"]) if row["country"] else ""}'
                   f'{"" if row["on_map"] else " · " + _e(OFF_MAP_NOTE)}</span></span></li>')
    more = len(rows) - SHEET_SIDE_PLACES
    more_html = f'<div class="more">… and {more} more, listed overleaf.</div>' if more > 0 else ""
    figures = measured_figures(result, data)
    figures_html = ""
    if figures:
        body = "".join(f"<tr><td>{_e(what)}</td><td class=\"num\">{_e(value)}</td></tr>" for what, value in figures)
        figures_html = f'<section><h2>Measured on the map</h2><table class="figures">{body}</table></section>'

    table = []
    for row in rows:
        r = row["record"]
        english = f' <span class="kind">({_e(r["name"])})</span>' if r["name"] != r["display_name"] else ""
        details = [_e(r["kind_label"])] + ([_e(row["country"])] if row["country"] else []) \
            + ([_e(r["reason"])] if r["reason"] else []) + ([] if row["on_map"] else [_e(OFF_MAP_NOTE)])
        table.append(
            f'<tr><td class="num"><span class="n">{row["n"]}</span></td>'
            f'<td class="place"><b>{_e(r["display_name"])}</b>{english}'
            f'<div class="kind">{" · ".join(details)}</div></td>'
            f'<td class="num">{r["mention_count"]}</td>'
            f'<td class="num">{r["confidence"]:.0%}</td>'
            f'<td class="quote">{row["quote"]}</td></tr>')
    extra = "".join(f'<section class="extra"><h2>{_e(heading)}</h2>{body}</section>' for heading, body in sections)
    shows = f" · the map shows {_e(extent_text(extent))}" if extent else ""
    footer = (f"<footer>{_e(MAP_CREDIT)} · made {made.isoformat()} from «{_e(meta.source_name or meta.title)}» "
              f"(text SHA-256 {meta.sha256[:12]}…){shows} · {_e(ATTRIBUTION)}</footer>")
    lang = _e(meta.lang or "und")
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{_e(meta.title or 'Article Atlas briefing')}</title>
<style>{_SHEET_CSS}</style></head>
<body>
<header>{_kicker_html(meta)}<h1>{_e(meta.headline or meta.title or 'Places in the article')}</h1><p class="sub">{_e(subtitle)}</p></header>
<div class="page1">
  <div class="map"><img alt="Map of the places in the article" src="data:image/png;base64,{image}"></div>
  <div class="side">
    <section><h2>Places</h2><ol class="key">{''.join(key)}</ol>{more_html}</section>
    {figures_html}
  </div>
</div>
{footer}
<div class="page2">
  <h2>What the article says about each place</h2>
  <table class="places">
    <thead><tr><th>№</th><th>Place</th><th>Mentions</th><th>Confidence</th><th>Key quote</th></tr></thead>
    <tbody>{''.join(table)}</tbody>
  </table>
  {extra}
</div>
</body></html>"""


def sheet_pdf(result: Geoparse, meta: ArticleMeta, *, sections: Sequence[Section] = (),
              gazetteer: Gazetteer | None = None, renderer: Renderer | None = None,
              made: dt.date | None = None, data: MapData | None = None) -> bytes:
    """The briefing sheet as PDF: the numbered map rendered, the sheet printed, one Chromium.
    `data`: the page's map data (with the user's view, geo.mapping.in_view), else fitted."""
    data = data or map_data(result, gazetteer=gazetteer)
    page = briefing_html(data, meta, numbers=True, chrome=False, legend=False)  # the list keys the kinds
    width, height = SHEET_MAP_CSS

    def render(r: Renderer) -> bytes:
        png = r.png(page, width=width, height=height, scale=SHEET_MAP_SCALE)
        return r.pdf(sheet_html(result, meta, png, sections=sections, gazetteer=gazetteer, made=made,
                                data=data, extent=r.last_view))

    if renderer is not None:
        return render(renderer)
    with Renderer() as fresh:
        return render(fresh)
