"""Evaluation harness: score the geoparser on human-annotated dev sets, offline.

    python -m tools.evaluate [--eval-dir DIR] [--datasets tr-news,lgl,hipe] [--split dev|test|all]
                             [--limit N] [--errors K] [--examples] [--adjectives auto|yes|no]
                             [--no-sample] [--json PATH]

Data (read in place, never copied into the repository; default ``../shared/eval`` beside the
repo root):

- TR-News (``en/TR-News.xml``) and LGL (``en/lgl.xml``): ``<article>`` with ``<text>`` and
  ``<toponyms>``; each ``<toponym>`` has ``<phrase>``, ``<start>``, ``<end>`` and an optional
  ``<gaztag>`` with ``<lat>``/``<lon>``. Offsets are checked against the phrase and repaired
  (see `align_span`): in TR-News about 9% of the offsets are shifted left by 1-10 characters
  (the shift grows within an article) and two have an ``end`` one short of the phrase.
- HIPE-2022 sonar dev (``de/HIPE-...-de.tsv``): one token per line, IOB tags in
  ``NE-COARSE-LIT``; only ``LOC`` is a place. The text is rebuilt with natural spacing
  (`detokenize`): ``NoSpaceAfter`` is honoured where present; this file has none, so spacing
  around punctuation, quotes and hyphens follows German typesetting rules. Each
  ``EndOfSentence`` ends a line, since the file has no paragraph marks. Gold has Wikidata ids but
  no coordinates: HIPE is scored for recognition only.

Alignment with the pipeline: `load_article` normalises text (NFC, CR/LF, soft hyphens, control
characters). The gold texts are normalised the same way piece by piece between gold
boundaries (`normalize_with_spans`), so offsets stay exact; after loading, ``article.text``
is compared with the prepared text and any remaining difference is mapped with difflib
(counted as ``realigned_docs``).

Scoring rules:

- Recognition: precision / recall / F1 over mention spans. A prediction hits a gold span when
  they overlap; each gold span and each prediction is matched at most once, greedily by
  overlap (intersection over union first, so exact matches win).
- Which predicted mentions count (`counts_as_prediction`): forms ``name`` and ``nested``
  always; ``generic`` (der Flughafen, the border) never, no gold set tags them; ``adjective``
  (Turkish, russischen) is a parameter. By default (`ADJECTIVES_BY_DEFAULT`) adjectives count
  for TR-News and LGL, whose gold tags demonyms ("Turkish" -> Turkey; LGL tags 41 of 65
  "American", 40 of 46 "Russian"), and not for HIPE or the sample. Every dataset reports the
  other setting too (``recognition_alt``).
- Resolution, for matched pairs whose gold has coordinates: the error is the great-circle
  distance from the gold point to the predicted place's representative point (candidate
  lat/lon); ``median_km`` is the median of these distances. A pair is a hit (acc@161) when
  the error is <= 161 km OR the gold point lies inside the predicted place's polygon
  (country/region/historical geometry from `Gazetteer.geometry`): a gold point in Texas
  resolved to the polygon of Texas is right, however far the state's representative point.
  ``hits_by_polygon_only`` counts the hits that need this rule.
- Splits: `split_of` puts each document into ``dev`` or ``test`` by the parity of a SHA-1 of
  its dataset and id, so a developer can tune on one half and check on the other.

The sample article is checked place by place against the list in the geoparser issue
(`SAMPLE_EXPECTED`): points within 15 km (facilities 10 km), countries by ISO code, Donbass by
polygon, the Belarus-Ukraine border by length.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import math
import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.config import PROJECT_ROOT, SAMPLE_ARTICLE

__all__ = [
    "DEFAULT_EVAL_DIR",
    "DATASETS",
    "ADJECTIVES_BY_DEFAULT",
    "SAMPLE_EXPECTED",
    "GoldSpan",
    "Document",
    "Corpus",
    "Prediction",
    "DocumentScore",
    "ParsedDocument",
    "ExpectedPlace",
    "read_dataset",
    "parse_toponym_xml",
    "parse_hipe_tsv",
    "parse_de_news",
    "detokenize",
    "align_span",
    "loader_normalize",
    "normalize_with_spans",
    "split_of",
    "word_count",
    "counts_as_prediction",
    "calibration",
    "match_spans",
    "resolution_error",
    "score_document",
    "predictions_of",
    "geoparse_documents",
    "evaluate",
    "evaluate_sample",
    "format_table",
    "format_errors",
    "format_sample",
    "select",
    "main",
]

DEFAULT_EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"
# dataset name → (relative path, language)
DATASETS: dict[str, tuple[str, str]] = {
    "tr-news": ("en/TR-News.xml", "en"),
    "lgl": ("en/lgl.xml", "en"),
    "hipe": ("de/HIPE-2022-v2.1-sonar-dev-de.tsv", "de"),
    "de-news": ("de-news", "de"),
}
ADJECTIVES_BY_DEFAULT: dict[str, bool] = {"tr-news": True, "lgl": True, "hipe": False, "de-news": False,
                                          "sample": False}
ACC_KM = 161.0
_POLYGON_TYPES = ("Polygon", "MultiPolygon")
_WORD = re.compile(r"\w+")


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """One annotated place mention: offsets into `Document.text`, coordinates if resolved."""

    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    ref: str = ""  # GeoNames id (XML sets) or Wikidata id (HIPE)


@dataclass(frozen=True, slots=True)
class Document:
    """A gold document: the text as the pipeline will see it, and its gold spans."""

    dataset: str
    doc_id: str
    text: str
    lang: str
    gold: tuple[GoldSpan, ...]


@dataclass
class Corpus:
    """Documents of one dataset and what the reader had to repair to align them."""

    name: str
    documents: list[Document]
    notes: Counter = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class Prediction:
    """A predicted mention with the place it was resolved to."""

    start: int
    end: int
    text: str
    form: str
    place_id: str
    place_name: str
    kind: str
    lat: float
    lon: float
    confidence: float = math.nan


@dataclass
class DocumentScore:
    """Matching result of one document."""

    matched: list[tuple[GoldSpan, Prediction]]
    false_positives: list[Prediction]
    false_negatives: list[GoldSpan]


# --------------------------------------------------------------------------- text preparation


def loader_normalize(text: str) -> str:
    """The character-level normalisation `geo.text.load_article` applies."""
    from geo.text import clean_text

    return clean_text(text)


def normalize_with_spans(text: str, spans: Sequence[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Normalise `text` like the loader, piece by piece between span boundaries, and move the spans."""
    cuts = sorted({0, len(text), *(s for s, _ in spans), *(e for _, e in spans)})
    new_pos: dict[int, int] = {0: 0}
    pieces: list[str] = []
    length = 0
    for a, b in zip(cuts, cuts[1:]):
        piece = loader_normalize(text[a:b])
        pieces.append(piece)
        length += len(piece)
        new_pos[b] = length
    return "".join(pieces), [(new_pos[s], new_pos[e]) for s, e in spans]


