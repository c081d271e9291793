"""The converse by reduction: a first hidden layer of width 2 peels off (Proposition Q).

Serves proofs/threshold.md, section 14 (Proposition Q and Corollary Q1) and proofs/converse.md,
section 7.  For d = (d_0, 2, d_2, ..., d_L), L >= 3 and r >= 3, every point outside Sub is
equivalent under GL(d_0) to theta = ([I_2 | 0], theta'), and

    rank J_d(theta) = 2 (d_0 - 1) + rank J_F(theta') - (d_0 - 1) z,

with F = (2, d_2, ..., d_L) the *peeled* network and z the number of variables of F whose
partial derivative of F vanishes.  Hence (Corollary Q1): if Crit in Sub holds for F at r on
all codimensions and g(F, r) = N_F - H_F exactly, then Crit in Sub holds for d at r, with
F's certificate; a critical point theta' of F outside Sub(F) whose first weight matrix
has no zero column lifts to the critical point ([I_2 | 0], theta') of d outside Sub(d); and so
does any such theta' at which F does not depend on one of its inputs (z > 0: part (iii);
:func:`one_sided_point` builds one for L = 3 when d_2 >= r + 1, from r - 1-th powers of d_2
lines, which are then dependent).

:func:`reduction_converse` runs the converse of F (recursively: F may peel again) and
returns the result for d, or None when F's answer settles nothing (then the dispatcher of
:mod:`verify.crit_in_sub.converse` goes on with its own methods).

EXAMPLES::

    sage: from verify.crit_in_sub.reduction import peeled, reducible
    sage: str(peeled("3,2,3,1")), reducible("3,2,3,1", 4), reducible("3,2,3,1", 2)
    ('2,3,1', True, False)
    sage: reducible("2,3,2,1", 4)
    False
"""

from __future__ import annotations

from ..core.architecture import Architecture
from .common import ALL_CODIMENSIONS, decode_witness, witness_record

__all__ = ["reducible", "peeled", "lift_weights", "one_sided_point", "reduction_converse"]


def reducible(arch, r: int) -> bool:
    """Does Proposition Q apply: d_1 = 2, L >= 3, r >= 3?"""
    arch = Architecture.parse(arch)
    return arch.depth >= 3 and arch.widths[1] == 2 and r >= 3


def peeled(arch) -> Architecture:
    """F = (2, d_2, ..., d_L): the network that the first hidden layer feeds."""
    arch = Architecture.parse(arch)
    return Architecture((2,) + tuple(arch.widths[2:]))


def lift_weights(arch, inner_weights) -> list:
    """([I_2 | 0], theta'): the point of ``arch`` whose peeled network is at theta'."""
    arch = Architecture.parse(arch)
    d0 = arch.widths[0]
    W1 = [[1 if j == i else 0 for j in range(d0)] for i in range(2)]
    return [W1] + [[list(row) for row in W] for W in inner_weights]


def _liftable(inner_weights) -> bool:
    """theta' with no zero column in its first matrix W_2 (else ([I|0], theta') is in B_1)."""
    W2 = inner_weights[0]
    return all(any(row[j] != 0 for row in W2) for j in range(len(W2[0])))


def reduction_converse(arch, r: int, g: int, converse, generic_rank, **options) -> dict | None:
    """Crit in Sub for ``arch`` at ``r`` from the converse of the peeled network.

    ``g`` is the proved lower bound of the generic rank of ``arch`` that witnesses are compared
    with; ``converse`` and ``generic_rank`` are the dispatcher and the generic-rank function
    (passed in: this module stands below the dispatcher).  Returns a method result (``method``
    'reduction', ``certificate`` the peeled network's, ``details`` naming it) when F's converse
    holds on all codimensions with g(F) = N_F - H_F exact, or when one of F's witnesses lifts;
    None otherwise.
    """
    arch = Architecture.parse(arch)
    inner_arch = peeled(arch)
    inner = converse(inner_arch, r, method="auto", **options)
    block = inner.get("crit_in_sub") or {}
    gF = generic_rank(inner_arch, r, prime=options.get("prime"), seed=options.get("seed", 0))
    exact_top = gF.certificate == "exact" and gF.value == inner_arch.params - inner_arch.hidden
    via = {"peeled": str(inner_arch), "peeled_method": block.get("method"),
           "peeled_certificate": block.get("certificate"), "peeled_coverage": block.get("coverage"),
           "peeled_generic_rank": gF.value, "peeled_generic_rank_exact_top": exact_top}
    if block.get("holds") is True and block.get("coverage") == ALL_CODIMENSIONS and exact_top:
        return {"method": "reduction", "certificate": block.get("certificate"), "witnesses": [],
                "details": {**via, "crit_in_sub": True, "coverage": ALL_CODIMENSIONS,
                            "statement": f"Crit in Sub for {inner_arch} at r = {r} on all codimensions "
                                         f"({block.get('certificate')}) and g = N - H there; "
                                         f"Corollary Q1 lifts it to {arch}"}}
    lifted = []
    for w in inner.get("witnesses") or []:
        if not w.get("verified"):
            continue
        K, W = decode_witness(inner_arch, w)
        if _liftable(W):
            rec = witness_record(arch, r, lift_weights(arch, W), K, g)
            if rec.get("verified"):
                lifted.append(rec)
    if lifted:
        return {"method": "reduction", "certificate": "proved-over-Q", "witnesses": lifted,
                "details": {**via, "crit_in_sub": False, "coverage": None,
                            "statement": f"a critical point of {inner_arch} outside its Sub lifts "
                                         f"to ([I_2 | 0], theta') (Proposition Q)"}}
    one_sided = one_sided_point(arch, r, seed=options.get("seed", 0))
    if one_sided is not None:
        rec = witness_record(arch, r, one_sided, None, g)
        if rec.get("verified"):
            return {"method": "reduction", "certificate": "proved-over-Q", "witnesses": [rec],
                    "details": {**via, "crit_in_sub": False, "coverage": None,
                                "statement": f"{inner_arch} does not depend on u at theta' "
                                             f"(Corollary Q1 (iii))"}}
    return None


def one_sided_point(arch, r: int, seed: int = 0) -> list | None:
    """For L = 3 and d_2 >= r + 1: ([I_2 | 0], W_2, W_3) with W_2 rows (1, s_j), s_j = 1..d_2,
    and every row of W_3 in the kernel of the (r-1)-th powers of the rows, so that the peeled
    network does not depend on u (z = 1, Corollary Q1 (iii)); None when not applicable."""
    from random import Random
    from sage.all import QQ, binomial, matrix
    arch = Architecture.parse(arch)
    d = arch.widths
    if not reducible(arch, r) or arch.depth != 3 or d[2] < r + 1:
        return None
    powers = matrix(QQ, [[binomial(r - 1, i) * s ** i for s in range(1, d[2] + 1)] for i in range(r)])
    basis = powers.right_kernel().basis_matrix()
    rng = Random(seed)
    rows = []
    for _ in range(d[3]):
        for _attempt in range(20):
            c = [rng.randint(1, 9) for _ in range(basis.nrows())]
            row = list(matrix(QQ, [c]) * basis)[0]
            if all(x != 0 for x in row):
                break
        else:
            return None
        rows.append([QQ(x) for x in row])
    W2 = [[1, s] for s in range(1, d[2] + 1)]
    return lift_weights(arch, [W2, rows])
