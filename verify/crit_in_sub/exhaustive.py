"""Exhaustive search over GF(p) for critical points that are not subnetworks (and back).

Serves proofs/exhaustive.md.  Every GF(p)-point of weight space is moved by a
symmetry of MATH.md section 2 (defined over GF(p), preserving rank J and Sub)
into a *normalised chart* (:func:`verify.crit_in_sub.chart.chart_cells`); the chart is enumerated
completely, cell by cell, vectorised: the Jacobian is evaluated mod p at many
weight points at once (:func:`batched_jacobian_mod_p`, at the principal lattice,
unisolvent over GF(p) for p > D), the scaling gauge columns are dropped (same
rank), and ranks come from :func:`verify.core.batched_rank.batched_rank_mod_p`.
Subnetwork membership is tested mod p on the same batch.

The counts (critical-not-subnetwork, subnetwork-not-critical) are statements
about GF(p)-points only, measured against the largest rank over GF(p).  Sampled
hits are lifted to QQ and re-checked exactly with :func:`verify.core.rank.rank_over_QQ`
and :func:`verify.sub_in_crit.strata.strata_containing`; only those go into ``witnesses``.
The certificate is ``exhaustive-GF(p)``, never a proof over QQ.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.crit_in_sub.chart import chart_size
    sage: from verify.crit_in_sub.exhaustive import exhaustive_search
    sage: a = Architecture.parse("2,2,1")
    sage: chart_size(a, 5)          # W_1: 10 normalised matrices, W_2: 7 in RREF
    70
    sage: res = exhaustive_search(a, 3, 11)
    sage: res["verdict"], res["certificate"], res["details"]["critical_not_subnetwork"]
    ('crit-equals-sub', 'exhaustive-GF(p)', 0)
    sage: exhaustive_search(a, 3, 3)
    Traceback (most recent call last):
    ...
    verify.core.errors.InputError: prime 3 divides r = 3: every derivative of q^3 vanishes mod 3, refused
"""

from __future__ import annotations

import functools
import itertools
import random
from math import lcm
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..core.architecture import Architecture, check_degree
from ..core.batched_rank import batched_rank_mod_p
from ..core.errors import InputError
from ..core.jacobian import LazyModularArithmetic, backpropagate, principal_lattice
from .chart import NORMALISATION, chart_cells, chart_size, stratified_cells

__all__ = ["DEFAULT_LIMIT", "STRATIFIED_LIMIT", "SMALLEST_SEARCH_PRIME", "search_primes", "prime_class",
           "root_orders", "batched_jacobian_mod_p", "batched_subnetwork_mask",
           "check_search_prime", "default_prime", "exhaustive_fits", "exhaustive_search"]

#: Refuse charts with more points than this unless ``limit`` says otherwise (at the
#: 0.3-1 million points/s measured on 2 shared cores, under about a minute).
DEFAULT_LIMIT = 20_000_000
#: What the dispatcher lets the exhaustive search on the stratified charts take in ``auto``:
#: 2,2,2,1 at r = 4 (1.2 million points of 17 x 6 Jacobians) takes 6 s, at r = 5 (4.1 million,
#: 26 x 6) 42 s on 2 cores.
STRATIFIED_LIMIT = 2_000_000
#: Points per vectorised batch (at most).
BATCH = 32_768
#: Sampled hits kept per (subnetwork?, rank) bucket, and how many are lifted to QQ.
SAMPLES_PER_BUCKET = 32
LIFTED_PER_KIND = 8

# --- batched evaluation mod p ------------------------------------------------------


