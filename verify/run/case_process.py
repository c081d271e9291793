"""One case in its own process: a warm *zygote* (fork server) per job slot forks every
case into its own process group, with a timeout, a memory cap and no way to outlive the
sweep; :func:`run_isolated` returns the case's record and its wall clock.

Serves proofs/README.md (each case's record, :func:`verify.theorem.case.run_case`, computed
in isolation: Singular does not stop on signals) and proofs/activations.md (a general case,
an activation or biases, runs :func:`verify.run.general.run_general_record` the same way).  The zygote (:func:`_zygote_main`) is a
fresh interpreter (``subprocess``, stdio on /dev/null, two private pipes) that imports Sage
and the suite once, with thread pools off (``OPENBLAS_NUM_THREADS=1`` etc., unless set: it
forks single-threaded), and per case forks a child, names it to the sweep, relays its
result and reaps it; so a case costs a fork, not an interpreter start and
``import sage.all``.  Past its deadline the case's group is killed with SIGKILL and the
case is recorded ``timed-out`` (``fails`` when the strata it finished already show a
stratum not critical: :func:`verify.theorem.case.case_verdict` on the finished parts).
The zygote dies with the sweep thread that started it and the case with its zygote
(PR_SET_PDEATHSIG both, each exits if its parent is already gone); the case enforces its
own deadline (a kernel SIGALRM at timeout + 2 s), caps its address space (RLIMIT_AS,
``memory_gib``, default 6 GiB: past it the case is an ``error`` with reason ``memory
limit``), reseeds its random generators as a fresh interpreter would and holds none of
the sweep's stdout/stderr.  A zygote that dies or misbehaves is replaced; one idle for
10 s exits; the sweep stops them at its end.  SIGTERM, SIGHUP and SIGINT to the sweep
kill every zygote and case group and exit (:func:`cases_die_with_us`): no process of a
sweep outlives it.

EXAMPLES::

    sage: from verify.run.case_process import run_isolated, close_zygotes
    sage: from verify.run.catalogue import CaseSpec
    sage: record, seconds = run_isolated(CaseSpec("2,2,1", 3, timeout=120))
    sage: record["verdict"], "wall" in seconds
    ('holds', True)
    sage: close_zygotes()
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..core.architecture import Architecture
from .catalogue import DEFAULT_MEMORY_GIB, CaseSpec

__all__ = ["run_isolated", "close_zygotes", "kill_running_cases", "cases_die_with_us",
           "failed_record", "stopped_record", "DEFAULT_MEMORY_GIB"]

_PR_SET_PDEATHSIG = 1
#: Seconds a case process may outlive its timeout when nobody kills it (its own alarm).
_GRACE = 2
#: Seconds a zygote waits for its next case before it exits (the sweep starts another).
_ZYGOTE_IDLE = 10
#: Seconds a zygote may take to import Sage and say it is ready.
_ZYGOTE_START = 300
#: Seconds a zygote may take to fork a case and name it, or to relay a killed case.
_ZYGOTE_REPLY = 30
#: Thread pools off in the zygote (it forks: no thread may run then); set unless given.
_ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "BLIS_NUM_THREADS": "1"}
_running: dict[int, str] = {}          # process groups to kill: zygotes and cases
_running_lock = threading.Lock()
_stopping = threading.Event()
_MEMORY_MARK = "memory limit"
_ZYGOTE_CODE = "from verify.run.case_process import _zygote_main; _zygote_main()"


def _die_with_parent(parent: int):
    """PR_SET_PDEATHSIG = SIGKILL, then exit if ``parent`` is already gone."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if parent and os.getppid() != parent:
        os._exit(1)


