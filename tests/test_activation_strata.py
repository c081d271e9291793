"""proofs/activations.md, sections 4-5: the strata of Sub for a general activation s and the
rank of J at the generic point of each (Lemmas M1, L, K1, I; Theorem K), checked against hand
derivations and second methods (the monomial suite through Remark B, exact ranks over QQ at
hand-chosen points, the exact Jacobian over GF(p) at the full principal lattice)."""

import random

import pytest

from verify.core.activation import Activation
from verify.core.architecture import Architecture
from verify.core.errors import InputError


def _ranks(recs):
    return {(r["layer"], r["kind"]): (r["rank_on_stratum"], r["critical"]) for r in recs}


def test_hand_ranks_221_t2_plus_t():
    # 2,2,1, s = t^2 + t, f = c1 s(l1) + c2 s(l2), g = 5 (section 7, Example 1).
    # A (w1 = 0): tangents s(0) = 0 (dc1), c1 s'(0) x = x, y (dw1), s(l2), c2 s'(l2) x, y (dw2);
    #   at l2 = x: x, y, x^2 + x, 2x^2 + x, 2xy + y -> span {x, y, x^2, xy}: rank 4.
    # B (c1 = 0): s(l1), s(l2), s'(l2) x, s'(l2) y; at l1 = y, l2 = x:
    #   y^2 + y, x^2 + x, 2x^2 + x, 2xy + y: independent (y^2, xy occur once): rank 4.
    # C (w1 = w2): f = (c1 + c2) s(l): span {s(l), s'(l) x, s'(l) y}, l = x: rank 3.
    # GL(2) on the inputs and c_i != 0 make these the generic points of the strata.
    from verify.sub_in_crit.general_strata import general_strata_records
    recs = general_strata_records("2,2,1", "t^2 + t")
    assert _ranks(recs) == {(1, "A"): (4, True), (1, "B"): (4, True), (1, "C"): (3, True)}
    assert all(r["generic_rank"] == 5 and r["certificate"] != "sampled-lower-bound" for r in recs)
    assert {r["relation"] for r in recs} == {"equal"}


@pytest.mark.parametrize("arch", ["2,2,1", "3,2,1", "2,3,1", "2,2,2"])
def test_scaled_monomial_matches_the_monomial_suite(arch):
    # Remark B: 2 t^3 and t^3 give the same networks (W_{l+1} -> 2 W_{l+1}), so the strata
    # ranks agree; 2 t^3 takes the general path (merge relation 'proportional'), t^3 the
    # monomial one (proofs/strata.md): two independent computations.
    from verify.sub_in_crit.general_strata import general_strata_records
    from verify.sub_in_crit.stratum_rank import strata_records
    gen = _ranks(general_strata_records(arch, "2*t^3"))
    mono = {(r["layer"], r["kind"]): (r["rank_on_stratum"], r["critical"])
            for r in strata_records(Architecture.parse(arch), 3) if r["kind"] in ("A", "B", "C")}
    assert gen == mono


def test_monomial_activation_gives_the_monomial_records():
    from verify.sub_in_crit.general_strata import general_strata_records
    from verify.sub_in_crit.stratum_rank import strata_records
    assert general_strata_records("2,2,1", "t^3") == strata_records(Architecture.parse("2,2,1"), 3)


def test_disconnected_stratum_not_critical_at_231_by_an_exact_point():
    # 2,3,1, s = t^3 + t^2: g = 7 = A' (degrees 2 and 3 in two variables: 3 + 4); B_{1,0}
    # (c1 = 0) is proved not critical. Second method: exact rank over QQ at a hand point of B.
    from verify.core.general_jacobian import general_jacobian_at
    from verify.sub_in_crit.general_strata import general_strata_records
    rec = {(r["layer"], r["kind"]): r for r in general_strata_records("2,3,1", "t^3 + t^2")}
    assert rec[(1, "B")]["critical"] is False and rec[(1, "A")]["critical"] is True
    W = [[[1, 0], [0, 1], [1, 1]], [[0, 1, 2]]]
    assert general_jacobian_at(Architecture.parse("2,3,1"), Activation.parse("t^3 + t^2"), W).rank() == 7


