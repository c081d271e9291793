"""The converse Crit in Sub: one dispatcher over three methods, and exact witness checks.

Serves proofs/converse.md: every method returns the same dict (DEVELOPING.md,
"Interfaces") with a ``verdict`` (crit-equals-sub, crit-not-in-sub,
sub-not-in-crit, inconclusive), a ``certificate`` naming what it proves
(proved-over-Q, exhaustive-GF(p), probabilistic) and ``witnesses``: critical
points outside Sub, each re-verified here exactly (section 5, "Witnesses"):
rank of J over QQ or over the witness's number field K = QQ[a]/(m(a)), compared
with the proved lower bound g.value of the generic rank, and the subnetwork
test of :mod:`verify.sub_in_crit.strata` over K.

Methods: ``symbolic`` (:mod:`verify.crit_in_sub.symbolic`, tiny cases, proof over QQ),
``exhaustive`` (``verify.crit_in_sub.exhaustive``, every point over GF(p)), ``slice``
(:mod:`verify.crit_in_sub.slicing`, random exact slices).  ``auto`` takes the strongest
one whose size limit the case meets, in that order.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.crit_in_sub.converse import witness_record, decode_witness
    sage: a = Architecture.parse("3,3,1")          # three collinear neurons, r = 3
    sage: w = witness_record(a, 3, [[[1, 0, 0], [0, 1, 0], [1, 1, 0]], [[1, 1, 1]]], None, 9)
    sage: w["rank"], w["critical"], w["subnetwork"], w["verified"], w["field"]
    (7, True, False, True, 'QQ')
    sage: K = QQ['a'].0**2 - 2
    sage: F = NumberField(K, 'a'); s = F.gen()
    sage: w = witness_record(a, 3, [[[1, 0, 0], [0, 1, 0], [s, 1, 0]], [[1, 1, 1]]], F, 9)
    sage: w["field"], w["weights"][0][2], w["verified"]
    ('QQ[a]/(a^2 - 2)', ['a', 1, 0], True)
    sage: decode_witness(a, w)[1][0][2]
    [a, 1, 0]
"""

from __future__ import annotations

import time

from ..core.architecture import Architecture, check_degree
from ..core.errors import InputError

__all__ = ["METHODS", "VERDICTS", "CERTIFICATES", "converse", "witness_record", "decode_witness",
           "rank_over_number_field",
           "result", "sub_in_crit", "choose_method", "random_integer_matrix"]

METHODS = ("symbolic", "exhaustive", "slice")
VERDICTS = ("crit-equals-sub", "crit-not-in-sub", "sub-not-in-crit", "inconclusive")
CERTIFICATES = ("proved-over-Q", "exhaustive-GF(p)", "probabilistic")


# --- witnesses ------------------------------------------------------------------------------


def _field_label(K) -> tuple[str, str | None]:
    from sage.all import QQ
    if K is None or K == QQ:
        return "QQ", None
    m = str(K.polynomial().change_variable_name("a"))
    return f"QQ[a]/({m})", m


def _encode(v, K):
    from sage.all import QQ
    if K is None or K == QQ:
        v = QQ(v)
        return int(v) if v.denominator() == 1 else str(v)
    v = K(v)
    if v in QQ:
        q = QQ(v)
        return int(q) if q.denominator() == 1 else str(q)
    return str(v.polynomial("a"))


def decode_witness(arch, witness):
    """(K, weights over K) from a witness record; K is QQ or NumberField(minimal polynomial)."""
    from sage.all import QQ, NumberField, PolynomialRing
    arch = Architecture.parse(arch)
    m = witness.get("minimal_polynomial")
    if not m:
        from ..core.weights import parse_weights
        return QQ, parse_weights(arch, witness["weights"])
    P = PolynomialRing(QQ, "a")
    K = NumberField(P(m), "a")
    conv = lambda v: K(P(str(v)))
    return K, [[[conv(v) for v in row] for row in W] for W in witness["weights"]]


def witness_record(arch, r: int, weights, K, generic_rank_value: int) -> dict:
    """Re-verify a point exactly over K (None = QQ): rank of J, strata; JSON-able record.

    ``critical`` is ``rank < generic_rank_value``, which proves criticality whenever
    ``generic_rank_value`` is a proved lower bound of g (every GenericRank.value is).
    """
    from sage.all import QQ
    from ..core.jacobian import jacobian_at
    from ..core.rank import rank_over_QQ
    from ..sub_in_crit.strata import strata_containing
    arch = Architecture.parse(arch)
    K = QQ if K is None else K
    W = [[[K(v) for v in row] for row in M] for M in weights]
    rank = rank_over_QQ(arch, r, W) if K == QQ else rank_over_number_field(jacobian_at(arch, r, W, K))
    strata = [s.name for s in strata_containing(arch, W)]
    field, minpoly = _field_label(K)
    critical = rank < generic_rank_value
    return {"weights": [[[_encode(v, K) for v in row] for row in M] for M in W],
            "field": field, "minimal_polynomial": minpoly, "rank": rank,
            "generic_rank": int(generic_rank_value), "strata": strata,
            "critical": bool(critical), "subnetwork": bool(strata),
            "verified": bool(critical and not strata)}


def rank_over_number_field(M) -> int:
    """Exact rank of a matrix over a number field K of degree n, via restriction of scalars.

    Replacing every entry by its n x n multiplication matrix over QQ gives a rational
    matrix of rank n * rank_K(M) (the QQ-linear map it represents is M acting on K^k
    viewed as QQ^(nk)); that rank is computed over ZZ after clearing denominators,
    which is much faster than elimination over K.
    """
    from sage.all import QQ, ZZ, block_matrix, lcm
    K = M.base_ring()
    n = K.degree()
    if n == 1:
        return int(M.change_ring(QQ).rank())
    B = block_matrix(QQ, [[K(e).matrix() for e in row] for row in M.rows()], subdivide=False)
    den = lcm([ZZ(1)] + [e.denominator() for e in B.list()])
    k = int((B * den).change_ring(ZZ).rank())
    assert k % n == 0
    return k // n