def _offset_map(source: str, target: str) -> list[int]:
    """For every offset 0..len(source), the corresponding offset in `target` (difflib alignment)."""
    mapping = [0] * (len(source) + 1)
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in range(i1, i2 + 1):
            mapping[i] = j1 + (i - i1) if tag == "equal" else (j1 if i < i2 else j2)
    return mapping


def word_count(text: str) -> int:
    """Words as `\\w+` tokens (the unit of every words/s figure)."""
    return sum(1 for _ in _WORD.finditer(text))


def split_of(dataset: str, doc_id: str) -> str:
    """'dev' or 'test': a fixed half of each dataset, by hash parity of the document id
    (de-news: by the parity of the id's number, a01 dev, a02 test, as its README suggests)."""
    if dataset == "de-news":
        digits = re.sub(r"\D", "", doc_id)
        return "dev" if digits and int(digits) % 2 == 1 else "test"
    digest = hashlib.sha1(f"{dataset}:{doc_id}".encode()).digest()
    return "dev" if digest[-1] % 2 == 0 else "test"


# --------------------------------------------------------------------------- XML readers (TR-News, LGL)


def align_span(text: str, start: int, end: int, phrase: str, *, window: int = 40) -> tuple[int, int, str]:
    """Repair a gold span whose offsets disagree with its phrase.

    Returns (start, end, how): ``exact``; ``end-fixed`` (the phrase starts at `start` but `end`
    is wrong); ``shifted`` (the phrase found nearest to `start` within `window`, whole words
    preferred); ``unaligned`` (not found: offsets kept as given).
    """
    if text[start:end] == phrase:
        return start, end, "exact"
    if phrase and text.startswith(phrase, start):
        return start, start + len(phrase), "end-fixed"
    lo = max(0, start - window)
    hi = min(len(text), end + window)
    best: tuple[tuple[int, int], int] | None = None
    position = text.find(phrase, lo, hi) if phrase else -1
    while position != -1:
        stop = position + len(phrase)
        whole = (position == 0 or not text[position - 1].isalnum()) and (stop >= len(text) or not text[stop].isalnum())
        rank = (0 if whole else 1, abs(position - start))
        if best is None or rank < best[0]:
            best = (rank, position)
        position = text.find(phrase, position + 1, hi)
    if best is None:
        return start, end, "unaligned"
    return best[1], best[1] + len(phrase), "shifted"


