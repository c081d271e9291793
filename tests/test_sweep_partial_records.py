"""A stopped case never becomes final silently (issue 23).

A case stopped by its timeout (or killed) keeps the parts it finished; when its strata
already show a stratum not critical it is ``fails``, but its converse is lost.  Such a
record is *partial*: marked in the record (``partial``: stop, reason, kept and lost parts),
in results.json (``complete``, ``partial``) and in REPORT.md (a grid mark, a section with the
reason, the unrun inclusion's reason instead of a bare "?"); the next sweep reruns it unless
``keep_partial`` (``--keep-partial``).  Also: a sweep whose cases end in ``error`` exits 3,
one progress line per finished case goes to stderr when it is not a terminal, and a
catalogue case whose timeout nobody names stops after the default 60 s.
"""

import json

from conftest import run_cli
from verify.run.cache import is_finished, is_partial
from verify.run.catalogue import DEFAULT_TIMEOUT, CaseSpec, load_catalogue


# --- the rule, on hand-made records ---------------------------------------------------------

SPEC = CaseSpec("2,2,1", 3, timeout=20)


def _entry(**record):
    return {"key": "k", "inputs": {}, "record": record, "seconds": {}}


def test_a_finished_record_is_final_and_a_partial_one_is_not():
    finished = _entry(verdict="fails", converse={"verdict": "run"})
    stopped_fails = _entry(verdict="fails", timeout=20.0,
                           partial={"stop": "timed-out", "reason": "no result within 20 s"})
    timed_out = _entry(verdict="timed-out", timeout=20.0,
                       partial={"stop": "timed-out", "reason": "no result within 20 s"})
    killed = _entry(verdict="fails", timeout=None,
                    partial={"stop": "error", "reason": "the case process died (signal 9)"})
    error = _entry(verdict="error", partial={"stop": "error", "reason": "memory limit"})
    old_style = _entry(verdict="fails", timeout=20.0, strata={"verdict": "run"})   # before issue 23
    assert is_finished(finished, SPEC) and is_finished(finished, SPEC, keep_partial=True)
    for e in (stopped_fails, timed_out, killed, error, old_style):
        assert is_partial(e["record"])
        assert not is_finished(e, SPEC)                       # rerun by default
    for e in (stopped_fails, timed_out, killed, old_style):
        assert is_finished(e, SPEC, keep_partial=True)        # kept when asked ...
    assert not is_finished(error, SPEC, keep_partial=True)    # ... but an error is always rerun
    longer = CaseSpec("2,2,1", 3, timeout=40)                 # and a longer timeout reruns
    assert not is_finished(timed_out, longer, keep_partial=True)
    assert not is_finished(stopped_fails, longer, keep_partial=True)
    assert not is_partial({"verdict": "holds"}) and is_finished(None, SPEC) is False


# --- a real stopped case ------------------------------------------------------------------

def test_a_stopped_case_is_partial_reported_and_rerun(tmp_path):
    # 2,7,1 at r = 4 (tests/test_sweep_case_record.py: g = 5 = A, so A_1 is not critical, a
    # proved failure; the symbolic converse takes minutes): stopped at 8 s it is fails from
    # its finished strata, with Crit in Sub unknown and the stop as the reason.
    from verify.run.report import write_report
    from verify.run.sweep import close_zygotes, run_sweep
    close_zygotes()
    spec = CaseSpec("2,7,1", 4, timeout=8)
    cache = tmp_path / "r" / "cache" / "cases.jsonl"
    (entry,) = run_sweep([spec], cache, progress=False)
    rec = entry["record"]
    assert rec["verdict"] == "fails" and rec["certificate"] == "proved-over-Q"
    part = rec["partial"]
    assert part["stop"] == "timed-out" and part["reason"].startswith("no result within 8 s")
    assert part["kept"] == ["generic_rank", "strata"] and part["lost"] == ["converse"]
    assert rec["sub_in_crit"]["holds"] is False
    assert rec["crit_in_sub"]["holds"] is None and rec["crit_in_sub"]["reason"] == part["reason"]

    results = write_report([entry], tmp_path / "r", "stopped")
    assert results["complete"] is False
    assert results["partial"] == [{"case": "2,7,1 r=4", "verdict": "fails", "stop": "timed-out",
                                   "reason": part["reason"], "kept": ["generic_rank", "strata"]}]
    text = (tmp_path / "r" / "REPORT.md").read_text()
    grid = next(l for l in text.splitlines() if l.startswith("| 2,7,1 |"))   # the grid's row
    assert grid.endswith("| F Q* |")
    assert "## Partial records" in text and "no result within 8 s" in text
    row = next(l for l in text.splitlines() if l.startswith("| 2,7,1 | 4 |"))
    assert "[partial](#partial-records)" in row
    assert "[no](proofs/strata.md)" in row                     # what is known ...
    assert "[?](proofs/converse.md) no result within 8 s" in row   # ... and why the rest is not
    assert "None" not in text.replace("None found in this catalogue", "")

    (again,) = run_sweep([spec], cache, progress=False)       # rerun: a second line
    assert cache.read_text().count("\n") == 2 and again["record"]["partial"]
    run_sweep([spec], cache, progress=False, keep_partial=True)   # kept: no third line
    assert cache.read_text().count("\n") == 2
    close_zygotes()


def test_a_complete_run_says_so():
    from verify.run.report import build_results
    rec = {"arch": "2,2,1", "widths": [2, 2, 1], "degree": 3, "verdict": "holds",
           "converse": {"witnesses": []}}
    res = build_results([rec], "demo")
    assert res["complete"] is True and res["partial"] == []


