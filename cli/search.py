"""The search command: the library's full text, filters and facets from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cli.common import add_command
from library import Library
from search import SORTS, SearchQuery

FILTER_OPTIONS = ("stage", "persona", "type", "industry", "product", "tag", "status")


def cmd_search(lib: Library, args: argparse.Namespace) -> int:
    lib.ensure_index()
    filters = {f: getattr(args, f) for f in FILTER_OPTIONS if getattr(args, f)}
    query = SearchQuery(
        text=args.query,
        filters=filters,
        sort=args.sort,
        limit=args.limit,
        include_hidden=args.all,
        as_you_type=False,
    )
    result = lib.search(query)
    lib.usage.record_search(args.query, filters, result.total)
    if args.json:
        print(
            json.dumps(
                {
                    "query": args.query,
                    "total": result.total,
                    "suggestion": result.suggestion,
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
                        }
                        for h in result.hits
                    ],
                    "facets": result.facets,
                },
                indent=2,
            )
        )
        return 0
    if result.suggestion:
        print(f"Did you mean: {result.suggestion}")
    for h in result.hits:
        where = f" (p. {h.page})" if h.page else f" (section {h.section})" if h.section else ""
        print(f"{h.id:>5}  {h.title}{where}  [{h.type}]")
        print(f"       {_plain_snippet(h.snippet)}")
    print(f"{result.total} results")
    return 0


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
    p.add_argument("--json", action="store_true")
