"""proofs/threshold.md, section 11: the empirical threshold r_0 from per-degree records is
the least r with every degree of [r, bound] scanned and holding, and it is never reported
stronger than its weakest certificate.  Records are written by hand."""

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
