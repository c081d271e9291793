"""The computer part of Lemma U5: directness at r = 5 holds for coefficients in U (proved).

Serves proofs/threshold.md, section 15, Lemma U5 (and, through it, the reduction of the open case
2,3,3,1 at r = 5 in proofs/converse.md, section 9.2).  With p = (x^5, y^5, (x + y)^5),
U = span(p) and Phi the implicit quintic of the curve p(P^1), the lemma's proof needs three
exact facts, each computed here over QQ:

- :func:`curve_equation` is Phi, found by elimination, and :func:`pullback_rank` is the rank of
  the pullback of ternary quintics, H -> H(p) (20 = 21 - 1: its kernel is the line of Phi);
- :func:`vertex_polar_identity` checks, symbolically in W and L, that for u = W z and P the
  first column of W^-1 the second polar d_P^2 (sum_a u_a^4 L_a) is u_1^2 (12 L_1 + 8 L_1(P) u_1);
- :func:`double_line_certificates` proves that no second polar cubic d_P^2 Phi (P != 0) is
  l^2 m with l != 0: in each of 9 affine charts it finds cofactors c_i with sum c_i f_i = 1
  (Singular's ``lift`` over QQ) and checks that identity by exact polynomial arithmetic, so the
  result does not rest on trusting a Groebner basis.

:func:`tangent_determinant` is the remark after the lemma: V_5 = U + sl_2 q exactly when q uses
all three p_j.

EXAMPLES::

    sage: from verify.theorem.directness_on_u import curve_equation, pullback_rank
    sage: Phi = curve_equation(); Phi.degree(), pullback_rank(Phi)
    (5, 20)
"""

from __future__ import annotations

from itertools import product

__all__ = ["curve_equation", "pullback_rank", "vertex_polar_identity", "polar_system",
           "double_line_certificates", "tangent_determinant"]


def _forms():
    from sage.all import PolynomialRing, QQ
    R = PolynomialRing(QQ, ["x", "y"])
    x, y = R.gens()
    return R, (x ** 5, y ** 5, (x + y) ** 5)


def curve_equation():
    """Phi in QQ[z1, z2, z3]: the generator of the ideal of the curve (x^5 : y^5 : (x + y)^5),
    by elimination of (x, y)."""
    from sage.all import PolynomialRing, QQ
    A = PolynomialRing(QQ, ["x", "y", "z1", "z2", "z3"])
    x, y, z1, z2, z3 = A.gens()
    ideal = A.ideal([z1 - x ** 5, z2 - y ** 5, z3 - (x + y) ** 5]).elimination_ideal([x, y])
    (phi,) = ideal.gens()
    Z = PolynomialRing(QQ, ["z1", "z2", "z3"])
    return Z(phi) / Z(phi).lc()


def pullback_rank(phi) -> int:
    """Rank over QQ of the pullback of ternary quintics to V_25, H -> H(p); 20 means its kernel is
    the line of the irreducible Phi (which it contains)."""
    from sage.all import QQ, WeightedIntegerVectors, matrix
    R, p = _forms()
    x, y = R.gens()
    if phi(*p) != 0:
        raise ValueError("the quintic does not vanish on the curve (x^5 : y^5 : (x + y)^5)")
    rows = []
    for e in WeightedIntegerVectors(5, [1, 1, 1]):
        h = p[0] ** e[0] * p[1] ** e[1] * p[2] ** e[2]
        rows.append([h.monomial_coefficient(x ** (25 - k) * y ** k) for k in range(26)])
    return matrix(QQ, rows).rank()


