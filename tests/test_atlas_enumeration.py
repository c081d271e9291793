"""The atlas (issue 14): every small architecture enumerated, and its generic-rank column.

Definition (issue 14): an architecture is d = (d_0, ..., d_L) with L >= 2 weight layers,
d_0 >= 2, hidden widths d_1, ..., d_(L-1) >= 2 and d_L >= 1; its size is the number of
weights N = sum_l d_l d_(l-1).

By hand, N <= 8.  The first layer has d_0 d_1 >= 4 weights.  With L >= 3 there are at
least d_0 d_1 + d_1 d_2 + d_2 d_L >= 4 + 4 + 2 = 10 > 8 weights, so L = 2 and
N = d_1 (d_0 + d_2).  d_1 >= 3 gives N >= 3 (2 + 1) = 9 > 8, so d_1 = 2 and
d_0 + d_2 <= 4 with d_0 >= 2, d_2 >= 1:

    (2, 2, 1)  N = 4 + 2 = 6
    (2, 2, 2)  N = 4 + 4 = 8
    (3, 2, 1)  N = 6 + 2 = 8

three architectures.  The counts 50 (N <= 16), 279 (N <= 24) and 4,418 (N <= 40) are the
issue's; the atlas's breadth-first enumeration is checked against a recursive generator
written here from the definition.

The r = 2 column of shallow single-output networks (d_0, d_1, 1) is checked against
Alexander-Hirschowitz at r = 2 (sums of d_1 squares of linear forms in d_0 variables =
quadrics of rank <= d_1): the variety of symmetric d_0 x d_0 matrices of rank <= d_1 has
dimension d_1 d_0 - C(d_1, 2) for d_1 <= d_0 and C(d_0 + 1, 2) (all quadrics) otherwise;
its generic rank is defective iff 2 <= d_1 <= d_0 - 1 (then d_1 d_0 - C(d_1, 2) < min(N - H,
A) = min(d_0 d_1, C(d_0 + 1, 2))).  The value is also recomputed with a second prime.
Over the whole ranks tier (N <= 40, r = 2..8) two families have their generic rank from the
literature: every shallow single-output network (Alexander-Hirschowitz, all degrees) and
every equi-width network (expected dimension at every r, Finkel-Rodriguez-Wu-Yahl 2025).
"""

import csv
import json
from math import comb

import pytest

from conftest import run_cli


def recursive_architectures(max_params, max_depth=None):
    """Every architecture with N <= max_params, by recursion on the last hidden width."""
    found = []

    def grow(widths, used):
        last = widths[-1]
        L = len(widths)                                  # weight layers once closed
        if L >= 2 and (max_depth is None or L <= max_depth):
            d_L = 1
            while used + last * d_L <= max_params:
                found.append(widths + (d_L,))
                d_L += 1
        h = 2
        while used + last * h + h <= max_params:        # a hidden layer, then >= 1 output
            grow(widths + (h,), used + last * h)
            h += 1

    for d0 in range(2, max_params + 1):
        grow((d0,), 0)
    return found


def _params(w):
    return sum(a * b for a, b in zip(w, w[1:]))


def test_by_hand_n_at_most_8():
    from verify.run.atlas import enumerate_architectures
    assert [a.widths for a in enumerate_architectures(8)] == [(2, 2, 1), (2, 2, 2), (3, 2, 1)]
    assert enumerate_architectures(5) == []
    assert [a.widths for a in enumerate_architectures(6)] == [(2, 2, 1)]


@pytest.mark.parametrize("max_params, count", [(16, 50), (24, 279), (40, 4418)])
def test_counts_match_the_issue_and_an_independent_enumeration(max_params, count):
    from verify.run.atlas import enumerate_architectures
    ours = [a.widths for a in enumerate_architectures(max_params)]
    theirs = recursive_architectures(max_params)
    assert len(ours) == len(set(ours)) == count
    assert set(ours) == set(theirs) and len(theirs) == count
    for w in ours:                                       # the definition, once more
        assert len(w) >= 3 and w[0] >= 2 and all(h >= 2 for h in w[1:-1]) and w[-1] >= 1
        assert _params(w) <= max_params


