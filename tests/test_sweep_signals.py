"""Nothing hangs, nothing is orphaned (issue 13): a sweep running a long case
(3,4,3,1 at r = 4 by slicing runs well over 20 s) is stopped by SIGKILL, SIGTERM,
SIGHUP or SIGINT sent to its own process only or to its whole process group; after
each, no descendant of the sweep is left, the sweep's stdout and stderr reach EOF
(no orphan holds them), and the per-case timeout holds even when the sweep cannot act
(stopped with SIGSTOP, the case process dies by its own alarm).

Descendants are read with psutil when installed, else from /proc.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, alive, descendants

LONG = ["--arch", "3,4,3,1", "--degrees", "4", "--method", "slice"]

def _start(tmp_path, timeout):
    return subprocess.Popen([sys.executable, "-m", "verify", "sweep", *LONG, "--timeout", str(timeout),
                             "--report", str(tmp_path / "r"), "--no-progress", "--jobs", "1"],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _wait_for_case(proc, deadline=60):
    """The pids of the sweep's family once a case process runs."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        family = descendants(proc.pid)
        if family:
            time.sleep(3.0)                           # the case is running (issue: kill after 3 s)
            return family | descendants(proc.pid)
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("no case process started")


def _gone(pids, within):
    end = time.monotonic() + within
    while time.monotonic() < end:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("target", ["main", "group"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=lambda s: s.name)
def test_no_descendant_outlives_a_signalled_sweep(tmp_path, sig, target):
    proc = _start(tmp_path, timeout=60)
    try:
        family = _wait_for_case(proc)
        (os.kill if target == "main" else os.killpg)(proc.pid, sig)
        # Output pipes reach EOF: no orphan holds them (communicate would time out).
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert _gone(family, within=10), f"left behind: {[p for p in family if alive(p)]}"
    assert proc.returncode == (-sig if sig == signal.SIGKILL else 128 + sig), err
    assert b"Traceback" not in err


def test_case_timeout_holds_without_the_sweep(tmp_path):
    """The sweep frozen (SIGSTOP) cannot kill its case: the case's own alarm does, at
    timeout + 2 s; then the sweep, woken, records it timed-out and exits 0."""
    timeout = 6
    proc = _start(tmp_path, timeout=timeout)
    try:
        family = _wait_for_case(proc)
        os.kill(proc.pid, signal.SIGSTOP)
        assert _gone(family, within=timeout + 30), "the case outlived its timeout"
        os.kill(proc.pid, signal.SIGCONT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, err
    results = (tmp_path / "r" / "results.json").read_text()
    assert '"timed-out"' in results
