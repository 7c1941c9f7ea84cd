"""The search command: the library's full text, filters and facets from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cli.common import add_command
from library import Library
from search import SORTS, SearchQuery
from search.vectors import MODES

EMBED_BEFORE_SEARCH = 200  # pending assets embedded before a search; more are left to `embed`

FILTER_OPTIONS = ("stage", "persona", "type", "industry", "product", "tag", "status")


def cmd_search(lib: Library, args: argparse.Namespace) -> int:
    lib.ensure_index()
    if args.mode != "text":
        embed_if_few(lib)
    filters = {f: getattr(args, f) for f in FILTER_OPTIONS if getattr(args, f)}
    query = SearchQuery(
        text=args.query,
        filters=filters,
        sort=args.sort,
        limit=args.limit,
        include_hidden=args.all,
        as_you_type=False,
        mode=args.mode,
    )
    result = lib.search(query)
    lib.usage.record_search(args.query, filters, result.total)
    if args.json:
        print(json.dumps({"query": args.query, **result_json(result)}, indent=2))
        return 0
    if result.suggestion:
        print(f"Did you mean: {result.suggestion}")
    print_hits(result)
    return 0


def embed_if_few(lib: Library) -> None:
    """Embed what is pending when that takes a moment; a large backlog is left to `embed`."""
    if 0 < len(lib.embeddings.pending()) <= EMBED_BEFORE_SEARCH:
        lib.embeddings.run()


def result_json(result) -> dict:
    """A search result as ``--json`` prints it; ``semantic`` says how many assets have vectors."""
    return {
        "mode": result.query.mode,
        "total": result.total,
        "suggestion": result.suggestion,
        "semantic": semantic_json(result),
        "hits": [
            {
                "id": h.id,
                "title": h.title,
                "path": str(Path(h.path).absolute()),
                "type": h.type,
                "stages": h.stages,
                "personas": h.personas,
                "page": h.page,
                "section": h.section,
                "snippet": h.snippet,
                "score": h.score,
                "match": h.match,
            }
            for h in result.hits
        ],
        "facets": result.facets,
    }


def semantic_json(result) -> dict | None:
    if result.embeddable is None:
        return None
    return {
        "embedded": result.embedded,
        "assets": result.embeddable,
        "complete": result.embedded >= result.embeddable,
    }


def print_hits(result) -> None:
    for h in result.hits:
        where = f" (p. {h.page})" if h.page else f" (section {h.section})" if h.section else ""
        related = "  ~ related" if h.match == "related" else ""
        print(f"{h.id:>5}  {h.title}{where}  [{h.type}]{related}")
        print(f"       {_plain_snippet(h.snippet)}")
    print(f"{result.total} results")
    if result.embeddable is not None and result.embedded < result.embeddable:
        print(
            f"Related results from {result.embedded} of {result.embeddable} assets; "
            "the rest are not embedded yet (run 'pitchpack embed')."
        )


def _plain_snippet(snippet: str) -> str:
    import html

    bold, reset = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("", "")
    return html.unescape(snippet.replace("<b>", bold).replace("</b>", reset))


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "search", cmd_search, "Search the library.")
    p.add_argument("query")
    for option in FILTER_OPTIONS:
        p.add_argument(f"--{option}", action="append", metavar=option.upper())
    p.add_argument("--sort", choices=SORTS, default="relevance")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--all", action="store_true", help="include archived and expired assets")
    p.add_argument(
        "--mode",
        choices=MODES,
        default="hybrid",
        help="text: only assets holding the words; semantic: by meaning only; "
        "hybrid (default): both, related assets marked",
    )
    p.add_argument("--json", action="store_true")
