"""Theorem S of proofs/strata.md: every subnetwork stratum is critical (its generic rank is
below g) with the drop of MATH.md section 3, except in the listed edge cases.

Expected ranks are derived by hand in the comments (tangent spaces of sums of powers of
linear forms, Terracini), or by a second method (the rank over the function field of the
parametrisation), never copied from the implementation's output.
"""

import pytest

from verify.core.architecture import Architecture
from verify.sub_in_crit.strata import Stratum, representative_strata
from verify.sub_in_crit.stratum_rank import strata_records
from verify.sub_in_crit.stratum_rank import (_field_point, function_field_rank, kernel_vector_bound,
                                 predicted_drop)


def records_by_name(arch, r, **kw):
    return {x["stratum"]: x for x in strata_records(Architecture.parse(arch), r, **kw)}


# --- shallow cases by hand ------------------------------------------------------------
# 2,2,1 at r = 3: f = w_0 l_0^3 + w_1 l_1^3 (binary cubics), g = N - H = 4 = A.
#   A: f = w_1 l_1^3, tangent {l_1^3, l_1^2 m}: rank 2, drop 2.
#   B: tangent of w_0 l_0^3 (2) plus the column direction l_1^3 of the free neuron: rank 3, drop 1.
#   C: f = (w_0 + c^3 w_1) l_0^3, tangent {l_0^3, l_0^2 m}: rank 2, drop 2.
# 3,3,1 at r = 3: g = 9 (Alexander-Hirschowitz, (3,3,3) not defective; A = 10).
#   A: two general ternary cubes l^3: Terracini, 2 * 3 = 6: drop 3;  B: 6 + 1 = 7: drop 2;
#   C: merged pair, 6: drop 3.
# 2,2,2 at r = 3 (two outputs): g = N - H = 6 (A = 8).
#   A: f = w l^3, w in K^2: 2 + 2 - 1 = 3, drop 3;  B: 3 + 2 = 5, drop 1;
#   C: (w_0 + c^3 w_1) l^3 with w_0, w_1 independent: {e_k l^3, e_k l^2 m}: 4, drop 2 = d_2;
#   C': w_1 = e w_0: {e_k l^3} + {w_0 l^2 m}: 3, drop 3.
SHALLOW = [
    ("2,2,1", 3, {"A_{1,0}": (2, 2), "B_{1,0}": (3, 1), "C_{1,0,1}": (2, 2)}),
    ("3,3,1", 3, {"A_{1,0}": (6, 3), "B_{1,0}": (7, 2), "C_{1,0,1}": (6, 3)}),
    ("2,2,2", 3, {"A_{1,0}": (3, 3), "B_{1,0}": (5, 1), "C_{1,0,1}": (4, 2), "C'_{1,0,1}": (3, 3)}),
]


@pytest.mark.parametrize("arch,r,expected", SHALLOW)
def test_shallow_strata_ranks_by_hand(arch, r, expected):
    recs = records_by_name(arch, r)
    assert set(recs) == set(expected)
    for name, (rank, drop) in expected.items():
        x = recs[name]
        assert x["rank_on_stratum"] == rank and x["drop"] == drop, name
        assert x["predicted_drop"] == drop and x["agree"] is True, name   # formula holds here
        assert x["critical"] is True and x["certificate"] != "sampled-lower-bound", name


# --- deep cases by hand -----------------------------------------------------------------
# 2,3,2,1 at r = 4: g = N - H = 9 (14 - 5; A = 17).
# Layer 1 (width 3, removal leaves 2,2,2,1, no width-one layer): the formula should hold:
#   A: d_0 + d_2 - 1 = 3, B: d_0 - 1 = 1, C: d_2 = 2, C': d_0 + d_2 - 1 = 3.
# Layer 2 (width 2): removing a neuron leaves 2,3,1,1: f = lambda q^4 with q = output of
#   2,3,1, which fills the binary quartics (3 general fourth powers span all 5), so the image
#   is {q^4 : q a binary quartic}, of dimension 5.
#   A: rank 5, drop 4 (formula says 3);  C (d_3 = 1, so C = C'): rank 5, drop 4 (formula 3);
#   B: {q_1^3 h : h quartic} (5) plus the free neuron's q_0^4 (not divisible by q_1^3): rank 6,
#      drop 3 (formula 2).
DEEP = {"A_{1,0}": (6, 3, True), "B_{1,0}": (8, 1, True), "C_{1,0,1}": (7, 2, True),
        "C'_{1,0,1}": (6, 3, True), "A_{2,0}": (5, 4, False), "B_{2,0}": (6, 3, False),
        "C_{2,0,1}": (5, 4, False)}


