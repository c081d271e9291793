"""``strata`` and ``converse`` with ``--activation POLY [--biases]`` (issue 22): the parts of a
general case computed by :func:`verify.theorem.general_case.run_general_case`, and their text.

Serves proofs/activations.md (Sub for a general s and the criticality of its strata,
section 4-5; Crit in Sub by the pre-pass and the exact methods on the charts of the group that
survives).  A part the general code does not provide yet is refused with one line
(InputError, exit 2), never a traceback.
"""

from __future__ import annotations

from ..core.errors import InputError
from .common import general_case_from

__all__ = ["run_general_parts", "render_general_strata", "render_general_converse", "COLUMNS"]

#: Columns of the strata table (those of ``strata --degree``: verify.commands.strata.COLUMNS).
COLUMNS = [("stratum", "stratum"), ("count", "#"), ("codim", "codim"), ("rank", "rank"),
           ("drop", "drop"), ("predicted_drop", "pred"), ("agree", "agree"),
           ("critical", "critical"), ("certificate", "certificate"), ("note", "note")]


def run_general_parts(args, activation, biases, parts, method="auto") -> dict:
    """The record of ``run_general_case`` restricted to ``parts``; InputError (one line) when
    the general code or the part is not available."""
    from ..core.rank import check_prime
    from ..run.general import general_case_runner
    arch = general_case_from(args, activation, biases, modular=False)
    prime = check_prime(args.prime) if getattr(args, "prime", None) is not None else None
    fn = general_case_runner()
    record = fn(str(arch), activation.canonical(), biases=biases, seed=args.seed, prime=prime,
                method=method, parts=tuple(parts))
    for name in parts:
        part = record.get(name)
        if not isinstance(part, dict):
            raise InputError(f"the part '{name}' of a general case is not available yet "
                             f"(verify/theorem/general_case.py)")
        reason = str(part.get("reason") or "")
        if part.get("verdict") == "not-run" and ("not available" in reason
                                                  or "not implemented" in reason):
            raise InputError(f"the part '{name}' of a general case is not available: {reason}"[:300])
    return record


def _head(record) -> str:
    g = record.get("generic_rank") if isinstance(record.get("generic_rank"), dict) else {}
    biases = ", biases" if record.get("biases") else ""
    gtext = g.get("value") if g.get("certificate") == "exact" else f">= {g.get('value')}"
    return (f"arch {record.get('arch')}  s = {record.get('activation')}{biases}  degree "
            f"{record.get('degree')}  parameters {record.get('params')}  generic rank g = {gtext} "
            f"[{g.get('certificate')}]  (seed {record.get('seed')})")


def render_general_strata(record: dict) -> str:
    """The strata part of a general record: one line per stratum."""
    strata = record.get("strata") or {}
    if strata.get("verdict") != "run":
        return _head(record) + f"\nstrata: not run ({strata.get('reason')})"
    rows = []
    for rec in strata.get("records") or []:
        cells = {k: ("-" if rec.get(k) is None else str(rec.get(k))) for k, _ in COLUMNS}
        if rec.get("rank_on_stratum") is not None:
            cells["rank"] = str(rec["rank_on_stratum"])
        elif rec.get("rank_lower_bound") is not None:
            cells["rank"] = f"{rec['rank_lower_bound']}..{rec.get('rank_upper_bound')}"
            if rec.get("drop") is None and rec.get("generic_rank") is not None \
                    and rec.get("rank_upper_bound") is not None:
                cells["drop"] = f">={rec['generic_rank'] - rec['rank_upper_bound']}"
        rows.append([cells[k] for k, _ in COLUMNS])
    titles = [t for _, t in COLUMNS]
    widths = [max([len(t)] + [len(row[c]) for row in rows]) for c, t in enumerate(titles)]
    fmt = lambda row: "  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip()
    sub = record.get("sub_in_crit") or {}
    tail = (f"Sub in Crit: {sub.get('holds')} [{sub.get('certificate')}]"
            + (f"; not critical: {', '.join(sub['failing_strata'])}" if sub.get("failing_strata") else ""))
    return "\n".join([_head(record), fmt(titles)] + [fmt(r) for r in rows] + [tail])


def _label(record) -> str:
    return (f"{record.get('arch')} s={record.get('activation')}"
            + (", biases" if record.get("biases") else ""))


def render_general_converse(record: dict) -> str:
    """The converse part of a general record: its verdict, certificate and method, what the
    pre-pass examined, and each witness (weights, biases) with its exact rank."""
    conv = record.get("converse") or {}
    if conv.get("verdict") == "not-run":
        return _head(record) + f"\nconverse: not run ({conv.get('reason')})"
    crit = record.get("crit_in_sub") or {}
    lines = [_head(record),
             f"{_label(record)}: {conv.get('verdict')} [{crit.get('certificate')}] by "
             f"{conv.get('method')}, coverage {crit.get('coverage')}"]
    details = conv.get("details") or {}
    for key in ("statement", "generic_rank"):
        if details.get(key) is not None:
            lines.append(f"  {key}: {details[key]}")
    pre = conv.get("prepass") if isinstance(conv.get("prepass"), dict) else None
    if pre:
        lines.append(f"  pre-pass: {pre.get('points')} structured points, "
                     f"{pre.get('witnesses')} witnesses (seed {pre.get('seed')})")
    if conv.get("reason"):
        lines.append(f"  reason: {conv['reason']}")
    witnesses = [w for w in conv.get("witnesses") or [] if isinstance(w, dict)]
    if witnesses:
        lines.append(f"  witnesses ({len(witnesses)}):")
    for w in witnesses:
        status = "verified" if w.get("verified") else "NOT verified"
        lines.append(f"  {w.get('label') or '-'}: rank {w.get('rank')} < g = {w.get('generic_rank')} "
                     f"over {w.get('field') or 'QQ'}, strata {w.get('strata') or 'none'} ({status} exactly)")
        lines.append(f"    weights {w.get('weights')}"
                     + (f"  biases {w.get('biases')}" if w.get("biases") is not None else ""))
    lines.append(f"case verdict: {record.get('verdict')}"
                 + (f" [{record.get('certificate')}]" if record.get("certificate") else ""))
    return "\n".join(lines)