def test_max_depth_and_limits():
    from verify.core.errors import InputError
    from verify.run.atlas import enumerate_architectures
    for L in (2, 3, 5):
        ours = {a.widths for a in enumerate_architectures(24, max_depth=L)}
        assert ours == set(recursive_architectures(24, max_depth=L))
        assert ours == {w for w in recursive_architectures(24) if len(w) - 1 <= L}
    with pytest.raises(InputError):
        enumerate_architectures(10 ** 6)
    with pytest.raises(InputError):
        enumerate_architectures(16, max_depth=1)


def test_specs_per_tier():
    from verify.run.atlas import atlas_specs, enumerate_architectures
    archs = enumerate_architectures(8)
    ranks = atlas_specs(archs, "2-4", "ranks", timeout=5)
    assert [(s.arch, s.degree) for s in ranks][:3] == [("2,2,1", 2), ("2,2,1", 3), ("2,2,1", 4)]
    assert len(ranks) == 9 and {s.method for s in ranks} == {"none"}
    assert {s.method for s in atlas_specs(archs, [2], "converse")} == {"auto"}


def _ah_dimension(d0, d1):
    """Dimension of the quadrics of rank <= d1 in d0 variables (= g at r = 2)."""
    return d1 * d0 - comb(d1, 2) if d1 <= d0 else comb(d0 + 1, 2)


SHALLOW = [(2, 2), (2, 3), (3, 2), (3, 3), (3, 4), (4, 2), (4, 3), (4, 5), (5, 3)]


def test_r2_column_against_alexander_hirschowitz_and_a_second_prime():
    from verify.core.architecture import Architecture
    from verify.core.rank import generic_rank
    from verify.run.atlas import ah_defective, atlas_rows
    from verify.theorem.case import run_case
    records = [run_case(f"{d0},{d1},1", 2, method="none", parts=("generic_rank", "strata"))
               for d0, d1 in SHALLOW]
    rows = {row["arch"]: row for row in atlas_rows(records, "ranks")}
    for d0, d1 in SHALLOW:
        cell = rows[f"{d0},{d1},1"]["ranks"][2]
        assert cell["value"] == _ah_dimension(d0, d1), (d0, d1)
        assert cell["exact"] is True, (d0, d1, cell)
        assert (cell["mark"] == "defective") == (2 <= d1 <= d0 - 1) == ah_defective((d0, d1, 1), 2)
        second = generic_rank(Architecture((d0, d1, 1)), 2, prime=1000003, seed=1)
        assert second.value == cell["value"], (d0, d1)


def _ah_secant_dimension(d0, d1, r):
    """Alexander-Hirschowitz: the d1-th secant of the degree-r Veronese of P^(d0 - 1) has
    (affine) dimension min(d1 d0, C(d0 + r - 1, r)), except quadrics (r = 2: rank <= d1,
    _ah_dimension) and the four exceptions, one less."""
    if r == 2:
        return _ah_dimension(d0, d1)
    return min(d1 * d0, comb(d0 + r - 1, r)) - ((d0, r, d1) in
                                                {(3, 4, 5), (4, 4, 9), (5, 3, 7), (5, 4, 14)})


def test_every_shallow_single_output_generic_rank_of_the_ranks_tier_is_alexander_hirschowitz():
    """The whole shallow single-output part of the ranks tier (all 60 architectures
    (d_0, d_1, 1) with N <= 40, r = 2..8): the generic rank equals the dimension of
    Alexander and Hirschowitz, from the literature (the exceptions typed in here again)."""
    from verify.core.rank import generic_rank
    from verify.run.atlas import enumerate_architectures
    shallow = [a for a in enumerate_architectures(40, max_depth=2) if a.widths[2] == 1]
    assert len(shallow) == sum(1 for d1 in range(2, 14) for d0 in range(2, 40)
                               if d1 * (d0 + 1) <= 40) == 60
    wrong = [(str(a), r) for a in shallow for r in range(2, 9)
             if generic_rank(a, r).value != _ah_secant_dimension(a.widths[0], a.widths[1], r)]
    assert wrong == []


