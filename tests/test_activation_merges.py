"""Merges beyond equal rows (proofs/activations.md, section 4: the merge order n of s): found by
the adversarial review of the second increment.  Two neurons with (row, bias + h) of j equal
to zeta times that of i merge whenever zeta^n = 1; the code lists zeta = 1, zeta = -1 for n
even (also a shifted parity or an absorbed constant, with biases), and refuses to claim
anything that the non-real zeta (n >= 3) could explain."""

import pytest

from verify.core.activation import Activation
from verify.sub_in_crit.activation_rank import classify_general_point
from verify.theorem.general_case import run_general_case


# By hand: n = gcd of the exponent differences of s (no biases) or of s(u - h) without its
# constant (biases; h kills the t^(k-1) term).  t^3 + t^2 with biases: h = 1/3,
# s(u - 1/3) = u^3 - u/3 + 2/27, exponents {1, 3}: n = 2.  t^2 + t with biases: (u)^2 - 1/4: one
# exponent, n = 0 (proportional rows merge).
@pytest.mark.parametrize("s,biases,n,listed", [
    ("t^3 + 1", False, 3, False), ("t^4 + 1", False, 4, False), ("t^4 + t", False, 3, False),
    ("t^5 + t^2", False, 3, False), ("t^3 + t", False, 2, True), ("t^3 + t", True, 2, True),
    ("t^3 + t^2", False, 1, True), ("t^3 + t^2", True, 2, False), ("t^2 + t", True, 0, True),
    ("t^3 + t + 1", True, 2, False), ("t^3", False, 0, True)])
def test_merge_order_by_hand(s, biases, n, listed):
    a = Activation.parse(s)
    assert a.merge_order(biases) == n and a.merges_listed(biases) is listed


def test_a_shifted_parity_merge_is_a_subnetwork():
    # s = (t + 1)^3 + (t + 1): with b_1 = (3, -5), q_1 + 1 = -(q_0 + 1), so s(q_1) = -s(q_0) and
    # f = (3 - 5) s(q_0) + 7 is a 2,1,1 network: critical, and in Sub (C_{1,0,1})
    c = classify_general_point("2,2,1", "t^3 + 3*t^2 + 4*t + 2", [[[1, 2], [-1, -2]], [[3, 5]]],
                               biases=[[3, -5], [7]])
    assert c["critical"] and c["subnetwork"] and c["strata"] == ["C_{1,0,1}"]
    # s = t^3 + t + 1: odd up to the constant that b_2 absorbs
    c = classify_general_point("2,2,1", "t^3 + t + 1", [[[1, 2], [-1, -2]], [[3, 5]]],
                               biases=[[4, -4], [7]])
    assert c["subnetwork"] and c["strata"] == ["C_{1,0,1}"]


def test_a_proper_ideal_claims_nothing_when_non_real_merges_are_missing():
    # 1,2,2 with t^3 + 1: rows a, b with b = omega a merge (s(omega x) = s(x)); the saturated
    # ideal stays proper because of them (the review saturated by (b^3 - a^3)/(b - a) too and got
    # (1)), so no 'Crit not in Sub' may be claimed
    rec = run_general_case("1,2,2", "t^3 + 1")
    assert rec["crit_in_sub"]["holds"] is None
    assert "merge order 3" in rec["converse"]["reason"]


def test_sub_in_crit_is_not_claimed_over_an_incomplete_list_of_merges():
    # t^3 + t^2 with biases: the shifted-opposite merge has no stratum record of its own yet
    rec = run_general_case("2,2,1", "t^3 + t^2", biases=True)
    assert rec["sub_in_crit"]["holds"] is not True
    assert "merge order 2" in rec["sub_in_crit"]["reason"]


def test_the_verdict_follows_the_unlisted_merges():
    # general_verdict on hand-made parts: every stratum critical and a unit ideal would be
    # 'holds'; with merges left unlisted it must not be
    from verify.theorem.general_case import general_verdict
    parts = {"strata": {"verdict": "run", "records": [
                 {"kind": "A", "layer": 1, "critical": True, "certificate": "kernel-vectors"}]},
             "converse": {"crit_in_sub": {"holds": True, "coverage": "all-codimensions",
                                          "certificate": "proved-over-Q", "method": "symbolic"},
                          "witnesses": []},
             "generic_rank": {"certificate": "exact"}}
    assert general_verdict(parts)[0] == "holds"
    verdict, _, why = general_verdict(parts, "merge order 2: not listed")
    assert verdict == "undecided" and any("merge order 2" in w for w in why)
