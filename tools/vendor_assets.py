"""The map's static assets: vendored JavaScript/CSS, and a light basemap for the first paint.

    .venv/bin/python tools/vendor_assets.py      # after tools/fetch.py and `make data`

The app serves static/ at /app/static/ (see .streamlit/config.toml), so the map needs no CDN.
Sources: npm `leaflet@1.9.4` (BSD-2-Clause) and `jquery@3.7.1` (MIT), as pinned in
tools/fetch.py; their licence files are copied beside them. The copies are committed, so a
fresh clone runs offline; run this again only when a pin changes.

`static/atlas/basemap-lite.geojson` is derived from `static/basemap/countries.geojson` (written
by `make data`; same sources and licences, see data/README.md): simplified at 0.08°, islands
under 0.05 deg² dropped, 2 decimals. The map draws it first (a third of the bytes, a fraction of
the drawing time) and switches to the detailed file from zoom 6 on. Re-run after `make data`.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.fetch import npm_package  # noqa: E402

VENDOR = ROOT / "static" / "vendor"
BASEMAP = ROOT / "static" / "basemap" / "countries.geojson"
BASEMAP_LITE = ROOT / "static" / "atlas" / "basemap-lite.geojson"
LITE_TOLERANCE = 0.08
LITE_MIN_AREA = 0.05

# (package key in tools/fetch.py, file in the package, target under static/vendor/)
FILES = [
    ("leaflet", "dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet", "dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet", "dist/images/layers.png", "leaflet/images/layers.png"),
    ("leaflet", "dist/images/layers-2x.png", "leaflet/images/layers-2x.png"),
    ("leaflet", "dist/images/marker-icon.png", "leaflet/images/marker-icon.png"),
    ("leaflet", "dist/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
    ("leaflet", "dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
    ("leaflet", "LICENSE", "leaflet/LICENSE"),
    ("jquery", "dist/jquery.min.js", "jquery/jquery.min.js"),
    ("jquery", "LICENSE.txt", "jquery/LICENSE.txt"),
]


def vendor(target: Path = VENDOR) -> list[Path]:
    """Copy every vendored file; return the paths written."""
    written = []
    versions = {}
    for key, source, destination in FILES:
        package = npm_package(key)
        versions[key] = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
        out = target / destination
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package / source, out)
        written.append(out)
    (target / "VERSIONS.json").write_text(json.dumps(versions, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return written


def lite_basemap(source: Path = BASEMAP, target: Path = BASEMAP_LITE) -> Path:
    """A light copy of the country basemap for the first paint (see the module docstring)."""
    import shapely
    from shapely.geometry import mapping, shape

    collection = json.loads(source.read_text(encoding="utf-8"))
    features = []
    for feature in collection["features"]:
        parts = list(shapely.get_parts(shape(feature["geometry"])))
        kept = [p for p in parts if p.area >= LITE_MIN_AREA] or [max(parts, key=lambda p: p.area)]
        geometry = shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]
        geometry = shapely.simplify(geometry, LITE_TOLERANCE, preserve_topology=True)
        rounded = shapely.set_precision(geometry, 0.01)
        features.append({"type": "Feature", "properties": feature["properties"],
                         "geometry": mapping(rounded if not rounded.is_empty else geometry)})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
                      encoding="utf-8")
    return target


if __name__ == "__main__":
    for path in vendor():
        print(path.relative_to(ROOT))
    print(lite_basemap().relative_to(ROOT))
