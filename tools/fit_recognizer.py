"""Fit how much each recognition rule's evidence counts (`make fit`, after the resolver's fit).

    python -m tools.fit_recognizer [--eval-dir DIR] [--out data/recognizer-weights.json]

What is fitted: `geo.recognize.judge` keeps a name match when its prior plus the rules' deltas
reaches `ACCEPT_THRESHOLD` (T). A rule's delta is its hand-set weight (`geo.recognize.rules.WEIGHTS`;
frequent_word's grows with the word's excess frequency). Each rule r gets a scale s_r (1: as
hand-set) per language (`LANGUAGES`: German and English text use the rules differently) in a
logistic model of whether a match is a place:

    P(place) = sigmoid(a * (prior - T) + sum_r c_r * delta_r),   s_r = c_r / a

fitted by maximum likelihood (Newton steps; an L2 penalty `PENALTY` on c_r - a pulls every scale
towards 1) over the judgements of the dev halves (`geo.recognize.judge.tracing`): every match
that reached the rules and was neither vetoed nor accepted outright. Its label: its span
overlaps a gold mention (adjective matches left out where a dataset does not count adjectives).
T stays where it is (the prior scale is the gazetteer's), and so do vetoes and ACCEPTs: they are
rules, not weights. A rule that speaks on fewer than `MIN_RULE_ROWS` judgements keeps scale 1.

Data: the dev half (`tools.evaluate.split_of`) of TR-News and LGL (English), HIPE (its
development file) and de-news (German); each dataset weighs the same in its language's likelihood. The test halves are read only to
report the figures of the scales chosen.

The likelihood is not F1: the scales written are a blend 1 + beta * (s - 1), beta in `BLENDS`, the
one with the best mean recognition F1 over the language's dev halves when the real pipeline runs
with it, among the blends that lower no dataset's dev F1 (`acceptable`: the issue allows no regression,
and a gain in English precision must not be paid in German recall). With beta = 0 (the hand-set
weights) chosen, the file says so and changes nothing. Deterministic: same data, same file.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from tools.evaluate import (ADJECTIVES_BY_DEFAULT, DEFAULT_EVAL_DIR, _offset_map, evaluate, geoparse_documents,
                            read_dataset, select)

LANGUAGES = {"en": ("tr-news", "lgl"), "de": ("hipe", "de-news")}  # each language's rules get their own scales
FIT_DATASETS = tuple(name for datasets in LANGUAGES.values() for name in datasets)
PENALTY = 0.05  # L2 pull of each c_r towards a (scale 1), against the dataset-weighted log-likelihood
NEWTON_STEPS = 30
MIN_RULE_ROWS = 20  # judgements a rule must speak on to be fitted
BLENDS = (0.0, 0.25, 0.5, 0.75, 1.0)  # hand-set → fitted scales, chosen on the dev half
OUT = Path(__file__).resolve().parents[1] / "data" / "recognizer-weights.json"


def judgements_of(documents, *, gazetteer) -> list[tuple[str, object, bool]]:
    """(dataset, Judgement, is a gold place) for every fit-worthy judgement of the documents."""
    from geo.errors import InputError
    from geo.pipeline import geoparse_article
    from geo.recognize.judge import tracing
    from geo.text import load_article

    rows = []
    for doc in documents:
        try:
            article = load_article(doc.text, filename=f"{doc.doc_id}.txt", lang=doc.lang)
            with tracing() as judged:
                geoparse_article(article, gazetteer=gazetteer)
        except InputError:
            continue
        back = _offset_map(article.text, doc.text) if article.text != doc.text else None
        adjectives = ADJECTIVES_BY_DEFAULT.get(doc.dataset, False)
        last = {}
        for j in judged:  # the second pass (named_elsewhere) judges a match again: its verdict stands
            last[(j.start, j.end)] = j
        gold = [(g.start, g.end) for g in doc.gold]
        for (start, end), j in sorted(last.items()):
            if j.veto is not None or j.accepted or (j.form == "adjective" and not adjectives):
                continue
            if back is not None:
                start, end = back[start], max(back[end], back[start] + 1)
            place = any(min(end, ge) > max(start, gs) for gs, ge in gold)
            rows.append((doc.dataset, j, place))
    return rows


def design(rows, rules: list[str], threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X (prior - T, then each rule's summed delta), y, and the row weights (each dataset sums to 1)."""
    column = {name: k + 1 for k, name in enumerate(rules)}
    x = np.zeros((len(rows), len(rules) + 1))
    y = np.zeros(len(rows))
    per_dataset = Counter(dataset for dataset, _, _ in rows)
    w = np.array([1.0 / per_dataset[dataset] for dataset, _, _ in rows])
    for n, (_, j, place) in enumerate(rows):
        x[n, 0] = j.prior - threshold
        for name, delta in j.evidence:
            if name in column:
                x[n, column[name]] += delta
            else:
                x[n, 0] += delta  # a rule too rare to fit counts as hand-set
        y[n] = 1.0 if place else 0.0
    return x, y, w


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, penalty: float = PENALTY) -> np.ndarray:
    """θ = (a, c_1 … c_R) by Newton steps from the hand-set point (a = 1, c = 1)."""
    k = x.shape[1]
    theta = np.ones(k)
    pull = np.zeros((k, k))  # Σ_r (e_r − e_0)(e_r − e_0)ᵀ: the penalty's matrix
    for r in range(1, k):
        e = np.zeros(k)
        e[0], e[r] = -1.0, 1.0
        pull += np.outer(e, e)
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ theta, -30, 30)))
        gradient = x.T @ (w * (y - p)) - 2 * penalty * pull @ theta
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + 2 * penalty * pull
        step = np.linalg.solve(hessian + 1e-9 * np.eye(k), gradient)
        theta += step
        if np.max(np.abs(step)) < 1e-8:
            break
    return theta