# --- exit status and progress lines -------------------------------------------------------

def test_cases_in_error_exit_3_and_progress_lines_go_to_stderr(tmp_path):
    # A memory limit below what a case process maps already: every case is an error
    # ("memory limit"); the report is still written.  stderr is a pipe here, not a terminal:
    # one line per finished case.
    code, out, err = run_cli("sweep", "--arch", "2,2,1", "--degrees", "2-3", "--method", "none",
                             "--memory-limit", "0.01", "--jobs", "1", "--report", tmp_path / "r")
    assert code == 3, err
    assert "2 case(s) ended in error: exit status 3" in out
    lines = [l for l in err.splitlines() if l.startswith("[")]
    assert [l.split(":")[0] for l in lines] == ["[1/2] 2,2,1 r=2", "[2/2] 2,2,1 r=3"]
    assert all("error" in l and "memory limit" in l for l in lines)
    res = json.loads((tmp_path / "r" / "results.json").read_text())
    assert res["counts"] == {"error": 2} and res["complete"] is False
    code, out, err = run_cli("sweep", "--arch", "2,2,1", "--degrees", "2", "--method", "none",
                             "--no-progress", "--report", tmp_path / "ok")
    assert code == 0 and err == "", err                      # --no-progress: no lines


# --- the default timeout of a catalogue ----------------------------------------------------

def test_a_catalogue_case_without_a_timeout_gets_the_default(tmp_path):
    cat = tmp_path / "mine.toml"
    cat.write_text('[[case]]\narch = "3,4,1"\ndegrees = "2-3"\n'
                   '[[case]]\narch = "2,2,1"\ndegrees = 2\ntimeout = 5\n')
    _, specs = load_catalogue(cat)
    assert {(s.arch, s.timeout) for s in specs} == {("3,4,1", DEFAULT_TIMEOUT), ("2,2,1", 5.0)}
    assert DEFAULT_TIMEOUT == 60
    cat.write_text('[defaults]\ntimeout = 7\nmethod = "none"\nseed = 3\n'
                   '[[case]]\narch = "3,4,1"\ndegrees = "2-3"\n'
                   '[[case]]\narch = "2,2,1"\ndegrees = 2\ntimeout = 5\n')
    _, specs = load_catalogue(cat)
    assert {(s.arch, s.timeout, s.method, s.seed) for s in specs} == {
        ("3,4,1", 7.0, "none", 3), ("2,2,1", 5.0, "none", 3)}


def test_the_atlas_lists_a_partial_failure_as_not_finished():
    from verify.run.atlas import unfinished_cases
    reason = "no result within 20 s (it was running: converse (slice))"
    recs = [{"arch": "2,7,1", "degree": 4, "verdict": "fails", "reasons": ["Sub not in Crit", reason],
             "partial": {"stop": "timed-out", "reason": reason}},
            {"arch": "2,2,1", "degree": 3, "verdict": "holds", "reasons": []}]
    assert unfinished_cases(recs, "converse") == [
        {"arch": "2,7,1", "degree": 4, "verdict": "fails (partial)", "reason": reason}]


def test_a_case_stopped_in_random_slices_is_undecided_not_timed_out():
    # 2,3,3,1 at r = 5: below r* = 6, and no exact method fits (8 chart variables against the
    # symbolic limit of 6; ~10^17 GF(p)-points against 2 * 10^7): auto says so, then runs
    # slices, which can never prove Crit in Sub, so the stop leaves the case undecided
    from verify.crit_in_sub.converse import exact_refusals
    from verify.run.case_process import _stopped_verdict, failed_record
    spec = CaseSpec("2,3,3,1", 5, timeout=20)
    refused = exact_refusals("2,3,3,1", 5)
    verdict, reason = _stopped_verdict(spec, "converse (slice)", refused)
    assert verdict == "undecided"
    assert reason.startswith("no exact method fits: symbolic:") and "stopped after 20 s" in reason
    rec = failed_record(spec, verdict, reason, {}, stop="timed-out")
    assert rec["verdict"] == "undecided" and rec["partial"]["stop"] == "timed-out"
    assert rec["timeout"] == 20 and is_partial(rec)
    # stopped in a method that could have decided it, or without the converse's refusal: timed-out
    assert _stopped_verdict(spec, "converse (exhaustive)", refused) == ("timed-out", None)
    assert _stopped_verdict(spec, "strata", refused) == ("timed-out", None)
    assert _stopped_verdict(spec, "converse (slice)", None) == ("timed-out", None)
    # a peeled network's slices (auto may go on with the case's own methods): timed-out
    stage = "converse (reduction to 2,3,3,1: slice)"
    assert _stopped_verdict(CaseSpec("2,2,3,3,1", 5, timeout=20), stage, refused) == ("timed-out", None)
    # slices the user asked for: timed-out
    assert _stopped_verdict(CaseSpec("2,3,3,1", 5, method="slice", timeout=20),
                            "converse (slice)", refused) == ("timed-out", None)


def test_the_converse_says_why_before_its_slices_and_the_sweep_reads_it():
    from verify.run.case_process import _case_output
    import json as _json
    lines = [{"progress": {"part": "converse", "stage": "pre-pass"}},
             {"progress": {"part": "converse", "stage": "no exact method fits: symbolic: x"}},
             {"progress": {"part": "converse", "stage": "slice"}}]
    data = "\n".join(_json.dumps(x) for x in lines)
    _, _, stage, refused = _case_output(data)
    assert stage == "converse (slice)" and refused == "no exact method fits: symbolic: x"
