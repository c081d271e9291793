"""Lemma W and the quadric bound of proofs/strata.md, section 4: proved upper bounds on the
generic rank g, checked against values derived by hand and against sampled lower bounds."""

import pytest

from verify.core.architecture import Architecture
from verify.core.rank import generic_rank
from verify.sub_in_crit.subnetwork_rank import certified_generic_rank, generic_rank_upper_bound, remove_neuron


@pytest.mark.parametrize("arch,r,hand", [
    # f = lambda q^4, q a binary quartic (2,3,1 fills the 5-dim space): 5 < N - H = 6.
    ("2,3,1,1", 4, 5),
    # layer-2 pre-activations: two binary quartics (10 dims), f = v_1 q_1^4 + v_2 q_2^4 with the
    # v's absorbed by scaling: g <= 10 < min(N - H, A) = min(12, 17).
    ("2,4,2,1", 4, 10),
    # f = G(l_1^3, l_2^3), G a binary cubic (4 dims, 2,3,1 fills them), (l_1, l_2) 6 dims, minus
    # 2 scalings: 8 < N - H = 10.
    ("3,2,3,1", 3, 8),
    # quadrics of rank <= 3 in 5 variables: 3*5 - 3 = 12 < N - H = 15 (Alexander-Hirschowitz, r = 2).
    ("5,3,1", 2, 12),
    ("5,2,1", 2, 9),
    # r = 2, Lemma K2: f = v_1 q_1^2 + v_2 q_2^2 with q_1, q_2 ternary quadrics (3,4,2 fills the
    # 12-dim pairs) is a product of two quadrics (q_1 + i q_2)(q_1 - i q_2): 6 + 6 - 1 = 11,
    # while the cut alone gives 12 and N - H = 16.
    ("3,4,2,1", 2, 11),
    # sums of 3 squares of quaternary linear forms: quadrics of rank <= 3, 4*3 - 3 = 9 (and the
    # orthogonal directions: N - H - binom(3, 2) = 12 - 3 = 9).
    ("4,3,1", 2, 9),
])
def test_cut_bound_by_hand_is_attained(arch, r, hand):
    a = Architecture.parse(arch)
    assert generic_rank_upper_bound(a, r) == hand
    lo, hi, exact, _, _ = certified_generic_rank(a, r)
    assert (lo, hi, exact) == (hand, hand, True)


@pytest.mark.parametrize("arch", ["2,2,2,1", "2,3,2,1", "3,3,3,1", "2,2,2,2,1", "3,2,2,2", "4,3,2,1"])
@pytest.mark.parametrize("r", [2, 3, 4])
def test_cut_bound_never_below_a_sampled_rank(arch, r):
    """A proved upper bound can never be beaten by an exact lower bound (would fail on a
    wrong cut, e.g. subtracting d_m without checking the overlap)."""
    a = Architecture.parse(arch)
    assert generic_rank(a, r, seed=11).value <= generic_rank_upper_bound(a, r, seed=4)
    for l in a.hidden_layers:
        sub = remove_neuron(a, l)
        if sub is not None:
            assert generic_rank(sub, r, seed=12).value <= generic_rank_upper_bound(sub, r, seed=4)


def test_empty_layer_means_zero_rank():
    assert remove_neuron(Architecture.parse("2,1,2,1"), 1) is None
    assert certified_generic_rank(None, 3)[:3] == (0, 0, True)
