"""The evaluation harness (tools/evaluate.py) on tiny synthetic inputs written here.

No evaluation data is read or copied: every XML and TSV below is made up for these tests.
"""

from __future__ import annotations

import pytest
import shapely

from tools.evaluate import (
    Document,
    GoldSpan,
    ParsedDocument,
    Prediction,
    align_span,
    counts_as_prediction,
    detokenize,
    evaluate,
    geoparse_documents,
    loader_normalize,
    match_spans,
    normalize_with_spans,
    parse_hipe_tsv,
    parse_toponym_xml,
    resolution_error,
    score_document,
    select,
    split_of,
    word_count,
)

# Two articles. The first has exact offsets and characters the loader normalises (a soft
# hyphen before the first name, a decomposed "ü" inside the second); the second has an offset
# shifted by 3 and an end one short of its phrase.
XML = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="a1">
    <text><![CDATA[Flood\u00ad in Oxford. Visitors from Mu\u0308nchen came.]]></text>
    <toponyms>
      <toponym><start>10</start><end>16</end><phrase>Oxford</phrase>
        <gaztag geonameid="1"><lat>51.75</lat><lon>-1.25</lon></gaztag></toponym>
      <toponym><start>32</start><end>40</end><phrase>Mu\u0308nchen</phrase></toponym>
    </toponyms>
  </article>
  <article docid="a2">
    <text><![CDATA[The Kenyan police met in Nairobi.]]></text>
    <toponyms>
      <toponym><start>4</start><end>9</end><phrase>Kenyan</phrase>
        <gaztag geonameid="2"><lat>1.0</lat><lon>38.0</lon></gaztag></toponym>
      <toponym><start>28</start><end>35</end><phrase>Nairobi</phrase>
        <gaztag geonameid="3"><lat>-1.28</lat><lon>36.82</lon></gaztag></toponym>
    </toponyms>
  </article>
