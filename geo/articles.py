"""Articles a user pasted or uploaded, kept (outside the repository) so a link can reopen them.

    store = ArticleStore(default_home(os.environ) / "articles")
    article_id = store.put(data, filename="report.html")      # content address: same bytes, same id
    data, filename = store.get(article_id)

The id is the first 16 hex digits of the SHA-256 of the file name and bytes: a shared link
(`?article=<id>`) reopens the same text on the same server, and nothing else can be named.
The sample article has the id `sample`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from geo.config import SAMPLE_ARTICLE
from geo.text import check_size

__all__ = ["SAMPLE_ID", "ArticleStore", "article_id", "sample_source", "check_size"]

SAMPLE_ID = "sample"
_ID = re.compile(r"^[0-9a-f]{16}$")


def article_id(data: bytes, filename: str = "") -> str:
    return hashlib.sha256(filename.encode("utf-8") + b"\0" + data).hexdigest()[:16]


def sample_source() -> tuple[bytes, str]:
    """The sample article's bytes and file name."""
    return SAMPLE_ARTICLE.read_bytes(), SAMPLE_ARTICLE.name


class ArticleStore:
    """A folder of articles: `<id>.bin` (the bytes as given) and `<id>.json` (file name, size)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def put(self, data: bytes, filename: str = "") -> str:
        check_size(data)
        ident = article_id(data, filename)
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{ident}.bin"
        if not target.exists():
            _atomic_write(target, data)
            meta = {"filename": filename, "bytes": len(data)}
            _atomic_write(self.folder / f"{ident}.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        return ident

    def get(self, ident: str) -> tuple[bytes, str]:
        """The bytes and file name of a stored article; KeyError when there is none."""
        if ident == SAMPLE_ID:
            return sample_source()
        if not _ID.match(ident or ""):
            raise KeyError(ident)
        try:
            data = (self.folder / f"{ident}.bin").read_bytes()
        except OSError as err:
            raise KeyError(ident) from err
        try:
            meta = json.loads((self.folder / f"{ident}.json").read_text(encoding="utf-8"))
            filename = str(meta.get("filename", ""))
        except (OSError, ValueError):
            filename = ""
        return data, filename

    def __contains__(self, ident: str) -> bool:
        return ident == SAMPLE_ID or bool(_ID.match(ident or "") and (self.folder / f"{ident}.bin").exists())


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