def _write_all(fd: int, data: bytes):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class _LineReader:
    """JSON lines from a pipe with a deadline: ``readline(timeout)`` is a line, ``b""`` at
    EOF, ``None`` past ``timeout`` seconds (None: wait for ever)."""

    def __init__(self, fd: int):
        self.fd, self.buf = fd, b""

    def readline(self, timeout):
        import select
        end = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = None if end is None else max(0.0, end - time.monotonic())
            try:
                ready, _, _ = select.select([self.fd], [], [], left)
            except InterruptedError:
                continue
            if not ready:
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return b""
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line + b"\n"


def _zygote_main():
    """Entry point of a zygote (``python -c``), the fork server of one sweep job slot.

    Dies with the sweep thread that started it (PR_SET_PDEATHSIG), imports Sage and the
    suite once (single-threaded: thread pools are off in its environment), says
    ``{"ready"}`` on its reply pipe, then per request (one JSON line, a case spec) forks
    a case process, names it (``{"pid"}``), reads its result from a private pipe, kills
    its group, reaps it and relays ``{"status", "data"}`` (status as
    ``Popen.returncode``).  EOF on the request pipe or ``_ZYGOTE_IDLE`` seconds without
    a request: exit.
    """
    import resource
    _die_with_parent(int(os.environ.get("VERIFY_SWEEP_PARENT", "0") or 0))
    requests, replies = (int(fd) for fd in os.environ["VERIFY_ZYGOTE_FDS"].split(","))
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    try:
        _preload()
    except BaseException:                          # each case reports its own failure
        pass
    me = os.getpid()
    _write_all(replies, b'{"ready": true}\n')
    inbox = _LineReader(requests)
    while True:
        line = inbox.readline(_ZYGOTE_IDLE)
        if not line:                               # EOF (the sweep is done) or idle
            os._exit(0)
        spec = json.loads(line)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(r)
                _case_child(spec, w, me, (requests, replies))
            finally:
                os._exit(1)
        os.close(w)
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)                   # both sides: no race with the killpg
        _write_all(replies, json.dumps({"pid": pid}).encode() + b"\n")
        chunks = []
        while chunk := os.read(r, 1 << 16):
            chunks.append(chunk)
        os.close(r)
        for kill in (os.killpg, os.kill):          # what the case left running; not reaped yet
            with contextlib.suppress(ProcessLookupError, PermissionError):
                kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        reply = {"status": code, "data": b"".join(chunks).decode("utf-8", "replace")}
        _write_all(replies, json.dumps(reply).encode() + b"\n")


def _preload():
    """What every case needs, done once in the zygote: import Sage and the suite's folders
    below ``run`` (no thread pool is started), fix the versions every record names
    (:func:`verify.theorem.case.freeze_versions`), and run one small case, whose first-use
    set-up of Sage's rings, matrices and coercions every forked case then inherits (a
    trivial case took 70 ms in a fresh fork and 20 ms warm; results are unchanged: the
    caches are of pure functions and each case reseeds its random generators)."""
    import importlib
    import pkgutil
    import sage.all                                # noqa: F401
    import verify.theorem.case                     # noqa: F401
    root = Path(__file__).resolve().parents[1]
    for folder in ("core", "sub_in_crit", "crit_in_sub", "theorem"):
        for mod in pkgutil.iter_modules([str(root / folder)]):
            with contextlib.suppress(Exception):
                importlib.import_module(f"verify.{folder}.{mod.name}")
    verify.theorem.case.freeze_versions()
    with contextlib.suppress(Exception):
        verify.theorem.case.run_case("2,2,1", 3)


