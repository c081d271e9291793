"""The comparison report of issue 22: the monomial t^k against general activations s of the
same degree k, with and without biases, per architecture: ``ACTIVATIONS.md``,
``activations.csv`` and the ``activations`` block of ``results.json``.

Serves proofs/activations.md (which of the theorem's statements survive a general s and
biases: the generic rank g of Theorem G', Sub in Crit on the strata of section 4, Crit in Sub
and its witnesses).  One row per (architecture, degree k); one cell per (activation, biases):
g with what certifies it, the verdict with its certificate, the number of exact witnesses
(critical points outside Sub) and their named families, and the strata shown not critical.
Every cell names what certifies it: *exact over QQ*, *exhaustive over GF(p)* with its primes,
*probabilistic* or a *lower bound* with its seed and prime; an undecided or unfinished cell
points to a note that says why.  Everything here is a function of the records (no timings),
so equal records give equal files.

EXAMPLES::

    sage: from verify.run.activations_report import comparison, certifies
    sage: mono = {"arch": "2,2,1", "degree": 2, "verdict": "holds", "certificate": "proved-over-Q",
    ....:         "params": 6, "generic_rank": {"value": 5, "certificate": "exact"}}
    sage: gen = {**mono, "activation": "t^2 + t", "biases": True, "params": 9, "verdict": "fails",
    ....:        "generic_rank": {"value": 6, "certificate": "exact"},
    ....:        "sub_in_crit": {"holds": False, "failing_strata": ["A1"]}}
    sage: rows = comparison([mono, gen])
    sage: [(c["activation"], c["biases"], c["g"], c["verdict"]) for c in rows[0]["cells"]]
    [('t^2', False, 5, 'holds'), ('t^2 + t', True, 6, 'fails')]
    sage: certifies("exhaustive-GF(13,37)"), certifies("proved-over-Q")
    ('exhaustive over GF(p), p = 13, 37', 'exact over QQ')
    sage: certifies("lower-bound", seed=0, prime=101)
    'a lower bound (mod p = 101, seed 0)'
    sage: from verify.run.activations_report import family
    sage: family({"label": "W_1 rows 0, 1 proportional (x-2), biases free"})
    'W_1 rows i, j proportional, biases free'
    sage: family({"label": "W_2 rows 0, 1 proportional (x2)", "families": ["P_{2,0,1}"]})
    'P_{2,i,j}'
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

__all__ = ["comparison", "activation_results", "activations_markdown", "activations_csv",
           "certifies", "generic_rank_certifies", "cell_text", "family", "ACTIVATION_COLUMNS"]

_EXACT = {"proved-over-Q", "exact", "function-field", "kernel-vectors", "subnetwork-reduction"}

#: Columns of activations.csv (one row per cell of the comparison, in its order).
ACTIVATION_COLUMNS = ["arch", "degree", "activation", "biases", "monomial", "params",
                      "generic_rank", "generic_rank_certifies", "verdict", "certificate",
                      "certifies", "sub_in_crit", "failing_strata", "crit_in_sub",
                      "crit_in_sub_coverage", "witnesses", "beyond_proportional", "families",
                      "partial", "why"]

#: ACTIVATIONS.md lists at most this many witnesses (all are in results.json).
MAX_WITNESS_ROWS = 40


def _activation(rec) -> str:
    """The activation of a record: its ``activation``, else the monomial t^degree."""
    return str(rec.get("activation") or f"t^{rec.get('degree')}")


def certifies(cert, seed=None, prime=None) -> str:
    """What certifies a verdict, in words: exact over QQ, exhaustive over GF(p) with its
    primes, probabilistic / lower bound with seed and prime."""
    cert = "" if cert is None else str(cert)
    if not cert or cert == "None":
        return "no certificate"
    if cert in _EXACT:
        return "exact over QQ"
    if cert.startswith("exhaustive"):
        inside = cert[cert.find("(") + 1:cert.rfind(")")] if "(" in cert else "p"
        return "exhaustive over GF(p), p = " + inside.replace("p,", "").replace(",", ", ").strip()
    extra = ", ".join(x for x in (f"mod p = {prime}" if prime else "",
                                  f"seed {seed}" if seed is not None else "") if x)
    if cert in ("lower-bound", "sampled-lower-bound"):
        return "a lower bound" + (f" ({extra})" if extra else "")
    return f"probabilistic ({cert}" + (f"; {extra})" if extra else ")")


def generic_rank_certifies(rec) -> str:
    g = rec.get("generic_rank") if isinstance(rec.get("generic_rank"), dict) else {}
    if g.get("value") is None:
        return "not computed" + (f": {g.get('reason')}" if g.get("reason") else "")
    return certifies(g.get("certificate"), g.get("seed", rec.get("seed")),
                     g.get("prime", rec.get("prime")))


def _witnesses(rec) -> list:
    conv = rec.get("converse") if isinstance(rec.get("converse"), dict) else {}
    return [w for w in conv.get("witnesses") or [] if isinstance(w, dict) and "weights" in w
            and w.get("verified", True) and not w.get("strata")]


def family(w) -> str:
    """The named family of a witness: its ``family``; else the proportional-row sets
    P_{l,i,j} it lies in (``families``, Proposition P1 of proofs/activations.md), neuron
    indices dropped ('P_{1,i,j}'); else the structured shape the pre-pass labelled it with,
    indices and ratios dropped ('W_1 has two equal columns'); else 'unnamed'."""
    import re
    if w.get("family"):
        return str(w["family"])
    if w.get("families"):
        return ", ".join(sorted({re.sub(r"P_\{(\d+),\d+,\d+\}", r"P_{\1,i,j}", str(f))
                                 for f in w["families"]}))
    label = str(w.get("label") or "")
    if not label:
        return "unnamed"
    label = re.sub(r"rows \d+, \d+", "rows i, j", label)
    label = re.sub(r" \(x-?[0-9/]+\)", "", label)
    label = re.sub(r"b_(\d+)\[\d+\] = b_(\d+)\[\d+\]", r"b_\1[i] = b_\2[j]", label)
    return label


def _why(rec) -> str:
    """Why a cell is not decided: the stop of a partial record, else the record's reasons and
    what its converse says of itself (its reason, the pre-pass's points)."""
    part = rec.get("partial") if isinstance(rec.get("partial"), dict) else {}
    if part.get("reason"):
        return f"stopped ({part.get('stop')}): {part['reason']}"
    if rec.get("verdict") in ("holds", "fails"):
        return ""
    out = [str(r) for r in rec.get("reasons") or []]
    conv = rec.get("converse") if isinstance(rec.get("converse"), dict) else {}
    if conv.get("reason"):
        pre = conv.get("prepass") if isinstance(conv.get("prepass"), dict) else {}
        out.append(f"converse: {conv['reason']}" + (
            f" (pre-pass: {pre.get('points')} structured points, {pre.get('witnesses')} "
            f"witnesses)" if pre else ""))
    return "; ".join(out) or "no reason recorded"


def _cell(rec) -> dict:
    g = rec.get("generic_rank") if isinstance(rec.get("generic_rank"), dict) else {}
    sub = rec.get("sub_in_crit") if isinstance(rec.get("sub_in_crit"), dict) else {}
    crit = rec.get("crit_in_sub") if isinstance(rec.get("crit_in_sub"), dict) else {}
    ws = _witnesses(rec)
    families = Counter(family(w) for w in ws)
    return {
        "activation": _activation(rec), "biases": bool(rec.get("biases")),
        "monomial": rec.get("activation") is None or (
            str(rec.get("activation")) == f"t^{rec.get('degree')}"),
        "params": rec.get("params"), "g": g.get("value"),
        "g_exact": g.get("certificate") == "exact",
        "g_certifies": generic_rank_certifies(rec),
        "verdict": str(rec.get("verdict") or "undecided"), "certificate": rec.get("certificate"),
        "certifies": certifies(rec.get("certificate"), rec.get("seed"), rec.get("prime"))
        if rec.get("verdict") in ("holds", "fails") else "",
        "sub_in_crit": sub.get("holds"), "failing_strata": list(sub.get("failing_strata") or []),
        "crit_in_sub": crit.get("holds"), "crit_in_sub_coverage": crit.get("coverage"),
        "witnesses": len(ws), "families": dict(sorted(families.items())),
        "beyond_proportional": sum(1 for w in ws if not w.get("families"))
        if any("families" in w for w in ws) else None,
        "partial": bool(rec.get("partial")), "why": _why(rec),
    }


def _column_order(cell):
    return (not cell["monomial"], cell["activation"], cell["biases"])


def comparison(records) -> list[dict]:
    """One row per (architecture, degree): ``{"arch", "degree", "cells"}``, the cells (one per
    activation and biases, the monomial first) from :func:`_cell`."""
    by = defaultdict(list)
    for rec in records:
        by[(rec["arch"], int(rec["degree"]))].append(_cell(rec))
    rows = []
    for (arch, k), cells in sorted(by.items(), key=lambda kv: (kv[0][1], tuple(map(int, kv[0][0].split(","))))):
        rows.append({"arch": arch, "degree": k, "cells": sorted(cells, key=_column_order)})
    return rows


def activation_results(records) -> dict:
    """The ``activations`` block of results.json: the general records (timings removed),
    their counts, and the comparison rows (monomial records included as the reference)."""
    from ..theorem.case import jsonable, pop_timings
    from .general import is_general_record
    general = [jsonable(r) for r in records if is_general_record(r)]
    for rec in general:
        pop_timings(rec, "", {})
    general.sort(key=lambda r: (tuple(map(int, r["arch"].split(","))), r["degree"],
                                r["activation"], bool(r.get("biases"))))
    return {"counts": dict(sorted(Counter(str(r.get("verdict")) for r in general).items())),
            "cases": general, "comparison": comparison(records)}


_LETTER = {"holds": "H", "fails": "F", "undecided": "?", "outside-theorem": "o",
           "timed-out": "T", "error": "E"}


def cell_text(cell, note=None) -> str:
    """One cell of ACTIVATIONS.md: g with its certificate, the verdict with its, the
    witnesses and the strata not critical; ``note``: the number of the note saying why."""
    if cell is None:
        return ""
    g = cell["g"]
    gtext = "g ?" if g is None else (f"g = {g}" if cell["g_exact"] else f"g ≥ {g}")
    gtext += f"/{cell['params']}" if cell.get("params") is not None and g is not None else ""
    parts = [f"{gtext} ({cell['g_certifies']})"]
    v = cell["verdict"]
    if v in ("holds", "fails"):
        parts.append(f"**{v}** ({cell['certifies']})")
    else:
        parts.append(f"**{v}**")
    if cell["partial"]:
        parts[-1] += " partial"
    if cell["witnesses"]:
        beyond = cell.get("beyond_proportional")
        parts.append(f"{cell['witnesses']} witness(es)" + ("" if beyond is None else
                     f", {cell['witnesses'] - beyond} in a P_(l,i,j), {beyond} beyond"))
    if cell["failing_strata"]:
        parts.append("not critical: " + ", ".join(cell["failing_strata"]))
    if note is not None:
        parts.append(f"[note {note}](#note-{note})")
    return "; ".join(parts)


def _columns(rows) -> list[tuple]:
    seen = {}
    for row in rows:
        for c in row["cells"]:
            seen[(c["activation"], c["biases"])] = c
    return sorted(seen, key=lambda key: _column_order(seen[key]))


def _table(header, rows) -> list[str]:
    esc = lambda v: ("" if v is None else str(v)).replace("|", "\\|").replace("\n", " ")
    return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            + ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows])


