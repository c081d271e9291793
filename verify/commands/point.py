"""``point ARCH --degree R --weights JSON [--field M]``: exact rank, criticality and strata at one point.

Over QQ by default (verify.sub_in_crit.criticality.classify_point). With ``--field 'a^2+6'``
the entries are elements of the number field QQ[a]/(M), written as strings polynomial in ``a``
(``"a"``, ``"1/2*a+3"``); the rank of J is then computed exactly over that field
(verify.crit_in_sub.common.witness_record), as for the converse's witnesses. The output carries
the point's ``witness_id`` (verify.commands.check_witness.witness_id), and ``prime`` and
``seed`` only when the result depends on them (g not proved exact).

Every entry and the minimal polynomial are read by :mod:`verify.core.expressions`, which
bounds exponents, literals and the expanded degree and coefficients before evaluating
(issue 23); the minimal polynomial must be monic. ``--weights @FILE`` reads the JSON from
FILE (verify.commands.common.read_weights_argument).

``--activation POLY [--biases --bias-values JSON]`` (issue 22): the exact rank over QQ for a
polynomial activation and optional biases (proofs/activations.md;
verify.sub_in_crit.activation_rank.classify_general_point), against the certified generic rank
of ``rank --activation``; strata as in proofs/activations.md, section 4. Not with ``--field``.
``--activation 't^r'`` without ``--biases`` is the monomial network: the output is that of
``--degree r``.
"""

from __future__ import annotations

from ..core import expressions
from ..core.errors import InputError
from ..core.rank import DEFAULT_PRIME, check_prime
from ..sub_in_crit.criticality import judge_rank
from .common import (activation_from, add_case_arguments, case_from, check_point, general_case_from,
                     read_weights_argument, render_mapping)

HELP = "exact rank at given weights (over QQ or a number field), criticality and subnetwork strata"

#: Longest minimal polynomial text accepted (characters), and largest degree; every text is
#: read by verify.core.expressions, which bounds exponents, literals and the expansion first.
MAX_FIELD_TEXT = expressions.MAX_EXPRESSION_TEXT
MAX_FIELD_DEGREE = expressions.MAX_FIELD_DEGREE


def add_arguments(p):
    add_case_arguments(p, activation=True)
    p.add_argument("--bias-values", default=None, metavar="JSON",
                   help='with --biases: JSON list of the bias vectors b_1..b_L, e.g. "[[0,1],[2]]" '
                        '(rationals as strings "1/2"); @FILE reads the JSON from FILE')
    p.add_argument("--weights", required=True,
                   help='JSON list of matrices, W_1 first, e.g. "[[[1,0],[0,1]],[[1,1]]]"; '
                        'rationals as strings "1/2"; with --field, strings polynomial in a, e.g. "1/2*a+3"; '
                        '@FILE reads the JSON from FILE')
    p.add_argument("--field", default=None, metavar="M",
                   help="monic minimal polynomial in a of a number field QQ[a]/(M), e.g. 'a^2+6' "
                        f"(irreducible over QQ, degree <= {MAX_FIELD_DEGREE}, exponents <= "
                        f"{expressions.MAX_EXPONENT}); default QQ")


def number_field(text: str):
    """QQ[a]/(text) as a Sage NumberField, and QQ[a]; InputError unless ``text`` is a monic
    polynomial in a, irreducible over QQ, within the bounds of verify.core.expressions."""
    return expressions.number_field(text, what="--field", max_degree=MAX_FIELD_DEGREE, monic=True)


def _field_weights(arch, weights, K, P=None):
    from ..core.weights import parse_weights
    return parse_weights(arch, weights, ring=lambda v: expressions.field_element(v, K, "weight entry"))


def run(args) -> dict:
    general = activation_from(args)
    if general is not None:
        return run_general(args, *general)
    if args.bias_values is not None:
        raise InputError("--bias-values needs --biases")
    arch, r = case_from(args)
    p = check_prime(args.prime if args.prime is not None else DEFAULT_PRIME)
    weights = read_weights_argument(args.weights)
    from .check_witness import witness_id
    if args.field is None:
        from ..core.weights import parse_weights
        from ..sub_in_crit.criticality import classify_point
        W = parse_weights(arch, weights)
        check_point(arch, r, W, allow_large=args.allow_large)
        out = classify_point(arch, r, W, prime=p, seed=args.seed)
        out["field"] = "QQ"
        out["witness_id"] = witness_id(arch, r, out["weights"], "QQ")
        return _without_unused_randomness(out)
    from ..sub_in_crit.subnetwork_rank import proved_generic_rank
    from ..crit_in_sub.common import witness_record
    K, _ = number_field(args.field)
    W = _field_weights(arch, weights, K)
    check_point(arch, r, W, K, allow_large=args.allow_large)
    g = proved_generic_rank(arch, r, prime=p, seed=args.seed)
    rec = witness_record(arch, r, W, K, g.value)
    k = int(rec["rank"])
    critical, how, why = judge_rank(k, g, rec["field"], args.seed)
    return _without_unused_randomness({
        "arch": str(arch), "degree": r, "weights": rec["weights"], "field": rec["field"],
        "minimal_polynomial": rec["minimal_polynomial"], "rank": k,
        "generic_rank": g.value, "generic_rank_certificate": g.certificate,
        "critical": critical, "critical_certificate": how, "reason": why,
        "subnetwork": rec["subnetwork"], "strata": rec["strata"], "prime": g.prime, "seed": args.seed,
        "witness_id": witness_id(arch, r, rec["weights"], rec["field"]),
    })


def run_general(args, activation, biases) -> dict:
    from ..sub_in_crit.activation_rank import classify_general_point
    if args.field is not None:
        raise InputError("--field is not available with --activation or --biases yet (issue 22)")
    if biases and args.bias_values is None:
        raise InputError("--biases at a point needs --bias-values JSON (b_1..b_L)")
    if not biases and args.bias_values is not None:
        raise InputError("--bias-values needs --biases")
    arch = general_case_from(args, activation, biases, modular=False)
    p = check_prime(args.prime if args.prime is not None else DEFAULT_PRIME)
    from ..core.general_jacobian import parse_biases
    from ..core.weights import parse_weights
    weights = parse_weights(arch, read_weights_argument(args.weights))
    bias_values = parse_biases(arch, read_weights_argument(args.bias_values)) if biases else None
    # the cost guard at the point: the bits of its entries (biases included), as for --degree
    check_point(arch, activation.degree, weights + ([[b] for b in bias_values] if biases else []),
                allow_large=args.allow_large)
    out = classify_general_point(arch, activation, weights, bias_values, prime=p, seed=args.seed)
    return _without_unused_randomness(out)


def _without_unused_randomness(out: dict) -> dict:
    """Drop ``prime`` and ``seed`` when g is exact: the result then depends on neither (the
    random points only found a rank that a proved upper bound meets)."""
    if out.get("generic_rank_certificate") == "exact":
        out.pop("prime", None)
        out.pop("seed", None)
    return out


def render(result: dict) -> str:
    return render_mapping(result)
