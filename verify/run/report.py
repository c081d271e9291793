"""The theorem report: ``report/REPORT.md``, ``results.json``, ``timings.json``, plots.

Serves proofs/README.md, the theorem (MATH.md section 4) as checked case by case
by :mod:`verify.run.sweep`: per architecture and degree the verdict and its
certificate, the proven against the empirical threshold
(``verify.theorem.threshold``), and the catalogue of critical points that are not
subnetworks (the converse's witnesses).  ``results.json`` is a function of the
records only (sorted keys, no timestamps, no timings), so the same seed, machine
and versions give the same bytes; wall-clock seconds go to ``timings.json``.

A check *contradicts the theorem* when a case ``fails`` at a degree r >= r*(d),
its proven threshold; :func:`build_results` lists those under ``contradictions``
and the sweep command exits non-zero when there are any.

EXAMPLES::

    sage: from verify.run.report import build_results, verdict_symbol
    sage: rec = {"arch": "2,2,1", "widths": [2, 2, 1], "degree": 3, "verdict": "holds",
    ....:        "contradicts_theorem": False, "converse": {"witnesses": []}}
    sage: res = build_results([rec], "demo")
    sage: res["counts"], res["contradictions"]
    ({'holds': 1}, [])
    sage: verdict_symbol("fails"), verdict_symbol("timed-out")
    ('F', 'T')
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from pathlib import Path

__all__ = ["build_results", "build_timings", "write_report", "render_markdown",
           "summary_table", "verdict_symbol"]

_SYMBOLS = {"holds": "H", "fails": "F", "inconclusive": "?", "outside-theorem": "o",
            "timed-out": "T", "error": "E"}


def verdict_symbol(verdict: str) -> str:
    """One letter per verdict for the terminal grid."""
    return _SYMBOLS.get(verdict, "?")


def _jsonable(obj):
    from ..theorem.case import jsonable
    return jsonable(obj)


def _label(rec) -> str:
    return f"{rec['arch']} r={rec['degree']}"


def _order(rec):
    return (tuple(rec.get("widths") or map(int, rec["arch"].split(","))), rec["degree"],
            rec.get("seed", 0), rec.get("method", ""), rec.get("prime") or 0)


def _witness_catalogue(records) -> list[dict]:
    """Critical points outside Sub found by the converse: verify.theorem.witnesses.catalogue_entries
    (one entry per class under the symmetries), or one row per witness if that fails."""
    above = {(rec["arch"], rec["degree"]): rec.get("above_proven_threshold") for rec in records}
    from ..theorem.witnesses import catalogue_entries
    try:
        out = _jsonable(catalogue_entries(records))
        for e in out:
            e["above_proven_threshold"] = above.get((e["arch"], e["degree"]))
        return out
    except Exception:                      # fall back to the raw witnesses below
        pass
    out = []
    for rec in records:
        conv = rec.get("converse") or {}
        for w in conv.get("witnesses") or []:
            if isinstance(w, dict) and not w.get("strata"):
                out.append({"arch": rec["arch"], "degree": rec["degree"],
                            "weights": w.get("weights"), "rank": w.get("rank"),
                            "generic_rank": w.get("generic_rank"), "field": w.get("field"),
                            "certificate": conv.get("certificate"),
                            "above_proven_threshold": rec.get("above_proven_threshold")})
    return out


def _architecture_summaries(records) -> dict:
    """Per architecture: proven threshold and the empirical one from the per-degree records."""
    from ..core.architecture import Architecture
    from ..theorem.threshold import proven_threshold as proven, summarise_degrees as summarise
    by_arch = defaultdict(list)
    for rec in records:
        by_arch[rec["arch"]].append(rec)
    out = {}
    for arch, recs in by_arch.items():
        a = Architecture.parse(arch)
        recs = sorted(recs, key=_order)
        entry = {"degrees": [r["degree"] for r in recs],
                 "verdicts": {str(r["degree"]): r["verdict"] for r in recs}}
        for name, fn, args in (("proven", proven, (a,)), ("empirical", summarise, (a, recs))):
            try:
                entry[name] = _jsonable(fn(*args))
            except Exception as e:            # a part's bug must not lose the report
                entry[name] = {"verdict": "not-run", "reason": f"error: {type(e).__name__}: {e}"}
        out[arch] = entry
    return out


def build_results(records, catalogue: str) -> dict:
    """The content of results.json: a function of the records only."""
    from ..theorem.case import pop_timings
    records = sorted((_jsonable(r) for r in records), key=_order)
    for rec in records:
        pop_timings(rec, "", {})                  # no wall-clock value in results.json
    suites = sorted({(r.get("versions") or {}).get("suite") or "unknown" for r in records})
    return {
        "catalogue": catalogue,
        "suite": suites[0] if len(suites) == 1 else suites,
        "counts": dict(sorted(Counter(r["verdict"] for r in records).items())),
        "certificates": {v: dict(sorted(Counter(str(r.get("certificate")) for r in records
                                                if r["verdict"] == v).items()))
                         for v in sorted({r["verdict"] for r in records})},
        "contradictions": [_label(r) for r in records if r.get("contradicts_theorem")],
        "cases": records,
        "architectures": _architecture_summaries(records),
        "non_subnetwork_critical_points": _witness_catalogue(records),
    }


def _timing_label(rec) -> str:
    """'ARCH r=R', with the method and seed when they are not the defaults."""
    extra = [f"method {rec.get('method')}" if rec.get("method", "auto") != "auto" else "",
             f"seed {rec.get('seed')}" if rec.get("seed", 0) != 0 else ""]
    extra = ", ".join(e for e in extra if e)
    return _label(rec) + (f" ({extra})" if extra else "")


def build_timings(entries) -> dict:
    """label -> seconds of each cache entry (wall clock and per part)."""
    return {_timing_label(e["record"]): e.get("seconds", {}) for e in
            sorted(entries, key=lambda e: _order(e["record"]))}


def _write_atomic(path: Path, text: str):
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _cell(v) -> str:
    s = "" if v is None else str(v)
    return s.replace("|", "\\|").replace("\n", " ")


def _table(header, rows) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def _part_summary(part, fields) -> str:
    if not isinstance(part, dict):
        return ""
    if part.get("verdict") == "not-run":
        return "not run"
    return ", ".join(str(part.get(f)) for f in fields if part.get(f) is not None)


def _strata_cell(strata) -> str:
    if not isinstance(strata, dict) or strata.get("verdict") != "run":
        return "not run"
    recs = strata.get("records", [])
    crit = sum(1 for r in recs if r.get("critical") is True)
    agree = sum(1 for r in recs if r.get("agree") is True)
    return f"{crit}/{len(recs)} critical, {agree}/{len(recs)} drops as predicted ({strata.get('certificate')})"


def _threshold_cell(part) -> str:
    """A proven_threshold or summarise_degrees result in one cell."""
    if not isinstance(part, dict):
        return ""
    if part.get("verdict") == "not-run":
        return "not run: " + str(part.get("reason", ""))
    if "certificate_text" in part:                       # summarise_degrees
        return str(part["certificate_text"])
    if "value" in part:                                  # proven_threshold
        if part["value"] is None:
            return str(part.get("note") or "no threshold claimed")
        return f"{part.get('formula')} ({part.get('certificate')})"
    return json.dumps(part, sort_keys=True)[:160]


def render_markdown(results: dict, plots: list[str]) -> str:
    """REPORT.md: summary, per-case table, thresholds, witnesses, plots."""
    cases = results["cases"]
    lines = [
        "# Theorem report: critical points of deep monomial networks are subnetworks",
        "",
        f"Catalogue `{results['catalogue']}`, suite `{results['suite']}`, "
        f"{len(cases)} cases. Generated by `python -m verify sweep`; every row is one "
        "(architecture, degree) record in `results.json`.",
        "",
        "How to read it: **holds** = Crit = Sub was decided and every subnetwork stratum is "
        "critical; **fails** = a stratum is not critical or a critical point outside Sub was "
        "found (expected below the threshold r*, a contradiction of the theorem at or above "
        "it); **inconclusive** = a part could not decide or did not run; **outside-theorem** = "
        "degenerate architecture; **timed-out** = no answer within the case's time limit. "
        "The certificate says how the verdict is known: `proved-over-Q`/`exact` (exact "
        "arithmetic over Q), `exhaustive-GF(p)` (evidence over a finite field), "
        "`probabilistic`/`lower-bound` (seeded random points, with a failure bound).",
        "",
        "## Summary",
        "",
        "Verdicts: " + "; ".join(f"{k} {v}" + _by_certificate(results.get("certificates", {}).get(k, {}))
                                 for k, v in results["counts"].items()) + ".",
        "",
        ("**Contradictions of the theorem above its proven threshold: "
         + ", ".join(results["contradictions"]) + "**") if results["contradictions"]
        else "No check contradicts the theorem above its proven threshold.",
        "",
        "## Per architecture and degree",
        "",
    ]
    rows = []
    for rec in cases:
        g = rec.get("generic_rank") or {}
        conv = rec.get("converse") or {}
        rows.append([
            rec["arch"], rec["degree"], rec.get("params"),
            f"{g.get('value')} ({g.get('certificate')})" if g.get("value") is not None else "",
            _strata_cell(rec.get("strata")),
            "not run" if conv.get("verdict") in (None, "not-run")
            else f"{conv.get('method')}: {conv.get('verdict')} ({conv.get('certificate')})",
            rec.get("proven_threshold"), f"**{rec['verdict']}**", rec.get("certificate"),
        ])
    lines += _table(["architecture", "r", "N", "generic rank", "strata", "converse",
                     "proven r*", "verdict", "certificate"], rows)
    lines += ["", "## Thresholds", "",
              "Proven r*(d) (verify.theorem.threshold.proven_threshold) against the empirical threshold "
              "from the per-degree records (verify.theorem.threshold.summarise_degrees).", ""]
    rows = []
    for arch, entry in sorted(results["architectures"].items(),
                              key=lambda kv: tuple(map(int, kv[0].split(",")))):
        grid = " ".join(f"{r}:{verdict_symbol(v)}" for r, v in
                        sorted(entry["verdicts"].items(), key=lambda kv: int(kv[0])))
        rows.append([arch, _threshold_cell(entry["proven"]), _threshold_cell(entry["empirical"]),
                     grid])
    lines += _table(["architecture", "proven", "empirical", "verdict per degree"], rows)
    lines += ["", "Letters: " + ", ".join(f"{s} {v}" for v, s in _SYMBOLS.items()) + ".", "",
              "## Critical points that are not subnetworks", ""]
    wit = results["non_subnetwork_critical_points"]
    if wit:
        lines += ["One row per witness class up to the symmetries (verify.theorem.witnesses), each "
                  "re-verified exactly by the converse.", ""]
        lines += _table(["architecture", "r", "weights", "rank / generic", "field", "family",
                         "certificate", "above proven r*"],
                        [[w["arch"], w["degree"],
                          f"`{json.dumps(w.get('canonical_weights') or w['weights'])}`",
                          f"{w['rank']} / {w['generic_rank']}", w["field"], w.get("family", ""),
                          w["certificate"], w["above_proven_threshold"]] for w in wit])
    else:
        lines.append("None found in this catalogue.")
    lines += ["", "## Plots", ""]
    lines += [f"![{Path(p).stem}]({p})" for p in plots] or ["Not drawn: verify.run.plots drew nothing (matplotlib missing or a plotting error)."]
    return "\n".join(lines) + "\n"


def _draw_plots(results: dict, outdir: Path) -> list[str]:
    """PNG and SVG via verify.run.plots; returns the files (relative to outdir)."""
    from .plots import draw_report_plots
    try:
        files = draw_report_plots(results, outdir) or []
    except Exception:                       # a plotting bug must not lose the report
        return []
    return sorted(os.path.relpath(str(f), str(outdir)) for f in files if str(f).endswith(".png"))


def write_report(entries, outdir, catalogue: str) -> dict:
    """Write results.json, timings.json, REPORT.md (and plots) under ``outdir``."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    results = build_results([e["record"] for e in entries], catalogue)
    _write_atomic(outdir / "results.json", json.dumps(results, sort_keys=True, indent=1) + "\n")
    _write_atomic(outdir / "timings.json",
                  json.dumps(build_timings(entries), sort_keys=True, indent=1) + "\n")
    plots = _draw_plots(results, outdir)
    _write_atomic(outdir / "REPORT.md", render_markdown(results, plots))
    return results


