"""Command line: ``python -m verify COMMAND ...`` (also the ``verify-monomial`` script).

Each subcommand lives in :mod:`verify.commands` as a module with ``HELP``,
``add_arguments(parser)``, ``run(args) -> dict`` and ``render(result) -> str``.
Bad input exits with status 2 and one line on stderr (proofs/README.md, "Conventions").
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from .core.errors import InputError

__all__ = ["main", "COMMANDS"]

#: Subcommands, in the order ``--help`` lists them.
COMMANDS = ["rank", "point", "strata", "converse", "sweep", "threshold"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise InputError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m verify",
                     description="Exact verification of criticality = subnetworks "
                                 "for deep monomial networks.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        mod = importlib.import_module(f".commands.{name}", __package__)
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(module=mod)
    return parser


def main(argv=None) -> int:
    try:
        args = build_parser().parse_args(argv)
        result = args.module.run(args)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if args.json:
        print(json.dumps(result, sort_keys=True, default=str))
    else:
        print(args.module.render(result))
    return int(result.get("exit_status", 0)) if isinstance(result, dict) else 0
