"""The cache key digests the modules that compute a case and nothing else
(verify/theorem/case.py: case_modules, code_digest): editing the mathematics a case runs
invalidates the cache; editing a module no case imports (the evidence for Conjecture D5, a
report) does not."""

import shutil
from pathlib import Path

from verify.theorem.case import case_modules, code_digest

PACKAGE = Path(__file__).resolve().parents[1] / "verify"


def test_the_closure_follows_the_imports_of_a_case():
    mods = set(case_modules())
    # read off the source by hand: run_case -> _converse -> crit_in_sub/converse.py, whose
    # _run_method imports symbolic, slicing, exhaustive and by_theorem; by_theorem imports
    # core/threshold_bounds; the threshold part imports theorem/threshold.py
    assert {"theorem/case.py", "crit_in_sub/converse.py", "crit_in_sub/symbolic.py",
            "crit_in_sub/slicing.py", "crit_in_sub/exhaustive.py", "crit_in_sub/by_theorem.py",
            "core/threshold_bounds.py", "theorem/threshold.py", "theorem/general_case.py",
            "__init__.py", "crit_in_sub/__init__.py"} <= mods
    assert not mods & {"theorem/directness.py", "theorem/directness_on_u.py", "theorem/pencil_codegree.py", "cli.py"}
    assert not any(m.startswith(("run/", "commands/")) for m in mods)


def test_only_a_module_a_case_imports_changes_the_digest(tmp_path):
    copy = tmp_path / "verify"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_digest(copy)
    assert before == code_digest(PACKAGE)
    with open(copy / "theorem" / "directness_on_u.py", "a") as fh:
        fh.write("\n# an edit no case sees\n")
    assert code_digest(copy) == before
    with open(copy / "crit_in_sub" / "symbolic.py", "a") as fh:
        fh.write("\n# an edit every symbolic case sees\n")
    assert code_digest(copy) != before
