"""Resumable sweeps (issue 6): a sweep killed at any moment (SIGKILL to its whole
process group, even in the middle of writing a cache line) and started again
skips the finished cases, loses none, and ends with a results.json byte-identical
to that of an uninterrupted run."""

import json
import os
import signal
import subprocess
import sys
import time

from conftest import ROOT, alive, descendants, run_cli

TINY = """
name = "tiny"
[defaults]
method = "none"
[[case]]
arch = "2,2,1"
degrees = "2-5"
[[case]]
arch = "2,3,1"
degrees = "2-4"
[[case]]
arch = "2,2,2,1"
degrees = "2-3"
"""
TOTAL = 4 + 3 + 2


def _lines(path):
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _sweep(catalogue, report, *extra):
    code, out, err = run_cli("sweep", "--catalogue", catalogue, "--report", report,
                             "--no-progress", *extra)
    assert code == 0, err
    return out


def test_killed_sweep_resumes_to_identical_results(tmp_path):
    cat = tmp_path / "tiny.toml"
    cat.write_text(TINY)
    _sweep(cat, tmp_path / "whole", "--jobs", "1")
    whole = (tmp_path / "whole" / "results.json").read_bytes()
    assert len(json.loads(whole)["cases"]) == TOTAL

    report = tmp_path / "broken"
    cache = report / "cache" / "cases.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "verify", "sweep", "--catalogue", str(cat),
                             "--report", str(report), "--jobs", "1", "--no-progress"],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while _lines(cache) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
    finally:
        family = descendants(proc.pid)          # fork server and case processes
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    done = _lines(cache)
    # Case processes run in their own process groups; they die with their parent.
    deadline = time.monotonic() + 30
    while any(alive(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(p) for p in family), "a case process outlived the killed sweep"
    assert 2 <= done < TOTAL, "the kill must land in the middle of the sweep"
    assert not (report / "results.json").exists()
    # A kill in the middle of a write leaves a torn last line: simulate one.
    with open(cache, "ab") as f:
        f.write(b'{"key": "torn", "record": {"arch": "2,2')
    _sweep(cat, report, "--jobs", "2")
    assert (report / "results.json").read_bytes() == whole
    # Finished cases were not recomputed: one line per case, the torn one gone.
    assert _lines(cache) == TOTAL
    assert b"torn" not in cache.read_bytes()


def test_second_run_reads_the_cache_and_fresh_recomputes(tmp_path):
    cat = tmp_path / "tiny.toml"
    cat.write_text(TINY.replace('degrees = "2-5"', 'degrees = "2-3"'))
    total = 2 + 3 + 2
    _sweep(cat, tmp_path / "r", "--jobs", "2")
    cache = tmp_path / "r" / "cache" / "cases.jsonl"
    first = (tmp_path / "r" / "results.json").read_bytes()
    assert _lines(cache) == total
    _sweep(cat, tmp_path / "r")
    assert _lines(cache) == total                  # nothing recomputed
    assert (tmp_path / "r" / "results.json").read_bytes() == first
    # Mark every cached line with an impossible wall clock: a line that survives --fresh
    # keeps the mark.  (Comparing old and new clocks is flaky: rounded clocks can agree.)
    marked = [json.loads(l) for l in cache.read_text().splitlines()]
    for line in marked:
        line["seconds"]["wall"] = -1.0
    cache.write_text("".join(json.dumps(line) + "\n" for line in marked))
    _sweep(cat, tmp_path / "r", "--fresh")
    # Everything recomputed, and the cache keeps one line per case.
    after = {json.loads(l)["key"]: json.loads(l)["seconds"] for l in cache.read_text().splitlines()}
    assert _lines(cache) == total and set(after) == {line["key"] for line in marked}
    assert all(after[k]["wall"] >= 0 for k in after)
    assert (tmp_path / "r" / "results.json").read_bytes() == first
    timings = json.loads((tmp_path / "r" / "timings.json").read_text())
    assert set(timings) == {f"{a} r={r} (method none)" for a, rs in
                            [("2,2,1", (2, 3)), ("2,3,1", (2, 3, 4)), ("2,2,2,1", (2, 3))]
                            for r in rs}
    assert "seconds" not in first.decode()


def test_a_cached_record_gets_the_proven_threshold_of_the_current_code(tmp_path):
    """proofs/threshold.md is read at report time, not cached: a cached record whose proven
    threshold is stale (here edited to r* = 99, and the verdict to fails, as a sharper bound
    would) is not recomputed, and comes back with the current r*, above_proven_threshold and
    contradicts_theorem."""
    from verify.run.sweep import CaseSpec, run_sweep
    from verify.theorem.threshold import proven_threshold
    spec = CaseSpec("2,2,1", 5, method="none")
    cache = tmp_path / "cache" / "cases.jsonl"
    (entry,) = run_sweep([spec], cache, progress=False)
    r_star = proven_threshold("2,2,1")["value"]
    assert entry["record"]["proven_threshold"] == r_star == 3   # 2 d_1 - 1 (Theorem T)
    line = json.loads(cache.read_text())
    line["record"].update(proven_threshold=99, above_proven_threshold=False, verdict="fails",
                          threshold={"value": 99}, contradicts_theorem=False)
    cache.write_text(json.dumps(line) + "\n")
    (again,) = run_sweep([spec], cache, progress=False)
    assert cache.read_text().count("\n") == 1                   # read, not recomputed
    rec = again["record"]
    assert rec["proven_threshold"] == 3 and rec["threshold"]["value"] == 3
    assert rec["above_proven_threshold"] is True and rec["contradicts_theorem"] is True