def _by_certificate(counts: dict) -> str:
    shown = {c: n for c, n in counts.items() if c != "None"}
    return " (" + ", ".join(f"{n} {c}" for c, n in shown.items()) + ")" if shown else ""


def summary_table(results: dict) -> str:
    """The terminal summary: one row per architecture, one letter per degree."""
    degrees = sorted({rec["degree"] for rec in results["cases"]})
    archs = sorted(results["architectures"], key=lambda a: tuple(map(int, a.split(","))))
    width = max([len("architecture")] + [len(a) for a in archs])
    head = f"{'architecture':<{width}}  r*  " + " ".join(f"{r:>2}" for r in degrees)
    lines = [head, "-" * len(head)]
    rstar = {rec["arch"]: rec.get("proven_threshold") for rec in results["cases"]}
    for a in archs:
        v = results["architectures"][a]["verdicts"]
        rs = rstar.get(a)
        lines.append(f"{a:<{width}}  {'-' if rs is None else rs:>2}  "
                     + " ".join(f"{verdict_symbol(v[str(r)]) if str(r) in v else '':>2}"
                                for r in degrees))
    lines.append("")
    lines.append("letters: " + ", ".join(f"{s}={v}" for v, s in _SYMBOLS.items()))
    lines.append("verdicts: " + "; ".join(
        f"{k} {n}" + _by_certificate(results.get("certificates", {}).get(k, {}))
        for k, n in results["counts"].items()))
    if results["contradictions"]:
        lines.append("CONTRADICTIONS above the proven threshold: " + ", ".join(results["contradictions"]))
    else:
        lines.append("no check contradicts the theorem above its proven threshold")
    return "\n".join(lines)
