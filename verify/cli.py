"""Command line: ``python -m verify COMMAND ...``, also installed as the ``verify-monomial`` script.

Each subcommand lives in :mod:`verify.commands` as a module with ``HELP``,
``add_arguments(parser)``, ``run(args) -> dict`` and ``render(result) -> str``.
Bad input exits with status 2 and one line on stderr (proofs/README.md, "Conventions").
Every ``--json`` output is one object carrying ``"schema": SCHEMA_VERSION`` (bumped when a
key changes meaning). ``--version`` prints the package version and the git commit. A closed
pipe (``... --json | head``) ends the program quietly. Without a command it prints the usage
(the ``--help`` text) on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys

from .core.errors import InputError

__all__ = ["main", "COMMANDS", "SCHEMA_VERSION", "version_text", "git_commit"]

#: Subcommands, in the order ``--help`` lists them.
COMMANDS = ["rank", "point", "strata", "converse", "sweep", "threshold", "check-witness", "atlas",
            "directness"]

#: Version of the layout of every ``--json`` output (the ``schema`` key).
SCHEMA_VERSION = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise InputError(message)


def _prog() -> str:
    """``verify-monomial`` when run as the installed script, else ``python -m verify``."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "verify-monomial" if name.startswith("verify-monomial") else "python -m verify"


def git_commit() -> str:
    """``git rev-parse HEAD`` of the source checkout holding this package, else 'unknown'."""
    from .run.report import git_commit as commit
    return commit()


def version_text() -> str:
    version = getattr(sys.modules.get(__package__), "__version__", "unknown")   # verify/__init__.py
    return f"monomial-criticality-verify {version} (commit {git_commit()})"


class _VersionAction(argparse.Action):
    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit(0)


def _module_name(command: str) -> str:
    return command.replace("-", "_")


def build_parser() -> argparse.ArgumentParser:
    prog = _prog()
    parser = _Parser(prog=prog,
                     description="Exact verification of criticality = subnetworks "
                                 "for deep monomial networks.",
                     epilog=f"'{prog} COMMAND --help' lists a command's options; the same "
                            "commands run as 'python -m verify' and as 'verify-monomial'.")
    parser.add_argument("--version", action=_VersionAction,
                        help="print the package version and the git commit, then exit")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        mod = importlib.import_module(f".commands.{_module_name(name)}", __package__)
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.add_argument("--json", action="store_true",
                       help=f"print one JSON object (with \"schema\": {SCHEMA_VERSION})")
        p.set_defaults(module=mod)
    return parser


def _with_schema(result):
    if isinstance(result, dict):
        return {"schema": SCHEMA_VERSION, **result}
    return {"schema": SCHEMA_VERSION, "result": result}


def _emit(text: str):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _quiet_broken_pipe() -> int:
    """stdout was closed by the reader (``| head``): no traceback, exit like SIGPIPE."""
    try:                                   # further writes (and the flush at exit) go nowhere
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return 141


def main(argv=None) -> int:
    if not (sys.argv[1:] if argv is None else list(argv)):     # bare `python -m verify`
        sys.stderr.write(build_parser().format_help())
        return 2
    try:
        args = build_parser().parse_args(argv)
        result = args.module.run(args)
        if args.json:
            _emit(json.dumps(_with_schema(result), sort_keys=True, default=str))
        else:
            _emit(args.module.render(result))
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _quiet_broken_pipe()
    return int(result.get("exit_status", 0)) if isinstance(result, dict) else 0
