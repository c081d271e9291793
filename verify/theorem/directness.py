"""Directness of the second layer over three lines: the one step Theorem T3 misses at r = 5.

Serves proofs/threshold.md, section 15, Conjecture D5.  With the first hidden layer of width 3
normalised to the lines l = (x, y, x + y) (GL_2 and the neuron scalings do it), a second-layer
row w gives the form q_w = sum_j w_j l_j^r of degree r.  Three rows are *direct* at degree r
when the map

    mu : (B_1, B_2, B_3) in (V_r)^3  ->  sum_a q_a^(r-1) B_a  in V_(r^2)

is injective (V_n: binary forms of degree n), i.e. when its (r^2 + 1) x 3 (r + 1) matrix has
rank 3 (r + 1).  Theorem T3 proves it at r >= 6 (Lemma W2) and for three rows of rank 2 (Lemma
D3); Conjecture D5 says it at r = 5 for three independent rows.

- :func:`directness_rank` is the rank of mu over QQ (exact), or over GF(p).
- :func:`directness_search_mod_p` ranks mu at every triple of distinct points of P^2(GF(p))
  (rows up to scaling, which does not change the rank) with no zero column, batched: an
  exhaustive search over GF(p).  It is evidence, never a proof: it sees only the points with
  coordinates in GF(p), and below p = r^2 + 1 Frobenius creates failures that do not exist
  over QQ ((x + y)^p = x^p + y^p), so such primes are refused.

EXAMPLES::

    sage: from verify.theorem.directness import directness_rank
    sage: directness_rank([[1, 0, 0], [0, 1, 0], [0, 0, 1]], 5)     # x^20, y^20, (x+y)^20
    18
    sage: directness_rank([[1, 0, 0], [0, 1, 0], [1, 1, 0]], 3)     # 12 unknowns, V_9 has 10
    10
"""

from __future__ import annotations

from math import comb

import numpy as np

from ..core.errors import InputError

__all__ = ["LINES", "directness_rank", "directness_search_mod_p", "check_search", "search_size",
           "MAX_SEARCH_TRIPLES"]

#: The first layer, normalised: x, y, x + y (coefficients of x and y).
LINES = ((1, 0), (0, 1), (1, 1))
#: Largest number of triples the search takes on (p = 31 has 1.6e8: about an hour on one core).
MAX_SEARCH_TRIPLES = 2 * 10 ** 8


def _power_coefficients(r: int) -> list[list[int]]:
    """Coefficient lists (index = exponent of x) of l_j^r for the three lines."""
    return [[comb(r, k) * a ** k * b ** (r - k) for k in range(r + 1)] for a, b in LINES]


def _convolve(u, v):
    out = [0] * (len(u) + len(v) - 1)
    for i, a in enumerate(u):
        for j, b in enumerate(v):
            out[i + j] += a * b
    return out


def directness_matrix(rows, r: int) -> list[list[int]]:
    """The matrix of mu (rows: the r^2 + 1 coefficients, columns: q_a^(r-1) x^i y^(r-i))."""
    powers = _power_coefficients(r)
    columns = []
    for w in rows:
        q = [sum(w[j] * powers[j][k] for j in range(3)) for k in range(r + 1)]
        qr = [1]
        for _ in range(r - 1):
            qr = _convolve(qr, q)
        for i in range(r + 1):
            col = [0] * (r * r + 1)
            for k, c in enumerate(qr):
                col[k + i] += c
            columns.append(col)
    return [list(row) for row in zip(*columns)]


def directness_rank(rows, r: int, p: int | None = None) -> int:
    """Rank of mu for the second-layer ``rows`` (three rows of three integers or rationals),
    exactly over QQ, or over GF(p) when ``p`` is given."""
    from sage.all import GF, QQ, matrix
    if r < 2:
        raise InputError(f"directness: activation degree r = {r} (need r >= 2)")
    return matrix(QQ if p is None else GF(p), directness_matrix(rows, r)).rank()


