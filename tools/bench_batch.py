"""`make bench`, corpus through the command line: `geo extract --format records` end to end beside
geotext (PyPI geotext 0.4.0, a regex-and-dictionary geoparser: the floor), output bytes per
article, `--jobs 2` against one core, and the memory of one and of two workers.

    python -m tools.bench_batch [--eval-dir DIR]      # this section alone

The articles are written to a temporary folder (never into the repository) and each run is a
fresh process, timed from its start to its exit, output written to a file. Memory is sampled
from /proc every few milliseconds: the peak resident set of the single process, and the peak
proportional set size (PSS: shared pages counted once across the processes) of the whole process
tree, whose difference between `--jobs 2` and `--jobs 1` is what a second worker adds.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geo.config import PROJECT_ROOT

__all__ = ["GOALS", "GEOTEXT_SCRIPT", "write_corpus", "timed_run", "command_line_corpus", "rows_of", "main"]

GOALS = {
    "cli_over_geotext": 1.0,
    "output_kb_per_article": 20.0,
    "library_words_per_s": 100_000,
    "jobs2_speedup": 1.7,
    "one_process_rss_mb": 250.0,
    "second_worker_mb": 100.0,
}
# geotext's whole job, end to end like the CLI: read each file, find cities and countries, write JSON lines.
GEOTEXT_SCRIPT = """
import json, sys
from geotext import GeoText
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for path in sys.argv[2:]:
        found = GeoText(open(path, encoding="utf-8").read())
        out.write(json.dumps({"path": path, "cities": found.cities, "countries": found.countries}) + "\\n")
"""
_SAMPLE_S = 0.05


def write_corpus(documents, folder: Path) -> list[Path]:
    """One .txt file per document, in order (names keep the order when sorted)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, doc in enumerate(documents):
        path = folder / f"{number:05d}.txt"
        path.write_text(doc.text, encoding="utf-8")
        paths.append(path)
    return paths


def _tree(pid: int) -> list[int]:
    """A process and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, ()))
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(Rss, Pss) of one process in kB, 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            values = {line.split(":")[0]: int(line.split()[1]) for line in handle if line.split(":")[0] in ("Rss", "Pss")}
        return values.get("Rss", 0), values.get("Pss", 0)
    except (OSError, ValueError):
        return 0, 0


def timed_run(command: list[str], *, cores: set[int] | None = None, sample: bool = False) -> dict:
    """Wall seconds of a fresh process, and with `sample` its peak RSS and the tree's peak PSS."""
    def pin():
        if cores is not None:
            os.sched_setaffinity(0, cores)

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               preexec_fn=pin)
    peak_rss = peak_pss = 0
    while sample and process.poll() is None:
        pids = _tree(process.pid)
        sizes = [_memory_kb(pid) for pid in pids]
        peak_rss = max([peak_rss] + [rss for rss, _ in sizes])
        peak_pss = max(peak_pss, sum(pss for _, pss in sizes))
        time.sleep(_SAMPLE_S)
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} … failed ({process.returncode}): {stderr.decode()[-500:]}")
    return {"seconds": round(seconds, 3), "cpu_s": round(cpu, 3), "peak_rss_mb": round(peak_rss / 1024, 1),
            "peak_tree_pss_mb": round(peak_pss / 1024, 1), "stderr": stderr.decode().strip().splitlines()[-1:]}


