"""``sweep``: run a catalogue of (architecture, degree) cases and write the theorem report.

``python -m verify sweep [--catalogue FILE.toml | --arch 2,4,3,1 --degrees 2-6]
[--jobs N] [--timeout S] [--quick] [--fresh] [--report DIR] [--seed S]
[--dask-scheduler ADDR | --dask local]``.  Finished cases are cached in
``DIR/cache/cases.jsonl``; a second run only reads them.  Exit status 1 when a
check contradicts the theorem above its proven threshold (proofs/README.md).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import InputError

HELP = "run a catalogue of cases (resumable, parallel, Dask) and write report/REPORT.md"


def add_arguments(p):
    from ..run.sweep import METHODS
    p.add_argument("--catalogue", default=None,
                   help="TOML catalogue of [[case]] entries (default: verify/run/catalogue.toml)")
    p.add_argument("--arch", default=None, help="one architecture instead of a catalogue, e.g. 2,4,3,1")
    p.add_argument("--degrees", default="2-6", help="degrees for --arch, e.g. 2-6 or 2,3,5 (default 2-6)")
    p.add_argument("--method", default="auto", choices=METHODS,
                   help="converse method for --arch (none: no converse; default auto)")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help="cases in parallel (default: the number of CPUs)")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds per case, overriding the catalogue; a slower case is recorded timed-out")
    p.add_argument("--quick", action="store_true", help="only the catalogue's quick cases (under a minute)")
    p.add_argument("--fresh", action="store_true", help="ignore the cache and recompute every case")
    p.add_argument("--report", default="report", help="directory of REPORT.md and results.json (default report)")
    p.add_argument("--seed", type=int, default=None, help="seed of every random draw (default: catalogue's, else 0)")
    p.add_argument("--prime", default=None, help="word-size prime for modular ranks")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--dask-scheduler", default=None, metavar="ADDR",
                       help="run the cases on an existing Dask cluster, e.g. tcp://10.0.0.5:8786")
    group.add_argument("--dask", default=None, choices=["local"],
                       help="'local': start a loopback Dask cluster with --jobs workers")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _specs(args):
    from ..run.sweep import DEFAULT_CATALOGUE, CaseSpec, expand_cases, load_catalogue
    if args.arch is not None and args.catalogue is not None:
        raise InputError("give either --arch or --catalogue, not both")
    if args.arch is not None:
        entry = {"arch": args.arch, "degrees": args.degrees, "method": args.method, "quick": True}
        name, specs = f"--arch {args.arch} --degrees {args.degrees}", expand_cases([entry])
    else:
        name, specs = load_catalogue(args.catalogue or DEFAULT_CATALOGUE)
        if args.catalogue is None:
            name = "default"
    if args.quick:
        specs = [s for s in specs if s.quick]
        name += " (quick)"
    if args.timeout is not None and args.timeout <= 0:
        raise InputError(f"--timeout must be positive, got {args.timeout}")
    if args.prime is not None:
        from ..core.rank import check_prime
        prime = check_prime(args.prime)
    out = []
    for s in specs:
        out.append(CaseSpec(s.arch, s.degree,
                            s.seed if args.seed is None else args.seed,
                            prime if args.prime is not None else s.prime, s.method,
                            args.timeout if args.timeout is not None else s.timeout, s.quick))
    if not out:
        raise InputError("no cases selected")
    return name, out


def run(args) -> dict:
    from ..run.report import write_report, summary_table
    from ..run.sweep import dask_client_for, run_sweep
    name, specs = _specs(args)
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    report = Path(args.report)
    client = None
    address = args.dask_scheduler or args.dask
    try:
        if address:
            client = dask_client_for(address, jobs)
        entries = run_sweep(specs, report / "cache" / "cases.jsonl", jobs=jobs, fresh=args.fresh,
                            dask_client=client, progress=not args.no_progress)
    finally:
        if client is not None:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None and address == "local":
                cluster.close()
    results = write_report(entries, report, name)
    return {"catalogue": name, "cases": len(entries), "report": str(report / "REPORT.md"),
            "results": str(report / "results.json"), "counts": results["counts"],
            "contradictions": results["contradictions"], "summary": summary_table(results),
            "exit_status": 1 if results["contradictions"] else 0}


def render(result: dict) -> str:
    return (result["summary"] + f"\n\nreport: {result['report']}  results: {result['results']}")
