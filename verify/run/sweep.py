"""Resumable sweeps: run many (architecture, degree) cases, each in its own process.

Serves proofs/README.md, the theorem checked case by case (records from
:func:`verify.theorem.case.run_case`).  Mechanics, one mechanism each:

- **Catalogue**: a TOML file of ``[[case]]`` entries (``arch``, ``degrees``, optional
  ``method``, ``timeout``, ``quick``, ``seed``, ``prime``); :func:`load_catalogue`.
- **Isolation and timeouts**: :func:`run_isolated` runs each case in its own process
  and process group (Singular does not stop on signals), forked by a warm *zygote*, a
  fork server per job slot (:func:`_zygote_main`): a fresh interpreter (``subprocess``,
  stdio on /dev/null, two private pipes) that imports Sage and the suite once, with
  thread pools off (``OPENBLAS_NUM_THREADS=1`` etc., unless set: it forks single-
  threaded), and per case forks a child, names it to the sweep, relays its result and
  reaps it; so a case costs a fork, not an interpreter start and ``import sage.all``.
  Past its deadline the case's group is killed with SIGKILL and the case is recorded
  ``timed-out`` (``fails`` when the strata it finished already show a stratum not
  critical: :func:`verify.theorem.case.case_verdict` on the finished parts).  The zygote dies with the sweep thread that started it and the case
  with its zygote (PR_SET_PDEATHSIG both, each exits if its parent is already gone);
  the case enforces its own deadline (a kernel SIGALRM at timeout + 2 s), caps its
  address space (RLIMIT_AS, ``memory_gib``, default 6 GiB: past it the case is an
  ``error`` with reason ``memory limit``), reseeds its random generators as a fresh
  interpreter would and holds none of the sweep's stdout/stderr.  A zygote that dies
  or misbehaves is replaced; one idle for 10 s exits; the sweep stops them at its
  end.  SIGTERM, SIGHUP and SIGINT to the sweep kill every zygote and case group and
  exit (:func:`cases_die_with_us`): no process of a sweep outlives it.
- **Cache**: :class:`CaseCache`, one JSON line per finished case, keyed by the inputs
  and :func:`verify.theorem.case.suite_version` (every record read back gets its proven
  threshold from the current code, :func:`verify.theorem.case.with_proven_threshold`);
  a line is written whole, flushed and fsynced; a torn last line (kill -9 mid-write) is
  cut off on the next load, any other bad line is skipped with one warning.  Restart skips cached cases; ``fresh=True`` recomputes
  them and leaves one line per case.  A sweep holds an advisory lock (flock) on the
  cache, report included: concurrent sweeps on one folder take turns.
- **Catalogue values** are checked for type and range (:func:`expand_cases`), degree
  ranges are counted before they are built (:mod:`verify.core.cost`).
- **Parallelism**: ``jobs`` threads, each with its zygote, wait on one case process
  each locally, or with ``dask`` (a ``distributed.Client``) every case is a task that
  runs :func:`run_isolated` on a worker (a zygote per worker thread): the same records
  either way.

EXAMPLES::

    sage: from verify.run.sweep import CaseSpec, expand_cases
    sage: s = CaseSpec("2,2,1", 3)
    sage: s.key() == CaseSpec("2,2,1", 3, seed=0).key() != CaseSpec("2,2,1", 4).key()
    True
    sage: [c.label for c in expand_cases([{"arch": "2,2,1", "degrees": "2-3"}])]
    ['2,2,1 r=2', '2,2,1 r=3']
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import fcntl
import hashlib
import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..core.architecture import Architecture, check_degree, parse_degrees
from ..core.errors import InputError

__all__ = ["CaseSpec", "CaseCache", "load_catalogue", "expand_cases", "run_isolated",
           "run_sweep", "DEFAULT_CATALOGUE", "METHODS"]

#: The catalogue ``make verify`` runs.
DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "catalogue.toml"

#: Converse methods a catalogue may name ("none" skips the converse).
METHODS = ("auto", "symbolic", "exhaustive", "slice", "none")

_ENTRY_KEYS = {"arch", "degrees", "method", "timeout", "quick", "seed", "prime", "note"}


@dataclass(frozen=True)
class CaseSpec:
    """The inputs of one case; ``timeout`` (seconds) and ``quick`` steer the sweep only."""

    arch: str
    degree: int
    seed: int = 0
    prime: int | None = None
    method: str = "auto"
    timeout: float | None = field(default=None, compare=False)
    quick: bool = field(default=False, compare=False)
    memory_gib: float | None = field(default=None, compare=False)

    def __post_init__(self):                       # plain Python values: keys are JSON
        object.__setattr__(self, "arch", str(Architecture.parse(self.arch)))
        object.__setattr__(self, "degree", check_degree(int(self.degree)))
        object.__setattr__(self, "seed", int(self.seed))
        object.__setattr__(self, "prime", None if self.prime is None else int(self.prime))
        object.__setattr__(self, "method", str(self.method))
        object.__setattr__(self, "timeout", None if self.timeout is None else float(self.timeout))
        object.__setattr__(self, "quick", bool(self.quick))
        if self.memory_gib is None:
            object.__setattr__(self, "memory_gib", DEFAULT_MEMORY_GIB)

    @property
    def label(self) -> str:
        return f"{self.arch} r={self.degree}"

    def inputs(self) -> dict:
        return {"arch": self.arch, "degree": self.degree, "seed": self.seed,
                "prime": self.prime, "method": self.method}

    def key(self, suite: str | None = None) -> str:
        """sha256 of the inputs and the suite version: the cache key."""
        if suite is None:
            from ..theorem.case import suite_version
            suite = suite_version()
        text = json.dumps({**self.inputs(), "suite": suite}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def sort_key(self):
        return (tuple(Architecture.parse(self.arch).widths), self.degree, self.seed,
                self.method, self.prime or 0)


def _degrees(value, where: str) -> list[int]:
    """Degrees of a catalogue entry: an int, a list of ints or a range text; counted
    (and bounded by MAX_DEGREES) before any list is built."""
    from ..core.cost import check_degree_count, count_degrees
    if isinstance(value, bool):
        raise InputError(f"{where}: degrees must be an integer, a list or a text like 2-6")
    if isinstance(value, int):
        return [check_degree(value)]
    if isinstance(value, list):
        check_degree_count(len(value))
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise InputError(f"{where}: degrees must be a list of integers")
        return [check_degree(v) for v in value]
    if isinstance(value, str):
        check_degree_count(count_degrees(value))
        return parse_degrees(value)
    raise InputError(f"{where}: degrees must be an integer, a list or a text like 2-6")


def _check_entry(e: dict, where: str) -> dict:
    """Types and ranges of one catalogue entry (defaults merged), as plain values."""
    from ..core.cost import MAX_TIMEOUT, check_number
    arch = e["arch"]
    if isinstance(arch, list):
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in arch):
            raise InputError(f"{where}: arch must be a text like 2,3,1 or a list of integers")
    elif not isinstance(arch, str):
        raise InputError(f"{where}: arch must be a text like 2,3,1 or a list of integers")
    out = {"arch": str(Architecture.parse(arch))}
    method = e.get("method", "auto")
    if not isinstance(method, str) or method not in METHODS:
        raise InputError(f"{where}: method must be one of {', '.join(METHODS)}")
    out["method"] = method
    seed = e.get("seed", 0)
    out["seed"] = check_number(seed, f"{where}: seed", 0, 2 ** 63 - 1, integer=True)
    timeout = e.get("timeout")
    if timeout is not None:
        timeout = float(check_number(timeout, f"{where}: timeout", 0, MAX_TIMEOUT,
                                     strict_minimum=True))
    out["timeout"] = timeout
    prime = e.get("prime")
    if prime is not None:
        if isinstance(prime, bool) or not isinstance(prime, int):
            raise InputError(f"{where}: prime must be an integer, got {prime!r}"[:200])
        from ..core.rank import check_prime
        try:
            prime = check_prime(prime)
        except InputError as err:
            raise InputError(f"{where}: {err}")
    out["prime"] = prime
    quick = e.get("quick", False)
    if not isinstance(quick, bool):
        raise InputError(f"{where}: quick must be true or false, got {quick!r}"[:200])
    out["quick"] = quick
    if not isinstance(e.get("note", ""), str):
        raise InputError(f"{where}: note must be a text")
    return out


def expand_cases(entries, defaults=None) -> list[CaseSpec]:
    """Catalogue entries (dicts) -> sorted, de-duplicated list of CaseSpec."""
    from ..core.cost import MAX_CASES
    if defaults is None:
        defaults = {}
    if not isinstance(defaults, dict):
        raise InputError("catalogue [defaults] must be a table")
    unknown = set(defaults) - _ENTRY_KEYS
    if unknown:
        raise InputError(f"catalogue [defaults]: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if not isinstance(entries, list):
        raise InputError("catalogue cases must be a list of [[case]] tables")
    out = {}
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise InputError(f"catalogue entry {n} must be a table")
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            raise InputError(f"catalogue entry {n}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        e = {**defaults, **entry}
        if "arch" not in e or "degrees" not in e:
            raise InputError(f"catalogue entry {n} needs 'arch' and 'degrees'")
        where = f"catalogue entry {n}"
        c = _check_entry(e, where)
        for r in _degrees(e["degrees"], where):
            spec = CaseSpec(c["arch"], r, c["seed"], c["prime"], c["method"], c["timeout"],
                            c["quick"])
            out[spec] = spec
            if len(out) > MAX_CASES:
                raise InputError(f"more than {MAX_CASES} cases in one sweep (limit)")
    return sorted(out.values(), key=CaseSpec.sort_key)


def load_catalogue(path) -> tuple[str, list[CaseSpec]]:
    """(name, cases) of a TOML catalogue: ``[defaults]`` and ``[[case]]`` tables."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"catalogue {path} does not exist")
    except IsADirectoryError:
        raise InputError(f"catalogue {path} is a directory, not a TOML file")
    except OSError as e:
        raise InputError(f"catalogue {path} cannot be read: {e.strerror or e}")
    if len(raw) > 10 ** 7:
        raise InputError(f"catalogue {path} is larger than 10 MB (limit)")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise InputError(f"catalogue {path} is not UTF-8 text (byte {e.start})")
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"catalogue {path} is not valid TOML: {e}")
    except RecursionError:
        raise InputError(f"catalogue {path} nests too deeply")
    unknown = set(data) - {"name", "defaults", "case"}
    if unknown:
        raise InputError(f"catalogue {path}: unknown top-level key(s) {', '.join(sorted(unknown))}")
    entries = data.get("case", [])
    if not isinstance(entries, list) or not entries:
        raise InputError(f"catalogue {path} has no [[case]] entries")
    name = data.get("name", path.stem)
    if not isinstance(name, str):
        raise InputError(f"catalogue {path}: name must be a text")
    return name, expand_cases(entries, data.get("defaults"))


