"""Theorem G of proofs/README.md: certified generic ranks, against facts derived
independently of the suite (counting, Alexander-Hirschowitz, products of matrices)."""

import json
from math import comb

import pytest

from conftest import run_cli
from verify.core.architecture import Architecture
from verify.core.rank import generic_rank
from verify.crit_in_sub.exhaustive import exhaustive_search
from verify.sub_in_crit.criticality import classify_point
from verify.sub_in_crit.subnetwork_rank import proved_generic_rank
from verify.theorem.case import run_case


def ah_rank(d0, r, d1):
    """Dimension of the cone over the d1-th secant of the r-th Veronese of P^(d0-1)
    (Alexander-Hirschowitz, with the quadric case computed by hand: symmetric
    matrices of rank <= d1 have dimension d1*d0 - binom(d1, 2))."""
    A = comb(d0 - 1 + r, r)
    if r == 2 and d1 < d0:
        return d1 * d0 - comb(d1, 2)
    if (d0, r, d1) in {(3, 4, 5), (4, 4, 9), (5, 3, 7), (5, 4, 14)}:
        return min(d0 * d1, A) - 1
    return min(d0 * d1, A)


@pytest.mark.parametrize("arch,r", [("2,3,2,1", 4), ("3,2,1", 2), ("2,2,2", 3), ("4,2,3,2", 2),
                                    ("2,5,1", 3), ("3,3,3,3,1", 2), ("1,3,1", 4)])
def test_generic_rank_never_exceeds_expected_dimension(arch, r):
    a = Architecture.parse(arch)
    g = generic_rank(a, r, seed=1)
    assert g.value <= a.expected_dimension(r) == min(a.params - a.hidden, a.ambient(r))
    assert (g.certificate == "exact") == (g.value == a.expected_dimension(r))


@pytest.mark.parametrize("d0,r,d1", [(2, 2, 1), (2, 3, 2), (2, 5, 3), (3, 2, 2), (4, 2, 2),
                                     (4, 2, 3), (3, 3, 3), (3, 4, 4), (3, 4, 5), (5, 3, 7),
                                     (4, 4, 9), (3, 3, 5)])
def test_shallow_single_output_follows_alexander_hirschowitz(d0, r, d1):
    g = generic_rank(Architecture((d0, d1, 1)), r, seed=2)
    assert g.value == ah_rank(d0, r, d1)
    if g.value < g.upper_bound:
        assert g.certificate == "lower-bound" and 0 < g.failure_bound < 1e-3


@pytest.mark.parametrize("arch", ["2,2,2", "3,3,3", "2,2,2,2", "3,3,3,3"])
@pytest.mark.parametrize("r", [2, 3])
def test_equi_width_reaches_expected_dimension(arch, r):
    """Finkel-Rodriguez-Wu-Yahl: equi-width architectures are never defective."""
    g = generic_rank(Architecture.parse(arch), r, seed=3)
    assert g.certificate == "exact"


@pytest.mark.parametrize("arch", ["2,3,2", "3,2,4", "2,3,3,2", "4,3,5", "3,1,3"])
def test_linear_networks_have_the_rank_of_a_matrix_product(arch):
    """r = 1: the image is the d_L x d_0 matrices of rank <= m = min width,
    of dimension m (d_0 + d_L - m)."""
    a = Architecture.parse(arch)
    m = min(a.widths)
    g = generic_rank(a, 1, seed=4)
    assert g.value == m * (a.widths[0] + a.widths[-1] - m)


def test_same_seed_same_certificate():
    a = Architecture.parse("3,2,1")
    assert generic_rank(a, 2, seed=9).as_dict() == generic_rank(a, 2, seed=9).as_dict()


@pytest.mark.parametrize("arch,r,g", [
    # ternary quadrics of rank <= 2: the determinant hypersurface, dimension 6 - 1 = 5
    ("3,2,1", 2, 5),
    # f = P(l_1, l_2) with P a binary quartic of 2,2,2,1 at r = 2: a bundle over Gr(2, 7)
    # (dimension 2 * 5 = 10) with fibre inside the binary quartics (dimension 5): g <= 15
    ("7,2,2,1", 2, 15),
])
def test_every_consumer_of_g_takes_the_proved_upper_bound(arch, r, g):
    # The sampled rank alone stops below min(N - H, A) (lower-bound); the cut and kernel
    # bounds of proofs/strata.md meet it, and the case, the rank and point commands and the
    # exhaustive converse all call g exact, with the value derived by hand above.
    a = Architecture.parse(arch)
    assert generic_rank(a, r).certificate == "lower-bound" and generic_rank(a, r).value == g
    G = proved_generic_rank(a, r)
    assert (G.value, G.certificate, G.failure_bound) == (g, "exact", 0.0) and "Lemmas W" in G.proved_by
    rec = run_case(arch, r, parts=("generic_rank",))["generic_rank"]
    assert (rec["value"], rec["certificate"]) == (g, "exact")
    code, out, err = run_cli("rank", arch, "--degree", str(r), "--json")
    assert code == 0, err
    assert (json.loads(out)["generic_rank"], json.loads(out)["certificate"]) == (g, "exact")
    zero = [[[0] * c for _ in range(rw)] for rw, c in a.layer_shapes]
    assert classify_point(a, r, zero)["generic_rank_certificate"] == "exact"
    if arch == "7,2,2,1":        # 330 points over GF(11)
        d = exhaustive_search(a, r, 11, cover="stratified")["details"]
        assert (d["generic_rank_QQ"], d["generic_rank_QQ_certificate"]) == (g, "exact")
