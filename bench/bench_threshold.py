"""Benchmark: seconds for the threshold theorem of wide deep networks (hostile inputs), where
Theorem T's bound is in the millions or more and Theorem T3 is checked degree by degree below it
(verify.core.threshold_bounds.proven_threshold, verify.theorem.threshold.threshold_theorem).
Serves proofs/threshold.md, sections 15 and 16 (speed only; the target is < 10 s per
architecture, measured in a fresh process so that no memo helps).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ["2,3,3,1", "2,3,3,3,4,1", "2,6,6,6,6,6,1", "2,40,40,40,40,1", "2,12,12,12,12,12,12,1"]
PROGRAM = ("import sys; from verify.theorem.threshold import threshold_theorem; "
           "t = threshold_theorem(sys.argv[1], []); print(t['status'], t['interval'])")


def main(cases=None):
    print("threshold theorem: seconds per architecture (fresh process, no records)")
    print(f"{'arch':<24}{'seconds':>9}  result")
    for arch in cases or CASES:
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", PROGRAM, arch], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        print(f"{arch:<24}{time.perf_counter() - t0:>9.2f}  {out[:60]}")


if __name__ == "__main__":
    main(sys.argv[1:] or None)
