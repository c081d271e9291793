"""Benchmark: exhaustive search over GF(p), points per second on 2,2,2 at r = 2 over GF(7).

Ours: :func:`verify.crit_in_sub.exhaustive.exhaustive_search` over all of GF(7)^8 (``normalise=False``,
5 764 801 points, so the measurement is not dominated by start-up), on 1 and on 2 worker
threads; the figure is the scan time only (details["scan_seconds"]), without the
generic-rank certificate and the lifts to QQ that follow.
Baseline: a straightforward numpy version of the same computation (int64 arrays, ``% p``
after every operation, batched elimination with row swaps by ``take_along_axis``), on the
first BASELINE_POINTS points.  Both compute the same ranks (checked on the baseline's points).
Serves proofs/exhaustive.md (speed only).
"""

from __future__ import annotations

import time

import numpy as np

ARCH, DEGREE, PRIME = "2,2,2", 2, 7
BASELINE_POINTS = 300_000
BATCH = 16_384


def straightforward_jacobian(arch, r, theta, p, X):
    """(B, rows, N) evaluation Jacobians mod p, int64, '% p' after every product."""
    B, L = theta.shape[0], arch.depth
    Ws, k = [], 0
    for rows, cols in arch.layer_shapes:
        Ws.append(theta[:, k:k + rows * cols].reshape(B, rows, cols))
        k += rows * cols
    acts, pres = [np.broadcast_to(X[None], (B,) + X.shape)], []
    for l in range(L):
        q = np.einsum("bij,btj->bti", Ws[l], acts[-1]) % p
        pres.append(q)
        if l < L - 1:
            acts.append(np.power(q, r) % p)
    blocks = []
    for kk in range(arch.widths[-1]):
        delta = np.zeros((B, X.shape[0], arch.widths[-1]), dtype=np.int64)
        delta[:, :, kk] = 1
        grads = [None] * L
        for l in range(L - 1, -1, -1):
            grads[l] = (delta[:, :, :, None] * acts[l][:, :, None, :]).reshape(B, X.shape[0], -1) % p
            if l > 0:
                back = np.einsum("bti,bij->btj", delta, Ws[l]) % p
                delta = back * (r * np.power(pres[l - 1], r - 1) % p) % p
        blocks.append(np.concatenate(grads, axis=2))
    return np.concatenate(blocks, axis=1)


def straightforward_rank(A, p):
    """Batched Gaussian elimination mod p with row swaps, int64, '% p' everywhere."""
    A = A.copy() % p
    B, m, n = A.shape
    inv = np.array([0] + [pow(a, -1, p) for a in range(1, p)], dtype=np.int64)
    rank = np.zeros(B, dtype=np.int64)
    for k in range(n):
        rows = np.arange(m)[None, :]
        cand = (A[:, :, k] != 0) & (rows >= rank[:, None])
        has = cand.any(axis=1)
        piv = np.where(has, cand.argmax(axis=1), rank.clip(max=m - 1))
        # swap row piv and row rank
        r0 = rank.clip(max=m - 1)
        a = np.take_along_axis(A, piv[:, None, None], 1)
        b = np.take_along_axis(A, r0[:, None, None], 1)
        np.put_along_axis(A, r0[:, None, None], a, 1)
        np.put_along_axis(A, piv[:, None, None], b, 1)
        pr = np.take_along_axis(A, r0[:, None, None], 1)[:, 0, :]
        pr = pr * inv[pr[:, k]][:, None] % p
        f = A[:, :, k].copy()
        f[np.arange(B), r0] = 0
        f[~has] = 0
        A = (A - f[:, :, None] * pr[:, None, :]) % p
        rank += has
    return rank


def baseline_points_per_second(arch, r, p, points):
    """(points per wall second, points per CPU second, theta, ranks) of the baseline."""
    from verify.core.jacobian import principal_lattice
    X = np.array(principal_lattice(arch.widths[0], arch.output_degree(r)), dtype=np.int64)
    idx = np.arange(points, dtype=np.int64)
    theta = np.stack([(idx // p ** t) % p for t in range(arch.params)], axis=1)
    t0, c0 = time.perf_counter(), time.process_time()
    ranks = []
    for s in range(0, points, BATCH):
        J = straightforward_jacobian(arch, r, theta[s:s + BATCH], p, X)
        ranks.append(straightforward_rank(J, p))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return points / wall, points / cpu, theta, np.concatenate(ranks)


def main():
    import os
    from verify.core.architecture import Architecture
    from verify.core.batched_rank import batched_rank_mod_p
    from verify.crit_in_sub.exhaustive import batched_jacobian_mod_p, exhaustive_search
    arch = Architecture.parse(ARCH)
    print(f"exhaustive search, {ARCH} at r = {DEGREE} over GF({PRIME}), all of GF({PRIME})^{arch.params}"
          f" (load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    wall, per_cpu = {}, {}
    for workers in (1, 2):
        c0 = time.process_time()
        res = exhaustive_search(arch, DEGREE, PRIME, normalise=False, workers=workers)
        cpu = time.process_time() - c0        # all threads; includes the lifts, so a bit high
        d = res["details"]
        wall[workers] = d["points"] / d["scan_seconds"]
        per_cpu[workers] = d["points"] / cpu
        print(f"  ours, {workers} worker thread(s): {d['points']} points in {d['scan_seconds']:.2f} s "
              f"wall = {wall[workers]:,.0f} points/s; {cpu:.2f} CPU s = {per_cpu[workers]:,.0f} "
              f"points per CPU second (verdict {res['verdict']}, "
              f"critical-not-subnetwork {d['critical_not_subnetwork']})")
    base_wall, base_cpu, theta, ranks = baseline_points_per_second(arch, DEGREE, PRIME,
                                                                   BASELINE_POINTS)
    ours = batched_rank_mod_p(batched_jacobian_mod_p(arch, DEGREE, theta.T, PRIME), PRIME,
                              batch_last=True)
    assert (ours == ranks).all(), "baseline and batched ranks disagree"
    print(f"  straightforward numpy, 1 thread: {base_wall:,.0f} points/s wall, {base_cpu:,.0f} "
          f"points per CPU second, on {BASELINE_POINTS} points (same ranks as ours)")
    print(f"  ratio ours (2 workers) / straightforward, wall: {wall[2] / base_wall:.1f}x; "
          f"per CPU second: {per_cpu[2] / base_cpu:.1f}x")
    print(f"  goal 1,000,000 points/s on 2 cores: {'met' if wall[2] >= 1e6 else 'not met'} in wall "
          f"time here; 2 x points per CPU second = {2 * per_cpu[2]:,.0f} (what 2 idle cores "
          f"would give with perfect thread scaling, an estimate, not a measurement)")


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
