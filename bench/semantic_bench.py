"""Semantic search: answer quality on plain-words questions, embedding cost, vector latency.

Run from the repository root: ``python -m bench.semantic_bench``. It loads the sample
library into ``bench/.data/semantic-sample`` (kept between runs), embeds it, and asks
every question of ``bench/questions.py`` in the "text", "semantic" and "hybrid" modes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

import numpy as np

from bench.questions import QUESTIONS
from library import Library
from library.embedder import Embedder
from library.embeddings import Embeddable, vectorize
from library.sample import load_sample_library
from search import SearchQuery
from search import vectors as fusion
from search.vectors import VectorTable, fuse

DATA = Path(__file__).resolve().parent / ".data" / "semantic-sample"
TODAY = "2026-06-01"  # fixed, so expiry dates in the sample never change the answers
MODES = ("text", "semantic", "hybrid")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_sample() -> Library:
    fresh = not (DATA / "catalog.sqlite").exists()
    lib = Library(DATA)
    if fresh:
        load_sample_library(lib)
    lib.ensure_index()
    return lib


def quality(lib: Library, modes=MODES) -> dict[str, tuple[float, float, int]]:
    """(top-3 success, MRR over the first 20, questions with no result) per mode."""
    slug_of = {a.id: Path(a.path).stem for a in lib.assets.all()}
    found = {}
    for mode in modes:
        top3, rr, empty = [], [], 0
        for question, answers in QUESTIONS:
            query = SearchQuery(text=question, mode=mode, as_you_type=False, limit=20, today=TODAY)
            hits = lib.search(query).hits
            empty += not hits
            ranks = [n for n, h in enumerate(hits, 1) if slug_of.get(h.id) in answers]
            top3.append(bool(ranks) and ranks[0] <= 3)
            rr.append(1.0 / ranks[0] if ranks else 0.0)
        found[mode] = (sum(top3) / len(top3), statistics.mean(rr), empty)
    return found


def print_quality(found: dict, label: str = "") -> None:
    print(f"\n{label}{len(QUESTIONS)} questions over the sample library")
    print(f"{'mode':<10} {'top-3':>7} {'MRR':>6} {'no result':>10}")
    for mode, (top3, mrr, empty) in found.items():
        print(f"{mode:<10} {top3:>7.0%} {mrr:>6.3f} {empty:>10}")


def sweep(lib: Library) -> None:
    """Fusion settings tried on the same questions, to pick them by the numbers."""
    names = ("EXACT_FIRST", "SOME_WEIGHT", "VECTOR_WEIGHT", "RELATED_FLOOR", "RRF_K")
    saved = {name: getattr(fusion, name) for name in names}
    print("\nfusion settings (hybrid):")
    print(" ".join(f"{n.lower():>13}" for n in names), f"{'top-3':>7} {'MRR':>6}")
    for exact_first in (True, False):
        for some in (0.0, 0.5, 1.0):
            for vector in (1.0, 2.0):
                for floor in (0.0, 0.55):
                    for k in (10, 60):
                        values = (exact_first, some, vector, floor, k)
                        for name, value in zip(names, values, strict=True):
                            setattr(fusion, name, value)
                        top3, mrr, _ = quality(lib, ("hybrid",))["hybrid"]
                        print(" ".join(f"{v!s:>13}" for v in values), f"{top3:>7.0%} {mrr:>6.3f}")
    for name, value in saved.items():
        setattr(fusion, name, value)


def throughput(count: int) -> None:
    """Documents of about 3 KB (the search benchmark's corpus) embedded per second."""
    from bench.corpus import CorpusGenerator

    docs = [CorpusGenerator().document(n) for n in range(1, count + 1)]
    items = [Embeddable(d.title, d.summary, d.pages, d.paged, "en") for d in docs]
    chars = sum(len(" ".join(d.pages)) for d in docs) / len(docs)
    embedder = Embedder()
    before = _peak_mib()
    start = time.perf_counter()
    embedder.dim  # noqa: B018 - load the model
    loaded = time.perf_counter() - start
    model_mib = _peak_mib() - before
    start = time.perf_counter()
    out = vectorize(embedder, items)
    took = time.perf_counter() - start
    chunks = sum(len(numbers) for _, numbers, _ in out)
    print(f"\nembedding: model loaded in {loaded:.2f} s, peak RSS +{model_mib:.0f} MiB")
    print(
        f"embedding: {count} documents of {chars / 1000:.1f} KB ({chunks} chunks) in "
        f"{took:.2f} s = {count / took:.0f} documents/s"
    )


def vector_latency(size: int, repeat: int = 50) -> None:
    """The vector part of one hybrid query at ``size`` documents, beside a bare anchor."""
    rng = np.random.default_rng(7)
    matrix = rng.standard_normal((size, 256)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    table = VectorTable(np.arange(1, size + 1, dtype=np.int64), matrix, 1)
    query = matrix[17] + 0.1 * rng.standard_normal(256).astype(np.float32)
    query /= np.linalg.norm(query)
    matched = rng.random(size) < 0.01
    scores = rng.random(size)
    fuzzy = np.zeros(size, bool)
    allowed = np.ones(size, bool)
    times, anchor, product = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        sims = table.similarities(query)
        fuse("hybrid", matched, scores, fuzzy, sims, allowed)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        np.argsort(scores)  # anchor: one plain numpy sort of the same length
        anchor.append(time.perf_counter() - start)
        start = time.perf_counter()
        np.einsum("ij,j->i", matrix, query)  # floor: the bare product, reading every vector
        product.append(time.perf_counter() - start)
    p50 = statistics.median(times) * 1000
    p95 = sorted(times)[int(0.95 * (repeat - 1))] * 1000
    print(
        f"\nvector part at {size:,} documents: p50 {p50:.2f} ms, p95 {p95:.2f} ms "
        f"(anchor argsort p50 {statistics.median(anchor) * 1000:.2f} ms, "
        f"bare product p50 {statistics.median(product) * 1000:.2f} ms); "
        f"vectors in memory {matrix.nbytes / 2**20:.0f} MiB"
    )


def keystroke(lib: Library, repeat: int = 30) -> None:
    """Search as you type on the sample library, text only against hybrid."""
    words = "hospital worried about outages".split()
    for mode in ("text", "hybrid"):
        times = []
        for _ in range(repeat):
            for n in range(1, len(words) + 1):
                text = " ".join(words[:n])[:-1]
                start = time.perf_counter()
                lib.search(SearchQuery(text=text, mode=mode, today=TODAY))
                times.append(time.perf_counter() - start)
        print(
            f"keystroke search ({mode}, sample library): p50 "
            f"{statistics.median(times) * 1000:.2f} ms, "
            f"p95 {sorted(times)[int(0.95 * (len(times) - 1))] * 1000:.2f} ms"
        )


def index_keystrokes(size: int, repeat: int = 5) -> None:
    """Search as you type on the search benchmark's index of ``size`` documents, text-only
    against hybrid, interleaved so both see the same load. Document vectors are random:
    the cost of the vector part does not depend on what they hold."""
    from bench.search_bench import _index_dir, build_index
    from search import SearchIndex

    build_index(size)
    index = SearchIndex(_index_dir(size) / "search.sqlite")
    ids = np.array(sorted(index.ids()), np.int64)
    rng = np.random.default_rng(3)
    matrix = rng.standard_normal((len(ids), 256)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    before = _peak_mib()
    index.set_vectors(VectorTable(ids, matrix, 1))
    question = matrix[5] + rng.standard_normal(256).astype(np.float32)
    question /= np.linalg.norm(question)
    typed = "customer wants cheaper storage for backups"
    prefixes = [typed[:n] for n in range(3, len(typed) + 1, 3)]
    # Each prefix is a new question with its own vector (the index keeps the similarities
    # of the last vector it was given, as for a facet click or the next page).
    vectors = {text: question.copy() for text in prefixes}
    times: dict[str, list[float]] = {"text": [], "hybrid": []}
    listed: dict[str, list[int]] = {mode: [] for mode in times}
    for mode in times:  # warm: snapshot, vocabulary, alignment of the vectors
        index.search(SearchQuery(text="cheap", mode=mode, vector=question))
    for _ in range(repeat):
        for text in prefixes:
            for mode, found in times.items():
                query = SearchQuery(text=text, mode=mode, vector=vectors[text].copy())
                start = time.perf_counter()
                hits = index.search(query).hits
                found.append(time.perf_counter() - start)
                listed[mode].append(len(hits))
    for mode, found in times.items():
        found.sort()
        print(
            f"keystrokes at {size:,} documents ({mode}): p50 {statistics.median(found) * 1000:.1f} ms, "
            f"p95 {found[int(0.95 * (len(found) - 1))] * 1000:.1f} ms, "
            f"{statistics.mean(listed[mode]):.1f} hits listed on average"
        )
    print(
        f"vectors at {size:,} documents: {matrix.nbytes / 2**20:.0f} MiB (peak RSS +{_peak_mib() - before:.0f} MiB)"
    )
    index.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="also try other fusion settings")
    parser.add_argument("--docs", type=int, default=1000, help="documents for the throughput")
    parser.add_argument("--size", type=int, default=40_000, help="documents for the latency")
    parser.add_argument(
        "--index-sizes",
        type=int,
        nargs="*",
        default=[10_000],
        help="search benchmark indexes to type on, text against hybrid (built once, cached)",
    )
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with open_sample() as lib:
        start = time.perf_counter()
        embedded = lib.embeddings.run()
        if embedded:
            print(
                f"sample library: {embedded} assets embedded in {time.perf_counter() - start:.2f} s"
            )
        print_quality(quality(lib))
        if args.sweep:
            sweep(lib)
        print()
        keystroke(lib)
    vector_latency(args.size)
    for size in args.index_sizes:
        index_keystrokes(size)
    throughput(args.docs)


if __name__ == "__main__":
    main()