@pytest.mark.parametrize("arch,s,biases", [("2,2,1", "t^2 + t", True), ("2,2,1", "t^3 + t", False),
                                           ("2,3,1", "t^3 + t^2", True), ("2,2,2,1", "t^3 + t", True),
                                           ("2,2,1", "2*t^3", False), ("2,2,2", "t^2 + 1", False)])
def test_stratum_kernel_vectors_are_in_the_kernel(arch, s, biases):
    # Lemma K1, checked with the exact Jacobian over GF(p) at the full principal lattice
    # (Lemma U: it has the rank of J mod p), not the random points the code uses.
    from sage.all import GF, matrix
    from verify.core.general_jacobian import general_jacobian_at, parameter_count
    from verify.sub_in_crit.general_strata import general_strata, stratum_kernel_vectors, stratum_point
    a, act, p = Architecture.parse(arch), Activation.parse(s), 10007
    rng = random.Random(5)
    for stratum, _ in general_strata(a, act, biases):
        W, b, c = stratum_point(stratum, a, act, biases, rng, p)
        V = stratum_kernel_vectors(stratum, a, act, W, b, p, c)
        if stratum.kind != "A" or biases or act.constant == 0:
            assert V, stratum.name          # Lemma K1 lists vectors for every other stratum
        else:
            assert V == []                  # a dead neuron computing s(0) != 0: none listed
            continue
        J = general_jacobian_at(a, act, W, b, ring=GF(p))
        K = matrix(GF(p), len(V), parameter_count(a, biases), V)
        assert (J * K.transpose()).is_zero(), stratum.name


def test_merge_relation_and_membership():
    from verify.sub_in_crit.activation_rank import activation_strata, merge_relation
    a = Architecture.parse("2,2,1")
    assert merge_relation(Activation.parse("2*t^3"), False) == "proportional"
    assert merge_relation(Activation.parse("t^2 + t"), True) == "proportional"   # (t + 1/2)^2 - 1/4
    assert merge_relation(Activation.parse("t^2 + t"), False) == "equal"
    # proportional rows merge for 2 t^3 (s(2q) = 8 s(q)), not for t^3 + t^2
    W = [[[1, 2], [2, 4]], [[1, 1]]]
    assert activation_strata(a, Activation.parse("2*t^3"), W) == ["C_{1,0,1}"]
    assert activation_strata(a, Activation.parse("t^3 + t^2"), W) == []
    # with biases and s = t^2 + t (h = 1/2): (row, b + h) = (1, 2, 0) and (2, 4, 0) merge ...
    assert activation_strata(a, Activation.parse("t^2 + t"), W, [[-1/2, -1/2], [0]]) == ["C_{1,0,1}"]
    # ... (1, 2, 1/2) and (2, 4, 1/2) do not: equal directions, different biases
    assert activation_strata(a, Activation.parse("t^2 + t"), W, [[0, 0], [0]]) == []
    # opposite rows merge for the odd t^3 + t
    assert activation_strata(a, Activation.parse("t^3 + t"), [[[1, 2], [-1, -2]], [[1, 1]]]) == ["C_{1,0,1}"]


def test_image_bound_and_codimensions():
    # Lemma I: rho(B) <= g(2,1,1) + codim B = 3 + 1 at 2,2,1 with t^2 + t (g(2,1,1) = 3: the
    # function c s(w.x) = c (l^2 + l) has 3 parameters and is identifiable up to nothing).
    from verify.sub_in_crit.general_strata import general_strata_records
    rec = {r["kind"]: r for r in general_strata_records("2,2,1", "t^2 + t")}
    assert rec["B"]["subnetwork"] == "2,1,1" and rec["B"]["subnetwork_bound"] == 4
    assert (rec["A"]["codim"], rec["B"]["codim"], rec["C"]["codim"]) == (2, 1, 2)
    recb = {r["kind"]: r for r in general_strata_records("2,2,1", "t^2 + t", biases=True)}
    assert recb["C"]["relation"] == "proportional" and recb["C"]["codim"] == 2


def test_bad_activation_is_refused():
    from verify.sub_in_crit.general_strata import general_strata_records
    with pytest.raises(InputError):
        general_strata_records("2,2,1", "x^2")
