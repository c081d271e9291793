"""``python -m verify threshold``: the keys of proofs/threshold.md section 12, one case per
degree (isolated with a time limit, or in process with --timeout 0), and bad input as exit
status 2.  Expected thresholds of (2, 2, 1): Proposition S, 2 d_1 - 1 = 3."""

import json


def test_threshold_json_for_the_smallest_shallow_network(cli_json, tmp_path):
    md = tmp_path / "catalogue.md"
    out = cli_json("threshold", "2,2,1", "--max-degree", "4", "--timeout", "0",
                   "--catalogue-markdown", md)
    assert {"arch", "proven_threshold", "empirical_threshold", "per_degree", "catalogue"} <= set(out)
    assert out["arch"] == "2,2,1" and out["proven_threshold"] == 3
    assert out["empirical_threshold"] == 3
    assert [e["degree"] for e in out["per_degree"]] == [2, 3, 4]
    assert out["per_degree"][0]["verdict"] == "fails"
    assert out["per_degree"][0]["non_critical_strata"] == ["B_1"]
    assert out["catalogue"] == []            # (2, d_1, 1): Crit inside Sub at every r
    assert md.read_text().startswith("# Catalogue")


def test_threshold_runs_each_degree_in_its_own_process(cli_json):
    out = cli_json("threshold", "2,2,1", "--max-degree", "3", "--timeout", "300")
    assert out["empirical_threshold"] == 3 and out["timeout"] == 300


def test_threshold_rejects_bad_input(cli):
    for args in (["2,2,1", "--max-degree", "1"], ["2,2,1", "--timeout", "-1"], ["2,x,1"],
                 ["2,2,1", "--prime", "12"]):
        code, out, err = cli("threshold", *args)
        assert code == 2 and err.startswith("error:") and len(err.strip().splitlines()) == 1


def test_threshold_outside_the_theorem(cli_json):
    out = cli_json("threshold", "2,1,2,1", "--max-degree", "3", "--timeout", "0")
    assert out["proven_threshold"] is None and out["empirical_threshold"] is None
    assert "outside the theorem" in out["certificate_text"]