def vertex_polar_identity() -> bool:
    """d_P^2 (sum_a u_a^4 L_a) == u_1^2 (12 L_1 + 8 L_1(P) u_1) for u = W z, P = W^-1 e_1, with W
    and the linear forms L_a generic (exact, over QQ(W, L))."""
    from sage.all import FractionField, PolynomialRing, QQ, matrix
    S = PolynomialRing(QQ, [f"w{a}{b}" for a in range(3) for b in range(3)] +
                       [f"L{a}{b}" for a in range(3) for b in range(3)])
    g = S.gens()
    W, L = matrix(S, 3, 3, g[:9]), matrix(S, 3, 3, g[9:])
    K = FractionField(S)
    Z = PolynomialRing(K, ["z1", "z2", "z3"]).gens()
    u = [sum(W[a, b] * Z[b] for b in range(3)) for a in range(3)]
    lin = [sum(L[a, b] * Z[b] for b in range(3)) for a in range(3)]
    psi = sum(u[a] ** 4 * lin[a] for a in range(3))
    P = W.change_ring(K).inverse().column(0)

    def d(F):
        return sum(P[i] * F.derivative(Z[i]) for i in range(3))
    l1_at_p = sum(L[0, b] * P[b] for b in range(3))
    return d(d(psi)) == u[0] ** 2 * (12 * lin[0] + 8 * l1_at_p * u[0])


def polar_system(F):
    """The equations, in QQ[P, l, m] (9 unknowns), of d_P^2 F = l^2 m for a ternary quintic F."""
    from sage.all import PolynomialRing, QQ
    T = PolynomialRing(QQ, ["P0", "P1", "P2", "l0", "l1", "l2", "m0", "m1", "m2"], order="degrevlex")
    g = T.gens()
    Z = PolynomialRing(T, ["z1", "z2", "z3"])
    z = Z.gens()
    F = Z(F(*z))
    P, l, m = g[0:3], g[3:6], g[6:9]

    def d(H):
        return sum(P[i] * H.derivative(z[i]) for i in range(3))
    lin = [sum(c[i] * z[i] for i in range(3)) for c in (l, m)]
    return T, (d(d(F)) - lin[0] ** 2 * lin[1]).coefficients()


def double_line_certificates(F=None) -> list[dict]:
    """For each of the 9 charts covering P != 0, l != 0 (P_i = 1, P_k = 0 for k < i; l_j = 1,
    l_k = 0 for k < j): cofactors with sum c_i f_i = 1 over QQ, and whether that identity
    holds exactly (``verified``).  F defaults to Phi.  A chart where the system has a solution
    has no such cofactors: Sage's ``lift`` raises ValueError there."""
    T, eqs = polar_system(curve_equation() if F is None else F)
    g = T.gens()
    P, l = g[0:3], g[3:6]
    out = []
    for i, j in product(range(3), range(3)):
        gens = list(eqs) + [P[i] - 1, l[j] - 1] + [P[k] for k in range(i)] + [l[k] for k in range(j)]
        cofactors = T(1).lift(T.ideal(gens))
        verified = sum(c * f for c, f in zip(cofactors, gens)) == 1
        out.append({"chart": (i, j), "verified": bool(verified),
                    "max_degree": max(c.degree() for c in cofactors if c != 0)})
    return out


def tangent_determinant():
    """det[p_1, p_2, p_3, H q, E q, F q] in QQ[t1, t2, t3], q = sum t_j p_j, for the basis
    H = x d/dx - y d/dy, E = y d/dx, F = x d/dy of sl_2 (coefficients of x^(5-k) y^k)."""
    from sage.all import PolynomialRing, QQ, matrix
    B = PolynomialRing(QQ, ["t1", "t2", "t3"])
    t = B.gens()
    R = PolynomialRing(B, ["x", "y"])
    x, y = R.gens()
    p = [x ** 5, y ** 5, (x + y) ** 5]
    q = sum(t[j] * p[j] for j in range(3))
    cols = p + [x * q.derivative(x) - y * q.derivative(y), y * q.derivative(x), x * q.derivative(y)]
    return matrix(B, [[c.monomial_coefficient(x ** (5 - k) * y ** k) for c in cols]
                      for k in range(6)]).det()