def _case_child(spec: dict, out_fd: int, zygote: int, zygote_fds):
    """The case process, just forked from the zygote: its own process group, dies with
    the zygote (PR_SET_PDEATHSIG; exits if it is already gone), a kernel alarm (SIGALRM,
    default action: terminate) at timeout + grace seconds, fresh random seeds (as a
    fresh interpreter), the address-space cap (RLIMIT_AS), then the case; JSON lines to
    ``out_fd``: ``{"progress": ...}`` as each part or stage starts or ends
    (:func:`verify.theorem.case.run_case`), the result last; exit."""
    import resource
    os.setpgid(0, 0)
    _die_with_parent(zygote)
    for fd in zygote_fds:                          # only the zygote talks to the sweep
        os.close(fd)
    timeout = spec.pop("timeout", None)
    memory_gib = spec.pop("memory_gib", None)
    if timeout is not None:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)   # cysignals took it over: give it back
        signal.alarm(int(math.ceil(timeout)) + _GRACE)
    try:
        import random
        random.seed()
        import numpy
        numpy.random.seed()
        from sage.misc.randstate import set_random_seed
        set_random_seed()
    except Exception:
        pass
    try:
        import sage.all                            # noqa: F401  (in the zygote already)
        from verify.theorem.case import run_case
        if memory_gib is not None:
            limit = int(memory_gib * 2 ** 30)
            if limit <= _address_space():          # below what is mapped already: a case
                raise MemoryError                   # would fail in odd places, or hang
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        def tell(doc):                              # one line per stage: kept if killed
            _write_all(out_fd, json.dumps({"progress": doc}, sort_keys=True,
                                          default=str).encode() + b"\n")
        if spec.get("activation") is not None:     # a general case (issue 22)
            from .general import run_general_record
            record = run_general_record(spec, progress=tell)
        else:
            record = run_case(spec["arch"], spec["degree"], seed=spec["seed"],
                              prime=spec["prime"], method=spec["method"], progress=tell)
        payload = {"record": record}
    except MemoryError:
        payload = {"error": _MEMORY_MARK}
    except BaseException as e:                     # report, never hang the parent
        text = f"{type(e).__name__}: {e}"
        if memory_gib is not None and ("Cannot allocate memory" in text or "failed to map" in text):
            text = _MEMORY_MARK
        payload = {"error": text[:2000]}
    try:
        text = json.dumps(payload, sort_keys=True, default=str)
    except (TypeError, ValueError) as e:
        text = json.dumps({"error": f"unserialisable record: {e}"[:2000]})
    try:
        _write_all(out_fd, text.encode() + b"\n")
        os.close(out_fd)
    except OSError:
        pass
    os._exit(0)


def _address_space() -> int:
    """Bytes of address space this process maps now (0 when /proc is missing)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _ZygoteDied(Exception):
    """The zygote gave no (sane) answer: it is killed and replaced."""


class _Zygote:
    """The sweep's end of one zygote: a fresh interpreter (``subprocess``) in its own
    process group, stdio on /dev/null, two private pipes (requests, replies)."""

    def __init__(self):
        root = str(Path(__file__).resolve().parents[2])
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        env = {**_ONE_THREAD, **os.environ, "VERIFY_SWEEP_PARENT": str(os.getpid()),
               "VERIFY_ZYGOTE_FDS": f"{req_r},{rep_w}",
               "PYTHONPATH": os.pathsep.join([root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
        try:
            with _running_lock:
                if _stopping.is_set():
                    raise KeyboardInterrupt("the sweep is stopping")
                self.proc = subprocess.Popen([sys.executable, "-c", _ZYGOTE_CODE],
                                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL, env=env, process_group=0,
                                             close_fds=True, pass_fds=(req_r, rep_w))
                _running[self.proc.pid] = "zygote"
        except BaseException:
            for fd in (req_r, req_w, rep_r, rep_w):
                os.close(fd)
            raise
        os.close(req_r)
        os.close(rep_w)
        self.requests, self.replies = req_w, _LineReader(rep_r)
        self.owner = threading.get_ident()
        self.ready = self.closed = False
        with _zygotes_lock:
            _zygotes.add(self)

    def alive(self) -> bool:
        return not self.closed and self.proc.poll() is None

    def reply(self, timeout) -> dict | None:
        """The next reply; None past ``timeout``; _ZygoteDied at EOF or on garbage."""
        line = self.replies.readline(timeout)
        if line is None:
            return None
        try:
            doc = json.loads(line) if line else None
        except ValueError:
            doc = None
        if not isinstance(doc, dict):
            raise _ZygoteDied("the zygote died" if not line else "the zygote spoke garbage")
        return doc

    def wait_ready(self):
        if not self.ready:
            doc = self.reply(_ZYGOTE_START)
            if doc is None or not doc.get("ready"):
                raise _ZygoteDied("the zygote did not start")
            self.ready = True

    def send(self, doc: dict):
        try:
            _write_all(self.requests, json.dumps(doc).encode() + b"\n")
        except OSError:
            raise _ZygoteDied("the zygote died")

    def close(self):
        """Kill its group and reap it (its case, if any, dies with it: PR_SET_PDEATHSIG)."""
        with _zygotes_lock:
            if self.closed:
                return
            self.closed = True
            _zygotes.discard(self)
        with contextlib.suppress(OSError):
            os.close(self.requests)
        with _running_lock:
            _running.pop(self.proc.pid, None)
        if self.proc.returncode is None:           # not reaped: its pid is still its own
            _kill_group(self.proc.pid)
        self.proc.wait()
        with contextlib.suppress(OSError):
            os.close(self.replies.fd)


_zygotes: set[_Zygote] = set()
_zygotes_lock = threading.Lock()
_local = threading.local()


def _zygote() -> _Zygote:
    """This thread's zygote (one per job slot), started or restarted as needed, ready."""
    z = getattr(_local, "zygote", None)
    if z is not None and not z.alive():
        z.close()
        z = None
    if z is None:
        z = _local.zygote = _Zygote()
    try:
        z.wait_ready()
    except BaseException:
        _local.zygote = None
        z.close()
        raise
    return z


