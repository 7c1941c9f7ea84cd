"""Usage reports benchmark: generate 1,000,000 events, then time every report.

Run ``python -m bench.usage_bench [--events N] [--assets N] [--repeat N] [--rebuild]``.
The library (catalog only, no documents) is kept in ``bench/.data/usage-<events>/`` and
reused by later runs.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from library import Library
from library.db import now
from library.usage import Period, Weights
from library.usage.columns import ColumnCache
from library.usage.reports import Reports
from library.usage.sample import REPS, SampleAsset, generate_history

DATA = Path(__file__).resolve().parent / ".data"
RESULTS = DATA / "results-usage.json"
END = date(2026, 3, 1)  # fixed, so every run measures the same history
STAGES = ("Awareness", "Consideration", "Decision", "Onboarding", "Expansion")
PERSONAS = (
    "Executive/CEO",
    "CFO/Finance",
    "CIO/IT leader",
    "Operations",
    "Procurement",
    "End user",
)
TYPES = ("white paper", "case study", "blog post", "data sheet", "slide deck", "one-pager")


def _fill_assets(lib: Library, count: int, rng: random.Random) -> list[SampleAsset]:
    """Catalog rows only (no files, no index): reports read just the catalog."""
    conn = lib.db.conn
    term = {}
    for facet, names in (("stage", STAGES), ("persona", PERSONAS)):
        for name in names:
            term[facet, name] = lib.taxonomy.resolve(facet, name, create=True).id
    stamp = now()
    assets = []
    with conn:
        for n in range(1, count + 1):
            expires = None
            if rng.random() < 0.15:
                expires = (END + timedelta(days=rng.randint(-200, 400))).isoformat()
            status = rng.choices(("approved", "draft", "archived"), (85, 9, 6))[0]
            conn.execute(
                "INSERT INTO assets (id, path, title, content_type, status, created, updated, "
                "expires) VALUES (?,?,?,?,?,?,?,?)",
                (
                    n,
                    f"/bench/{n}.pdf",
                    f"Asset {n}",
                    rng.choice(TYPES),
                    status,
                    stamp,
                    stamp,
                    expires,
                ),
            )
            stages = tuple(rng.sample(STAGES, rng.randint(1, 2)))
            personas = tuple(rng.sample(PERSONAS, rng.randint(1, 2)))
            conn.executemany(
                "INSERT INTO asset_terms (asset_id, term_id, suggested) VALUES (?, ?, 0)",
                [(n, term["stage", s]) for s in stages]
                + [(n, term["persona", p]) for p in personas],
            )
            assets.append(SampleAsset(n, stages, personas))
    return assets


def build(folder: Path, events: int, assets: int) -> float:
    shutil.rmtree(folder, ignore_errors=True)
    rng = random.Random(1)
    started = time.perf_counter()
    with Library(folder, rep="bench") as lib:
        sample = _fill_assets(lib, assets, rng)
        reps = [f"{name} {i}" for i in range(10) for name in REPS]  # 60 reps
        days = 365
        # Sessions per rep per weekday that give ``events`` over the year: measured on four
        # weeks, then aimed 0.5 % high, so the cut at ``events`` trims only the last hours.
        pilot = sum(1 for _ in generate_history(sample, end=END, days=28, reps=reps, seed=12))
        weekdays = sum(1 for d in range(days) if (END - timedelta(days=d)).weekday() < 5)
        per_session = pilot / (3.0 * len(reps) * 20)
        per_day = 1.005 * events / (per_session * len(reps) * weekdays)
        history = generate_history(
            sample, end=END, days=days, reps=reps, sessions_per_day=per_day, seed=11
        )
        added = lib.add_usage_events(e for _n, e in zip(range(events), history, strict=False))
        lib.usage.refresh_usage_counts()
        lib.db.execute("ANALYZE")
    seconds = time.perf_counter() - started
    print(f"generated and stored {added:,} events in {seconds:.1f} s")
    return seconds


def _timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def run(folder: Path, repeat: int) -> dict:
    weights = Weights()
    results: dict[str, dict] = {}
    with Library(folder, rep="bench") as lib:
        conn = lib.db.conn
        total = lib.usage.count()
        print(f"{total:,} events, {lib.assets.count():,} assets; {repeat} runs each\n")
        cache = ColumnCache(folder)
        cache.path.unlink(missing_ok=True)
        for label in ("from the catalog", "from the cache file"):
            if label == "from the cache file":
                cache = ColumnCache(folder)  # a new process: nothing in memory
            started = time.perf_counter()
            cols = cache.columns(conn)
            ms = (time.perf_counter() - started) * 1000
            print(f"columns {label:<21} {ms:>8.0f} ms  ({len(cols):,} events)")
            results[f"columns {label}"] = {"ms": round(ms)}
        times, _ = _timed(lambda: cache.columns(conn), repeat)
        print(f"columns in step, nothing new   {statistics.median(times):>8.1f} ms\n")
        periods = {
            "all time": Period(),
            "last 90 days": Period(END - timedelta(days=89), END),
            "last 4 weeks": Period(END - timedelta(days=27), END),
        }
        stages, personas = list(STAGES), list(PERSONAS)
        print(f"{'report':<16} {'period':<14} {'p50 ms':>8} {'max ms':>8}  rows")
        for label, period in periods.items():

            def fresh(p: Period = period) -> Reports:
                return Reports(cache.columns(conn), conn, p, weights)

            cases = {
                "top_assets": lambda f=fresh: f().top_assets(),
                "trend": lambda f=fresh: f().trend(),
                "by_stage": lambda f=fresh: f().by_term("stage"),
                "by_persona": lambda f=fresh: f().by_term("persona"),
                "by_type": lambda f=fresh: f().by_term("type"),
                "by_rep": lambda f=fresh: f().by_rep(),
                "unused": lambda f=fresh, p=period: f().unused(p.until or END),
                "content_gaps": lambda f=fresh: f().content_gaps(),
                "stale": lambda f=fresh, p=period: f().stale(p.until or END),
                "heat_map": lambda f=fresh: f().heat_map(stages, personas),
                "all (report)": lambda p=period: lib.usage.report(p, as_of=END),
            }
            for name, fn in cases.items():
                times, result = _timed(fn, repeat)
                rows = len(result) if isinstance(result, list) else "-"
                p50, worst = statistics.median(times), max(times)
                flag = "" if worst < 1000 else "  OVER 1 s"
                print(f"{name:<16} {label:<14} {p50:>8.1f} {worst:>8.1f}  {rows}{flag}")
                results[f"{name} / {label}"] = {"p50_ms": round(p50, 1), "max_ms": round(worst, 1)}
            print()
    return {"events": total, "reports": results}


def run_incremental(folder: Path, repeat: int) -> dict:
    """Reports when the columns are kept up to date: read in the background when a library
    opens without its cache file, and extended as events are committed. Runs on a copy."""
    scratch = DATA / "usage-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(folder, scratch)
    results: dict[str, float] = {}
    try:
        for when in ("at once", "once read"):
            ColumnCache(scratch).path.unlink(missing_ok=True)
            started = time.perf_counter()
            with Library(scratch, rep="bench") as lib:
                if when == "once read":
                    lib.usage.wait_for_columns()
                    results["background read s"] = round(time.perf_counter() - started, 1)
                times, _ = _timed(lambda lib=lib: lib.usage.report(as_of=END), 1)
                results[f"first report, asked {when}"] = round(times[0], 1)
        with Library(scratch, rep="bench") as lib:
            lib.usage.wait_for_columns()
            sample = [SampleAsset(n, ("Awareness",), ("CFO/Finance",)) for n in range(1, 500)]
            commit, report = [], []
            for round_ in range(repeat):
                events = list(generate_history(sample, end=END, days=1, seed=100 + round_))
                started = time.perf_counter()
                lib.add_usage_events(events)
                commit.append((time.perf_counter() - started) * 1000)
                times, _ = _timed(lambda lib=lib: lib.usage.report(as_of=END), 1)
                report.append(times[0])
            results["commit of one day ms"] = round(statistics.median(commit), 1)
            results["report after a commit ms"] = round(statistics.median(report), 1)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("columns kept up to date (on a copy of the library):")
    print(
        f"  opened without its cache file: read in the background in "
        f"{results['background read s']:.1f} s; the first report (all nine) takes "
        f"{results['first report, asked once read']:.0f} ms once it is read, "
        f"{results['first report, asked at once']:.0f} ms if asked at once"
    )
    print(
        f"  a day's events committed in {results['commit of one day ms']:.0f} ms "
        f"(columns extended), then the report in {results['report after a commit ms']:.0f} ms"
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    folder = DATA / f"usage-{args.events}-{args.assets}"
    if args.rebuild or not (folder / "catalog.sqlite").exists():
        build(folder, args.events, args.assets)
    results = run(folder, args.repeat)
    results["kept up to date"] = run_incremental(folder, args.repeat)
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
