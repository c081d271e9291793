"""proofs/threshold.md section 14, Proposition Q and Corollary Q1 (proofs/converse.md section 7):
the converse by peeling a first hidden layer of width 2 off.

The rank identity rank J_d([I_2 | 0], theta') = 2 (d_0 - 1) + rank J_F(theta') - (d_0 - 1) z is
checked exactly over QQ with z from a separate forward pass in Sage polynomials; the reduction's
verdicts are compared with the symbolic proof run directly on the unpeeled network (a second
method), and a lifted witness is re-ranked independently."""

import random

import pytest
from conftest import network_outputs

from verify.core.architecture import Architecture
from verify.core.jacobian import jacobian_at
from verify.crit_in_sub.converse import converse
from verify.crit_in_sub.reduction import lift_weights, peeled, reducible, reduction_converse


@pytest.mark.parametrize("arch", ["3,2,3,1", "4,2,2,1", "3,2,2,2"])
@pytest.mark.parametrize("r", [3, 4])
def test_rank_identity_for_any_input_width(arch, r):
    a = Architecture.parse(arch)
    F = peeled(a)
    d0 = a.widths[0]
    rng = random.Random(r * 31 + d0)
    vanishing = 0
    for trial in range(5):
        inner = [[[rng.randint(-3, 3) for _ in range(c)] for _ in range(rows)] for rows, c in F.layer_shapes]
        if trial == 3:
            for row in inner[0]:
                row[1] = 0                                     # dF/dv = 0
        outs, gens = network_outputs(inner, r)
        z = sum(all(p.derivative(g) == 0 for p in outs) for g in gens)
        vanishing += z > 0
        lhs = jacobian_at(a, r, lift_weights(a, inner)).rank()
        rhs = 2 * (d0 - 1) + jacobian_at(F, r, inner).rank() - (d0 - 1) * z
        assert lhs == rhs
    assert vanishing > 0


def test_reducible_only_with_a_width_two_first_layer_and_r_at_least_three():
    assert reducible("2,2,3,1", 3) and reducible("5,2,2,2,1", 7)
    assert not reducible("2,2,3,1", 2)          # r = 2: the exponent classes -1 and 1 coincide
    assert not reducible("2,3,2,1", 4)          # d_1 = 3
    assert not reducible("2,2,1", 4)            # L = 2: nothing to peel
    assert str(peeled("4,2,3,2")) == "2,3,2"


@pytest.mark.parametrize("arch,r", [("2,2,2,1", 3), ("2,2,2,1", 4), ("3,2,2,1", 3), ("2,2,2,2", 3)])
def test_reduction_agrees_with_the_symbolic_proof_on_the_whole_network(arch, r):
    auto = converse(arch, r)
    assert auto["crit_in_sub"]["method"] == "reduction"
    assert auto["crit_in_sub"]["holds"] is True
    assert auto["crit_in_sub"]["certificate"] == "proved-over-Q"
    direct = converse(arch, r, method="symbolic")
    assert direct["crit_in_sub"]["holds"] is True
    assert direct["crit_in_sub"]["coverage"] == auto["crit_in_sub"]["coverage"] == "all-codimensions"


def test_a_witness_of_the_peeled_network_lifts():
    from verify.core.rank import generic_rank
    g = generic_rank(Architecture.parse("2,2,3,3,1"), 4).value
    out = reduction_converse("2,2,3,3,1", 4, g, converse, generic_rank, seed=0)
    assert out is not None and out["details"]["crit_in_sub"] is False
    w = out["witnesses"][0]
    assert w["verified"] and w["critical"] and not w["subnetwork"]
    from verify.crit_in_sub.common import decode_witness
    a = Architecture.parse("2,2,3,3,1")
    K, W = decode_witness(a, w)
    assert W[0] == [[1, 0], [0, 1]]
    assert jacobian_at(a, 4, W).rank() < generic_rank(a, 4).value


def test_no_conclusion_when_the_peeled_network_is_not_of_rank_n_minus_h():
    # 2,3,1 at r = 4 fills its space (g = 5 < N - H = 6): Corollary Q1 does not apply
    from verify.core.rank import generic_rank
    g = generic_rank(Architecture.parse("2,2,3,1"), 4).value
    assert reduction_converse("2,2,3,1", 4, g, converse, generic_rank, seed=0) is None
    assert converse("2,2,3,1", 4)["crit_in_sub"]["method"] != "reduction"


def test_one_sided_points_are_critical_outside_sub():
    """Corollary Q1 (iii): F independent of u.  The hand example of the review: W_2 rows
    (1, 1), (1, -1), (1, 2), (1, -2), W_3 = (2, -2, -1, 1) gives F = -12 v^3 at r = 3 (the
    squares (u + s v)^2 of the four rows satisfy 2 - 2 - 1 + 1 = 0, 2 + 2 - 2 - 2 = 0,
    2 - 2 - 4 + 4 = 0 in the coefficients of u^2, u v, v^2), so z = 1 and rank 5 < g = 6."""
    import verify
    from verify.crit_in_sub.reduction import one_sided_point
    from verify.sub_in_crit.strata import is_subnetwork
    a = Architecture.parse("2,2,4,1")
    W = [[[1, 0], [0, 1]], [[1, 1], [1, -1], [1, 2], [1, -2]], [[2, -2, -1, 1]]]
    outs, (u, v) = network_outputs(W[1:], 3)
    assert outs == [-12 * v ** 3]
    assert not is_subnetwork(a, W)
    assert jacobian_at(a, 3, W).rank() == 5 < verify.generic_rank(a, 3).value == 6
    for arch, r in [("2,2,4,1", 3), ("3,2,5,1", 4), ("2,2,4,2", 3)]:
        b = Architecture.parse(arch)
        P = one_sided_point(b, r)
        outs, (u, v) = network_outputs(P[1:], r)
        assert all(p.derivative(u) == 0 for p in outs) and any(p != 0 for p in outs)
        assert not is_subnetwork(b, P)
        assert jacobian_at(b, r, P).rank() < verify.generic_rank(b, r).value
        out = converse(arch, r)
        assert out["crit_in_sub"]["holds"] is False and out["witnesses"][0]["verified"]
    assert one_sided_point("2,2,3,1", 3) is None          # d_2 = 3 < r + 1 = 4: powers independent


def test_one_sided_witness_family_is_inert_neuron():
    from verify.theorem.witnesses import classify
    W = [[[1, 0], [0, 1]], [[1, 1], [1, -1], [1, 2], [1, -2]], [[2, -2, -1, 1]]]
    assert classify("2,2,4,1", 3, W)["family"] == "inert-neuron"
    # three collinear first-layer neurons of 3,3,1 at r = 3: not inert
    c = classify("3,3,1", 3, [[[1, 0, 0], [0, 1, 0], [1, 1, 0]], [[1, 1, 1]]])
    assert c["family"] == "rank-deficient-layer" and "inert-neuron" not in c["features"]