# --- running one case in its own process -----------------------------------------------

_PR_SET_PDEATHSIG = 1
#: Address space of a case process, GiB (``--memory-limit``): past it the case is an
#: ``error`` with reason ``memory limit``.
DEFAULT_MEMORY_GIB = 6.0
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
_ZYGOTE_CODE = "from verify.run.sweep import _zygote_main; _zygote_main()"


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
        record = run_case(spec["arch"], spec["degree"], seed=spec["seed"], prime=spec["prime"],
                          method=spec["method"], progress=tell)
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


def _failed_record(spec: CaseSpec, verdict: str, reason: str, finished=None) -> dict:
    """The record of a case that gave no answer: its inputs, the reason, the proven threshold,
    and the parts it finished before it was stopped (``finished``: generic_rank, strata).

    The finished parts may already decide the case: a stratum shown not critical is a
    failure of the theorem at this degree whatever the converse would have said, so the
    record is then ``fails``, with that certificate (the reason for the stop kept last)."""
    from ..theorem.case import case_verdict, case_versions, with_proven_threshold
    arch = Architecture.parse(spec.arch)
    kept = {k: v for k, v in (finished or {}).items() if k in _KEPT_PARTS and isinstance(v, dict)}
    parts = {"strata": {"verdict": "not-run", "reason": reason}, **kept,
             "converse": {"verdict": "not-run", "reason": reason}}
    shown, certificate, why = case_verdict(arch, spec.degree, parts)
    decided = shown == "fails"
    return with_proven_threshold({
        **spec.inputs(), "widths": list(arch.widths), "params": arch.params,
        "hidden": arch.hidden, "degenerate": arch.degeneracy(spec.degree),
        "verdict": shown if decided else verdict,
        "reasons": why + [reason] if decided else [reason],
        "certificate": certificate if decided else None,
        "versions": case_versions(), "timeout": spec.timeout if verdict == "timed-out" else None,
        **kept})


