"""Proposition Y3 and Corollary Y4 (proofs/converse.md, section 9.1): a last hidden layer of width 2
under d_L >= 2 outputs reduces to the truncated network d' = (d_0, ..., d_{L-2}, 2) (output matrix of
rank 2) and to the single-output network d_1 = (d_0, ..., d_{L-1}, 1) (output matrix of rank 1).

Expected values come from a second route: the rank of the Jacobian of d is compared with the
predictions of Proposition Y3, built from other matrices (J' of d' mapped by (A, B) ->
(a^(r-1) A, b^(r-1) B) and intersected with span{a^r, b^r}^2; the Jacobian of d_1), the generic
ranks with ``proved_generic_rank`` of d and d' separately, the verdicts with the symbolic method
on the whole network, and one witness by hand.
"""

import random

import pytest

from verify.core.architecture import Architecture
from verify.crit_in_sub.common import witness_record
from verify.crit_in_sub.converse import converse
from verify.crit_in_sub.last_layer import (applies, last_layer_converse, last_pair_forms,
                                           output_lift, output_rank_identity, single_output,
                                           truncated)
from verify.crit_in_sub.symbolic import symbolic_converse
from verify.sub_in_crit.strata import is_subnetwork
from verify.sub_in_crit.subnetwork_rank import proved_generic_rank

KINDS = ["random", "rank-one-output", "output-with-zeros", "zero-output-column",
         "proportional-last-rows", "zero-last-row", "duplicate-first-layer", "rank-one-first-layer",
         "diagonal-output"]


def _point(arch, rng, kind, bound=3):
    d, n = arch.widths, arch.widths[-1]
    W = [[[rng.randint(-bound, bound) for _ in range(d[l])] for _ in range(d[l + 1])]
         for l in range(arch.depth)]
    c = [rng.choice([1, -1, 2, 3]) for _ in range(n)]
    w = [rng.choice([1, 2, -1]), rng.choice([1, -2, 5])]
    if kind == "rank-one-output":
        W[-1] = [[ci * wj for wj in w] for ci in c]
    elif kind == "output-with-zeros":
        W[-1] = [[1, 0], [0, rng.choice([2, -3])]] + [[0, rng.randint(-2, 2)] for _ in range(n - 2)]
    elif kind == "zero-output-column":                     # inside Sub (B_{L-1,1}), rank 1
        W[-1] = [[0, ci] for ci in c]
    elif kind == "diagonal-output":
        W[-1] = [[1, 0], [0, 1]] + [[0, 0]] * (n - 2)
    elif kind == "proportional-last-rows":                 # inside Sub, a and b proportional
        W[-2][1] = [2 * v for v in W[-2][0]]
    elif kind == "zero-last-row":                          # inside Sub, b = 0
        W[-2][1] = [0] * d[-3]
    elif kind == "duplicate-first-layer":
        W[0][1] = [3 * v for v in W[0][0]]
    elif kind == "rank-one-first-layer":
        W[0] = [[(i + 1) * v for v in W[0][0]] for i in range(d[1])]
    return W


# the hand example of section 9 (a and b share x^2 + x y + y^2 at r = 3), with output matrices
SHARED = [[[1, 0], [0, 1], [1, 1]], [[1, 0, 1], [0, 1, 1]]]


@pytest.mark.parametrize("arch,r", [("2,2,2,2", 2), ("2,2,2,2", 3), ("2,2,2,2", 4), ("2,3,2,2", 3),
                                    ("2,3,2,2", 4), ("2,2,2,3", 3), ("3,2,2,2", 2),
                                    ("2,2,2,2,2", 2), ("2,3,2,3", 4)])
def test_output_rank_identity_at_structured_points(arch, r):
    """Proposition Y3 (i), (ii): rank J_d = dim(P^2 + E(im J')) + (n - 2) dim P when rank W_L = 2,
    = rank J_{d_1}(theta', w) + (n - 1) dim P when W_L = c w^T, at random and structured points,
    inside Sub too; and rank J_d = rank J' + 2 n - 2 (overlap 2) when rank W_L = 2 and neither of
    a^(r-1), b^(r-1) divides the r-th power of the other."""
    A = Architecture.parse(arch)
    n = A.widths[-1]
    rng = random.Random(13 * r + len(arch))
    seen = set()
    for t in range(2 * len(KINDS)):
        W = _point(A, rng, KINDS[t % len(KINDS)])
        out = output_rank_identity(A, r, W)
        if out["rank_W"] == 0:
            continue
        assert out["rank_d"] == out["predicted"], (W, out)
        if out["rank_W"] == 2 and not out["divides"]:
            assert out["overlap"] == 2 and out["rank_d"] == out["rank_truncated"] + 2 * n - 2, (W, out)
        seen.add((out["rank_W"], out["divides"], is_subnetwork(A, W)))
    assert {rank for rank, _, _ in seen} == {1, 2}
    assert any(div for _, div, _ in seen) and any(sub for _, _, sub in seen)