def figures(scales: dict[str, dict[str, float]], split: str, eval_dir: Path, gazetteer,
            datasets: tuple[str, ...] = FIT_DATASETS) -> dict:
    """Recognition P/R/F1 of each dataset's half with these scales (the real pipeline)."""
    judge = importlib.import_module("geo.recognize.judge")  # the module (the package exports the function)
    saved = judge.SCALES
    judge.SCALES = scales
    try:
        out = {}
        for name in datasets:
            docs = select(read_dataset(name, eval_dir).documents, split=split)
            result = evaluate(name, geoparse_documents(docs, gazetteer=gazetteer), gazetteer=gazetteer)
            rec = result["recognition"]
            out[name] = {"precision": rec["precision"], "recall": rec["recall"], "f1": rec["f1"]}
        out["mean_f1"] = round(sum(out[name]["f1"] for name in datasets) / len(datasets), 4)
        return out
    finally:
        judge.SCALES = saved


def acceptable(trial: dict, hand: dict, datasets: tuple[str, ...]) -> bool:
    """A blend may be chosen only if no dataset's dev F1 falls below the hand-set weights'."""
    return all(trial[name]["f1"] >= hand[name]["f1"] for name in datasets)


def fit_language(lang: str, datasets: tuple[str, ...], eval_dir: Path, gazetteer) -> tuple[dict, dict, dict]:
    """The fitted scales of one language's rules, its blends' dev F1 and the blend chosen; with
    the dev figures of its datasets under the blend chosen and under the hand-set weights."""
    judge = importlib.import_module("geo.recognize.judge")
    rows = []
    for name in datasets:
        rows += judgements_of(select(read_dataset(name, eval_dir).documents, split="dev"), gazetteer=gazetteer)
    spoken = Counter(rule for _, j, _ in rows for rule in {name for name, _ in j.evidence})
    rules = sorted(rule for rule, count in spoken.items() if count >= MIN_RULE_ROWS)
    x, y, w = design(rows, rules, judge.ACCEPT_THRESHOLD)
    theta = fit(x, y, w)
    fitted = {rule: float(theta[k + 1] / theta[0]) for k, rule in enumerate(rules)}
    print(f"{lang}: {len(rows)} judgements ({int(y.sum())} places) on the dev halves of {', '.join(datasets)}; "
          f"a = {theta[0]:.3f}", file=sys.stderr)
    for rule in rules:
        print(f"  {rule:28s} {spoken[rule]:6d} judgements  scale {fitted[rule]:6.2f}", file=sys.stderr)
    trials = {}
    for beta in BLENDS:
        scales = {rule: round(1.0 + beta * (s - 1.0), 3) for rule, s in fitted.items()} if beta else {}
        trials[beta] = (scales, figures({lang: scales} if scales else {}, "dev", eval_dir, gazetteer, datasets))
        print(f"  blend {beta:.2f}: dev mean F1 {trials[beta][1]['mean_f1']:.4f}, "
              + ", ".join(f"{name} {trials[beta][1][name]['f1']:.4f}" for name in datasets), file=sys.stderr)
    hand = trials[0.0][1]
    best = max((beta for beta in BLENDS if acceptable(trials[beta][1], hand, datasets)),
               key=lambda beta: (trials[beta][1]["mean_f1"], -beta))
    chosen = {"blend": best, "scales": trials[best][0], "fitted_scales": {r: round(v, 3) for r, v in fitted.items()},
              "judgements": len(rows), "places": int(y.sum()), "a": round(float(theta[0]), 4),
              "blends_dev_f1": {f"{beta:.2f}": {**{name: trials[beta][1][name]["f1"] for name in datasets},
                                                "mean_f1": trials[beta][1]["mean_f1"]} for beta in BLENDS}}
    return chosen, trials[best][1], hand


