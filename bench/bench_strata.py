"""Benchmark: seconds per stratum for the proved rank on each subnetwork stratum
(verify.sub_in_crit.stratum_rank.stratum_rank), for architectures up to N = 40 weights and degrees up
to 8.  Serves proofs/strata.md, Theorem S (speed only; the target is < 30 s per stratum).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CASES = [("2,3,2,1", 4), ("3,3,3,1", 3), ("3,4,4,1", 5), ("3,3,3,3,1", 4), ("4,4,4,1", 6),
         ("2,3,3,3,3,1", 3), ("4,5,3,1", 8), ("5,5,2", 8)]


def main(cases=None):
    from verify.core.architecture import Architecture
    from verify.sub_in_crit.strata import representative_strata
    from verify.sub_in_crit.stratum_rank import stratum_rank
    from verify.sub_in_crit.subnetwork_rank import certified_generic_rank
    print("strata: seconds per stratum (rank on the stratum, proved; N <= 40)")
    print(f"{'arch':<14}{'r':>3}{'N':>4}  {'stratum':<12}{'rank':>6}  {'certificate':<22}{'seconds':>8}")
    worst = 0.0
    for arch, r in cases or CASES:
        a = Architecture.parse(arch)
        t0 = time.perf_counter()
        certified_generic_rank(a, r)
        tg = time.perf_counter() - t0
        print(f"{arch:<14}{r:>3}{a.params:>4}  {'g':<12}{'':>6}  {'':<22}{tg:>8.2f}")
        for s, _ in representative_strata(a):
            t0 = time.perf_counter()
            res = stratum_rank(s, a, r)
            dt = time.perf_counter() - t0
            worst = max(worst, dt)
            rank = (str(res["rank_on_stratum"]) if res["certificate"] != "sampled-lower-bound"
                    else f"{res['rank_lower_bound']}..{res['rank_upper_bound']}")
            print(f"{'':<14}{'':>3}{'':>4}  {s.name:<12}{rank:>6}  {res['certificate']:<22}{dt:>8.2f}")
    print(f"slowest stratum: {worst:.2f} s")


if __name__ == "__main__":
    main()
