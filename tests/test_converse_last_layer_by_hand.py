"""Lemma Y5, Lemma Y7 and Theorem Y6 (proofs/converse.md, section 9.2): the truncated network's
hypothesis by hand.  Checked against Theorem S on the output-rank-2 charts (a second method), at
structured points chosen where the proof's case analysis is tight (all columns of W_2 but one
parallel, harmonic and equianharmonic first-layer rows), and for sharpness: at r = 2k - 3 the
proof's own construction (W_2's rows spanning the relation space R) gives a critical point."""

import pytest
from sage.all import QQ, PolynomialRing, matrix

from verify.core.architecture import Architecture
from verify.core.jacobian import coefficient_jacobian
from verify.crit_in_sub.common import witness_record
from verify.crit_in_sub.converse import converse
from verify.crit_in_sub.last_layer import applies, truncated_converse
from verify.sub_in_crit.strata import is_subnetwork
from verify.sub_in_crit.subnetwork_rank import proved_generic_rank


def _rank(arch, r, W):
    return int(coefficient_jacobian(Architecture.parse(arch), r, W, QQ).rank())


# Lemma Y5 (L' = 2) and Y7 (deeper) against Theorem S on the output-rank-2 charts of d':
# every chart proved (no critical point outside Sub of output rank 2), as the lemmas say.
@pytest.mark.parametrize("inner,r", [("2,2,2", 2), ("2,2,2", 3), ("2,3,2", 4), ("2,3,2", 5),
                                     ("3,3,2", 4), ("2,2,2,2", 2)])
def test_lemma_y5_agrees_with_theorem_s_on_the_charts(inner, r):
    g = proved_generic_rank(inner, r).value
    a = Architecture.parse(inner)
    assert g == a.params - a.hidden                 # g(d') = N' - H' (Lemma Y5 / Y7)
    out = truncated_converse(inner, r, g)
    assert out["holds"] is True, out


FIRST_LAYERS = {  # pairwise non-proportional rows; cross-ratios -1 (harmonic), 2, and a cube root
    2: [[[1, 0], [0, 1], [1, 1], [1, -1]], [[1, 0], [0, 1], [1, 1], [1, 2]],
        [[1, 0], [0, 1], [1, 1], [1, -1], [1, 2]]],
    3: [[[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, -1, 0]]],
}