# --- Sub inside Crit (the other inclusion) ---------------------------------------------------


def random_integer_matrix(rng, rows: int, cols: int, bound: int):
    """A rows x cols matrix over ZZ with entries drawn from ``rng`` uniformly in [-bound, bound]
    (the random projections of the symbolic and slicing methods)."""
    from sage.all import ZZ, matrix
    return matrix(ZZ, rows, cols, [rng.randint(-bound, bound) for _ in range(rows * cols)])


def sub_in_crit(arch, r: int, seed: int = 0, prime=None, records=None) -> dict:
    """Is every stratum critical?  ``{"holds": True/False/None, "certificate", "strata"}``,
    from :func:`verify.sub_in_crit.strata.strata_records` (proofs/strata.md); ``records`` are those
    records when the caller already has them for the same (arch, r, seed, prime)."""
    from ..sub_in_crit.strata import strata_records
    recs = strata_records(arch, r, seed=seed, prime=prime) if records is None else records
    crit = [rec.get("critical") for rec in recs]
    summary = [{k: rec.get(k) for k in ("layer", "kind", "critical", "certificate")} for rec in recs]
    if any(c is False for c in crit):
        certs = {str(rec.get("certificate")) for rec in recs if rec.get("critical") is False}
        return {"holds": False, "certificate": ",".join(sorted(certs)), "strata": summary}
    holds = True if all(c is True for c in crit) else None
    certs = {rec.get("certificate") for rec in recs}
    return {"holds": holds, "certificate": ",".join(sorted(map(str, certs))), "strata": summary}


# --- result assembly ------------------------------------------------------------------------


def result(method, crit_in_sub, certificate, witnesses, seconds, details, sub_check=None) -> dict:
    """Assemble the common result dict from the outcome of Crit in Sub and of Sub in Crit.

    ``crit_in_sub``: True (shown), False (witness found), None (undecided).  When the
    verdict rests on ``sub_check`` and its certificate is only evidence, a
    ``proved-over-Q`` certificate is lowered to ``probabilistic``.
    """
    if crit_in_sub is False:
        verdict = "crit-not-in-sub"
    elif sub_check is not None and sub_check.get("holds") is False:
        verdict = "sub-not-in-crit"
    elif crit_in_sub is True and sub_check is not None and sub_check.get("holds") is True:
        verdict = "crit-equals-sub"
    else:
        verdict = "inconclusive"
    weak = ("probabilistic", "lower-bound", "sampled")
    if verdict in ("crit-equals-sub", "sub-not-in-crit") and certificate == "proved-over-Q" and \
            any(w in str(sub_check.get("certificate", "")) for w in weak):
        certificate = "probabilistic"          # the Sub-in-Crit part is only evidence
    d = dict(details)
    if sub_check is not None:
        d["sub_in_crit"] = sub_check
    d["crit_in_sub"] = crit_in_sub
    return {"method": method, "verdict": verdict, "certificate": certificate,
            "witnesses": witnesses, "seconds": round(float(seconds), 3), "details": d}


def choose_method(arch, r: int) -> str:
    """The strongest method whose size limit (arch, r) meets: symbolic, exhaustive, slice."""
    from .symbolic import symbolic_fits
    if symbolic_fits(arch, r)[0]:
        return "symbolic"
    from .exhaustive import exhaustive_fits
    try:
        fits = exhaustive_fits(arch, r)[0]
    except InputError:
        fits = False
    return "exhaustive" if fits else "slice"


def _reverified(arch, r, w) -> dict:
    """A method's witness, checked by :func:`witness_record` unless it already was."""
    if "verified" in w and "minimal_polynomial" in w:
        return w
    K, W = decode_witness(arch, w)
    return {**w, **witness_record(arch, r, W, K, int(w["generic_rank"]))}


def converse(arch, r: int, method: str = "auto", prime=None, seed: int = 0, strata=None,
             **options) -> dict:
    """Decide (or gather evidence on) Crit = Sub for (arch, r) with the chosen method.

    ``strata``: the :func:`verify.sub_in_crit.strata.strata_records` of (arch, r, seed, prime) when the
    caller already computed them (the Sub-in-Crit half then reuses them).
    """
    arch = Architecture.parse(arch)
    r = check_degree(r)
    if r < 2:
        raise InputError("converse needs activation degree r >= 2 (r = 1 is a linear network)")
    why = arch.degeneracy(r)
    if why:
        raise InputError(f"{arch} is outside the theorem: {why[0]}")
    if method not in ("auto",) + METHODS:
        raise InputError(f"method must be one of auto, {', '.join(METHODS)}; got {method!r}")
    t0 = time.perf_counter()
    chosen = choose_method(arch, r) if method == "auto" else method
    if chosen == "symbolic":
        from .symbolic import symbolic_converse
        out = symbolic_converse(arch, r, seed=seed, prime=prime, strata=strata, **options)
    elif chosen == "slice":
        from .slicing import slicing_converse
        out = slicing_converse(arch, r, seed=seed, prime=prime, strata=strata, **options)
    else:
        from .exhaustive import exhaustive_search
        out = exhaustive_search(arch, r, prime, seed=seed, **options)
    out = dict(out)
    out["witnesses"] = [_reverified(arch, r, w) for w in out.get("witnesses", [])]
    out.setdefault("method", chosen)
    out["requested_method"] = method
    out["arch"], out["degree"] = str(arch), r
    out["seconds"] = round(time.perf_counter() - t0, 3)
    return out