def test_every_equi_width_generic_rank_of_the_ranks_tier_is_the_expected_dimension():
    """Equi-width architectures (d, d, ..., d) have activation degree threshold 1: their
    neurovariety has the expected dimension min(N - H, A) at every r (Finkel, Rodriguez, Wu,
    Yahl, Algebraic Statistics 16 (2025), arXiv:2408.04569).  All 13 of them with N <= 40,
    r = 2..8, listed here from N = L d^2 <= 40."""
    from verify.core.architecture import Architecture
    from verify.core.rank import generic_rank
    from verify.run.atlas import enumerate_architectures
    by_hand = {(d,) * (L + 1) for d, most in ((2, 10), (3, 4), (4, 2)) for L in range(2, most + 1)}
    equi = [a for a in enumerate_architectures(40) if len(set(a.widths)) == 1]
    assert {a.widths for a in equi} == by_hand and len(by_hand) == 13
    wrong = [(str(a), r) for a in map(Architecture, sorted(by_hand)) for r in range(2, 9)
             if generic_rank(a, r).value != min(a.params - a.hidden, a.ambient(r))]
    assert wrong == []


def test_alexander_hirschowitz_exceptions_are_in_the_mark():
    from verify.run.atlas import ah_defective
    assert ah_defective((5, 7, 1), 3) and ah_defective((3, 5, 1), 4)
    assert not ah_defective((5, 6, 1), 3) and not ah_defective((3, 3, 1), 2)
    assert ah_defective((3, 2, 2), 2) is None


def test_unfinished_cases_are_listed_with_their_reason(tmp_path):
    from verify.run.atlas import write_atlas
    entries = [{"record": {"arch": "2,2,1", "degree": 2, "verdict": "timed-out",
                           "reasons": ["no result within 5 s"], "certificate": None,
                           "proven_threshold": 3}, "seconds": {"wall": 5.0}},
               {"record": {"arch": "2,2,1", "degree": 3, "verdict": "undecided",
                           "reasons": ["Crit in Sub examined on codimensions 1, 2"],
                           "certificate": None, "proven_threshold": 3,
                           "generic_rank": {"value": 4, "certificate": "exact"}},
                "seconds": {"wall": 1.0}}]
    out = write_atlas(entries, tmp_path, "converse", {"max_params": 6, "degrees": "2-3"})
    assert out["unfinished"] == 2
    text = (tmp_path / "ATLAS.md").read_text()
    assert "no result within 5 s" in text and "codimensions 1, 2" in text
    rows = list(csv.DictReader((tmp_path / "atlas.csv").open()))
    assert rows[0]["g_r3"] == "4" and rows[0]["mark_r3"] == "filling"


def test_atlas_command_end_to_end_and_resume(tmp_path):
    args = ["atlas", "--tier", "ranks", "--max-params", "6", "--degrees", "2-3", "--jobs", "1",
            "--report", tmp_path, "--no-progress", "--json"]
    code, out, err = run_cli(*args)
    assert code == 0, err
    first = json.loads(out)
    assert first["architectures"] == 1 and first["cases"] == 2 and first["unfinished"] == 0
    for name in ("ATLAS.md", "atlas.csv", "atlas.html", "threshold_vs_width.png",
                 "threshold_vs_width.svg"):
        assert (tmp_path / name).is_file(), name
    assert "<script>" in (tmp_path / "atlas.html").read_text()
    lines = (tmp_path / "cache" / "cases.jsonl").read_text().splitlines()
    code, out, err = run_cli(*args)                      # resumed: nothing recomputed
    assert code == 0, err
    assert (tmp_path / "cache" / "cases.jsonl").read_text().splitlines() == lines
    rows = list(csv.DictReader((tmp_path / "atlas.csv").open()))
    assert [r["arch"] for r in rows] == ["2,2,1"] and rows[0]["g_r2"] == "3"
    code, out, err = run_cli("atlas", "--list", "--max-params", "16")
    assert code == 0 and out.strip().endswith("50 architectures")


