"""Arguments shared by the subcommands and plain-text rendering of their results."""

from __future__ import annotations

from ..core.architecture import Architecture, check_degree, parse_degrees
from ..core.errors import InputError

__all__ = ["add_case_arguments", "case_from", "render_mapping", "parse_degrees"]


def add_case_arguments(p, degree=True, prime=True, seed=True):
    p.add_argument("arch", help="widths d_0,...,d_L, e.g. 2,3,2,1")
    if degree:
        p.add_argument("--degree", "-r", required=True, help="activation degree r >= 1")
    if prime:
        p.add_argument("--prime", "-p", default=None, help="word-size prime for modular ranks")
    if seed:
        p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")


def case_from(args):
    """(Architecture, degree) from parsed arguments, validated."""
    arch = Architecture.parse(args.arch)
    try:
        r = int(args.degree)
    except ValueError:
        raise InputError(f"activation degree must be an integer >= 1, got {args.degree!r}")
    return arch, check_degree(r)


def render_mapping(result: dict) -> str:
    width = max(len(k) for k in result)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in result.items())