def command_line_corpus(documents, *, library_words_per_s: int | None = None) -> dict:
    """Figures of the English development set through the command line (see the module doc)."""
    cores = os.sched_getaffinity(0)
    all_cores = set(range(os.cpu_count() or 1))
    one_core = {min(cores)}
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as folder:
        root = Path(folder)
        paths = [str(p) for p in write_corpus(documents, root / "in")]
        python = sys.executable
        geotext = timed_run([python, "-c", GEOTEXT_SCRIPT, str(root / "geotext.jsonl"), *paths], cores=one_core)
        cli = [python, "-m", "geo", "extract", str(root / "in"), "--format", "records", "--quiet"]
        one = timed_run(cli + ["--jobs", "1", "--out", str(root / "one")], cores=one_core)
        size = (root / "one" / "geoparse.jsonl").stat().st_size
        two = timed_run(cli + ["--jobs", "2", "--out", str(root / "two")], cores=all_cores)
        # Memory in runs of their own: sampling /proc takes CPU from the timed runs.
        one.update({k: v for k, v in timed_run(cli + ["--jobs", "1", "--out", str(root / "m1")], cores=one_core,
                                               sample=True).items() if k.startswith("peak")})
        two.update({k: v for k, v in timed_run(cli + ["--jobs", "2", "--out", str(root / "m2")], cores=all_cores,
                                               sample=True).items() if k.startswith("peak")})
        same = (root / "one" / "geoparse.jsonl").read_bytes() == (root / "two" / "geoparse.jsonl").read_bytes()
        simplified = timed_run(cli + ["--jobs", "1", "--geometry", "simplified", "--out", str(root / "simple")],
                               cores=one_core)
        simplified_size = (root / "simple" / "geoparse.jsonl").stat().st_size
    articles = len(documents)
    return {
        "articles": articles,
        "geotext_s": geotext["seconds"],
        "geotext_cpu_s": geotext["cpu_s"],
        "cli_over_geotext_cpu": round(one["cpu_s"] / geotext["cpu_s"], 2),
        "cli_jobs1": one,
        "cli_jobs2": two,
        "cli_over_geotext": round(one["seconds"] / geotext["seconds"], 2),
        "output_bytes": size,
        "output_kb_per_article": round(size / articles / 1000, 1),
        "simplified_s": simplified["seconds"],
        "simplified_kb_per_article": round(simplified_size / articles / 1000, 1),
        "jobs2_speedup": round(one["seconds"] / two["seconds"], 2),
        "jobs2_identical": same,
        "second_worker_mb": round(two["peak_tree_pss_mb"] - one["peak_tree_pss_mb"], 1),
        "cores_available": len(all_cores),
        "library_words_per_s": library_words_per_s,
    }


def rows_of(figures: dict, row) -> list:
    """Table rows (tools.bench.Row) of the figures."""
    g = GOALS
    one, two = figures["cli_jobs1"], figures["cli_jobs2"]
    out = [
        row("batch", f"geo extract --format records, {figures['articles']} English dev articles, one core (CPU)",
            f"{one['seconds']:.2f} s ({one['cpu_s']:.2f} s)", "", None),
        row("batch", "geotext 0.4.0, same files, same run (CPU)",
            f"{figures['geotext_s']:.2f} s ({figures['geotext_cpu_s']:.2f} s)", "", None),
        row("batch", "command line / geotext, wall (CPU)",
            f"{figures['cli_over_geotext']}× ({figures['cli_over_geotext_cpu']}×)", f"<= {g['cli_over_geotext']}×",
            figures["cli_over_geotext"] <= g["cli_over_geotext"]),
        row("batch", "output per article (--geometry full, by reference)", f"{figures['output_kb_per_article']} KB",
            f"<= {g['output_kb_per_article']:.0f} KB", figures["output_kb_per_article"] <= g["output_kb_per_article"]),
        row("batch", "output per article, --geometry simplified", f"{figures['simplified_kb_per_article']} KB"),
        row("batch", f"--jobs 2, wall (CPU); same bytes as --jobs 1: {figures['jobs2_identical']}",
            f"{two['seconds']:.2f} s ({two['cpu_s']:.2f} s)"),
        row("batch", f"--jobs 2 speed-up over one core ({figures['cores_available']} cores)",
            f"{figures['jobs2_speedup']}×", f">= {g['jobs2_speedup']}×", figures["jobs2_speedup"] >= g["jobs2_speedup"]),
        row("batch", "peak RSS, one process", f"{one['peak_rss_mb']:.0f} MB", f"<= {g['one_process_rss_mb']:.0f} MB",
            one["peak_rss_mb"] <= g["one_process_rss_mb"]),
        row("batch", "peak memory (PSS) of the run, --jobs 1 / --jobs 2",
            f"{one['peak_tree_pss_mb']:.0f} / {two['peak_tree_pss_mb']:.0f} MB"),
        row("batch", "a second worker adds (PSS, parent process included)", f"{figures['second_worker_mb']:.0f} MB",
            f"<= {g['second_worker_mb']:.0f} MB", figures["second_worker_mb"] <= g["second_worker_mb"]),
    ]
    rate = figures.get("library_words_per_s")
    if rate:
        out.append(row("batch", "library words/s, one core (the corpus row above)", f"{rate:,}",
                       f">= {g['library_words_per_s']:,}", rate >= g["library_words_per_s"]))
    return out


def english_documents(eval_dir: Path) -> list:
    """TR-News and LGL, the English development set."""
    from tools.evaluate import DATASETS, read_dataset

    return [doc for name in DATASETS for doc in read_dataset(name, eval_dir).documents if doc.lang == "en"]


def main(argv: list[str] | None = None) -> int:
    from tools.bench import Row, format_rows
    from tools.evaluate import DEFAULT_EVAL_DIR

    parser = argparse.ArgumentParser(prog="python -m tools.bench_batch", description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    args = parser.parse_args(argv)
    figures = command_line_corpus(english_documents(args.eval_dir))
    print(format_rows(rows_of(figures, Row)))
    print(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
