"""proofs/catalogue.md and proofs/threshold.md section 11: the catalogue of critical points
outside Sub.  The canonical form must be invariant under the symmetries (checked on points
moved by random permutations, neuron scalings, GL on input and output -- all of which
preserve rank J and Sub) and must separate points with different projective invariants;
families are checked on points built by hand to have the feature."""

import random

import pytest
from sage.all import QQ, matrix

from verify.core.architecture import Architecture
from verify.theorem.witnesses import (FAMILIES, canonical_form, catalogue_entries, catalogue_markdown,
                              classify, power_class_representative)


def _moved(arch, r, W, rng):
    """Apply a random symmetry: GL(d_0) on the input, GL(d_L) on the output, a scaling and a
    permutation of every hidden layer."""
    d = arch.widths
    W = [matrix(QQ, M) for M in W]

    def invertible(n):
        while True:
            B = matrix(QQ, n, n, [rng.randint(-3, 3) for _ in range(n * n)])
            if B.det() != 0:
                return B
    W[0] = W[0] * invertible(d[0])
    W[-1] = invertible(d[-1]) * W[-1]
    for l in arch.hidden_layers:
        for i in range(d[l]):
            t = QQ(rng.choice([1, -1, 2, -3, QQ(1) / 2, QQ(-2) / 5]))
            W[l - 1][i] = t * W[l - 1][i]
            W[l].set_column(i, t ** (-r) * W[l].column(i))
        p = list(range(d[l]))
        rng.shuffle(p)
        W[l - 1] = matrix(QQ, [W[l - 1][i] for i in p])
        W[l] = matrix(QQ, [[row[i] for i in p] for row in W[l].rows()])
    return [[list(row) for row in M.rows()] for M in W]


@pytest.mark.parametrize("arch,r", [("3,3,1", 3), ("2,3,1", 2), ("3,3,2", 3), ("2,3,2,1", 2),
                                    ("3,2,2,2", 3), ("4,3,1", 2)])
def test_canonical_form_is_invariant_under_the_symmetries(arch, r):
    a = Architecture.parse(arch)
    rng = random.Random(hash(arch) % 1000 + r)
    for trial in range(4):
        W = [[[rng.choice([-2, -1, 1, 2, 3]) for _ in range(c)] for _ in range(rows)]
             for rows, c in a.layer_shapes]
        if trial % 2:
            W[0][-1] = [x + y for x, y in zip(W[0][0], W[0][1])]      # dependent first layer
        key = canonical_form(a, r, W)["key"]
        for _ in range(2):
            assert canonical_form(a, r, _moved(a, r, W, rng))["key"] == key


def test_canonical_form_separates_different_cross_ratios():
    """Four points x + t y of P^1 with cross-ratios {0, 1, inf, 2} and {0, 1, inf, 3} are not
    projectively equivalent (not even after permuting them: the six cross-ratios of the
    first are {2, 1/2, -1, ...}, never 3)."""
    a = Architecture.parse("2,4,1")
    pts = lambda t: [[[1, 0], [0, 1], [1, 1], [1, t]], [[1, 1, 1, 1]]]
    assert canonical_form(a, 3, pts(2))["key"] != canonical_form(a, 3, pts(3))["key"]


def test_canonical_form_keeps_output_weights_up_to_rth_powers_only():
    """(x^3 + y^3) and (x^3 + 2 y^3): over QQ, 2 is not a cube, so the two are distinct;
    with r = 2, 4 = 2^2 and (x^2 + 4 y^2) ~ (x^2 + y^2)."""
    a = Architecture.parse("2,2,1")
    W = lambda c: [[[1, 0], [0, 1]], [[1, c]]]
    assert canonical_form(a, 3, W(1))["key"] != canonical_form(a, 3, W(2))["key"]
    assert canonical_form(a, 2, W(1))["key"] == canonical_form(a, 2, W(4))["key"]


def test_power_class_representatives():
    assert power_class_representative(QQ(-24), 3) == 3          # -24 = (-2)^3 * 3
    assert power_class_representative(QQ(-24), 2) == -6         # -24 = 2^2 * (-6)
    assert power_class_representative(QQ(8) / 9, 2) == 2        # 8/9 = (2/3)^2 * 2


