"""Remark G5 (proofs/threshold.md, section 15): a pencil of four r-th powers (r = 7, 8) has a gcd
of degree r - 2 only at one orbit of cross-ratios.  The elimination is checked by two methods it
does not use: the symmetry of the four lines, and an exact pencil built at a root by direct
linear algebra on the coefficients.  At such a pencil Lemma D3 fails for 2,4,3,1 at r = 7, and
the suite's own Jacobian still has the generic rank N - H = 16 there (why the exceptional family
needs its own computation, not a failure).
"""

import functools

import pytest

from verify.core.errors import InputError
from verify.theorem.pencil_codegree import exceptional_cross_ratios, pencil_rank_matrix


@pytest.fixture(scope="module", params=[7, 8])
def exceptional(request):
    return request.param, exceptional_cross_ratios(request.param)


def test_the_roots_are_closed_under_permuting_the_four_lines(exceptional):
    # The lines x, y, x + y, x + t y vanish at X = x / y = 0, inf, -1, -t.  Swapping x and y
    # (X -> 1 / X) sends t to 1 / t; X -> -1 - X swaps 0 and -1 and sends t to 1 - t.  These
    # generate the six cross-ratio substitutions; the normalisation used by the elimination
    # breaks this symmetry, so a wrong elimination would hardly give an invariant set.
    from sage.all import QQbar
    r, result = exceptional
    E = result["polynomial"].expand()
    assert E.degree() == 6 and E.is_squarefree()
    roots = {QQbar(z) for z, _ in E.roots(QQbar)}
    assert len(roots) == 6
    assert {1 / z for z in roots} == roots and {1 - z for z in roots} == roots


def test_every_chart_but_the_first_is_empty(exceptional):
    r, result = exceptional
    assert [c["empty"] for c in result["charts"]] == [False] + [True] * (r - 2)


def test_the_polynomials_are_those_of_the_remark(exceptional):
    # E_7, E_8 as printed in threshold.md; a referee's count over GF(73) (and GF(17), GF(41) at
    # r = 8), enumerating the pencils by linear algebra without psi, found pencils at exactly
    # their roots mod p.
    from sage.all import PolynomialRing, QQ
    t = PolynomialRing(QQ, "t").gen()
    r, result = exceptional
    expected = {7: (t**2 - 6*t + 6) * (t**2 + 4*t + 1) * (6*t**2 - 6*t + 1),
                8: (t**2 - 6*t + 1) * (t**2 + 4*t - 4) * (4*t**2 - 4*t - 1)}[r]
    assert result["polynomial"].expand() == expected.monic()


@functools.lru_cache(maxsize=None)
def _exceptional_pencil(r, e=None, t_value=None):
    """A number field K, t0, g in K[x, y] (degree e, default r - 2) and the four lines, from
    one prime component of the chart g_0 = 1 (at t = t_value when given)."""
    from sage.all import NumberField, PolynomialRing, QQ
    e = r - 2 if e is None else e
    N = pencil_rank_matrix(r, e)
    big = N.base_ring()
    ring = PolynomialRing(QQ, [str(v) for v in big.gens()[:e + 2]], order="degrevlex")
    t, *gs = ring.gens()
    fixed = [] if t_value is None else [t - t_value]
    ideal = ring.ideal([ring(m) for m in N.minors(r - e) if m != 0] + [gs[0] - 1] + fixed)
    ideal = ideal.saturation(ring.ideal([t * (t - 1)]))[0]
    prime = ideal.minimal_associated_primes()[0]
    last = gs[-1]
    (minpoly,) = prime.elimination_ideal([v for v in ring.gens() if v != last]).gens()
    U = PolynomialRing(QQ, "u")
    K = NumberField(U(minpoly.univariate_polynomial()), "u")
    point = prime.change_ring(ring.change_ring(K)).variety()[0]
    R = PolynomialRing(K, ["x", "y"])
    x, y = R.gens()
    t0 = point[ring.change_ring(K)(str(t))]
    g = sum(point[ring.change_ring(K)(str(gs[i]))] * x ** (e - i) * y ** i for i in range(e + 1))
    return K, t0, g, [x, y, x + y, x + t0 * y]


