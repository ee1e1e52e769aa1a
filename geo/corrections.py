"""A user's corrections: kept outside the repository, applied to every later article.

    store = CorrectionStore(default_home(os.environ) / "corrections.json")   # app.py
    corrections = store.load()                                              # geo.models.Corrections
    corrections = choose(corrections, correction_keys(result, place), new_id)
    store.save(corrections)

Three kinds of correction, all keyed by the normalised name the recogniser read (geo.normalize):
`chosen` (this name means that place), `removed` (this name is not a place; a place id when
the place was only referred to generically, e.g. «des nahen AKW»), `added` (a name the
recogniser missed, and the place it means). The JSON file is the export/import format too.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from geo.errors import InputError
from geo.models import Corrections, Geoparse, Place
from geo.normalize import normalize

__all__ = [
    "FORMAT",
    "HOME_ENV",
    "default_home",
    "CorrectionStore",
    "to_json",
    "from_json",
    "choose",
    "remove",
    "add",
    "undo",
    "merge",
    "is_empty",
    "correction_keys",
    "apply_removals",
]

FORMAT = "article-atlas-corrections"
VERSION = 1
HOME_ENV = "ARTICLE_ATLAS_HOME"
_MAX_BYTES = 1_000_000


def default_home(environ: Mapping[str, str]) -> Path:
    """Where Article Atlas keeps what a user makes: $ARTICLE_ATLAS_HOME, else the XDG data dir.

    Takes the environment as an argument: the library never reads it itself (app.py does).
    """
    if environ.get(HOME_ENV):
        return Path(environ[HOME_ENV]).expanduser()
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".local" / "share")
    return Path(base).expanduser() / "article-atlas"


# --------------------------------------------------------------------------- JSON


def to_json(corrections: Corrections) -> str:
    """The file format (also what the page exports): stable key order, one correction a line."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "chosen": dict(sorted(corrections.chosen.items())),
        "removed": sorted(corrections.removed),
        "added": dict(sorted(corrections.added.items())),
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _string_map(value, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise InputError(f"'{what}' must map names to place ids (strings to strings).")
    return {_key(k): v.strip() for k, v in value.items() if _key(k) and v.strip()}


def _key(name: str) -> str:
    """Names are stored normalised; place ids (they contain ':') are kept as they are."""
    name = name.strip()
    return name if ":" in name else normalize(name)


def from_json(text: str | bytes) -> Corrections:
    """Parse an exported corrections file; a message says what is wrong with a bad one."""
    if isinstance(text, bytes):
        if len(text) > _MAX_BYTES:
            raise InputError(f"A corrections file is at most {_MAX_BYTES // 1000} kB; this one has {len(text) // 1000} kB.")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise InputError("The corrections file is not UTF-8 text. Export it again from Article Atlas.") from err
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"The corrections file is not valid JSON (line {err.lineno}: {err.msg}).") from err
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(f"This is not an Article Atlas corrections file (expected \"format\": \"{FORMAT}\").")
    if document.get("version") != VERSION:
        raise InputError(f"Corrections file version {document.get('version')!r} is not supported (expected {VERSION}).")
    removed = document.get("removed") or []
    if not isinstance(removed, list) or not all(isinstance(r, str) for r in removed):
        raise InputError("'removed' must be a list of names or place ids.")
    return Corrections(
        chosen=_string_map(document.get("chosen"), "chosen"),
        removed=frozenset(k for k in (_key(r) for r in removed) if k),
        added=_string_map(document.get("added"), "added"),
    )


class CorrectionStore:
    """The corrections file (JSON); written atomically so a crash never leaves half a file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def load(self) -> Corrections:
        """The stored corrections; none yet gives empty ones. A damaged file raises InputError."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return Corrections()
        except OSError as err:
            raise InputError(f"Cannot read the corrections file {self.path}: {err.strerror}.") from err
        try:
            return from_json(data)
        except InputError as err:
            raise InputError(f"The corrections file {self.path} is damaged: {err} Import a good copy or reset it.") from err

    def save(self, corrections: Corrections) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".corrections-", suffix=".json", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(to_json(corrections))
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


# --------------------------------------------------------------------------- editing


def is_empty(corrections: Corrections) -> bool:
    return not (corrections.chosen or corrections.removed or corrections.added)


def choose(corrections: Corrections, keys: Iterable[str], place_id: str) -> Corrections:
    """These names mean `place_id` (and neither the names nor the place stay removed)."""
    keys = [_key(k) for k in keys if _key(k)]
    chosen = {**corrections.chosen, **{k: place_id for k in keys}}
    removed = corrections.removed - set(keys) - {place_id}
    return replace(corrections, chosen=chosen, removed=frozenset(removed))


def remove(corrections: Corrections, keys: Iterable[str]) -> Corrections:
    """These names (or place ids) are not places."""
    keys = {_key(k) for k in keys if _key(k)}
    chosen = {k: v for k, v in corrections.chosen.items() if k not in keys}
    added = {k: v for k, v in corrections.added.items() if k not in keys}
    return Corrections(chosen=chosen, removed=frozenset(corrections.removed | keys), added=added)


def add(corrections: Corrections, name: str, place_id: str) -> Corrections:
    """A name the recogniser missed, and the place it means."""
    key = _key(name)
    if not key:
        raise InputError("Type the name as it is written in the article.")
    added = {**corrections.added, key: place_id}
    return replace(corrections, added=added, removed=frozenset(corrections.removed - {key, place_id}))


def undo(corrections: Corrections, section: str, key: str) -> Corrections:
    """Drop one correction ('chosen', 'removed' or 'added')."""
    if section == "chosen":
        return replace(corrections, chosen={k: v for k, v in corrections.chosen.items() if k != key})
    if section == "removed":
        return replace(corrections, removed=frozenset(corrections.removed - {key}))
    if section == "added":
        return replace(corrections, added={k: v for k, v in corrections.added.items() if k != key})
    raise ValueError(f"unknown section {section!r}")


def merge(base: Corrections, incoming: Corrections) -> Corrections:
    """Import: the incoming file wins where both say something about the same name."""
    result = base
    for key in incoming.removed:
        result = remove(result, [key])
    for key, place_id in incoming.chosen.items():
        result = choose(result, [key], place_id)
    for key, place_id in incoming.added.items():
        result = add(result, key, place_id)
    return result


# --------------------------------------------------------------------------- geoparse


def correction_keys(result: Geoparse, place: Place, *, corrections: Corrections | None = None) -> list[str]:
    """The normalised names under which the recogniser read this place's mentions.

    «Russlands» is read as `russland`, «russischen» as `russisch`, «des nahen AKW» as `akw`:
    a correction must use the recogniser's key, which each mention carries.
    """
    keys: list[str] = []
    for m in place.mentions:
        key = m.key or normalize(m.text)
        if key not in keys:
            keys.append(key)
    return keys


def apply_removals(result: Geoparse, corrections: Corrections) -> Geoparse:
    """Drop places removed by id (resolution only filters named mentions, not generic ones)."""
    if not corrections.removed:
        return result
    places = tuple(p for p in result.places if p.id not in corrections.removed)
    if len(places) == len(result.places):
        return result
    return replace(result, places=places)