def test_cases_run_cheapest_first_and_come_back_in_atlas_order(tmp_path):
    # The cost order is the cost guard's estimate, recomputed here from its definition
    # (verify/core/cost.py); the cache is written in the order the cases finished (one job:
    # the order they ran), the entries come back in atlas order.
    from verify.core.architecture import Architecture
    from verify.core.cost import estimate
    from verify.run.atlas import atlas_specs, enumerate_architectures, run_atlas
    specs = atlas_specs(enumerate_architectures(8), "2-4", "ranks", timeout=60)
    entries, summary = run_atlas(specs, tmp_path, "ranks", {"max_params": 8, "degrees": "2-4"},
                                 jobs=1, progress=False)
    assert [(e["inputs"]["arch"], e["inputs"]["degree"]) for e in entries] == \
        [(s.arch, s.degree) for s in specs]
    ran = [json.loads(line)["inputs"] for line in
           (tmp_path / "cache" / "cases.jsonl").read_text().splitlines()]
    bits = [estimate(Architecture.parse(i["arch"]), i["degree"])["log2_bits"] for i in ran]
    assert len(ran) == 9 and bits == sorted(bits)
    assert [(i["arch"], i["degree"]) for i in ran] != [(s.arch, s.degree) for s in specs]
    assert summary["cases"] == 9
    # The generic-rank table, by hand (module docstring's three architectures, A = ambient
    # dimension, N - H = weights minus hidden neurons): 2,2,1: A = 3, 4, 5 and N - H = 4, so
    # g = 3 (filling), 4 (filling), 4 (expected); 3,2,1: quadrics of rank <= 2 in 3 variables
    # have dimension 5 < min(6, 6) (defective, Alexander-Hirschowitz), then g = 6 < A = 10, 15
    # (expected); 2,2,2: a generic pair of binary quadrics lies in the span of two squares,
    # g = 6 = A (filling), then g = N - H = 6 < A = 8, 10 (expected).  One stratum is not
    # critical: B_{1,0} of 2,2,1 at r = 2 (column 0 of W_2 zero): the image of J contains
    # l_0^2 (the zero column's direction) and l_1 x, l_1 y (row 1 of W_1), which span all
    # binary quadrics, so rank 3 = g; r = 2 is below its threshold 2 d_1 - 1 = 3.
    text = (tmp_path / "ATLAS.md").read_text()
    assert "| defective | 1 | 0 | 0 |" in text and "| filling | 2 | 1 | 0 |" in text
    assert "| expected | 0 | 2 | 3 |" in text and "| g exact | 3 | 3 | 3 |" in text
    assert "| a stratum not critical | 1 | 0 | 0 |" in text


def test_verdicts_per_degree_and_what_the_stopped_cases_were_running(tmp_path):
    from verify.run.atlas import write_atlas

    def rec(arch, r, verdict, cert=None, why=()):
        return {"record": {"arch": arch, "degree": r, "verdict": verdict, "certificate": cert,
                           "reasons": list(why), "proven_threshold": 5}, "seconds": {"wall": 1.0}}
    slice_ = "no result within 20 s (it was running: converse (slice))"
    entries = [rec("2,2,1", 2, "fails", "proved-over-Q"), rec("2,2,1", 3, "holds", "proved-over-Q"),
               rec("2,2,2", 2, "holds", "exhaustive-GF(29)"), rec("2,2,2", 3, "timed-out", why=[slice_]),
               rec("3,2,1", 2, "timed-out", why=[slice_.replace("(slice)", "(reduction to 2,2,1: slice)")]),
               rec("3,2,1", 3, "timed-out", why=["no result within 20 s (it was running: strata)"])]
    out = write_atlas(entries, tmp_path, "converse", {"max_params": 8, "degrees": "2-3"})
    assert out["proved_over_Q"] == {"2": 0, "3": 1} and out["unfinished"] == 3
    text = (tmp_path / "ATLAS.md").read_text()
    assert "| **Crit = Sub proved over Q** | **0 / 3** | **1 / 3** |" in text
    assert "| holds (exhaustive over GF(p)) | 1 | 0 |" in text
    assert "| timed-out | 1 | 2 |" in text and "| fails | 1 | 0 |" in text
    assert "converse/slice: 1; converse/slice after a reduction: 1; strata: 1." in text


