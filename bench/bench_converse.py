"""Benchmark: the converse Crit in Sub (proofs/converse.md; speed only, nothing is asserted).

0. Chart dimensions before/after the stratification (proofs/converse.md, section 1), for
   every architecture of the default catalogue: variables of the gauge-only charts of the
   first release against the largest stratified chart, and per stratum (m, k) its
   codimension, charts and variables.
1. Symbolic proof over QQ (verify.crit_in_sub.symbolic): each case runs in a subprocess killed after
   LIMIT seconds (Singular ignores Python signals, so an in-process alarm would not stop it);
   the size limits of the method are switched off so that the bench finds the real frontier.
   Prints every case and the largest one (most weights, then highest degree) that finished.
2. Exact slicing (verify.crit_in_sub.slicing): seconds per random line for 3,3,3,1 at r = 3, with and
   without the exact verification of the witnesses the lines meet.

LIMIT defaults to 120 s (the issue asks for 10 minutes: set BENCH_CONVERSE_LIMIT=600).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = float(os.environ.get("BENCH_CONVERSE_LIMIT", 120))

#: (architecture, degree), roughly by increasing difficulty.
SYMBOLIC_CASES = [("2,2,1", 3), ("3,2,1", 3), ("2,3,1", 3), ("2,2,2", 3), ("3,3,1", 3),
                  ("2,3,1", 6), ("2,2,2,1", 2), ("2,4,1", 3), ("3,3,1", 4), ("2,3,2", 2),
                  ("2,2,3", 4), ("2,4,1", 4), ("2,2,2,1", 3), ("2,5,1", 5), ("2,3,2,1", 2),
                  ("2,2,2,1", 4), ("3,3,1", 5), ("4,3,1", 6), ("3,3,2", 4), ("2,5,1", 9),
                  ("4,4,2", 2), ("3,2,2,1", 2), ("2,2,3,1", 2)]

CHILD = r'''
import json, sys, time
from verify.crit_in_sub.symbolic import symbolic_converse, minor_degree_bound
from verify.crit_in_sub.chart import charts
t = time.perf_counter()
out = symbolic_converse(sys.argv[1], int(sys.argv[2]), enforce_limits=False)
print(json.dumps({"verdict": out["verdict"], "seconds": time.perf_counter() - t,
                  "variables": max(len(c.free) for c in charts(sys.argv[1])), "charts": len(charts(sys.argv[1])),
                  "per_stratum": [(c["stratum"], c["status"], c["seconds"]) for c in out["details"]["charts"]],
                  "minor_degree": minor_degree_bound(sys.argv[1], int(sys.argv[2]))}))
'''


def symbolic_frontier():
    from verify.core.architecture import Architecture
    print(f"symbolic proof over QQ, limit {LIMIT:.0f} s per case (subprocess timeout)")
    finished = []
    for arch, r in SYMBOLIC_CASES:
        t0 = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, "-c", CHILD, arch, str(r)], cwd=ROOT,
                                  capture_output=True, text=True, timeout=LIMIT,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
        except subprocess.TimeoutExpired:
            print(f"  {arch:>8} r={r}: timed out after {LIMIT:.0f} s")
            continue
        if proc.returncode != 0:
            print(f"  {arch:>8} r={r}: error {proc.stderr.strip().splitlines()[-1:]}")
            continue
        info = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"  {arch:>8} r={r}: {info['verdict']:<16} {info['seconds']:8.2f} s "
              f"({info['variables']} variables, {info['charts']} charts, minors of degree <= "
              f"{info['minor_degree']}; wall {time.perf_counter() - t0:.1f} s)")
        per = {}
        for st, status, sec in info["per_stratum"]:
            key = f"m={st['rank_W1']},k={st['rank_WL']}"
            per[key] = per.get(key, 0.0) + sec
        print("           per stratum: " + ", ".join(f"{k} {v:.2f} s" for k, v in per.items()))
        finished.append((Architecture.parse(arch).params, r, arch, info["seconds"]))
    if finished:
        n, r, arch, sec = max(finished)
        print(f"largest architecture decided symbolically (Crit in Sub proved or refuted) within {LIMIT:.0f} s: {arch} at r={r} "
              f"({sec:.1f} s)")


def chart_dimension_table():
    import tomllib
    from verify.crit_in_sub.chart import chart_dimensions
    cat = tomllib.loads((ROOT / "verify" / "run" / "catalogue.toml").read_text())
    archs = sorted({c["arch"] for c in cat["case"]}, key=lambda a: (len(a), a))
    print("chart dimensions (variables), gauge-only charts before -> stratified charts after")
    for arch in archs:
        try:
            d = chart_dimensions(arch)
        except Exception as e:                     # degenerate architectures have no charts
            print(f"  {arch:>10}: {e}")
            continue
        strata = "; ".join(f"{k} codim {v['codimension']}: {v['charts']} charts <= {v['max_variables']} vars"
                           for k, v in d["strata"].items())
        print(f"  {arch:>10}: N = {d['params']:>2}, before {d['before']:>2} -> after {d['after']:>2}  ({strata})")


def slicing_per_line(arch="3,3,3,1", r=3, lines=3):
    from verify.crit_in_sub.slicing import slicing_converse
    out = slicing_converse(arch, r, lines=lines, stop_at_witness=False, seed=0)
    d = out["details"]["per_slice_dimension"]["1"]
    per = d["seconds_per_slice"]
    print(f"slicing {arch} r={r}: {len(per)} lines, seconds per line "
          f"{', '.join(f'{s:.2f}' for s in per)} (mean {sum(per) / len(per):.2f} s, including the "
          f"exact check of {d['outside_sub']} witnesses); verdict {out['verdict']}")


def main():
    sys.path.insert(0, str(ROOT))
    chart_dimension_table()
    symbolic_frontier()
    slicing_per_line()


if __name__ == "__main__":
    main()