@pytest.mark.parametrize("r", [3, 4])
def test_shared_factor_points(r):
    """The pair with a common quadratic factor: at r = 3 the rank-2 output keeps rank g
    (a^(r-1) does not divide b^r), while the rank-1 output inherits the rank drop of 2,3,2,1
    (Proposition Y3 (ii)): a critical point of 2,3,2,2 outside Sub (Corollary Y4 (iv))."""
    g = proved_generic_rank("2,3,2,2", r)
    assert g.certificate == "exact"
    two = output_rank_identity("2,3,2,2", r, SHARED + [[[1, 0], [0, 1]]])
    one = output_rank_identity("2,3,2,2", r, SHARED + [[[1, 1], [2, 2]]])
    if r == 3:
        assert two["gcd_degree"] == 2        # e = r - 1: the degree criterion does not apply
    assert not two["divides"] and two["rank_d"] == two["rank_truncated"] + 2 == g.value
    assert one["rank_d"] == one["rank_single"] + 2
    rec = witness_record("2,3,2,2", r, SHARED + [[[1, 1], [2, 2]]], None, g.value)
    if r == 3:
        assert one["rank_single"] == 6 and rec["verified"] and rec["rank"] == 8 < g.value == 10
        # Corollary Y4 (iv) with a zero entry in c: W_L = [[1, 1], [0, 0]] (columns nonzero)
        zero = witness_record("2,3,2,2", r, SHARED + [[[1, 1], [0, 0]]], None, g.value)
        assert zero["verified"] and zero["rank"] == 8
    else:
        assert not rec["critical"]


def test_degree_criterion_excludes_divisibility():
    """The degree form of the hypothesis: (r - 1)(D' - e) > e with a, b != 0 forces a^(r-1) not
    to divide b^r (checked on random and structured pairs)."""
    rng = random.Random(5)
    checked = 0
    for arch, r in [("2,3,2,2", 3), ("2,3,2,2", 4), ("2,4,2,2", 3), ("2,2,2,2", 2), ("3,3,2,2", 3)]:
        A = Architecture.parse(arch)
        Dp = r ** (A.depth - 2)
        for t in range(8):
            W = _point(A, rng, KINDS[t % len(KINDS)], bound=2)
            a, b = last_pair_forms(A, r, W)
            if a == 0 or b == 0:
                continue
            e = a.gcd(b).degree()
            if (r - 1) * (Dp - e) > e:
                assert (b ** r) % (a ** (r - 1)) != 0 and (a ** r) % (b ** (r - 1)) != 0
                checked += 1
    assert checked >= 20


@pytest.mark.parametrize("arch,r", [("2,2,2,2", 2), ("2,2,2,2", 3), ("2,2,2,2", 4), ("2,3,2,2", 3),
                                    ("2,3,2,2", 4), ("2,3,2,2", 5), ("2,2,2,3", 3), ("3,2,2,2", 2),
                                    ("3,3,2,2", 4), ("2,2,2,2,2", 2), ("2,2,2,2,2", 3),
                                    ("2,3,2,3", 4)])
def test_generic_rank_with_outputs(arch, r):
    """Proposition Y3 (iii): g(d) = g(d') + 2 d_L - 2 (both exact, computed separately)."""
    A = Architecture.parse(arch)
    G, Gt = proved_generic_rank(A, r), proved_generic_rank(truncated(A), r)
    assert G.certificate == "exact" and Gt.certificate == "exact"
    assert G.value == Gt.value + 2 * A.widths[-1] - 2