def _float(node: ET.Element | None, tag: str) -> float | None:
    value = node.findtext(tag) if node is not None else None
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def parse_toponym_xml(source: str | bytes | Path, dataset: str, *, lang: str = "en") -> Corpus:
    """TR-News / LGL style XML (a path or the XML itself) → a Corpus with aligned gold spans."""
    if isinstance(source, Path):
        root = ET.parse(source).getroot()
    else:
        root = ET.fromstring(source)
    corpus = Corpus(dataset, [])
    for number, article in enumerate(root.iter("article")):
        doc_id = article.get("docid") or str(number)
        text = article.findtext("text") or ""
        spans: list[tuple[int, int]] = []
        info: list[tuple[str, float | None, float | None, str]] = []
        for toponym in article.iter("toponym"):
            phrase = toponym.findtext("phrase") or ""
            try:
                start, end = int(toponym.findtext("start")), int(toponym.findtext("end"))
            except (TypeError, ValueError):
                corpus.notes["toponyms without offsets (dropped)"] += 1
                continue
            start, end, how = align_span(text, start, end, phrase)
            corpus.notes[f"offsets {how}"] += 1
            gaztag = toponym.find("gaztag")
            lat, lon = _float(gaztag, "lat"), _float(gaztag, "lon")
            if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                lat = lon = None
                corpus.notes["toponyms without coordinates"] += 1
            spans.append((start, end))
            info.append((phrase, lat, lon, gaztag.get("geonameid", "") if gaztag is not None else ""))
        prepared, moved = normalize_with_spans(text, spans)
        gold = tuple(
            GoldSpan(s, e, prepared[s:e], lat, lon, ref)
            for (s, e), (_, lat, lon, ref) in sorted(zip(moved, info))
        )
        corpus.documents.append(Document(dataset, doc_id, prepared, lang, gold))
    return corpus


# --------------------------------------------------------------------------- HIPE reader

_NO_SPACE_BEFORE = frozenset(".,;:!?)]}%“”«’")
_NO_SPACE_AFTER = frozenset("([{„‚»")
_HYPHEN_TOKENS = frozenset({"-", "⸗", "‐"})
_LINE_HYPHENS = ("⸗", "-")
_COORDINATING = frozenset({"und", "oder", "bis", "u", "sowie", "als", ","})


def _joins_words(tokens: Sequence[str], k: int) -> bool:
    """A free-standing hyphen at k between two words (Börsen - Zeitung → Börsen-Zeitung)."""
    return (tokens[k] in _HYPHEN_TOKENS and 0 < k < len(tokens) - 1
            and tokens[k - 1][-1:].isalnum() and tokens[k + 1][:1].isalnum())


def _space_before(tokens: Sequence[str], i: int) -> bool:
    """Whether German typesetting puts a space before token i (when no NoSpaceAfter flags exist)."""
    left, right = tokens[i - 1], tokens[i]
    if right in _NO_SPACE_BEFORE or left in _NO_SPACE_AFTER:
        return False
    if _joins_words(tokens, i) or _joins_words(tokens, i - 1):
        return False
    if len(left) > 1 and left.endswith(_LINE_HYPHENS) and left[-2].isalnum():
        # Neu⸗ Guinea → Neu⸗Guinea; but "Togo⸗ und Damara⸗" keeps its space
        return right.lower() in _COORDINATING
    return True


def detokenize(tokens: Sequence[str], *, no_space_after: Sequence[bool] | None = None,
               sentence_end: Sequence[bool] | None = None,
               sentence_break: str = "\n") -> tuple[str, list[tuple[int, int]]]:
    """Join tokens into natural text; returns the text and each token's (start, end).

    With `no_space_after` flags (HIPE ``NoSpaceAfter``) those decide; without them the German
    typesetting rules of `_space_before` do. A token flagged in `sentence_end` is followed by
    `sentence_break` instead of a space.
    """
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    length = 0
    for i, token in enumerate(tokens):
        if i > 0:
            if sentence_end is not None and sentence_end[i - 1]:
                separator = sentence_break
            elif no_space_after is not None:
                separator = "" if no_space_after[i - 1] else " "
            else:
                separator = " " if _space_before(tokens, i) else ""
            parts.append(separator)
            length += len(separator)
        offsets.append((length, length + len(token)))
        parts.append(token)
        length += len(token)
    return "".join(parts), offsets