def test_deep_strata_of_2_3_2_1_by_hand():
    recs = records_by_name("2,3,2,1", 4)
    assert set(recs) == set(DEEP)
    for name, (rank, drop, agree) in DEEP.items():
        x = recs[name]
        assert (x["rank_on_stratum"], x["drop"], x["agree"]) == (rank, drop, agree), name
        assert x["critical"] is True and x["certificate"] != "sampled-lower-bound", name
        if not agree:
            assert "width one" in x["note"], name


def test_deep_equal_width_follows_the_formula_for_large_r():
    # 3,3,3,1 at r = 5 (N - H = 9 + 9 + 3 - 6 = 15 = g): the drops of the formula:
    # A: 3 + d_{l+1} - 1, B: 3 - 1 = 2, C: d_{l+1} (3 on layer 1; on layer 2 d_3 = 1, so
    # C = C' and 3 + 1 - 1 = 3), C': 3 + 3 - 1 = 5.
    hand = {"A_{1,0}": 5, "B_{1,0}": 2, "C_{1,0,1}": 3, "C'_{1,0,1}": 5,
            "A_{2,0}": 3, "B_{2,0}": 2, "C_{2,0,1}": 3}
    recs = records_by_name("3,3,3,1", 5)
    assert recs["A_{1,0}"]["generic_rank"] == 15 and recs["A_{1,0}"]["generic_rank_exact"]
    for name, drop in hand.items():
        assert recs[name]["drop"] == drop == recs[name]["predicted_drop"], name


@pytest.mark.parametrize("r,binary_forms", [(3, 4), (4, 5)])
def test_deep_dead_neuron_leaving_a_filling_tail(r, binary_forms):
    # 3,3,3,1, A_{1,0}: what is left is 3,2,3,1, f = G(l_1^r, l_2^r) with G the output of
    # 2,3,1, a binary form of degree r: G fills them (r + 1 <= 6 = N - H of 2,3,1) for
    # r <= 5.  Cut at layer 1 (Lemma W): rank <= 3*2 (W_1) + (r + 1) (G) - 2 (scalings).
    # r = 3: 6 + 4 - 2 = 8, drop 15 - 8 = 7;  r = 4: 6 + 5 - 2 = 9, drop 6 (formula: 5).
    x = records_by_name("3,3,3,1", r)["A_{1,0}"]
    rank = 6 + binary_forms - 2
    assert x["rank_on_stratum"] == rank and x["drop"] == 15 - rank
    assert x["predicted_drop"] == 5 and x["agree"] is False and x["critical"] is True
    assert x["certificate"] == "subnetwork-reduction"


def test_filling_network_has_non_critical_strata():
    # 2,3,1 at r = 3: binary cubics, A = 4 < N - H = 6, so g = 4.  A_{1,0}: two general
    # cubes still span a 2 + 2 = 4 dimensional tangent space (Terracini, binary cubics
    # have dimension 4): rank 4 = g, drop 0 -- not critical, against the formula's 2.
    x = records_by_name("2,3,1", 3)["A_{1,0}"]
    assert x["generic_rank"] == 4 and x["rank_on_stratum"] == 4
    assert x["drop"] == 0 and x["critical"] is False and x["agree"] is False
    assert "filling" in x["note"]


def test_quadrics_disagree_and_say_so():
    # 2,2,2,1 at r = 2: outputs are binary quartics (A = 5 < N - H = 6): filling.
    # B_{1,0}: f = sum_k v_k (w_k l^2)^2 = (sum_k v_k w_k^2) l^4 plus the free neuron's
    # direction l'^2 (sum_k 2 v_k w_k^2 l^2): tangent {l^4, l^3 m, l^2 l'^2} = 3, drop 2.
    x = records_by_name("2,2,2,1", 2)["B_{1,0}"]
    assert x["rank_on_stratum"] == 3 and x["drop"] == 2 and x["predicted_drop"] == 1
    assert x["agree"] is False and "r = 2" in x["note"] and "filling" in x["note"]


