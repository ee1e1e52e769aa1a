"""`make bench`: speed and accuracy figures of Article Atlas, as one table and artifacts/bench.json.

    python -m tools.bench [--eval-dir DIR] [--repeats N] [--errors K] [--no-corpus] [--no-accuracy]
                          [--json PATH] [--all-cores] [--only browser] [--only briefing]

Sections (goals from the issues; goals live here, never as assertions in tests):

1. Gazetteer ready in a fresh process (goal <= 0.5 s), and the whole process start to ready.
2. Name lookup: `Gazetteer.candidates` over a mix of names (goal <= 50 us median), and the raw
   key lookup (`ranked_rows` of a normalised key, `has_key`).
3. Sample article once loaded: `geoparse_article` (goal <= 50 ms), with and without
   `build_layers`; the first call in the process is reported apart (cold caches).
4. Corpus speed on one core: words/s of load_article + geoparse_article over every TR-News, LGL
   and HIPE document in one process (goal >= 50,000 words/s), beside `geo.recognize.tokenize`
   and a plain `\\w+` regex over the same texts. Words are `\\w+` tokens.
4b. Corpus through the command line (tools/bench_batch.py): `geo extract --format jsonl` on the
   English dev set beside geotext 0.4.0, output KB per article, --jobs 2 speed-up, peak memory of
   one and two workers, library words/s (goals: <= 1.0× geotext, <= 20 KB, >= 1.7×, <= 250 MB,
   a second worker <= +100 MB, >= 100,000 words/s).
5. Accuracy (tools.evaluate) of the sample and the dev sets, reusing the corpus run.
   Goals: English F1 >= 0.75 and acc@161 >= 90%; German (HIPE) F1 >= 0.75.
6. World-news probes (tools.probes, issue 8): share of tests/probes/world_news.tsv right, per
   language, and of every country's capital in a plain sentence (goals >= 97 % each).
7. Browser timings of the dashboard (tools/bench_browser.py): a real `streamlit run` on
   127.0.0.1 driven by Debian chromium. Goals: cold start → map visible <= 2.5 s, warm load
   <= 1 s, click → passage highlighted <= 0.4 s; bytes sent per rerun reported.
7. Briefing exports of the sample with a warm Chromium (geo.briefing): the 1920×1080 PNG
   (goal <= 1.5 s) and the A4 PDF sheet (goal <= 3 s), medians after one warm-up render.

The process pins itself to one CPU core (Linux) unless --all-cores is given, so "one core"
holds for every figure; subprocesses inherit the pinning.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.config import PROJECT_ROOT, SAMPLE_ARTICLE

__all__ = [
    "GOALS",
    "LOOKUP_NAMES",
    "Row",
    "gazetteer_startup",
    "name_lookup",
    "sample_speed",
    "corpus_speed",
    "accuracy",
    "probe_rows",
    "browser_timings",
    "briefing_timings",
    "format_rows",
    "main",
]

GOALS = {
    "gazetteer_ready_s": 0.5,
    "lookup_us": 50.0,
    "sample_ms": 50.0,
    "corpus_words_per_s": 50_000,
    "f1_en": 0.75,
    "acc161_en": 0.90,
    "de_news_place": 0.92,  # issue 9: place precision and recall on each half of de-news
    "hipe_overlap_f1": 0.85,  # issue 9: HIPE dev, the reference scorer's overlap F1
    "f1_de": 0.75,
    "briefing_png_s": 1.5,
    "briefing_pdf_s": 3.0,
}
BRIEFING_REPEATS = 3
# A mix of names: German and English exonyms, multi-word names, ambiguous US towns, misses.
LOOKUP_NAMES = (
    "Riwne", "Minsk", "Moskau", "St. Petersburg", "Weißrussland", "Weissrusslands", "Kiew", "Lwiw",
    "Donbass", "Kreml", "Sowjetunion", "München", "Den Haag", "Sankt Gallen", "Peking", "New York",
    "Paris", "London", "Berlin", "Springfield", "Alexandria", "Georgia", "Texas", "Gainesville",
    "Xyzzyville", "Flughafen",
)
_STARTUP_CODE = ("import time; t=time.perf_counter(); from geo.gazetteer import Gazetteer; "
                 "g=Gazetteer(); g.candidates('Riwne'); print(time.perf_counter()-t)")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Row:
    """One line of the table: what, the figure, the goal, and whether the goal is met."""

    section: str
    label: str
    value: str
    goal: str = ""
    met: bool | None = None


def _median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


# --------------------------------------------------------------------------- 1. start-up


def gazetteer_startup(repeats: int = 5) -> dict:
    """Seconds to a usable gazetteer in fresh interpreters (median of `repeats`)."""
    inside, wall, bare = [], [], []
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], cwd=PROJECT_ROOT, env=env, check=True)
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _STARTUP_CODE], cwd=PROJECT_ROOT, env=env,
                              check=True, capture_output=True, text=True)
        wall.append(time.perf_counter() - started)
        inside.append(float(done.stdout.strip().splitlines()[-1]))
    return {
        "repeats": repeats,
        "import_to_ready_s": round(_median(inside), 4),
        "import_to_ready_all_s": [round(x, 4) for x in inside],
        "process_start_to_ready_s": round(_median(wall), 4),
        "bare_interpreter_s": round(_median(bare), 4),
    }


# --------------------------------------------------------------------------- 2. lookups


def _per_call_us(function: Callable[[str], object], arguments: Sequence[str], rounds: int) -> list[float]:
    timer = time.perf_counter_ns
    samples = []
    for _ in range(rounds):
        for argument in arguments:
            started = timer()
            function(argument)
            samples.append((timer() - started) / 1000)
    return samples


def name_lookup(gazetteer, names: Sequence[str] = LOOKUP_NAMES, rounds: int = 200) -> dict:
    """Median and p90 microseconds per call of candidates(name) and of the raw key lookups."""
    from geo.normalize import normalize

    keys = [normalize(name) for name in names]
    for name in names:  # warm: first calls build lazy columns
        gazetteer.candidates(name)
    out = {"names": len(names), "calls": len(names) * rounds}
    for label, function, arguments in (
        ("candidates", gazetteer.candidates, names),
        ("ranked_rows", gazetteer.ranked_rows, keys),
        ("has_key", gazetteer.has_key, keys),
    ):
        samples = sorted(_per_call_us(function, arguments, rounds))
        out[f"{label}_median_us"] = round(_median(samples), 2)
        out[f"{label}_p90_us"] = round(samples[int(0.9 * (len(samples) - 1))], 2)
    return out


# --------------------------------------------------------------------------- 3. sample article


def sample_speed(gazetteer, path: Path = SAMPLE_ARTICLE, repeats: int = 30) -> dict:
    """Milliseconds to geoparse the loaded sample article, without and with layers."""
    from geo.layers import build_layers
    from geo.pipeline import geoparse_article
    from geo.text import read_article_file

    started = time.perf_counter()
    article = read_article_file(path)
    load_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    result = geoparse_article(article, gazetteer=gazetteer)
    first_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    build_layers(result, gazetteer)
    first_layers_ms = (time.perf_counter() - started) * 1000
    parse, with_layers = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        result = geoparse_article(article, gazetteer=gazetteer)
        parse.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        result = geoparse_article(article, gazetteer=gazetteer)
        build_layers(result, gazetteer)
        with_layers.append((time.perf_counter() - started) * 1000)
    return {
        "words": len(_WORD.findall(article.text)),
        "places": len(result.places),
        "repeats": repeats,
        "load_article_ms": round(load_ms, 2),
        "first_geoparse_ms": round(first_ms, 2),
        "first_build_layers_ms": round(first_layers_ms, 2),
        "geoparse_median_ms": round(_median(parse), 2),
        "geoparse_with_layers_median_ms": round(_median(with_layers), 2),
    }


# --------------------------------------------------------------------------- 4. corpus speed


def corpus_speed(documents, gazetteer) -> tuple[dict, list]:
    """Words/s of the pipeline over `documents` in this process, beside plain tokenisation.

    Returns the figures and the ParsedDocuments (reused for accuracy).
    """
    from geo.recognize import tokenize
    from geo.text import load_article
    from tools.evaluate import geoparse_documents

    words = sum(len(_WORD.findall(doc.text)) for doc in documents)
    started = time.perf_counter()
    parsed = geoparse_documents(documents, gazetteer=gazetteer)
    loop_s = time.perf_counter() - started
    pipeline_s = sum(item.seconds for item in parsed)

    articles = []
    started = time.perf_counter()
    for doc in documents:
        try:
            articles.append(load_article(doc.text, filename=f"{doc.doc_id}.txt", lang=doc.lang))
        except ValueError:
            pass
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    tokens = sum(len(tokenize(article)) for article in articles)
    tokenize_s = time.perf_counter() - started
    started = time.perf_counter()
    regex_tokens = sum(len(_WORD.findall(doc.text)) for doc in documents)
    regex_s = time.perf_counter() - started

    def rate(seconds: float) -> int | None:
        return round(words / seconds) if seconds > 0 else None

    return {
        "docs": len(documents),
        "skipped_docs": sum(1 for item in parsed if item.error),
        "chars": sum(len(doc.text) for doc in documents),
        "words": words,
        "pipeline_s": round(pipeline_s, 3),
        "pipeline_loop_s": round(loop_s, 3),
        "pipeline_words_per_s": rate(pipeline_s),
        "load_article_s": round(load_s, 3),
        "tokenize_s": round(tokenize_s, 3),
        "tokenize_tokens": tokens,
        "tokenize_words_per_s": rate(tokenize_s),
        "regex_s": round(regex_s, 4),
        "regex_words": regex_tokens,
        "regex_words_per_s": rate(regex_s),
        "pipeline_over_tokenize": round(pipeline_s / tokenize_s, 1) if tokenize_s else None,
    }, parsed


# --------------------------------------------------------------------------- 5. accuracy


def accuracy(parsed_by_dataset: dict[str, list], *, errors: int, gazetteer) -> tuple[list[dict], dict]:
    """tools.evaluate figures for each dataset (from an earlier corpus run) and the sample."""
    from tools.evaluate import evaluate, evaluate_sample

    results = [evaluate(name, parsed, errors=errors, gazetteer=gazetteer) for name, parsed in parsed_by_dataset.items()]
    return results, evaluate_sample(gazetteer=gazetteer)


# --------------------------------------------------------------------------- 6. world-news probes


def probe_rows(gazetteer) -> tuple[list[Row], dict]:
    """Rows for the world-news probes and the capitals probe (tools.probes), and their figures."""
    from tools.probes import CAPITALS_GOAL, PROBE_GOAL, capital_probes, read_probes, run_probes, share, shares_by

    rows, figures = [], {}
    for label, probes, goal in (("world-news probes right", read_probes(), PROBE_GOAL),
                                ("capitals recognised and resolved", capital_probes(gazetteer), CAPITALS_GOAL)):
        outcomes = run_probes(probes, gazetteer)
        by_lang = shares_by(outcomes, "lang")
        figures[label] = {"share": round(share(outcomes), 4), "by_lang": by_lang,
                          "failures": [f"{o.probe.label} → {o.chosen}" for o in outcomes if not o.ok]}
        rows.append(Row("probes", f"{label} ({len(outcomes)}; python -m tools.probes)",
                        f"{100 * share(outcomes):.1f}%", f">= {100 * goal:.0f}%", share(outcomes) >= goal))
        rows.append(Row("probes", f"{label}, en / de",
                        " / ".join(f"{100 * ok / total:.1f}%" for ok, total in (by_lang["en"], by_lang["de"]))))
    return rows, figures


# --------------------------------------------------------------------------- 7. browser (hook)


def browser_timings(args: argparse.Namespace) -> dict | None:
    """Browser timings of the Streamlit app (tools/bench_browser.py), or None when no chromium.

    Keys (seconds unless named otherwise): cold_start_to_map_s, warm_load_s,
    click_to_passage_s, list_to_flight_s, rerun_bytes. The browser and the server run on
    every core (as a user runs them), whatever the pinning of this process.
    """
    from tools.bench_browser import measure

    try:
        return measure()
    except Exception as err:  # no chromium, no display of the app: say so in the table
        print(f"browser timings not measured: {err}", file=sys.stderr)
        return None


def _browser_rows(figures: dict | None) -> list[Row]:
    from tools.bench_browser import GOALS as BROWSER_GOALS

    if figures is None:
        return [Row("browser", "cold start → map visible, warm load, click → passage, bytes/rerun",
                    "not measured (see stderr)")]
    units = {"_s": " s", "_bytes": " B", "_mb": " MB"}
    rows = []
    for key, value in figures.items():
        if key == "failed":
            rows.extend(Row("browser", "not measured", reason) for reason in value)
            continue
        unit = next((u for suffix, u in units.items() if key.endswith(suffix)), "")
        if isinstance(value, list):  # the single runs behind a median
            rows.append(Row("browser", key, " ".join(f"{v:.3g}" for v in value) + unit, "", None))
            continue
        shown = "—" if value is None else (f"{value:,.3g}{unit}" if isinstance(value, float) else f"{value:,}{unit}")
        goal = BROWSER_GOALS.get(key)
        met = None if goal is None or value is None else value <= goal
        rows.append(Row("browser", key, shown, f"<= {goal}{unit or '×'}" if goal is not None else "", met))
    return rows


# --------------------------------------------------------------------------- 7. briefing exports


def briefing_timings(gazetteer, repeats: int = BRIEFING_REPEATS) -> dict | None:
    """Seconds to render the sample's briefing PNG and PDF sheet in a warm Chromium (geoparse
    excluded), medians of `repeats` after one warm-up; None when Chromium is missing."""
    from geo.briefing import briefing_png, sheet_pdf
    from geo.pipeline import geoparse_file
    from geo.records import article_meta
    from geo.snapshot import Renderer, SnapshotUnavailable
    from tools.bench_browser import _all_cores

    result = geoparse_file(SAMPLE_ARTICLE, gazetteer=gazetteer)
    meta = article_meta(result.article, places=result.places)
    try:
        with _all_cores(), Renderer() as renderer:
            figures = {}
            for name, render in (("png", lambda: briefing_png(result, meta, gazetteer=gazetteer, renderer=renderer)),
                                 ("pdf", lambda: sheet_pdf(result, meta, gazetteer=gazetteer, renderer=renderer))):
                render()  # warm-up: Chromium's caches, fonts, the basemap's JSON parse
                times = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    render()
                    times.append(time.perf_counter() - started)
                figures[f"{name}_s"] = round(_median(times), 3)
            return figures
    except SnapshotUnavailable as err:
        print(f"briefing timings not measured: {err}", file=sys.stderr)
        return None


def _briefing_rows(figures: dict | None) -> list[Row]:
    if figures is None:
        return [Row("briefing", "PNG and PDF sheet of the sample, warm browser", "not measured (see stderr)")]
    return [
        Row("briefing", f"PNG 1920×1080 of the sample, warm browser (median of {BRIEFING_REPEATS})",
            f"{figures['png_s']:.2f} s", f"<= {GOALS['briefing_png_s']} s", figures["png_s"] <= GOALS["briefing_png_s"]),
        Row("briefing", f"PDF sheet (A4) of the sample, warm browser (median of {BRIEFING_REPEATS})",
            f"{figures['pdf_s']:.2f} s", f"<= {GOALS['briefing_pdf_s']} s", figures["pdf_s"] <= GOALS["briefing_pdf_s"]),
    ]


# --------------------------------------------------------------------------- table


def format_rows(rows: Sequence[Row]) -> str:
    """The bench table: section, metric, measured value, goal, ok/MISS."""
    widths = (10, max(len(r.label) for r in rows), max(len(r.value) for r in rows), max(len(r.goal) for r in rows))
    lines = []
    header = f"{'section':<{widths[0]}}  {'metric':<{widths[1]}}  {'measured':>{widths[2]}}  {'goal':<{widths[3]}}  status"
    lines.append(header)
    lines.append("-" * len(header))
    section = None
    for r in rows:
        status = "" if r.met is None else ("ok" if r.met else "MISS")
        name = r.section if r.section != section else ""
        section = r.section
        lines.append(f"{name:<{widths[0]}}  {r.label:<{widths[1]}}  {r.value:>{widths[2]}}  {r.goal:<{widths[3]}}  {status}")
    return "\n".join(lines)


def _accuracy_rows(results: list[dict], sample: dict | None) -> list[Row]:
    rows = []
    if sample is not None:
        rows.append(Row("accuracy", "sample: expected places found (issue list)",
                        f"{sample['expected_found']}/{sample['expected_total']}",
                        f"{sample['expected_total']}/{sample['expected_total']}",
                        sample["expected_found"] == sample["expected_total"]))
        rows.append(Row("accuracy", "sample: other places found (check by hand)",
                        str(len(sample["other_places"])), "", None))
    for r in results:
        rec, res = r["recognition"], r["resolution"]
        english = r["dataset"] in ("tr-news", "lgl")
        adjectives = "adj. counted" if r["adjectives_counted"] else "adj. not counted"
        rows.append(Row("accuracy", f"{r['dataset']}: P / R ({adjectives})",
                        f"{rec['precision']:.3f} / {rec['recall']:.3f}", "", None))
        goal = GOALS["f1_en"] if english else GOALS["f1_de"]
        rows.append(Row("accuracy", f"{r['dataset']}: F1 ({adjectives})", f"{rec['f1']:.3f}", f">= {goal}",
                        rec["f1"] >= goal))
        alt = r["recognition_alt"]
        rows.append(Row("accuracy", f"{r['dataset']}: F1 with adjectives {'counted' if alt['adjectives_counted'] else 'not counted'}",
                        f"{alt['f1']:.3f}", "", None))
        if res["scored"]:
            rows.append(Row("accuracy", f"{r['dataset']}: acc@161 ({res['scored']} mentions with coordinates)",
                            f"{100 * res['acc161']:.1f}%", f">= {100 * GOALS['acc161_en']:.0f}%" if english else "",
                            res["acc161"] >= GOALS["acc161_en"] if english else None))
            rows.append(Row("accuracy", f"{r['dataset']}: median error km; hits only by polygon rule",
                            f"{res['median_km']:.1f} km; {res['hits_by_polygon_only']}", "", None))
        else:
            rows.append(Row("accuracy", f"{r['dataset']}: acc@161", "n/a (gold has no coordinates)", "", None))
    english = [r["resolution"] for r in results if r["dataset"] in ("tr-news", "lgl") and r["resolution"]["scored"]]
    if len(english) > 1:
        # The goal is per language: all English mentions with coordinates, pooled.
        scored = sum(res["scored"] for res in english)
        share = sum(res["acc161"] * res["scored"] for res in english) / scored
        rows.append(Row("accuracy", f"English pooled (tr-news + lgl): acc@161 ({scored} mentions)",
                        f"{100 * share:.1f}%", f">= {100 * GOALS['acc161_en']:.0f}%", share >= GOALS["acc161_en"]))
    return rows


def _calibration_rows(results: list[dict]) -> list[Row]:
    """Share right per confidence band, pooled over the dev sets with coordinates (issue 8: a
    confidence must mean something)."""
    from tools.evaluate import CONFIDENCE_BANDS

    pooled: dict[str, list[float]] = {}
    for r in results:
        for band in r.get("calibration", []):
            if band["mentions"]:
                item = pooled.setdefault(band["band"], [0, 0.0, 0.0])
                item[0] += band["mentions"]
                item[1] += band["right"] * band["mentions"]
                item[2] += band["mean_confidence"] * band["mentions"]
    rows = []
    for low, high in zip(CONFIDENCE_BANDS, CONFIDENCE_BANDS[1:]):
        name = f"{low:.1f}–{min(high, 1.0):.1f}"
        if name in pooled:
            count, right, conf = pooled[name]
            rows.append(Row("calibration", f"confidence {name}: share right ({count} mentions, mean conf {conf / count:.2f})",
                            f"{100 * right / count:.1f}%", "", None))
    return rows


def reference_scores(eval_dir: Path) -> dict:
    """The shared reference scorers, run as their README says: de-news place recall/precision per
    half (odd ids dev, even test) and HIPE overlap/strict F1."""
    import importlib.util
    import subprocess
    import tempfile

    out: dict = {}
    news = sorted((eval_dir / "de-news").glob("*.txt"))
    scorer = eval_dir / "score_places.py"
    if news and scorer.exists():
        with tempfile.TemporaryDirectory() as tmp:
            jsonl = Path(tmp) / "de-news.jsonl"
            with jsonl.open("w", encoding="utf-8") as handle:
                subprocess.run([sys.executable, "-m", "geo", "extract", "--format", "jsonl", *map(str, news)],
                               stdout=handle, check=False, cwd=PROJECT_ROOT)
            ids = [p.stem for p in news]
            halves = {"dev": [i for i in ids if int("0" + "".join(c for c in i if c.isdigit())) % 2 == 1]}
            halves["test"] = [i for i in ids if i not in halves["dev"]]
            for half, chosen in halves.items():
                done = subprocess.run([sys.executable, str(scorer), str(jsonl), str(eval_dir / "de-news"),
                                       "--ids", ",".join(chosen)], capture_output=True, text=True, check=False)
                try:
                    out[f"de-news {half}"] = json.loads(done.stdout)["all"]
                except (ValueError, KeyError):
                    out[f"de-news {half}"] = {"error": done.stderr[-300:]}
    hipe = eval_dir / "de" / "HIPE-2022-v2.1-sonar-dev-de.tsv"
    hipe_scorer = eval_dir / "score_hipe.py"
    if hipe.exists() and hipe_scorer.exists():
        done = subprocess.run([sys.executable, str(hipe_scorer), str(PROJECT_ROOT / ".venv" / "bin" / "python"), str(hipe)],
                              capture_output=True, text=True, check=False)
        try:
            out["hipe"] = json.loads(done.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            out["hipe"] = {"error": done.stderr[-300:]}
    return out


def _reference_rows(scores: dict) -> list[Row]:
    rows = []
    for half in ("dev", "test"):
        s = scores.get(f"de-news {half}")
        if s and "recall" in s:
            rows.append(Row("reference", f"de-news {half} half: place recall / precision ({s['required']} places)",
                            f"{s['recall']:.3f} / {s['precision']:.3f}", f">= {GOALS['de_news_place']} / {GOALS['de_news_place']}",
                            s["recall"] >= GOALS["de_news_place"] and s["precision"] >= GOALS["de_news_place"]))
    hipe = scores.get("hipe")
    if hipe and "all" in hipe:
        for variant, label in (("all", "all predictions"), ("no_lower", "without lowercase predictions")):
            fuzzy, exact = hipe[variant]["fuzzy"], hipe[variant]["exact"]
            rows.append(Row("reference", f"HIPE dev (score_hipe.py), {label}: overlap F1 / strict F1",
                            f"{fuzzy['f1']:.3f} / {exact['f1']:.3f}", f">= {GOALS['hipe_overlap_f1']}",
                            fuzzy["f1"] >= GOALS["hipe_overlap_f1"]))
    return rows


def _git_commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=10)
        return done.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return ""


def _pin_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


ONLY_SECTIONS = ("browser", "briefing")


def _only(args: argparse.Namespace) -> int:
    """`--only browser` / `--only briefing`: those sections alone (minutes, not the hour of the rest)."""
    rows: list[Row] = []
    report: dict = {"when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                    "commit": _git_commit(), "load_average": os.getloadavg()}
    if "browser" in args.only:
        report["browser"] = browser_timings(args)
        rows.extend(_browser_rows(report["browser"]))
    if "briefing" in args.only:
        from geo.gazetteer import Gazetteer

        report["briefing"] = briefing_timings(Gazetteer.default())
        rows.extend(_briefing_rows(report["briefing"]))
    report["load_average_after"] = os.getloadavg()
    print(format_rows(rows))
    print(f"load average before / after: {report['load_average']} / {report['load_average_after']}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nfigures written to {args.json}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from tools.evaluate import DATASETS, DEFAULT_EVAL_DIR, format_errors, format_sample, read_dataset

    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR, help="default: %(default)s")
    parser.add_argument("--repeats", type=int, default=5, help="fresh processes for the start-up figure")
    parser.add_argument("--errors", type=int, default=10, help="top errors listed per dataset (0: none)")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus speed and accuracy runs")
    parser.add_argument("--no-accuracy", action="store_true", help="skip accuracy (speed only)")
    parser.add_argument("--all-cores", action="store_true", help="do not pin the process to one core")
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / "artifacts" / "bench.json")
    parser.add_argument("--only", action="append", choices=ONLY_SECTIONS, default=[],
                        help="only these sections (repeatable): the browser timings, the briefing exports")
    args = parser.parse_args(argv)
    if args.only:
        return _only(args)

    pinning = "not pinned (--all-cores)" if args.all_cores else _pin_one_core()
    rows: list[Row] = []
    report: dict = {
        "when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "python": platform.python_version(),
        "machine": platform.platform(),
        "cpu": pinning,
        "goals": GOALS,
    }
    print(f"bench: commit {report['commit'] or '?'}, Python {report['python']}, {pinning}", file=sys.stderr)

    startup = gazetteer_startup(args.repeats)
    report["gazetteer_startup"] = startup
    rows.append(Row("gazetteer", f"ready in a fresh process, import→ready (median of {args.repeats})",
                    f"{startup['import_to_ready_s']:.3f} s", f"<= {GOALS['gazetteer_ready_s']} s",
                    startup["import_to_ready_s"] <= GOALS["gazetteer_ready_s"]))
    rows.append(Row("gazetteer", "process start→ready, interpreter included",
                    f"{startup['process_start_to_ready_s']:.3f} s", "", None))
    rows.append(Row("gazetteer", "bare interpreter start (python -c pass)", f"{startup['bare_interpreter_s']:.3f} s"))

    from geo.gazetteer import Gazetteer

    started = time.perf_counter()
    gazetteer = Gazetteer.default()
    report["gazetteer_in_process_s"] = round(time.perf_counter() - started, 4)

    lookups = name_lookup(gazetteer)
    report["name_lookup"] = lookups
    rows.append(Row("lookup", f"candidates(name), median over {lookups['names']} names × {lookups['calls'] // lookups['names']}",
                    f"{lookups['candidates_median_us']:.1f} µs", f"<= {GOALS['lookup_us']:.0f} µs",
                    lookups["candidates_median_us"] <= GOALS["lookup_us"]))
    rows.append(Row("lookup", "candidates(name), p90", f"{lookups['candidates_p90_us']:.1f} µs"))
    rows.append(Row("lookup", "raw key: ranked_rows(key), median", f"{lookups['ranked_rows_median_us']:.1f} µs"))
    rows.append(Row("lookup", "raw key: has_key(key), median", f"{lookups['has_key_median_us']:.2f} µs"))

    sample = sample_speed(gazetteer)
    report["sample_speed"] = sample
    rows.append(Row("sample", f"geoparse once loaded, median of {sample['repeats']} ({sample['words']} words)",
                    f"{sample['geoparse_median_ms']:.1f} ms", f"<= {GOALS['sample_ms']:.0f} ms",
                    sample["geoparse_median_ms"] <= GOALS["sample_ms"]))
    rows.append(Row("sample", "geoparse + build_layers, median", f"{sample['geoparse_with_layers_median_ms']:.1f} ms"))
    rows.append(Row("sample", "first geoparse in the process (cold caches)", f"{sample['first_geoparse_ms']:.1f} ms"))
    rows.append(Row("sample", "first build_layers (loads geometries)", f"{sample['first_build_layers_ms']:.1f} ms"))
    rows.append(Row("sample", "load_article (read, decode, passages)", f"{sample['load_article_ms']:.1f} ms"))

    results: list[dict] = []
    sample_accuracy = None
    have_eval = args.eval_dir.is_dir()
    if not have_eval:
        message = f"no evaluation data at {args.eval_dir}: corpus speed and dev-set accuracy skipped"
        print(message, file=sys.stderr)
        rows.append(Row("corpus", "corpus speed and dev-set accuracy", f"skipped ({args.eval_dir} missing)"))
        report["skipped"] = message
    if have_eval and not args.no_corpus:
        corpora = {name: read_dataset(name, args.eval_dir) for name in DATASETS}
        documents = [doc for corpus in corpora.values() for doc in corpus.documents]
        speed, parsed = corpus_speed(documents, gazetteer)
        report["corpus_speed"] = speed
        report["reader_notes"] = {name: dict(corpus.notes) for name, corpus in corpora.items()}
        rows.append(Row("corpus", f"pipeline words/s, one process ({speed['docs']} docs, {speed['words']:,} words)",
                        f"{speed['pipeline_words_per_s']:,}", f">= {GOALS['corpus_words_per_s']:,}",
                        speed["pipeline_words_per_s"] >= GOALS["corpus_words_per_s"]))
        rows.append(Row("corpus", "pipeline time (load_article + geoparse_article)", f"{speed['pipeline_s']:.2f} s"))
        rows.append(Row("corpus", "geo.recognize.tokenize, same texts (loaded articles)",
                        f"{speed['tokenize_s']:.2f} s = {speed['tokenize_words_per_s']:,} words/s"))
        rows.append(Row("corpus", "plain regex \\w+ split, same texts",
                        f"{speed['regex_s']:.3f} s = {speed['regex_words_per_s']:,} words/s"))
        rows.append(Row("corpus", "pipeline time / tokenize time", f"{speed['pipeline_over_tokenize']}×"))
        from tools.bench_batch import command_line_corpus, rows_of

        english = [doc for doc in documents if doc.lang == "en"]
        report["batch"] = command_line_corpus(english, library_words_per_s=speed["pipeline_words_per_s"])
        rows.extend(rows_of(report["batch"], Row))
        if not args.no_accuracy:
            by_dataset: dict[str, list] = {name: [] for name in corpora}
            for item in parsed:
                by_dataset[item.document.dataset].append(item)
            results, sample_accuracy = accuracy(by_dataset, errors=max(args.errors, 1), gazetteer=gazetteer)
    elif not args.no_accuracy:
        from tools.evaluate import evaluate_sample

        sample_accuracy = evaluate_sample(gazetteer=gazetteer)
    if not args.no_accuracy:
        rows.extend(_accuracy_rows(results, sample_accuracy))
        report["accuracy"] = [{k: v for k, v in r.items() if k != "examples"} for r in results]
        report["sample_accuracy"] = sample_accuracy
        probes, report["probes"] = probe_rows(gazetteer)
        rows.extend(probes)
        rows.extend(_calibration_rows(results))
        if have_eval:
            report["reference"] = reference_scores(args.eval_dir)
            rows.extend(_reference_rows(report["reference"]))

    browser = browser_timings(args)
    report["browser"] = browser
    rows.extend(_browser_rows(browser))

    briefing = briefing_timings(gazetteer)
    report["briefing"] = briefing
    rows.extend(_briefing_rows(briefing))

    print(format_rows(rows))
    if args.errors and results:
        print()
        for r in results:
            print(format_errors(r))
    if sample_accuracy is not None:
        print(format_sample(sample_accuracy))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
