"""``point ARCH --degree R --weights JSON``: exact rank, criticality and strata at one point."""

from __future__ import annotations

from ..sub_in_crit.criticality import classify_point
from ..core.rank import DEFAULT_PRIME, check_prime
from .common import add_case_arguments, case_from, render_mapping

HELP = "exact rank over QQ at given weights, criticality and subnetwork strata"


def add_arguments(p):
    add_case_arguments(p)
    p.add_argument("--weights", required=True,
                   help='JSON list of matrices, W_1 first, e.g. "[[[1,0],[0,1]],[[1,1]]]"; '
                        'rationals as strings "1/2"')


def run(args) -> dict:
    arch, r = case_from(args)
    p = check_prime(args.prime if args.prime is not None else DEFAULT_PRIME)
    return classify_point(arch, r, args.weights, prime=p, seed=args.seed)


def render(result: dict) -> str:
    return render_mapping(result)
