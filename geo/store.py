"""Where workspaces, their corrections and stored articles live: one SQL database.

    store = Store.open(database_url(home=HOME))             # SQLite file by default
    store = Store.open("postgresql+psycopg://atlas@db/atlas")   # several app servers, one store
    corrections = store.corrections(workspace)
    store.update(workspace, lambda c: choose(c, keys, place_id))    # one transaction
    article_id = store.put_article(data, "report.html")
    data, filename = store.get_article(article_id)

A workspace is a set of corrections with an id that travels in the page's link (`?ws=…`):
each visitor gets their own unless they open a shared link or choose the team workspace
(`TEAM`). `update` reads, edits and writes a workspace's corrections in one transaction that
holds the workspace's lock (SQLite `BEGIN IMMEDIATE`, PostgreSQL `SELECT … FOR UPDATE`), so
two sessions saving at once both keep their change, and a crash mid-write leaves the last
committed state. The library never reads the environment or `st.secrets`: app.py passes the
URL and the limits in.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from geo.articles import SAMPLE_ID, article_id, sample_source
from geo.corrections import from_json, merge
from geo.errors import AtlasError, InputError
from geo.resolve import Corrections
from geo.text import check_size

__all__ = [
    "TEAM",
    "DATABASE_FILE",
    "Limits",
    "StoreError",
    "Store",
    "database_url",
    "new_workspace_id",
    "is_workspace_id",
    "migrate_files",
    "limits_from",
]

TEAM = "team"
DATABASE_FILE = "atlas.sqlite3"
_WORKSPACE_ID = re.compile(r"^[A-Za-z0-9_-]{16,43}$")
_SECTIONS = ("chosen", "removed", "added")
_DAY_S = 86_400.0
_SQLITE_BUSY_MS = 30_000  # a writer waits this long for another's transaction before giving up


@dataclass(frozen=True)
class Limits:
    """How much one store keeps (defaults for a small hosted server; app.py may override)."""

    max_corrections: int = 2_000  # per workspace: far past what a person makes by hand
    max_article_bytes: int = 200_000_000  # all stored articles; the least recently used go first
    retention_days: float = 90.0  # unused workspaces and articles are deleted after this; 0 = keep


class StoreError(AtlasError, RuntimeError):
    """The database cannot be reached or used; the message says which and why (never a password)."""


_metadata = sa.MetaData()
_workspaces = sa.Table(
    "workspaces", _metadata,
    sa.Column("id", sa.String(43), primary_key=True),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("used", sa.Float, nullable=False),
)
_corrections = sa.Table(
    "corrections", _metadata,
    sa.Column("workspace", sa.String(43), sa.ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("section", sa.String(8), primary_key=True),
    sa.Column("name", sa.String(400), primary_key=True),
    sa.Column("place", sa.String(200), nullable=True),
)
_articles = sa.Table(
    "articles", _metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("filename", sa.String(400), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("used", sa.Float, nullable=False),
)


def database_url(*, home: str | Path, url: str | None = None) -> str:
    """`url` when given (DATABASE_URL), else the SQLite file in the user's Article Atlas folder."""
    if url:
        return url.replace("postgres://", "postgresql://", 1).replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{Path(home).expanduser() / DATABASE_FILE}"


def new_workspace_id() -> str:
    """A fresh personal workspace id: 96 random bits, so a link cannot be guessed."""
    return secrets.token_urlsafe(12) + secrets.token_urlsafe(3)


def is_workspace_id(value: str | None) -> bool:
    return value == TEAM or bool(_WORKSPACE_ID.match(value or ""))


