"""proofs/threshold.md, Proposition S: for d = (2, d_1, 1) the empirical threshold is exactly
2 d_1 - 1.  Expected values come from the hand argument (Lemma P: k double points of P^1
impose min(r + 1, 2k) conditions on binary forms of degree r):

- rank at every point outside Sub = min(r + 1, 2 d_1) = g;
- rank at a generic point of B_{1,i} = min(r + 1, 2 d_1 - 1), so B is critical iff r >= 2 d_1 - 1;
- rank at a generic point of A_{1,i} or C_{1,i,j} = min(r + 1, 2 d_1 - 2), critical iff
  r >= 2 d_1 - 2.

The first test checks these ranks with the exact core only (rank over QQ, certified generic
rank); the second runs the empirical scan (verify.theorem.case.run_case: strata records and the
converse) and checks r_0 = 2 d_1 - 1 and the per-degree pattern."""

import pytest

from verify.core.architecture import Architecture
from verify.core.rank import generic_rank, rank_over_QQ
from verify.theorem.case import empirical_threshold
from verify.core.weights import parse_weights


def _point(d1, kind=None):
    """l_j = x + j y (distinct points), output weights 1; then put it on a stratum."""
    W1 = [[1, j] for j in range(d1)]
    W2 = [[1] * d1]
    if kind == "A":
        W1[0] = [0, 0]
    elif kind == "B":
        W2[0][0] = 0
    elif kind == "C":
        W1[1] = [3, 0]            # proportional to row 0
    return parse_weights(Architecture((2, d1, 1)), [W1, W2])


@pytest.mark.parametrize("d1", [2, 3, 4])
def test_proposition_s_ranks_by_hand(d1):
    a = Architecture((2, d1, 1))
    for r in range(2, 2 * d1 + 2):
        g = generic_rank(a, r, seed=r)
        assert g.certificate == "exact" and g.value == min(r + 1, 2 * d1)
        assert rank_over_QQ(a, r, _point(d1)) == g.value
        rank_B = rank_over_QQ(a, r, _point(d1, "B"))
        assert rank_B == min(r + 1, 2 * d1 - 1)
        assert (rank_B < g.value) == (r >= 2 * d1 - 1)
        for kind in ("A", "C"):
            assert rank_over_QQ(a, r, _point(d1, kind)) == min(r + 1, 2 * d1 - 2)


@pytest.mark.parametrize("d1", [2, 3])
def test_empirical_threshold_of_shallow_network_is_two_d1_minus_one(d1):
    s = empirical_threshold(Architecture((2, d1, 1)), max_degree=2 * d1, seed=0)
    assert s["empirical_threshold"] == 2 * d1 - 1
    assert s["exact_from_below"] is True
    for e in s["per_degree"]:
        r = e["degree"]
        if r >= 2 * d1 - 1:
            assert e["verdict"] == "holds"
        else:
            assert e["verdict"] == "fails"
            expected = {"B_1"} if r == 2 * d1 - 2 else {"A_1", "B_1", "C_1"}
            assert set(e["non_critical_strata"]) == expected
        assert e["crit_in_sub"] is not False          # Crit inside Sub at every r
    assert s["weakest_certificate"] is not None
    assert s["weakest_certificate"] in s["certificate_text"]


@pytest.mark.parametrize("d0", [3, 4])
@pytest.mark.parametrize("r", [2, 3, 4])
def test_proposition_s2_two_neurons_many_inputs(d0, r):
    # proofs/threshold.md, Proposition S2, ranks by hand: g = 2 d_0 - 1 (r = 2) or 2 d_0;
    # B stratum d_0 + 1, A and C strata d_0; so every stratum is critical, and every point
    # outside Sub is equivalent to W_1 = (x_1, x_2), W_2 = (1, 1).
    from verify.crit_in_sub.converse import converse
    arch = Architecture.parse(f"{d0},2,1")
    g = 2 * d0 - 1 if r == 2 else 2 * d0
    e = lambda i: [1 if j == i else 0 for j in range(d0)]
    assert generic_rank(arch, r).value == g
    assert rank_over_QQ(arch, r, parse_weights(arch, [[e(0), e(1)], [[1, 1]]])) == g
    l2 = [1, 2] + [3] * (d0 - 2)
    B = parse_weights(arch, [[e(0), l2], [[1, 0]]])
    A = parse_weights(arch, [[e(0), [0] * d0], [[1, 1]]])
    C = parse_weights(arch, [[e(0), [2] + [0] * (d0 - 1)], [[1, 1]]])
    assert (rank_over_QQ(arch, r, B), rank_over_QQ(arch, r, A), rank_over_QQ(arch, r, C)) == \
        (d0 + 1, d0, d0)
    out = converse(arch, r)
    assert out["verdict"] == "crit-equals-sub" and out["crit_in_sub"]["certificate"] == "proved-over-Q"