def close_zygotes():
    """Stop every zygote (and any case still running in one); a later case starts anew."""
    with _zygotes_lock:
        zs = list(_zygotes)
    for z in zs:
        z.close()
    _local.__dict__.pop("zygote", None)


atexit.register(close_zygotes)


def failed_record(spec: CaseSpec, verdict: str, reason: str, finished=None, stop=None) -> dict:
    """The record of a case that gave no answer: its inputs, the reason, the proven threshold,
    and the parts it finished before it was stopped (``finished``: generic_rank, strata).

    The finished parts may already decide the case: a stratum shown not critical is a
    failure of the theorem at this degree whatever the converse would have said, so the
    record is then ``fails``, with that certificate (the reason for the stop kept last).
    Either way the record is *partial*: ``partial = {"stop": "timed-out" | "error" (``stop``,
    default ``verdict``), "reason", "kept": [finished parts], "lost": [parts not finished]}``
    (``verdict`` is ``undecided`` for a case stopped in random slices, which never decide it:
    :func:`_stopped_verdict`), and its two
    inclusions say what is known (Sub in Crit from kept strata; Crit in Sub not run, with
    the reason).  A partial record is never final: the next sweep reruns it
    (:func:`verify.run.cache.is_finished`) unless asked to keep partial records."""
    from ..theorem.case import case_verdict, with_proven_threshold
    kept = {k: v for k, v in (finished or {}).items() if k in _KEPT_PARTS and isinstance(v, dict)}
    if getattr(spec, "general", False):            # an activation or biases (issue 22)
        from ..theorem.general_case import general_verdict
        from .general import with_general_inputs
        return with_general_inputs(stopped_record(spec, verdict, reason, kept, stop,
                                                  decide=general_verdict), spec.inputs())
    arch = Architecture.parse(spec.arch)
    return with_proven_threshold(stopped_record(
        spec, verdict, reason, kept, stop,
        decide=lambda parts: case_verdict(arch, spec.degree, parts),
        head={"widths": list(arch.widths), "params": arch.params, "hidden": arch.hidden}))


