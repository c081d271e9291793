"""``point ARCH --degree R --weights JSON [--field M]``: exact rank, criticality and strata at one point.

Over QQ by default (verify.sub_in_crit.criticality.classify_point). With ``--field 'a^2+6'``
the entries are elements of the number field QQ[a]/(M), written as strings polynomial in ``a``
(``"a"``, ``"1/2*a+3"``); the rank of J is then computed exactly over that field
(verify.crit_in_sub.common.witness_record), as for the converse's witnesses. The output carries
the point's ``witness_id`` (verify.commands.check_witness.witness_id).
"""

from __future__ import annotations

from ..core.errors import InputError
from ..core.rank import DEFAULT_PRIME, check_prime
from ..sub_in_crit.criticality import judge_rank
from .common import add_case_arguments, case_from, render_mapping

HELP = "exact rank at given weights (over QQ or a number field), criticality and subnetwork strata"

#: Longest minimal polynomial text accepted (characters), and largest degree.
MAX_FIELD_TEXT = 2000
MAX_FIELD_DEGREE = 16


def add_arguments(p):
    add_case_arguments(p)
    p.add_argument("--weights", required=True,
                   help='JSON list of matrices, W_1 first, e.g. "[[[1,0],[0,1]],[[1,1]]]"; '
                        'rationals as strings "1/2"; with --field, strings polynomial in a, e.g. "1/2*a+3"')
    p.add_argument("--field", default=None, metavar="M",
                   help="minimal polynomial in a of a number field QQ[a]/(M), e.g. 'a^2+6' "
                        "(irreducible over QQ, degree <= 16); default QQ")


def number_field(text: str):
    """QQ[a]/(text) as a Sage NumberField; InputError unless ``text`` is irreducible in a."""
    from sage.all import QQ, NumberField, PolynomialRing
    text = str(text).strip()
    if not text or len(text) > MAX_FIELD_TEXT:
        raise InputError(f"--field must be a polynomial in a of at most {MAX_FIELD_TEXT} characters")
    if any(c not in "0123456789a+-*/^() " for c in text):
        raise InputError(f"--field must be a polynomial in a with rational coefficients, got {text[:40]!r}")
    P = PolynomialRing(QQ, "a")
    try:
        m = P(text)
    except Exception:
        raise InputError(f"--field must be a polynomial in a, got {text[:40]!r}")
    if m.degree() < 1 or m.degree() > MAX_FIELD_DEGREE:
        raise InputError(f"--field must have degree 1..{MAX_FIELD_DEGREE} in a, got degree {m.degree()}")
    if not m.is_irreducible():
        raise InputError(f"--field {text[:40]!r} is not irreducible over QQ")
    return NumberField(m, "a"), P


def _field_weights(arch, weights, K, P):
    from ..core.weights import parse_weights

    def entry(v):
        if isinstance(v, bool) or not isinstance(v, (int, str)):
            raise InputError(f"with --field, entries are integers or strings polynomial in a, got {str(v)[:40]}")
        s = str(v)
        if len(s) > 2000 or any(c not in "0123456789a+-*/^() " for c in s):
            raise InputError(f"with --field, entries are polynomials in a like \"1/2*a+3\", got {s[:40]!r}")
        try:
            return K(P(s))
        except Exception:
            raise InputError(f"entry {s[:40]!r} is not a polynomial in a")
    return parse_weights(arch, weights, ring=entry)


def run(args) -> dict:
    arch, r = case_from(args)
    p = check_prime(args.prime if args.prime is not None else DEFAULT_PRIME)
    from .check_witness import witness_id
    if args.field is None:
        from ..sub_in_crit.criticality import classify_point
        out = classify_point(arch, r, args.weights, prime=p, seed=args.seed)
        out["field"] = "QQ"
        out["witness_id"] = witness_id(arch, r, out["weights"], "QQ")
        return out
    from ..sub_in_crit.subnetwork_rank import proved_generic_rank
    from ..crit_in_sub.common import witness_record
    K, P = number_field(args.field)
    W = _field_weights(arch, args.weights, K, P)
    g = proved_generic_rank(arch, r, prime=p, seed=args.seed)
    rec = witness_record(arch, r, W, K, g.value)
    k = int(rec["rank"])
    critical, how, why = judge_rank(k, g, rec["field"], args.seed)
    return {
        "arch": str(arch), "degree": r, "weights": rec["weights"], "field": rec["field"],
        "minimal_polynomial": rec["minimal_polynomial"], "rank": k,
        "generic_rank": g.value, "generic_rank_certificate": g.certificate,
        "critical": critical, "critical_certificate": how, "reason": why,
        "subnetwork": rec["subnetwork"], "strata": rec["strata"], "prime": g.prime, "seed": args.seed,
        "witness_id": witness_id(arch, r, rec["weights"], rec["field"]),
    }


def render(result: dict) -> str:
    return render_mapping(result)
