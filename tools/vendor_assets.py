"""Copy the map's JavaScript and CSS into static/vendor/ from the pinned npm packages.

    .venv/bin/python tools/vendor_assets.py      # after tools/fetch.py has unpacked them

The app serves static/ at /app/static/ (see .streamlit/config.toml), so the map needs no CDN.
Sources: npm `leaflet@1.9.4` (BSD-2-Clause) and `jquery@3.7.1` (MIT), as pinned in
tools/fetch.py; their licence files are copied beside them. The copies are committed, so a
fresh clone runs offline; run this again only when a pin changes.
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


if __name__ == "__main__":
    for path in vendor():
        print(path.relative_to(ROOT))
