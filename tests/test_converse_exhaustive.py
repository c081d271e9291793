"""proofs/exhaustive.md: the exhaustive search over GF(p) finds exactly the GF(p)-points
predicted by hand, lifts its hits to QQ, and refuses the primes where it misleads.

Expected values are derived by hand in proofs/exhaustive.md, section "Test cases"
(shallow networks f = sum_j a_j l_j^r: the tangent space at theta is
sum_{a_j != 0} l_j^(r-1) V_1 + span(l_j^r), V_1 the linear forms), or come from a second
method (Sage's rank, the per-point Jacobian of verify.core.jacobian).
"""

import numpy as np
import pytest

from verify.core.architecture import Architecture
from verify.core.batched_rank import batched_rank_mod_p
from verify.core.errors import InputError
from verify.crit_in_sub.chart import chart_size
from verify.crit_in_sub.exhaustive import (batched_jacobian_mod_p, batched_subnetwork_mask,
                                           exhaustive_search)


def rank_QQ(rows):
    from sage.all import QQ, matrix
    return matrix(QQ, rows).rank()


# --- below the threshold: critical points that are not subnetworks ------------------------

def test_three_inputs_r2_collinear_first_layer_is_critical_not_subnetwork():
    """d = (3,3,1), r = 2: a non-subnetwork point is critical iff W_1 has rank 2 (the three
    points l_j are collinear): then T = U V_1 with dim U = 2 has dimension 2*3 - 1 = 5 < 6.
    In the chart: W_1 = (e_1; e_2; (1, c, 0)), c != 0 (4 choices), W_2 = (1, a, b),
    a, b != 0 (16 choices): 64 points.  Subnetwork but not critical: W_1 = I and W_2 in
    RREF with exactly one zero entry: 3 * 4 = 12 points."""
    res = exhaustive_search(Architecture.parse("3,3,1"), 2, 5, seed=1)
    d = res["details"]
    assert res["method"] == "exhaustive" and res["certificate"] == "exhaustive-GF(p)"
    assert d["points"] == 35072
    assert d["generic_rank_GF(p)"] == 6 == d["generic_rank_QQ"]
    assert d["critical_not_subnetwork"] == 64
    assert d["subnetwork_not_critical"] == 12
    assert res["verdict"] == "crit-not-in-sub"
    assert res["witnesses"] and d["hits_surviving_over_QQ"] == len(res["witnesses"])
    for w in res["witnesses"]:
        W1, W2 = w["weights"]
        assert w["field"] == "QQ" and w["strata"] == [] and w["generic_rank"] == 6
        assert rank_QQ(W1) == 2                                   # collinear
        assert all(rank_QQ([W1[i], W1[j]]) == 2 for i, j in [(0, 1), (0, 2), (1, 2)])
        assert all(a != 0 for a in W2[0])
        assert w["rank"] == 5                                     # 2*3 - 1


def test_rank_one_output_matrix_at_r2_is_critical_not_subnetwork():
    """d = (2,2,2), r = 2: outside Sub, W_1 is invertible (say l_1 = x, l_2 = y) and
    T = (all pairs (c x^2 + c' y^2, e x^2 + e' y^2)) + xy * column space of W_2, so
    rank J = 4 + rank W_2 and the point is critical iff W_2 has rank 1 with both columns
    nonzero.  Chart over GF(5): W_1 = I, W_2 = ((1, c), (0, 0)), c != 0: 4 points."""
    res = exhaustive_search(Architecture.parse("2,2,2"), 2, 5)
    d = res["details"]
    assert d["generic_rank_GF(p)"] == 6
    assert d["critical_not_subnetwork"] == 4 and d["subnetwork_not_critical"] == 0
    assert res["verdict"] == "crit-not-in-sub"
    for w in res["witnesses"]:
        assert w["rank"] == 5 and w["strata"] == [] and rank_QQ(w["weights"][1]) == 1