def test_quadrics_on_a_duplicate_pair_with_two_outputs():
    # 3,3,2 at r = 2 (g = 12 = N - H = A), C_{1,0,1}: l_1 = c l_0.  Tangent: the merged pair
    # gives K^2 (x) l_0 V (w_0, w_1 span K^2; V = linear forms): 6; neuron 2 gives
    # K^2 (x) l_2^2 + w_2 (x) l_2 V: 4; they meet in w_2 (x) l_0 l_2 (r = 2 only: l_0^(r-1) V
    # and l_2^(r-1) V share l_0 l_2).  Rank 6 + 4 - 1 = 9, drop 3; the formula says d_2 = 2.
    x = records_by_name("3,3,2", 2)["C_{1,0,1}"]
    assert x["rank_on_stratum"] == 9 and x["drop"] == 3 and x["predicted_drop"] == 2
    assert x["certificate"] == "kernel-vectors" and x["agree"] is False and "r = 2" in x["note"]


# --- the formula itself, by hand ----------------------------------------------------------
@pytest.mark.parametrize("kind,layer,expected", [
    ("A", 1, 3 + 5 - 1), ("B", 1, 3 - 1), ("C", 1, 5), ("C'", 1, 3 + 5 - 1),
    ("A", 2, 4 + 1 - 1), ("B", 2, 4 - 1), ("C", 2, 4 + 1 - 1)])
def test_predicted_drop_formula(kind, layer, expected):
    a = Architecture.parse("3,4,5,1")
    neurons = (0,) if kind in "AB" else (0, 1)
    assert predicted_drop(Stratum(kind, layer, neurons), a) == expected


# --- second method: rank over the function field --------------------------------------------
SMALL = [("2,2,1", 3), ("2,2,2", 3), ("3,2,1", 3), ("2,2,2,1", 3), ("2,3,1", 3), ("2,2,2,1", 2)]


@pytest.mark.parametrize("arch,r", SMALL)
def test_function_field_rank_against_kernel_vectors(arch, r):
    """The function-field rank never exceeds the kernel-vector bound, and equals it exactly
    where the formula's hypotheses hold (no width-one layer left, r >= 3, not filling)."""
    a = Architecture.parse(arch)
    p = 67108859
    recs = records_by_name(arch, r, function_field="always")
    for s, _ in representative_strata(a):
        ff = function_field_rank(s, a, r)
        values, _ = _field_point(s, a, 0, p)
        kv = kernel_vector_bound(s, a, r, values, p)["bound"]
        assert ff <= kv, s.name
        assert recs[s.name]["rank_on_stratum"] == ff, s.name
        simple = r >= 3 and a.params - a.hidden <= a.ambient(r) and (a.widths[s.layer] > 2 or a.depth == 2)
        if simple:
            assert ff == kv, s.name


def test_width_one_layer_after_removal_beats_kernel_vectors():
    # 2,2,2,1 at r = 3, A_{1,0}: what is left is 2,1,2,1 and f = c (l^3)^3 ... = c l^9:
    # tangent {l^9, l^8 m}: rank 2, while the kernel vectors alone only give N - H - 3 = 3.
    a = Architecture.parse("2,2,2,1")
    assert function_field_rank(Stratum("A", 1, (0,)), a, 3) == 2
    assert records_by_name("2,2,2,1", 3)["A_{1,0}"]["rank_on_stratum"] == 2


def test_records_carry_seed_prime_and_keys():
    recs = strata_records(Architecture.parse("2,2,1"), 3, seed=5, prime=1000003)
    for x in recs:
        for key in ["layer", "kind", "neurons", "codim", "generic_rank", "rank_on_stratum",
                    "drop", "predicted_drop", "agree", "critical", "certificate", "note"]:
            assert key in x
        assert x["seed"] == 5 and x["prime"] == 1000003


@pytest.mark.parametrize("arch,r", [("2,2,3,1", 2), ("2,2,3,1", 3), ("2,2,2,2", 2), ("2,2,2,2", 3)])
def test_subnetwork_reduction_against_function_field(arch, r):
    """Lemmas R and W (with the lone-neuron refinement for d_l = 2, one and two outputs)
    give the same rank as the function field, computed without them."""
    a = Architecture.parse(arch)
    recs = records_by_name(arch, r, function_field="never")
    for s, _ in representative_strata(a):
        if s.layer != 1:
            continue
        x = recs[s.name]
        assert x["certificate"] in ("kernel-vectors", "subnetwork-reduction"), s.name
        assert x["rank_on_stratum"] == function_field_rank(s, a, r, check_limits=False), s.name
