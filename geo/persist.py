"""Results kept on disk between server processes: what a fresh server's first page would compute.

    value = kept(folder, ("sample-bundle", key), make)   # make() once; later processes read it

A new server's first visitor sees the sample article, and drawing it costs the process about
0.85 s of CPU (geoparsing the sample, rendering its map) while the page waits. Both are pure
functions of their input, of the code and of data/, so they are kept as pickles in `folder`
(build/pages, next to the gazetteer's mapped index), named by a digest of the input, of every
source file of the `geo` package, of the names, sizes and mtimes of data/'s files and of the
versions of Python and of the map libraries. A change to any of them names another file: a stale
result is never read. The folder holds only what the server computed itself (the sample, never
a visitor's article or workspace); if it cannot be written, the result is computed as before.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from geo.config import DATA_DIR, PROJECT_ROOT

__all__ = ["PAGES_DIR", "fingerprint", "kept"]

PAGES_DIR = PROJECT_ROOT / "build" / "pages"
_PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = ("folium", "branca", "streamlit-folium", "streamlit", "shapely", "numpy", "pyarrow", "jinja2")

T = TypeVar("T")


@functools.cache
def fingerprint() -> str:
    """A digest of what a kept result depends on besides its input (see the module docstring)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(sys.version.encode())
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = None
        digest.update(f"{name}={version};".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    for root, _, names in sorted(os.walk(DATA_DIR)):
        for name in sorted(names):
            info = os.stat(Path(root) / name)
            digest.update(f"{Path(root, name).relative_to(DATA_DIR).as_posix()}:{info.st_size}:{info.st_mtime_ns};".encode())
    return digest.hexdigest()


_KEPT_FILES = 16  # the newest are kept: older ones were made by earlier code or data


def _prune(folder: Path) -> None:
    """Remove all but the newest kept files (each change of code or data names new ones)."""
    found = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for path in found[_KEPT_FILES:]:
        path.unlink(missing_ok=True)


def kept(folder: Path | None, key: tuple, make: Callable[[], T]) -> T:
    """`make()`, read from `folder` if an earlier process kept it for this key (and this code and
    data), else computed and kept there. `folder=None`: computed, nothing kept."""
    if folder is None:
        return make()
    body = repr((fingerprint(), key)).encode("utf-8")
    path = Path(folder) / f"{hashlib.blake2b(body, digest_size=16).hexdigest()}.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a truncated or unreadable file: computed again, then replaced
        pass
    value = make()
    staging = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, staging = tempfile.mkstemp(dir=path.parent, prefix=".kept-")
        os.chmod(staging, 0o644)  # readable by a server that runs as another user (the image's)
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(staging, path)  # atomic: a reader sees the whole file or none
        staging = None
        _prune(path.parent)
    except Exception:  # noqa: BLE001 - a read-only checkout, a value that does not pickle: nothing kept
        pass
    finally:
        if staging is not None:
            Path(staging).unlink(missing_ok=True)
    return value
