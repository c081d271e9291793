"""Corollary T (proofs/converse.md, section 10): at r >= r*(d) the converse is the proved
threshold statement; the method ``theorem`` agrees with the symbolic proof where both apply,
is refused below r*, and is what ``auto`` picks past the symbolic limits."""

import pytest

from verify.core.errors import InputError
from verify.crit_in_sub.by_theorem import theorem_applies, theorem_converse
from verify.crit_in_sub.converse import choose_method, converse
from verify.theorem.case import run_case

# (d, r) with r >= r*(d) where the symbolic proof on the stratified charts also runs in
# seconds: a second, independent route (a computer proof for this (d, r)).
BOTH = [("2,2,1", 3), ("2,2,1", 4), ("2,3,1", 5), ("3,2,1", 2), ("2,2,2", 3), ("2,2,2,1", 3)]


@pytest.mark.parametrize("arch,r", BOTH)
def test_theorem_agrees_with_the_symbolic_proof(arch, r):
    assert theorem_applies(arch, r)
    by_theorem = converse(arch, r, method="theorem")
    symbolic = converse(arch, r, method="symbolic")
    assert by_theorem["crit_in_sub"]["holds"] is True
    assert by_theorem["crit_in_sub"]["coverage"] == "all-codimensions"
    assert symbolic["crit_in_sub"]["holds"] is True
    assert symbolic["verdict"] == by_theorem["verdict"] == "crit-equals-sub"


# Below r*: the hand values of threshold.md (2 d_1 - 1 for (2, d_1, 1), Proposition S; 6 for
# 2,3,3,1, Theorem T3, section 15's table) and a degree under each.
@pytest.mark.parametrize("arch,r,r_star", [("2,2,1", 2, 3), ("2,3,1", 4, 5), ("2,3,3,1", 5, 6)])
def test_refused_below_the_proven_threshold(arch, r, r_star):
    assert not theorem_applies(arch, r)
    assert theorem_applies(arch, r_star)
    with pytest.raises(InputError, match=f"proven threshold of {arch} \\({r_star}\\)"):
        theorem_converse(arch, r)


def test_auto_takes_the_theorem_at_and_above_r_star_only():
    # r* = 3 for 2,2,1 (Proposition S): the theorem at r >= 3, a computation at r = 2
    assert choose_method("2,2,1", 5) == "theorem"
    assert choose_method("2,2,1", 2) == "symbolic"
    # 2,3,3,1: r* = 6 (Theorem T3); r = 5 is below it and past the symbolic limits
    assert choose_method("2,3,3,1", 6) == "theorem"
    assert choose_method("2,3,3,1", 7) == "theorem"
    assert choose_method("2,3,3,1", 5) not in ("theorem", "symbolic")


def test_case_record_names_the_statement():
    rec = run_case("2,3,3,1", 6)
    conv = rec["converse"]
    assert conv["crit_in_sub"]["method"] == "theorem"
    assert conv["details"]["by"] == "Theorem T3"
    assert rec["verdict"] == "holds" and rec["certificate"] == "proved-over-Q"
    assert any("method theorem" in why for why in rec["reasons"])
    assert rec["contradicts_theorem"] is False


def test_below_r_star_without_an_exact_method_the_limits_are_named():
    # 2,3,3,1 at r = 5: r* = 6, and both all-codimension methods are refused; the reason a case
    # record prints names each estimate against its limit
    from verify.crit_in_sub.converse import exact_refusals
    why = exact_refusals("2,3,3,1", 5)
    assert why.startswith("no exact method fits: symbolic: ")
    assert "chart variables (symbolic limit" in why and "points (limit" in why


# Theorem T3 is a statement at one degree.  For 2,3,2,4,2,3,1 its conditions hold at r = 9 and
# r >= 11 but not at r = 10 (floor effects of Lemma D3 at layer 5), so r* = 11 and r = 9 is an
# isolated degree: the theorem method applies there, and the threshold assembly counts it as
# proved by T3 (not as a computer proof).  The T3 verdicts come from theorem_t3_check, whose
# conditions tests/test_threshold_theorem_t3.py checks against hand values; what this checks is
# that the per-degree statement is used, and used only where it holds.
ISOLATED = "2,3,2,4,2,3,1"


def test_theorem_t3_at_an_isolated_degree_decides_that_degree_only():
    from verify.core.threshold_bounds import proven_threshold, theorem_t3_check
    assert proven_threshold(ISOLATED)["value"] == 11
    assert [r for r in range(2, 11) if theorem_t3_check(ISOLATED, r)["holds"]] == [9]
    assert [theorem_applies(ISOLATED, r) for r in (8, 9, 10, 11)] == [False, True, False, True]
    out = theorem_converse(ISOLATED, 9)
    assert out["certificate"] == "proved-over-Q" and out["details"]["by"] == "Theorem T3"
    assert "isolated degree" in out["details"]["statement"]
    with pytest.raises(InputError, match="or Theorem T3 at r; got r = 10"):
        theorem_converse(ISOLATED, 10)


def test_threshold_assembly_uses_theorem_t3_at_its_degrees():
    from verify.theorem.threshold import threshold_theorem
    P = "proved-over-Q"
    fail8 = {"degree": 8, "verdict": "fails", "certificate": P}
    t = threshold_theorem(ISOLATED, [fail8, {"degree": 10, "verdict": "holds", "certificate": P}])
    assert (t["status"], t["value"]) == ("proved", 9)
    assert t["pieces"]["t3_degrees"]["degrees"] == [9]
    assert t["pieces"]["computed"]["degrees"] == [10]          # only 10 is a computer proof
    t = threshold_theorem(ISOLATED, [fail8])
    assert t["status"] == "open" and t["interval"] == [9, 11]
    assert [m["degree"] for m in t["missing"]] == [10]         # 9 is proved, so not missing
    # a proved failure where T3 holds is a contradiction, like one at r >= r*
    t = threshold_theorem(ISOLATED, [{"degree": 9, "verdict": "fails", "certificate": P}])
    assert t["status"] == "contradiction"
    from verify.theorem.case import _threshold_fields
    from verify.core.threshold_bounds import proven_threshold
    th = proven_threshold(ISOLATED)
    assert _threshold_fields(th, ISOLATED, 9, "fails")["contradicts_theorem"] is True
    assert _threshold_fields(th, ISOLATED, 10, "fails")["contradicts_theorem"] is False