def batched_jacobian_mod_p(arch, r: int, theta, p: int, points=None, columns=None,
                           reduce_output: bool = True) -> np.ndarray:
    """Evaluation Jacobians mod p of many weight points: shape (d_L * P, len(columns), B).

    ``theta`` is an integer array (N, B): flat weights (row-major, W_1 first) of
    B points, batch last.  Row k * P + t is d f_k(x_t) / d theta at the t-th
    point x_t of ``points`` (default: the principal lattice, where the rank equals
    rank J for p > D); ``columns`` selects flat weight columns (default all).
    The back-propagation of :func:`verify.core.jacobian.backpropagate` with a batch
    axis, in :class:`verify.core.jacobian.LazyModularArithmetic` (narrow integers,
    reduced by table look-up).  With ``reduce_output=False`` the entries are
    left as products of two residues (0 <= entry < p^2), for
    :func:`verify.core.batched_rank.batched_rank_mod_p` with ``entry_bound = p^2``.
    """
    arch = Architecture.parse(arch)
    D = arch.output_degree(r)
    ar = LazyModularArithmetic(p, arch)
    dt = ar.dtype
    X = np.array(points if points is not None else principal_lattice(arch.widths[0], D),
                 dtype=np.int64) % p
    theta = np.asarray(theta)
    theta = (theta % p).astype(dt) if theta.min(initial=0) < 0 or theta.max(initial=0) >= p \
        else theta.astype(dt, copy=False)
    B = theta.shape[1]
    Ws = []
    for l, (rows, cols) in enumerate(arch.layer_shapes, start=1):
        o = arch.offset(l)
        Ws.append(theta[o:o + rows * cols].reshape(rows, cols, B))
    return backpropagate(arch, r, Ws, X.astype(dt), ar, columns=columns,
                         reduce_output=reduce_output)


def batched_subnetwork_mask(arch, theta, p: int) -> np.ndarray:
    """Boolean (B,): is each point (theta (N, B), batch last) in Sub over GF(p)?"""
    arch = Architecture.parse(arch)
    theta = np.asarray(theta)
    if theta.min(initial=0) < 0 or theta.max(initial=0) >= p:
        theta = theta % p
    theta = theta.astype(np.int32, copy=False)
    divisible = np.zeros(2 * p * p + 1, dtype=bool)          # divisible[x + p^2]: p | x
    divisible[::p] = True
    B = theta.shape[1]
    sub = np.zeros(B, dtype=bool)
    for l in arch.hidden_layers:
        rows, cols = arch.layer_shapes[l - 1]
        o = arch.offset(l)
        W = theta[o:o + rows * cols].reshape(rows, cols, B)
        nrows, ncols = arch.layer_shapes[l]
        o2 = arch.offset(l + 1)
        W2 = theta[o2:o2 + nrows * ncols].reshape(nrows, ncols, B)
        sub |= (W == 0).all(axis=1).any(axis=0)             # A: zero row of W_l
        sub |= (W2 == 0).all(axis=0).any(axis=0)            # B: zero column of W_{l+1}
        for i, j in itertools.combinations(range(rows), 2):  # C: proportional rows
            prop = np.ones(B, dtype=bool)
            for a, b in itertools.combinations(range(cols), 2):
                prop &= np.take(divisible, W[i, a] * W[j, b] - W[i, b] * W[j, a] + p * p)
            sub |= prop
    return sub


# --- inputs -----------------------------------------------------------------------


def default_prime(arch, r: int) -> int:
    """The smallest prime p > r * D (so p > D, p does not divide r, and no warning)."""
    from sage.all import next_prime
    arch = Architecture.parse(arch)
    return int(next_prime(check_degree(r) * arch.output_degree(r)))


def _cells(arch, r, p, cover):
    if cover == "stratified":
        return stratified_cells(arch, r, p)
    if cover == "cells":
        return chart_cells(arch, True)
    if cover == "all":
        return chart_cells(arch, False)
    raise InputError(f"cover must be stratified, cells or all; got {cover!r}")


#: The converse searches over no prime below this (a component of Crit with few
#: GF(p)-points for small p is easily missed: Lang-Weil's error term is ~ p^(dim - 1/2)).
SMALLEST_SEARCH_PRIME = 11


def root_orders(r: int) -> tuple[int, ...]:
    """Orders n of the roots of unity the known mechanisms use, which the search primes must
    contain (p = 1 mod n for some search prime): 3 (components over Q(sqrt(-3)), e.g. the
    conjugate witnesses of 2,3,2,1 at r = 3), 4 (Q(i)) and r (the r-th roots of unity acting on
    incoming rows)."""
    return tuple(sorted({3, 4} | ({int(r)} if r > 2 else set())))


def prime_class(p: int, r: int) -> str:
    """What GF(p) sees: its residues modulo the orders of :func:`root_orders`, e.g.
    ``'19 = 1 mod 3, 3 mod 4: has cube roots of unity; no i'``."""
    orders = root_orders(r)
    has = [n for n in orders if (p - 1) % n == 0]
    names = {3: "cube roots of unity", 4: "i (4th roots of unity)"}
    text = ", ".join(f"{p % n} mod {n}" for n in orders)
    seen = ", ".join(names.get(n, f"{n}th roots of unity") for n in has) or "none of them"
    lacks = ", ".join(names.get(n, f"{n}th roots of unity") for n in orders if n not in has)
    return f"{p} = {text}: has {seen}" + (f"; lacks {lacks}" if lacks else "")


