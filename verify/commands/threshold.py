"""``threshold ARCH [--max-degree R]``: proven threshold r* (Theorem T2), empirical threshold, catalogue.

proofs/threshold.md (Theorems T and T2, sections 11 and 14) and proofs/catalogue.md.  Each degree
runs as one case (verify.theorem.case.run_case) in its own process with a time limit
(verify.run.sweep.run_isolated); a degree that times out is recorded as such and
breaks the chain of the empirical threshold.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.architecture import Architecture
from ..core.cost import check_cost, check_degree_count, check_number
from ..core.errors import InputError
from ..core.rank import check_prime
from ..theorem.case import run_case
from ..theorem.threshold import (DEFAULT_SCAN_CAP, empirical_threshold, proven_threshold,
                                 threshold_theorem)
from .common import add_allow_large, check_memory, check_seed, check_timeout

HELP = "proven degree threshold r*, empirical threshold per degree, catalogue of witnesses"


def add_arguments(p):
    p.add_argument("arch", nargs="+",
                   help="widths d_0,...,d_L, e.g. 2,3,2,1 (several: one result each, one merged catalogue)")
    p.add_argument("--max-degree", "-R", type=int, default=None,
                   help="largest degree scanned (default min(r*_B, 8))")
    p.add_argument("--min-degree", type=int, default=2, help="smallest degree scanned (default 2)")
    p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    p.add_argument("--prime", "-p", default=None, help="word-size prime for modular ranks")
    p.add_argument("--method", default="auto", choices=["auto", "symbolic", "exhaustive", "slice"],
                   help="converse method (default auto: the strongest that fits)")
    p.add_argument("--timeout", type=float, default=120.0,
                   help="seconds per degree, each in its own process (0: run in this process, no limit)")
    p.add_argument("--catalogue-markdown", default=None, metavar="FILE",
                   help="also write the catalogue of witnesses as markdown (proofs/catalogue.md format)")
    p.add_argument("--memory-limit", type=float, default=None, metavar="GIB",
                   help="address space of each degree's process in GiB (default 6)")
    add_allow_large(p)


def _isolated_runner(timeout, memory_gib=None):
    from ..run.sweep import CaseSpec, run_isolated

    def run(arch, r, seed=0, prime=None, method="auto"):
        record, _ = run_isolated(CaseSpec(arch, r, seed, prime, method, timeout,
                                          memory_gib=memory_gib))
        return record
    return run


def _check_scan(arch, args):
    """The degrees scanned, counted and priced before any case runs."""
    check_seed(args.seed)
    lo = check_number(args.min_degree, "--min-degree", 2, integer=True)
    if args.max_degree is None:
        value = proven_threshold(arch)["value"]
        hi = DEFAULT_SCAN_CAP if value is None else min(value, DEFAULT_SCAN_CAP)
    else:
        hi = check_number(args.max_degree, "--max-degree", 2, integer=True)
    if hi < lo:
        raise InputError(f"--min-degree {lo} is above the largest degree scanned {hi}")
    check_degree_count(hi - lo + 1, "degrees")
    try:
        check_cost(arch, hi, allow_large=args.allow_large)
    except InputError as exc:
        if args.max_degree is not None:
            raise
        try:                                # is there a smaller scan to suggest?
            check_cost(arch, lo, allow_large=args.allow_large)
        except InputError:
            raise exc from None
        raise InputError(f"{exc}; or scan fewer degrees: --max-degree (default min(r*, "
                         f"{DEFAULT_SCAN_CAP}); --max-degree {lo} still gives the proven threshold)") from None


def run(args) -> dict:
    """One architecture: the result below.  Several: ``{"results": [...], "catalogue": [...]}``."""
    from ..theorem.witnesses import catalogue_markdown
    from ..run.sweep import cases_die_with_us
    if len(args.arch) > 100:
        raise InputError(f"{len(args.arch)} architectures given: at most 100 in one run")
    archs = [Architecture.parse(a) for a in args.arch]
    check_timeout(args.timeout, allow_zero=True)
    check_memory(args.memory_limit)
    for arch in archs:
        _check_scan(arch, args)
    if args.prime is not None:
        check_prime(args.prime)
    if args.catalogue_markdown:
        _check_writable_file(Path(args.catalogue_markdown))
    with cases_die_with_us():
        results = [_one(arch, args) for arch in archs]
    catalogue = [c for res in results for c in res["catalogue"]]
    if args.catalogue_markdown:
        names = " ".join(map(str, archs))
        _write(Path(args.catalogue_markdown), catalogue_markdown(
            catalogue, generated_by=f"python -m verify threshold {names} --catalogue-markdown FILE"))
    if len(results) == 1:
        return results[0]
    return {"results": results, "catalogue": catalogue}


def _check_writable_file(path: Path):
    """Refuse, before any case runs, a markdown path that cannot be written."""
    if path.is_dir():
        raise InputError(f"--catalogue-markdown {path} is a directory")
    parent = path.parent
    if not parent.is_dir():
        raise InputError(f"--catalogue-markdown {path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"--catalogue-markdown {path} cannot be written")


def _write(path: Path, text: str):
    try:
        path.write_text(text)
    except OSError as e:
        raise InputError(f"--catalogue-markdown {path} cannot be written: {e.strerror or e}")


def _one(arch, args) -> dict:
    from ..theorem.witnesses import catalogue_entries
    prime = None if args.prime is None else check_prime(args.prime)
    runner = run_case if args.timeout == 0 else _isolated_runner(args.timeout, args.memory_limit)
    proven = proven_threshold(arch)
    emp = empirical_threshold(arch, max_degree=args.max_degree, seed=args.seed, prime=prime,
                              method=args.method, min_degree=args.min_degree, runner=runner)
    catalogue = catalogue_entries(emp["records"])
    return {
        "arch": str(arch), "proven_threshold": proven["value"], "proven": proven,
        "empirical_threshold": emp["empirical_threshold"],
        "certificate_text": emp["certificate_text"],
        "weakest_certificate": emp["weakest_certificate"],
        "bound": emp["bound"], "tested_from": emp["tested_from"],
        "exact_from_below": emp["exact_from_below"],
        "threshold_theorem": threshold_theorem(arch, emp["records"]),
        "per_degree": emp["per_degree"], "catalogue": catalogue, "seed": args.seed,
        "method": args.method, "timeout": args.timeout,
    }


def render(result: dict) -> str:
    if "results" in result:
        return "\n\n".join(render(res) for res in result["results"])
    p = result["proven"]
    lines = [f"architecture        {result['arch']}",
             f"proven threshold    {p['value']}  ({p['formula'] or p['note']}; {p.get('by')}; "
             f"Theorem T alone: {p.get('theorem_t')})"]
    for term in p["per_layer"]:
        lines.append(f"  layer {term['layer']}: {term['condition']}  -> r >= {term['r_min']}")
    lines.append(f"empirical threshold {result['empirical_threshold']}  ({result['certificate_text']})")
    lines.append(f"as a theorem        {result['threshold_theorem']['text']}")
    lines.append("per degree:")
    for e in result["per_degree"]:
        extra = []
        if e["non_critical_strata"]:
            extra.append("non-critical strata " + ", ".join(e["non_critical_strata"]))
        if e["witnesses"]:
            extra.append(f"{e['witnesses']} witness(es)")
        lines.append(f"  r = {e['degree']}: {e['verdict']:<13} g = {e['generic_rank']} "
                     f"({e['generic_rank_certificate']}); Sub in Crit: {e['sub_in_crit']}; "
                     f"Crit in Sub: {e['crit_in_sub']} ({e['converse_method']}, "
                     f"{e['converse_certificate']})" + ("; " + "; ".join(extra) if extra else ""))
    lines.append(f"catalogue           {len(result['catalogue'])} class(es) of non-subnetwork critical points")
    for c in result["catalogue"]:
        lines.append(f"  r = {c['degree']}: {c['family']}  rank {c['rank']} < g {c['generic_rank']}  "
                     f"{c['canonical_weights']}")
    return "\n".join(lines)