def test_families_of_hand_built_points():
    # three collinear first-layer neurons in P^2 (rank 2 < 3), no two proportional
    c = classify(Architecture.parse("3,3,1"), 3, [[[1, 0, 0], [0, 1, 0], [1, 1, 0]], [[1, 1, 1]]])
    assert c["family"] == "rank-deficient-layer" and c["rank_deficient_layers"] == [1]
    # output matrix of rank 1 < 2
    c = classify(Architecture.parse("2,2,2"), 3, [[[1, 0], [0, 1]], [[1, 1], [2, 2]]])
    assert c["family"] == "low-rank-output" and c["output_rank"] == 1
    # layer 2: q_{2,1} = x^2 - y^2 = (x - y)(x + y), q_{2,2} = (x + y)^2: common factor x + y
    c = classify(Architecture.parse("2,3,2,1"), 2,
                 [[[1, 0], [0, 1], [1, 1]], [[1, -1, 0], [0, 0, 1]], [[1, 1]]])
    assert c["family"] == "common-factor" and c["common_factor_degrees"] == {"2": 1}
    # four distinct points on P^1 at r = 2: x^2, y^2, (x+y)^2, (x-y)^2 are dependent (4 > r + 1)
    c = classify(Architecture.parse("2,4,1"), 2, [[[1, 0], [0, 1], [1, 1], [1, -1]], [[1, 1, 1, 1]]])
    assert c["features"] == ["dependent-powers"] and c["dependent_power_layers"] == [1]
    # neuron 1 of layer 2 fed by neuron 2 of layer 1 only: q_{2,1} = y^5 (2,4,2,1 at r = 5)
    W = [[[1, 0], [0, 1], [1, 7], [1, -7]], [[0, 1, 0, 0], [1, 4, -5, 3]], [[1, 1]]]
    c = classify(Architecture.parse("2,4,2,1"), 5, W)
    assert c["family"] == "single-input-neuron" and c["features"] == ["single-input-neuron"]
    W[1][0] = [0, 1, 0, 2]                       # two inputs: not the feature
    assert "single-input-neuron" not in classify(Architecture.parse("2,4,2,1"), 5, W)["features"]


def _record(arch, r, weights, strata=()):
    return {"arch": arch, "degree": r, "converse": {
        "certificate": "proved-over-Q", "method": "symbolic",
        "witnesses": [{"weights": w, "field": "QQ", "minimal_polynomial": None, "rank": 7,
                       "generic_rank": 9, "strata": list(strata), "critical": True,
                       "subnetwork": bool(strata), "verified": not strata} for w in weights]}}


def test_catalogue_deduplicates_up_to_symmetry_and_skips_subnetworks():
    W = [[[1, 0, 0], [0, 1, 0], [1, 1, 0]], [[1, 1, 1]]]
    # neurons 0, 1 swapped, neuron 1 scaled by 2 (its output weight by 2^-3)
    V = [[[0, 2, 0], [1, 0, 0], [1, 1, 0]], [["1/8", 1, 1]]]
    # GL_3 maps its points to those of W, leaving output weights ~ (1, 1/8, 2): 2 is not a cube
    other = [[[1, 0, 0], [0, 1, 0], [1, 2, 0]], [[1, 1, 2]]]
    recs = [_record("3,3,1", 3, [W, V]), _record("3,3,1", 3, [other]),
            _record("3,3,1", 3, [[[[1, 0, 0], [2, 0, 0], [0, 0, 1]], [[1, 1, 1]]]], strata=["C_{1,0,1}"])]
    cat = catalogue_entries(recs)
    assert len(cat) == 2
    assert [e["multiplicity"] for e in cat if e["weights"] == W] == [2]
    assert all(e["family"] == "rank-deficient-layer" for e in cat)
    assert all(e["arch"] == "3,3,1" and e["degree"] == 3 and e["rank"] == 7 for e in cat)
    md = catalogue_markdown(cat)
    assert "## rank-deficient-layer" in md and FAMILIES["rank-deficient-layer"] in md
    assert md.count("| 3,3,1 | 3 |") == len(cat)


def test_r2_orthogonal_family():
    """f = (x^2, y^2 + 2 z^2): neurons 2 and 3 feed only the second output, with columns
    (0, 1) and (0, 2); the rotations of y^2 + 2 z^2 act on rows 2, 3 of W_1."""
    c = classify(Architecture.parse("3,3,2"), 2,
                 [[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 1, 2]]])
    assert c["family"] == "r2-orthogonal"
    c = classify(Architecture.parse("3,3,2"), 3,
                 [[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 1, 2]]])
    assert c["family"] == "new"
