"""verify/commands/check_witness.py (issue 12): witnesses anyone can re-check exactly, over
their own number field; stable witness ids; ``point --field``."""

import json

import pytest

from verify.cli import main
from verify.commands.check_witness import check_witness, find_witness, minimal_polynomial_of, witness_id
from verify.core.errors import InputError
from verify.run import report

W222 = [[[1, 0], [0, 1]], [[1, 1], [0, 0]]]     # rank 5 < g = 6 at r = 2 (found by the pre-pass)


def test_witness_ids_are_stable_and_agree_with_the_report():
    a = witness_id("2,2,2", 2, W222, "QQ")
    assert a == witness_id((2, 2, 2), 2, [[["1", "0"], ["0", "1"]], [["1", "1"], ["0", "0"]]], "QQ")
    assert a == report.witness_id("2,2,2", 2, W222, "QQ")
    assert a != witness_id("2,2,2", 3, W222, "QQ") != witness_id("2,2,2", 2, W222, "QQ[a]/(a^2 + 6)")
    assert a.startswith("w") and len(a) == 11


def test_a_rational_witness_is_rechecked():
    c = check_witness({"weights": W222, "field": "QQ", "rank": 5, "generic_rank": 6, "verified": True},
                      arch="2,2,2", degree=2)
    assert (c["rank"], c["generic_rank"], c["critical"], c["strata"], c["verified"]) == (5, 6, True, [], True)
    assert c["reproduces_record"] is True


def test_a_number_field_point_uses_its_minimal_polynomial():
    """Entries a with a^2 = -6: the rank is computed over QQ[a]/(a^2+6), not over QQ."""
    w = {"weights": [[["a", "1/2*a + 3"], ["a", 1]], [[1, "a"]]], "minimal_polynomial": "a^2 + 6",
         "field": "QQ[a]/(a^2 + 6)"}
    c = check_witness(w, arch="2,2,1", degree=3)
    assert c["field"] == "QQ[a]/(a^2 + 6)" and c["minimal_polynomial"] == "a^2 + 6"
    assert c["rank"] == 4 and c["critical"] is False and c["verified"] is False
    # a catalogue entry without minimal_polynomial: read from the field label
    assert minimal_polynomial_of({"field": "QQ[a]/(a^2 + 6)"}).replace(" ", "") == "a^2+6"
    assert minimal_polynomial_of({"field": "QQ"}) is None
    # a subnetwork point is critical but not a witness
    c = check_witness({"weights": [[[1, 0], [1, 0]], [[1, 1]]]}, arch="2,2,1", degree=3)
    assert c["critical"] is True and c["strata"] and c["verified"] is False


def test_check_witness_command_and_unknown_id(tmp_path, capsys):
    wid = witness_id("2,2,2", 2, W222, "QQ")
    results = {"cases": [{"arch": "2,2,2", "degree": 2, "converse": {"witnesses": [
        {"weights": W222, "field": "QQ", "minimal_polynomial": None, "rank": 5, "generic_rank": 6,
         "verified": True, "strata": []}]}}]}
    f = tmp_path / "results.json"
    f.write_text(json.dumps(results))
    assert find_witness(results, wid)[:2] == ("2,2,2", 2)
    assert main(["check-witness", str(f), wid, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["schema"] >= 1 and out["verified"] is True and out["witness_id"] == wid
    assert main(["check-witness", str(f), "wdeadbeef00"]) == 2
    assert "no witness" in capsys.readouterr().err
    assert main(["check-witness", str(tmp_path / "missing.json"), wid]) == 2


def test_point_over_a_number_field(capsys):
    assert main(["point", "2,2,1", "--degree", "3", "--field", "a^2+6", "--json", "--weights",
                 '[[["a","1/2*a+3"],["a",1]],[[1,"a"]]]']) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["field"] == "QQ[a]/(a^2 + 6)" and out["rank"] == 4 and out["critical"] is False
    assert out["witness_id"] == witness_id("2,2,1", 3, out["weights"], out["field"])
    # the rank is exact over the field, not over QQ; g = 4 is exact, so nothing random is named
    assert out["critical_certificate"] == "exact over QQ[a]/(a^2 + 6)"
    assert out["generic_rank_certificate"] == "exact" and "prime" not in out and "seed" not in out
    for field in ("a^2-4", "b+1", "a^40+1", "", "2*a^2+1"):
        assert main(["point", "2,2,1", "--degree", "3", "--field", field, "--weights",
                     '[[["a",1],["a",1]],[[1,"a"]]]']) == 2
    assert "monic" in capsys.readouterr().err.splitlines()[-1]
    with pytest.raises(InputError):
        check_witness({"weights": W222, "field": "GF(7)"}, arch="2,2,2", degree=2)


def _results_file(tmp_path, *witnesses):
    """results.json with the given (arch, degree, witness) records, ids as a report writes them."""
    cases = []
    for arch, degree, w in witnesses:
        w = {**w, "id": witness_id(arch, degree, w["weights"], w.get("field"))}
        cases.append({"arch": arch, "degree": degree, "converse": {"witnesses": [w]}})
    f = tmp_path / "results.json"
    f.write_text(json.dumps({"cases": cases}))
    return f


def test_check_witness_all(tmp_path, capsys):
    """--all: one line per witness and a summary; exit 0 when all verify, 1 when one fails
    (the point over QQ[a]/(a^2+6) has full rank 4 = g at r = 3: not critical, no witness)."""
    good = ("2,2,2", 2, {"weights": W222, "field": "QQ"})
    bad = ("2,2,1", 3, {"weights": [[["a", "1/2*a + 3"], ["a", 1]], [[1, "a"]]],
                        "field": "QQ[a]/(a^2 + 6)", "minimal_polynomial": "a^2 + 6"})
    assert main(["check-witness", str(_results_file(tmp_path, good)), "--all"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and "verified" in lines[0] and lines[-1] == "1 of 1 witnesses verified"
    assert main(["check-witness", str(_results_file(tmp_path, good, bad)), "--all", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["verified"] == 1 and out["failed"] == [witness_id("2,2,1", 3, bad[2]["weights"], bad[2]["field"])]
    assert main(["check-witness", str(_results_file(tmp_path, good, bad)), "--all"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and "FAILED" in lines[1] and "1 of 2" in lines[2]
    assert main(["check-witness", str(_results_file(tmp_path, good))]) == 2     # no id, no --all


def test_an_edited_witness_keeps_no_verdict(tmp_path, capsys):
    """Weights changed under a kept id: the id is recomputed from the content and refused
    (exit 2), in single-id and --all mode alike."""
    wid = witness_id("2,2,2", 2, W222, "QQ")
    edited = [[[1, 0], [0, 1]], [[1, 1], [0, 1]]]
    results = {"cases": [{"arch": "2,2,2", "degree": 2, "converse": {"witnesses": [
        {"weights": edited, "field": "QQ", "id": wid, "verified": True}]}}]}
    f = tmp_path / "results.json"
    f.write_text(json.dumps(results))
    for argv in ([str(f), wid], [str(f), "--all"]):
        assert main(["check-witness", *argv]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "edited" in err[0] and witness_id("2,2,2", 2, edited, "QQ") in err[0]