def parse_hipe_tsv(lines: Iterable[str], dataset: str = "hipe", *, lang: str = "de",
                   entity: str = "LOC", sentence_break: str = "\n") -> Corpus:
    """HIPE-2022 TSV lines → a Corpus: rebuilt text per document, `entity` spans as gold."""
    corpus = Corpus(dataset, [])
    columns: dict[str, int] = {}
    doc_id: str | None = None
    rows: list[list[str]] = []
    seen_flags = False

    def flush() -> None:
        if doc_id is None or not rows:
            return
        tokens = [loader_normalize(r[columns["TOKEN"]]) for r in rows]
        misc = [r[columns["MISC"]].split("|") if "MISC" in columns and len(r) > columns["MISC"] else [] for r in rows]
        flags = [("NoSpaceAfter" in m) for m in misc]
        ends = [("EndOfSentence" in m) for m in misc]
        text, offsets = detokenize(tokens, no_space_after=flags if seen_flags else None,
                                   sentence_end=ends, sentence_break=sentence_break)
        gold: list[GoldSpan] = []
        current: list[int] | None = None  # [start, end] of the open span
        ref = ""
        tag_col = columns["NE-COARSE-LIT"]
        link_col = columns.get("NEL-LIT")
        for (start, end), row in zip(offsets, rows):
            tag = row[tag_col] if len(row) > tag_col else "O"
            prefix, _, label = tag.partition("-")
            if label == entity and (prefix == "B" or current is None):
                if current is not None:
                    gold.append(GoldSpan(current[0], current[1], text[current[0]:current[1]], ref=ref))
                current = [start, end]
                ref = row[link_col] if link_col is not None and len(row) > link_col else ""
            elif label == entity and prefix == "I":
                current[1] = end
            else:
                if current is not None:
                    gold.append(GoldSpan(current[0], current[1], text[current[0]:current[1]], ref=ref))
                current = None
        if current is not None:
            gold.append(GoldSpan(current[0], current[1], text[current[0]:current[1]], ref=ref))
        corpus.documents.append(Document(dataset, doc_id, text, lang, tuple(gold)))
        corpus.notes["spacing from NoSpaceAfter" if seen_flags else "spacing by rule (no NoSpaceAfter flags)"] += 1

    for raw in lines:
        line = raw.rstrip("\n").rstrip("\r")
        if not line.strip():
            continue
        if line.startswith("#"):
            match = re.match(r"#\s*hipe2022:document_id\s*=\s*(\S+)", line)
            if match:
                flush()
                doc_id, rows, seen_flags = match.group(1), [], False
            continue
        cells = line.split("\t")
        if not columns:
            if "TOKEN" not in cells or "NE-COARSE-LIT" not in cells:
                raise ValueError("HIPE TSV: the first line must be the header (TOKEN, NE-COARSE-LIT, …)")
            columns = {name: i for i, name in enumerate(cells)}
            continue
        if cells[0] == "TOKEN":
            continue  # a repeated header
        if doc_id is None:
            doc_id = "0"
        rows.append(cells)
        if "MISC" in columns and len(cells) > columns["MISC"] and "NoSpaceAfter" in cells[columns["MISC"]]:
            seen_flags = True
    flush()
    return corpus


def parse_de_news(folder: Path, dataset: str = "de-news") -> Corpus:
    """The modern German set: `<id>.txt` and `<id>.json` (gold places with mentions as
    [start, end, surface] and a point). Gold spans: the mentions of required places (generic
    references such as «der Kanton» are optional there and not scored here)."""
    corpus = Corpus(dataset, [])
    for gold_path in sorted(Path(folder).glob("*.json")):
        meta = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = gold_path.with_suffix(".txt").read_text(encoding="utf-8")
        spans, places = [], []
        for place in meta.get("places", []):
            if not place.get("required"):
                continue
            for start, end, _surface in place.get("mentions", []):
                spans.append((start, end))
                places.append(place)
        text, fixed = normalize_with_spans(raw, spans)
        gold = tuple(sorted(
            (GoldSpan(s, e, text[s:e], p.get("lat"), p.get("lon"), p.get("name", "")) for (s, e), p in zip(fixed, places)),
            key=lambda g: (g.start, g.end)))
        corpus.notes["places"] += len(meta.get("places", []))
        corpus.documents.append(Document(dataset, str(meta.get("id", gold_path.stem)), text, "de", gold))
    return corpus


def read_dataset(name: str, eval_dir: Path = DEFAULT_EVAL_DIR) -> Corpus:
    """One of `DATASETS`, read from `eval_dir`."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose from {', '.join(DATASETS)}")
    relative, lang = DATASETS[name]
    path = Path(eval_dir) / relative
    if not path.exists():
        raise FileNotFoundError(f"{path} not found; pass --eval-dir pointing at the shared eval folder")
    if path.is_dir():
        return parse_de_news(path, name)
    if path.suffix == ".xml":
        return parse_toponym_xml(path, name, lang=lang)
    with path.open(encoding="utf-8") as handle:
        return parse_hipe_tsv(handle, name, lang=lang)


# --------------------------------------------------------------------------- scoring


def counts_as_prediction(form: str, *, adjectives: bool) -> bool:
    """Whether a predicted mention of this form is scored (see the module docstring)."""
    if form in ("name", "nested"):
        return True
    if form == "adjective":
        return adjectives
    return False  # generic: der Flughafen, the border


def match_spans(gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs: overlapping spans, one-to-one, greedy by overlap."""
    pairs = []
    order = sorted(range(len(predicted)), key=lambda k: predicted[k][0])
    for g, (gs, ge) in enumerate(gold):
        for p in order:
            ps, pe = predicted[p]
            if ps >= ge:
                break
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                union = max(ge, pe) - min(gs, ps)
                pairs.append((-overlap / union, -overlap, g, p))
    pairs.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matched = []
    for _, _, g, p in pairs:
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            matched.append((g, p))
    return sorted(matched)


def resolution_error(gold: GoldSpan, prediction: Prediction,
                     geometry: Callable[[str], object | None] | None = None) -> tuple[float, bool]:
    """(point-to-point error km, gold point inside the predicted polygon)."""
    from geo.gazetteer import haversine_km

    if not prediction.place_id:
        return math.inf, False  # recognised but unresolved
    km = float(haversine_km(gold.lat, gold.lon, prediction.lat, prediction.lon))
    inside = False
    if geometry is not None:
        shape = geometry(prediction.place_id)
        if shape is not None and shape.geom_type in _POLYGON_TYPES:
            import shapely

            inside = bool(shapely.contains_xy(shape, gold.lon, gold.lat))
    return km, inside