def stopped_record(spec, verdict: str, reason: str, kept: dict, stop=None, *, decide,
                   head=None) -> dict:
    """The record of a stopped case, monomial or general (:func:`failed_record`): the parts
    not finished are ``not-run`` with ``reason``; ``decide(parts)`` (the case's own verdict
    function, returning (verdict, certificate, reasons)) may show it ``fails`` from the kept
    parts, else it is ``verdict``; ``head`` holds fields placed after the inputs."""
    from ..theorem.case import case_versions, inclusions
    arch = Architecture.parse(spec.arch)
    parts = {"strata": {"verdict": "not-run", "reason": reason}, **kept,
             "converse": {"verdict": "not-run", "reason": reason}}
    shown, certificate, why = decide(parts)
    decided = shown == "fails"
    sub, crit = inclusions(parts)
    return {
        **spec.inputs(), **(head or {}), "degenerate": arch.degeneracy(spec.degree),
        "verdict": shown if decided else verdict,
        "reasons": why + [reason] if decided else [reason],
        "certificate": certificate if decided else None,
        "versions": case_versions(), "timeout": spec.timeout if (stop or verdict) == "timed-out" else None,
        "sub_in_crit": sub, "crit_in_sub": crit,
        "partial": {"stop": stop or verdict, "reason": reason, "kept": sorted(kept),
                    "lost": [k for k in ("generic_rank", "strata", "converse") if k not in kept]},
        **kept}


def _stopped_verdict(spec: CaseSpec, stage, refused=None) -> tuple[str, str | None]:
    """The verdict of a monomial case stopped by its timeout in ``stage``: ``undecided`` when
    ``auto`` was running its own random slices (stage ``converse (slice)``) after saying that no
    method that decides fits the case (``refused``: the converse's stage text from
    :func:`verify.crit_in_sub.converse.exact_refusals`, naming each estimate and its limit):
    nothing left to run could prove Crit in Sub (slices never do; they could only still have
    found a witness).  ``timed-out`` otherwise, e.g. slices asked for by ``method``, or a peeled
    network's slices, after which ``auto`` may still run a method that decides (the reason is
    then the caller's)."""
    if getattr(spec, "general", False) or spec.method != "auto" or stage != "converse (slice)" \
            or not refused:
        return "timed-out", None
    return "undecided", (f"{refused}; the random slices (evidence only: they never prove Crit in "
                         f"Sub) were stopped after {spec.timeout:g} s (it was running: {stage})")


#: Parts of a stopped case kept in its record (the converse and threshold are redone).
_KEPT_PARTS = ("generic_rank", "strata")


def _case_output(data) -> tuple[dict | None, dict, str | None, str | None]:
    """(result, finished parts, last stage, the converse's own "no exact method fits" stage if
    it said so) from the JSON lines a case process wrote; a torn or garbled line is skipped (a
    killed case may stop mid-line)."""
    result, finished, stage, refused = None, {}, None, None
    for line in (data or "").splitlines():
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if not isinstance(doc, dict):
            continue
        p = doc.get("progress")
        if not isinstance(p, dict):
            result = doc
        elif "finished" in p:
            finished[str(p["finished"])] = p.get("value")
        elif "part" in p:
            stage = str(p["part"]) + (f" ({p['stage']})" if p.get("stage") else "")
            if p["part"] == "converse" and str(p.get("stage", "")).startswith("no exact method fits"):
                refused = str(p["stage"])
    return result, finished, stage, refused


def _fork_case(doc: dict) -> tuple[_Zygote, int, float]:
    """(zygote, case pid, start) of a case forked by this thread's zygote; a zygote that
    died idle or broke before forking is replaced once."""
    for attempt in (1, 2):
        z = _zygote()
        start = time.monotonic()
        try:
            z.send(doc)
            named = z.reply(_ZYGOTE_REPLY)
            if named is None or not isinstance(named.get("pid"), int):
                raise _ZygoteDied("the zygote did not fork")
        except _ZygoteDied:
            _local.zygote = None
            z.close()
            if attempt == 2:
                raise
            continue
        pid = named["pid"]
        with _running_lock:
            _running[pid] = "case"
            stopping = _stopping.is_set()
        if stopping:
            _kill_group(pid)
            raise KeyboardInterrupt("the sweep is stopping")
        return z, pid, start
    raise AssertionError("unreachable")


