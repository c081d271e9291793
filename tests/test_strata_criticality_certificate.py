"""proofs/strata.md: a stratum is critical when a proved upper bound on its rank lies below the
proved lower bound of g; the certificate of that verdict is the bound's, even when the rank
itself is only bounded (record certificate `sampled-lower-bound`)."""

from verify.sub_in_crit.stratum_rank import criticality_certificate, strata_records


def record(**kw):
    base = {"certificate": "sampled-lower-bound", "critical": True, "rank_lower_bound": 6,
            "rank_upper_bound": 7, "kernel_vector_bound": 14, "subnetwork_bound": 7}
    return {**base, **kw}


def test_the_bound_that_decides_criticality_names_its_certificate():
    assert criticality_certificate(record()) == "subnetwork-reduction"
    assert criticality_certificate(record(kernel_vector_bound=7, subnetwork_bound=9)) == "kernel-vectors"


def test_nothing_changes_when_the_rank_is_determined_or_criticality_is_open():
    assert criticality_certificate(record(certificate="kernel-vectors")) == "kernel-vectors"
    assert criticality_certificate(record(critical=None)) == "sampled-lower-bound"
    assert criticality_certificate(record(critical=False)) == "sampled-lower-bound"


def test_a_bounded_stratum_of_the_atlas_is_critical_by_a_proved_bound():
    # 2,2,3,2,3 at r = 4 (an atlas case): B_{1,0}'s rank is only known to lie in [6, 7], but the
    # proved upper bound is below the proved lower bound of g, so the stratum is critical
    recs = strata_records("2,2,3,2,3", 4)
    bounded = [r for r in recs if r["certificate"] == "sampled-lower-bound"]
    assert bounded
    for r in bounded:
        assert r["critical"] is True and r["rank_upper_bound"] < r["generic_rank"]
        assert r["rank_upper_bound"] == min(r["kernel_vector_bound"], r["subnetwork_bound"])
        assert criticality_certificate(r) in ("kernel-vectors", "subnetwork-reduction")