def score_document(gold: Sequence[GoldSpan], predictions: Sequence[Prediction], *, adjectives: bool) -> DocumentScore:
    """Match one document's counted predictions against its gold spans."""
    counted = [p for p in predictions if counts_as_prediction(p.form, adjectives=adjectives)]
    unique: dict[tuple[int, int], Prediction] = {}
    for p in counted:
        unique.setdefault((p.start, p.end), p)  # one span, one prediction
    counted = sorted(unique.values(), key=lambda p: (p.start, p.end))
    pairs = match_spans([(g.start, g.end) for g in gold], [(p.start, p.end) for p in counted])
    hit_gold = {g for g, _ in pairs}
    hit_pred = {p for _, p in pairs}
    return DocumentScore(
        matched=[(gold[g], counted[p]) for g, p in pairs],
        false_positives=[p for k, p in enumerate(counted) if k not in hit_pred],
        false_negatives=[g for k, g in enumerate(gold) if k not in hit_gold],
    )


def predictions_of(result) -> list[Prediction]:
    """Every mention of every place in a `geo.models.Geoparse`, with its place.

    Named mentions left unresolved (a street, a building: recognised, but not in the offline
    gazetteer) count for recognition and, having no coordinates, as misses for acc@161.
    """
    out = []
    for place in result.places:
        c = place.candidate
        for m in place.mentions:
            out.append(Prediction(m.start, m.end, m.text, m.form, c.id, c.name, c.kind, c.lat, c.lon,
                                  place.confidence))
    for m in result.unresolved:
        if m.form == "name":
            out.append(Prediction(m.start, m.end, m.text, m.form, "", m.text, "other", math.nan, math.nan))
    return out


CONFIDENCE_BANDS = (0.0, 0.5, 0.7, 0.9, 1.0001)


def calibration(judged: Sequence[tuple[float, bool]]) -> list[dict]:
    """Share right (acc@161) per confidence band: a confidence means something when the share of
    the 0.9–1.0 band is about 0.95, of the 0.5–0.7 band about 0.6."""
    rows = []
    for low, high in zip(CONFIDENCE_BANDS, CONFIDENCE_BANDS[1:]):
        inside = [right for conf, right in judged if math.isfinite(conf) and low <= conf < high]
        mean = [conf for conf, _ in judged if math.isfinite(conf) and low <= conf < high]
        rows.append({"band": f"{low:.1f}–{min(high, 1.0):.1f}", "mentions": len(inside),
                     "right": round(sum(inside) / len(inside), 3) if inside else None,
                     "mean_confidence": round(sum(mean) / len(mean), 3) if mean else None})
    return rows


def _round_km(km: float) -> int | None:
    return round(km) if math.isfinite(km) else None  # None: recognised but unresolved


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"gold": tp + fn, "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn,
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


# --------------------------------------------------------------------------- running the pipeline


@dataclass
class ParsedDocument:
    """A document after the pipeline: its predictions (offsets into Document.text)."""

    document: Document
    predictions: list[Prediction]
    seconds: float
    error: str = ""
    realigned: bool = False


def geoparse_documents(documents: Sequence[Document], *, gazetteer=None) -> list[ParsedDocument]:
    """Run load_article + geoparse_article on each document; predictions aligned to Document.text."""
    from geo.errors import InputError
    from geo.pipeline import geoparse_article
    from geo.text import load_article

    parsed = []
    for doc in documents:
        started = time.perf_counter()
        try:
            article = load_article(doc.text, filename=f"{doc.doc_id}.txt", lang=doc.lang)
            result = geoparse_article(article, gazetteer=gazetteer)
        except InputError as err:
            parsed.append(ParsedDocument(doc, [], time.perf_counter() - started, error=str(err)))
            continue
        seconds = time.perf_counter() - started
        predictions = predictions_of(result)
        realigned = article.text != doc.text
        if realigned:
            back = _offset_map(article.text, doc.text)
            predictions = [
                Prediction(back[p.start], max(back[p.end], back[p.start] + 1), p.text, p.form, p.place_id,
                           p.place_name, p.kind, p.lat, p.lon, p.confidence)
                for p in predictions
            ]
        parsed.append(ParsedDocument(doc, predictions, seconds, realigned=realigned))
    return parsed


def _geometry_lookup(gazetteer) -> Callable[[str], object | None]:
    cache: dict[str, object | None] = {}

    def lookup(place_id: str):
        if place_id not in cache:
            try:
                shape = gazetteer.geometry(place_id)
            except KeyError:
                shape = None
            if shape is not None:
                import shapely

                shapely.prepare(shape)
            cache[place_id] = shape
        return cache[place_id]

    return lookup


def _label(p: Prediction) -> str:
    return p.text if p.form == "name" else f"{p.text} [{p.form}]"


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"…{left}[{text[start:end]}]{right}…"


