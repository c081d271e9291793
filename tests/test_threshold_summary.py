"""proofs/threshold.md, section 11: the empirical threshold r_0 from per-degree records is
the least r with every degree of [r, bound] scanned and holding, and it is never reported
stronger than its weakest certificate.  Records are written by hand."""

import pytest

from verify.core.architecture import Architecture
from verify.theorem.threshold import empirical_threshold, summarise_degrees

A = Architecture.parse("2,3,1")


def rec(r, verdict, cert=None):
    return {"degree": r, "verdict": verdict, "certificate": cert}


def test_chain_and_certificate_text_name_every_certificate():
    recs = [rec(2, "fails", "proved-over-Q"), rec(3, "fails", "proved-over-Q"),
            rec(4, "fails", "probabilistic"), rec(5, "holds", "proved-over-Q"),
            rec(6, "holds", "proved-over-Q"), rec(7, "holds", "exhaustive-GF(101)"),
            rec(8, "holds", "exhaustive-GF(101)")]
    s = summarise_degrees(A, recs)
    assert s["empirical_threshold"] == 5
    assert s["weakest_certificate"] == "exhaustive-GF(101)"
    assert s["certificate_text"].startswith(
        "r_0 = 5 (proved-over-Q for r = 5, 6; exhaustive-GF(101) for r = 7, 8; fails at r = 4: probabilistic")
    assert s["exact_from_below"] is True


def test_undecided_or_timed_out_degree_breaks_the_chain():
    for bad in ("undecided", "timed-out", "error"):
        recs = [rec(2, "fails", "proved-over-Q"), rec(3, "holds", "proved-over-Q"),
                rec(4, bad), rec(5, "holds", "proved-over-Q")]
        s = summarise_degrees(A, recs)
        assert s["empirical_threshold"] == 5
        assert "true threshold may be smaller" in s["certificate_text"]
        assert s["exact_from_below"] is False


def test_missing_degree_breaks_the_chain():
    recs = [rec(2, "holds", "proved-over-Q"), rec(4, "holds", "proved-over-Q")]
    assert summarise_degrees(A, recs)["empirical_threshold"] == 4


def test_top_degree_not_holding_gives_no_threshold():
    recs = [rec(2, "holds", "proved-over-Q"), rec(3, "undecided")]
    s = summarise_degrees(A, recs)
    assert s["empirical_threshold"] is None
    assert "not reached" in s["certificate_text"]


def test_weakest_certificate_is_the_weakest_of_the_chain_only():
    recs = [rec(2, "fails", "probabilistic"), rec(3, "holds", "probabilistic"),
            rec(4, "holds", "proved-over-Q")]
    s = summarise_degrees(A, recs)
    assert s["empirical_threshold"] == 3 and s["weakest_certificate"] == "probabilistic"
    recs[1] = rec(3, "fails", "proved-over-Q")
    s = summarise_degrees(A, recs)
    assert s["empirical_threshold"] == 4 and s["weakest_certificate"] == "proved-over-Q"


def test_conflicting_records_of_one_degree_count_as_failure():
    recs = [rec(2, "holds", "proved-over-Q"), rec(2, "fails", "proved-over-Q"),
            rec(3, "holds", "proved-over-Q")]
    s = summarise_degrees(A, recs)
    assert s["empirical_threshold"] == 3
    assert any("conflicting" in x for x in s["per_degree"][0]["reasons"])


def test_degenerate_architecture_has_no_empirical_threshold():
    s = summarise_degrees(Architecture.parse("2,1,2,1"), [rec(2, "outside-theorem")])
    assert s["empirical_threshold"] is None and "outside the theorem" in s["certificate_text"]


def test_scan_calls_the_runner_once_per_degree_up_to_the_bound():
    seen = []

    def runner(arch, r, seed=0, prime=None, method="auto"):
        seen.append(r)
        return rec(r, "holds" if r >= 3 else "fails", "proved-over-Q")
    s = empirical_threshold(A, seed=4, runner=runner)
    assert seen == [2, 3, 4, 5]          # bound min(r*_B = 5, 8)
    assert s["empirical_threshold"] == 3 and s["seed"] == 4


def test_proven_threshold_check_names_what_was_not_checked():
    from verify.theorem.threshold import proven_threshold_check, summarise_degrees
    # 2,2,1: r*_B = 2 d_1 - 1 = 3 (Theorem T, L = 2)
    recs = [rec(2, "fails", "proved-over-Q"), rec(3, "holds", "proved-over-Q")]
    s = summarise_degrees("2,2,1", recs)
    chk = proven_threshold_check("2,2,1", s["per_degree"])
    assert chk["r_star"] == 3 and chk["checked"] == [3]
    chk = proven_threshold_check("2,2,1", summarise_degrees("2,2,1", [rec(2, "fails", "proved-over-Q")])["per_degree"])
    assert chk["checked"] == [] and "not in this catalogue" in chk["status"]


def test_threshold_fit_flags_candidates():
    from verify.theorem.threshold import threshold_fit
    # 4,3,1: fails at r = 4 (three rows in a plane), holds from 5 = 2 d_1 - 1 (MATH.md section 7)
    s = {"arch": "4,3,1", "empirical_threshold": 5, "exact_from_below": True,
         "weakest_certificate": "proved-over-Q"}
    row, = threshold_fit([s, {"arch": "2,2,1", "empirical_threshold": 3, "exact_from_below": False}])
    assert row["matches"]["2 d_1 - 1"] is True and row["matches"]["max(2, 2 d_1 - 3)"] is False


@pytest.mark.parametrize("arch, value", [
    ("2,2,1", 3), ("3,2,1", 2), ("5,2,1", 2),         # L = 2: 2 d_1 - 1, Proposition S2 for d_0 >= 3
    ("2,4,1", 7), ("4,4,2", 7),
    ("2,2,2,1", 2), ("3,2,2,2,1", 2),                 # every hidden width 2, one output
    ("2,2,2,2", 3),                                   # two outputs: 2 d_(L-1) - 1
    ("2,3,2,1", 4), ("3,3,2,1", 4),                   # 2 d_1 - 2 (GF(17) evidence, section 12)
    ("2,2,3,1", 5),                                   # Proposition S3: 2 d_2 - 1
    ("2,3,3,1", 5), ("2,4,3,1", 6),
    ("2,2,3,2,1", 4), ("2,2,4,2,1", 6), ("3,2,2,4,2,2", 6)])   # a wide middle layer: 2 d_l - 2
def test_conjectured_threshold_by_hand(arch, value):
    """proofs/threshold.md, section 12: max(2 d_(L-1) - 1, 2 d_l - 2 for the hidden layers
    before the last), and 2 when every hidden width is 2 and d_L = 1 (not 2,2,1); each value
    worked out by hand from that sentence."""
    from verify.theorem.threshold import CANDIDATES, conjectured_threshold
    widths = tuple(int(w) for w in arch.split(","))
    assert conjectured_threshold(widths) == value
    assert CANDIDATES["conjecture of section 12"](widths) == value
