"""Lemma U5 (proofs/threshold.md, section 15): for W in GL_3 the nine forms q_a^4 p_j are
independent, i.e. Conjecture D5 holds for coefficients B_a in U.  The computer part of its proof
(verify/theorem/directness_on_u.py) is checked here, with controls that make each check able to
fail, and the conclusion is compared with exact ranks at structured W (a second route)."""

import pytest
from sage.all import QQ, PolynomialRing, matrix

from verify.theorem.directness_on_u import (curve_equation, double_line_certificates,
                                            polar_system, pullback_rank, tangent_determinant,
                                            vertex_polar_identity)


def test_the_curve_equation_and_the_pullback_kernel():
    phi = curve_equation()
    assert phi.degree() == 5 and phi.is_homogeneous() and len(phi.factor()) == 1
    # 21 ternary quintics; the 6 nodes of the rational quintic impose independent conditions on
    # V_25 (26 - 6 = 20, proofs/threshold.md): so the kernel of the pullback is the line of Phi
    assert pullback_rank(phi) == 20


def test_the_vertex_polar_identity():
    assert vertex_polar_identity()


def test_no_second_polar_of_phi_contains_a_double_line():
    certs = double_line_certificates()
    assert len(certs) == 9 and all(c["verified"] for c in certs)


def test_the_polar_system_has_solutions_for_a_quintic_of_the_excluded_form():
    # control: Psi0 = z1^4 (z1 + z2) + z2^4 z3 + z3^4 (z1 - z2) is sum u_a^4 L_a with u = z, so
    # by the vertex identity P = (1, 0, 0), l = z1 solve its system: the certificate must fail
    Z = PolynomialRing(QQ, ["z1", "z2", "z3"])
    z1, z2, z3 = Z.gens()
    psi0 = z1 ** 4 * (z1 + z2) + z2 ** 4 * z3 + z3 ** 4 * (z1 - z2)
    T, eqs = polar_system(psi0)
    P0, l0 = T.gens()[0], T.gens()[3]
    assert T.ideal(list(eqs) + [P0 - 1, l0 - 1]).dimension() >= 0
    with pytest.raises(ValueError):
        double_line_certificates(psi0)


def _nine_forms_rank(W):
    R = PolynomialRing(QQ, ["x", "y"])
    x, y = R.gens()
    p = [x ** 5, y ** 5, (x + y) ** 5]
    q = [sum(W[a][j] * p[j] for j in range(3)) for a in range(3)]
    cols = [q[a] ** 4 * p[j] for a in range(3) for j in range(3)]
    return matrix(QQ, [[c.monomial_coefficient(x ** (25 - k) * y ** k) for c in cols]
                       for k in range(26)]).rank()


@pytest.mark.parametrize("W", [
    [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    [[0, 1, 1], [1, 0, 1], [1, 1, 0]],
    [[1, -1, 0], [0, 1, -1], [1, 1, 1]],
    [[1, 2, 3], [4, 5, 6], [7, 8, 10]],
    [[3, -7, 2], [5, 1, -4], [-2, 9, 11]],
])
def test_the_conclusion_by_exact_rank_at_structured_points(W):
    assert _nine_forms_rank(W) == 9


def test_the_conclusion_fails_off_gl3():
    # two equal rows: q_1^4 p_j = q_2^4 p_j, so at most 6 independent forms
    assert _nine_forms_rank([[1, 2, 3], [1, 2, 3], [0, 1, 5]]) <= 6


def test_the_tangent_determinant_vanishes_exactly_when_q_misses_a_power():
    # when t_j = 0, q lies in span(l_a^5, l_b^5) and the element of sl_2 fixing the zeros of l_a
    # and l_b maps q into U: the determinant is divisible by t1 t2 t3, and it has degree 3
    det = tangent_determinant()
    t1, t2, t3 = det.parent().gens()
    c = det // (t1 * t2 * t3)
    assert det == c * t1 * t2 * t3 and c.is_constant() and c != 0


@pytest.mark.parametrize("W,w", [([[1, 2, 3], [4, 5, 6], [7, 8, 10]], [1, 2, 3]),
                                 ([[3, -7, 2], [5, 1, -4], [-2, 9, 11]], [1, -1, 5])])
def test_the_sl2_form_of_the_width_3_condition(W, w):
    # proofs/converse.md 9.2: K_w meets im J' in 0 iff the columns w_a q_a^4 l_j^5 and
    # l_j^4 m_j G_j (m = y, x, x) are independent; they span span{q_a^4 p_j} + sl_2 f
    R = PolynomialRing(QQ, ["x", "y"])
    x, y = R.gens()
    l = [x, y, x + y]
    q = [sum(W[a][j] * l[j] ** 5 for j in range(3)) for a in range(3)]
    f = sum(w[a] * q[a] ** 5 for a in range(3))
    G = [sum(w[a] * W[a][j] * q[a] ** 4 for a in range(3)) for j in range(3)]
    nine = [w[a] * q[a] ** 4 * l[j] ** 5 for a in range(3) for j in range(3)]
    old = nine + [l[0] ** 4 * y * G[0], l[1] ** 4 * x * G[1], l[2] ** 4 * x * G[2]]
    sl2 = [x * f.derivative(x) - y * f.derivative(y), y * f.derivative(x), x * f.derivative(y)]

    def rank(cols):
        return matrix(QQ, [[c.monomial_coefficient(x ** (25 - k) * y ** k) for c in cols]
                           for k in range(26)]).rank()
    assert rank(old) == rank(nine + sl2) == rank(old + sl2) == 12
