"""Report files written whole and with the modes the user's umask asks for.

Serves proofs/README.md only as plumbing: every file of a report folder (REPORT.md,
results.json, timings.json, catalogue.md, the exports, the cache after compaction, the
atlas's files) is written through a unique temporary file in the same folder
(``tempfile.mkstemp``: two writers never share one), flushed, fsynced and renamed over
the target.  ``mkstemp`` creates its file 0600; :func:`write_atomic` sets the mode a plain
``open(path, "w")`` would give, ``0666 & ~umask`` (0644 under umask 022), like the
figures that matplotlib writes.

EXAMPLES::

    sage: import os, tempfile, pathlib
    sage: from verify.run.files import write_atomic, file_mode
    sage: d = pathlib.Path(tempfile.mkdtemp())
    sage: old = os.umask(0o022)
    sage: write_atomic(d / "a.txt", "text\n")
    sage: oct(os.stat(d / "a.txt").st_mode & 0o777), file_mode() == 0o644
    ('0o644', True)
    sage: _ = os.umask(old)
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

__all__ = ["write_atomic", "file_mode", "current_umask"]

_umask_lock = threading.Lock()


def current_umask() -> int:
    """This process's umask: from /proc/self/status (Linux >= 4.7), else by setting and
    restoring it under a lock."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:
        old = os.umask(0o022)
        os.umask(old)
    return old


def file_mode() -> int:
    """The mode of a new regular file: ``0666 & ~umask``."""
    return 0o666 & ~current_umask()


def write_atomic(path, data, mode: int | None = None):
    """Write ``data`` (text or bytes) to ``path`` through a unique temporary file in the
    same folder, then rename; the file gets ``mode`` (default :func:`file_mode`)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        os.fchmod(fd, file_mode() if mode is None else mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
