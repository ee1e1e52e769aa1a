"""The store of workspaces, corrections and articles, on SQLite and on a real PostgreSQL server
(a throwaway cluster, tests/conftest.py): isolation, concurrency, crashes, limits, migration."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.articles import ArticleStore
from geo.corrections import CorrectionStore, add, choose, remove
from geo.errors import InputError
from geo.resolve import Corrections
from geo.store import TEAM, Limits, Store, database_url, is_workspace_id, migrate_files, new_workspace_id

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 20


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return database_url(home=tmp_path)
    base = request.getfixturevalue("postgresql_url")
    engine = sa.create_engine(base)
    with engine.begin() as conn:  # every test starts from empty tables
        for table in ("corrections", "workspaces", "articles"):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table} CASCADE")
    engine.dispose()
    return base


@pytest.fixture()
def store(url):
    opened = Store.open(url)
    yield opened
    opened.close()


def test_workspaces_keep_their_corrections_apart_and_survive_a_restart(url):
    first = Store.open(url)
    alice, bob = new_workspace_id(), new_workspace_id()
    assert alice != bob and is_workspace_id(alice) and is_workspace_id(TEAM) and not is_workspace_id("../x")
    first.update(alice, lambda c: remove(c, ["Kreml"]))
    first.update(bob, lambda c: choose(c, ["Warschau"], "geonames:4928096"))
    first.close()
    again = Store.open(url)  # a server restart: a new engine on the same database
    assert again.corrections(alice) == Corrections(removed=frozenset({"kreml"}))
    assert again.corrections(bob).chosen == {"warschau": "geonames:4928096"} and not again.corrections(bob).removed
    assert again.corrections(new_workspace_id()) == Corrections(), "a new workspace starts empty"
    again.close()


def test_edits_are_stored_exactly(store):
    ws = new_workspace_id()
    store.update(ws, lambda c: add(choose(remove(c, ["Kreml", "country:BY"]), ["Minsk"], "geonames:625144"),
                                   "Luzk", "geonames:702569"))
    store.update(ws, lambda c: choose(c, ["Kreml"], "landmark:kremlin"))  # un-removes, replaces
    assert store.corrections(ws) == Corrections(
        chosen={"minsk": "geonames:625144", "kreml": "landmark:kremlin"},
        removed=frozenset({"country:BY"}), added={"luzk": "geonames:702569"})


def test_twenty_sessions_saving_at_once_lose_nothing(url):
    """Each session has its own connection pool (as separate servers would) and edits the team
    workspace by read-modify-write; the edit waits, to widen the window a lost update needs."""
    stores = [Store.open(url) for _ in range(SESSIONS)]
    start = threading.Barrier(SESSIONS)
    failures: list[BaseException] = []

    def session(i: int) -> None:
        def edit(current: Corrections) -> Corrections:
            time.sleep(0.005)
            return choose(current, [f"ort {i}"], f"geonames:{1000 + i}")

        try:
            start.wait(timeout=30)
            stores[i].update(TEAM, edit)
        except BaseException as err:  # noqa: BLE001 - reported below
            failures.append(err)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(SESSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    kept = stores[0].corrections(TEAM).chosen
    assert kept == {f"ort {i}": f"geonames:{1000 + i}" for i in range(SESSIONS)}
    for s in stores:
        s.close()


_CRASHING_WRITER = textwrap.dedent("""
    import os, signal, sys
    import sqlalchemy as sa
    from geo.corrections import remove
    from geo.resolve import Corrections
    from geo.store import Store
    store = Store.open(sys.argv[1])

    @sa.event.listens_for(store.engine, "after_cursor_execute")
    def crash(conn, cursor, statement, parameters, context, executemany):
        # the old rows are deleted and the new ones inserted, nothing is committed: the power goes
        if statement.lstrip().upper().startswith("INSERT INTO CORRECTIONS"):
            print("crashing", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    store.update(sys.argv[2], lambda c: remove(Corrections(), [f"ort {i}" for i in range(200)]))
""")


def test_a_crash_mid_write_leaves_the_workspace_as_it_was(url):
    store = Store.open(url)
    ws = new_workspace_id()
    before = store.update(ws, lambda c: choose(remove(c, ["Kreml"]), ["Warschau"], "geonames:756135"))
    store.close()
    crashed = subprocess.run([sys.executable, "-c", _CRASHING_WRITER, url, ws], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert crashed.returncode == -9 and "crashing" in crashed.stdout, crashed.stderr[-2000:]
    store = Store.open(url)
    assert store.corrections(ws) == before
    if store.sqlite:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    store.update(ws, lambda c: remove(c, ["Minsk"]))
    assert "minsk" in store.corrections(ws).removed, "the workspace is still writable"
    store.close()


def test_limits_are_kept(url):
    store = Store.open(url, limits=Limits(max_corrections=3, max_article_bytes=2_500, retention_days=30))
    ws = new_workspace_id()
    store.update(ws, lambda c: remove(c, ["a", "b", "c"]))
    with pytest.raises(InputError, match="at most 3 corrections"):
        store.update(ws, lambda c: remove(c, ["d"]))
    assert store.corrections(ws).removed == {"a", "b", "c"}, "a refused change changes nothing"
    first = store.put_article(b"Minsk " * 200, "first.txt")
    second = store.put_article(b"Kiew " * 200, "second.txt")
    assert store.get_article(first)[1] == "first.txt"
    third = store.put_article(b"Lwiw " * 200, "third.txt")  # past 2,500 bytes: the oldest goes
    with pytest.raises(KeyError):
        store.get_article(first)
    assert store.get_article(second)[0].startswith(b"Kiew") and store.get_article(third)[1] == "third.txt"
    store.update(TEAM, lambda c: remove(c, ["x"]))
    assert store.purge(now=time.time() + 31 * 86_400) >= 3
    assert store.corrections(ws) == Corrections(), "an unused workspace is gone after the retention"
    assert store.corrections(TEAM).removed == {"x"}, "the team workspace is kept"
    with pytest.raises(KeyError):
        store.get_article(second)
    store.close()


def test_json_files_of_earlier_releases_are_migrated_once(tmp_path, url):
    home = tmp_path / "home"
    CorrectionStore(home / "corrections.json").save(Corrections(chosen={"warschau": "geonames:4928096"},
                                                                removed=frozenset({"kreml"})))
    old_id = ArticleStore(home / "articles").put("Putin flog nach Minsk.".encode("utf-8"), "minsk.txt")
    store = Store.open(url)
    done = migrate_files(store, home)
    assert len(done) == 2 and "team workspace" in done[0]
    assert store.corrections(TEAM) == Corrections(chosen={"warschau": "geonames:4928096"},
                                                  removed=frozenset({"kreml"}))
    assert store.get_article(old_id) == ("Putin flog nach Minsk.".encode("utf-8"), "minsk.txt"), "old links work"
    assert (home / "corrections.json.migrated").exists() and not (home / "corrections.json").exists()
    assert migrate_files(store, home) == [], "once"
    store.close()


def test_a_bad_database_url_gets_a_message_without_the_password():
    with pytest.raises(Exception) as caught:
        Store.open("postgresql+psycopg://atlas:s3cret-pw@127.0.0.1:1/atlas?connect_timeout=2")
    assert "s3cret-pw" not in str(caught.value) and "DATABASE_URL" in str(caught.value)
