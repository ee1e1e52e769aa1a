"""Data exports and the records behind them: every place's quotes and the article's metadata
travel with the data (GeoJSON, GeoPackage, CSV), and the command line writes them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys

import pytest

from geo.kinds import KIND_COLOURS, KIND_LABELS, KIND_LAYER, KINDS_TABLE, LAYERS, kind_of
from geo.models import KINDS
from geo.pipeline import geoparse
from geo.records import article_meta, key_quote, place_quotes, place_record, shorten_title, slug

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Written for these tests: a German regional story and an English wire story.
FLOOD_DE = (
    "Hochwasser in Bayern: Pegel in Passau steigen weiter\n\n"
    "Von Anna Berger, München 3. Juni 2024\n\n"
    "In Passau stieg das Wasser am Montag auf zehn Meter. In Regensburg wurden Sandsäcke verteilt.\n\n"
    "Auch in Augsburg mussten Menschen ihre Häuser verlassen, und in Passau blieb die Altstadt gesperrt."
)
WIRE_EN = (
    "Aid convoys halted as fighting spreads in the Sahel\n\n"
    "BAMAKO, Mali (Reuters) - Aid officials in Bamako said on March 14, 2025 that convoys to Timbuktu "
    "had stopped. Families fled south towards Ouagadougou.\n\n"
    "In Niamey, the government of Niger closed schools."
)


@pytest.fixture(scope="module")
def flood():
    return geoparse(FLOOD_DE, filename="flood.txt", lang="de")


@pytest.fixture(scope="module")
def wire():
    return geoparse(WIRE_EN)


def test_one_kinds_table_covers_every_kind():
    assert set(KINDS_TABLE) == set(KINDS)
    assert set(KIND_LAYER.values()) <= set(LAYERS)
    for name, kind in KINDS_TABLE.items():
        assert KIND_COLOURS[name] == kind.colour and KIND_LABELS[name] == kind.label
    assert kind_of("no such kind") is KINDS_TABLE["other"]
    # the views read the same table (not a copy of it)
    from geo import mapping, textview

    assert textview.KIND_COLOURS is KIND_COLOURS and mapping.KIND_LABELS is KIND_LABELS


def test_article_meta_reads_byline_date_and_shortens_the_headline(flood, wire):
    meta = article_meta(flood.article)
    assert meta.headline == "Hochwasser in Bayern: Pegel in Passau steigen weiter"
    assert meta.byline == "Anna Berger, München" and meta.date == dt.date(2024, 6, 3)
    assert meta.date_text == "3. Juni 2024" and meta.source_line == "Anna Berger, München · 3. Juni 2024"
    assert meta.stem == "2024-06-03-hochwasser-in-bayern-pegel"
    assert len(meta.sha256) == 64
    english = article_meta(wire.article)
    assert english.outlet == "Reuters" and english.date == dt.date(2025, 3, 14)
    assert english.stem.startswith("2025-03-14-aid-convoys")
    assert article_meta(wire.article, title="  My own   title ").title == "My own title"


def test_a_long_lead_is_shortened_at_a_break_or_a_word():
    lead = ("Nach tagelangem Regen stehen in Süddeutschland ganze Ortschaften unter Wasser, und die Behörden "
            "rechnen damit, dass die Pegel an der Donau bis zum Dienstag weiter steigen werden")
    short = shorten_title(lead, limit=80)
    assert len(short) <= 82 and short.endswith("…") and lead.startswith(short[:-2])
    assert shorten_title("Putin in Minsk: what he wants from Lukashenko, and what Lukashenko will not give him "
                         "in return for the gas", limit=40) == "Putin in Minsk"
    assert slug("Weißrussland: Grenze zu Ägypten?") == "weissrussland-grenze-zu-aegypten"


def test_place_record_carries_quotes_and_reason(flood):
    passau = next(p for p in flood.places if p.display_name == "Passau")
    record = place_record(passau, flood.article)
    assert record["mention_count"] == 3 and record["kind_label"] == "City"
    assert record["quotes"] == ["Hochwasser in Bayern: Pegel in Passau steigen weiter",
                                "In Passau stieg das Wasser am Montag auf zehn Meter.",
                                "Auch in Augsburg mussten Menschen ihre Häuser verlassen, und in Passau blieb die "
                                "Altstadt gesperrt."]
    assert "reason" in record
    # the headline names Passau first, but the key quote is running text
    assert key_quote(passau, flood.article) == record["quotes"][1]
    assert len(place_quotes(passau, flood.article, limit=30)[2]) < 50


def test_geojson_and_csv_hold_the_quotes_and_metadata(flood):
    from geo.export import QUOTE_SEPARATOR, feature_collection, places_csv

    collection = feature_collection(flood)
    assert collection["article"]["title"].startswith("Hochwasser in Bayern")
    assert collection["article"]["date"] == "2024-06-03"
    regensburg = next(f for f in collection["features"] if f["properties"]["display_name"] == "Regensburg")
    assert regensburg["properties"]["quotes"] == ["In Regensburg wurden Sandsäcke verteilt."]
    rows = list(csv.DictReader(io.StringIO(places_csv(flood))))
    assert [r["display_name"] for r in rows] == [p.display_name for p in flood.places]
    passau = next(r for r in rows if r["display_name"] == "Passau")
    assert passau["quotes"].split(QUOTE_SEPARATOR)[1] == "In Passau stieg das Wasser am Montag auf zehn Meter."
    assert passau["key_quote"] == "In Passau stieg das Wasser am Montag auf zehn Meter."
    assert passau["n"] == str(1 + [p.display_name for p in flood.places].index("Passau"))
    assert {r["article_sha256"] for r in rows} == {collection["article"]["sha256"]}


def test_geopackage_has_a_layer_per_kind_mentions_and_article(flood, tmp_path):
    import pyogrio

    from geo.export import geopackage_bytes

    path = tmp_path / "flood.gpkg"
    path.write_bytes(geopackage_bytes(flood))
    layers = {name for name, _ in pyogrio.list_layers(path)}
    kinds = {p.kind for p in flood.places}
    assert layers == {KIND_LAYER[k] for k in kinds} | {"mentions", "article"}
    cities = pyogrio.read_dataframe(path, layer="cities")
    assert set(cities["display_name"]) == {p.display_name for p in flood.places if p.kind == "city"}
    assert cities.crs.to_epsg() == 4326
    row = cities[cities["display_name"] == "Regensburg"].iloc[0]
    assert row["quotes"] == "In Regensburg wurden Sandsäcke verteilt." and row["mention_count"] == 1
    mentions = pyogrio.read_dataframe(path, layer="mentions")
    assert len(mentions) == sum(len(p.mentions) for p in flood.places)
    first = mentions.iloc[0]
    assert flood.article.text[first["start"]:first["end"]] == first["text"]
    article = dict(pyogrio.read_dataframe(path, layer="article")[["key", "value"]].values)
    assert article["date"] == "2024-06-03" and article["byline"] == "Anna Berger, München"


def test_cli_export_writes_data_files_and_refuses_bad_options(tmp_path):
    article = tmp_path / "flood.txt"
    article.write_text(FLOOD_DE, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "geo", "export", str(article), "--lang", "de", "--geojson",
                          str(tmp_path / "{stem}.geojson"), "--csv", str(tmp_path / "places.csv"),
                          "--html", str(tmp_path / "map.html")], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    collection = json.loads((tmp_path / "2024-06-03-hochwasser-in-bayern-pegel.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["display_name"] for f in collection["features"]} >= {"Passau", "Regensburg", "Augsburg"}
    assert "In Regensburg wurden Sandsäcke verteilt." in (tmp_path / "places.csv").read_text(encoding="utf-8")
    assert "Passau" in (tmp_path / "map.html").read_text(encoding="utf-8")
    for extra, message in ((["--png", "x.png", "--size", "big"], "WIDTHxHEIGHT"),
                           (["--png", "x.png", "--scale", "9"], "--scale"),
                           ([], "name at least one output")):
        bad = subprocess.run([sys.executable, "-m", "geo", "export", str(article), *extra], capture_output=True,
                             text=True, cwd=ROOT)
        assert bad.returncode == 2 and message in bad.stderr and "Traceback" not in bad.stderr
    missing = subprocess.run([sys.executable, "-m", "geo", "export", str(tmp_path / "none.txt"), "--csv", "x.csv"],
                             capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 1 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr


def test_titles_from_the_article_are_text_not_templates():
    """A title holding Jinja syntax stays text in the HTML export and the briefing page
    (folium compiles Element strings as templates: ours never go through it)."""
    from geo.briefing import briefing_html
    from geo.mapping import map_data, standalone_html

    result = geoparse("Putin flew to Minsk.\n\nThen on to Kyiv and back to Minsk.")
    data = map_data(result)
    page = standalone_html(data, title="{{ 7*7 }} <script>x</script>")
    assert "<title>{{ 7*7 }} &lt;script&gt;x&lt;/script&gt;</title>" in page
    brief = briefing_html(data, article_meta(result.article, title="{{ 7*7 }} {% if 1 %}y{% endif %}"))
    assert "<h1>{{ 7*7 }} {% if 1 %}y{% endif %}</h1>" in brief


# Written for these tests: headlines with and without a kicker (the topic line above a headline).
KICKER_CASES = [
    # (text, lang, kicker, title)
    ("Ukraine\n\nSelenski reist nach Warschau und trifft Duda\n\n"
     "Der ukrainische Präsident ist am Dienstag in Warschau eingetroffen.", "de",
     "Ukraine", "Selenski reist nach Warschau und trifft Duda"),
    ("Am Bodensee\n\nSturm: Fähren zwischen Konstanz und Meersburg stehen still\n\n"
     "Am Abend fuhr keine Fähre mehr über den See.", "de",
     "Am Bodensee", "Sturm: Fähren zwischen Konstanz und Meersburg stehen still"),
    # the kicker lost its line break (copied from a news site): a place, then a capitalised word
    ("Polen Tusk verspricht den Bauern in Lublin neue Hilfen: Was plant die Regierung? Die Proteste gehen "
     "weiter. Eva Nowak, Warschau 4.3.2024\n\nIn Lublin blockierten Bauern am Montag die Strassen.", "de",
     "Polen", "Tusk verspricht den Bauern in Lublin neue Hilfen: Was plant die Regierung?"),
    ("Österreich Nehammer reist nach Kiew und trifft Selenski\n\nIn Kiew traf der Kanzler den Präsidenten.", "de",
     "Österreich", "Nehammer reist nach Kiew und trifft Selenski"),
    ("ÖFFENTLICHER VERKEHR: Kein Zug fährt mehr zwischen Basel und Olten\n\n"
     "Seit dem Morgen stehen in Olten die Züge still.", "de",
     "ÖFFENTLICHER VERKEHR", "Kein Zug fährt mehr zwischen Basel und Olten"),
    ("Ukraine war\n\nZelensky travels to Warsaw to meet Duda\n\nThe Ukrainian president arrived in Warsaw on "
     "Tuesday.", "en", "Ukraine war", "Zelensky travels to Warsaw to meet Duda"),
    ("EXCLUSIVE: Lukashenko will not send troops to Ukraine\n\nIn Minsk, officials said the army stays home.",
     "en", "EXCLUSIVE", "Lukashenko will not send troops to Ukraine"),
    # no kicker: a place that opens a sentence, its genitive, a title before a name, a headline with a colon
    ("Russland droht Polen mit Konsequenzen\n\nMoskau hat am Montag den Botschafter einbestellt.", "de",
     "", "Russland droht Polen mit Konsequenzen"),
    ("Russlands Präsident Putin reist nach Minsk\n\nIn Minsk trifft er Lukaschenko.", "de",
     "", "Russlands Präsident Putin reist nach Minsk"),
    ("Österreichs Kanzler Nehammer reist nach Kiew\n\nIn Kiew traf er den Präsidenten.", "de",
     "", "Österreichs Kanzler Nehammer reist nach Kiew"),
    ("Bundesrat Berset tritt in Bern zurück\n\nIn Bern wurde der Rücktritt am Mittwoch bekannt.", "de",
     "", "Bundesrat Berset tritt in Bern zurück"),
    ("Hochwasser in Bayern: Pegel in Passau steigen weiter\n\nIn Passau stieg das Wasser.", "de",
     "", "Hochwasser in Bayern: Pegel in Passau steigen weiter"),
    # English capitalises every word of a headline: a place and a capitalised word is no kicker there
    ("Poland Pledges New Aid to Farmers in Lublin\n\nPoland's government promised farmers in Lublin more money.",
     "en", "", "Poland Pledges New Aid to Farmers in Lublin"),
    # a short line before another short line: neither is a headline to split off
    ("Sport\n\nFussball\n\nIn Basel gewann der FCB am Sonntag gegen Bern.", "de", "", "Sport"),
    # one line: no title line at all, so nothing to split
    ("Putin flew to Minsk on Monday and met Lukashenko.", "en", "", ""),
    ("Russland", "de", "", ""),
]


@pytest.mark.parametrize(("text", "lang", "kicker", "title"), KICKER_CASES)
def test_the_kicker_is_kept_apart_from_the_headline(text, lang, kicker, title):
    result = geoparse(text, lang=lang)
    meta = article_meta(result.article, places=result.places)
    assert (meta.kicker, meta.title) == (kicker, title)
    assert meta.as_dict()["kicker"] == (kicker or None)
    if kicker:
        assert kicker.lower() not in meta.stem.split("-")[:1], "the file name starts with the headline"


def test_a_glued_kicker_needs_the_place_it_names():
    """Without the geoparse's places the German glued-kicker rule cannot tell «Polen» is a place."""
    text, lang, _, _ = KICKER_CASES[2]
    result = geoparse(text, lang=lang)
    assert article_meta(result.article).kicker == ""
    assert article_meta(result.article, places=result.places).kicker == "Polen"


