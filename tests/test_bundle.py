"""geo.bundle: the page's view of an article, computed once per input in a process."""

from __future__ import annotations

import threading

from geo import bundle
from geo.articles import sample_source
from geo.corrections import to_json
from geo.models import Corrections


def test_the_same_input_gives_the_same_bundle_once(gazetteer, monkeypatch):
    computed = []
    original = bundle._compute

    def counting(*args):
        computed.append(args[:3])
        return original(*args)

    monkeypatch.setattr(bundle, "_compute", counting)
    source = "Der Zug fuhr von Bern nach Thun, dann weiter nach Spiez.".encode()
    empty = to_json(Corrections())
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        bundle.page_bundle(source, "zug.txt", "auto", empty, gazetteer=gazetteer))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(computed) == 1 and all(r is results[0] for r in results)  # four callers, one computation
    names = {p.name for p in results[0]["result"].places}
    assert {"Bern", "Thun", "Spiez"} <= names and results[0]["rows"] and results[0]["html"]
    other = bundle.page_bundle(source, "zug.txt", "de", empty, gazetteer=gazetteer)
    assert other is not results[0] and len(computed) == 2  # another language is another input


def test_the_warm_up_computes_the_sample_a_new_visitors_page_asks_for(monkeypatch):
    """geo.serve.warm_up leaves the sample in the process's bundles under the page's key (its
    bytes and name, language «auto», no corrections), so the first page run computes nothing."""
    from geo.serve import warm_up

    warm_up()

    def no_computing(*args):
        raise AssertionError("the sample was computed again")

    monkeypatch.setattr(bundle, "_compute", no_computing)
    from geo.gazetteer import Gazetteer

    source, filename = sample_source()
    found = bundle.page_bundle(source, filename, "auto", to_json(Corrections()), gazetteer=Gazetteer.default())
    assert found["result"].places


def test_only_the_plain_sample_is_kept_on_disk_and_a_new_process_reads_it(gazetteer, tmp_path, monkeypatch):
    """geo.persist: the sample without corrections is kept for the next server process; a
    visitor's article, or the sample under a workspace's corrections, never reaches the disk."""
    monkeypatch.setattr(bundle, "_bundles", bundle.OrderedDict())
    empty = to_json(Corrections())
    bundle.page_bundle("Von Bern nach Thun.".encode(), "mine.txt", "auto", empty, gazetteer=gazetteer,
                       keep_sample_in=tmp_path)
    source, filename = sample_source()
    corrected = to_json(Corrections(removed=frozenset({"geonames:625144"})))
    bundle.page_bundle(source, filename, "auto", corrected, gazetteer=gazetteer, keep_sample_in=tmp_path)
    assert list(tmp_path.iterdir()) == []
    first = bundle.page_bundle(source, filename, "auto", empty, gazetteer=gazetteer, keep_sample_in=tmp_path)
    assert len(list(tmp_path.glob("*.pickle"))) == 1 and first["plain_sample"]

    monkeypatch.setattr(bundle, "_bundles", bundle.OrderedDict())  # as a new process: nothing in memory

    def no_computing(*args):
        raise AssertionError("the kept sample was computed again")

    monkeypatch.setattr(bundle, "_compute", no_computing)
    again = bundle.page_bundle(source, filename, "auto", empty, gazetteer=gazetteer, keep_sample_in=tmp_path)
    assert again is not first and again["result"] == first["result"] and again["html"] == first["html"]


def test_a_kept_result_is_named_by_the_code_and_data_and_a_broken_file_is_computed_again(tmp_path, monkeypatch):
    from geo import persist

    made = []

    def make():
        made.append(1)
        return {"n": len(made)}

    assert persist.kept(tmp_path, ("k",), make) == {"n": 1}
    assert persist.kept(tmp_path, ("k",), make) == {"n": 1} and len(made) == 1
    monkeypatch.setattr(persist, "fingerprint", lambda: "other code or data")
    assert persist.kept(tmp_path, ("k",), make) == {"n": 2}  # another fingerprint names another file
    for path in tmp_path.glob("*.pickle"):
        path.write_bytes(b"truncated")
    assert persist.kept(tmp_path, ("k",), make) == {"n": 3}
    assert persist.kept(tmp_path, ("k",), make) == {"n": 3}  # replaced by a whole one
    assert persist.kept(None, ("k",), make) == {"n": 4} and not list(tmp_path.glob(".kept-*"))


def test_kept_files_are_readable_by_another_user_and_only_the_newest_stay(tmp_path):
    from geo import persist

    for n in range(persist._KEPT_FILES + 3):
        persist.kept(tmp_path, ("k", n), lambda n=n: n)
    files = list(tmp_path.glob("*.pickle"))
    assert len(files) == persist._KEPT_FILES
    assert all(f.stat().st_mode & 0o044 == 0o044 for f in files)  # the image's server is not its builder
