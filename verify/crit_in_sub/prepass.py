"""The structured pre-pass: exact ranks at a generic point of every rank stratum.

Serves proofs/converse.md, section 7 (the pre-pass).  Before any expensive method runs,
the converse ranks J exactly over QQ at one seeded random point of every stratified
chart of :mod:`verify.crit_in_sub.chart` (one per rank pattern of W_1 and W_L, each a
stratum of its own however high its codimension) and at structured points of the deeper
layers (an incoming matrix of a hidden layer l >= 2 of rank 2, or with two equal
columns, i.e. two neurons of layer l-1 feeding it identically; a last hidden layer of
rank 2 under an output matrix of rank 1; a neuron of layer l fed by one neuron of layer
l-1 only, alone or in a rank-2 layer).  A point outside Sub with
rank < g (g a proved lower bound of the generic rank) is a witness, re-verified by
:func:`verify.crit_in_sub.common.witness_record`; it proves Crit is not inside Sub.
Finding nothing proves nothing: the pre-pass only ever contributes witnesses.

The exact rank is computed only where it can matter: a point in Sub is never a witness,
and the rank modulo a prime of the Jacobian at seeded random input points is a lower bound
of the exact rank at an integer point (Lemma M of proofs/README.md), so a point where it
reaches g is not critical; both are passed over (6,2,2,1 at r = 5: the exact rank at the
principal lattice has 142,506 rows).  A point outside Sub with rank < g has every such
bound below g, so no witness is lost.

EXAMPLES::

    sage: from verify.crit_in_sub.prepass import structured_prepass
    sage: out = structured_prepass("4,3,1", 3, 12)            # three rows in a 2-plane
    sage: [(w["rank"], w["verified"], w["label"]) for w in out["witnesses"]]
    [(10, True, 'rank W_1 = 2, rank W_L = 1: w1_2_0=1,w2_0_0=1,w2_0_1=1')]
    sage: structured_prepass("4,3,1", 5, 12)["witnesses"]
    []
"""

from __future__ import annotations

import numbers
import random

from ..core.architecture import Architecture, check_degree
from .chart import charts

__all__ = ["structured_points", "structured_prepass", "reaches_rank"]

#: Coordinates of the random points are drawn from +-1..BOUND (never 0: zeros are structure).
BOUND = 7


def _value(rng):
    return rng.choice((-1, 1)) * rng.randint(1, BOUND)


def structured_points(arch, seed: int = 0):
    """(label, weights) pairs: one random point per stratified chart, then the deep-layer
    structures (rank-2 incoming matrices, two equal columns; then a rank-2 last hidden layer
    under a rank-1 output matrix, and a neuron fed by one neuron only, alone or in a rank-2
    layer), all seeded."""
    arch = Architecture.parse(arch)
    rng = random.Random(int(seed))
    for chart in charts(arch):
        yield chart.label, chart.weights([_value(rng) for _ in chart.free])
    d, L = arch.widths, arch.depth
    top = charts(arch)[0]
    for l in range(2, L):
        rows, cols = d[l], d[l - 1]
        if rows >= 3 and cols >= 3:
            W = top.weights([_value(rng) for _ in top.free])
            W[l - 1] = _rank_two(rng, rows, cols)
            yield f"rank(W_{l}) = 2", W
        if cols >= 2:
            W = top.weights([_value(rng) for _ in top.free])
            for row in W[l - 1]:
                row[1] = row[0]
            yield f"W_{l} has two equal columns", W
    # Drawn after the points above, which keep their values.
    for l in range(2, L):
        rows, cols = d[l], d[l - 1]
        if rows >= 3 and cols >= 3 and l == L - 1 and d[L] >= 2:
            # the rank-2 layer seen by every output alike (Lemma B1 at the last hidden layer)
            W = top.weights([_value(rng) for _ in top.free])
            W[l - 1] = _rank_two(rng, rows, cols)
            c = [_value(rng) for _ in range(d[L - 1])]
            W[L - 1] = [[t * x for x in c] for t in [_value(rng) for _ in range(d[L])]]
            yield f"rank(W_{l}) = 2, rank(W_{L}) = 1", W
        if cols >= 2:
            W = top.weights([_value(rng) for _ in top.free])
            W[l - 1][0] = [_value(rng)] + [0] * (cols - 1)
            yield f"neuron 1 of layer {l} copies neuron 1 of layer {l - 1}", W
        if rows >= 3 and cols >= 3:
            # both: a rank-2 layer whose span holds the copy (2,4,3,1 at r = 5)
            W = top.weights([_value(rng) for _ in top.free])
            W[l - 1] = _rank_two(rng, rows, cols, [_value(rng)] + [0] * (cols - 1))
            yield f"rank(W_{l}) = 2, neuron 1 of layer {l} copies neuron 1 of layer {l - 1}", W


def _rank_two(rng, rows, cols, b=None):
    """A rows x cols matrix of rank <= 2: every row a random combination s a + t b of two
    random rows a, b (one pair (s, t) per row); a given ``b`` is also the first row."""
    a = [_value(rng) for _ in range(cols)]
    out = [] if b is None else [list(b)]
    b = [_value(rng) for _ in range(cols)] if b is None else b
    while len(out) < rows:
        s, t = _value(rng), _value(rng)
        out.append([s * x + t * y for x, y in zip(a, b)])
    return out


def reaches_rank(arch, r: int, weights, g: int, seed: int = 0) -> bool:
    """True when the rank mod p of J(weights) at seeded random input points is >= g, which
    proves rank_QQ J(weights) >= g for integer weights (Lemma M); False otherwise (also for
    weights that are not all integers: then nothing is concluded)."""
    from ..core.jacobian import ModularArithmetic, evaluation_jacobian
    from ..core.rank import DEFAULT_PRIME, rank_mod_p
    flat = [v for M in weights for row in M for v in row]
    if not all(isinstance(v, numbers.Integral) or getattr(v, "is_integer", lambda: False)()
               for v in flat):
        return False
    p = DEFAULT_PRIME
    rng = random.Random(f"{int(seed)}:prepass-bound")
    npoints = min(arch.monomials(r), int(g) + 4)
    points = [[rng.randrange(p) for _ in range(arch.widths[0])] for _ in range(npoints)]
    Wp = [[[int(v) % p for v in row] for row in M] for M in weights]
    J = evaluation_jacobian(arch, r, Wp, points, ModularArithmetic(p))
    return rank_mod_p(J, p) >= g


def structured_prepass(arch, r: int, generic_rank_value: int, seed: int = 0) -> dict:
    """Exact rank at every structured point; ``{"points": n, "witnesses": [...]}`` where each
    witness is a :func:`witness_record` (verified: critical and in no stratum) with a label."""
    from ..sub_in_crit.strata import strata_containing
    from .common import witness_record
    arch = Architecture.parse(arch)
    r = check_degree(r)
    witnesses, n = [], 0
    for label, W in structured_points(arch, seed):
        n += 1
        if strata_containing(arch, W) or reaches_rank(arch, r, W, generic_rank_value, seed):
            continue                                # in Sub, or rank >= g: never a witness
        w = witness_record(arch, r, W, None, generic_rank_value)
        if w["verified"]:
            witnesses.append({**w, "label": label})
    return {"points": n, "seed": int(seed), "witnesses": witnesses}
