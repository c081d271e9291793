"""The zygotes of the sweep (fork servers, one per job slot): Sage is imported once per
zygote, every case is still a process of its own (own pid, own process group), a zygote
that dies is replaced, a case that dies is recorded as an error, and stopping the
zygotes leaves no process behind."""

import os
import signal
import threading
import time

from verify.run import case_process as sweep          # the zygotes live there
from verify.run.sweep import CaseSpec, close_zygotes, run_isolated   # re-exported

SMALL = CaseSpec("2,2,1", 3, method="none", timeout=120)
LONG = CaseSpec("3,4,3,1", 4, method="slice", timeout=120)


def _children():
    me, out = os.getpid(), set()
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me and fields[0] not in ("Z", "X"):
                out.add(int(d))
    return out


def test_one_zygote_many_cases_each_its_own_process():
    close_zygotes()
    before = _children()          # other tests' processes (e.g. idle zygotes of other threads)
    pids = []
    real = sweep._fork_case

    def spy(doc):
        z, pid, start = real(doc)
        pids.append((z.proc.pid, pid, os.getpgid(pid)))
        return z, pid, start

    sweep._fork_case = spy
    try:
        records = [run_isolated(SMALL)[0] for _ in range(3)]
    finally:
        sweep._fork_case = real
    assert len({r["verdict"] for r in records}) == 1 and records[0]["verdict"] != "error"
    assert len({z for z, _, _ in pids}) == 1                  # one zygote, warm
    assert len({c for _, c, _ in pids}) == 3                  # three case processes
    assert all(c == g and c != z for z, c, g in pids)         # each leads its own group
    close_zygotes()
    assert not _children() - before


def test_a_dead_zygote_is_replaced():
    close_zygotes()
    before = _children()
    first = run_isolated(SMALL)[0]
    z = sweep._local.zygote
    os.kill(z.proc.pid, signal.SIGKILL)
    z.proc.wait()
    again = run_isolated(SMALL)[0]
    assert again == first
    assert sweep._local.zygote is not z
    close_zygotes()
    assert not _children() - before


def test_a_killed_case_is_an_error_and_the_zygote_lives_on():
    close_zygotes()
    before = _children()
    run_isolated(SMALL)                                        # the zygote is warm
    z = sweep._local.zygote

    def killer():
        end = time.monotonic() + 60
        while time.monotonic() < end:
            with sweep._running_lock:
                cases = [p for p, kind in sweep._running.items() if kind == "case"]
            if cases:
                time.sleep(0.5)
                os.kill(cases[0], signal.SIGKILL)
                return
            time.sleep(0.02)

    t = threading.Thread(target=killer)
    t.start()
    rec, _ = run_isolated(LONG)
    t.join()
    assert rec["verdict"] == "error"
    why = rec["reasons"][0]                    # and, when it had started, what it was running
    assert why == "the case process died (signal 9)" or \
        why.startswith("the case process died (signal 9) (it was running: ")
    assert sweep._local.zygote is z and z.alive()
    close_zygotes()
    assert not _children() - before
