"""Team library benchmark on a real PostgreSQL on 127.0.0.1 (started in a temporary folder).

Run ``python -m bench.team_bench [--reps N] [--events N] [--assets N]``. It measures:

- 5,000 reps x 200 events pushed, one transaction per rep's push, a tenth of the pushes
  sent twice (a push killed after the server's commit): time and server rows (exactly once);
- the marketer pooling them into a local library, and the team report over them (cold,
  then warm);
- a rep's first pull of a 10,000-asset library's metadata (files not fetched);
- with ``--report-events N`` instead: ``stats --team`` over N events generated straight into
  PostgreSQL (no pushes): the first report (all N taken into the marketer's library), then
  the everyday one (1,000 new events appended to the cached report columns), beside the
  same report on the local columns alone as the anchor.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "team"))

from servers import USERS, asset_data, start_postgres, stop_postgres  # noqa: E402

from library import Library  # noqa: E402
from library.team import Team  # noqa: E402
from library.team.local import AssetRow  # noqa: E402
from library.team.server import Change, Server, migrate  # noqa: E402
from library.usage import UsageEvent  # noqa: E402

KINDS = ("search", "preview", "open", "packet_add", "packet_export", "packet_send")


def _asset(i: int, rng: random.Random) -> Change:
    stage = rng.choice(["Awareness", "Consideration", "Decision"])
    words = " ".join(
        rng.choice(("colocation", "cloud", "power", "cooling", "latency", "audit"))
        for _ in range(400)
    )
    return Change(AssetRow(i, 0, asset_data(i, f"Asset {i}", stage, 400), [[1, words]]), None)


def _events(rep: str, n: int, assets: int, rng: random.Random) -> list[dict]:
    out = []
    for _ in range(n):
        kind = rng.choice(KINDS)
        day = rng.randrange(1, 28)
        e = UsageEvent(
            kind,
            time=f"2026-02-{day:02d}T10:00:00+00:00",
            rep=rep,
            query="colocation pricing" if kind == "search" else "",
            result_count=12 if kind == "search" else None,
            asset_ids=[] if kind == "search" else [rng.randrange(1, assets + 1)],
            packet_id=1 if kind.startswith("packet") else None,
        )
        out.append(e.to_dict())
    return out


class Figures(dict):
    """Prints each figure as it is measured: a long run cut short still tells something."""

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        print(json.dumps({key: value}), flush=True)


GENERATE_EVENTS = """
INSERT INTO pitchpack.events (id, rep, time, kind, data)
SELECT id, rep, t, kind, jsonb_build_object(
    'id', id, 'time', t, 'kind', kind, 'rep', rep,
    'query', CASE WHEN kind = 'search' THEN 'colocation pricing' ELSE '' END,
    'filters', '{}'::jsonb,
    'result_count', CASE WHEN kind = 'search' THEN 12 END,
    'opened', false,
    'asset_ids', CASE WHEN kind = 'search' THEN '[]'::jsonb
                      ELSE jsonb_build_array(1 + (g::bigint * 7919) %% %(assets)s) END,
    'packet_id', CASE WHEN kind LIKE 'packet%%' THEN 1 END,
    'search_id', NULL)