def test_two_inputs_r2_subnetworks_that_are_not_critical():
    """d = (2,2,1), r = 2 (below r >= 2 d_1 - 1 = 3): every non-subnetwork point has rank
    3 = A (l_1, l_2 span V_1), so Crit is inside Sub; but a disconnected neuron with W_1
    invertible has T = l_1 V_1 + span(l_2^2), dimension 3: not critical.  Chart over GF(5):
    10 * 7 = 70 points, of which W_1 = I with W_2 = (1, 0) or (0, 1) are the 2 such points."""
    res = exhaustive_search(Architecture.parse("2,2,1"), 2, 5)
    d = res["details"]
    assert d["points"] == 70
    assert d["critical_not_subnetwork"] == 0
    assert d["subnetwork_not_critical"] == 2
    assert res["verdict"] == "sub-not-in-crit"
    assert res["witnesses"] == [] and d["subnetwork_not_critical_witnesses"]
    for w in d["subnetwork_not_critical_witnesses"]:
        assert w["rank"] == 3 and w["strata"] and w["strata"][0].startswith("B_")
        assert rank_QQ(w["weights"][0]) == 2


def test_two_inputs_r2_whole_space_counts():
    """Without normalisation, over GF(5): |GL_2(F_5)| = 24 * 20 = 480 invertible W_1;
    non-subnetwork points of rank 3: 480 * 4 * 4; subnetwork points of rank 3: 480 * 2 * 4."""
    res = exhaustive_search(Architecture.parse("2,2,1"), 2, 5, normalise=False)
    d = res["details"]
    assert d["points"] == 5 ** 6
    hist = {(h["rank"], h["subnetwork"]): h["points"] for h in d["rank_histogram"]}
    assert hist[(3, False)] == 480 * 16
    assert hist[(3, True)] == d["subnetwork_not_critical"] == 480 * 8
    assert d["critical_not_subnetwork"] == 0


# --- at the threshold: Crit = Sub -----------------------------------------------------------

def test_two_inputs_r3_critical_points_are_subnetworks():
    """d = (2,2,1), r = 3 = 2 d_1 - 1, p = 11 > r D = 9: non-subnetwork points have
    T = l_1^2 V_1 + l_2^2 V_1 = all binary cubics (rank 4); A, B and C points have rank
    <= 2, 3, 2.  Chart: 16 * 13 = 208 points."""
    res = exhaustive_search(Architecture.parse("2,2,1"), 3, 11)
    d = res["details"]
    assert d["points"] == 208
    assert d["generic_rank_GF(p)"] == 4
    assert d["critical_not_subnetwork"] == 0 and d["subnetwork_not_critical"] == 0
    assert res["verdict"] == "crit-equals-sub" and res["witnesses"] == []
    assert d["warnings"] == []


@pytest.mark.parametrize("arch", ["2,2,2", "2,2,1,1", "2,2,1,2", "2,1,2,1"])
def test_chart_sees_every_rank_type_of_the_whole_space(arch):
    """Lemma N, checked by a second method: over GF(5), the (rank, subnetwork?) pairs
    met on the normalised chart at r = 2 are those met on all of GF(5)^N (deep cases
    included: the hidden layers after the first are normalised by scaling alone)."""
    a = Architecture.parse(arch)
    chart = exhaustive_search(a, 2, 5)["details"]
    whole = exhaustive_search(a, 2, 5, normalise=False)["details"]
    kinds = lambda d: {(h["rank"], h["subnetwork"]) for h in d["rank_histogram"]}
    assert kinds(chart) == kinds(whole)
    assert chart["generic_rank_GF(p)"] == whole["generic_rank_GF(p)"]
    assert chart["points"] < whole["points"] == 5 ** a.params


# --- refusals and warnings ---------------------------------------------------------------------

@pytest.mark.parametrize("arch,r,p,needle", [
    ("2,2,1", 2, 9, "not prime"),
    ("2,2,1", 3, 3, "divides r"),
    ("2,2,2,1", 2, 3, "<= D = 4"),
])
def test_misleading_primes_are_refused(arch, r, p, needle):
    with pytest.raises(InputError, match=needle):
        exhaustive_search(Architecture.parse(arch), r, p)


def test_small_prime_above_D_warns():
    res = exhaustive_search(Architecture.parse("2,2,1"), 3, 5)     # D = 3 < 5 <= r D = 9
    assert any("r * D" in w for w in res["details"]["warnings"])