def _recheck(rec, w) -> str:
    """The command that re-checks a witness exactly (``point`` with the activation)."""
    cmd = f"python -m verify point {rec['arch']} --activation '{_activation(rec)}'"
    if rec.get("biases"):
        b = w.get("bias_values", w.get("biases"))
        cmd += " --biases" + (f" --bias-values '{json.dumps(b, separators=(',', ':'))}'"
                              if b is not None else "")
    return cmd + f" --weights '{json.dumps(w.get('weights'), separators=(',', ':'))}'"


def activations_markdown(block: dict, catalogue: str, records=None) -> str:
    """ACTIVATIONS.md from the ``activations`` block of results.json (and the general records,
    for the witnesses)."""
    rows = block["comparison"]
    general = block["cases"] if records is None else records
    lines = ["# Monomial against general activations (issue 22)", "",
             f"Catalogue `{catalogue}`: {len(general)} general case(s) (an activation other than "
             "t^k, or biases) next to the monomial t^k of the same degree k where the sweep has it. Proofs: "
             "[proofs/activations.md](proofs/activations.md). Per architecture and degree: g, the "
             "generic rank of the Jacobian out of the N' parameters (the weights, and the biases "
             "when there are any), and what certifies it; the verdict (holds: Crit = Sub on every "
             "codimension and every stratum critical; fails: a stratum not critical or an exact "
             "witness outside Sub; undecided: see the note) and what certifies it; the witnesses "
             "(critical points outside Sub, verified exactly) by named family; the strata shown not "
             "critical. The monomial without biases is the theorem's case (REPORT.md); the monomial "
             "theorem's threshold says nothing about the general cases, so none contradicts it.",
             "", "Counts of the general cases: "
             + ("; ".join(f"{v} {n}" for v, n in block["counts"].items()) or "none") + ".", ""]
    notes = []
    for k in sorted({row["degree"] for row in rows}):
        krows = [row for row in rows if row["degree"] == k]
        cols = _columns(krows)
        lines += [f"## Degree {k}", ""]
        table = []
        for row in krows:
            cells = {(c["activation"], c["biases"]): c for c in row["cells"]}
            out = [row["arch"]]
            for key in cols:
                c = cells.get(key)
                note = None
                if c is not None and c["why"]:
                    notes.append((f"{row['arch']} s={key[0]}" + (", biases" if key[1] else ""),
                                  c["verdict"], c["why"]))
                    note = len(notes)
                out.append(cell_text(c, note))
            table.append(out)
        lines += _table(["architecture"] + [f"s = {a}" + (", biases" if b else "") for a, b in cols],
                        table) + [""]
    if notes:
        lines += ["## Notes: why a cell is undecided or unfinished", ""]
        lines += [f'<a id="note-{i}"></a>{i}. {case} ({v}): {_short(why, 400)}'
                  for i, (case, v, why) in enumerate(notes, start=1)] + [""]
    lines += _family_section(rows)
    lines += _witness_section(general)
    return "\n".join(lines).rstrip() + "\n"