@pytest.mark.parametrize("arch", ["2,2,2,2", "2,3,2,2", "3,2,2,2", "2,2,2,3"])
def test_rank_one_output_is_critical_at_r2(arch):
    """Corollary Y4 (ii): at r = 2 every point with rank W_L = 1 has rank <= g - 1 (in or out of
    Sub), and the method returns such a point outside Sub, re-verified exactly."""
    A = Architecture.parse(arch)
    g = proved_generic_rank(A, 2)
    assert g.certificate == "exact"
    rng = random.Random(2)
    for _ in range(6):
        W = _point(A, rng, "rank-one-output")
        assert output_rank_identity(A, 2, W)["rank_d"] <= g.value - 1
    out = last_layer_converse(A, 2, g.value, proved_generic_rank)
    assert out["details"]["crit_in_sub"] is False and out["certificate"] == "proved-over-Q"
    (w,) = out["witnesses"]
    assert w["verified"] and not w["strata"] and w["rank"] < g.value
    assert applies(A, 2)[0] is False


@pytest.mark.parametrize("arch,r", [("2,2,2,2", 3), ("2,2,2,2", 4), ("2,2,2,3", 3)])
def test_agrees_with_the_symbolic_proof(arch, r):
    """Where the symbolic method runs on the whole network, both prove Crit in Sub."""
    g = proved_generic_rank(arch, r).value
    mine = last_layer_converse(arch, r, g, proved_generic_rank)
    assert mine["details"]["crit_in_sub"] is True and mine["certificate"] == "proved-over-Q"
    assert mine["details"]["generic_rank"] == g
    assert symbolic_converse(arch, r)["details"]["crit_in_sub"] is True


@pytest.mark.parametrize("arch,r", [("3,3,2,2", 3), ("3,3,2,3", 2)])
def test_witnesses_of_the_truncation_lift(arch, r):
    """Corollary Y4 (iii): critical points of d' outside Sub(d') with output rank 2 lift to
    (theta', [[1, 0], [0, 1], 0, ...]), re-verified exactly on d."""
    A = Architecture.parse(arch)
    g = proved_generic_rank(A, r).value
    if r == 2:          # at r = 2 the rank-one witness comes first; check the lift directly
        from verify.crit_in_sub.last_layer import truncated_converse
        Gt = proved_generic_rank(truncated(A), r).value
        part = truncated_converse(truncated(A), r, Gt)
        assert part["holds"] is False and part["witnesses"]
        from verify.crit_in_sub.common import decode_witness
        K, W = decode_witness(truncated(A), part["witnesses"][0])
        rec = witness_record(A, r, output_lift(A, W), K, g)
        assert rec["verified"]
        return
    out = last_layer_converse(A, r, g, proved_generic_rank)
    assert out["details"]["crit_in_sub"] is False and out["witnesses"]
    for w in out["witnesses"]:
        assert w["verified"] and w["rank"] < g and w["weights"][-1][:2] == [[1, 0], [0, 1]]


@pytest.mark.parametrize("arch,r", [("2,3,2,2", 4), ("2,3,2,2", 5), ("3,3,2,2", 4), ("2,3,2,3", 4)])
def test_output_cases_are_proved_by_truncation(arch, r):
    """d_L >= 2 cases: Crit in Sub on all codimensions, proved over QQ, by the last-layer method
    inside ``converse`` auto (Corollary Y4 (i), Lemma Y1 (b))."""
    out = converse(arch, r)
    assert out["crit_in_sub"]["method"] == "last-layer"
    assert out["crit_in_sub"]["holds"] is True
    assert out["crit_in_sub"]["coverage"] == "all-codimensions"
    assert out["crit_in_sub"]["certificate"] == "proved-over-Q"
    assert out["details"]["generic_rank"] == proved_generic_rank(arch, r).value


def test_all_twos_with_outputs_by_truncation():
    """Lemma Y1 (a) with d_L >= 2 and r >= 3, called directly (auto peels these first)."""
    for arch, r in [("2,2,2,2,2", 3), ("3,2,2,2", 3), ("2,2,2,2", 5)]:
        g = proved_generic_rank(arch, r).value
        out = last_layer_converse(arch, r, g, proved_generic_rank)
        assert out["details"]["crit_in_sub"] is True and out["details"]["generic_rank"] == g


def test_applies_with_outputs():
    assert applies("2,3,2,2", 4)[0] and applies("2,2,2,2", 3)[0] and applies("3,3,2,3", 5)[0]
    for arch, r in [("2,2,2,2", 2), ("2,3,2,2", 3), ("2,4,2,2", 5), ("2,3,3,2", 4)]:
        assert applies(arch, r)[0] is False
    assert str(single_output("2,3,2,3")) == "2,3,2,1"