def _structured_outputs(k):
    """2 x k output matrices of rank 2 without zero columns, the tight case of Lemma Y5's proof
    (all columns but one parallel), and one with two parallel pairs."""
    yield [[1] * k, [1] * (k - 1) + [2]]
    yield [[1] * (k - 1) + [0], [2] * (k - 1) + [1]]
    yield [[1, 2] * (k // 2) + [1] * (k % 2), [1, 3] * (k // 2) + [2] * (k % 2)]


@pytest.mark.parametrize("d0,k,r", [(2, 4, 6), (2, 5, 8), (3, 4, 6), (2, 4, 7)])
def test_lemma_y5_at_structured_points(d0, k, r):
    arch = f"{d0},{k},2"
    A = Architecture.parse(arch)
    for W1 in FIRST_LAYERS[d0]:
        if len(W1) != k:
            continue
        for W2 in _structured_outputs(k):
            W = [W1, W2]
            assert not is_subnetwork(A, W) and matrix(QQ, W2).rank() == 2
            assert _rank(arch, r, W) == A.params - A.hidden     # kernel = the k scalings


def _relation_space_point(k, r, W1):
    """Lemma Y5's sharpness construction for d_0 = 2: R = {(c_j) in V_1^k : sum l_j^(r-1) c_j = 0},
    projected by pi_j(c) = the coefficient of c along l_j^perp's complement; when dim R >= 2, W_2
    with rows a basis of the projections puts mu = (1, ..., 1) in M_W, a kernel vector beyond the
    scalings."""
    P = PolynomialRing(QQ, "x,y")
    x, y = P.gens()
    ls = [a * x + b * y for a, b in W1]
    cols = []                                       # the map V_1^k -> V_r in the monomial basis
    for l in ls:
        for m in (x, y):
            f = l ** (r - 1) * m
            cols.append([f.monomial_coefficient(x ** (r - i) * y ** i) for i in range(r + 1)])
    R = matrix(QQ, cols).transpose().right_kernel().basis_matrix()
    rows = []
    for rho in R.rows():
        proj = []
        for j, (a, b) in enumerate(W1):
            cx, cy = rho[2 * j], rho[2 * j + 1]     # c_j = cx x + cy y; pi_j = det with (a, b)
            proj.append(a * cy - b * cx)
        rows.append(proj)
    return matrix(QQ, rows)


def test_the_construction_at_k3_r3_is_not_critical():
    # k = 3, r = 3 = 2k - 3: dim R = 2 and the construction applies, but 2,3,2 fills its space
    # there (g = 8 < N' - H' = 9), so the kernel vector beyond the scalings costs no rank: the
    # hypothesis of Corollary Y2 holds at k = 3 (what fails at r = 3 is Lemma Y1's gcd bound)
    W1 = [[1, 0], [0, 1], [1, 1]]
    Rbar = _relation_space_point(3, 3, W1)
    assert Rbar.nrows() == 2
    W2 = [list(row) for row in Rbar.echelon_form().rows()]
    A = Architecture.parse("2,3,2")
    assert not is_subnetwork(A, [W1, W2]) and matrix(QQ, W2).rank() == 2
    assert proved_generic_rank("2,3,2", 3).value == 8 == _rank("2,3,2", 3, [W1, W2])


def test_lemma_y5_fails_at_2k_minus_3_for_k5():
    # k = 5, r = 7: the same construction (dim R = 10 - 8 = 2) gives rank < g = N' - H' = 15
    W1 = [[1, 0], [0, 1], [1, 1], [1, -1], [1, 2]]
    Rbar = _relation_space_point(5, 7, W1)
    assert Rbar.nrows() == 2
    W2 = [list(row) for row in Rbar.echelon_form().rows()]
    A = Architecture.parse("2,5,2")
    assert not is_subnetwork(A, [W1, W2]) and matrix(QQ, W2).rank() == 2
    g = proved_generic_rank("2,5,2", 7).value
    assert g == A.params - A.hidden == 15 and _rank("2,5,2", 7, [W1, W2]) < g


def test_lemma_y5_is_sharp_at_2k_minus_3():
    k, r = 4, 5
    W1 = [[1, 0], [0, 1], [1, 1], [1, -1]]
    Rbar = _relation_space_point(k, r, W1)
    assert Rbar.nrows() == 2 * k - (r + 1) == 2     # dim R by Lemma P
    W2 = [[int(v) if v.denominator() == 1 else v for v in row] for row in Rbar.echelon_form().rows()]
    arch = "2,4,2"
    A = Architecture.parse(arch)
    assert matrix(QQ, W2).rank() == 2 and not is_subnetwork(A, [W1, W2])
    g = proved_generic_rank(arch, r).value
    assert g == A.params - A.hidden == 12
    assert _rank(arch, r, [W1, W2]) < g
    # ... and at r = 2k - 2 the same construction has dim R = 1 < 2: nothing to build
    assert _relation_space_point(k, 6, W1).nrows() == 1
    # Corollary Y2 (ii): the point lifts to a critical point of 2,4,2,1 outside Sub at r = 5
    rec = witness_record(Architecture.parse("2,4,2,1"), r, [W1, W2, [[1, 1]]], None,
                         proved_generic_rank("2,4,2,1", r).value)
    assert rec["verified"] and rec["critical"] and not rec["subnetwork"]
    assert applies("2,4,2,1", 5)[0] is False and applies("2,4,2,1", 6)[0] is True


@pytest.mark.parametrize("arch,r", [("2,4,2,1", 6), ("2,4,2,2", 6), ("2,3,2,2,1", 4),
                                    ("2,2,2,2,2,1", 2), ("3,4,2,1", 6)])
def test_theorem_y6_decides_cases_past_the_charts(arch, r):
    out = converse(arch, r)
    block = out["crit_in_sub"]
    assert block["method"] == "last-layer" and block["holds"] is True
    assert block["coverage"] == "all-codimensions" and "Theorem Y6" in block["statement"]


def test_theorem_y6_at_structured_points_of_the_whole_network():
    # 2,4,2,1 at r = 6 outside Sub: rank g at points built like the tight cases above, with
    # w = (1, 1) and w = (1, -1) (Proposition Y's K_w then sees the pair's gcd, if any)
    arch, r = "2,4,2,1", 6
    A = Architecture.parse(arch)
    g = proved_generic_rank(arch, r).value
    for W1 in FIRST_LAYERS[2][:2]:
        for W2 in _structured_outputs(4):
            for w in ([1, 1], [1, -1]):
                W = [W1, W2, [w]]
                assert not is_subnetwork(A, W)
                assert _rank(arch, r, W) == g
