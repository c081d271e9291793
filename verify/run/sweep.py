"""Resumable sweeps: run many (architecture, degree) cases, each in its own process.

Serves proofs/README.md, the theorem checked case by case (records from
:func:`verify.theorem.case.run_case`).  Mechanics, one mechanism each:

- **Catalogue**: a TOML file of ``[[case]]`` entries (``arch``, ``degrees``, optional
  ``method``, ``timeout``, ``quick``, ``seed``, ``prime``); :func:`load_catalogue`.
- **Isolation and timeouts**: :func:`run_isolated` runs each case in a process forked
  by a warm fork server (Sage preloaded), in
  its own process group (Singular does not stop on signals); past its deadline the
  group is killed with SIGKILL and the case is recorded ``timed-out``.  The child
  also dies with its parent (PR_SET_PDEATHSIG), so killing a sweep leaves nothing behind.
- **Cache**: :class:`CaseCache`, one JSON line per finished case, keyed by the inputs
  and :func:`verify.theorem.case.suite_version`; a line is written whole, flushed and fsynced;
  a torn last line (kill -9 mid-write) is cut off on the next load.  Restart skips
  cached cases; ``fresh=True`` ignores them.
- **Parallelism**: ``jobs`` threads each wait on one child process locally, or with
  ``dask`` (a ``distributed.Client``) every case is a task that runs
  :func:`run_isolated` on a worker: the same records either way.

EXAMPLES::

    sage: from verify.run.sweep import CaseSpec, expand_cases
    sage: s = CaseSpec("2,2,1", 3)
    sage: s.key() == CaseSpec("2,2,1", 3, seed=0).key() != CaseSpec("2,2,1", 4).key()
    True
    sage: [c.label for c in expand_cases([{"arch": "2,2,1", "degrees": "2-3"}])]
    ['2,2,1 r=2', '2,2,1 r=3']
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import multiprocessing
import os
import signal
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

    def __post_init__(self):                       # plain Python values: keys are JSON
        object.__setattr__(self, "arch", str(Architecture.parse(self.arch)))
        object.__setattr__(self, "degree", check_degree(int(self.degree)))
        object.__setattr__(self, "seed", int(self.seed))
        object.__setattr__(self, "prime", None if self.prime is None else int(self.prime))
        object.__setattr__(self, "method", str(self.method))
        object.__setattr__(self, "timeout", None if self.timeout is None else float(self.timeout))
        object.__setattr__(self, "quick", bool(self.quick))

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


def _degrees(value) -> list[int]:
    if isinstance(value, int):
        return [check_degree(value)]
    if isinstance(value, list):
        return [check_degree(v) for v in value]
    return parse_degrees(value)


def expand_cases(entries, defaults=None) -> list[CaseSpec]:
    """Catalogue entries (dicts) -> sorted, de-duplicated list of CaseSpec."""
    defaults = dict(defaults or {})
    out = {}
    for n, entry in enumerate(entries, start=1):
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            raise InputError(f"catalogue entry {n}: unknown key(s) {', '.join(sorted(unknown))}")
        e = {**defaults, **entry}
        if "arch" not in e or "degrees" not in e:
            raise InputError(f"catalogue entry {n} needs 'arch' and 'degrees'")
        arch = str(Architecture.parse(e["arch"]))
        method = str(e.get("method", "auto"))
        if method not in METHODS:
            raise InputError(f"catalogue entry {n}: method must be one of {', '.join(METHODS)}")
        prime = e.get("prime")
        timeout = e.get("timeout")
        for r in _degrees(e["degrees"]):
            spec = CaseSpec(arch, r, int(e.get("seed", 0)), None if prime is None else int(prime),
                            method, None if timeout is None else float(timeout),
                            bool(e.get("quick", False)))
            out[spec] = spec
    return sorted(out.values(), key=CaseSpec.sort_key)


def load_catalogue(path) -> tuple[str, list[CaseSpec]]:
    """(name, cases) of a TOML catalogue: ``[defaults]`` and ``[[case]]`` tables."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(f"catalogue {path} does not exist")
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"catalogue {path} is not valid TOML: {e}")
    entries = data.get("case", [])
    if not isinstance(entries, list) or not entries:
        raise InputError(f"catalogue {path} has no [[case]] entries")
    return str(data.get("name", path.stem)), expand_cases(entries, data.get("defaults"))


# --- running one case in its own process -----------------------------------------------

_PR_SET_PDEATHSIG = 1
_running_groups: set[int] = set()
_running_lock = threading.Lock()
_context = None
#: Imported once by the fork server (missing ones are skipped), so cases start warm.
_PRELOAD = ["sage.all", "verify.theorem.case", "verify.core.rank", "verify.sub_in_crit.strata",
            "verify.sub_in_crit.stratum_rank", "verify.crit_in_sub.converse",
            "verify.crit_in_sub.symbolic", "verify.crit_in_sub.exhaustive",
            "verify.crit_in_sub.slicing", "verify.theorem.threshold"]


def _fork_context():
    """The forkserver context: one warm process (Sage imported) forks every case.

    Forking straight from a thread of a process that runs Sage crashes the child
    (cysignals); the fork server forks from its own main thread, for every caller.
    """
    global _context
    with _running_lock:
        if _context is None:
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(_PRELOAD)
        return _context