def _points(p: int) -> np.ndarray:
    """The points of P^2(GF(p)), first nonzero coordinate 1."""
    pts = [(1, a, b) for a in range(p) for b in range(p)]
    pts += [(0, 1, b) for b in range(p)] + [(0, 0, 1)]
    return np.array(pts, dtype=np.int64)


def search_size(p: int) -> int:
    """Number of unordered triples of distinct points of P^2(GF(p))."""
    return comb(p * p + p + 1, 3)


def check_search(r: int, p: int) -> None:
    """InputError unless the search over GF(p) at degree r is meaningful and within its limit:
    r >= 2, p > r^2 (below it small characteristic makes failures that do not exist over QQ,
    e.g. (x + y)^p = x^p + y^p), and at most MAX_SEARCH_TRIPLES triples.  ``p`` is assumed
    prime (the caller's ``check_prime``)."""
    if r < 2:
        raise InputError(f"directness: activation degree r = {r} (need r >= 2)")
    if p <= r * r:
        raise InputError(f"directness search over GF({p}) at r = {r}: the prime must exceed "
                         f"r^2 = {r * r} (below it (x + y)^p = x^p + y^p creates failures "
                         "that do not exist over QQ)")
    if search_size(p) > MAX_SEARCH_TRIPLES:
        raise InputError(f"directness search over GF({p}): {search_size(p):,} triples "
                         f"(limit {MAX_SEARCH_TRIPLES:,})")


def directness_search_mod_p(r: int, p: int, first_points=None) -> dict:
    """Exhaustive search over GF(p) for triples of rows where mu is not injective.

    Every unordered triple of distinct points of P^2(GF(p)) with no zero column (a zero
    column is a dead first-layer neuron: a subnetwork) is ranked mod p (:func:`check_search`
    first).  ``first_points`` (a range) restricts the first point of the triples: the command
    runs the search piece by piece, and the tests run a slice.  Returns the prime, the
    numbers of triples ranked (of W_2 rank 3 and rank 2) and the failures (rows, rank of W_2).
    """
    from ..core.batched_rank import batched_rank_mod_p
    check_search(r, p)
    pts = _points(p)
    n = len(pts)
    powers = np.array(_power_coefficients(r), dtype=np.int64) % p
    q = pts @ powers % p                                   # (n, r + 1)
    qr = np.ones((n, 1), dtype=np.int64)
    for _ in range(r - 1):
        out = np.zeros((n, qr.shape[1] + r), dtype=np.int64)
        for i in range(qr.shape[1]):
            out[:, i:i + r + 1] += qr[:, i:i + 1] * q
        qr = out % p
    width = qr.shape[1]
    ranked = {3: 0, 2: 0}
    failures = []
    for i in (range(n) if first_points is None else first_points):
        jj, kk = np.triu_indices(n - i - 1, 1)
        triples = np.stack([np.full(len(jj), i), jj + i + 1, kk + i + 1], axis=1)
        W = pts[triples]                                   # (B, 3, 3)
        triples = triples[np.all((W != 0).any(axis=1), axis=1)]
        for s in range(0, len(triples), 20000):
            t = triples[s:s + 20000]
            M = np.zeros((len(t), r * r + 1, 3 * (r + 1)), dtype=np.int64)
            for a in range(3):
                for k in range(r + 1):
                    M[:, k:k + width, a * (r + 1) + k] = qr[t[:, a]]
            ranks = batched_rank_mod_p(M, p)
            w_rank = batched_rank_mod_p(pts[t], p)
            for rk in (2, 3):
                ranked[rk] += int(np.count_nonzero(w_rank == rk))
            for b in np.nonzero(ranks < 3 * (r + 1))[0]:
                failures.append({"rows": pts[t[b]].tolist(), "rank_W2": int(w_rank[b]),
                                 "rank": int(ranks[b])})
    return {"prime": p, "degree": r, "triples": ranked[3] + ranked[2], "rank_3": ranked[3],
            "rank_2": ranked[2], "failures": failures}