def _safe_url(url: str) -> str:
    """The URL for a message: never its password."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparseable URL is reported by its scheme only
        return url.split(":", 1)[0] + "://…"


class Store:
    """Workspaces, corrections and articles in one database (SQLAlchemy Core)."""

    def __init__(self, engine: sa.Engine, *, limits: Limits = Limits()) -> None:
        self.engine = engine
        self.limits = limits
        self.sqlite = engine.dialect.name == "sqlite"

    @classmethod
    def open(cls, url: str, *, limits: Limits = Limits()) -> Store:
        """Connect, create the tables if needed, and drop what is past retention."""
        try:
            options: dict = {"pool_pre_ping": True}
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
                options = {"connect_args": {"timeout": _SQLITE_BUSY_MS / 1000}}
            engine = sa.create_engine(url, **options)
            if engine.dialect.name == "sqlite":
                _sqlite_transactions(engine)
            store = cls(engine, limits=limits)
            _metadata.create_all(engine)
            store.purge()
        except sa.exc.SQLAlchemyError as err:
            raise StoreError(f"Cannot open the database {_safe_url(url)}: {type(err.orig or err).__name__}. "
                             "Check DATABASE_URL and that the server is running.") from None
        return store

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ corrections

    def corrections(self, workspace: str) -> Corrections:
        """The workspace's corrections (none yet: empty ones)."""
        with self._read() as conn:
            return _load(conn, workspace)

    def update(self, workspace: str, edit: Callable[[Corrections], Corrections]) -> Corrections:
        """Apply `edit` to the workspace's current corrections in one locked transaction."""
        if not is_workspace_id(workspace):
            raise InputError("That is not a workspace id; open the page without ?ws= to get a new workspace.")
        now = time.time()
        with self.engine.begin() as conn:
            _lock_workspace(conn, workspace, now)
            before = _load(conn, workspace)
            after = edit(before)
            size = len(after.chosen) + len(after.removed) + len(after.added)
            if size > self.limits.max_corrections:
                raise InputError(f"A workspace keeps at most {self.limits.max_corrections:,} corrections; this change "
                                 f"would make {size:,}. Undo some, or export them and start a new workspace.")
            old, new = _rows(before), _rows(after)
            gone = [(s, n) for (s, n) in old if (s, n) not in new]
            for section, name in gone:
                conn.execute(_corrections.delete().where(_corrections.c.workspace == workspace,
                                                         _corrections.c.section == section,
                                                         _corrections.c.name == name))
            changed = [(s, n, p) for (s, n), p in new.items() if (s, n) in old and old[(s, n)] != p]
            for section, name, place in changed:
                conn.execute(_corrections.update().where(_corrections.c.workspace == workspace,
                                                         _corrections.c.section == section,
                                                         _corrections.c.name == name).values(place=place))
            added = [{"workspace": workspace, "section": s, "name": n, "place": p}
                     for (s, n), p in new.items() if (s, n) not in old]
            if added:
                conn.execute(_corrections.insert(), added)
        return after

    def workspace_exists(self, workspace: str) -> bool:
        with self._read() as conn:
            return conn.execute(sa.select(_workspaces.c.id).where(_workspaces.c.id == workspace)).first() is not None

    # ------------------------------------------------------------------ articles

    def put_article(self, data: bytes, filename: str = "") -> str:
        """Keep an article (content-addressed: the same bytes and name, the same id)."""
        check_size(data)
        ident = article_id(data, filename)
        now = time.time()
        with self.engine.begin() as conn:
            found = conn.execute(sa.select(_articles.c.id).where(_articles.c.id == ident)).first()
            if found:
                conn.execute(_articles.update().where(_articles.c.id == ident).values(used=now))
                return ident
            conn.execute(_articles.insert().values(id=ident, filename=filename[:400], size=len(data), data=data,
                                                   created=now, used=now))
            self._evict(conn, keep=ident)
        return ident

    def get_article(self, ident: str) -> tuple[bytes, str]:
        """An article's bytes and file name; KeyError when none is stored under that id."""
        if ident == SAMPLE_ID:
            return sample_source()
        if not re.match(r"^[0-9a-f]{16}$", ident or ""):
            raise KeyError(ident)
        with self._read() as conn:
            row = conn.execute(sa.select(_articles.c.data, _articles.c.filename, _articles.c.used)
                               .where(_articles.c.id == ident)).first()
        if row is None:
            raise KeyError(ident)
        if row.used < time.time() - _DAY_S:  # a read keeps an article alive, noted once a day at most
            with self.engine.begin() as conn:
                conn.execute(_articles.update().where(_articles.c.id == ident).values(used=time.time()))
        return bytes(row.data), row.filename

    def _evict(self, conn: sa.Connection, *, keep: str) -> None:
        total = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(_articles.c.size), 0))).scalar_one()
        if total <= self.limits.max_article_bytes:
            return
        for ident, size in conn.execute(sa.select(_articles.c.id, _articles.c.size)
                                        .where(_articles.c.id != keep).order_by(_articles.c.used)).all():
            conn.execute(_articles.delete().where(_articles.c.id == ident))
            total -= size
            if total <= self.limits.max_article_bytes:
                break

    # ------------------------------------------------------------------ upkeep

    def purge(self, *, now: float | None = None) -> int:
        """Delete workspaces and articles unused for longer than the retention; how many went."""
        if not self.limits.retention_days:
            return 0
        cutoff = (now or time.time()) - self.limits.retention_days * _DAY_S
        with self.engine.begin() as conn:
            stale = [r.id for r in conn.execute(sa.select(_workspaces.c.id).where(_workspaces.c.used < cutoff,
                                                                                  _workspaces.c.id != TEAM))]
            if stale:
                conn.execute(_corrections.delete().where(_corrections.c.workspace.in_(stale)))
                conn.execute(_workspaces.delete().where(_workspaces.c.id.in_(stale)))
            articles = conn.execute(_articles.delete().where(_articles.c.used < cutoff)).rowcount
        return len(stale) + (articles or 0)

    def _read(self):
        """A connection for reading: on SQLite a deferred transaction (no write lock)."""
        conn = self.engine.connect()
        if self.sqlite:
            conn = conn.execution_options(atlas_read=True)
        return conn


