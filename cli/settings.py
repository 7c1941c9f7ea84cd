"""The settings commands: list, read and change the library's settings (``settings.json``)."""

from __future__ import annotations

import argparse
import json

from library import Library
from library.settings import SETTINGS, setting


def cmd_settings_list(lib: Library, args: argparse.Namespace) -> int:
    values = lib.settings.values()
    if args.json:
        shown = {key: SETTINGS[key].kind.dump(value) for key, value in values.items()}
        print(json.dumps(shown, indent=2, ensure_ascii=False))
        return 0
    width = max(map(len, SETTINGS))
    for key, spec in SETTINGS.items():
        value = spec.kind.show(values[key])
        origin = "" if lib.settings.is_set(key) else "  (default)"
        print(f"{key:<{width}}  {value or '-'}{origin}")
        print(f"{'':<{width}}  {spec.help}; {spec.kind.format}")
    return 0


def cmd_settings_get(lib: Library, args: argparse.Namespace) -> int:
    spec = setting(args.key)
    print(spec.kind.show(lib.settings.get(spec.key)))
    return 0


def cmd_settings_set(lib: Library, args: argparse.Namespace) -> int:
    spec = setting(args.key)
    value = lib.change_settings({spec.key: args.value})[spec.key]
    print(f"{spec.key} = {spec.kind.show(value)}")
    return 0


def cmd_settings_unset(lib: Library, args: argparse.Namespace) -> int:
    spec = setting(args.key)
    value = lib.change_settings({spec.key: None})[spec.key]
    print(f"{spec.key} = {spec.kind.show(value)} (default)")
    return 0


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    help_text = "Show or change the library's settings (your name, signature, mail server…)."
    group = sub.add_parser("settings", parents=[common], help=help_text, description=help_text)
    actions = group.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    keys = ", ".join(SETTINGS)

    help_text = "Every setting with its value and what it takes."
    p = actions.add_parser("list", parents=[common], help=help_text, description=help_text)
    p.set_defaults(func=cmd_settings_list, check_index=False)
    p.add_argument("--json", action="store_true")

    help_text = "Print one setting's value."
    p = actions.add_parser("get", parents=[common], help=help_text, description=help_text)
    p.set_defaults(func=cmd_settings_get, check_index=False)
    p.add_argument("key", metavar="KEY", help=f"one of {keys}")

    help_text = 'Change one setting, e.g. settings set rep.name "Ana Lima".'
    p = actions.add_parser("set", parents=[common], help=help_text, description=help_text)
    p.set_defaults(func=cmd_settings_set, check_index=False)
    p.add_argument("key", metavar="KEY", help=f"one of {keys}")
    p.add_argument("value", metavar="VALUE")

    help_text = "Forget one setting so its default applies."
    p = actions.add_parser("unset", parents=[common], help=help_text, description=help_text)
    p.set_defaults(func=cmd_settings_unset, check_index=False)
    p.add_argument("key", metavar="KEY", help=f"one of {keys}")
