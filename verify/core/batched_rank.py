"""Ranks modulo a prime of many small integer matrices at once (batched Gaussian elimination).

Serves proofs/exhaustive.md, section 3 ("Rank"): the exhaustive search over GF(p)
needs the rank of the Jacobian at every point of a chart, i.e. of millions of
small matrices.  :func:`batched_rank_mod_p` eliminates all of them together with
numpy: the batch is the last (contiguous) axis, so every step is one long
vector operation.  Arithmetic is exact integer arithmetic (int16, int32 or
int64, chosen so that no value can overflow, see :func:`rank_dtype`); entries
are reduced mod p only where a decision is taken (pivot test, pivot row), the
other entries are allowed to grow by at most (p-1)^2 per step.

EXAMPLES::

    sage: import numpy as np
    sage: from verify.core.batched_rank import batched_rank_mod_p
    sage: A = np.array([[[1, 2], [2, 4]], [[1, 2], [3, 4]], [[0, 0], [0, 0]]])
    sage: batched_rank_mod_p(A, 7).tolist()
    [1, 2, 0]
    sage: batched_rank_mod_p(A, 2).tolist()      # [[1, 0], [1, 0]] mod 2
    [1, 1, 0]
"""

from __future__ import annotations

import numpy as np

from .errors import InputError

__all__ = ["rank_bound", "rank_dtype", "inverse_table", "Reducer", "batched_rank_mod_p"]

#: Residue tables up to this many entries; beyond, numpy's remainder is used.
TABLE_LIMIT = 1 << 20
#: Matrices eliminated together (a slice of this many stays in cache).
SUB_BATCH = 8192


def rank_bound(p: int, columns: int, start: int | None = None) -> int:
    """Bound on |entry| during the lazy elimination of ``columns`` columns.

    Entries start with |entry| <= ``start`` (default p: reduced); each elimination
    step subtracts a product of two reduced residues (< p^2) from every remaining
    entry, so after ``columns`` steps |entry| < start + columns * (p - 1)^2.
    Products of two reduced residues (< p^2) are covered as well.
    """
    start = p if start is None else start
    return start + (columns + 1) * (p - 1) ** 2 + p * p


def rank_dtype(bound: int):
    """Smallest integer dtype holding every integer of absolute value <= 2 * bound + 1
    (room for the table offset of :class:`Reducer`)."""
    for dt in (np.int16, np.int32, np.int64):
        if 2 * bound + 1 < np.iinfo(dt).max:
            return dt
    raise InputError(f"batched rank: entries up to {bound} would overflow int64")


class Reducer:
    """x -> x mod p in [0, p) for integer arrays with |x| <= bound, by table look-up
    (np.take on a residue table, several times faster than np.remainder) when the
    table is small, else by np.remainder.  Exact either way."""

    def __init__(self, p: int, bound: int, dtype):
        self.p, self.bound, self.dtype = int(p), int(bound), dtype
        if 2 * bound + 1 <= TABLE_LIMIT:
            self.table = (np.arange(-bound, bound + 1, dtype=np.int64) % p).astype(dtype)
        else:
            self.table = None

    def __call__(self, x):
        if self.table is None:
            return np.remainder(x, self.p).astype(self.dtype, copy=False)
        return np.take(self.table, x + self.dtype(self.bound))


def inverse_table(p: int, dtype=np.int64) -> np.ndarray:
    """inv[a] = a^(-1) mod p for a = 1..p-1, and inv[0] = 0."""
    inv = np.zeros(p, dtype=dtype)
    for a in range(1, p):
        inv[a] = pow(a, -1, p)
    return inv


def batched_rank_mod_p(matrices, p: int, batch_last: bool = False,
                       entry_bound: int | None = None) -> np.ndarray:
    """Ranks over GF(p) of a stack of integer matrices.

    ``matrices`` has shape (B, m, n) (or (m, n, B) with ``batch_last=True``,
    which avoids a copy); entries are any integers (reduced mod p first).
    With ``entry_bound`` the caller guarantees |entry| <= entry_bound and the
    entries are used unreduced (the bounds of :func:`rank_bound` grow by it).
    Returns an int64 array of B ranks.  ``p`` must be a prime (not checked here:
    GF(p) needs it, callers check it).  Works on slices of SUB_BATCH matrices
    (they stay in cache).
    """
    A = np.asarray(matrices)
    if not batch_last:
        A = np.moveaxis(A, 0, -1)
    m, n, B = A.shape
    if B == 0 or m == 0 or n == 0:
        return np.zeros(B, dtype=np.int64)
    start = p if entry_bound is None else max(int(entry_bound), p)
    bound = rank_bound(p, n, start)
    dt = rank_dtype(bound)
    red = Reducer(p, bound, dt)
    inv = inverse_table(p, dt)
    out = np.empty(B, dtype=np.int64)
    for s in range(0, B, SUB_BATCH):
        part = A[:, :, s:s + SUB_BATCH]
        if entry_bound is None:
            part = np.remainder(part, p)
        out[s:s + SUB_BATCH] = _eliminate(np.array(part, dtype=dt, order="C"), red, inv)
    return out


def _eliminate(A, red, inv):
    """Rank mod p of each A[:, :, b] (A is a scratch array, overwritten)."""
    m, n, B = A.shape
    rank = np.zeros(B, dtype=np.int64)
    idx = np.arange(B)
    tmp = np.empty((m, n, B), dtype=A.dtype)
    for k in range(n):
        col = red(A[:, k, :])                              # (m, B), reduced
        nz = col != 0
        piv = np.zeros(B, dtype=np.intp)                   # first nonzero row (0 if none)
        for i in range(m - 1, -1, -1):
            piv = np.where(nz[i], i, piv)
        has = nz.any(axis=0)
        rank += has
        if k == n - 1 or not has.any():
            continue
        prow = red(A[piv, k:, idx].T)                      # (n-k, B) reduced pivot row
        # factor per row: col * pivot^(-1); zero where there is no pivot (inv[0] = 0).
        f = red(col * inv[prow[0]])                        # (m, B)
        rest = A[:, k + 1:, :]
        t = tmp[:, : n - k - 1, :]
        np.multiply(f[:, None, :], prow[None, 1:, :], out=t)
        np.subtract(rest, t, out=rest)
        # The pivot row becomes 0 mod p (f = 1 there), so it is never chosen again.
    return rank