def test_witness_families_are_remembered_between_writes(tmp_path, monkeypatch):
    # Classifying witnesses under the symmetries is the slow part of writing the atlas; a
    # second write of the same cases reads the families from REPORT/cache/families.json and
    # gives the same atlas, and different witnesses are classified afresh.
    import verify.run.atlas as atlas
    from verify.theorem.case import run_case
    rec = run_case("4,3,1", 3)                     # three first-layer rows in a 2-plane
    assert rec["verdict"] == "fails" and rec["converse"]["witnesses"]
    scope = {"max_params": 16, "degrees": "3"}
    atlas.write_atlas([{"record": rec, "seconds": {}}], tmp_path, "converse", scope)
    first = (tmp_path / "atlas.csv").read_text()
    row = next(csv.DictReader((tmp_path / "atlas.csv").open()))
    assert row["families_below_threshold"].startswith("r=3: ")
    assert len(json.loads((tmp_path / "cache" / "families.json").read_text())) == 1

    def recomputed(records):
        raise AssertionError("families recomputed")
    monkeypatch.setattr(atlas, "_families", recomputed)
    atlas.write_atlas([{"record": rec, "seconds": {}}], tmp_path, "converse", scope)
    assert (tmp_path / "atlas.csv").read_text() == first
    other = {**rec, "converse": {**rec["converse"],
                                 "witnesses": [{**rec["converse"]["witnesses"][0], "id": "w-other"}]}}
    with pytest.raises(AssertionError, match="families recomputed"):
        atlas.write_atlas([{"record": other, "seconds": {}}], tmp_path, "converse", scope)


def test_a_failure_above_a_candidate_is_a_surprise(tmp_path):
    """A case that fails at r proves the threshold is above r: written by hand, 2,3,2,1 failing
    at r = 4 lies above the conjecture of section 12 (max(2*2 - 1, 2*3 - 2) = 4) but not above
    2 d_1 - 1 = 5 or 2 max_l d_l - 1 = 5; 2,2,3,1 failing at 4 lies above 2 d_1 - 1 = 3 (the
    shallow formula) and not above the other two (5, 5)."""
    from verify.run.atlas import write_atlas

    def entry(arch, r, verdict):
        return {"record": {"arch": arch, "degree": r, "verdict": verdict, "reasons": [],
                           "certificate": "proved-over-Q" if verdict == "fails" else None,
                           "proven_threshold": 10}, "seconds": {}}
    entries = [entry("2,3,2,1", 3, "fails"), entry("2,3,2,1", 4, "fails"),
               entry("2,2,3,1", 4, "fails"), entry("2,2,3,1", 5, "holds")]
    out = write_atlas(entries, tmp_path, "converse", {"max_params": 16, "degrees": "3-5"})
    assert out["surprises"]["below_a_failure"] == 2
    doc = json.loads((tmp_path / "atlas.json").read_text())
    hits = {hit["arch"]: hit for hit in doc["surprises"]["below_a_failure"]}
    assert hits["2,3,2,1"]["fails_at"] == 4 and hits["2,2,3,1"]["fails_at"] == 4
    assert hits["2,3,2,1"]["candidates"] == {"conjecture of section 12": 4}
    assert hits["2,2,3,1"]["candidates"] == {"2 d_1 - 1": 3}
    rows = {row["arch"]: row for row in csv.DictReader((tmp_path / "atlas.csv").open())}
    assert rows["2,3,2,1"]["threshold_lower_bound"] == "5"
    assert rows["2,2,3,1"]["threshold_lower_bound"] == "5" and rows["2,2,3,1"]["conjectured_threshold"] == "5"