def evaluate(dataset_name: str, docs: Sequence[Document] | Sequence[ParsedDocument], *,
             adjectives: bool | None = None, errors: int = 15, gazetteer=None,
             geometry: Callable[[str], object | None] | None = None) -> dict:
    """Recognition and resolution figures of one dataset, with the commonest errors.

    `docs`: Documents (the pipeline is run here) or ParsedDocuments (already run).
    `adjectives`: whether adjective mentions count; None → `ADJECTIVES_BY_DEFAULT`.
    `geometry`: place id → shapely geometry or None (default: the gazetteer's polygons).
    """
    if docs and isinstance(docs[0], Document):
        parsed = geoparse_documents(docs, gazetteer=gazetteer)
    else:
        parsed = list(docs)
    if adjectives is None:
        adjectives = ADJECTIVES_BY_DEFAULT.get(dataset_name, False)
    if geometry is None:
        from geo.gazetteer import Gazetteer

        geometry = _geometry_lookup(gazetteer or Gazetteer.default())

    totals = Counter()
    alt = Counter()
    by_form: dict[str, Counter] = {}
    fp_counts: Counter = Counter()
    fn_counts: Counter = Counter()
    wrong: dict[tuple[str, str], list[float]] = {}
    examples: dict[str, str] = {}
    errors_km: list[float] = []
    judged: list[tuple[float, bool]] = []  # (confidence, right) of every scored mention
    hits = inside_count = polygon_only = 0
    for item in parsed:
        gold = item.document.gold
        score = score_document(gold, item.predictions, adjectives=adjectives)
        other = score_document(gold, item.predictions, adjectives=not adjectives)
        totals.update(tp=len(score.matched), fp=len(score.false_positives), fn=len(score.false_negatives))
        alt.update(tp=len(other.matched), fp=len(other.false_positives), fn=len(other.false_negatives))
        for _, p in score.matched:
            by_form.setdefault(p.form, Counter())["tp"] += 1
        for p in score.false_positives:
            by_form.setdefault(p.form, Counter())["fp"] += 1
            fp_counts[_label(p)] += 1
            examples.setdefault("fp:" + _label(p), _context(item.document.text, p.start, p.end))
        for g in score.false_negatives:
            fn_counts[g.text] += 1
            examples.setdefault("fn:" + g.text, _context(item.document.text, g.start, g.end))
        for g, p in score.matched:
            if g.lat is None or g.lon is None:
                continue
            km, inside = resolution_error(g, p, geometry)
            errors_km.append(km)
            judged.append((p.confidence, km <= ACC_KM or inside))
            inside_count += inside
            if km <= ACC_KM or inside:
                hits += 1
                polygon_only += inside and km > ACC_KM
            else:
                said = g.text if p.text == g.text else f"{g.text} (found as {p.text!r})"
                wrong.setdefault((said, f"{p.place_name} ({p.place_id})"), []).append(km)

    words = sum(word_count(item.document.text) for item in parsed)
    seconds = sum(item.seconds for item in parsed)
    scored = len(errors_km)
    misresolved = sorted(wrong.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:errors]
    return {
        "dataset": dataset_name,
        "docs": len(parsed),
        "skipped_docs": sum(1 for item in parsed if item.error),
        "skip_reasons": Counter(item.error for item in parsed if item.error).most_common(3),
        "realigned_docs": sum(1 for item in parsed if item.realigned),
        "words": words,
        "seconds": round(seconds, 3),
        "words_per_second": round(words / seconds) if seconds else None,
        "adjectives_counted": adjectives,
        "recognition": _prf(totals["tp"], totals["fp"], totals["fn"]),
        "recognition_alt": {"adjectives_counted": not adjectives, **_prf(alt["tp"], alt["fp"], alt["fn"])},
        "by_form": {form: dict(c) for form, c in sorted(by_form.items())},
        "resolution": {
            "scored": scored,
            "acc161": round(hits / scored, 4) if scored else None,
            "inside_polygon": inside_count,
            "hits_by_polygon_only": polygon_only,
            "median_km": round(statistics.median(errors_km), 1) if scored else None,
        },
        "calibration": calibration(judged),
        "top_false_positives": fp_counts.most_common(errors),
        "top_false_negatives": fn_counts.most_common(errors),
        "top_misresolved": [
            {"gold": g, "predicted": p, "count": len(kms),
             "median_km": _round_km(statistics.median(kms))}
            for (g, p), kms in misresolved
        ],
        "examples": {
            **{f"fp:{label}": examples[f"fp:{label}"] for label, _ in fp_counts.most_common(errors)},
            **{f"fn:{label}": examples[f"fn:{label}"] for label, _ in fn_counts.most_common(errors)},
        },
    }


# --------------------------------------------------------------------------- the sample article