def _points(cells, p: int) -> int:
    """GF(p)-points of a union of cells: p^(free coordinates) each."""
    return sum(p ** len(c.free) for c in cells)


def search_primes(arch, r: int, limit: int | None = None, fallback_limit: int | None = None):
    """The primes of the exhaustive search on the stratified charts (proofs/exhaustive.md,
    section 4): the cheapest set (fewest chart points in all) of primes p >= SMALLEST_SEARCH_PRIME,
    p > r D, not dividing r, such that for every order n of :func:`root_orders` some p is
    1 mod n; if that set has more than ``limit`` points (default STRATIFIED_LIMIT), the cheapest
    such set of primes p > D within ``fallback_limit`` (default ``limit``; Lemma E needs only
    p > D, the search warns that p <= r D); else None."""
    from sage.all import next_prime
    arch = Architecture.parse(arch)
    r = check_degree(r)
    limit = STRATIFIED_LIMIT if limit is None else int(limit)
    fallback_limit = limit if fallback_limit is None else int(fallback_limit)
    orders = root_orders(r)
    D = arch.output_degree(r)
    for bound, most in ((r * D, limit), (D, fallback_limit)):
        lo = max(bound, SMALLEST_SEARCH_PRIME - 1)
        candidates = set()
        for size in range(1, len(orders) + 1):  # the first two primes 1 mod lcm(S), every S
            for subset in itertools.combinations(orders, size):
                n, p, found = lcm(*subset), lo, 0
                while found < 2 and p < 4096:
                    p = int(next_prime(p))
                    if (p - 1) % n == 0 and r % p:
                        candidates.add(p)
                        found += 1
        cost = {p: _points(stratified_cells(arch, r, p), p) for p in sorted(candidates) if p < 4096}
        best = None
        for size in range(1, len(orders) + 1):
            for combo in itertools.combinations(sorted(cost), size):
                if all(any((p - 1) % n == 0 for p in combo) for n in orders):
                    total = sum(cost[p] for p in combo)
                    if best is None or total < best[0]:
                        best = (total, list(combo))
        if best is not None and best[0] <= most:
            return best[1]
    return None


def exhaustive_fits(arch, r: int, p=None, limit: int | None = None,
                    cover: str = "cells") -> tuple[bool, str]:
    """(does the chart cover over GF(p) have at most ``limit`` points?, one-line reason).
    ``p`` defaults to :func:`default_prime`, ``limit`` to :data:`DEFAULT_LIMIT`."""
    arch = Architecture.parse(arch)
    p = default_prime(arch, r) if p is None else int(p)
    limit = DEFAULT_LIMIT if limit is None else int(limit)
    n = _points(_cells(arch, r, p, cover), p)
    return n <= limit, f"{cover} chart cover of {arch} over GF({p}) has {n} points (limit {limit})"


def check_search_prime(arch, r: int, p) -> tuple[int, list[str]]:
    """Validate p for the search; return (p, warnings).  Refuses (InputError) non-primes,
    p | r and p <= D; warns for D < p <= r * D."""
    from sage.all import is_prime
    try:
        p = int(p)
    except (TypeError, ValueError):
        raise InputError(f"prime must be an integer, got {p!r}")
    if p < 2 or not is_prime(p):
        raise InputError(f"{p} is not prime: the exhaustive search runs over a prime field GF(p)")
    D = arch.output_degree(r)
    if r % p == 0:
        raise InputError(f"prime {p} divides r = {r}: every derivative of q^{r} vanishes "
                         f"mod {p}, refused")
    if p <= D:
        raise InputError(f"prime {p} <= D = {D}: forms of degree D are not separated by "
                         f"GF({p})-points and Frobenius identities appear; use p > {r * D}")
    if p >= 4096:
        raise InputError(f"prime {p} too large for an exhaustive search (limit 4095)")
    warnings = []
    if p <= r * D:
        warnings.append(f"p = {p} <= r * D = {r * D}: degree-(r D) identities in characteristic "
                        f"{p} may create spurious GF(p) hits; prefer p > {r * D}")
    return p, warnings