def _sqlite_transactions(engine: sa.Engine) -> None:
    """pysqlite begins transactions lazily and wrongly for us: begin them ourselves, writers
    with BEGIN IMMEDIATE (the write lock first, so read-modify-write cannot interleave)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer
        cursor.execute("PRAGMA synchronous = FULL")  # a committed change survives a power cut
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("atlas_read") else "BEGIN IMMEDIATE")


def _lock_workspace(conn: sa.Connection, workspace: str, now: float) -> None:
    """Create the workspace row if needed and hold its lock until the transaction ends."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    conn.execute(insert(_workspaces).values(id=workspace, created=now, used=now)
                 .on_conflict_do_update(index_elements=["id"], set_={"used": now}))
    if conn.dialect.name == "postgresql":  # the upsert locked the row already; said for clarity
        conn.execute(sa.select(_workspaces.c.id).where(_workspaces.c.id == workspace).with_for_update())


def _load(conn: sa.Connection, workspace: str) -> Corrections:
    rows = conn.execute(sa.select(_corrections.c.section, _corrections.c.name, _corrections.c.place)
                        .where(_corrections.c.workspace == workspace)).all()
    return Corrections(
        chosen={r.name: r.place for r in rows if r.section == "chosen"},
        removed=frozenset(r.name for r in rows if r.section == "removed"),
        added={r.name: r.place for r in rows if r.section == "added"},
    )


def _rows(corrections: Corrections) -> dict[tuple[str, str], str | None]:
    rows: dict[tuple[str, str], str | None] = {("chosen", k): v for k, v in corrections.chosen.items()}
    rows.update({("removed", k): None for k in corrections.removed})
    rows.update({("added", k): v for k, v in corrections.added.items()})
    return rows


# --------------------------------------------------------------------------- migration

MIGRATED_SUFFIX = ".migrated"


def migrate_files(store: Store, home: str | Path) -> list[str]:
    """Move the files of earlier releases into the store, once: `corrections.json` (it applied
    to every visitor, so it becomes the team workspace's) and `articles/<id>.bin` (+ `.json`).
    Each file moved is renamed `*.migrated`, never deleted; what was done is returned."""
    home = Path(home)
    done: list[str] = []
    legacy = home / "corrections.json"
    if legacy.is_file():
        incoming = from_json(legacy.read_bytes())
        store.update(TEAM, lambda current: merge(current, incoming))
        legacy.rename(legacy.with_name(legacy.name + MIGRATED_SUFFIX))
        n = len(incoming.chosen) + len(incoming.removed) + len(incoming.added)
        done.append(f"{n} corrections from corrections.json moved to the team workspace")
    folder = home / "articles"
    if folder.is_dir():
        count = 0
        for path in sorted(folder.glob("*.bin")):
            meta = path.with_suffix(".json")
            try:
                filename = str(json.loads(meta.read_text(encoding="utf-8")).get("filename", ""))
            except (OSError, ValueError):
                filename = ""
            try:
                store.put_article(path.read_bytes(), filename)
            except InputError:
                continue
            count += 1
        folder.rename(folder.with_name(folder.name + MIGRATED_SUFFIX))
        done.append(f"{count} stored articles moved into the database")
    return done


def limits_from(settings: Mapping[str, str]) -> Limits:
    """Limits from settings (environment or secrets, read by app.py): ARTICLE_ATLAS_RETENTION_DAYS,
    ARTICLE_ATLAS_MAX_CORRECTIONS, ARTICLE_ATLAS_MAX_ARTICLE_MB."""
    base = Limits()
    try:
        return Limits(
            max_corrections=int(settings.get("ARTICLE_ATLAS_MAX_CORRECTIONS") or base.max_corrections),
            max_article_bytes=int(float(settings.get("ARTICLE_ATLAS_MAX_ARTICLE_MB") or base.max_article_bytes / 1e6)
                                  * 1e6),
            retention_days=float(settings.get("ARTICLE_ATLAS_RETENTION_DAYS") or base.retention_days),
        )
    except ValueError as err:
        raise InputError(f"A storage limit is not a number: {err}.") from None