def _coeffs(h, n):
    """The coefficients of a binary form h of degree n, x^n first."""
    x, y = h.parent().gens()
    return [h.monomial_coefficient(x ** (n - i) * y ** i) for i in range(n + 1)]


def _powers_and_multiples(K, g, lines, r):
    """Columns: the coefficients of the l_j^r, and of g x^2, g x y, g y^2 (g of degree r - 2)."""
    from sage.all import matrix
    x, y = g.parent().gens()
    powers = matrix(K, [_coeffs(l ** r, r) for l in lines]).transpose()
    multiples = matrix(K, [_coeffs(g * c, r) for c in (x ** 2, x * y, y ** 2)]).transpose()
    return powers, multiples


def _pencil_dimension(K, g, lines, r):
    """dim(span{l_j^r} meet g V_2) by direct linear algebra on coefficients (g of degree r - 2)."""
    powers, multiples = _powers_and_multiples(K, g, lines, r)
    assert powers.rank() == 4 and multiples.rank() == 3
    return 7 - powers.augment(multiples).rank()


@pytest.mark.parametrize("r", [7, 8])
def test_at_a_root_a_pencil_with_that_gcd_exists_by_direct_linear_algebra(r):
    K, t0, g, lines = _exceptional_pencil(r)
    assert exceptional_cross_ratios(r)["polynomial"].expand()(t0) == 0
    assert _pencil_dimension(K, g, lines, r) == 2      # a pencil with gcd g of degree r - 2


def test_at_r_6_such_pencils_exist_at_every_cross_ratio():
    # Lemma G1's co-degree floor(6 / 3) = 2 is attained for all four lines at r = 6: the
    # elimination returns 0, and at t = 2 (not special for r = 7, 8) a pencil with a gcd of
    # degree 4 is exhibited by direct linear algebra.
    assert exceptional_cross_ratios(6)["polynomial"] == 0
    K, t0, g, lines = _exceptional_pencil(6, t_value=2)
    assert t0 == 2 and _pencil_dimension(K, g, lines, 6) == 2


def test_at_the_exceptional_pencil_d3_fails_but_the_jacobian_keeps_the_generic_rank():
    from sage.all import matrix
    from verify.core.architecture import Architecture
    from verify.core.jacobian import jacobian_at
    r = 7
    K, t0, g, lines = _exceptional_pencil(r)
    x, y = g.parent().gens()
    powers, multiples = _powers_and_multiples(K, g, lines, r)
    kernel = powers.augment(-multiples).right_kernel().basis()
    rows = [kernel[0][:4], kernel[1][:4], (kernel[0] - 3 * kernel[1])[:4]]   # W_2 of rank 2
    qs = [sum(w[j] * lines[j] ** r for j in range(4)) for w in rows]
    # three pairwise non-proportional members of one pencil, gcd g of degree 5: Lemma D3 with
    # n' = 2, c = r, rho = r - 1 needs 2 (floor(7 / 2) + 1) <= 6, false, and indeed
    # (B_a) -> sum_a q_a^6 B_a on (V_7)^3 is not injective
    assert all(matrix(K, [_coeffs(qs[a], r), _coeffs(qs[b], r)]).rank() == 2
               for a, b in ((0, 1), (0, 2), (1, 2)))
    mu = matrix(K, [_coeffs(q ** (r - 1) * x ** (r - i) * y ** i, r * r)
                    for q in qs for i in range(r + 1)]).transpose()
    assert mu.rank() < 3 * (r + 1)
    arch = Architecture.parse("2,4,3,1")
    W1 = [[1, 0], [0, 1], [1, 1], [1, t0]]
    weights = [W1, [list(w) for w in rows], [[1, 2, 5]]]
    # N - H = 23 - 7 = 16, the generic rank (by hand: every hidden neuron's scaling)
    assert jacobian_at(arch, r, weights, ring=K).rank() == 16


def test_bad_input_is_one_line():
    with pytest.raises(InputError, match="r >= 4"):
        exceptional_cross_ratios(3)
    with pytest.raises(InputError, match="e <= r - 2"):
        exceptional_cross_ratios(7, 6)
