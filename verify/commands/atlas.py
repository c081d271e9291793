"""``atlas``: every architecture with at most N weights, each (architecture, degree) a case.

``python -m verify atlas --max-params N [--max-depth L] [--degrees 2-8]
[--tier ranks|converse] [--report DIR] [--jobs J] [--timeout S] [--fresh] [--keep-partial]
[--list]``.
The cases run through the sweep machinery (cache ``DIR/cache/cases.jsonl``, resume,
``--jobs``, per-case timeouts); the atlas is ``DIR/ATLAS.md``, ``DIR/atlas.csv``,
``DIR/atlas.html`` (verify/run/atlas.py).  No reduction: every architecture in scope
is run.  Exit status 1 when a case contradicts the theorem above its proven threshold.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.cost import check_number
from ..core.errors import InputError
from .common import check_memory, check_seed, check_timeout

HELP = "enumerate every small architecture (N weights at most --max-params) and write the atlas"

#: Largest ``--jobs``.
MAX_JOBS = 256


def add_arguments(p):
    p.add_argument("--tier", default="converse", choices=["ranks", "converse"],
                   help="ranks: generic rank and strata only (defaults N <= 40, r = 2-8); "
                        "converse: the full case (defaults N <= 24, r = 2-6)")
    p.add_argument("--max-params", type=int, default=None,
                   help="largest number of weights N (default: the tier's)")
    p.add_argument("--max-depth", type=int, default=None, help="largest number L of weight layers")
    p.add_argument("--degrees", default=None, help="degrees, e.g. 2-8 (default: the tier's)")
    p.add_argument("--report", default="report/atlas", help="folder of the atlas (default report/atlas)")
    p.add_argument("--jobs", "-j", type=int, default=None, help="cases in parallel (default: CPUs)")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds per case (default: ranks 120, converse 20); a slower case is "
                        "listed timed-out")
    p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    p.add_argument("--prime", default=None, help="word-size prime for modular ranks")
    p.add_argument("--memory-limit", type=float, default=None, metavar="GIB",
                   help="address space of each case process in GiB (default 6)")
    p.add_argument("--fresh", action="store_true", help="ignore the cache and recompute every case")
    p.add_argument("--keep-partial", action="store_true",
                   help="keep cached partial records (cases stopped by their timeout or killed; "
                        "default: rerun them) unless stopped at a shorter timeout than now asked")
    p.add_argument("--list", action="store_true", help="only list the architectures in scope")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-wait", action="store_true",
                   help="exit 2 at once when another sweep holds the folder's lock")


def _scope(args) -> dict:
    from ..core.architecture import parse_degrees
    from ..core.cost import check_degree_count, count_degrees
    from ..run.atlas import TIERS
    tier = TIERS[args.tier]
    degrees = args.degrees or tier["degrees"]
    check_degree_count(count_degrees(degrees))
    rs = parse_degrees(degrees)
    if not rs:
        raise InputError("no degrees selected")
    return {"tier": args.tier, "max_params": tier["max_params"] if args.max_params is None
            else args.max_params, "max_depth": args.max_depth, "degrees": degrees,
            "degree_list": sorted(set(rs))}


def run(args) -> dict:
    from ..run.atlas import TIERS, atlas_specs, enumerate_architectures, run_atlas
    check_timeout(args.timeout)
    check_memory(args.memory_limit)
    check_seed(args.seed)
    if args.jobs is not None:
        check_number(args.jobs, "--jobs", 1, MAX_JOBS, integer=True)
    scope = _scope(args)
    archs = enumerate_architectures(scope["max_params"], scope["max_depth"])
    if args.list:
        return {"tier": args.tier, "architectures": len(archs),
                "list": [str(a) for a in archs], "exit_status": 0}
    prime = None
    if args.prime is not None:
        from ..core.rank import check_prime
        prime = check_prime(args.prime)
    timeout = args.timeout if args.timeout is not None else TIERS[args.tier]["timeout"]
    specs = atlas_specs(archs, scope["degree_list"], args.tier, timeout=timeout,
                        seed=args.seed, prime=prime, memory_gib=args.memory_limit)
    report = Path(args.report)
    from .sweep import _check_report_dir                 # same folder checks as the sweep
    _check_report_dir(report)
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    scope = {k: v for k, v in scope.items() if k != "degree_list"}
    try:
        _, summary = run_atlas(specs, report, args.tier, scope, jobs=jobs, fresh=args.fresh,
                               progress=not args.no_progress, wait=not args.no_wait,
                               keep_partial=args.keep_partial)
    except OSError as e:
        raise InputError(f"atlas folder {report} cannot be written: {e.strerror or e}")
    return {**summary, "tier": args.tier, "timeout": timeout,
            "exit_status": 1 if summary.get("contradictions") else 0}


def render(result: dict) -> str:
    if "list" in result:
        return "\n".join(result["list"] + [f"{result['architectures']} architectures"])
    lines = [f"atlas ({result['tier']} tier): {result['architectures']} architectures, "
             f"{result['cases']} cases, {result['unfinished']} not finished "
             f"(timeout {result['timeout']:g} s per case)",
             "Crit = Sub proved over Q per degree: "
             + ", ".join(f"r={r}: {n}" for r, n in result["proved_over_Q"].items()),
             "surprises: " + ", ".join(f"{k} {v}" for k, v in result["surprises"].items()),
             f"contradictions: {len(result['contradictions'])}",
             f"report: {result['report']}"]
    return "\n".join(lines)
