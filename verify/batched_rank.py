"""Ranks modulo a prime of many small integer matrices at once (batched Gaussian elimination).

Serves proofs/exhaustive.md, "The batched rank": the exhaustive search over GF(p)
needs the rank of the Jacobian at every point of a chart, i.e. of millions of
small matrices.  :func:`batched_rank_mod_p` eliminates all of them together with
numpy: the batch is the last (contiguous) axis, so every step is one long
vector operation.  Arithmetic is exact integer arithmetic (int16, int32 or
int64, chosen so that no value can overflow, see :func:`rank_dtype`); entries
are reduced mod p only where a decision is taken (pivot test, pivot row), the
other entries are allowed to grow by at most (p-1)^2 per step.

EXAMPLES::

    sage: import numpy as np
    sage: from verify.batched_rank import batched_rank_mod_p
    sage: A = np.array([[[1, 2], [2, 4]], [[1, 2], [3, 4]], [[0, 0], [0, 0]]])
    sage: batched_rank_mod_p(A, 7).tolist()
    [1, 2, 0]
    sage: batched_rank_mod_p(A, 2).tolist()      # [[1, 0], [1, 0]] mod 2
    [1, 1, 0]
"""

from __future__ import annotations

import numpy as np

from .errors import InputError

__all__ = ["rank_dtype", "inverse_table", "batched_rank_mod_p"]


def rank_dtype(p: int, columns: int):
    """Smallest integer dtype in which the lazy elimination of ``columns`` columns is exact.

    Entries start in [0, p); each elimination step subtracts a product of two
    reduced residues (< p^2 in size) from every remaining entry, so after
    ``columns`` steps |entry| < p + columns * (p - 1)^2.  Products of two reduced
    residues are < p^2 as well.  The dtype must hold both.
    """
    bound = p + (columns + 1) * (p - 1) ** 2 + p * p
    for dt in (np.int16, np.int32, np.int64):
        if bound < np.iinfo(dt).max:
            return dt
    raise InputError(f"batched rank mod {p} with {columns} columns would overflow int64")


def inverse_table(p: int, dtype=np.int64) -> np.ndarray:
    """inv[a] = a^(-1) mod p for a = 1..p-1, and inv[0] = 0."""
    inv = np.zeros(p, dtype=dtype)
    for a in range(1, p):
        inv[a] = pow(a, -1, p)
    return inv


def batched_rank_mod_p(matrices, p: int, batch_last: bool = False) -> np.ndarray:
    """Ranks over GF(p) of a stack of integer matrices.

    ``matrices`` has shape (B, m, n) (or (m, n, B) with ``batch_last=True``,
    which avoids a copy); entries are any integers (reduced mod p first).
    Returns an int64 array of B ranks.  ``p`` must be a prime (not checked here:
    GF(p) needs it, callers check it).
    """
    A = np.asarray(matrices)
    if not batch_last:
        A = np.moveaxis(A, 0, -1)
    m, n, B = A.shape
    if B == 0 or m == 0 or n == 0:
        return np.zeros(B, dtype=np.int64)
    dt = rank_dtype(p, n)
    A = np.ascontiguousarray(np.remainder(A, p), dtype=dt)
    inv = inverse_table(p, dt)
    rank = np.zeros(B, dtype=np.int64)
    idx = np.arange(B)
    tmp = np.empty((m, n, B), dtype=dt)
    for k in range(n):
        col = np.remainder(A[:, k, :], p)                  # (m, B), reduced
        nz = col != 0
        piv = nz.argmax(axis=0)                            # first nonzero row (0 if none)
        has = nz[piv, idx]
        rank += has
        if k == n - 1 or not has.any():
            continue
        rest = A[:, k + 1:, :]                             # (m, n-k-1, B)
        prow = np.remainder(rest[piv, :, idx].T, p)        # (n-k-1, B) reduced pivot row
        # factor per row: col * pivot^(-1); zero where there is no pivot (inv[0] = 0).
        f = np.remainder(col * inv[col[piv, idx]], p)      # (m, B)
        t = tmp[:, : n - k - 1, :]
        np.multiply(f[:, None, :], prow[None, :, :], out=t)
        np.subtract(rest, t, out=rest)
        # The pivot row becomes 0 mod p (f = 1 there), so it is never chosen again.
    return rank