def _joined(parts: list[dict]) -> dict:
    """The figures of each language's datasets as one table, with the mean F1 over all of them:
    a language's scales touch its own texts only, so its figures stand as they were measured."""
    out = {name: figure for part in parts for name, figure in part.items() if name != "mean_f1"}
    out["mean_f1"] = round(sum(out[name]["f1"] for name in FIT_DATASETS) / len(FIT_DATASETS), 4)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    from geo.gazetteer import Gazetteer

    judge = importlib.import_module("geo.recognize.judge")
    started = time.perf_counter()
    gazetteer = Gazetteer.default()
    judge.SCALES = {}  # the judgements are read with the hand-set weights
    fitted = {lang: fit_language(lang, datasets, args.eval_dir, gazetteer) for lang, datasets in LANGUAGES.items()}
    languages = {lang: chosen for lang, (chosen, _, _) in fitted.items()}
    scales = {lang: chosen["scales"] for lang, chosen in languages.items() if chosen["scales"]}
    dev = _joined([dev for _, dev, _ in fitted.values()])
    hand_dev = _joined([hand for _, _, hand in fitted.values()])
    hand_test = figures({}, "test", args.eval_dir, gazetteer)
    test = figures(scales, "test", args.eval_dir, gazetteer) if scales else hand_test
    report = {
        "about": "Scales of the recognition rules' evidence per language (geo.recognize.judge.SCALES), fitted by "
                 "tools/fit_recognizer.py on the dev halves; 1 = the hand-set weight.",
        "scales": scales, "languages": languages,
        "dev": dev, "dev_hand_set": hand_dev, "test": test, "test_hand_set": hand_test,
    }
    args.out.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    chosen = ", ".join(f"{lang} {c['blend']}" for lang, c in languages.items())
    print(f"blends chosen {chosen}: "
          f"dev mean F1 {dev['mean_f1']:.4f} (hand-set {hand_dev['mean_f1']:.4f}), "
          f"test {test['mean_f1']:.4f} (hand-set {hand_test['mean_f1']:.4f}); wrote {args.out} "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
