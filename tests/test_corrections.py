"""Corrections: stored outside the repository, exported/imported as JSON, applied by geoparse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.articles import SAMPLE_ID, ArticleStore, check_size
from geo.config import MAX_ARTICLE_BYTES
from geo.corrections import (CorrectionStore, add, apply_removals, choose, correction_keys, default_home,
                             from_json, is_empty, merge, remove, to_json, undo)
from geo.errors import InputError
from geo.models import Corrections
from geo.pipeline import geoparse

TEXT = ("Putin traf Lukaschenko in Minsk. Dann flog er nach St. Petersburg und sprach über das AKW bei Riwne. "
        "Die Truppen standen beim Zentrallager. Russlands Armee und die russischen Raketen.")


def test_default_home_follows_the_environment(tmp_path):
    assert default_home({"ARTICLE_ATLAS_HOME": str(tmp_path)}) == tmp_path
    assert default_home({"XDG_DATA_HOME": "/data"}) == Path("/data/article-atlas")
    assert default_home({"HOME": "/home/ana"}) == Path("/home/ana/.local/share/article-atlas")


def test_json_round_trip_and_store(tmp_path):
    corrections = Corrections(chosen={"st petersburg": "geonames:4171563"}, removed=frozenset({"paul"}),
                              added={"zentrallager": "geonames:8341919"})
    assert from_json(to_json(corrections)) == corrections
    store = CorrectionStore(tmp_path / "deep" / "corrections.json")
    assert is_empty(store.load())
    store.save(corrections)
    assert CorrectionStore(store.path).load() == corrections  # a restart reads the same
    document = json.loads(store.path.read_text(encoding="utf-8"))
    assert document["format"] == "article-atlas-corrections" and document["removed"] == ["paul"]
    assert [p.name for p in store.path.parent.iterdir()] == ["corrections.json"]  # no temp files left


@pytest.mark.parametrize("text, message", [
    ("not json", "not valid JSON"),
    ('{"format": "something else"}', "not an Article Atlas corrections file"),
    ('{"format": "article-atlas-corrections", "version": 9}', "version 9"),
    ('{"format": "article-atlas-corrections", "version": 1, "chosen": {"a": 1}}', "'chosen'"),
    ('{"format": "article-atlas-corrections", "version": 1, "removed": "paul"}', "'removed'"),
])
def test_bad_files_say_what_is_wrong(text, message):
    with pytest.raises(InputError, match=message):
        from_json(text)


def test_damaged_store_names_its_path(tmp_path):
    path = tmp_path / "corrections.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match=str(path)):
        CorrectionStore(path).load()


def test_editing_keeps_the_three_kinds_consistent():
    c = remove(Corrections(), ["Paul", "minsk"])
    assert c.removed == {"paul", "minsk"}
    c = choose(c, ["minsk"], "geonames:625144")
    assert c.chosen == {"minsk": "geonames:625144"} and c.removed == {"paul"}
    c = add(c, "Zentral-Lager", "geonames:8341919")
    assert c.added == {"zentral lager": "geonames:8341919"}
    c = remove(c, ["zentral lager"])
    assert c.added == {} and "zentral lager" in c.removed
    assert undo(c, "removed", "paul").removed == {"zentral lager"}
    assert undo(c, "chosen", "minsk").chosen == {}
    with pytest.raises(InputError):
        add(c, "  ", "geonames:1")
    incoming = Corrections(chosen={"paul": "geonames:1"})
    merged = merge(c, incoming)
    assert merged.chosen["paul"] == "geonames:1" and "paul" not in merged.removed


def test_keys_are_the_recognisers_not_the_spelling():
    result = geoparse(TEXT)
    russia = result.place("country:RU")
    assert set(correction_keys(result, russia)) == {"russland", "russisch"}
    plant = result.place("facility:npp-rivne")
    keys = correction_keys(result, plant) if plant else []
    assert len(keys) == 1 and keys[0].startswith("akw@")  # generic: «des nahen AKW», this article only


def test_a_generic_reference_can_be_pointed_elsewhere():
    before = geoparse(TEXT)
    keys = correction_keys(before, before.place("facility:npp-rivne"))
    after = geoparse(TEXT, corrections=choose(Corrections(), keys, "facility:npp-khmelnytskyi"))
    plant = after.place("facility:npp-khmelnytskyi")
    assert plant is not None and plant.corrected and after.place("facility:npp-rivne") is None
    other = geoparse("Lwiw, Luzk und Riwne liegen nahe dem AKW.", corrections=choose(Corrections(), keys,
                                                                                     "facility:npp-khmelnytskyi"))
    assert other.place("facility:npp-rivne") is not None  # another article: the correction does not apply


def test_corrections_change_what_geoparse_finds():
    before = geoparse(TEXT)
    assert before.place("geonames:498817") is not None and before.place("geonames:8341919") is None
    keys = correction_keys(before, before.place("geonames:498817"))
    corrections = choose(Corrections(), keys, "geonames:4171563")  # St. Petersburg, Florida
    corrections = remove(corrections, correction_keys(before, before.place("geonames:625144")))
    corrections = remove(corrections, ["facility:npp-rivne"])
    corrections = add(corrections, "Zentrallager", "geonames:8341919")
    after = apply_removals(geoparse(TEXT, corrections=corrections), corrections)
    florida = after.place("geonames:4171563")
    assert florida is not None and florida.corrected and florida.display_name == "St. Petersburg"
    assert after.place("geonames:498817") is None
    assert after.place("geonames:625144") is None, "Minsk was removed"
    assert after.place("facility:npp-rivne") is None, "a generic-only place is removed by id"
    added = after.place("geonames:8341919")
    assert added is not None and added.mentions[0].text == "Zentrallager"


def test_article_store_reopens_what_was_put(tmp_path):
    store = ArticleStore(tmp_path)
    ident = store.put("Putin in Minsk.".encode(), "a.txt")
    assert store.put("Putin in Minsk.".encode(), "a.txt") == ident and len(ident) == 16
    assert store.get(ident) == (b"Putin in Minsk.", "a.txt")
    assert ident in store and SAMPLE_ID in store and "../etc/passwd" not in store
    assert store.get(SAMPLE_ID)[1].endswith(".txt")
    for bad in ("../../etc/passwd", "0" * 16, ""):
        with pytest.raises(KeyError):
            store.get(bad)


def test_size_limit_has_a_clear_message():
    check_size(b"x" * MAX_ARTICLE_BYTES)
    with pytest.raises(InputError, match="up to 2 MB"):
        check_size(b"x" * (MAX_ARTICLE_BYTES + 1))


def test_access_settings():
    from geo.access import access_from

    assert access_from({}).mode == "open"
    guarded = access_from({"ARTICLE_ATLAS_PASSWORD": "pw-123"})
    assert guarded.mode == "password" and guarded.accepts("pw-123") and not guarded.accepts("pw-12")
    assert "pw-123" not in repr(guarded)
    assert access_from({}, oidc_configured=True).mode == "oidc"
    with pytest.raises(InputError, match="ARTICLE_ATLAS_PASSWORD"):
        access_from({"ARTICLE_ATLAS_AUTH": "password"})
    with pytest.raises(InputError, match="one of"):
        access_from({"ARTICLE_ATLAS_AUTH": "ldap"})
