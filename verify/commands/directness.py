"""``directness --degree R --prime P``: exhaustive search over GF(p) for three second-layer rows
over the lines x, y, x + y at which the layer is not direct (proofs/threshold.md, section 15,
Conjecture D5; :mod:`verify.theorem.directness`).  Evidence, never a proof: it names its prime
and sees only the GF(p)-points."""

from __future__ import annotations

import sys

from ..core.architecture import check_degree
from ..core.errors import InputError
from ..core.rank import check_prime

HELP = "evidence for Conjecture D5: second-layer directness over x, y, x+y, exhaustive over GF(p)"


def add_arguments(p):
    p.add_argument("--degree", "-r", default="5", help="activation degree r >= 2 (default 5)")
    p.add_argument("--prime", "-p", default="29",
                   help="a prime > r^2 (default 29); the search ranks every triple of points of "
                        "P^2(GF(p)): (p^2 + p + 1)^3 / 6 of them, 1.1e8 for p = 29")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def run(args) -> dict:
    from ..theorem.directness import directness_search_mod_p, search_size
    try:
        r = check_degree(int(str(args.degree).strip()))
    except ValueError:
        raise InputError(f"activation degree must be an integer >= 2, got {str(args.degree)[:40]!r}")
    if r < 2:
        raise InputError(f"directness: activation degree r = {r} (need r >= 2)")
    p = check_prime(args.prime, 0)
    step = max(1, search_size(p) // 20)
    state = {"next": step}

    def progress(done, total, failures):
        if not args.quiet and done >= state["next"]:
            state["next"] = done + step
            print(f"directness GF({p}) r = {r}: {done:,} of {total:,} triples, "
                  f"{failures} failures", file=sys.stderr, flush=True)

    result = directness_search_mod_p(r, p, progress=progress)
    return {
        "statement": "directness of layer 2 over x, y, x + y (proofs/threshold.md, section 15; Conjecture D5 is r = 5)", "degree": r, "prime": p,
        "triples": result["triples"], "rank_3": result["rank_3"], "rank_2": result["rank_2"],
        "failures": result["failures"],
        "certificate": f"exhaustive-GF({p}) (evidence: only points with coordinates in GF({p}))",
        "verdict": "no failure" if not result["failures"] else f"{len(result['failures'])} failures",
    }


def render(result: dict) -> str:
    head = (f"{result['statement']} at r = {result['degree']} over GF({result['prime']}): "
            f"{result['triples']:,} triples of rows ({result['rank_3']:,} of rank 3, "
            f"{result['rank_2']:,} of rank 2): {result['verdict']}")
    lines = [head, f"certificate  {result['certificate']}"]
    for f in result["failures"][:20]:
        lines.append(f"  rows {f['rows']} (rank W_2 {f['rank_W2']}): rank of mu {f['rank']}")
    if len(result["failures"]) > 20:
        lines.append(f"  ... and {len(result['failures']) - 20} more (--json lists all)")
    return "\n".join(lines)
