"""What the methods of the converse share: exact witness records, the result dict, the
Sub-in-Crit half, random integer projections.

Serves proofs/converse.md (section 5, "Witnesses", and the common result of
DEVELOPING.md, "Interfaces"): a witness is a critical point outside Sub, re-verified
exactly -- rank of J over QQ or over the witness's number field K = QQ[a]/(m(a)),
compared with the proved lower bound g.value of the generic rank, and the subnetwork
test of :mod:`verify.sub_in_crit.strata` over K.  The dispatcher
(:mod:`verify.crit_in_sub.converse`) and every method (:mod:`verify.crit_in_sub.symbolic`,
:mod:`verify.crit_in_sub.slicing`, :mod:`verify.crit_in_sub.exhaustive`) import from here;
this module imports none of them.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.crit_in_sub.common import witness_record, decode_witness
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

from ..core.architecture import Architecture

__all__ = ["witness_id", "witness_record", "decode_witness", "rank_over_number_field", "random_integer_matrix",
           "sub_in_crit", "result", "converse_verdict", "ALL_CODIMENSIONS"]

#: The coverage of a search that examined every point of every stratum (of every codimension).
ALL_CODIMENSIONS = "all-codimensions"


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


def _entry_text(v) -> str:
    from ..core.errors import InputError
    if isinstance(v, bool):
        raise InputError(f"weight entries must be numbers or strings, got {v!r}")
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace(" ", "")


def witness_id(arch, degree, weights, field="QQ") -> str:
    """'w' + 10 hex digits of sha256 over (architecture, degree, weights, field): stable across
    runs, machines and JSON spellings of the entries (1 and "1" give the same id)."""
    import hashlib
    import json
    arch = ",".join(str(int(d)) for d in str(arch).replace(" ", "").strip("()[]").split(","))
    w = [[[_entry_text(v) for v in row] for row in M] for M in weights]
    text = json.dumps([arch, int(degree), w, str(field or "QQ").replace(" ", "")],
                      separators=(",", ":"))
    return "w" + hashlib.sha256(text.encode()).hexdigest()[:10]


def decode_witness(arch, witness):
    """(K, weights over K) from a witness record; K is QQ or NumberField(minimal polynomial).

    The minimal polynomial and every entry are read by :mod:`verify.core.expressions` (bounded
    before evaluation: a record read from a file may be hostile); the field's degree is at
    most MAX_WITNESS_FIELD_DEGREE, and the weights must have the architecture's shapes."""
    from sage.all import QQ
    from ..core import expressions
    from ..core.errors import InputError
    from ..core.weights import parse_weights
    arch = Architecture.parse(arch)
    if not isinstance(witness, dict):
        raise InputError("a witness record must be a JSON object")
    m = witness.get("minimal_polynomial")
    if not m:
        return QQ, parse_weights(arch, witness.get("weights"))
    if not isinstance(m, str):
        raise InputError(f"a witness's minimal_polynomial must be a string, got {str(m)[:40]}")
    K, _ = expressions.number_field(m, what="witness minimal polynomial",
                                    max_degree=expressions.MAX_WITNESS_FIELD_DEGREE, monic=False)
    return K, parse_weights(arch, witness.get("weights"),
                            ring=lambda v: expressions.field_element(v, K, "witness entry"))


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
    encoded = [[[_encode(v, K) for v in row] for row in M] for M in W]
    return {"id": witness_id(arch, r, encoded, field), "weights": encoded,
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
    from :func:`verify.sub_in_crit.stratum_rank.strata_records` (proofs/strata.md); ``records`` are those
    records when the caller already has them for the same (arch, r, seed, prime)."""
    from ..sub_in_crit.stratum_rank import (criticality_certificate, every_stratum_critical,
                                            strata_records)
    recs = strata_records(arch, r, seed=seed, prime=prime) if records is None else records
    summary = [{k: rec.get(k) for k in ("layer", "kind", "critical", "certificate")} for rec in recs]
    holds = every_stratum_critical(recs)
    if holds is False:
        certs = {str(criticality_certificate(rec)) for rec in recs if rec.get("critical") is False}
        return {"holds": False, "certificate": ",".join(sorted(certs)), "strata": summary}
    certs = {criticality_certificate(rec) for rec in recs}
    return {"holds": holds, "certificate": ",".join(sorted(map(str, certs))), "strata": summary}


# --- result assembly ------------------------------------------------------------------------


def converse_verdict(crit_in_sub, coverage, sub_holds) -> str:
    """crit-not-in-sub (a witness) | sub-not-in-crit | crit-equals-sub (both inclusions, Crit in
    Sub on every codimension) | undecided (anything less)."""
    if crit_in_sub is False:
        return "crit-not-in-sub"
    if sub_holds is False:
        return "sub-not-in-crit"
    if crit_in_sub is True and coverage == "all-codimensions" and sub_holds is True:
        return "crit-equals-sub"
    return "undecided"


def result(method, crit_in_sub, certificate, witnesses, seconds, details, sub_check=None,
           coverage=None) -> dict:
    """Assemble the common result dict from the outcome of Crit in Sub and of Sub in Crit.

    ``crit_in_sub``: True (shown on the whole of ``coverage``), False (witness found), None
    (undecided).  ``coverage``: "all-codimensions" or a sentence naming what was examined;
    Crit in Sub counts as shown only with "all-codimensions" (the dispatcher enforces it).
    """
    d = dict(details)
    if sub_check is not None:
        d["sub_in_crit"] = sub_check
    d["crit_in_sub"] = crit_in_sub
    d["coverage"] = coverage
    verdict = converse_verdict(crit_in_sub, coverage,
                               None if sub_check is None else sub_check.get("holds"))
    return {"method": method, "verdict": verdict, "certificate": certificate,
            "witnesses": witnesses, "seconds": round(float(seconds), 3), "details": d}
