"""Benchmark: certified generic rank (verify.core.rank.generic_rank) against the textbook baseline.

Baseline: expand Phi symbolically in Sage (weights and inputs as variables, over GF(p)),
differentiate every output coefficient by every weight, evaluate at a random point, rank
over GF(p).  Each baseline case runs in a subprocess with a 60 s limit; the ratio is quoted
at the largest case the baseline finishes.  Serves proofs/README.md, Theorem G (speed only).
"""

from __future__ import annotations

import subprocess
import sys
import time

CASES = [("2,2,1", 2), ("2,2,1", 4), ("2,3,1", 5), ("2,2,2,1", 2), ("2,3,2,1", 2),
         ("3,3,3,1", 2), ("2,2,2,1", 3), ("2,3,2,1", 3), ("3,3,3,1", 3), ("2,3,2,1", 4),
         ("3,3,3,3,1", 2), ("3,3,3,3,1", 3)]
LIMIT = 60.0

BASELINE = r'''
import sys, time, random
from sage.all import GF, PolynomialRing, matrix
from verify.core.architecture import Architecture
from verify.core.reference import expanded_outputs
arch, r, p = Architecture.parse(sys.argv[1]), int(sys.argv[2]), 67108859
t0 = time.perf_counter()
F = GF(p)
R, w, x, a = expanded_outputs(arch, r, F)
names = [str(v) for v in w]
S = PolynomialRing(F, names)
coeffs = []
for f in a:
    byx = {}
    for mon, c in f.dict().items():
        byx.setdefault(tuple(mon[arch.params:]), S.zero())
        byx[tuple(mon[arch.params:])] += c * S.monomial(*mon[:arch.params])
    coeffs += list(byx.values())
rng = random.Random(0)
pt = {v: F(rng.randrange(p)) for v in S.gens()}
J = matrix(F, [[c.derivative(v).subs(pt) for v in S.gens()] for c in coeffs])
print(J.rank(), time.perf_counter() - t0)
'''


def ours(arch: str, r: int) -> tuple[int, float]:
    from verify.core.architecture import Architecture
    from verify.core.rank import generic_rank
    a = Architecture.parse(arch)
    t0 = time.perf_counter()
    g = generic_rank(a, r, seed=0)
    return g.value, time.perf_counter() - t0


def baseline(arch: str, r: int):
    try:
        out = subprocess.run([sys.executable, "-c", BASELINE, arch, str(r)], capture_output=True,
                             text=True, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        return None
    rank, secs = out.stdout.split()
    return int(rank), float(secs)


def main():
    ours("2,2,1", 2)   # warm up: import Sage and LinBox outside the timings
    print("== generic rank: verify.core.rank.generic_rank vs symbolic baseline over GF(p) ==")
    print(f"{'case':<18}{'rank':>6}{'ours s':>10}{'baseline s':>12}{'ratio':>10}")
    last = None
    for arch, r in CASES:
        g, t = ours(arch, r)
        b = baseline(arch, r)
        if b is None:
            print(f"{arch + ' r=' + str(r):<18}{g:>6}{t:>10.4f}{'> 60':>12}{'-':>10}")
            continue
        assert b[0] <= g, "baseline rank exceeds ours"
        print(f"{arch + ' r=' + str(r):<18}{g:>6}{t:>10.4f}{b[1]:>12.3f}{b[1] / t:>10.0f}")
        last = (arch, r, b[1] / t)
    if last:
        print(f"ratio at the largest case the baseline finishes within {LIMIT:.0f} s "
              f"({last[0]} r={last[1]}): {last[2]:.0f}x (target >= 50x)")
    g, t = ours("3,3,3,3,1", 3)
    print(f"3,3,3,3,1 r=3: generic rank {g} certified in {t:.3f} s (target < 5 s)")


if __name__ == "__main__":
    main()
