"""``rank ARCH --degree R``: the certified generic rank of the Jacobian (proofs/README.md, Theorem G;
exact also when it meets the upper bounds of proofs/strata.md, Lemma W).

``rank ARCH --activation POLY [--biases]`` (issue 22): the same for a polynomial activation s
and optional biases (proofs/activations.md, Theorem G';
verify.sub_in_crit.activation_rank.activation_generic_rank). ``--activation 't^r'`` without
``--biases`` is the monomial network: the output is that of ``--degree r``."""

from __future__ import annotations

from ..core.rank import check_prime, DEFAULT_PRIME
from ..core.cost import check_number
from .common import activation_from, add_case_arguments, case_from, general_case_from, render_mapping

#: Largest ``--trials``.
MAX_TRIALS = 50

HELP = "certified generic rank of the Jacobian of Phi"


def add_arguments(p):
    add_case_arguments(p, activation=True)
    p.add_argument("--trials", type=int, default=3,
                   help=f"random points when the bound is not reached (1 to {MAX_TRIALS}; default 3)")


def run(args) -> dict:
    general = activation_from(args)
    if general is not None:
        return run_general(args, *general)
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


def run_general(args, activation, biases) -> dict:
    from ..core.general_jacobian import ambient_dimension, output_degree, parameter_count
    from ..sub_in_crit.activation_rank import activation_generic_rank
    arch = general_case_from(args, activation, biases, modular=True)
    trials = check_number(args.trials, "--trials", 1, MAX_TRIALS, integer=True)
    p = check_prime(args.prime if args.prime is not None else DEFAULT_PRIME, trials)
    g = activation_generic_rank(arch, activation, biases, prime=p, seed=args.seed, trials=trials)
    k = activation.degree
    return {
        "arch": str(arch), "activation": activation.canonical(), "biases": biases, "degree": k,
        "params": parameter_count(arch, biases), "hidden": arch.hidden,
        "output_degree": output_degree(arch, activation),
        "ambient": ambient_dimension(arch, activation, biases), "generic_rank": g.value,
        "upper_bound": g.upper_bound, "certificate": g.certificate, "proved_by": g.proved_by,
        "statement": g.statement, "prime": g.prime, "seed": g.seed, "trials": g.trials,
        "failure_bound": g.failure_bound, "degenerate": arch.degeneracy(k),
    }


def render(result: dict) -> str:
    return render_mapping(result)
