"""``sweep``: run a catalogue of (architecture, degree) cases and write the theorem report.

``python -m verify sweep [--catalogue FILE.toml | --arch 2,4,3,1 [--degrees 2-6 |
--activation POLY ...] [--biases]]
[--jobs N] [--timeout S] [--quick] [--fresh] [--report DIR] [--seed S]
[--dask-scheduler ADDR | --dask local] [--keep-partial]``.  Finished cases are cached in
``DIR/cache/cases.jsonl``; a second run only reads them, and reruns the *partial* ones (a
case stopped by its timeout, killed or crashed) unless ``--keep-partial``.  Exit status
(the report is written first): 1 when a check contradicts the theorem above its proven
threshold (proofs/README.md); else 3 when some case ended in ``error``; else 0 (2: bad
input, nothing run).  ``--activation`` and ``--biases`` (issue 22, proofs/activations.md)
make general cases (architecture, activation, biases), reported in ``DIR/ACTIVATIONS.md``
next to the monomial t^k of the same degree.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..core.architecture import Architecture
from ..core.cost import check_cost, check_degree_count, check_number, count_degrees
from ..core.errors import InputError
from .common import add_allow_large, check_memory, check_seed, check_timeout

#: Largest ``--jobs``.
MAX_JOBS = 256

HELP = "run a catalogue of cases (resumable, parallel, Dask) and write report/REPORT.md"


def add_arguments(p):
    from ..run.sweep import METHODS
    p.add_argument("--catalogue", default=None,
                   help="TOML catalogue of [[case]] entries (default: verify/run/catalogue.toml)")
    p.add_argument("--arch", default=None, help="one architecture instead of a catalogue, e.g. 2,4,3,1")
    p.add_argument("--degrees", default=None, help="degrees for --arch, e.g. 2-6 or 2,3,5 (default 2-6)")
    p.add_argument("--method", default="auto", choices=METHODS,
                   help="converse method for --arch (none: no converse; default auto)")
    p.add_argument("--activation", action="append", default=None, metavar="POLY",
                   help="with --arch: an activation s(t), a polynomial in t with rational "
                        "coefficients, e.g. 't^3+t^2' (repeatable; it takes the place of "
                        "--degrees; issue 22, proofs/activations.md)")
    p.add_argument("--biases", action="store_true",
                   help="with --arch: networks with biases b_1..b_L (the output layer too)")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help="cases in parallel (default: the number of CPUs)")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds per case, overriding the catalogue; a slower case is recorded timed-out")
    p.add_argument("--quick", action="store_true", help="only the catalogue's quick cases (under a minute)")
    p.add_argument("--fresh", action="store_true", help="ignore the cache and recompute every case")
    p.add_argument("--keep-partial", action="store_true",
                   help="keep cached partial records (cases stopped by their timeout or killed; "
                        "default: rerun them) unless stopped at a shorter timeout than now asked")
    p.add_argument("--report", default="report", help="directory of REPORT.md and results.json (default report)")
    p.add_argument("--seed", type=int, default=None, help="seed of every random draw (default: catalogue's, else 0)")
    p.add_argument("--prime", default=None, help="word-size prime for modular ranks")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--dask-scheduler", default=None, metavar="ADDR",
                       help="run the cases on an existing Dask cluster, e.g. tcp://10.0.0.5:8786")
    group.add_argument("--dask", default=None, choices=["local"],
                       help="'local': start a loopback Dask cluster with --jobs workers")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar (on a terminal) nor progress lines on stderr (elsewhere)")
    p.add_argument("--memory-limit", type=float, default=None, metavar="GIB",
                   help="address space of each case process in GiB (default 6); a case past it "
                        "is recorded error, reason 'memory limit'")
    p.add_argument("--no-wait", action="store_true",
                   help="exit 2 at once when another sweep holds the report folder's lock "
                        "(default: wait for it)")
    add_allow_large(p)


def _check_options(args):
    """Every option checked before the catalogue is read or a case runs."""
    check_timeout(args.timeout)
    check_memory(args.memory_limit)
    check_seed(args.seed)
    if args.jobs is not None:
        check_number(args.jobs, "--jobs", 1, MAX_JOBS, integer=True)
    if args.arch is not None and args.degrees is not None:
        check_degree_count(count_degrees(args.degrees))
    if args.arch is None and (args.activation or args.biases):
        raise InputError("--activation and --biases go with --arch (a catalogue names its own: "
                         "keys activations and biases)")
    if args.activation and args.degrees is not None:
        raise InputError("give --degrees or --activation, not both (the degree of s takes the "
                         "place of the degree)")


def _check_report_dir(report: Path) -> Path:
    """Create ``report/cache`` and prove it writable (a temporary file written and
    removed) before any case runs; InputError otherwise.  Returns the cache path."""
    cache = report / "cache"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError(f"report folder {report}: a file is in the way")
    except OSError as e:
        raise InputError(f"report folder {report} cannot be created: {e.strerror or e}")
    for folder in (report, cache):
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".write-test.")
            os.close(fd)
            os.unlink(tmp)
        except OSError as e:
            raise InputError(f"report folder {folder} is not writable: {e.strerror or e}")
    jsonl = cache / "cases.jsonl"
    if jsonl.is_dir():
        raise InputError(f"cache {jsonl} is a directory")
    if jsonl.exists() and not os.access(jsonl, os.R_OK | os.W_OK):
        raise InputError(f"cache {jsonl} is not readable and writable")
    for name in ("REPORT.md", "results.json", "timings.json"):
        if (report / name).is_dir():
            raise InputError(f"report file {report / name} is a directory")
    return jsonl


def _specs(args):
    from ..run.sweep import DEFAULT_CATALOGUE, CaseSpec, expand_cases, load_catalogue
    _check_options(args)
    if args.arch is not None and args.catalogue is not None:
        raise InputError("give either --arch or --catalogue, not both")
    if args.arch is not None:
        entry = {"arch": args.arch, "method": args.method, "quick": True, "biases": [args.biases]}
        if args.activation:
            entry["activations"] = list(args.activation)
            name = f"--arch {args.arch} " + " ".join(f"--activation '{a}'" for a in args.activation)
        else:
            entry["degrees"] = "2-6" if args.degrees is None else args.degrees
            name = f"--arch {args.arch} --degrees {entry['degrees']}"
        name += " --biases" if args.biases else ""
        specs = expand_cases([entry])
    else:
        name, specs = load_catalogue(args.catalogue or DEFAULT_CATALOGUE)
        if args.catalogue is None:
            name = "default"
    if args.quick:
        specs = [s for s in specs if s.quick]
        name += " (quick)"
    if args.prime is not None:
        from ..core.rank import check_prime
        prime = check_prime(args.prime)
    out = []
    for s in specs:
        out.append(CaseSpec(s.arch, s.degree,
                            s.seed if args.seed is None else args.seed,
                            prime if args.prime is not None else s.prime, s.method,
                            args.timeout if args.timeout is not None else s.timeout, s.quick,
                            memory_gib=args.memory_limit, activation=s.activation,
                            biases=s.biases))
    if not out:
        raise InputError("no cases selected")
    for s in out:
        if s.general:
            from ..core.activation import parse_activation
            from ..core.general_rank import check_general_cost
            check_general_cost(Architecture.parse(s.arch), parse_activation(s.activation),
                               s.biases, modular=False, allow_large=args.allow_large)
        else:
            check_cost(Architecture.parse(s.arch), s.degree, allow_large=args.allow_large)
    return name, out


def run(args) -> dict:
    from ..run.report import write_report, summary_table
    from ..run.sweep import dask_client_for, run_sweep
    name, specs = _specs(args)
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    report = Path(args.report)
    cache = _check_report_dir(report)
    client = None
    address = args.dask_scheduler or args.dask
    try:
        if address:
            client = dask_client_for(address, jobs)
        entries, results = run_sweep(
            specs, cache, jobs=jobs, fresh=args.fresh, dask_client=client,
            progress=not args.no_progress, wait=not args.no_wait, keep_partial=args.keep_partial,
            after=lambda entries: _write_report(write_report, entries, report, name))
    finally:
        if client is not None:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None and address == "local":
                cluster.close()
    return {"catalogue": name, "cases": len(entries), "report": str(report / "REPORT.md"),
            "results": str(report / "results.json"), "counts": results["counts"],
            "contradictions": results["contradictions"], "partial": results.get("partial", []),
            "summary": summary_table(results), "exit_status": exit_status(results),
            **({"general_counts": results["activations"]["counts"],
                "general_errors": results["activations"]["counts"].get("error", 0),
                "activations": str(report / "ACTIVATIONS.md")}
               if results.get("activations") else {})}


#: Exit status of a sweep whose report was written: a contradiction of the theorem above its
#: proven threshold; else some case ended in ``error`` (crash, memory limit, lost worker).
EXIT_CONTRADICTION, EXIT_ERROR = 1, 3


def exit_status(results: dict) -> int:
    """1 (a contradiction), else 3 (some case is ``error``), else 0."""
    if results.get("contradictions"):
        return EXIT_CONTRADICTION
    if (results.get("counts") or {}).get("error") or \
            ((results.get("activations") or {}).get("counts") or {}).get("error"):
        return EXIT_ERROR
    return 0


def _write_report(write_report, entries, report, name):
    """The report, written under the sweep's lock on the folder."""
    try:
        return write_report(entries, report, name)
    except OSError as e:
        raise InputError(f"report folder {report} cannot be written: {e.strerror or e}")


def render(result: dict) -> str:
    out = result["summary"]
    if result.get("exit_status") == EXIT_ERROR:
        errors = (result.get("counts") or {}).get("error", 0) + result.get("general_errors", 0)
        out += f"\n{errors} case(s) ended in error: exit status {EXIT_ERROR}"
    return out + f"\n\nreport: {result['report']}  results: {result['results']}"
