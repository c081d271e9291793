"""proofs/converse.md, section 1 (Lemmas I, P, C): the stratified charts, and the
rank-deficient strata of codimension >= 2 that random slices never meet.

Expected values are derived by hand:

* chart counts (section 1, "The charts"): 2,3,1 -> 1 (m = 2; row 2 = (1, b); W_2 = (1, 1, 1));
  4,3,1 -> 2 (m = 3: e_1, e_2, e_3; m = 2: e_1, e_2, (1, b, 0, 0)); 2,2,2 -> 2 (W_2 = I, or
  W_2 = [[1, 1], [0, 0]]); 3,3,2 -> 8 (m = 3, k = 2: column 2 = (1, c) or (c, 1): 2;
  m = 3, k = 1: 1; m = 2, k = 2: T = {0, 2} or {0, 1}, two entry choices each: 4; m = 2,
  k = 1: 1).
* 4,3,1 at W_1 = (e_1, e_2, e_1 + e_2), W_2 = (1, 1, 1) (MATH.md section 7): the image of J
  is span{l_j^(r-1) x_i}; the part in the plane U = span(x_1, x_2) is the binary forms
  l_j^(r-1) U, of dimension min(r + 1, 6) (3 double points on P^1), and x_3, x_4 each add
  span{l_j^(r-1)}, of dimension min(3, r).  Rank min(r+1, 6) + 2 min(3, r) = 7, 10, 11, 12 at
  r = 2..5, against g = 9 (quadrics of rank <= 3: the hypersurface det = 0 in the 10-dim
  space of quadrics), 12, 12, 12 (g = N - H = 12 for r >= 3, Theorem T at r >= 5).
* deep 4,3,1,1, same W_1, W_2 = (1, 1, 1), W_3 = (1): f = q^r with q the shallow output,
  so image J = q^(r-1) * image J_shallow (q lies in span{l_j^r}), multiplication by
  q^(r-1) is injective, and rank and generic rank are the shallow ones: 10 < 12 at r = 3,
  11 < 12 at r = 4.
"""

import random

import pytest

from verify.core.architecture import Architecture
from verify.core.jacobian import jacobian_at
from verify.core.rank import generic_rank, rank_over_QQ
from verify.crit_in_sub.chart import chart_count, chart_dimensions, charts
from verify.crit_in_sub.converse import converse
from verify.core.weights import parse_weights
from verify.sub_in_crit.strata import is_subnetwork

PLANE = [[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0]]


@pytest.mark.parametrize("widths,expected", [("2,3,1", 1), ("4,3,1", 2), ("2,2,2", 2), ("3,3,2", 8)])
def test_stratified_chart_count_by_hand(widths, expected):
    assert len(charts(widths)) == expected
    assert chart_count(widths) >= expected          # before duplicates are removed


def test_rank_deficient_first_layer_is_a_chart_of_its_own():
    cs = charts("4,3,1")
    low = [c for c in cs if c.stratum["rank_W1"] == 2]
    assert len(low) == 1 and low[0].codimension == 2 and len(low[0].free) == 1
    assert low[0].weights([1]) == [PLANE, [[1, 1, 1]]]
    dims = chart_dimensions("4,3,1")
    assert (dims["before"], dims["after"]) == (4, 1)


@pytest.mark.parametrize("r,rank,g", [(2, 7, 9), (3, 10, 12), (4, 11, 12), (5, 12, 12)])
def test_three_rows_in_a_plane_shallow(r, rank, g):
    arch = Architecture.parse("4,3,1")
    W = parse_weights(arch, [PLANE, [[1, 1, 1]]])
    assert not is_subnetwork(arch, W)
    assert rank_over_QQ(arch, r, W) == rank
    assert generic_rank(arch, r).value == g


@pytest.mark.parametrize("r,rank", [(3, 10), (4, 11)])
def test_three_rows_in_a_plane_deep(r, rank):
    arch = Architecture.parse("4,3,1,1")
    W = parse_weights(arch, [PLANE, [[1, 1, 1]], [[1]]])
    assert not is_subnetwork(arch, W)
    assert rank_over_QQ(arch, r, W) == rank < generic_rank(arch, r).value == 12
    out = converse(arch, r)
    assert out["verdict"] == "crit-not-in-sub" and out["crit_in_sub"]["holds"] is False
    assert all(w["verified"] and w["rank"] < 12 for w in out["witnesses"])


@pytest.mark.parametrize("r,verdict", [(2, "crit-not-in-sub"), (3, "crit-not-in-sub"),
                                       (4, "crit-not-in-sub"), (5, "crit-equals-sub")])