def _family_section(rows) -> list[str]:
    """Per case with witnesses: its named families (:func:`family`) with their counts."""
    table = []
    for row in rows:
        for c in row["cells"]:
            if c["families"]:
                table.append([f"{row['arch']} s={c['activation']}" + (", biases" if c["biases"] else ""),
                              "; ".join(f"{k} ({n})" for k, n in c["families"].items())])
    if not table:
        return []
    return (["## Named families of the witnesses", "",
             "P_{l,i,j}: the points whose rows i and j of W_l are proportional, critical and "
             "outside Sub for a non-monomial s (Proposition P1 of "
             "[proofs/activations.md](proofs/activations.md)), named by the converse; a witness "
             "in none of them is named by the structured shape of the pre-pass point it was "
             "found at, neuron indices and ratios dropped. The count is the number of witnesses "
             "in the family.", ""] + _table(["case", "families (witnesses)"], table) + [""])


def _witness_section(records) -> list[str]:
    rows = []
    total = 0
    for rec in records:
        for w in _witnesses(rec):
            total += 1
            if len(rows) < MAX_WITNESS_ROWS:
                label = f"{rec['arch']} s={_activation(rec)}" + (", biases" if rec.get("biases") else "")
                rows.append([label, family(w),
                             f"{w.get('rank')} < {w.get('generic_rank')}", w.get("field") or "QQ",
                             f"`{_short(_recheck(rec, w), 300)}`"])
    out = ["## Witnesses: critical points outside Sub", ""]
    if not total:
        return out + ["None found among the general cases.", ""]
    out += [f"{total} witness(es), each verified exactly over its field; re-check one with its "
            "command (`point` prints its exact rank and the strata containing it: none)."
            + (f" The first {len(rows)}; all are in results.json." if total > len(rows) else ""), ""]
    return out + _table(["case", "family", "rank < g", "field", "re-check"], rows) + [""]


def _short(text, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[:n - 1] + "…"


def activations_csv(block: dict) -> str:
    """activations.csv: one row per cell of the comparison (ACTIVATION_COLUMNS)."""
    from .export import to_csv
    rows = []
    for row in block["comparison"]:
        for c in row["cells"]:
            fam = "; ".join(f"{k} {n}" for k, n in c["families"].items())
            vals = {**c, "arch": row["arch"], "degree": row["degree"], "generic_rank": c["g"],
                    "generic_rank_certifies": c["g_certifies"], "families": fam,
                    "failing_strata": " ".join(c["failing_strata"])}
            rows.append([vals.get(k) for k in ACTIVATION_COLUMNS])
    return to_csv(ACTIVATION_COLUMNS, rows)