# --- the search -------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _low_digits(p: int, k: int) -> np.ndarray:
    """(k, p^k) array: column i holds the base-p digits of i, least significant first."""
    i = np.arange(p ** k, dtype=np.int64)
    return np.stack([(i // p ** t) % p for t in range(k)]) if k else np.zeros((0, 1), np.int64)


def _blocks(cells, p, batch):
    """Batches of the chart: lists of pieces (cell, k, first block, number of blocks) with
    one gauge set per batch.  A cell with f free coordinates is cut into p^(f-k) blocks of
    p^k consecutive points (k = min(f, largest with p^k <= batch)); small cells with the
    same gauge are packed together."""
    K = max(0, int(np.floor(np.log(batch) / np.log(p) + 1e-9)))
    groups: dict = {}
    for cell in cells:
        groups.setdefault(cell.gauge, []).append(cell)
    for gauge, members in groups.items():
        cur, size = [], 0
        for cell in members:
            f = len(cell.free)
            k = min(f, K)
            nblocks, bsize = p ** (f - k), p ** k
            first = 0
            while first < nblocks:
                take = min(nblocks - first, max(1, (batch - size) // bsize))
                cur.append((cell, k, first, take))
                size += take * bsize
                first += take
                if size + bsize > batch:
                    yield gauge, cur, size
                    cur, size = [], 0
        if cur:
            yield gauge, cur, size


def _decode(pieces, p: int, N: int) -> np.ndarray:
    """The points of a batch as an (N, B) int16 array (batch last)."""
    parts = []
    for cell, k, first, count in pieces:
        free = cell.free
        low = _low_digits(p, k)
        bsize = low.shape[1]
        theta = np.empty((N, count * bsize), dtype=np.int16)
        for c, v in enumerate(cell.fixed):
            if v >= 0:
                theta[c] = v
        for t, c in enumerate(free[:k]):
            theta[c] = np.tile(low[t], count)
        high = np.arange(first, first + count, dtype=np.int64)
        for c in free[k:]:
            theta[c] = np.repeat(high % p, bsize)
            high //= p
        parts.append(theta)
    return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)


def _scan(arch, r, p, gauge, pieces, keep: int, rng_seed: int):
    """Ranks and Sub flags of one batch; histogram and a bottom-k sample per bucket.

    Samples are kept for non-subnetwork points of every rank, and for subnetwork
    points of the batch's largest rank (the only ones that can be non-critical)."""
    theta = _decode(pieces, p, arch.params)
    kept = [c for c in range(arch.params) if c not in set(gauge)]
    J = batched_jacobian_mod_p(arch, r, theta, p, columns=kept, reduce_output=False)
    if J.shape[0] < J.shape[1]:
        J = J.transpose(1, 0, 2)           # eliminate over the shorter side
    ranks = batched_rank_mod_p(J, p, batch_last=True, entry_bound=p * p)
    sub = batched_subnetwork_mask(arch, theta, p)
    code = ranks * 2 + sub
    counts = np.bincount(code)
    hist = {(c // 2, bool(c % 2)): int(v) for c, v in enumerate(counts) if v}
    top = int(ranks.max(initial=0))
    keys = np.random.default_rng(rng_seed).random(theta.shape[1])
    samples = {}
    for (rk, s) in hist:
        if s and rk != top:
            continue
        sel = np.nonzero(code == 2 * rk + s)[0]
        if sel.size > keep:
            sel = sel[np.argpartition(keys[sel], keep)[:keep]]
        samples[(rk, s)] = [(float(keys[i]), theta[:, i].tolist()) for i in sel]
    return hist, samples


def _symmetric(v: int, p: int) -> int:
    v %= p
    return v - p if v > p // 2 else v


def _lift_candidates(arch, flat, p, rng, tries, keep_strata=False):
    """Integer lifts of a GF(p)-point: symmetric residues first, then seeded random lifts.
    With ``keep_strata``, rows proportional mod p are lifted proportional and zero entries
    stay zero (so the lift stays in the strata it was in mod p)."""
    from ..core.weights import unflatten
    base = [_symmetric(v, p) for v in flat]
    out = [base]
    for _ in range(tries):
        out.append([v + p * rng.choice((-1, 0, 1)) if (v or not keep_strata) else 0 for v in base])
    if keep_strata:
        fixed = []
        for cand in out:
            W = unflatten(arch, cand)
            for l in arch.hidden_layers:
                M = W[l - 1]
                for i, j in itertools.combinations(range(len(M)), 2):
                    u, v = M[i], M[j]
                    a = next((t for t in range(len(u)) if u[t] % p), None)
                    if a is None:
                        continue
                    c = v[a] * pow(u[a], -1, p) % p
                    if all((v[t] - c * u[t]) % p == 0 for t in range(len(u))):
                        M[j] = [_symmetric(c, p) * x for x in u]
            fixed.append([x for Wl in W for row in Wl for x in row])
        out = fixed
    return out


def _recheck(arch, r, flat_points, p, g_q, rng, want_critical, tries):
    """Lift each GF(p)-point to QQ and re-check exactly; return (survivors, attempts)."""
    from sage.all import QQ
    from ..core.rank import rank_over_QQ
    from ..sub_in_crit.strata import strata_containing
    from ..core.weights import to_jsonable, unflatten
    survivors = []
    for flat in flat_points:
        for cand in _lift_candidates(arch, flat, p, rng, tries, keep_strata=not want_critical):
            W = [[[QQ(v) for v in row] for row in M] for M in unflatten(arch, cand)]
            strata = [s.name for s in strata_containing(arch, W)]
            k = rank_over_QQ(arch, r, W)
            if want_critical and k < g_q.value and not strata:
                ok = True
            elif not want_critical and strata and g_q.certificate == "exact" and k >= g_q.value:
                ok = True
            else:
                ok = False
            if ok:
                survivors.append({"weights": to_jsonable(W), "rank": k, "generic_rank": g_q.value,
                                  "strata": strata, "field": "QQ",
                                  "gf_p_point": [int(v) % p for v in flat]})
                break
    return survivors


def exhaustive_search(arch, r: int, p: int, seed: int = 0, limit: int | None = None,
                      progress=None, normalise: bool = True, workers: int = 2,
                      cover: str = "cells") -> dict:
    """Enumerate every GF(p)-point of the normalised chart; count and lift the hits.

    ``p = None`` takes :func:`default_prime` (the smallest prime above r * D).
    ``progress(done, total)`` is called after every batch; to stop early raise an
    exception in it (or press Ctrl-C): pending batches are cancelled and the
    exception propagates.  ``limit`` bounds the number of chart points
    (default :data:`DEFAULT_LIMIT`).  ``normalise=False`` enumerates all of
    GF(p)^N (for benchmarks and cross-checks).  ``cover``: ``cells`` (the normal form of
    Lemma N: every GF(p)-point, Sub included) or ``stratified`` (the stratified charts of
    proofs/converse.md section 1 as cells, Lemma N': every GF(p)-point outside Sub up to
    symmetry, far fewer points; the Sub-not-in-Crit counts then see chart points only).  Returns the dict of
    DEVELOPING.md's converse interface (method ``exhaustive``).
    """
    from ..sub_in_crit.subnetwork_rank import proved_generic_rank
    t0 = time.perf_counter()
    arch = Architecture.parse(arch)
    r = check_degree(r)
    p = default_prime(arch, r) if p is None else p
    p, warnings = check_search_prime(arch, r, p)
    limit = DEFAULT_LIMIT if limit is None else int(limit)
    cover = cover if normalise else "all"
    cells = _cells(arch, r, p, cover)
    total = _points(cells, p)
    if total > limit:
        raise InputError(f"chart of {arch} over GF({p}) has {total} points, above the limit "
                         f"{limit}")
    if arch.degeneracy(r):
        warnings += arch.degeneracy(r)
    if p < SMALLEST_SEARCH_PRIME:
        warnings.append(f"p = {p} is below the smallest prime the converse searches over "
                        f"({SMALLEST_SEARCH_PRIME}): a hand-checkable count, weak evidence")

    hist: dict = {}
    samples: dict = {}
    done = 0
    batches = list(_blocks(cells, p, BATCH))
    seeds = np.random.SeedSequence(int(seed)).generate_state(len(batches) or 1)

    def merge(h, s):
        for k, v in h.items():
            hist[k] = hist.get(k, 0) + v
        for k, v in s.items():
            pool = samples.get(k, []) + v
            pool.sort(key=lambda t: t[0])
            samples[k] = pool[:SAMPLES_PER_BUCKET]

    workers = max(1, int(workers))
    with ThreadPoolExecutor(max_workers=workers) as ex:
        pending = []
        try:
            for n, (gauge, pieces, size) in enumerate(batches):
                pending.append((size, ex.submit(_scan, arch, r, p, gauge, pieces,
                                                SAMPLES_PER_BUCKET, int(seeds[n]))))
                while len(pending) > 2 * workers or (n == len(batches) - 1 and pending):
                    size_done, fut = pending.pop(0)
                    merge(*fut.result())
                    done += size_done
                    if progress is not None:
                        progress(done, total)
        except BaseException:
            for _, fut in pending:
                fut.cancel()
            raise
    scan_seconds = time.perf_counter() - t0

    g_p = max((k for k, _ in hist), default=0)
    crit_not_sub = sum(v for (k, s), v in hist.items() if k < g_p and not s)
    sub_not_crit = sum(v for (k, s), v in hist.items() if k == g_p and s)
    g_q = proved_generic_rank(arch, r, seed=seed)
    if g_p < g_q.value:
        warnings.append(f"the largest rank over GF({p})-points is {g_p} < {g_q.value} <= g over QQ: "
                        f"counts are against {g_p}")

    rng = random.Random(int(seed))
    hits = [pt for (k, s), pool in sorted(samples.items()) if k < g_p and not s for _, pt in pool]
    rng.shuffle(hits)
    witnesses = _recheck(arch, r, hits[:LIFTED_PER_KIND], p, g_q, rng, True, 4)
    quiet = [pt for (k, s), pool in sorted(samples.items()) if k == g_p and s for _, pt in pool]
    rng.shuffle(quiet)
    sub_witnesses = (_recheck(arch, r, quiet[:LIFTED_PER_KIND], p, g_q, rng, False, 4)
                     if g_p == g_q.value else [])

    if witnesses:
        verdict = "crit-not-in-sub"
    elif crit_not_sub:
        verdict = "undecided"
        warnings.append(f"{crit_not_sub} critical non-subnetwork GF({p})-points, but none of the "
                        f"{min(len(hits), LIFTED_PER_KIND)} lifted ones is critical over QQ")
    elif sub_not_crit and sub_witnesses:
        verdict = "sub-not-in-crit"
    elif sub_not_crit:
        verdict = "undecided"
        warnings.append(f"{sub_not_crit} non-critical subnetwork GF({p})-points, none confirmed "
                        f"over QQ")
    else:
        verdict = "crit-equals-sub"

    histogram = [{"rank": k, "subnetwork": s, "points": v} for (k, s), v in sorted(hist.items())]
    return {
        "method": "exhaustive",
        "verdict": verdict,
        "certificate": "exhaustive-GF(p)",
        "witnesses": witnesses,
        "seconds": round(time.perf_counter() - t0, 3),
        "details": {
            "arch": str(arch), "degree": r, "p": p, "prime_class": prime_class(p, r), "seed": seed,
            "cover": cover,
            "statement": (f"every GF({p})-point of the stratified charts was enumerated; by Lemma N' "
                          f"every GF({p})-point outside Sub is equivalent to one of them. "
                          f"A statement about GF({p})-points only: evidence for QQ, not a proof."
                          if cover == "stratified" else
                          f"every GF({p})-point of the normalised chart was enumerated; by Lemma N "
                          f"every GF({p})-point of weight space is equivalent to one of them. "
                          f"A statement about GF({p})-points only: evidence for QQ, not a proof."
                          if normalise else
                          f"every point of GF({p})^N was enumerated; a statement about GF({p})-points "
                          f"only: evidence for QQ, not a proof."),
            "points": total, "cells": len(cells),
            "normalisation": NORMALISATION if normalise else "none",
            "generic_rank_GF(p)": g_p,
            "generic_rank_GF(p)_how": (f"maximum rank over all {total} chart points, i.e. over all "
                                       f"GF({p})-points of weight space"),
            "generic_rank_QQ": g_q.value, "generic_rank_QQ_certificate": g_q.certificate,
            "critical_not_subnetwork": crit_not_sub,
            "subnetwork_not_critical": sub_not_crit,
            "hits_lifted": min(len(hits), LIFTED_PER_KIND),
            "hits_surviving_over_QQ": len(witnesses),
            "subnetwork_not_critical_witnesses": sub_witnesses,
            "rank_histogram": histogram,
            "scan_seconds": round(scan_seconds, 3),
            "points_per_second": round(total / scan_seconds) if scan_seconds > 0 else None,
            "warnings": warnings,
        },
    }
