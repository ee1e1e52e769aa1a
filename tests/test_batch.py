"""Corpus runs: compact records, JSON lines and Parquet round trips, parallel runs identical to
one process (a process pool and a real Dask local cluster), bad files, corrections on the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest
import shapely

from geo.batch import (COORDINATE_DECIMALS, BatchOptions, BatchSummary, InProcessExecutor, dask_executor, process_executor, read_jsonl,
                       read_parquet, run_batch, write_jsonl, write_parquet)
from geo.cli import main
from tests.conftest import ROOT

ARTICLES = {
    "a-minsk.txt": "Putin traf Lukaschenko in Minsk.\n\nDanach flog er nach Moskau. Die Grenze zwischen "
                   "Belarus und der Ukraine ist lang.\n",
    "b-illinois.txt": "The mayor of Springfield, Illinois, visited Chicago on Monday.\n\n"
                      "Later she flew to Paris and then to Berlin.\n",
    "c-alps.md": "# Sturm in den Alpen\n\nIn Innsbruck und Bozen fiel Schnee; der Brenner war gesperrt.\n",
    "d-ports.txt": "Ships left Hamburg for Rotterdam, then sailed on to Antwerp and Lisbon.\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _paths(folder) -> list[str]:
    return sorted(str(p) for p in folder.iterdir())


def test_jsonl_round_trip(corpus, tmp_path, gazetteer):
    from geo.pipeline import geoparse_file

    code, out, err = _cli("extract", str(corpus), "--format", "records", "--jobs", "1")
    assert code == 0, err
    path = tmp_path / "out.jsonl"
    path.write_text(out, encoding="utf-8")
    articles, errors, geometries = read_jsonl(path)
    assert errors == [] and [a["path"] for a in articles] == _paths(corpus)
    for record in articles:
        expected = geoparse_file(record["path"])
        text = expected.article.text
        assert [p["id"] for p in record["places"]] == [p.id for p in expected.places]
        for place, want in zip(record["places"], expected.places):
            assert [(m["start"], m["end"], m["text"]) for m in place["mentions"]] == [
                (m.start, m.end, m.text) for m in want.mentions]
            for m in place["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]
                quote = record["passages"][m["passage"]]
                assert quote["text"] == text[quote["start"]:quote["end"]] and m["text"] in quote["text"]
            shape = shapely.geometry.shape(geometries[place["geometry"]])  # the reference resolves
            assert shape.equals_exact(gazetteer.geometry(place["id"]), 10 ** -COORDINATE_DECIMALS)
    assert len(geometries) == len({p["id"] for a in articles for p in a["places"]})  # once per place
    assert "4 files" in err and "0 failed" in err


def test_parquet_round_trip(corpus, tmp_path):
    import geopandas as gpd

    code, out, _ = _cli("extract", str(corpus), "--format", "records", "--jobs", "1")
    (tmp_path / "out.jsonl").write_text(out, encoding="utf-8")
    articles, _, geometries = read_jsonl(tmp_path / "out.jsonl")
    code, _, err = _cli("extract", str(corpus), "--format", "parquet", "--out", str(tmp_path / "pq"), "--jobs", "1")
    assert code == 0, err
    tables = read_parquet(tmp_path / "pq")
    assert set(tables) == {"articles", "places", "mentions", "geometries"}
    places = gpd.read_parquet(tmp_path / "pq" / "places.parquet")  # GeoParquet: one row per place per article
    assert places.crs.to_string() == "OGC:CRS84"  # longitude, latitude (EPSG:4326 axes swapped)
    assert list(zip(places["path"], places["id"])) == [(a["path"], p["id"]) for a in articles for p in a["places"]]
    assert all(abs(g.x - lon) < 1e-9 and abs(g.y - lat) < 1e-9
               for g, lon, lat in zip(places.geometry, places["lon"], places["lat"]))
    mentions = tables["mentions"].to_pylist()
    expected = [(a["path"], p["id"], m["start"], m["text"], a["passages"][m["passage"]]["text"])
                for a in articles for p in a["places"] for m in p["mentions"]]
    expected += [(a["path"], None, m["start"], m["text"], a["passages"][m["passage"]]["text"])
                 for a in articles for m in a["unresolved"]]
    assert sorted(expected, key=str) == sorted(
        ((m["path"], m["place_id"], m["start"], m["text"], m["quote"]) for m in mentions), key=str)
    outlines = gpd.read_parquet(tmp_path / "pq" / "geometries.parquet")
    assert set(places["id"]) == set(outlines["id"]) == set(geometries)  # every reference resolves
    for ident, shape in zip(outlines["id"], outlines.geometry):
        assert shape.equals(shapely.geometry.shape(geometries[ident]))


def _outputs(paths, executor, folder) -> tuple[bytes, dict[str, bytes]]:
    """JSON lines and Parquet tables of a run; the JSON lines encoded by the workers
    (`BatchOptions(encoded=True)`, what the command line asks) are the same bytes, and count the
    same."""
    options = BatchOptions()
    stream, encoded = io.StringIO(), io.StringIO()
    plain_summary, encoded_summary = BatchSummary(), BatchSummary()
    write_jsonl(run_batch(paths, options, executor, summary=plain_summary), stream)
    write_jsonl(run_batch(paths, BatchOptions(encoded=True), executor, summary=encoded_summary), encoded)
    assert encoded.getvalue() == stream.getvalue()
    assert encoded_summary == plain_summary and plain_summary.geometries > 0
    write_parquet(run_batch(paths, options, executor), folder)
    return stream.getvalue().encode(), {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_processes_and_a_dask_cluster_give_the_same_bytes(corpus, tmp_path):
    paths = _paths(corpus) * 3  # several tasks per worker
    one = _outputs(paths, InProcessExecutor(), tmp_path / "one")
    with process_executor(2) as pool:
        assert _outputs(paths, pool, tmp_path / "pool") == one
    with dask_executor(None, jobs=2) as executor:
        workers = executor._client.scheduler_info()["workers"]
        assert len(workers) == 2
        assert _outputs(paths, executor, tmp_path / "dask") == one
    assert len(one[1]) == 4 and one[0].count(b'"record":"article"') == len(paths)


def test_cli_jobs_two_matches_one_process(corpus):
    one = _cli("extract", str(corpus), "--format", "records", "--jobs", "1", "--quiet")
    two = _cli("extract", str(corpus), "--format", "records", "--jobs", "2", "--quiet")
    assert one[0] == two[0] == 0 and one[1] == two[1] and one[1]


def test_broken_files_give_one_error_record_each_and_the_batch_goes_on(corpus, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ARTICLES:
        (folder / name).write_bytes((corpus / name).read_bytes())
    (folder / "scan.txt").write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "utf16.txt").write_bytes(b"\xff\xfe\x00\xd8A")  # a UTF-16 mark, then a lone surrogate
    run = subprocess.run([sys.executable, "-m", "geo", "batch", str(folder), "--out", str(tmp_path / "out"),
                          "--jobs", "2"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 3, run.stderr  # the exit code counts the failed files
    articles, errors, _ = read_jsonl(tmp_path / "out" / "geoparse.jsonl")
    assert sorted(e["path"].rsplit("/", 1)[1] for e in errors) == ["empty.txt", "scan.txt", "utf16.txt"]
    assert all(e["message"] and "Traceback" not in e["message"] for e in errors)
    assert len(articles) == len(ARTICLES) and all(a["places"] for a in articles)
    assert "Traceback" not in run.stderr and "7 files" in run.stderr and "3 failed" in run.stderr


def test_corrections_apply_on_the_command_line(tmp_path, gazetteer):
    from geo.corrections import to_json
    from geo.resolve import Corrections

    article = tmp_path / "a.txt"
    article.write_text("The team drove from Paris to Lyon, then on to Dijon.", encoding="utf-8")
    texas = next(c for c in gazetteer.candidates("Paris", limit=None) if c.country == "US" and c.admin1.endswith("texas"))
    corrections = tmp_path / "corrections.json"
    corrections.write_text(to_json(Corrections(chosen={"paris": texas.id}, removed=frozenset({"dijon"}))),
                           encoding="utf-8")
    code, out, _ = _cli("extract", str(article))
    before = {f["properties"]["name"]: f["properties"]["id"] for f in json.loads(out)["features"]}
    assert before["Paris"] != texas.id and "Dijon" in before
    code, out, err = _cli("extract", str(article), "--corrections", str(corrections))
    assert code == 0, err
    after = {f["properties"]["name"]: f["properties"]["id"] for f in json.loads(out)["features"]}
    assert after["Paris"] == texas.id and "Dijon" not in after and "Lyon" in after
    code, out, err = _cli("extract", str(article), str(article), "--format", "records", "--jobs", "1",
                          "--corrections", str(corrections))
    records = [json.loads(line) for line in out.splitlines() if '"article"' in line[:20]]
    assert [{p["id"] for p in r["places"]} for r in records] == [set(after.values())] * 2
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    code, _, err = _cli("extract", str(article), "--corrections", str(bad))
    assert code == 1 and "corrections file" in err and "Traceback" not in err


def test_geometry_modes(corpus, tmp_path):
    source = str(corpus / "a-minsk.txt")
    full = json.loads(_cli("extract", source)[1])
    simplified = json.loads(_cli("extract", source, "--geometry", "simplified")[1])
    point = json.loads(_cli("extract", source, "--geometry", "point")[1])
    none = json.loads(_cli("extract", source, "--geometry", "none")[1])
    by_id = {f["properties"]["id"]: f for f in full["features"]}
    country = shapely.geometry.shape(by_id["country:BY"]["geometry"])
    small = shapely.geometry.shape(next(f for f in simplified["features"] if f["properties"]["id"] == "country:BY")["geometry"])
    assert shapely.get_num_coordinates(small) < shapely.get_num_coordinates(country)
    assert small.symmetric_difference(country).area < 0.01 * country.area
    assert all(f["geometry"]["type"] == "Point" for f in point["features"])
    assert all(f["geometry"] is None for f in none["features"])
    assert [f["properties"] for f in none["features"]] == [f["properties"] for f in full["features"]]
    code, out, _ = _cli("extract", source, source, "--format", "records", "--jobs", "1", "--geometry", "point")
    lines = [json.loads(line) for line in out.splitlines()]
    assert all(r["record"] == "article" for r in lines)  # no geometry records: the point is inline
    assert all(p["geometry"]["type"] == "Point" for p in lines[0]["places"])


def test_claims_take_corrections_too(tmp_path):
    from geo.corrections import to_json
    from geo.resolve import Corrections

    article = tmp_path / "a.txt"
    article.write_text("Die Grenze zwischen Polen und Belarus ist 418 Kilometer lang. Warschau liegt nah.",
                       encoding="utf-8")
    corrections = tmp_path / "corrections.json"
    corrections.write_text(to_json(Corrections(removed=frozenset({"warschau"}))), encoding="utf-8")
    code, out, err = _cli("claims", str(article), "--distances")
    assert code == 0, err
    code, corrected, err = _cli("claims", str(article), "--distances", "--corrections", str(corrections))
    assert code == 0, err
    assert "Warschau" in out or "Warsaw" in out
    assert "Warschau" not in corrected and "Warsaw" not in corrected


def test_corpus_workers_share_the_mapped_index():
    from geo.batch import worker_gazetteer

    gazetteer = worker_gazetteer()
    assert gazetteer is worker_gazetteer() and gazetteer.index_dir is not None
    assert (gazetteer.index_dir / "names.arrow").exists() and (gazetteer.index_dir / "ids.npy").exists()


def test_the_parent_loads_what_every_worker_reads_before_it_forks():
    """process_executor forks after the gazetteer's lazily read columns and both languages'
    word lists are loaded, so that the workers share those pages."""
    from geo.batch import _load_before_fork, worker_gazetteer
    from geo.lexicon import first_names, word_frequencies

    _load_before_fork()
    gazetteer = worker_gazetteer()
    assert {"_admin1", "_admin2", "_name_counts", "_names_de", "_sources", "_length_km"} <= set(vars(gazetteer))
    for lang in ("de", "en"):
        assert first_names.cache_info().currsize and word_frequencies(lang) is word_frequencies(lang)


def test_geometry_tasks_are_submitted_a_few_ahead_and_read_in_order():
    """`_in_order` gives executor.map's results in order with at most `ahead` tasks waiting
    beyond the one being read (a finished task's outlines stay in the parent until then)."""
    from geo.batch import _in_order

    class Counting(InProcessExecutor):
        submitted = 0

        def submit(self, fn, *args, **kwargs):
            self.submitted += 1
            return super().submit(fn, *args, **kwargs)

    executor, read = Counting(), []
    for result in _in_order(executor, lambda chunk, scale: [x * scale for x in chunk], [(1, 2), (3,), (4,), (5, 6)],
                            (10,), 2):
        assert executor.submitted - len(read) <= 3
        read.append(result)
    assert read == [[10, 20], [30], [40], [50, 60]]