@dataclass(frozen=True, slots=True)
class ExpectedPlace:
    """A place the sample must yield (geoparser issue, "Accuracy"), and how to recognise it."""

    label: str
    kinds: tuple[str, ...]
    lat: float | None = None
    lon: float | None = None
    max_km: float = 15.0
    country: str = ""  # ISO alpha-2 of a country
    inside: tuple[float, float] | None = None  # (lat, lon) a polygon must contain
    length_km: float | None = None  # a border's length, ± 2%

    def met_by(self, place, geometry: Callable[[str], object | None]) -> bool:
        c = place.candidate
        if c.kind not in self.kinds:
            return False
        if self.country and c.country.upper() != self.country:
            return False
        if self.lat is not None:
            from geo.gazetteer import haversine_km

            if float(haversine_km(self.lat, self.lon, c.lat, c.lon)) > self.max_km:
                return False
        if self.inside is not None:
            shape = geometry(c.id)
            if shape is None or shape.geom_type not in _POLYGON_TYPES:
                return False
            import shapely

            if not shapely.contains_xy(shape, self.inside[1], self.inside[0]):
                return False
        if self.length_km is not None:
            if c.length_km is None or abs(c.length_km - self.length_km) > 0.02 * self.length_km:
                return False
        return True


# Coordinates from public references (GeoNames, Wikipedia); tolerances from the issue.
SAMPLE_EXPECTED: tuple[ExpectedPlace, ...] = (
    ExpectedPlace("Russland", ("country",), country="RU"),
    ExpectedPlace("Weissrussland", ("country",), country="BY"),
    ExpectedPlace("Ukraine", ("country",), country="UA"),
    ExpectedPlace("Minsk", ("city",), 53.9006, 27.5590),
    ExpectedPlace("Moskau", ("city",), 55.7558, 37.6173),
    ExpectedPlace("St. Petersburg", ("city",), 59.9386, 30.3141),
    ExpectedPlace("Sotschi", ("city",), 43.6028, 39.7342),
    ExpectedPlace("Kiew", ("city",), 50.4501, 30.5234),
    ExpectedPlace("Warschau", ("city",), 52.2297, 21.0122),
    ExpectedPlace("Lwiw", ("city",), 49.8397, 24.0297),
    ExpectedPlace("Luzk", ("city",), 50.7472, 25.3254),
    ExpectedPlace("Riwne", ("city",), 50.6199, 26.2516),
    ExpectedPlace("Donbass", ("region", "historical"), inside=(48.0159, 37.8029)),
    ExpectedPlace("Rivne nuclear power plant", ("facility",), 51.3275, 25.8917, max_km=10.0),
    ExpectedPlace("Minsk National Airport", ("facility",), 53.8825, 28.0307, max_km=10.0),
    ExpectedPlace("Kreml", ("facility",), 55.7520, 37.6175, max_km=2.0),
    ExpectedPlace("Grenze Belarus–Ukraine", ("border",), length_km=1084.0),
)


def evaluate_sample(path: Path = SAMPLE_ARTICLE, *, gazetteer=None) -> dict:
    """The sample article's places, and which of the issue's expected places were found."""
    from geo.gazetteer import Gazetteer
    from geo.pipeline import geoparse_file

    gazetteer = gazetteer or Gazetteer.default()
    started = time.perf_counter()
    result = geoparse_file(path, gazetteer=gazetteer)
    seconds = time.perf_counter() - started
    geometry = _geometry_lookup(gazetteer)
    found: dict[str, str] = {}
    used: set[str] = set()
    for expected in SAMPLE_EXPECTED:
        for place in result.places:
            if place.id not in used and expected.met_by(place, geometry):
                found[expected.label] = place.id
                used.add(place.id)
                break
    places = [
        {"display_name": p.display_name, "name": p.name, "kind": p.kind, "id": p.id,
         "mentions": len(p.mentions), "forms": dict(Counter(m.form for m in p.mentions)),
         "expected": p.id in used}
        for p in result.places
    ]
    return {
        "dataset": "sample",
        "path": str(path),
        "words": word_count(result.article.text),
        "seconds": round(seconds, 3),
        "places": places,
        "expected_total": len(SAMPLE_EXPECTED),
        "expected_found": len(found),
        "expected_recall": round(len(found) / len(SAMPLE_EXPECTED), 4),
        "expected_missing": [e.label for e in SAMPLE_EXPECTED if e.label not in found],
        "other_places": [p["display_name"] for p in places if not p["expected"]],
        "mentions_of_expected": sum(p["mentions"] for p in places if p["expected"]),
    }


# --------------------------------------------------------------------------- report


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:5.1f}"


def format_table(results: Sequence[dict], sample: dict | None = None) -> str:
    """The accuracy table: one row per dataset (the sample's row counts expected places)."""
    header = (f"{'dataset':<10} {'docs':>5} {'gold':>6} {'P':>6} {'R':>6} {'F1':>6} {'F1 alt':>7} "
              f"{'acc161':>7} {'med km':>7}  adjectives")
    lines = [header, "-" * len(header)]
    for r in results:
        rec, alt, res = r["recognition"], r["recognition_alt"], r["resolution"]
        med = "—" if res["median_km"] is None else f"{res['median_km']:.1f}"
        lines.append(
            f"{r['dataset']:<10} {r['docs']:>5} {rec['gold']:>6} {_pct(rec['precision']):>6} {_pct(rec['recall']):>6} "
            f"{_pct(rec['f1']):>6} {_pct(alt['f1']):>7} {_pct(res['acc161']):>7} {med:>7}  "
            f"{'counted' if r['adjectives_counted'] else 'not counted'} (F1 alt: the other way)"
        )
    if sample is not None:
        lines.append(
            f"{'sample':<10} {1:>5} {sample['expected_total']:>6} {'—':>6} {_pct(sample['expected_recall']):>6} "
            f"{'—':>6} {'—':>7} {'—':>7} {'—':>7}  R = expected places found "
            f"({sample['expected_found']}/{sample['expected_total']})"
        )
    lines.append("P, R, F1, acc161 in %. acc161 and median km (point to point) over matched mentions with "
                 "gold coordinates; a gold point inside the predicted polygon also counts as a hit.")
    return "\n".join(lines)


