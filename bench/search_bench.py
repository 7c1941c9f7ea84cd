"""Search benchmark: indexing throughput, then warm query latency per kind of query.

Run ``python -m bench.search_bench [--sizes 10000 40000] [--repeat N] [--rebuild]
[--long-texts N]``. Each size is built and queried in its own process, so memory figures
do not mix. With long texts, the smallest size is built again with N texts of two million
characters added, and its figures are printed beside the plain library's.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import resource
import shutil
import string
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from bench.corpus import DEFAULT_SEED, GENERATOR_VERSION, CorpusGenerator, Lexicon, lexicon
from bench.words import STAGES
from library.extract.sections import SECTION_CHARS, cut_sections
from search import IndexRecord, SearchIndex, SearchQuery
from search.index import SCHEMA_VERSION

DATA = Path(__file__).resolve().parent / ".data"
RESULTS = DATA / "results-search.json"
BATCH = 500
GOAL_MS = {10_000: 20, 40_000: 50}  # p95 goal per library size
SNAPSHOT_EDITS = 5  # tag edits timed, each followed by a query
TODAY = "2026-03-01"  # fixed, so expired and visible documents are the same on every run
LONG_TEXT_CHARS = 2_000_000  # the library's text limit per file
LONG_TEXT_TAG = "long text"

QueryMaker = Callable[[Lexicon, random.Random], SearchQuery]


def _text(text: str, **options) -> SearchQuery:
    options.setdefault("as_you_type", False)
    return SearchQuery(text=text, today=TODAY, **options)


def _misspell(word: str, rng: random.Random, vocabulary: frozenset[str]) -> str | None:
    for _ in range(20):
        i = rng.randrange(1, len(word) - 1)
        edit = rng.randrange(3)
        if edit == 0:
            wrong = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif edit == 1:
            wrong = word[:i] + word[i + 1 :]
        else:
            wrong = word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
        if wrong not in vocabulary:
            return wrong
    return None


def _misspelling(lex: Lexicon, rng: random.Random) -> SearchQuery:
    wrong = None
    while wrong is None:
        wrong = _misspell(rng.choice(lex.long_words), rng, lex.vocabulary)
    return _text(wrong)


# key -> (label, query maker). Complete words are searched as after a space or Enter.
KINDS: dict[str, tuple[str, QueryMaker]] = {
    "common": ("one common word", lambda lex, r: _text(r.choice(lex.common))),
    "rare": ("one rare word", lambda lex, r: _text(r.choice(lex.names).lower())),
    "prefix1": (
        "prefix, 1 letter",
        lambda lex, r: _text(r.choice(lex.content[:3_000])[0], as_you_type=True),
    ),
    "prefix2": (
        "prefix, 2 letters",
        lambda lex, r: _text(r.choice(lex.content[:3_000])[:2], as_you_type=True),
    ),
    "prefix4": (
        "prefix, 4 letters",
        lambda lex, r: _text(r.choice(lex.long_words)[:4], as_you_type=True),
    ),
    "two-words": ("two words", lambda lex, r: _text(f"{r.choice(lex.common)} {r.choice(lex.mid)}")),
    "phrase": ("quoted phrase", lambda lex, r: _text(f'"{r.choice(lex.phrases)}"')),
    "facet-filter": (
        "common word + stage filter",
        lambda lex, r: _text(r.choice(lex.common), filters={"stage": [r.choice(STAGES)]}),
    ),
    "facet-counts": ("facet counts (limit 0)", lambda lex, r: _text(r.choice(lex.common), limit=0)),
    "snippets": ("top 20 with snippets", lambda lex, r: _text(r.choice(lex.mid), limit=20)),
    "newest": (
        "common word, sort newest",
        lambda lex, r: _text(r.choice(lex.common), sort="newest"),
    ),
    "misspelling": ("misspelling (did you mean)", _misspelling),
    "browse": (
        "no text (browse all)",
        lambda lex, r: _text("", filters={"stage": [r.choice(STAGES)]}),
    ),
    # Every hit a long text, so each search builds their snippets and best sections (none
    # in a library without long texts).
    "long-texts": (
        "common word, long texts only",
        lambda lex, r: _text(r.choice(lex.common), filters={"tag": [LONG_TEXT_TAG]}),
    ),
}


def _distinct_queries(
    make: QueryMaker, lex: Lexicon, rng: random.Random, count: int
) -> list[SearchQuery]:
    """``count`` queries, none repeating an earlier one while the kind has fresh ones."""
    queries: list[SearchQuery] = []
    seen: set[str] = set()
    for _ in range(count):
        for _ in range(100):
            query = make(lex, rng)
            key = repr((query.text, query.filters))
            if key not in seen:
                break
        seen.add(key)
        queries.append(query)
    return queries


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _index_dir(size: int, long_texts: int = 0) -> Path:
    return DATA / (f"search-{size}-long{long_texts}" if long_texts else f"search-{size}")


def _build_key(size: int, long_texts: int = 0) -> dict:
    key = {
        "size": size,
        "generator": GENERATOR_VERSION,
        "seed": DEFAULT_SEED,
        "schema": SCHEMA_VERSION,
    }
    if long_texts:
        key.update(long_texts=long_texts, section_chars=SECTION_CHARS)
    return key


def long_text_records(generator: CorpusGenerator, first_id: int, count: int) -> list[IndexRecord]:
    """Plain-text files at the text limit, cut into sections as extraction cuts them; the
    newest documents, so the "newest" kind shows them first too."""
    records = []
    for n in range(count):
        doc = generator.document(first_id + n, pages=1, chars_per_page=LONG_TEXT_CHARS)
        record = doc.record()
        record.pages = cut_sections(record.pages[0][:LONG_TEXT_CHARS])
        record.paged, record.status, record.expires = False, "approved", None
        record.updated, record.path = TODAY, f"/library/long-text-{n + 1}.txt"
        record.tag = [*record.tag, LONG_TEXT_TAG]
        records.append(record)
    return records


def build_index(size: int, rebuild: bool = False, long_texts: int = 0) -> dict:
    """Build (or reuse) the index of ``size`` documents, plus ``long_texts`` texts of two
    million characters; returns the build figures."""
    folder = _index_dir(size, long_texts)
    stats_file = folder / "build.json"
    if not rebuild and stats_file.exists():
        saved = json.loads(stats_file.read_text())
        if saved.get("key") == _build_key(size, long_texts):
            return {**saved, "cached": True}
    shutil.rmtree(folder, ignore_errors=True)
    baseline = _peak_rss_mb()
    generator = CorpusGenerator(DEFAULT_SEED)
    index = SearchIndex(folder / "search.sqlite")
    generate_s = upsert_s = 0.0
    for start in range(1, size + 1, BATCH):
        t0 = time.perf_counter()
        records = list(generator.records(min(BATCH, size + 1 - start), start))
        t1 = time.perf_counter()
        index.upsert(records, generation=1)
        generate_s += t1 - t0
        upsert_s += time.perf_counter() - t1
    if long_texts:
        t0 = time.perf_counter()
        records = long_text_records(generator, size + 1, long_texts)
        t1 = time.perf_counter()
        index.upsert(records, generation=1)
        generate_s += t1 - t0
        upsert_s += time.perf_counter() - t1
    t0 = time.perf_counter()
    index.optimize()
    optimize_s = time.perf_counter() - t0
    index.close()
    stats = {
        "key": _build_key(size, long_texts),
        "docs": size,
        "generate_s": round(generate_s, 2),
        "upsert_s": round(upsert_s, 2),
        "optimize_s": round(optimize_s, 2),
        "docs_per_s": round(size / (upsert_s + optimize_s), 1),
        "build_rss_delta_mb": round(_peak_rss_mb() - baseline, 1),
    }
    stats_file.write_text(json.dumps(stats, indent=2))
    return {**stats, "cached": False}


def _index_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def _plan(
    size: int, repeat: int, kinds: list[str]
) -> tuple[list[SearchQuery], list[list[SearchQuery]]]:
    """The warm-up queries (one per kind) and ``repeat`` rows of one fresh query per kind."""
    lex = lexicon(DEFAULT_SEED)
    rng = random.Random(size * 7919 + repeat)
    drawn = {k: _distinct_queries(KINDS[k][1], lex, rng, repeat + 1) for k in kinds}
    warm_up = [drawn[k][0] for k in kinds]
    return warm_up, [[drawn[k][i] for k in kinds] for i in range(1, repeat + 1)]


def _rows(
    size: int,
    kinds: list[str],
    times: dict,
    hits: dict,
    suggested: dict | None = None,
    cpu: dict | None = None,
) -> list[dict]:
    rows = []
    for key in kinds:
        ms = np.array(times[key])
        rows.append(
            {
                "kind": key,
                "label": KINDS[key][0],
                "size": size,
                "p50_ms": round(float(np.percentile(ms, 50)), 2),
                "p95_ms": round(float(np.percentile(ms, 95)), 2),
                "max_ms": round(float(ms.max()), 2),
                **(
                    {
                        "cpu_p50_ms": round(float(np.percentile(cpu[key], 50)), 2),
                        "cpu_p95_ms": round(float(np.percentile(cpu[key], 95)), 2),
                    }
                    if cpu
                    else {}
                ),
                "mean_hits": round(float(np.mean(hits[key])), 1),
                "with_suggestion": (suggested or {}).get(key, 0),
            }
        )
    return rows


def run_queries(size: int, repeat: int, kinds: list[str], profile: bool) -> dict:
    """Time every kind of query ``repeat`` times, interleaved, each with a fresh text."""
    warm_up, plan = _plan(size, repeat, kinds)
    path = _index_dir(size) / "search.sqlite"
    baseline = _peak_rss_mb()
    index = SearchIndex(path)
    t0 = time.perf_counter()
    index.search(SearchQuery(text="", today=TODAY))
    first_ms = (time.perf_counter() - t0) * 1000
    for query in warm_up:
        index.search(query)
    times: dict[str, list[float]] = {k: [] for k in kinds}
    cpu: dict[str, list[float]] = {k: [] for k in kinds}
    hits: dict[str, list[int]] = {k: [] for k in kinds}
    suggested: dict[str, int] = dict.fromkeys(kinds, 0)
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    for row in plan:
        for key, query in zip(kinds, row, strict=True):
            t, c = time.perf_counter(), time.thread_time()
            result = index.search(query)
            times[key].append((time.perf_counter() - t) * 1000)
            cpu[key].append((time.thread_time() - c) * 1000)
            hits[key].append(result.total)
            suggested[key] += result.suggestion is not None
    if profiler:
        profiler.disable()
    result = {
        "size": size,
        "repeat": repeat,
        "rows": _rows(size, kinds, times, hits, suggested, cpu),
        "first_query_ms": round(first_ms, 1),
        "query_rss_delta_mb": round(_peak_rss_mb() - baseline, 1),
        "index_mb": round(_index_bytes(path) / 2**20, 1),
    }
    index.close()
    edits_rng = random.Random(size * 7919 + repeat + 1)
    result["snapshot_update"] = _snapshot_update(path, size, lexicon(DEFAULT_SEED), edits_rng)
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        result["profile"] = out.getvalue()
    return result


def compare_long_texts(size: int, repeat: int, kinds: list[str], long_texts: int) -> dict:
    """Time the plain library and the one with long texts on the same queries, each query
    on both in turn (in alternating order), so the load of a shared machine falls on both
    alike; returns both sets of rows."""
    warm_up, plan = _plan(size, repeat, kinds)
    indexes = {
        name: SearchIndex(_index_dir(size, n) / "search.sqlite")
        for name, n in (("plain", 0), ("long", long_texts))
    }
    times = {name: {k: [] for k in kinds} for name in indexes}
    hits = {name: {k: [] for k in kinds} for name in indexes}
    for index in indexes.values():
        for query in warm_up:
            index.search(query)
    for n, row in enumerate(plan):
        for key, query in zip(kinds, row, strict=True):
            for name in sorted(indexes, reverse=bool(n % 2)):
                t = time.perf_counter()
                result = indexes[name].search(query)
                times[name][key].append((time.perf_counter() - t) * 1000)
                hits[name][key].append(result.total)
    for index in indexes.values():
        index.close()
    return {name: _rows(size, kinds, times[name], hits[name]) for name in indexes}


def _snapshot_update(path: Path, size: int, lex: Lexicon, rng: random.Random) -> dict:
    """Editing one document's tags, then the next keystroke, which brings the in-memory
    snapshot up to date; on a copy of the index, so that the cached one stays as built."""
    with tempfile.TemporaryDirectory(prefix="search-bench-", dir=DATA) as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        index = SearchIndex(copy)
        index.search(_text(""))
        try:
            return _edits(index, size, lex, rng)
        finally:
            index.close()


def _edits(index: SearchIndex, size: int, lex: Lexicon, rng: random.Random) -> dict:
    (original,) = CorpusGenerator(DEFAULT_SEED).records(1, size // 2)
    edited = replace(original, tag=[*original.tag, "benchmark edit"])
    times: dict[str, list[float]] = {"write": [], "browse": [], "word": [], "update": []}
    for i in range(2 * SNAPSHOT_EDITS):
        t = time.perf_counter()
        index.upsert([edited if i % 2 == 0 else original])
        times["write"].append((time.perf_counter() - t) * 1000)
        kind = "browse" if i < SNAPSHOT_EDITS else "word"
        query = (
            _text("", filters={"stage": [rng.choice(STAGES)]})
            if kind == "browse"
            else _text(rng.choice(lex.common))
        )
        t = time.perf_counter()
        index.search(query)
        times[kind].append((time.perf_counter() - t) * 1000)
        if kind == "browse":  # the same query again costs all but the update
            t = time.perf_counter()
            index.search(query)
            times["update"].append(times[kind][-1] - (time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    SearchIndex(index.path).search(_text("", filters={"stage": [STAGES[0]]}))
    full_ms = (time.perf_counter() - t) * 1000
    return {
        **{f"{k}_p50_ms": round(float(np.percentile(v, 50)), 1) for k, v in times.items()},
        "full_ms": round(full_ms, 1),
    }


def _in_child(function: Callable, *args):
    # A fresh process per phase keeps each peak-RSS figure its own.
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def _print_build(size: int, build: dict, queries: dict) -> None:
    source = "cached, built earlier" if build["cached"] else "built now"
    print(f"\n== {size:,} documents ({source}) ==")
    print(
        f"indexing: {build['docs_per_s']:,.0f} docs/s (upsert {build['upsert_s']:.1f} s "
        f"+ optimize {build['optimize_s']:.1f} s; generating text {build['generate_s']:.1f} s)"
    )
    print(
        f"index file: {queries['index_mb']:.1f} MB; peak RSS delta: build "
        f"{build['build_rss_delta_mb']:.0f} MB, open + queries {queries['query_rss_delta_mb']:.0f} MB; "
        f"first query (loads the snapshot): {queries['first_query_ms']:.0f} ms"
    )
    update = queries["snapshot_update"]
    print(
        f"one document's tags edited: write {update['write_p50_ms']:.1f} ms; snapshot update "
        f"{update['update_p50_ms']:.1f} ms (whole new snapshot {update['full_ms']:.0f} ms); "
        f"next query {update['browse_p50_ms']:.1f} ms with no text, {update['word_p50_ms']:.1f} "
        "ms for a common word (its scores are computed again)"
    )


def _print_table(rows: list[dict]) -> None:
    header = (
        f"{'query kind':<30} {'size':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'CPU p50':>8} {'CPU p95':>8} {'mean hits':>10}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for r in rows:
        goal = GOAL_MS[r["size"]] if r["size"] in GOAL_MS else None
        flag = f"  > {goal} ms" if goal is not None and r["p95_ms"] > goal else ""
        print(
            f"{r['label']:<30} {r['size']:>7,} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} "
            f"{r['max_ms']:>8.1f} {r['cpu_p50_ms']:>8.1f} {r['cpu_p95_ms']:>8.1f} "
            f"{r['mean_hits']:>10,.1f}{flag}"
        )
    print(
        "ms per search call; CPU: the calling thread's CPU time (SQLite runs in it), which "
        "other processes' load inflates far less than the wall time.\n"
        "> N ms: p95 above the goal for that size (20 ms at 10,000 documents, 50 at 40,000)"
    )


def _print_long_texts(plain: list[dict], long: list[dict], size: int, long_texts: int) -> None:
    """The library with long texts beside the plain one, on the same queries."""
    by_kind = {r["kind"]: r for r in plain}
    header = (
        f"{'query kind':<30} {'plain p50':>10} {'p95':>7} {'+long p50':>10} {'p95':>7} "
        f"{'mean hits':>10}"
    )
    print(
        f"\n{size:,} documents, plain and with {long_texts} texts of {LONG_TEXT_CHARS:,} "
        f"characters, timed in turn on the same queries (ms)\n{header}\n" + "-" * len(header)
    )
    for r in long:
        base = by_kind[r["kind"]]
        # Paired runs on a shared machine differ by up to about a fifth from noise alone.
        flag = "  > plain p95 + 25 %" if r["p95_ms"] > 1.25 * base["p95_ms"] else ""
        print(
            f"{r['label']:<30} {base['p50_ms']:>10.1f} {base['p95_ms']:>7.1f} "
            f"{r['p50_ms']:>10.1f} {r['p95_ms']:>7.1f} {r['mean_hits']:>10,.1f}{flag}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search_bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 40_000])
    parser.add_argument("--repeat", type=int, default=40, help="timed queries per kind and size")
    parser.add_argument("--rebuild", action="store_true", help="rebuild cached indexes")
    parser.add_argument("--kinds", nargs="+", choices=list(KINDS), default=list(KINDS))
    parser.add_argument(
        "--long-texts",
        type=int,
        default=3,
        metavar="N",
        help="also time the smallest size with N texts of 2,000,000 characters (0: skip)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print the functions that took most time during the queries",
    )
    args = parser.parse_args(argv)
    DATA.mkdir(parents=True, exist_ok=True)
    report = {"repeat": args.repeat, "today": TODAY, "sizes": {}}
    rows: list[dict] = []
    for size in args.sizes:
        build = _in_child(build_index, size, args.rebuild)
        queries = _in_child(run_queries, size, args.repeat, args.kinds, args.profile)
        _print_build(size, build, queries)
        if args.profile:
            print(queries.pop("profile"))
        report["sizes"][str(size)] = {"build": build, **queries}
        rows += queries["rows"]
    rows.sort(key=lambda r: (args.kinds.index(r["kind"]), r["size"]))
    _print_table(rows)
    if args.long_texts:
        size = min(args.sizes)
        build = _in_child(build_index, size, args.rebuild, args.long_texts)
        compared = _in_child(compare_long_texts, size, args.repeat, args.kinds, args.long_texts)
        report["long_texts"] = {"count": args.long_texts, "build": build, **compared}
        source = "cached, built earlier" if build["cached"] else "built now"
        print(
            f"\n== {size:,} documents + {args.long_texts} long texts ({source}) ==\n"
            f"indexing: {build['docs_per_s']:,.0f} docs/s (upsert {build['upsert_s']:.1f} s "
            f"+ optimize {build['optimize_s']:.1f} s)"
        )
        _print_long_texts(compared["plain"], compared["long"], size, args.long_texts)
    RESULTS.write_text(json.dumps(report, indent=2))
    print(f"\nresults written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
