"""``strata ARCH --degree R``: the rank of J at the generic point of every subnetwork
stratum, proved, and the drop against the formula of proofs/strata.md section 3 (``pred``;
``agree`` compares them, and the output says why they may differ: section 6).

``strata ARCH --activation POLY [--biases]`` (issue 22): the strata of a general activation
(proofs/activations.md, sections 4-5), by :func:`verify.theorem.general_case.run_general_case`.
"""

from __future__ import annotations

from ..core.rank import DEFAULT_PRIME, check_prime
from ..sub_in_crit.stratum_rank import strata_records
from ..sub_in_crit.subnetwork_rank import certified_generic_rank
from ..core.errors import InputError
from .common import activation_from, add_case_arguments, case_from

HELP = "rank on every subnetwork stratum (A, B, C, C'), its certificate and the predicted drop"


def add_arguments(p):
    add_case_arguments(p, activation=True)
    p.add_argument("--function-field", choices=["auto", "always", "never"], default="auto",
                   help="rank over the function field of the parametrisation: when the other "
                        "bounds do not meet and the case is small (auto); for every stratum, "
                        "refusing cases beyond the size limits (always); never")


def run(args) -> dict:
    general = activation_from(args)  # --activation / --biases (issue 22)
    if general is not None:
        from .general_parts import run_general_parts
        if args.function_field != "auto":
            raise InputError("--function-field is not available with --activation or --biases")
        return {"general": True, **run_general_parts(args, *general, ("generic_rank", "strata"),
                                                     method="none")}
    arch, r = case_from(args)        # validated and priced (verify.core.cost)
    p = check_prime(args.prime if args.prime is not None else DEFAULT_PRIME)
    records = strata_records(arch, r, seed=args.seed, prime=p, function_field=args.function_field)
    lo, hi, exact, _, fail = certified_generic_rank(arch, r, prime=p, seed=args.seed)
    return {"arch": str(arch), "degree": r, "generic_rank": lo, "generic_rank_upper_bound": hi,
            "generic_rank_exact": exact, "expected": arch.expected_dimension(r),
            "params": arch.params, "hidden": arch.hidden, "seed": args.seed, "prime": p,
            "degenerate": arch.degeneracy(r), "records": records}


COLUMNS = [("stratum", "stratum"), ("count", "#"), ("codim", "codim"), ("rank", "rank"),
           ("drop", "drop"), ("predicted_drop", "pred"), ("agree", "agree"),
           ("critical", "critical"), ("certificate", "certificate"), ("note", "note")]


def _rank_cell(rec):
    if rec["certificate"] == "sampled-lower-bound":
        return f"{rec['rank_lower_bound']}..{rec['rank_upper_bound']}"
    return str(rec["rank_on_stratum"])


def render(result: dict) -> str:
    if result.get("general"):
        from .general_parts import render_general_strata
        return render_general_strata(result)
    g = result["generic_rank"]
    gtext = str(g) if result["generic_rank_exact"] else f"{g}..{result['generic_rank_upper_bound']}"
    head = (f"arch {result['arch']}  degree {result['degree']}  N - H = "
            f"{result['params'] - result['hidden']}  generic rank g = {gtext}  "
            f"(seed {result['seed']}, prime {result['prime']})")
    rows = []
    for rec in result["records"]:
        cells = {k: ("-" if rec.get(k) is None else str(rec.get(k))) for k, _ in COLUMNS}
        cells["rank"] = _rank_cell(rec)
        rows.append([cells[k] for k, _ in COLUMNS])
    titles = [t for _, t in COLUMNS]
    widths = [max([len(t)] + [len(row[c]) for row in rows]) for c, t in enumerate(titles)]
    fmt = lambda row: "  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip()
    lines = [head, fmt(titles)] + [fmt(row) for row in rows]
    if result["degenerate"]:
        lines.append("degenerate: " + "; ".join(result["degenerate"]))
    import textwrap
    lines.append(textwrap.fill(AGREE_NOTE, 100) if any(rec.get("agree") is False
                                                      for rec in result["records"])
                 else "agree: every drop is the one predicted (pred, proofs/strata.md section 3)")
    return "\n".join(lines)


#: Printed under the table when a drop differs from its prediction.
AGREE_NOTE = ("pred: the drop of proofs/strata.md section 3 (the stratum's kernel vectors counted "
              "when the rest of the network is generic, g = N - H); agree False: the measured "
              "drop g - rank differs from it, which is not an error: the formula fails globally "
              "when the network fills (g = A), is defective (g < min(N - H, A)), the removal "
              "leaves a hidden layer of width one or a filling part, or r = 2 (proofs/strata.md "
              "section 6); the note column names the reason. Critical means drop > 0, whatever "
              "the formula says.")
