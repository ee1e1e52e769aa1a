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