def test_chart_larger_than_limit_is_refused_with_count_and_limit():
    with pytest.raises(InputError, match="35072 points, above the limit 1000"):
        exhaustive_search(Architecture.parse("3,3,1"), 2, 5, limit=1000)


def test_progress_reports_every_point_and_can_stop_the_search():
    seen = []
    exhaustive_search(Architecture.parse("2,2,1"), 3, 11, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (208, 208)

    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop
    with pytest.raises(Stop):
        exhaustive_search(Architecture.parse("2,2,2"), 2, 5, normalise=False, progress=stop)


# --- the batched kernels against second methods ------------------------------------------------

@pytest.mark.parametrize("p", [2, 3, 7, 101, 4093])
def test_batched_rank_agrees_with_sage(p):
    from sage.all import GF, matrix
    rng = np.random.default_rng(p)
    for m, n in [(6, 8), (6, 6), (8, 4), (3, 5), (1, 4), (4, 1)]:
        A = rng.integers(-1000, 1000, (60, m, n))
        # low-rank products and zero rows make deficient ranks common
        A[:30] = np.einsum("bik,bkj->bij", rng.integers(0, p, (30, m, 2)),
                           rng.integers(0, p, (30, 2, n)))
        A[30:40, 0] = 0
        expected = [matrix(GF(p), a.tolist()).rank() for a in A]
        assert batched_rank_mod_p(A, p).tolist() == expected
        assert batched_rank_mod_p(A.transpose(1, 2, 0), p, batch_last=True).tolist() == expected


@pytest.mark.parametrize("arch,r,p", [("2,3,2,2", 2, 11), ("3,2,2", 3, 5), ("2,2,2,1", 2, 7)])
def test_batched_jacobian_agrees_with_the_pointwise_jacobian(arch, r, p):
    from verify.core.jacobian import ModularArithmetic, evaluation_jacobian, principal_lattice
    from verify.core.weights import unflatten
    a = Architecture.parse(arch)
    theta = np.random.default_rng(0).integers(0, p, (a.params, 20))
    J = batched_jacobian_mod_p(a, r, theta, p)
    pts = principal_lattice(a.widths[0], a.output_degree(r))
    for b in range(theta.shape[1]):
        ref = evaluation_jacobian(a, r, unflatten(a, theta[:, b].tolist()), pts, ModularArithmetic(p))
        assert (J[:, :, b] == ref).all()


def test_batched_subnetwork_mask_agrees_with_strata():
    from sage.all import GF
    from verify.sub_in_crit.strata import is_subnetwork
    from verify.core.weights import unflatten
    a, p = Architecture.parse("3,3,2,2"), 3
    theta = np.random.default_rng(0).integers(0, p, (a.params, 400))
    theta[:3, :100] = 0
    mask = batched_subnetwork_mask(a, theta, p)
    F = GF(p)
    for b in range(theta.shape[1]):
        W = [[[F(v) for v in row] for row in M] for M in unflatten(a, theta[:, b].tolist())]
        assert mask[b] == is_subnetwork(a, W)


def test_chart_sizes_by_hand():
    """2,2,1: W_1 in 1 + 2 + (1 + p + 1) cells-points, W_2 in RREF: p + 2.  3,3,1 over GF(5):
    W_1: 32^2 + 2 * 32 + 7 + 1 = 1096, W_2: 1 + 25 + 5 + 1 = 32."""
    assert chart_size(Architecture.parse("2,2,1"), 5) == 10 * 7
    assert chart_size(Architecture.parse("3,3,1"), 5) == 1096 * 32
    assert chart_size(Architecture.parse("2,2,1"), 5, normalise=False) == 5 ** 6


@pytest.mark.parametrize("widths,r,crit_outside_sub", [
    ("4,3,1", 3, True), ("4,3,1", 5, False), ("3,3,1", 4, True), ("2,2,2", 2, True),
    ("2,2,2", 3, False), ("2,3,1", 4, False)])
def test_stratified_cover_agrees_with_the_symbolic_proof(widths, r, crit_outside_sub):
    # second method: the symbolic proof over QQ on the same stratified charts decides each case
    # (and the hand arguments of proofs/converse.md, section 6 and MATH.md section 7 agree)
    from verify.crit_in_sub.symbolic import symbolic_converse
    assert (symbolic_converse(widths, r)["details"]["crit_in_sub"] is False) == crit_outside_sub
    out = exhaustive_search(widths, r, None, cover="stratified")
    assert (out["details"]["critical_not_subnetwork"] > 0) == crit_outside_sub
    assert bool(out["witnesses"]) == crit_outside_sub
    assert out["details"]["cover"] == "stratified"


def test_search_primes_see_cube_and_fourth_roots_and_r_th_roots():
    # proofs/exhaustive.md, section 4: the cheapest set of primes above r D (else above D), each
    # >= 11, such that some p is 1 mod 3, some 1 mod 4 and (r > 2) some 1 mod r.  By hand:
    # 2,2,1 at r = 3 (L = 2: the cells do not depend on p): above 9, 11 is 2 mod 3 and 3 mod 4,
    # 13 is 1 mod 3 and 1 mod 4, and every pair has a prime >= 17: [13].
    # 2,2,2,1 at r = 4: above 64, 73 = 1 + 8 * 9 is 1 mod 3 and 1 mod 4 (67, 71 are 3 mod 4; the
    # next prime 1 mod 4 is 89, with as many classes mod 4th powers and more points): [73].
    # 2,2,2,1 at r = 8: above 512 the cheapest set has 521 (1 mod 8, 8 classes: about 6 * 8 *
    # 521^2 = 13 million points), over the limit, so above D = 64: 73 is 1 mod 3, 4 and 8: [73].
    from verify.crit_in_sub.exhaustive import prime_class, search_primes
    assert search_primes("2,2,1", 3) == [13]
    assert search_primes("2,2,2,1", 4) == [73]
    assert search_primes("2,2,2,1", 8) == [73]
    assert prime_class(13, 3) == "13 = 1 mod 3, 1 mod 4: has cube roots of unity, i (4th roots of unity)"
    assert "lacks cube roots of unity" in prime_class(17, 4)
    for arch, r in [("2,2,2,1", 3), ("2,2,2,1", 5), ("4,4,2", 5), ("2,2,3,1", 3)]:
        primes = search_primes(arch, r)
        assert all(p >= 11 and r % p for p in primes)
        assert all(any((p - 1) % n == 0 for p in primes) for n in {3, 4, r} - {2})


def test_the_converse_searches_over_every_search_prime():
    # 4,4,2 at r = 5 (D = 5): the primes are {11 (1 mod 5), 13 (1 mod 3, 1 mod 4)}; GF(7) yielded
    # hits that lift to exact witnesses over QQ; the search over both primes still does.
    from verify.crit_in_sub.converse import converse
    from verify.crit_in_sub.exhaustive import search_primes
    assert search_primes("4,4,2", 5) == [11, 13]
    out = converse("4,4,2", 5, method="exhaustive")
    assert out["method"] == "exhaustive" and out["details"]["primes"] == [11, 13]
    assert [c.split(" = ")[0] for c in out["details"]["prime_classes"]] == ["11", "13"]
    assert out["certificate"] == "proved-over-Q"          # a witness is a proof
    assert out["verdict"] == "crit-not-in-sub" and out["witnesses"]
    assert all(w["verified"] for w in out["witnesses"])


def test_the_converse_refuses_a_prime_below_the_smallest_search_prime():
    from verify.crit_in_sub.converse import converse
    with pytest.raises(InputError, match="smallest prime"):
        converse("2,2,2,1", 3, method="exhaustive", prime=7)


def test_an_explicit_exhaustive_request_may_search_further():
    # 2,2,3,1 at r = 4: above r D = 64 no set of primes fits auto's limit; above D = 16 the
    # cheapest set is {17 (1 mod 4), 19 (1 mod 3)}, over auto's limit, under the search's
    from verify.crit_in_sub.exhaustive import DEFAULT_LIMIT, search_primes
    assert search_primes("2,2,3,1", 4) is None
    assert search_primes("2,2,3,1", 4, fallback_limit=DEFAULT_LIMIT) == [17, 19]