</articles>
"""

HIPE = "\n".join([
    "TOKEN\tNE-COARSE-LIT\tNE-COARSE-METO\tNEL-LIT\tMISC",
    "# hipe2022:document_id = doc-1",
    "# hipe2022:language = de",
    "Aus\tO\t_\t_\t_",
    "Neu⸗\tB-LOC\t_\tQ1\t_",
    "Guinea\tI-LOC\t_\tQ1\t_",
    "(\tO\t_\t_\t_",
    "Berlin\tB-LOC\t_\tQ64\t_",
    ")\tO\t_\t_\t_",
    "nach\tO\t_\t_\t_",
    "„\tO\t_\t_\t_",
    "Börſen\tB-ORG\t_\t_\t_",
    "-\tI-ORG\t_\t_\t_",
    "Halle\tI-ORG\t_\t_\t_",
    "“\tO\t_\t_\t_",
    ".\tO\t_\t_\tEndOfSentence",
    "Togo⸗\tB-LOC\t_\tQ2\t_",
    "und\tO\t_\t_\t_",
    "Wien\tB-LOC\t_\tQ3\t_",
    ".\tO\t_\t_\tEndOfSentence",
    "# hipe2022:document_id = doc-2",
    "Wien\tO\t_\t_\t_",
    "Linz\tI-LOC\t_\tQ5\t_",
    "In\tO\t_\t_\t_",
    "Rom\tB-LOC\t_\tQ4\tNoSpaceAfter",
    ",\tI-LOC\t_\tQ4\t_",
    "Italien\tI-LOC\t_\tQ4\tNoSpaceAfter",
    ".\tO\t_\t_\tEndOfSentence",
])


def _pred(start: int, end: int, text: str = "x", form: str = "name", *, place: str = "p", lat: float = 0.0,
          lon: float = 0.0, kind: str = "city") -> Prediction:
    return Prediction(start, end, text, form, place, place, kind, lat, lon)


# ----------------------------------------------------------------------------- readers


def test_xml_reader_aligns_offsets_with_the_loaders_text():
    corpus = parse_toponym_xml(XML, "toy")
    first, second = corpus.documents
    assert first.doc_id == "a1" and first.lang == "en"
    assert [g.text for g in first.gold] == ["Oxford", "München"]  # soft hyphen gone, ü composed
    for doc in corpus.documents:
        for gold in doc.gold:
            assert doc.text[gold.start:gold.end] == gold.text
    assert first.gold[0].lat == 51.75 and first.gold[1].lat is None
    assert [g.text for g in second.gold] == ["Kenyan", "Nairobi"]
    assert corpus.notes["offsets end-fixed"] == 1 and corpus.notes["offsets shifted"] == 1
    assert corpus.notes["toponyms without coordinates"] == 1


def test_prepared_text_is_what_load_article_returns():
    from geo.text import load_article

    for doc in parse_toponym_xml(XML, "toy").documents:
        assert load_article(doc.text, filename="x.txt", lang="en").text == doc.text


def test_normalize_with_spans_moves_offsets():
    text = "a\r\nWei\u00adss Mu\u0308nchen"
    spans = [(3, 9), (10, 18)]
    assert text[10:18] == "Mu\u0308nchen"
    new, moved = normalize_with_spans(text, spans)
    assert new == loader_normalize(text) == "a\nWeiss München"
    assert [new[s:e] for s, e in moved] == ["Weiss", "München"]


def test_align_span_cases():
    text = "In the USA, the US flag; near Paris."
    assert align_span(text, 30, 35, "Paris") == (30, 35, "exact")
    assert align_span(text, 30, 34, "Paris") == (30, 35, "end-fixed")
    assert align_span(text, 33, 38, "Paris") == (30, 35, "shifted")
    # "US" also occurs inside "USA", nearer; the whole word wins
    assert align_span(text, 9, 11, "US") == (16, 18, "shifted")
    assert align_span(text, 0, 4, "Berlin")[2] == "unaligned"


def test_hipe_reader_rebuilds_natural_text_and_gold_spans():
    corpus = parse_hipe_tsv(HIPE.splitlines(), "toy")
    first, second = corpus.documents
    assert first.doc_id == "doc-1" and first.lang == "de"
    assert first.text == "Aus Neu⸗Guinea (Berlin) nach „Börſen-Halle“.\nTogo⸗ und Wien."
    assert [(g.text, g.ref) for g in first.gold] == [("Neu⸗Guinea", "Q1"), ("Berlin", "Q64"),
                                                      ("Togo⸗", "Q2"), ("Wien", "Q3")]
    for gold in first.gold:
        assert first.text[gold.start:gold.end] == gold.text
    # NoSpaceAfter flags decide where present; I-LOC continues the span over the comma
    assert second.text == "Wien Linz In Rom, Italien."
    # an I- tag after O opens a span (lenient IOB)
    assert [g.text for g in second.gold] == ["Linz", "Rom, Italien"]
    assert corpus.notes["spacing from NoSpaceAfter"] == 1


def test_hipe_reader_needs_its_header():
    with pytest.raises(ValueError, match="header"):
        parse_hipe_tsv(["Berlin\tB-LOC\t_"])


def test_detokenize_offsets_index_the_text():
    tokens = ["Er", "sagte", ":", "„", "Paris", "“", "-", "und", "Rom", "."]
    text, offsets = detokenize(tokens)
    assert text == "Er sagte: „Paris“ - und Rom."
    assert [text[s:e] for s, e in offsets] == tokens


# ----------------------------------------------------------------------------- scoring


def test_overlap_matching_is_one_to_one_and_prefers_the_closest_span():
    gold = [(0, 5), (10, 20)]
    predicted = [(0, 3), (0, 5), (12, 14), (30, 35)]
    # (0, 5) matches exactly; (0, 3) overlaps gold 0 too but the gold is taken
    assert match_spans(gold, predicted) == [(0, 1), (1, 2)]
    # one long prediction over two gold spans matches only one of them
    assert len(match_spans([(0, 5), (6, 10)], [(0, 10)])) == 1
    # touching is not overlapping
    assert match_spans([(0, 5)], [(5, 9)]) == []


def test_form_rules():
    assert counts_as_prediction("name", adjectives=False)
    assert counts_as_prediction("nested", adjectives=False)
    assert counts_as_prediction("adjective", adjectives=True)
    assert not counts_as_prediction("adjective", adjectives=False)
    assert not counts_as_prediction("generic", adjectives=True)


def test_score_document_applies_the_adjective_and_generic_rules():
    gold = [GoldSpan(2, 9, "Turkish"), GoldSpan(20, 26, "Ankara")]
    predictions = [
        _pred(2, 9, "Turkish", "adjective"),
        _pred(20, 26, "Ankara"),
        _pred(30, 40, "the border", "generic"),
        _pred(45, 52, "Russian", "adjective"),
    ]
    with_adj = score_document(gold, predictions, adjectives=True)
    assert len(with_adj.matched) == 2
    assert [p.text for p in with_adj.false_positives] == ["Russian"]  # the generic is never scored
    assert with_adj.false_negatives == []
    without = score_document(gold, predictions, adjectives=False)
    assert len(without.matched) == 1 and without.false_positives == []
    assert [g.text for g in without.false_negatives] == ["Turkish"]


def test_duplicate_prediction_spans_count_once():
    score = score_document([GoldSpan(0, 5, "Minsk")], [_pred(0, 5, place="a"), _pred(0, 5, place="b")],
                           adjectives=False)
    assert len(score.matched) == 1 and score.false_positives == []


def test_polygon_contains_rule():
    box = shapely.box(20.0, 40.0, 40.0, 60.0)  # lon 20..40, lat 40..60
    geometry = {"country:XX": box, "city:pt": shapely.Point(30.0, 50.0)}.get
    gold = GoldSpan(0, 5, "Place", lat=42.0, lon=22.0)
    country = _pred(0, 5, place="country:XX", lat=55.0, lon=38.0, kind="country")
    km, inside = resolution_error(gold, country, geometry)
    assert km > 161 and inside
    outside = GoldSpan(0, 5, "Place", lat=10.0, lon=10.0)
    assert resolution_error(outside, country, geometry)[1] is False
    # a point geometry never "contains" the gold point
    city = _pred(0, 5, place="city:pt", lat=55.0, lon=38.0)
    assert resolution_error(gold, city, geometry)[1] is False


def test_evaluate_figures_on_parsed_documents():
    box = shapely.box(20.0, 40.0, 40.0, 60.0)
    geometry = {"country:XX": box}.get
    doc = Document("toy", "d1", "x" * 100, "en", (
        GoldSpan(0, 5, "Near", lat=50.0, lon=30.0),     # predicted 0 km away
        GoldSpan(10, 15, "Inside", lat=42.0, lon=22.0),  # far from the point, inside the polygon
        GoldSpan(20, 25, "Far", lat=0.0, lon=0.0),      # thousands of km off
        GoldSpan(30, 35, "NoCoord"),                    # recognised, not scored for resolution
        GoldSpan(40, 45, "Missed", lat=1.0, lon=1.0),
    ))
    predictions = [
        _pred(0, 5, "Near", place="city:a", lat=50.0, lon=30.0),
        _pred(10, 15, "Inside", place="country:XX", lat=55.0, lon=38.0, kind="country"),
        _pred(20, 25, "Far", place="city:b", lat=50.0, lon=30.0),
        _pred(30, 35, "NoCoord", place="city:c"),
        _pred(60, 66, "Police", place="city:d"),
        _pred(70, 80, "the border", "generic", place="border:x"),
    ]
    result = evaluate("toy", [ParsedDocument(doc, predictions, 0.01)], adjectives=False, geometry=geometry)
    rec = result["recognition"]
    assert (rec["tp"], rec["fp"], rec["fn"]) == (4, 1, 1)
    assert rec["precision"] == pytest.approx(0.8) and rec["recall"] == pytest.approx(0.8)
    res = result["resolution"]
    assert res["scored"] == 3 and res["inside_polygon"] == 1 and res["hits_by_polygon_only"] == 1
    assert res["acc161"] == pytest.approx(2 / 3, abs=1e-4)
    assert 1700 < res["median_km"] < 1900  # point to point: 0, ~1,800 (inside the box), ~6,400 km
    assert result["top_false_positives"] == [("Police", 1)]
    assert result["top_false_negatives"] == [("Missed", 1)]
    assert result["top_misresolved"][0]["gold"] == "Far"


def test_predictions_are_mapped_back_when_the_loader_changes_the_text():
    # A Document built without normalisation: the loader drops the soft hyphen and composes ü.
    text = "Die Regierung in Weiss\u00adrussland traf Vertreter aus Mu\u0308nchen und Berlin."
    doc = Document("toy", "raw", text, "de", ())
    [parsed] = geoparse_documents([doc])
    assert parsed.realigned and not parsed.error
    spans = {text[p.start:p.end] for p in parsed.predictions}
    assert "Berlin" in spans
    assert "Weiss\u00adrussland" in spans and "Mu\u0308nchen" in spans


# ----------------------------------------------------------------------------- splits, counts


def test_split_is_deterministic_and_halves_the_data():
    ids = [str(n) for n in range(200)]
    first = [split_of("lgl", i) for i in ids]
    assert first == [split_of("lgl", i) for i in ids]
    assert 60 < first.count("dev") < 140
    docs = [Document("lgl", i, "t", "en", ()) for i in ids]
    dev, test = select(docs, split="dev"), select(docs, split="test")
    assert len(dev) + len(test) == 200 and not {d.doc_id for d in dev} & {d.doc_id for d in test}
    assert len(select(docs, split="all", limit=7)) == 7


def test_word_count_counts_word_tokens():
    assert word_count("St. Petersburg, 2022: Putin's visit.") == 6


def test_bench_pools_english_mentions_for_the_goal():
    from tools.bench import _accuracy_rows

    def result(name, acc, scored):
        return {"dataset": name, "adjectives_counted": True,
                "recognition": {"precision": 0.9, "recall": 0.9, "f1": 0.9},
                "recognition_alt": {"adjectives_counted": False, "f1": 0.9},
                "resolution": {"scored": scored, "acc161": acc, "median_km": 1.0, "hits_by_polygon_only": 0}}

    rows = _accuracy_rows([result("tr-news", 0.95, 100), result("lgl", 0.88, 300)], None)
    pooled = [r for r in rows if r.label.startswith("English pooled")]
    assert len(pooled) == 1 and pooled[0].value == "89.8%" and pooled[0].met is False
    lgl = [r for r in rows if r.label.startswith("lgl: acc@161")][0]
    assert lgl.met is False  # each dataset still shows its own status
