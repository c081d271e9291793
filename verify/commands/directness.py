"""``directness --degree R --prime P``: exhaustive search over GF(p) for three second-layer rows
over the lines x, y, x + y at which the layer is not direct (proofs/threshold.md, section 15,
Conjecture D5; :mod:`verify.theorem.directness`).  Evidence, never a proof: it names its prime
and sees only the GF(p)-points.  The search runs in pieces and prints its progress on stderr;
with ``--checkpoint FILE`` every finished piece is kept there, and a run stopped (Ctrl-C) and
started again with the same file goes on from the last finished piece."""

from __future__ import annotations

import json
import sys
from math import comb
from pathlib import Path

from ..core.errors import InputError
from ..core.rank import check_prime
from .common import degree_from

HELP = "evidence for Conjecture D5: second-layer directness over x, y, x+y, exhaustive over GF(p)"


def add_arguments(p):
    p.add_argument("--degree", "-r", default="5", help="activation degree r >= 2 (default 5)")
    p.add_argument("--prime", "-p", default="29",
                   help="a prime > r^2 (default 29); the search ranks every triple of points of "
                        "P^2(GF(p)): (p^2 + p + 1)^3 / 6 of them, 1.1e8 for p = 29")
    p.add_argument("--checkpoint", default=None, metavar="FILE",
                   help="JSON file that keeps the finished part of the search; an interrupted "
                        "run given the same file resumes where it stopped")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


#: The search is run in this many pieces (by the first point of the triples); each finished
#: piece is added to the checkpoint.
PIECES = 50


def _load_state(path, r, p) -> dict:
    fresh = {"degree": r, "prime": p, "next_point": 0, "rank_3": 0, "rank_2": 0, "failures": []}
    if path is None or not Path(path).exists():
        return fresh
    try:
        state = json.loads(Path(path).read_text())
    except (OSError, ValueError) as e:
        raise InputError(f"checkpoint {path}: not readable as JSON ({e})")
    if not isinstance(state, dict) or (state.get("degree"), state.get("prime")) != (r, p):
        raise InputError(f"checkpoint {path} is for another search (degree {state.get('degree')}, "
                         f"prime {state.get('prime')}); give another file")
    state = {**fresh, **{k: v for k, v in state.items() if k in fresh}}
    counts = [state[k] for k in ("next_point", "rank_3", "rank_2")]
    if not (all(type(c) is int and c >= 0 for c in counts) and state["next_point"] <= p * p + p + 1
            and isinstance(state["failures"], list)):
        raise InputError(f"checkpoint {path}: not a checkpoint of this command (counts must be "
                         "integers >= 0, next_point at most the number of points, failures a list)")
    return state


def _save_state(path, state):
    if path is not None:
        tmp = Path(str(path) + ".tmp")
        try:
            tmp.write_text(json.dumps(state))
            tmp.replace(path)
        except OSError as e:
            raise InputError(f"checkpoint {path}: cannot write it ({e.strerror})")


def run(args) -> dict:
    from ..crit_in_sub.exhaustive import prime_class
    from ..theorem.directness import check_search, directness_search_mod_p, search_size
    r = degree_from(args.degree)
    p = check_prime(args.prime, 0)
    check_search(r, p)
    state = _load_state(args.checkpoint, r, p)
    n, total = p * p + p + 1, search_size(p)
    size = -(-n // PIECES)
    for start in range(state["next_point"], n, size):
        part = directness_search_mod_p(r, p, first_points=range(start, min(n, start + size)))
        for k in ("rank_3", "rank_2", "failures"):
            state[k] += part[k]
        state["next_point"] = min(n, start + size)
        _save_state(args.checkpoint, state)
        if not args.quiet:                 # triples whose first point is still to come: C(n - next, 3)
            done = total - comb(n - state["next_point"], 3)
            print(f"directness GF({p}) r = {r}: {done:,} of {total:,} triples, "
                  f"{len(state['failures'])} failures", file=sys.stderr, flush=True)
    return {
        "statement": "directness of layer 2 over x, y, x + y (proofs/threshold.md, section 15; "
                     "Conjecture D5 is r = 5)", "degree": r, "prime": p,
        "triples": state["rank_3"] + state["rank_2"], "rank_3": state["rank_3"],
        "rank_2": state["rank_2"], "failures": state["failures"],
        "certificate": f"exhaustive-GF({p}) (evidence: only points with coordinates in GF({p}); "
                       f"{prime_class(p, r)})",
        "verdict": "no failure" if not state["failures"] else f"{len(state['failures'])} failures",
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