FROM (
    SELECT g, gen_random_uuid()::text AS id, 'rep' || lpad((g %% 5000)::text, 4, '0') AS rep,
           '2026-02-' || lpad((1 + g %% 27)::text, 2, '0') || 'T10:00:00+00:00' AS t,
           (ARRAY['search', 'preview', 'open', 'packet_add', 'packet_export',
                  'packet_send'])[1 + g %% 6] AS kind
    FROM generate_series(1, %(n)s) AS g
) AS s
"""


def report_bench(pg, work: Path, n: int, assets: int, figures: Figures) -> None:
    """``stats --team`` (take the new pooled events, then report) over ``n`` pooled events."""
    with psycopg.connect(pg.url(), autocommit=True) as conn:
        start = time.perf_counter()
        conn.execute(GENERATE_EVENTS, {"n": n, "assets": assets})
        figures["generate_s"] = round(time.perf_counter() - start, 2)
    db = pg.url("marketer1", password=False)
    os.environ["PITCHPACK_TEAM_PASSWORD"] = USERS["marketer1"][1]
    with Library(work / "marketer") as lib:
        Team.connect(lib, "http://key@127.0.0.1:1/none", "marketer", db)
        team = Team(lib)
        start = time.perf_counter()
        team.pool_events()
        lib.usage.report()
        figures["team_report_first_s"] = round(time.perf_counter() - start, 2)
        figures["pooled_events"] = lib.usage.count()
    rng = random.Random(11)
    with Library(work / "marketer") as lib:  # the app opened again: columns from their cache
        lib.usage.wait_for_columns()
        team = Team(lib)
        for label in ("team_report_s", "team_report_again_s"):
            with Server(pg.url("rep1", password=False), USERS["rep1"][1]) as server:
                server.push_events(_events("rep0001", 1000, assets, rng))
            start = time.perf_counter()
            added = team.pool_events()
            lib.usage.report()
            figures[label] = round(time.perf_counter() - start, 3)
            figures[label.replace("_s", "_added")] = added
        start = time.perf_counter()  # nothing new since: one query, then the report
        added = team.pool_events()
        lib.usage.report()
        figures["team_report_up_to_date_s"] = round(time.perf_counter() - start, 3)
        figures["team_report_up_to_date_added"] = added
        start = time.perf_counter()
        lib.usage.report()
        figures["local_report_anchor_s"] = round(time.perf_counter() - start, 3)
        figures["events_in_report"] = lib.usage.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5000)
    parser.add_argument("--events", type=int, default=200, help="events per rep")
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument(
        "--report-events",
        type=int,
        metavar="N",
        help="only the team report over N events generated in PostgreSQL",
    )
    args = parser.parse_args()
    rng = random.Random(7)
    figures = Figures(load=os.getloadavg()[0])
    pg = start_postgres()
    work = Path(tempfile.mkdtemp(prefix="pitchpack-team-bench-"))
    try:
        migrate(pg.url())
        with psycopg.connect(pg.url(), autocommit=True) as conn:
            for user, (group, password) in USERS.items():
                conn.execute(f"CREATE ROLE {user} LOGIN PASSWORD '{password}' IN ROLE {group}")
        if args.report_events:
            report_bench(pg, work, args.report_events, args.assets, figures)
            return
        db = pg.url("marketer1", password=False)
        os.environ["PITCHPACK_TEAM_PASSWORD"] = USERS["marketer1"][1]

        # -- the library: 10,000 assets published in one version ----------------------------
        with Server(db, USERS["marketer1"][1]) as server:
            changes = [_asset(i, rng) for i in range(1, args.assets + 1)]
            start = time.perf_counter()
            server.publish(changes, [])
            figures["publish_s"] = round(time.perf_counter() - start, 2)

        os.environ["PITCHPACK_TEAM_PASSWORD"] = USERS["rep1"][1]
        with Library(work / "rep") as rep:
            Team.connect(rep, "http://key@127.0.0.1:1/none", "rep", pg.url("rep1", password=False))
            start = time.perf_counter()
            result = Team(rep).pull(files=False)
            figures["pull_metadata_s"] = round(time.perf_counter() - start, 2)
            figures["pulled_assets"] = result.changed

        # -- 5,000 reps push 200 events each ----------------------------------------------
        pushes = [
            (f"rep{r:04d}", _events(f"rep{r:04d}", args.events, args.assets, rng))
            for r in range(args.reps)
        ]
        with Server(pg.url("rep1", password=False), USERS["rep1"][1]) as server:
            start = time.perf_counter()
            for n, (_rep, events) in enumerate(pushes):
                server.push_events(events)
                if n % 10 == 0:  # killed after the commit, before marking sent: sent again
                    server.push_events(events)
            figures["push_s"] = round(time.perf_counter() - start, 2)
        with psycopg.connect(pg.url()) as conn:
            rows, distinct = conn.execute(
                "SELECT count(*), count(DISTINCT id) FROM pitchpack.events"
            ).fetchone()
        figures["events_sent"] = sum(len(e) for _r, e in pushes) + sum(
            len(e) for n, (_r, e) in enumerate(pushes) if n % 10 == 0
        )
        figures["server_rows"] = rows
        figures["server_distinct"] = distinct

        # -- the marketer pools them and reports --------------------------------------------
        os.environ["PITCHPACK_TEAM_PASSWORD"] = USERS["marketer1"][1]
        with Library(work / "marketer") as lib:
            Team.connect(lib, "http://key@127.0.0.1:1/none", "marketer", db)
            team = Team(lib)
            team.pull(files=False)
            start = time.perf_counter()
            added = team.pool_events()
            figures["pool_s"] = round(time.perf_counter() - start, 2)
            figures["pooled_events"] = added
            figures["pooled_again"] = team.pool_events()
            for label in ("report_cold_s", "report_warm_s"):
                start = time.perf_counter()
                lib.usage.report()
                figures[label] = round(time.perf_counter() - start, 3)
    finally:
        stop_postgres(pg)
        shutil.rmtree(work, ignore_errors=True)
    figures["load_end"] = os.getloadavg()[0]


if __name__ == "__main__":
    main()