def test_the_briefing_and_sheet_show_the_kicker_above_the_title():
    from geo.briefing import briefing_html, sheet_html
    from geo.mapping import map_data

    text, lang, kicker, title = KICKER_CASES[0]
    result = geoparse(text, lang=lang)
    meta = article_meta(result.article, places=result.places)
    page = briefing_html(map_data(result), meta)
    assert f'<p class="kicker">{kicker}</p><h1>{title}</h1>' in page
    sheet = sheet_html(result, meta, b"\x89PNG")
    assert f'<p class="kicker">{kicker}</p><h1>{title}</h1>' in sheet
    plain = geoparse(KICKER_CASES[7][0], lang="de")
    assert 'class="kicker"' not in briefing_html(map_data(plain), article_meta(plain.article, places=plain.places))


def test_the_sheet_of_a_view_lists_the_layers_left_on_and_says_which_places_it_leaves_out():
    from geo.briefing import OFF_MAP_NOTE, sheet_html
    from geo.mapping import in_view, map_data, map_view

    result = geoparse(FLOOD_DE, filename="flood.txt", lang="de")
    meta = article_meta(result.article, places=result.places)
    data = map_data(result)
    passau = next(p.candidate for p in result.places if p.display_name == "Passau")
    around = {"bounds": [[passau.lat - 0.3, passau.lon - 0.5], [passau.lat + 0.3, passau.lon + 0.5]],
              "layers": ["cities"]}
    sheet = sheet_html(result, meta, b"\x89PNG", data=in_view(data, map_view(around)), extent=around)
    cities = [p.display_name for p in result.places if p.kind == "city"]
    assert f"{len(cities)} places" in sheet and "<b>Bayern</b>" not in sheet, "only the layers left on"
    assert re.search(r"<b>Passau</b>(?:(?!</li>).)*</li>", sheet) and OFF_MAP_NOTE not in re.search(
        r"<b>Passau</b>(?:(?!</li>).)*</li>", sheet).group()
    assert OFF_MAP_NOTE in re.search(r"<b>Augsburg</b>(?:(?!</li>).)*</li>", sheet).group()
    assert "the map shows" in sheet
    fitted = sheet_html(result, meta, b"\x89PNG", data=data)
    assert OFF_MAP_NOTE not in fitted and "<b>Bayern</b>" in fitted
