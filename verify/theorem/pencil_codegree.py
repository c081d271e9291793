"""Pencils of four r-th powers with a large common factor: where Lemma G1's co-degree is attained.

Serves proofs/threshold.md, section 15, Remark G5 (computed; no verdict uses it yet).  For
d_1 = 4, Theorem T3 bounds the co-degree of a pencil of layer-2 forms by Lemma G1 alone,
floor(r / 3), and that is what stops it for 2,4,3,1 at r = 7, 8 (a pencil with co-degree 2).
Normalise the four first-layer lines to x, y, x + y, x + t y (t != 0, 1).  A pencil in
S = span{l_j^r} whose gcd has degree >= e is a 2-dimensional subspace of S inside g V_(r-e)
for some g in V_e; by apolarity S is the annihilator of psi V_(r-4), psi = the product of the
four dual points, so this says that the matrix N(g, t) of c -> g c mod S on V_(r-e) has rank
<= r - e - 1.  :func:`exceptional_cross_ratios` eliminates g from these minors, chart by chart
(g_i = 1, g_k = 0 for k < i), after saturating by t (t - 1): the result is the polynomial in t
whose roots are the only cross-ratios where such a pencil exists.  The elimination uses
Singular's Groebner bases over QQ (the trust of the symbolic method, proofs/converse.md,
section 2); the tests check the answer by a second method (an exact pencil over a number field
at a root, and the symmetry of the root set under permutations of the four lines).

EXAMPLES::

    sage: from verify.theorem.pencil_codegree import exceptional_cross_ratios
    sage: E = exceptional_cross_ratios(7)["polynomial"]
    sage: sorted(str(f) for f, _ in E)
    ['t^2 + 4*t + 1', 't^2 - 6*t + 6', 't^2 - t + 1/6']
"""

from __future__ import annotations

from ..core.errors import InputError

__all__ = ["pencil_rank_matrix", "exceptional_cross_ratios"]


def _rings(r: int, e: int):
    from sage.all import PolynomialRing, QQ
    names = ["t"] + [f"g{i}" for i in range(e + 1)]
    big = PolynomialRing(QQ, names + ["x", "y"], order="degrevlex")
    return big, PolynomialRing(QQ, names, order="degrevlex")


def _check(r: int, e: int) -> None:
    if not (r >= 4 and 1 <= e <= r - 2):
        raise InputError(f"pencils of four r-th powers need r >= 4 and 1 <= e <= r - 2 (got r = {r}, e = {e})")


def pencil_rank_matrix(r: int, e: int):
    """N(g, t) over QQ[t, g_0..g_e, x, y] (constants in x, y): row k pairs the annihilator
    psi(d) x^(r-4-k) y^k (d = (d/dx, d/dy), psi = x y (x - y) (t x - y) kills the four powers)
    with g c for c running over the monomials of V_(r-e).  Pencils of S with gcd of degree >= e
    inside g V_(r-e) exist iff rank N <= r - e - 1."""
    from sage.all import diff, matrix
    _check(r, e)
    big, _ = _rings(r, e)
    t, *rest = big.gens()
    gs, (x, y) = rest[:e + 1], rest[e + 1:]
    g = sum(gs[i] * x ** (e - i) * y ** i for i in range(e + 1))
    psi = y * x * (x - y) * (t * x - y)

    def apply(op, h):               # op(d/dx, d/dy) applied to h; op has t in its coefficients
        out = 0
        for mon, c in zip(op.monomials(), op.coefficients()):
            a, b = mon.degree(x), mon.degree(y)
            out += c * (mon // (x ** a * y ** b)) * diff(diff(h, x, a), y, b)
        return out

    quotient = [x ** (r - e - i) * y ** i for i in range(r - e + 1)]
    return matrix(big, [[apply(psi * x ** (r - 4 - k) * y ** k, g * c) for c in quotient]
                        for k in range(r - 3)])


def exceptional_cross_ratios(r: int, e: int | None = None) -> dict:
    """The cross-ratios t (lines x, y, x + y, x + t y) at which span{l_j^r} contains a pencil
    whose gcd has degree >= e (default e = r - 2, the largest Lemma G1 allows at r = 7, 8).

    Keys: ``polynomial`` (the least common multiple, made monic, of the eliminants over the
    charts: 1 when no t admits such a pencil, 0 when every t does), ``charts`` (per chart g_i = 1: ``empty`` or the eliminant),
    ``degree``, ``gcd_degree``, ``certificate``."""
    from sage.all import PolynomialRing, QQ
    e = r - 2 if e is None else e
    _check(r, e)
    N = pencil_rank_matrix(r, e)
    big, ring = _rings(r, e)
    size = r - e                     # rank <= size - 1 <=> every size x size minor vanishes
    minors = [ring(m) for m in N.minors(size) if m != 0]
    t = ring.gen(0)
    Pt = PolynomialRing(QQ, "t")
    total, charts = Pt.one(), []
    for i in range(e + 1):
        chart = [ring.gen(1 + i) - 1] + [ring.gen(1 + k) for k in range(i)]
        ideal = ring.ideal(minors + chart).saturation(ring.ideal([t * (t - 1)]))[0]
        if ideal.is_one():
            charts.append({"chart": f"g{i} = 1", "empty": True})
            continue
        (eliminant,) = ideal.elimination_ideal(list(ring.gens()[1:])).gens()
        eliminant = Pt(eliminant.univariate_polynomial())
        if eliminant == 0:                  # such pencils at every cross-ratio
            charts.append({"chart": f"g{i} = 1", "empty": False, "eliminant": "0"})
            total = Pt.zero()
            continue
        eliminant = eliminant.monic()
        charts.append({"chart": f"g{i} = 1", "empty": False, "eliminant": str(eliminant.factor())})
        total = total.lcm(eliminant) if total != 0 else total
    return {"degree": r, "gcd_degree": e, "polynomial": total.factor() if total != 0 else total,
            "charts": charts,
            "certificate": "proved-over-Q (Groebner bases over QQ: saturation by t (t - 1) and "
                           "elimination of g, chart by chart)"}
