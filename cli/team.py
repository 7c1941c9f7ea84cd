"""Team commands: connect a library to its team, publish, pull, push usage, status."""

from __future__ import annotations

import argparse
import json

from cli.common import ProgressBar
from library import Library

STATUS_HELP = (
    'keys: "role", "library_version", "last_publish", "last_pull", "outbox", "files_missing"'
)


def cmd_connect(lib: Library, args) -> int:
    from library.team import Team

    team = Team.connect(lib, args.store, args.role, args.db_url or "")
    where = "shared folder" if not args.db_url else "team database"
    print(f"Connected to the {where} as a {args.role}.")
    if team.secrets_in_keyring:
        print(f"{team.secrets_in_keyring} password(s) kept in the system keyring, not in files.")
    return 0


def cmd_migrate(folder, args) -> int:
    from library.team.server import migrate
    from library.team.settings import split_secret

    url, password = split_secret(args.admin_url)
    applied = migrate(url, password)
    print(
        f"Applied {len(applied)} migrations: {', '.join(applied)}"
        if applied
        else "Schema up to date."
    )
    return 0


def cmd_publish(lib: Library, args) -> int:
    from library.team import Team

    bar = ProgressBar()
    try:
        print(Team(lib).publish(progress=bar).summary())
    finally:
        bar.close()
    return 0


def cmd_pull(lib: Library, args) -> int:
    from library.team import Team

    team = Team(lib)
    if args.all_files:
        team.set_scope()
    elif args.stage or args.product:
        team.set_scope(stage=args.stage, product=args.product)
    bar = ProgressBar()
    try:
        result = team.pull(files=not args.no_files, progress=bar)
    finally:
        bar.close()
    print(result.summary())
    return 2 if result.refused else 0


def cmd_push(lib: Library, args) -> int:
    from library.team import Team

    print(f"Sent {Team(lib).push()} usage events.")
    return 0


def cmd_news(lib: Library, args) -> int:
    from library.team import Team

    news = Team(lib).news()
    if args.json:
        print(json.dumps(news.to_json(), indent=2))
        return 0
    print(news.summary() + (f" ({news.pulled_at})" if news.pulled_at else ""))
    for kind, ids in (("new", news.new), ("updated", news.updated)):
        for asset in lib.assets.get_many(ids):
            print(f"  {kind:<8} {asset.id:>6}  {asset.title}")
    return 0


def cmd_status(lib: Library, args) -> int:
    from library.team import Team

    status = Team(lib).status()
    if args.json:
        print(json.dumps(status, indent=2))
    else:
        for key, value in status.items():
            print(f"{key.replace('_', ' ')}: {value if value is not None else 'never'}")
    return 0


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    help_text = "Team library: marketers publish, reps pull and work offline, usage pools once."
    team = sub.add_parser("team", parents=[common], help=help_text, description=help_text)
    actions = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)

    def action(name: str, func, help_text: str, *, check_index: bool = False):
        p = actions.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func, check_index=check_index)
        return p

    p = action(
        "connect",
        cmd_connect,
        "Connect this library to a team: a PostgreSQL database and an S3 store, or a shared "
        "folder (--store FOLDER without DB_URL). Passwords go to the system keyring.",
    )
    p.add_argument(
        "db_url", nargs="?", metavar="DB_URL", help="postgresql://USER:PASSWORD@HOST:PORT/DB"
    )
    p.add_argument(
        "--store",
        required=True,
        metavar="URL|FOLDER",
        help="http(s)://KEY:SECRET@HOST:PORT/BUCKET, or a shared folder",
    )
    p.add_argument("--role", required=True, choices=("marketer", "rep"))

    p = action(
        "migrate",
        cmd_migrate,
        "Create or update the team database's schema and the pitchpack_marketer and "
        "pitchpack_rep roles (run once, as the database owner).",
    )
    p.set_defaults(without_library=True)
    p.add_argument("admin_url", metavar="ADMIN_DB_URL")

    action("publish", cmd_publish, "Publish what changed here since the last publish (marketers).")
    p = action(
        "pull",
        cmd_pull,
        "Bring this library up to the team's latest version and download missing files "
        "(marketers also take reps' new usage events). Exit code 2 if a file was refused.",
    )
    p.add_argument("--no-files", action="store_true", help="metadata only; files later")
    p.add_argument(
        "--stage",
        action="append",
        metavar="STAGE",
        help="fetch only the files of assets in this stage (repeat; kept for later pulls)",
    )
    p.add_argument("--product", action="append", metavar="PRODUCT", help="likewise, by product")
    p.add_argument("--all-files", action="store_true", help="fetch every file again (no scope)")
    action("push", cmd_push, "Send this library's usage events waiting in the outbox.")
    p = action(
        "news",
        cmd_news,
        "The assets the latest pull brought: new ones and updated ones (a pull that brings "
        "nothing keeps the list).",
    )
    p.add_argument("--json", action="store_true", help='keys: "pulled_at", "new", "updated"')
    p = action(
        "status", cmd_status, "Role, library version, last publish and pull, outbox, files missing."
    )
    p.add_argument("--json", action="store_true", help=STATUS_HELP)
