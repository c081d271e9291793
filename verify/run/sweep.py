"""Resumable sweeps: run many (architecture, degree) cases, each in its own process.

Serves proofs/README.md, the theorem checked case by case (records from
:func:`verify.theorem.case.run_case`).  The sweep uses three modules of this folder:

- :mod:`verify.run.catalogue`: the TOML catalogue -> :class:`CaseSpec` list
  (:func:`load_catalogue`, :func:`expand_cases`);
- :mod:`verify.run.case_process`: each case in its own process forked by a warm zygote,
  with its timeout and memory cap (:func:`run_isolated`, :func:`cases_die_with_us`);
- :mod:`verify.run.cache`: one JSON line per finished case, and the folder's lock
  (:class:`CaseCache`).

Here: :func:`run_sweep` runs every case not already final in the cache (``fresh=True``
recomputes them and leaves one line per case), appending each record as it finishes;
every record read back gets its proven threshold from the current code
(:func:`verify.theorem.case.with_proven_threshold`).  The sweep holds the cache's lock,
report included: concurrent sweeps on one folder take turns.  **Parallelism**: ``jobs``
threads, each with its zygote, wait on one case process each locally, or with ``dask``
(a ``distributed.Client``) every case is a task that runs :func:`run_isolated` on a
worker (a zygote per worker thread): the same records either way.

The names of the three modules above stay importable from here.

EXAMPLES::

    sage: import verify.run.catalogue as catalogue, verify.run.sweep as sweep
    sage: sweep.CaseSpec is catalogue.CaseSpec and sweep.expand_cases is catalogue.expand_cases
    True
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed

from ..core.errors import InputError
from .cache import CaseCache, is_finished
from .case_process import (cases_die_with_us, close_zygotes, failed_record,
                           kill_running_cases, run_isolated)
from .catalogue import (DEFAULT_CATALOGUE, DEFAULT_MEMORY_GIB, METHODS, CaseSpec,
                        expand_cases, load_catalogue, record_label)

__all__ = ["CaseSpec", "CaseCache", "load_catalogue", "expand_cases", "run_isolated",
           "run_sweep", "DEFAULT_CATALOGUE", "METHODS", "DEFAULT_MEMORY_GIB",
           "close_zygotes", "cases_die_with_us", "kill_running_cases", "dask_client_for"]


def run_sweep(specs, cache_path, jobs: int = 1, fresh: bool = False, dask_client=None,
              progress: bool = True, after=None, wait: bool = True,
              keep_partial: bool = False) -> list:
    """Run every spec not already in the cache; return the cache entries of all specs,
    in the order of ``specs``.  Each finished case is appended to the cache at once.

    The cache is locked (:meth:`CaseCache.locked`) for the whole sweep and ``after``
    (called with the entries, e.g. to write the report) runs under the same lock, so
    concurrent sweeps on one folder take turns; with ``after`` the result is
    ``(entries, after(entries))``.  ``fresh`` recomputes and leaves one line per key.
    A cached *partial* record (a case stopped by its timeout, killed or crashed,
    :func:`verify.run.cache.is_partial`) is rerun, unless ``keep_partial``
    (:func:`verify.run.cache.is_finished`).  ``progress``: a bar on a terminal, else one
    line per finished case on stderr.  SIGTERM, SIGHUP and SIGINT kill the running cases (:func:`cases_die_with_us`).
    """
    from ..theorem.case import suite_version
    suite = suite_version()
    cache = CaseCache(cache_path)
    with cache.locked(wait), cases_die_with_us():
        cached = cache.load()
        keyed = [(spec, spec.key(suite)) for spec in specs]
        todo = [(s, k) for s, k in keyed if fresh or not is_finished(cached.get(k), s, keep_partial)]
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
    from .general import is_general_record
    if is_general_record(entry.get("record")):     # no monomial threshold bears on it
        return entry
    try:
        return {**entry, "record": with_proven_threshold(entry["record"])}
    except (KeyError, TypeError, ValueError, InputError):    # a hand-made line: as it is
        return entry


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm
    tqdm.monitor_interval = 0                      # no extra monitor thread
    return tqdm(total=total, disable=None if enabled else True, unit="case", file=sys.stderr,
                dynamic_ncols=True, smoothing=0.1)


def progress_line(n: int, total: int, record: dict, seconds: dict) -> str:
    """One line per finished case, printed when stderr is not a terminal (no bar there):
    ``[n/total] ARCH r=R: verdict certificate (wall s)`` (``ARCH s=POLY[, biases]`` for a
    general case), and the stop reason of a partial record."""
    v = str(record.get("verdict"))
    cert = record.get("certificate")
    text = f"[{n}/{total}] {record_label(record)}: {v}"
    if cert:
        text += f" ({cert})"
    if "wall" in seconds:
        text += f", {seconds['wall']:.1f} s"
    part = record.get("partial")
    if isinstance(part, dict):
        text += f"; partial, {part.get('reason')}"
    elif v == "error":
        text += "; " + "; ".join(map(str, record.get("reasons") or []))
    return text[:400]


def _run_todo(todo, cache, done, jobs, dask_client, progress, suite=None):
    bar = _progress_bar(len(todo), progress)
    lines = progress and not _is_terminal(sys.stderr)
    count = [0]
    running: dict[str, str] = {}
    if lines:
        print(f"sweep: {len(todo)} case(s) to run", file=sys.stderr, flush=True)

    def show():
        bar.set_description_str(", ".join(sorted(running.values())[:3]) or "done", refresh=True)

    def finish(spec, key, record, seconds):
        ran = (record.get("versions") or {}).get("suite")
        if suite is not None and ran is not None and ran != suite:
            # a case process started after the code on disk changed: its record must not be
            # cached under the sweep's key (an error is retried by the next sweep)
            record = failed_record(spec, "error", f"the suite's code changed during the sweep "
                                    f"(the case ran {ran}, the sweep keys {suite}): run it again")
        entry = {"key": key, "inputs": spec.inputs(), "record": record,
                 "seconds": {k: round(v, 3) for k, v in seconds.items()}}
        cache.append(entry)
        done[key] = entry
        running.pop(key, None)
        bar.update(1)
        show()
        count[0] += 1
        if lines:
            print(progress_line(count[0], len(todo), record, entry["seconds"]), file=sys.stderr,
                  flush=True)

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
                    record, seconds = failed_record(spec, "error", f"dask: {e}"), {}
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
    _probe_scheduler(address)
    try:
        return Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except Exception as e:      # whatever answered is no scheduler (a peer's garbage: MemoryError)
        raise InputError(f"cannot reach the Dask scheduler at {address[:100]} within "
                         f"DASK_CONNECT_TIMEOUT = {DASK_CONNECT_TIMEOUT} s: {str(e)[:100]}")


#: Seconds a Dask scheduler address gets to answer (a TCP connection first, then the client's
#: handshake): a refused or unreachable address fails within seconds, not distributed's 30.
DASK_CONNECT_TIMEOUT = 5


def _probe_scheduler(address: str):
    """InputError (one line) unless a tcp/tls scheduler address accepts a TCP connection within
    DASK_CONNECT_TIMEOUT seconds (distributed itself retries a refused address until its timeout)."""
    import socket
    from distributed.comm import parse_address, parse_host_port
    try:
        scheme, location = parse_address(address)
        if scheme not in ("tcp", "tls"):
            return
        host, port = parse_host_port(location)
        socket.create_connection((host, port), timeout=DASK_CONNECT_TIMEOUT).close()
    except (OSError, ValueError, TypeError) as e:
        raise InputError(f"cannot reach the Dask scheduler at {address[:100]} within "
                         f"DASK_CONNECT_TIMEOUT = {DASK_CONNECT_TIMEOUT} s: {str(e)[:100]}")