def run_isolated(spec: CaseSpec) -> tuple[dict, dict]:
    """Run one case in its own process (and process group) with ``spec.timeout``;
    return (record, seconds).

    The case process is forked by this thread's zygote (:func:`_zygote_main`, started
    once per thread and reused: Sage is imported once per job slot) into its own
    process group, killed with its group past the deadline; it dies with the zygote,
    which dies with the thread that started it (PR_SET_PDEATHSIG both), and by its own
    alarm at timeout + 2 s, so no signal to the sweep leaves it running.  The record's
    ``seconds`` (per part) are removed from it and returned apart, with ``wall``, the
    wall clock of the case process.  Safe to call from threads (local ``--jobs``,
    Dask workers).
    """
    doc = {**spec.inputs(), "timeout": spec.timeout, "memory_gib": spec.memory_gib}
    try:
        z, pid, start = _fork_case(doc)
    except _ZygoteDied as e:
        return failed_record(spec, "error", f"the case process died ({e})"), {}
    reply, timed_out = None, False
    try:
        wait = None if spec.timeout is None else max(0.0, start + spec.timeout - time.monotonic())
        try:
            reply = z.reply(wait)
            if reply is None:
                timed_out = True
                _kill_group(pid)                   # the zygote reaps it and says so
                reply = z.reply(_ZYGOTE_REPLY)
        except _ZygoteDied:
            reply = None
    finally:
        with _running_lock:
            _running.pop(pid, None)
        if reply is None or "status" not in reply:  # a zygote that went wrong: replace it
            _local.zygote = None
            z.close()
    seconds = {"wall": time.monotonic() - start}
    status = reply.get("status") if reply else None
    doc, finished, stage, refused = _case_output(reply.get("data") if reply else None)
    where = f" (it was running: {stage})" if stage else ""
    if timed_out or status == -signal.SIGALRM:
        verdict, reason = _stopped_verdict(spec, stage, refused)
        return failed_record(spec, verdict, reason or f"no result within {spec.timeout:g} s{where}",
                              finished, stop="timed-out"), seconds
    if not isinstance(doc, dict):
        if not isinstance(status, int):
            why = "its zygote died"
        else:
            why = f"signal {-status}" if status < 0 else f"exit code {status}"
        doc = {"error": f"the case process died ({why})"}
    if not isinstance(doc.get("record"), dict):
        return failed_record(spec, "error", str(doc.get("error", "no record")) + where,
                              finished), seconds
    record = doc["record"]
    seconds.update(record.pop("seconds", {}))
    return record, seconds


def _kill_group(pid: int):
    """SIGKILL the case process's group (it is the group leader) and the process."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def kill_running_cases(stop: bool = False):
    """SIGKILL every zygote and case process group still running; ``stop``: start no
    new case."""
    with _running_lock:
        if stop:
            _stopping.set()
        groups = list(_running)
    for g in groups:
        _kill_group(g)


@contextlib.contextmanager
def cases_die_with_us():
    """While inside: SIGTERM, SIGHUP and SIGINT kill every case group, then exit
    (128 + signal; 130 and "interrupted" for SIGINT).  Main thread only; elsewhere a no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        kill_running_cases(stop=True)
        try:
            sys.stderr.write("interrupted\n" if signum == signal.SIGINT
                             else f"stopped by {signal.Signals(signum).name}\n")
            sys.stderr.flush()
        except Exception:
            pass
        os._exit(128 + signum)

    sigs = [signal.SIGTERM, signal.SIGHUP, signal.SIGINT]
    old = {s: signal.signal(s, handler) for s in sigs}
    _stopping.clear()
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
