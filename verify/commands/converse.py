"""``converse ARCH --degree R [--method ...]``: critical points outside Sub (proofs/converse.md).

``converse ARCH --activation POLY [--biases]`` (issue 22): the same for a general activation
(proofs/activations.md), by :func:`verify.theorem.general_case.run_general_case`."""

from __future__ import annotations

from ..crit_in_sub.converse import converse
from ..core.errors import InputError
from ..core.rank import check_prime
from ..core.cost import check_number
from .common import activation_from, add_case_arguments, case_from

#: Largest ``--lines`` / ``--planes``.
MAX_SLICES = 1000

HELP = "hunt for critical points outside the subnetworks (symbolic, exhaustive GF(p), slicing)"


def add_arguments(p):
    add_case_arguments(p, activation=True)
    p.add_argument("--method", default="auto", choices=["auto", "theorem", "symbolic", "exhaustive", "slice"],
                   help="auto: the pre-pass, the reductions, then the theorem at r >= r*, else the "
                        "strongest method that fits the size (default)")
    p.add_argument("--lines", type=int, default=None, help="slice method: number of random lines (default 3)")
    p.add_argument("--planes", type=int, default=None, help="slice method: number of random planes (default 0)")


def run(args) -> dict:
    general = activation_from(args)  # --activation / --biases (issue 22)
    if general is not None:
        if args.lines is not None or args.planes is not None:
            raise InputError("--lines and --planes are not available with --activation or --biases")
        from .general_parts import run_general_parts
        return {"general": True, **run_general_parts(args, *general,
                                                     ("generic_rank", "strata", "converse"),
                                                     method=args.method)}
    arch, r = case_from(args)
    prime = check_prime(args.prime) if args.prime is not None else None
    options = {}
    for name in ("lines", "planes"):
        value = getattr(args, name)
        if value is not None:
            check_number(value, f"--{name}", 0, MAX_SLICES, integer=True)
            if args.method != "slice":
                raise InputError(f"--{name} only applies to --method slice")
            options[name] = value
    if options and sum(options.values()) + (3 if "lines" not in options else 0) == 0:
        raise InputError("--lines 0 --planes 0: no slice to search")
    return converse(arch, r, method=args.method, prime=prime, seed=args.seed, **options)


def _describe_witness(w) -> str:
    field = w["field"]
    status = "verified" if w.get("verified") else "NOT verified"
    return (f"  rank {w['rank']} < g = {w['generic_rank']} over {field}, strata {w['strata'] or 'none'}"
            f" ({status} exactly)\n    weights {w['weights']}")


def render(result: dict) -> str:
    if result.get("general"):
        from .general_parts import render_general_converse
        return render_general_converse(result)
    lines = [f"{result.get('arch')} r={result.get('degree')}: {result['verdict']} "
             f"[{result['certificate']}] by {result['method']} in {result['seconds']} s"]
    d = result.get("details", {})
    for key in ("statement", "generic_rank", "seed", "prime"):
        if key in d:
            lines.append(f"  {key}: {d[key]}")
    for text in d.get("prime_classes") or []:
        lines.append(f"  prime {text}")
    if "per_slice_dimension" in d:
        for k, s in d["per_slice_dimension"].items():
            lines.append(f"  slices of dimension {k}: {s['slices']} slices, {s['points']} points, "
                         f"{s['in_sub']} in Sub, {s['outside_sub']} critical outside Sub, "
                         f"{s['not_critical']} not critical; miss probability <= "
                         f"{s['miss_probability_bound']:.3g}")
    if "charts" in d:
        statuses = [c["status"] for c in d["charts"]]
        lines.append(f"  charts: {len(statuses)} ({', '.join(sorted(set(statuses)))})")
    sub = d.get("sub_in_crit")
    if sub is not None:
        lines.append(f"  Sub inside Crit: {sub.get('holds')} [{sub.get('certificate')}]")
    if result["witnesses"]:
        lines.append(f"  witnesses ({len(result['witnesses'])}):")
        lines += [_describe_witness(w) for w in result["witnesses"]]
    return "\n".join(lines)