def format_errors(result: dict, *, examples: bool = False) -> str:
    """The commonest false positives, false negatives and wrong resolutions of one dataset."""
    def counts(items):
        return ", ".join(f"{text} ×{n}" for text, n in items) or "—"

    rec = result["recognition"]
    lines = [
        f"== {result['dataset']}: {result['docs']} docs, {result['words']:,} words, "
        f"tp {rec['tp']} fp {rec['fp']} fn {rec['fn']}; by form: "
        + ", ".join(f"{form} {c.get('tp', 0)}/{c.get('fp', 0)} (tp/fp)" for form, c in result["by_form"].items()),
        f"   false positives: {counts(result['top_false_positives'])}",
        f"   false negatives: {counts(result['top_false_negatives'])}",
    ]
    if result["top_misresolved"]:
        lines.append("   resolved > 161 km off: " + ", ".join(
            f"{m['gold']} → {m['predicted']} ×{m['count']} ({m['median_km']} km)" for m in result["top_misresolved"]))
    if examples:
        lines.append("   first occurrence of each (fp: false positive, fn: false negative):")
        lines.extend(f"     {label}: {context}" for label, context in result["examples"].items())
    if result["skipped_docs"]:
        lines.append(f"   skipped (loader refused): {result['skipped_docs']} {result['skip_reasons']}")
    if result["realigned_docs"]:
        lines.append(f"   documents whose loaded text differed (offsets mapped): {result['realigned_docs']}")
    return "\n".join(lines)


def format_sample(sample: dict) -> str:
    """The sample article's places (display name, kind, id, mention count)."""
    lines = [f"== sample {Path(sample['path']).name}: {len(sample['places'])} places, "
             f"expected found {sample['expected_found']}/{sample['expected_total']}"]
    for p in sample["places"]:
        mark = "✓" if p["expected"] else " "
        lines.append(f"   {mark} {p['display_name']:<34} {p['kind']:<10} {p['id']:<28} {p['mentions']:>3} mentions")
    if sample["expected_missing"]:
        lines.append(f"   missing: {', '.join(sample['expected_missing'])}")
    return "\n".join(lines)


def select(documents: Sequence[Document], *, split: str = "all", limit: int | None = None) -> list[Document]:
    """Documents of a split ('dev', 'test' or 'all'), at most `limit` of them, in file order."""
    chosen = [d for d in documents if split == "all" or split_of(d.dataset, d.doc_id) == split]
    return chosen[:limit] if limit is not None else chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR, help="folder with en/ and de/ (default: %(default)s)")
    parser.add_argument("--datasets", default=",".join(DATASETS), help="comma-separated: %(default)s")
    parser.add_argument("--split", choices=("all", "dev", "test"), default="all",
                        help="a fixed half of each dataset (by document hash parity)")
    parser.add_argument("--limit", type=int, default=None, help="at most N documents per dataset")
    parser.add_argument("--errors", type=int, default=15, help="how many top errors to list")
    parser.add_argument("--adjectives", choices=("auto", "yes", "no"), default="auto",
                        help="count adjective mentions (auto: TR-News and LGL yes, HIPE no)")
    parser.add_argument("--examples", action="store_true", help="show each listed error in its context")
    parser.add_argument("--no-sample", action="store_true", help="skip the sample article")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)

    adjectives = None if args.adjectives == "auto" else args.adjectives == "yes"
    names = [n.strip() for n in args.datasets.split(",") if n.strip()]
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        parser.error(f"unknown dataset(s) {', '.join(unknown)}; choose from {', '.join(DATASETS)}")
    results, notes = [], {}
    if not args.eval_dir.is_dir():
        print(f"no evaluation data at {args.eval_dir}: dev sets skipped (pass --eval-dir)", file=sys.stderr)
        names = []
    for name in names:
        corpus = read_dataset(name, args.eval_dir)
        notes[name] = dict(corpus.notes)
        docs = select(corpus.documents, split=args.split, limit=args.limit)
        results.append(evaluate(name, docs, adjectives=adjectives, errors=args.errors))
    sample = None if args.no_sample else evaluate_sample()
    print(format_table(results, sample))
    print()
    for r in results:
        print(format_errors(r, examples=args.examples))
        print(f"   reader: {notes[r['dataset']]}")
    if sample is not None:
        print(format_sample(sample))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"split": args.split, "datasets": results, "reader_notes": notes,
                                         "sample": sample}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
