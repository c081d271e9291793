"""proofs/threshold.md, section 16 (Proposition A): the threshold assembled from a proved
failure, computer proofs at single degrees and the proved statement from r*.

Records are built by hand; r* comes from statements whose values are derived by hand in
tests/test_threshold_proven.py and test_threshold_theorem_t3.py (2,2,2,1: Theorem T, 3;
2,3,3,1: Theorem T3, 6; 2,3,1: Proposition S, 5; 3,2,1: Proposition S2, 2)."""

import pytest

from verify.theorem.threshold import threshold_theorem


def rec(r, verdict, certificate="proved-over-Q"):
    return {"degree": r, "verdict": verdict, "certificate": certificate}


def test_computer_proofs_between_a_failure_and_r_star_prove_the_threshold():
    t = threshold_theorem("2,3,3,1", [rec(4, "fails"), rec(5, "holds")])
    assert (t["status"], t["value"], t["interval"], t["computer_assisted"]) == ("proved", 5, [5, 5], True)
    assert t["pieces"]["failure"] == {"degree": 4, "certificate": "proved-over-Q"}
    assert t["pieces"]["computed"]["degrees"] == [5]
    assert t["pieces"]["theorem"] == {"from": 6, "by": "Theorem T3"}


def test_gfp_evidence_leaves_the_degree_open():
    t = threshold_theorem("2,3,3,1", [rec(4, "fails"), rec(5, "holds", "exhaustive-GF(13)")])
    assert t["status"] == "open" and t["interval"] == [5, 6]
    assert [{k: m[k] for k in ("degree", "known")} for m in t["missing"]] == \
        [{"degree": 5, "known": "holds (exhaustive-GF(13))"}]
    # what T3's proof lacks at r = 5 (threshold.md section 15, by hand: m = s = 3 needs
    # (5 - 1 - 3) 5 + 2 > 2 * 5, which fails): the directness of Conjecture D5
    assert t["missing"][0]["t3_lacks"].startswith("layer 2: m = 3 terms spanning dimension s = 3")
    assert "Conjecture D5" in t["missing"][0]["t3_lacks"]


def test_unscanned_degrees_are_named():
    t = threshold_theorem("2,3,3,1", [rec(2, "fails")])
    assert t["interval"] == [3, 6] and [m["degree"] for m in t["missing"]] == [3, 4, 5]
    assert all(m["known"] == "not scanned" for m in t["missing"])


def test_threshold_two_needs_every_degree_below_r_star():
    # 2,2,2,1: r* = 3 (Theorem T), holds at r = 2 over Q: tau = 2, computer-assisted
    t = threshold_theorem("2,2,2,1", [rec(2, "holds")])
    assert (t["status"], t["value"], t["computer_assisted"]) == ("proved", 2, True)
    assert threshold_theorem("2,2,2,1", [])["interval"] == [2, 3]


def test_a_failure_at_or_above_r_star_is_a_contradiction():
    assert threshold_theorem("2,2,2,1", [rec(3, "fails")])["status"] == "contradiction"


@pytest.mark.parametrize("arch,value", [("2,3,1", 5), ("3,2,1", 2)])
def test_exact_statements_need_no_computation(arch, value):
    # Proposition S proves the failure at 2 d_1 - 2 and Crit = Sub from 2 d_1 - 1; S2 gives 2
    t = threshold_theorem(arch, [])
    assert (t["status"], t["value"], t["computer_assisted"]) == ("proved", value, False)


def test_a_hold_below_an_open_degree_does_not_close_the_interval():
    # a proof at r = 5 but nothing at r = 4 above the failure at 3: [4, 5], open at 4 only
    t = threshold_theorem("2,3,3,1", [rec(3, "fails"), rec(5, "holds")])
    assert t["interval"] == [4, 5] and [m["degree"] for m in t["missing"]] == [4]


def test_no_statement_outside_the_theorem():
    assert threshold_theorem("2,1,2,1", [])["status"] == "no-theorem"


def test_a_bound_in_the_millions_is_walked_a_bounded_number_of_degrees():
    # 2,6,6,6,6,6,1: Theorem T's bound is in the millions (3,906,250); Theorem T3
    # is checked one degree at a time below it, MAX_T3_WALK degrees at most.  Every degree it
    # checks is proved, so the value is still a proved bound (and T3 holds at it).
    from verify.core.threshold_bounds import (MAX_T3_WALK, proven_threshold, theorem_t3_check,
                                              theorem_t_threshold)
    from verify.core.architecture import Architecture
    arch = "2,6,6,6,6,6,1"
    best = theorem_t_threshold(Architecture.parse(arch))
    assert best > 100 * MAX_T3_WALK                 # far beyond any walk
    value = proven_threshold(arch)["value"]
    assert value == best - MAX_T3_WALK and theorem_t3_check(arch, value)["holds"]
    t = threshold_theorem(arch, [{"degree": 2, "verdict": "fails", "certificate": "proved-over-Q"}])
    assert t["status"] == "open" and t["interval"][0] == 3
    (entry,) = t["missing"]                         # one entry for the whole range
    assert entry["degree"] == 3 and entry["through"] == t["interval"][1] - 1


def test_the_memoised_proven_threshold_hands_out_copies():
    # proven_threshold is computed once per width vector; a caller that edits its result must
    # not change what the next caller gets.
    from verify.core.threshold_bounds import proven_threshold
    first = proven_threshold("2,3,3,1")
    value, bounds = first["value"], [dict(b) for b in first["bounds"]]
    first["value"] = -1
    first["bounds"][0]["value"] = -1
    first["bounds"].clear()
    again = proven_threshold("2,3,3,1")
    assert again["value"] == value and again["bounds"] == bounds


def test_a_wide_deep_network_gets_a_sound_open_interval():
    # 2,40,40,40,40,1: Theorem T's bound is about 2.7e11.  Every degree from the interval's top
    # up is proved (T3 is checked at each of the listed degrees), and nothing below is claimed.
    from verify.core.threshold_bounds import proven_threshold, theorem_t3_check
    arch = "2,40,40,40,40,1"
    t = threshold_theorem(arch, [])
    r_star = proven_threshold(arch)["value"]
    lo, hi = t["interval"]
    assert t["status"] == "open" and lo == 2 and hi < r_star
    assert t["pieces"]["t3_degrees"]["degrees"] == list(range(hi, r_star))
    assert all(theorem_t3_check(arch, r)["holds"] for r in (hi, r_star - 1))
    (entry,) = t["missing"]
    assert entry["degree"] == 2 and entry["through"] == hi - 1
