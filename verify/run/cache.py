"""The sweep's cache: one JSON line per finished case in ``REPORT/cache/cases.jsonl``,
keyed by the case's inputs and :func:`verify.theorem.case.suite_version`, and an advisory
lock on the folder.

Serves proofs/README.md (records are reused only for the same inputs and the same
mathematics).  A line is written whole, flushed and fsynced; a torn last line (kill -9
mid-write) is cut off on the next load, any other bad line is skipped with one warning.
:func:`is_finished` says whether a cached record is final for a case now asked: a partial
record (a stopped case, :func:`is_partial`) is not, unless partial records are kept.

EXAMPLES::

    sage: import tempfile, pathlib
    sage: from verify.run.cache import CaseCache
    sage: c = CaseCache(pathlib.Path(tempfile.mkdtemp()) / "cases.jsonl")
    sage: c.append({"key": "k", "inputs": {}, "record": {"verdict": "holds"}, "seconds": {}})
    sage: c.load()["k"]["record"]
    {'verdict': 'holds'}
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
from pathlib import Path

from ..core.errors import InputError
from .catalogue import CaseSpec

__all__ = ["CaseCache", "is_finished", "is_partial"]


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
        through a unique temporary file in the same folder and os.replace (mode as the
        umask asks: :func:`verify.run.files.write_atomic`)."""
        from .files import write_atomic
        write_atomic(self.path, b"".join((json.dumps(entry, sort_keys=True) + "\n").encode()
                                         for entry in entries.values()))

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


def is_partial(record: dict) -> bool:
    """A record of a case that was stopped (timeout, kill, crash, memory limit) before it
    finished: it has ``partial`` (:func:`verify.run.case_process.failed_record`), or is
    ``timed-out`` / ``error``, or, written by an older suite, has the ``timeout`` key of a
    stopped case's record and no ``converse`` part (every finished record has one, ``not-run``
    when not requested, and no ``timeout``)."""
    return bool(record.get("partial")) or record.get("verdict") in ("timed-out", "error") \
        or ("timeout" in record and "converse" not in record)


def is_finished(entry: dict | None, spec: CaseSpec, keep_partial: bool = False) -> bool:
    """Is a cached entry final for ``spec``?  A finished record is.  A partial one
    (:func:`is_partial`) is not: the next sweep reruns it, so a case stopped under load
    never becomes final silently.  With ``keep_partial`` (``--keep-partial``) a partial
    record is kept, unless it is an ``error`` (a crash or a lost worker: always tried
    again) or was stopped at a shorter timeout than now asked (a longer ``--timeout``
    reruns the stopped cases)."""
    if entry is None:
        return False
    rec = entry.get("record", {})
    if not is_partial(rec):
        return True
    if not keep_partial or rec.get("verdict") == "error":
        return False
    stop = (rec.get("partial") or {}).get("stop") or rec.get("verdict")
    if stop == "timed-out":
        old = rec.get("timeout")
        return spec.timeout is not None and old is not None and old >= spec.timeout
    return True
