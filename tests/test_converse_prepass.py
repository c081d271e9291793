"""proofs/converse.md, section 7: the structured pre-pass.  Its structured points have the
structure their labels name, and the structures decide cases the charts of W_1 and W_L
alone do not see, with ranks derived by hand (Lemma B1 of proofs/threshold.md)."""

import pytest
from sage.all import QQ, matrix

from verify.core.architecture import Architecture
from verify.core.jacobian import coefficient_jacobian
from verify.core.rank import rank_over_QQ
from verify.core.weights import parse_weights
from verify.crit_in_sub.converse import converse
from verify.crit_in_sub.prepass import structured_points, structured_prepass
from verify.sub_in_crit.strata import is_subnetwork


def _labelled(arch, prefix):
    return [(label, W) for label, W in structured_points(arch) if label.startswith(prefix)]


@pytest.mark.parametrize("arch", ["2,3,3,2", "3,4,3,1", "2,3,4,3,2", "2,4,4,4,1"])
def test_every_structured_point_has_the_structure_its_label_names(arch):
    a = Architecture.parse(arch)
    d, L = a.widths, a.depth
    ranked = _labelled(a, "rank(W_")
    assert ranked, "the architecture has a deep layer of at least 3 x 3"
    for label, W in ranked:
        l = int(label[len("rank(W_"):].split(")")[0])
        assert matrix(QQ, W[l - 1]).rank() == 2, label      # a deep rank-2 incoming matrix
        if f"rank(W_{L}) = 1" in label:
            assert matrix(QQ, W[L - 1]).rank() == 1, label
    for label, W in _labelled(a, "W_"):                      # two equal columns
        l = int(label[2:].split(" ")[0])
        assert all(row[0] == row[1] for row in W[l - 1]), label
    copies = [(label, W) for label, W in structured_points(a) if " copies " in label]
    assert len(copies) == (L - 2) + sum(1 for l in range(2, L) if min(d[l], d[l - 1]) >= 3)
    for label, W in copies:
        l = int(label.split(" copies ")[0].split()[-1])
        assert sum(1 for v in W[l - 1][0] if v != 0) == 1 and d[l - 1] >= 2, label


@pytest.mark.parametrize("arch,r,g,critical", [
    ("2,3,3,2", 4, 15, True), ("2,3,3,2", 5, 15, False),
    ("3,3,3,2", 4, 18, True), ("2,3,3,3", 4, 18, True)])
def test_a_rank_two_last_hidden_layer_under_a_rank_one_output(arch, r, g, critical):
    # By hand: the three pre-activations q_j = s_j U + t_j V of the last hidden layer are three
    # points of P^1 in (U, V); the six forms q_j^(r-1) U, q_j^(r-1) V lie in the binary forms
    # of degree r in (U, V), of dimension r + 1: for r = 4 (< 2 * 3 - 1, Lemma B1) they satisfy
    # one linear relation, which moves the three rows inside span(U, V) without changing f when
    # every output sees the three neurons alike (rank W_L = 1): rank J = g - 1.  At r = 5 the six
    # forms are independent and the rank is g.  g = N - H here (min(N - H, A) by hand).
    a = Architecture.parse(arch)
    assert g == a.params - a.hidden <= a.ambient(r)
    ((label, W),) = _labelled(a, f"rank(W_{a.depth - 1}) = 2, rank(W_{a.depth}) = 1")
    W = parse_weights(a, W)
    assert not is_subnetwork(a, W)
    assert rank_over_QQ(a, r, W) == (g - 1 if critical else g)
    found = [w for w in structured_prepass(a, r, g)["witnesses"] if w["label"] == label]
    assert bool(found) == critical and all(w["verified"] and w["rank"] == g - 1 for w in found)


def test_the_pre_pass_decides_a_case_the_charts_alone_left_open():
    # 2,3,3,2 at r = 4: every stratified chart of W_1 and W_L is generic in W_2, so their
    # points have rank g; the rank-2 W_2 under a rank-1 W_3 is a witness, and the converse
    # stops at the pre-pass with Crit not in Sub (before: slices, undecided).
    out = converse("2,3,3,2", 4)
    assert out["verdict"] == "crit-not-in-sub" and out["crit_in_sub"]["method"] == "prepass"
    assert {w["label"] for w in out["witnesses"]} == {"rank(W_2) = 2, rank(W_3) = 1"}


@pytest.mark.parametrize("arch,prefix,r,g,rank", [
    # 2,4,2,1: the first layer-2 neuron fed by one layer-1 neuron
    ("2,4,2,1", "neuron 1 of layer 2 copies", 5, 12, 11),
    ("2,4,2,1", "neuron 1 of layer 2 copies", 6, 12, 12),
    # 2,4,3,1: three layer-2 pre-activations in the span of a random form and a pure power
    # l_1^r (one of them that power).  Found by the atlas: 2,4,3,1 at r = 5 was the one case
    # below the conjecture of proofs/threshold.md section 12 (threshold 6) nothing decided.
    ("2,4,3,1", "rank(W_2) = 2, neuron 1 of layer 2 copies", 5, 16, 15),
    ("2,4,3,1", "rank(W_2) = 2, neuron 1 of layer 2 copies", 6, 16, 16)])
def test_a_neuron_fed_by_one_neuron(arch, prefix, r, g, rank):
    # g = N - H (by hand, below the output dimension); the rank at the structured point by two
    # exact routes (the principal-lattice Jacobian over ZZ and the coefficient Jacobian over
    # QQ); the pre-pass reports the point exactly when it is critical.
    a = Architecture.parse(arch)
    assert g == a.params - a.hidden <= a.ambient(r)
    ((label, W),) = _labelled(a, prefix)
    W = parse_weights(a, W)
    assert not is_subnetwork(a, W)
    assert rank_over_QQ(a, r, W) == coefficient_jacobian(a, r, W, QQ).rank() == rank
    found = [w for w in structured_prepass(a, r, g)["witnesses"] if w["label"] == label]
    assert bool(found) == (rank < g)