def _child(spec: CaseSpec, conn):
    """In the case process: run the case, send one JSON document, exit."""
    os.setpgid(0, 0)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    try:
        from ..theorem.case import run_case
        record = run_case(spec.arch, spec.degree, seed=spec.seed, prime=spec.prime,
                          method=spec.method)
        payload = {"record": record}
    except BaseException as e:                     # report, never hang the parent
        payload = {"error": f"{type(e).__name__}: {e}"}
    try:
        conn.send_bytes(json.dumps(payload, sort_keys=True).encode())
        conn.close()
    except OSError:                                # the sweep gave up on this case
        os._exit(1)


def _failed_record(spec: CaseSpec, verdict: str, reason: str) -> dict:
    """The record of a case that gave no answer: its inputs, the reason, the proven threshold."""
    from ..theorem.case import case_versions, jsonable, proven_degree
    arch = Architecture.parse(spec.arch)
    try:
        from ..theorem.threshold import proven_threshold
        threshold = jsonable(proven_threshold(arch))
    except Exception as e:                         # missing or broken: say so
        threshold = {"verdict": "not-run", "reason": f"{type(e).__name__}: {e}"}
    r_star = proven_degree(threshold)
    return {**spec.inputs(), "widths": list(arch.widths), "params": arch.params,
            "hidden": arch.hidden, "degenerate": arch.degeneracy(spec.degree),
            "threshold": threshold, "proven_threshold": r_star,
            "above_proven_threshold": None if r_star is None else spec.degree >= r_star,
            "verdict": verdict, "reasons": [reason], "certificate": None,
            "contradicts_theorem": False, "versions": case_versions(),
            "timeout": spec.timeout if verdict == "timed-out" else None}


def run_isolated(spec: CaseSpec) -> tuple[dict, dict]:
    """Run one case in its own process (and process group) with ``spec.timeout``;
    return (record, seconds).

    The record's ``seconds`` (per part) are removed from it and returned apart,
    with ``wall``, the wall clock of the case process.  Safe to call from threads
    (local ``--jobs``, Dask workers).
    """
    if multiprocessing.current_process().daemon:
        raise InputError("cases run in child processes: start Dask workers with "
                         "DASK_DISTRIBUTED__WORKER__DAEMON=False")
    ctx = _fork_context()
    start = time.monotonic()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(spec, send), daemon=True)
    proc.start()
    send.close()
    with _running_lock:
        _running_groups.add(proc.pid)
    data, timed_out = None, False
    try:
        wait = None if spec.timeout is None else max(0.0, start + spec.timeout - time.monotonic())
        if receive.poll(wait):
            try:
                data = receive.recv_bytes()
            except EOFError:
                data = None
        else:
            timed_out = True
    finally:
        if timed_out or data is None:
            _kill_group(proc.pid)
        receive.close()
        proc.join()
        with _running_lock:
            _running_groups.discard(proc.pid)
    seconds = {"wall": time.monotonic() - start}
    if timed_out:
        return _failed_record(spec, "timed-out", f"no result within {spec.timeout:g} s"), seconds
    doc = json.loads(data) if data else {"error": f"the case process died (exit code {proc.exitcode})"}
    if "record" not in doc:
        return _failed_record(spec, "error", doc.get("error", "no record")), seconds
    record = doc["record"]
    seconds.update(record.pop("seconds", {}))
    return record, seconds


def _kill_group(pid: int):
    """SIGKILL the case process and its process group (which it joins first thing)."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def kill_running_cases():
    """SIGKILL every case process group still running (used on Ctrl-C)."""
    with _running_lock:
        groups = list(_running_groups)
    for g in groups:
        _kill_group(g)


# --- the cache --------------------------------------------------------------------------

class CaseCache:
    """JSON lines ``{"key", "inputs", "record", "seconds"}``, one per finished case."""

    def __init__(self, path):
        self.path = Path(path)

    def load(self) -> dict:
        """key -> entry; the last line for a key wins; a torn last line is cut off."""
        if not self.path.exists():
            return {}
        raw = self.path.read_bytes()
        if raw and not raw.endswith(b"\n"):
            keep = raw.rfind(b"\n") + 1
            with open(self.path, "r+b") as f:
                f.truncate(keep)
                f.flush()
                os.fsync(f.fileno())
            raw = raw[:keep]
        out = {}
        for line in raw.splitlines():
            try:
                entry = json.loads(line)
                out[entry["key"]] = entry
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
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
              progress: bool = True) -> list[dict]:
    """Run every spec not already in the cache; return the cache entries of all specs,
    in the order of ``specs``.  Each finished case is appended to the cache at once."""
    from ..theorem.case import suite_version
    suite = suite_version()
    cache = CaseCache(cache_path)
    cached = {} if fresh else cache.load()
    keyed = [(spec, spec.key(suite)) for spec in specs]
    todo = [(s, k) for s, k in keyed if fresh or not _is_finished(cached.get(k), s)]
    done = dict(cached)
    if todo:
        _run_todo(todo, cache, done, jobs, dask_client, progress)
    return [done[k] for _, k in keyed]


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm
    tqdm.monitor_interval = 0                      # no extra monitor thread
    return tqdm(total=total, disable=not enabled, unit="case", file=sys.stderr,
                dynamic_ncols=True, smoothing=0.1)


def _run_todo(todo, cache, done, jobs, dask_client, progress):
    bar = _progress_bar(len(todo), progress)
    running: dict[str, str] = {}

    def show():
        bar.set_description_str(", ".join(sorted(running.values())[:3]) or "done", refresh=True)

    def finish(spec, key, record, seconds):
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
                    kill_running_cases()
                    raise
    finally:
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