#: Parts of a stopped case kept in its record (the converse and threshold are redone).
_KEPT_PARTS = ("generic_rank", "strata")


def _case_output(data) -> tuple[dict | None, dict, str | None]:
    """(result, finished parts, last stage) from the JSON lines a case process wrote; a
    torn or garbled line is skipped (a killed case may stop mid-line)."""
    result, finished, stage = None, {}, None
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
    return result, finished, stage


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
        return _failed_record(spec, "error", f"the case process died ({e})"), {}
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
    doc, finished, stage = _case_output(reply.get("data") if reply else None)
    where = f" (it was running: {stage})" if stage else ""
    if timed_out or status == -signal.SIGALRM:
        return _failed_record(spec, "timed-out", f"no result within {spec.timeout:g} s{where}",
                              finished), seconds
    if not isinstance(doc, dict):
        if not isinstance(status, int):
            why = "its zygote died"
        else:
            why = f"signal {-status}" if status < 0 else f"exit code {status}"
        doc = {"error": f"the case process died ({why})"}
    if not isinstance(doc.get("record"), dict):
        return _failed_record(spec, "error", str(doc.get("error", "no record")) + where,
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


# --- the cache --------------------------------------------------------------------------

class CaseCache:
    """JSON lines ``{"key", "inputs", "record", "seconds"}``, one per finished case."""

    def __init__(self, path):
        self.path = Path(path)

    @staticmethod
    def _valid(entry) -> bool:
        return (isinstance(entry, dict) and isinstance(entry.get("key"), str)
                and isinstance(entry.get("record"), dict)
                and isinstance(entry.get("inputs", {}), dict)
                and isinstance(entry.get("seconds", {}), dict))

    def load(self) -> dict:
        """key -> entry; the last line for a key wins; a torn last line is cut off; a bad
        line (not UTF-8, not JSON, no record) is skipped with one warning on stderr."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as e:
            raise InputError(f"cache {self.path} cannot be read: {e.strerror or e}")
        if raw and not raw.endswith(b"\n"):
            keep = raw.rfind(b"\n") + 1
            try:
                with open(self.path, "r+b") as f:
                    f.truncate(keep)
                    f.flush()
                    os.fsync(f.fileno())
            except OSError as e:
                raise InputError(f"cache {self.path} cannot be repaired: {e.strerror or e}")
            raw = raw[:keep]
        out, bad = {}, 0
        for line in raw.splitlines():
            if not line.strip():
                continue
            try:
                entry = json.loads(line.decode("utf-8"))
            except (ValueError, RecursionError):
                entry = None
            if not self._valid(entry):
                bad += 1
                continue
            out[entry["key"]] = entry
        if bad:
            print(f"warning: skipped {bad} bad line(s) in {self.path}", file=sys.stderr)
        return out

    def append(self, entry: dict):
        """Append one complete line: a single write, then flush and fsync."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(entry, sort_keys=True) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)

    def compact(self, entries: dict):
        """Rewrite the cache with one line per key (``entries``: key -> entry, in order),
        through a unique temporary file in the same folder and os.replace."""
        import tempfile
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cases.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                for entry in entries.values():
                    f.write((json.dumps(entry, sort_keys=True) + "\n").encode())
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def locked(self, wait: bool = True):
        """An advisory lock (fcntl.flock) on ``cases.jsonl.lock`` next to the cache, held
        while inside: a second sweep on the same folder waits (saying so on stderr), or
        with ``wait=False`` raises InputError."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise InputError(f"another sweep is using {self.path.parent} "
                                     f"(lock {lock}); --no-wait given")
                print(f"waiting for another sweep using {self.path.parent} ...", file=sys.stderr,
                      flush=True)
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)                            # releases the lock


def _is_finished(entry: dict | None, spec: CaseSpec) -> bool:
    """A cached entry counts unless it is an ``error`` (process crash, lost worker) or
    timed out under a shorter limit than now asked."""
    if entry is None:
        return False
    rec = entry.get("record", {})
    if rec.get("verdict") == "error":             # a crash or a lost worker: try again
        return False
    if rec.get("verdict") == "timed-out":
        old = rec.get("timeout")
        return spec.timeout is not None and old is not None and old >= spec.timeout
    return True


# --- the sweep --------------------------------------------------------------------------

def run_sweep(specs, cache_path, jobs: int = 1, fresh: bool = False, dask_client=None,
              progress: bool = True, after=None, wait: bool = True) -> list:
    """Run every spec not already in the cache; return the cache entries of all specs,
    in the order of ``specs``.  Each finished case is appended to the cache at once.

    The cache is locked (:meth:`CaseCache.locked`) for the whole sweep and ``after``
    (called with the entries, e.g. to write the report) runs under the same lock, so
    concurrent sweeps on one folder take turns; with ``after`` the result is
    ``(entries, after(entries))``.  ``fresh`` recomputes and leaves one line per key.
    SIGTERM, SIGHUP and SIGINT kill the running cases (:func:`cases_die_with_us`).
    """
    from ..theorem.case import suite_version
    suite = suite_version()
    cache = CaseCache(cache_path)
    with cache.locked(wait), cases_die_with_us():
        cached = cache.load()
        keyed = [(spec, spec.key(suite)) for spec in specs]
        todo = [(s, k) for s, k in keyed if fresh or not _is_finished(cached.get(k), s)]
        done = dict(cached)
        if todo:
            _run_todo(todo, cache, done, jobs, dask_client, progress, suite)
            if fresh:
                cache.compact(done)
        entries = [_refreshed(done[k]) for _, k in keyed]
        if after is None:
            return entries
        return entries, after(entries)


def _refreshed(entry: dict) -> dict:
    """A cache entry with its record's proven-threshold fields recomputed by the current code
    (:func:`verify.theorem.case.with_proven_threshold`; that code is not in the cache key)."""
    from ..theorem.case import with_proven_threshold
    try:
        return {**entry, "record": with_proven_threshold(entry["record"])}
    except (KeyError, TypeError, ValueError, InputError):    # a hand-made line: as it is
        return entry


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm
    tqdm.monitor_interval = 0                      # no extra monitor thread
    return tqdm(total=total, disable=None if enabled else True, unit="case", file=sys.stderr,
                dynamic_ncols=True, smoothing=0.1)


def _run_todo(todo, cache, done, jobs, dask_client, progress, suite=None):
    bar = _progress_bar(len(todo), progress)
    running: dict[str, str] = {}

    def show():
        bar.set_description_str(", ".join(sorted(running.values())[:3]) or "done", refresh=True)

    def finish(spec, key, record, seconds):
        ran = (record.get("versions") or {}).get("suite")
        if suite is not None and ran is not None and ran != suite:
            # a case process started after the code on disk changed: its record must not be
            # cached under the sweep's key (an error is retried by the next sweep)
            record = _failed_record(spec, "error", f"the suite's code changed during the sweep "
                                    f"(the case ran {ran}, the sweep keys {suite}): run it again")
        entry = {"key": key, "inputs": spec.inputs(), "record": record,
                 "seconds": {k: round(v, 3) for k, v in seconds.items()}}
        cache.append(entry)
        done[key] = entry
        running.pop(key, None)
        bar.update(1)
        show()

    try:
        if dask_client is not None:
            from distributed import as_completed as dask_completed
            futures = {}
            for spec, key in todo:
                fut = dask_client.submit(run_isolated, spec, key=f"case-{key}", pure=False)
                futures[fut] = (spec, key)
                running[key] = spec.label
            show()
            for fut in dask_completed(list(futures)):
                spec, key = futures[fut]
                try:
                    record, seconds = fut.result()
                except Exception as e:              # a lost worker, an unpicklable error
                    record, seconds = _failed_record(spec, "error", f"dask: {e}"), {}
                finish(spec, key, record, seconds)
        else:
            lock = threading.Lock()

            def one(spec, key):
                with lock:
                    running[key] = spec.label
                    show()
                try:
                    return run_isolated(spec)
                finally:
                    with lock:
                        running.pop(key, None)

            with ThreadPoolExecutor(max_workers=max(1, int(jobs))) as pool:
                futures = {pool.submit(one, spec, key): (spec, key) for spec, key in todo}
                try:
                    for fut in as_completed(futures):
                        spec, key = futures[fut]
                        record, seconds = fut.result()
                        with lock:
                            finish(spec, key, record, seconds)
                except BaseException:
                    for fut in futures:
                        fut.cancel()
                    kill_running_cases(stop=True)
                    raise
    finally:
        if dask_client is None:
            close_zygotes()
        bar.close()


def dask_client_for(address: str, jobs: int = 1):
    """A distributed.Client: ``"local"`` starts a loopback LocalCluster with ``jobs`` workers."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("Dask is not installed: pip install '.[distributed]'")
    if address == "local":
        import dask
        with dask.config.set({"distributed.worker.daemon": False}):   # workers fork cases
            cluster = LocalCluster(n_workers=max(1, int(jobs)), threads_per_worker=1,
                                   processes=True, host="127.0.0.1", dashboard_address=None)
        return Client(cluster)
    try:
        return Client(address, timeout=30)
    except (OSError, TimeoutError) as e:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {e}")
