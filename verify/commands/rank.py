"""``rank ARCH --degree R``: the certified generic rank of the Jacobian (proofs/README.md, Theorem G;
exact also when it meets the upper bounds of proofs/strata.md, Lemma W)."""

from __future__ import annotations

from ..core.rank import check_prime, DEFAULT_PRIME
from ..core.cost import check_number
from .common import add_case_arguments, case_from, render_mapping

#: Largest ``--trials``.
MAX_TRIALS = 50

HELP = "certified generic rank of the Jacobian of Phi"


def add_arguments(p):
    add_case_arguments(p)
    p.add_argument("--trials", type=int, default=3,
                   help=f"random points when the bound is not reached (1 to {MAX_TRIALS}; default 3)")


def run(args) -> dict:
    arch, r = case_from(args, modular=True)
    trials = check_number(args.trials, "--trials", 1, MAX_TRIALS, integer=True)
    p = check_prime(args.prime if args.prime is not None else DEFAULT_PRIME, trials)
    from ..sub_in_crit.subnetwork_rank import proved_generic_rank
    g = proved_generic_rank(arch, r, prime=p, seed=args.seed, trials=args.trials)
    return {
        "arch": str(arch), "degree": r, "params": arch.params, "hidden": arch.hidden,
        "output_degree": arch.output_degree(r), "ambient": arch.ambient(r),
        "expected": arch.expected_dimension(r), "generic_rank": g.value,
        "certificate": g.certificate, "statement": g.statement, "prime": g.prime,
        "seed": g.seed, "trials": g.trials, "failure_bound": g.failure_bound,
        "degenerate": arch.degeneracy(r),
    }


def render(result: dict) -> str:
    return render_mapping(result)
