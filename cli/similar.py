"""Commands for meaning: "more like this" for an asset, and embedding the library."""

from __future__ import annotations

import argparse
import json

from cli.common import ProgressBar, add_command, positive
from cli.search import embed_if_few, print_hits, result_json
from library import Library


def cmd_similar(lib: Library, args) -> int:
    lib.ensure_index()
    embed_if_few(lib)
    result = lib.similar(args.asset_id, limit=args.limit)
    if args.json:
        print(json.dumps({"asset_id": args.asset_id, **result_json(result)}, indent=2))
        return 0
    if not result.hits and lib.embeddings.vectors(args.asset_id) is None:
        print("This asset has no text in English to compare, so nothing is like it.")
        return 0
    print_hits(result)
    return 0


def cmd_embed(lib: Library, args) -> int:
    bar = ProgressBar()
    try:
        done = lib.embeddings.run(progress=bar)
    finally:
        bar.close()
    embedded, total = lib.embeddings.coverage()
    if lib.embeddings.unavailable:
        print(f"Semantic search is off: {lib.embeddings.unavailable}")
        return 1
    print(f"{done} assets embedded; {embedded} of {total} ready for semantic search")
    return 0


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "similar", cmd_similar, "Assets most like one asset in meaning.")
    p.add_argument("asset_id", type=positive, metavar="ASSET_ID")
    p.add_argument("--limit", type=positive, default=10)
    p.add_argument("--json", action="store_true")
    add_command(
        sub, common, "embed", cmd_embed, "Embed the assets not yet ready for semantic search."
    )
