"""proofs/converse.md, Proposition L (exact slicing) and the slicing probability bound.

Expected outcomes from the hand arguments of proofs/converse.md, section 6 (see
tests/test_converse_symbolic.py): for (3, 3, 1) and r = 3 the hypersurface det W_1 = 0
lies in Crit outside Sub, so every random line meets it (in the three roots of a cubic);
for (2, d_1, 1) Crit is inside Sub for every r, and for (3, 3, 1) at r = 5 as well.
"""

import random

import pytest

from verify.core.architecture import Architecture
from verify.crit_in_sub.common import decode_witness, rank_over_number_field
from verify.crit_in_sub.converse import converse
from verify.crit_in_sub.slicing import line_critical_points, miss_bound, slicing_converse
from verify.core.weights import flatten


def test_lines_find_collinear_neurons():
    arch = Architecture.parse("3,3,1")
    out = slicing_converse(arch, 3, lines=1, seed=5)
    assert out["verdict"] == "crit-not-in-sub" and out["certificate"] == "proved-over-Q"
    assert out["details"]["seed"] == 5
    w = out["witnesses"][0]
    assert w["verified"] and w["rank"] == 7 and w["generic_rank"] == 9
    K, W = decode_witness(arch, w)
    from sage.all import matrix
    assert matrix(K, W[0]).det() == 0
    # det W_1(t) is a cubic in t: the witness lives in a field of degree <= 3
    assert K.degree() <= 3


def test_line_through_a_known_critical_point_finds_it_over_QQ():
    arch = Architecture.parse("3,3,1")
    theta0 = flatten([[[1, 0, 0], [0, 1, 0], [2, -3, 0]], [[1, 1, 1]]])
    rng = random.Random(3)
    v = [rng.randint(-20, 20) for _ in theta0]
    out = line_critical_points(arch, 3, 9, theta0, v, 3, rng)
    rational = [w for w in out["witnesses"] if w["field"] == "QQ"]
    assert any(w["weights"] == [[[1, 0, 0], [0, 1, 0], [2, -3, 0]], [[1, 1, 1]]] for w in rational)


@pytest.mark.parametrize("widths,r", [("2,2,1", 3), ("2,3,1", 2), ("2,3,1", 5), ("3,3,1", 5)])
def test_no_witness_where_crit_is_inside_sub(widths, r):
    out = slicing_converse(widths, r, lines=2, seed=1)
    # no witness, and no claim either: slices see codimension 1 only
    assert out["witnesses"] == [] and out["details"]["crit_in_sub"] is None
    assert out["details"]["coverage"].startswith("codimensions 1")
    # 2,3,1 at r = 2 < 2 d_1 - 1: the B strata are not critical (proofs/converse.md, section 6)
    assert out["verdict"] == ("sub-not-in-crit" if (widths, r) == ("2,3,1", 2) else "undecided")
    assert out["certificate"] == "probabilistic"
    d = out["details"]["per_slice_dimension"]["1"]
    assert d["slices"] == 2 and d["outside_sub"] == 0 and d["miss_probability_bound"] < 1e-3


def test_planes_agree_with_the_symbolic_proof():
    # 2,2,2 at r = 3: crit-equals-sub is proved symbolically (second method)
    out = slicing_converse("2,2,2", 3, lines=1, planes=1, seed=2)
    assert out["witnesses"] == []
    d2 = out["details"]["per_slice_dimension"]["2"]
    assert d2["slices"] == 1 and d2["outside_sub"] == 0


def test_same_seed_same_slices():
    a = slicing_converse("2,3,1", 3, lines=1, seed=9)["details"]["per_slice_dimension"]["1"]
    b = slicing_converse("2,3,1", 3, lines=1, seed=9)["details"]["per_slice_dimension"]["1"]
    assert a["gcd_degrees"] == b["gcd_degrees"] and a["points"] == b["points"]


def test_miss_bound_by_hand():
    # 2,2,1, r = 3: g = 4, w - 1 = 3, e = 12; strata A0 A1 B0 B1 (degree 1), C01 (degree 2):
    # F = 6; one line with B = 10: 12 * (1 + 6) / 21 >= 1 -> 1; B = 2^20: 84 / (2^21 + 1).
    arch = Architecture.parse("2,2,1")
    assert miss_bound(arch, 3, 4, 1, 10, 1) == 1.0
    assert miss_bound(arch, 3, 4, 1, 2 ** 20, 1) == pytest.approx(84 / (2 ** 21 + 1))
    assert miss_bound(arch, 3, 4, 1, 2 ** 20, 2) == pytest.approx((84 / (2 ** 21 + 1)) ** 2)


def test_rank_over_number_field_by_restriction_of_scalars():
    from sage.all import QQ, NumberField, matrix
    K = NumberField(QQ["x"]([-2, 0, 1]), "a")
    a = K.gen()
    M = matrix(K, [[1, a, 2], [a, 2, 2 * a], [0, 1, 5]])      # row 2 = a * row 1
    assert rank_over_number_field(M) == 2 == M.rank()
    assert rank_over_number_field(matrix(K, [[a, 1], [1, a / 2]])) == 1


def test_dispatcher_runs_slicing_on_request():
    out = converse("3,3,1", 3, method="slice", lines=1)
    assert out["method"] == "slice" and out["verdict"] == "crit-not-in-sub"
    assert all(w["verified"] for w in out["witnesses"])