def test_converse_sees_codimension_two(r, verdict):
    out = converse("4,3,1", r)
    assert out["verdict"] == verdict
    if verdict == "crit-equals-sub":
        assert out["crit_in_sub"]["coverage"] == "all-codimensions"
        assert out["crit_in_sub"]["certificate"] == "proved-over-Q"


def test_slices_never_prove_crit_in_sub():
    out = converse("3,3,1", 5, method="slice")
    assert out["crit_in_sub"]["holds"] is None and out["verdict"] == "undecided"
    assert "codimensions 1" in out["crit_in_sub"]["coverage"]


@pytest.mark.parametrize("widths,r", [("4,3,1", 3), ("3,3,2", 3), ("2,3,2,1", 2)])
def test_rank_is_invariant_under_the_symmetry_group(widths, r):
    # Lemma I: W_1 -> W_1 B, W_L -> A W_L, neuron scalings and permutations keep rank J and Sub.
    from sage.all import QQ, matrix
    arch = Architecture.parse(widths)
    rng = random.Random(3)
    for chart in charts(arch):
        W = chart.weights([rng.randint(-4, 4) for _ in chart.free], QQ)
        before = (rank_over_QQ(arch, r, W), is_subnetwork(arch, W))
        d, L = arch.widths, arch.depth
        B = matrix(QQ, d[0], d[0], [rng.randint(-3, 3) for _ in range(d[0] ** 2)])
        A = matrix(QQ, d[L], d[L], [rng.randint(-3, 3) for _ in range(d[L] ** 2)])
        if B.det() == 0 or A.det() == 0:
            continue
        M = [matrix(QQ, Wl) for Wl in W]
        M[0] = M[0] * B
        M[-1] = A * M[-1]
        for l in range(1, L):                           # scale every hidden neuron by t
            for i in range(d[l]):
                t = QQ(rng.choice([-2, 3, QQ(1) / 2]))
                M[l - 1][i] = t * M[l - 1][i]
                M[l].set_column(i, t ** (-r) * M[l].column(i))
        perm = list(range(d[1]))
        rng.shuffle(perm)
        M[0] = M[0].matrix_from_rows(perm)
        M[1] = M[1].matrix_from_columns(perm)
        V = parse_weights(arch, [[list(row) for row in m.rows()] for m in M])
        assert (rank_over_QQ(arch, r, V), is_subnetwork(arch, V)) == before


@pytest.mark.parametrize("widths,r,crit_outside_sub", [
    ("2,2,2,1", 2, False), ("2,2,2,1", 3, False), ("3,2,2,1", 2, False),
    ("2,2,2,2", 2, True), ("2,2,2,2", 3, False), ("2,2,3,1", 2, True)])
def test_deep_charts_agree_with_the_first_cover(widths, r, crit_outside_sub):
    # Lemma C3's smaller charts (L = 3) against a second method on an independent cover: the
    # exhaustive search over GF(p) on the normalised cells of Lemma N (proofs/exhaustive.md).
    # 2,2,2,2 at r = 2: W_1 = I, W_2 = [[1, 1], [2, 3]], W_3 = [[1, 1], [0, 0]] has rank 7 < 8
    # (a referee's hand-reduced computation, re-checked here exactly).
    from verify.crit_in_sub.exhaustive import exhaustive_search
    from verify.crit_in_sub.symbolic import symbolic_converse
    sym = symbolic_converse(widths, r, enforce_limits=False)
    assert (sym["details"]["crit_in_sub"] is False) == crit_outside_sub
    assert sym["details"]["crit_in_sub"] is not None
    ex = exhaustive_search(widths, r, None, cover="cells")
    assert bool(ex["witnesses"]) == crit_outside_sub
    if widths == "2,2,2,2" and r == 2:
        arch = Architecture.parse(widths)
        W = parse_weights(arch, [[[1, 0], [0, 1]], [[1, 1], [2, 3]], [[1, 1], [0, 0]]])
        assert rank_over_QQ(arch, r, W) == 7 and not is_subnetwork(arch, W)


def test_lemma_c3_shrinks_the_deep_charts():
    # 2,2,2,1: W_1 = I (m = 2), W_3 = (1, 1) (k = 1): one row class, two column classes, so
    # two entries of W_2 are 1 (a spanning tree) and 2 of its 4 entries remain free.
    assert chart_dimensions("2,2,2,1")["after"] == 2
    assert max(len(c.free) for c in charts("2,2,2,1")) == 2
