"""Benchmark: seconds per case of the atlas's ranks tier (generic rank, strata, threshold;
method none), on a seeded sample of its 30,926 cases (N <= 40, r = 2..8) run in this
process, and on the cases with the widest first layer (the kernel-vector identities of
proofs/strata.md, Lemma K0', used to cost 170 s on 19,2,1 at r = 8).  Speed only.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SAMPLE, SEED = 200, 1
WIDE = [("19,2,1", 8), ("13,3,1", 8), ("12,2,2,2", 8)]


def main():
    from verify.run.atlas import enumerate_architectures
    from verify.theorem.case import run_case
    archs = enumerate_architectures(40)
    rng = random.Random(SEED)
    sample = [(str(rng.choice(archs)), rng.randint(2, 8)) for _ in range(SAMPLE)]
    run_case("2,2,1", 3, method="none")                 # first-use set-up, as a zygote does
    print(f"atlas ranks tier: {SAMPLE} cases sampled with seed {SEED} (N <= 40, r = 2..8)")
    times = []
    for arch, r in sample:
        t0 = time.perf_counter()
        run_case(arch, r, method="none")
        times.append(time.perf_counter() - t0)
    times.sort()
    mean = sum(times) / len(times)
    print(f"mean {mean:.3f} s, median {times[len(times) // 2]:.3f} s, slowest {times[-1]:.2f} s;"
          f" 30,926 cases on 2 cores: about {30926 * mean / 2 / 60:.0f} min of computing")
    from verify.sub_in_crit import kernel_vectors
    for arch, r in WIDE:
        kernel_vectors._local_identities.cache_clear()       # as in a fresh case process
        kernel_vectors._orthogonal_identities.cache_clear()
        t0 = time.perf_counter()
        run_case(arch, r, method="none")
        print(f"{arch:<10} r={r}  {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
