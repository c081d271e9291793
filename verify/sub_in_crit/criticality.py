"""Is a given weight point critical, and is it a subnetwork?  Both decided exactly.

Serves proofs/README.md, Corollary P: theta is critical iff rank J(theta) < g.
The exact rank over QQ is compared with the certified bounds on g from
:func:`verify.sub_in_crit.subnetwork_rank.proved_generic_rank`; membership in Sub is exact (:mod:`verify.sub_in_crit.strata`).

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.sub_in_crit.criticality import classify_point
    sage: a = Architecture.parse("2,2,1")
    sage: c = classify_point(a, 3, [[[1, 0], [1, 0]], [[1, 1]]])
    sage: c["rank"], c["generic_rank"], c["critical"], c["critical_certificate"], c["strata"]
    (2, 4, True, 'proved-over-Q', ['C_{1,0,1}'])
"""

from __future__ import annotations

from ..core.rank import rank_over_QQ
from .strata import strata_containing
from .subnetwork_rank import proved_generic_rank
from ..core.weights import parse_weights, to_jsonable

__all__ = ["classify_point", "judge_rank"]


def judge_rank(k: int, g, field: str, seed: int) -> tuple[bool, str, str]:
    """(critical, certificate, reason) for an exact rank k over ``field`` against a
    :class:`verify.core.rank.GenericRank` g: below its proved lower bound is critical,
    at its proved upper bound is not (both proofs over QQ); in between only probably not.
    The certificate is ``proved-over-Q`` over QQ, ``exact over FIELD`` over a number field
    (the rank is exact over that field; g is the same over every field of characteristic 0)."""
    upper = g.value if g.certificate == "exact" else g.upper_bound
    proof = "proved-over-Q" if str(field or "QQ") == "QQ" else f"exact over {field}"
    if k < g.value:
        return True, proof, f"exact rank {k} over {field} < {g.value} <= g (proved)"
    if k >= upper:
        return False, proof, (f"exact rank {k} over {field} reaches the proved upper "
                              f"bound {upper} of g")
    return False, "probabilistic", (f"{g.value} <= g <= {upper} and rank {k}; g > {g.value} is "
                                    f"missed with probability <= {g.failure_bound:.3g} (seed {seed})")


def classify_point(arch, r: int, weights, prime=None, seed: int = 0) -> dict:
    """Exact rank at ``weights`` over QQ, criticality with its certificate, strata."""
    W = parse_weights(arch, weights)
    g = proved_generic_rank(arch, r, prime=prime, seed=seed)
    k = rank_over_QQ(arch, r, W)
    critical, how, why = judge_rank(k, g, "QQ", seed)
    strata = strata_containing(arch, W)
    return {
        "arch": str(arch), "degree": r, "weights": to_jsonable(W), "rank": k,
        "generic_rank": g.value, "generic_rank_certificate": g.certificate,
        "critical": critical, "critical_certificate": how, "reason": why,
        "subnetwork": bool(strata), "strata": [s.name for s in strata],
        "prime": g.prime, "seed": seed,
    }
