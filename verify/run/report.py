"""The theorem report: ``report/REPORT.md``, ``results.json``, ``timings.json``, plots.

Serves proofs/README.md, the theorem (MATH.md section 4) as checked case by case
by :mod:`verify.run.sweep`: per architecture and degree the verdict and its
certificate, the proven against the empirical threshold
(``verify.theorem.threshold``), and the catalogue of critical points that are not
subnetworks (the converse's witnesses); the cases of a general activation or with biases
(issue 22, proofs/activations.md) go to ``ACTIVATIONS.md`` (:mod:`verify.run.activations_report`)
and the ``activations`` block of results.json, the monomial ones stay here.  ``results.json`` is a function of the
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

from ..crit_in_sub.common import witness_id

import json
import os
from collections import Counter, defaultdict
from pathlib import Path

__all__ = ["build_results", "build_timings", "write_report", "render_markdown", "is_partial",
           "partial_entry", "PARTIAL_MARK",
           "summary_table", "verdict_symbol", "verdict_of", "strength", "grid_cell", "witness_id",
           "reproduce_command", "check_command", "environment", "git_commit", "copy_proofs",
           "STRENGTHS", "VERDICTS"]

_SYMBOLS = {"holds": "H", "fails": "F", "undecided": "?", "outside-theorem": "o",
            "timed-out": "T", "error": "E"}


def verdict_symbol(verdict: str) -> str:
    """One letter per verdict for the terminal grid."""
    return _SYMBOLS.get("undecided" if verdict == "inconclusive" else verdict, "?")


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
    from ..theorem.threshold import proven_threshold_check, threshold_theorem
    by_arch = defaultdict(list)
    for rec in records:
        by_arch[rec["arch"]].append(rec)
    out = {}
    for arch, recs in by_arch.items():
        a = Architecture.parse(arch)
        recs = sorted(recs, key=_order)
        entry = {"degrees": [r["degree"] for r in recs],
                 "verdicts": {str(r["degree"]): verdict_of(r) for r in recs}}
        for name, fn, args in (("proven", proven, (a,)), ("empirical", summarise, (a, recs)),
                               ("theorem", threshold_theorem, (a, recs))):
            try:
                entry[name] = _jsonable(fn(*args))
            except Exception as e:            # a part's bug must not lose the report
                entry[name] = {"verdict": "not-run", "reason": f"error: {type(e).__name__}: {e}"}
        emp = entry.get("empirical") or {}
        entry["proven_check"] = _jsonable(proven_threshold_check(a, emp.get("per_degree") or [])) \
            if "per_degree" in emp else None
        out[arch] = entry
    return out


def build_results(records, catalogue: str) -> dict:
    """The content of results.json: a function of the records only."""
    from ..theorem.case import pop_timings
    records = sorted((_jsonable(r) for r in records), key=_order)
    for rec in records:
        pop_timings(rec, "", {})                  # no wall-clock value in results.json
    for rec in records:                           # witness ids (verify check-witness)
        for w in _case_witnesses(rec):
            w.setdefault("id", witness_id(rec["arch"], rec["degree"], w["weights"], w.get("field")))
    suites = sorted({(r.get("versions") or {}).get("suite") or "unknown" for r in records})
    return {
        "catalogue": catalogue,
        "suite": suites[0] if len(suites) == 1 else suites,
        "counts": dict(sorted(Counter(verdict_of(r) for r in records).items())),
        "certificates": {v: dict(sorted(Counter(str(r.get("certificate")) for r in records
                                                if verdict_of(r) == v).items()))
                         for v in sorted({verdict_of(r) for r in records})},
        "contradictions": [_label(r) for r in records if r.get("contradicts_theorem")],
        "complete": not any(is_partial(r) for r in records),
        "partial": [partial_entry(r) for r in records if is_partial(r)],
        "cases": records,
        "architectures": _architecture_summaries(records),
        "non_subnetwork_critical_points": _witness_catalogue(records),
    }


def is_partial(rec) -> bool:
    """A record of a stopped case (:func:`verify.run.cache.is_partial`)."""
    from .cache import is_partial as partial
    return partial(rec)


def partial_entry(rec) -> dict:
    """``{"case", "verdict", "stop", "reason", "kept"}`` of a partial record: what stopped it
    and what it had finished (results.json's ``partial`` list, REPORT.md's section)."""
    p = rec.get("partial") if isinstance(rec.get("partial"), dict) else {}
    reasons = rec.get("reasons") or []
    return {"case": _label(rec), "verdict": verdict_of(rec),
            "stop": p.get("stop") or verdict_of(rec),
            "reason": str(p.get("reason") or (reasons[-1] if reasons else "no reason recorded")),
            "kept": list(p.get("kept") or [k for k in ("generic_rank", "strata") if k in rec])}


def _timing_label(rec) -> str:
    """'ARCH r=R' ('ARCH s=POLY[, biases]' for a general case), with the method and seed when
    they are not the defaults."""
    from .catalogue import record_label
    extra = [f"method {rec.get('method')}" if rec.get("method", "auto") != "auto" else "",
             f"seed {rec.get('seed')}" if rec.get("seed", 0) != 0 else ""]
    extra = ", ".join(e for e in extra if e)
    return record_label(rec) + (f" ({extra})" if extra else "")


def build_timings(entries) -> dict:
    """label -> seconds of each cache entry (wall clock and per part)."""
    order = lambda e: _order(e["record"]) + (str(e["record"].get("activation") or ""),
                                             bool(e["record"].get("biases")))
    return {_timing_label(e["record"]): e.get("seconds", {}) for e in sorted(entries, key=order)}


def _write_atomic(path: Path, text: str):
    """Write through a temporary file of a unique name in the same folder, then rename (two
    writers never share a temporary file); the mode honours the umask (0644 under 022)."""
    from .files import write_atomic
    write_atomic(path, text)


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


# --- certificate strength and reproduce commands --------------------------------------------

#: Strength codes of the grid, strongest first (the legend of REPORT.md).
STRENGTHS = {
    "Q": ("proved over Q (exact arithmetic: a computer proof for this (d, r); or, where the "
          "Crit-in-Sub cell names method theorem or Theorem Y6, a proved statement of proofs/ "
          "whose integer conditions this (d, r) meets)"),
    "p": "exhaustive over GF(p) (every point of the normalised chart mod p; evidence over Q)",
    "e": "evidence only (random exact points or slices, with a failure bound)",
    "g": "generic rank only a lower bound (sampled; the verdict rests on it)",
}
_PROVED = {"proved-over-Q", "exact", "function-field", "kernel-vectors", "subnetwork-reduction"}
_EVIDENCE = {"probabilistic", "sampled-lower-bound", "slice", "sampled"}

#: Verdicts (``inconclusive`` of older records reads as ``undecided``).
VERDICTS = ["holds", "fails", "undecided", "outside-theorem", "timed-out", "error"]

#: The proofs each part rests on (relative to the report folder, which gets a copy).
PROOFS = {"converse": "proofs/converse.md", "exhaustive": "proofs/exhaustive.md",
          "strata": "proofs/strata.md", "threshold": "proofs/threshold.md",
          "catalogue": "proofs/catalogue.md", "readme": "proofs/README.md"}

#: REPORT.md lists at most this many witnesses (all are in results.json).
MAX_WITNESS_ROWS = 60
#: Weights longer than this (characters of JSON) are left to results.json.
MAX_WEIGHTS_SHOWN = 200


def verdict_of(rec) -> str:
    v = rec.get("verdict") if isinstance(rec, dict) else None
    return "undecided" if v in (None, "inconclusive") else str(v)


def strength(rec) -> str:
    """'Q', 'p', 'e' or 'g' (STRENGTHS) for a case's certificate; '' when it has none."""
    cert = str(rec.get("certificate") or "")
    if not cert or cert == "None":
        return ""
    if cert.startswith("exhaustive"):
        return "p"
    if cert == "lower-bound":
        return "g"
    if cert in _PROVED:
        return "Q"
    if cert in _EVIDENCE:
        return "e"
    return "e"


#: Mark of a partial record in the grid (a case stopped before it finished).
PARTIAL_MARK = "*"


def grid_cell(rec) -> str:
    """One cell of the grid: verdict letter and certificate strength, e.g. 'H Q'; a partial
    record (a stopped case) gets PARTIAL_MARK, e.g. 'F Q*' (a failure its finished strata
    proved, the converse lost) or 'T*'."""
    v = verdict_of(rec)
    st = strength(rec) if v in ("holds", "fails") else ""
    mark = PARTIAL_MARK if is_partial(rec) and v not in ("timed-out", "error") else ""
    return (verdict_symbol(v) + (" " + st if st else "")).strip() + mark


def git_commit(root=None) -> str:
    """``git rev-parse HEAD`` of the checkout holding this package, else 'unknown'."""
    import subprocess
    root = Path(root) if root else Path(__file__).resolve().parents[2]
    if not (root / ".git").exists():
        return "unknown"
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


def environment(results: dict) -> dict:
    """Commit, seeds, versions (from the records) and CPU count of this report."""
    versions = {}
    for rec in results.get("cases", []):
        for k, v in (rec.get("versions") or {}).items():
            versions.setdefault(k, set()).add(str(v))
    join = lambda k: ", ".join(sorted(versions.get(k, {"unknown"})))
    return {"commit": git_commit(), "seeds": sorted({int(r.get("seed") or 0) for r in results.get("cases", [])}),
            "sage": join("sage"), "passagemath": join("passagemath-standard"), "python": join("python"),
            "cpus": os.cpu_count() or 1}


def reproduce_command(rec) -> str:
    """The command re-running a case's converse (the part that decides Crit in Sub)."""
    cmd = f"python -m verify converse {rec['arch']} --degree {rec['degree']}"
    method = rec.get("method") or "auto"
    if method != "auto":
        cmd += f" --method {method}"
    if rec.get("seed"):
        cmd += f" --seed {rec['seed']}"
    return cmd


def check_command(wid: str) -> str:
    return f"python -m verify check-witness results.json {wid}"


def _case_witnesses(rec) -> list:
    conv = rec.get("converse") if isinstance(rec.get("converse"), dict) else {}
    return [w for w in conv.get("witnesses") or [] if isinstance(w, dict) and "weights" in w]


def _inclusion(part, proof: str) -> str:
    """'yes'/'no'/'?' linked to the proof it rests on, with the certificate, and the
    coverage when it is not complete."""
    if not isinstance(part, dict):
        return "?"
    h = part.get("holds")
    out = f"[{ {True: 'yes', False: 'no'}.get(h, '?') }]({proof})"
    if h is None and part.get("reason"):
        return out + " " + _short(str(part["reason"]), 100)
    extra = [str(part["certificate"])] if part.get("certificate") else []
    cov = part.get("coverage")
    if cov and cov not in ("every stratum", "all-codimensions"):
        extra.append(str(cov))
    return out + (" " + ", ".join(extra) if extra else "")


def _threshold_theorems(archs) -> list[str]:
    """The threshold of each architecture as a theorem (proofs/threshold.md, section 16):
    proved, with its pieces, or the interval still open with its missing degrees."""
    theorems = [(a, e.get("theorem") or {}) for a, e in archs]
    proved = [a for a, t in theorems if t.get("status") == "proved"]
    assisted = [a for a, t in theorems if t.get("status") == "proved" and t.get("computer_assisted")]
    out = ["", "### The threshold as a theorem", "",
           "The least r_0 with Crit = Sub at every r >= r_0 is proved when three pieces meet "
           f"([threshold]({PROOFS['threshold']}), section 16): a failure at r_0 - 1 proved over Q "
           "(or r_0 = 2), Crit = Sub proved over Q at every degree from r_0 up to r* (a computer "
           "proof per degree: the theorem is then *computer-assisted*), and the proved statement "
           "from r*. GF(p) holds are evidence and leave a degree open. "
           f"Proved for {len(proved)} of {len(theorems)} architectures ({len(assisted)} "
           "computer-assisted).", ""]
    out += _table(["architecture", "threshold"],
                  [[a, _short(str(t.get("text") or t.get("reason") or "-"), 260)] for a, t in theorems])
    return out


def _prime_classes(rec) -> str:
    """For an exhaustive search, each prime with its class (proofs/exhaustive.md, section 4):
    which roots of unity of order 3, 4 and r it has, so a reader sees what it cannot see."""
    conv = rec.get("converse") if isinstance(rec.get("converse"), dict) else {}
    classes = (conv.get("details") or {}).get("prime_classes") or []
    return (" (" + "; ".join(str(c) for c in classes) + ")") if classes else ""


def _converse_proof(rec) -> str:
    conv = rec.get("converse") if isinstance(rec.get("converse"), dict) else {}
    method = str(conv.get("method") or (rec.get("crit_in_sub") or {}).get("method") or "")
    return PROOFS["exhaustive"] if method.startswith("exhaustive") else PROOFS["converse"]


def _case_row(rec, ids, listed=None) -> list:
    wids = [ids[id(w)] for w in _case_witnesses(rec) if id(w) in ids]
    link = lambda w: f"[{w}](#{w})" if listed is None or w in listed else f"`{w}`"
    wtext = ", ".join(link(w) for w in wids[:2]) + (f" +{len(wids) - 2}" if len(wids) > 2 else "")
    g = rec.get("generic_rank") or {}
    v = verdict_of(rec)
    st = strength(rec) if v in ("holds", "fails") else ""
    gv = g.get("value")
    gtext = "" if gv is None else (f"{gv}" if g.get("certificate") == "exact" else f"≥{gv}")
    if v == "outside-theorem":
        return [rec["arch"], rec["degree"], f"**[{v}]({PROOFS['threshold']})**", gtext,
                "", "", "", ""]
    mark = " [partial](#partial-records)" if is_partial(rec) else ""
    return [rec["arch"], rec["degree"], f"**{v}**" + (f" {st}" if st else "") + mark, gtext,
            _inclusion(rec.get("sub_in_crit"), PROOFS["strata"]),
            _inclusion(rec.get("crit_in_sub"), _converse_proof(rec)) + _prime_classes(rec),
            f"`{reproduce_command(rec)}`", wtext]


def _case_rows(cases, ids, merge=False, listed=None) -> list[list]:
    """One row per case; with ``merge``, consecutive degrees of one architecture whose rows
    agree except for the degree share a row (its command reproduces the first degree)."""
    rows = [_case_row(rec, ids, listed) for rec in cases]
    if not merge:
        return rows
    out, run = [], []

    def flush():
        if not run:
            return
        row = list(run[0][1])
        if len(run) > 1:
            row[1] = f"{run[0][0]['degree']}-{run[-1][0]['degree']}"
        out.append(row)

    for rec, row in zip(cases, rows):
        if run:
            prev_rec, prev_row = run[-1]
            same = (prev_rec["arch"] == rec["arch"] and rec["degree"] == prev_rec["degree"] + 1
                    and not row[7] and not prev_row[7]
                    and [c for i, c in enumerate(row) if i not in (1, 6)]
                    == [c for i, c in enumerate(prev_row) if i not in (1, 6)])
            if not same:
                flush()
                run = []
        run.append((rec, row))
    flush()
    return out


def _witness_rows(results, ids, limit=MAX_WITNESS_ROWS) -> tuple[list[list], int]:
    rows, seen = [], set()
    for rec in results["cases"]:
        for w in _case_witnesses(rec):
            wid = ids.get(id(w))
            if wid is None or wid in seen:
                continue
            seen.add(wid)
            if len(rows) >= limit:
                continue
            text = json.dumps(w.get("weights"), separators=(",", ":"))
            rows.append([f'<a id="{wid}"></a>`{wid}`', f"{rec['arch']} r={rec['degree']}",
                         w.get("field") or "QQ", f"{w.get('rank')} < {w.get('generic_rank')}"
                         if w.get("critical", True) else f"{w.get('rank')} / {w.get('generic_rank')}",
                         f"`{text}`" if len(text) < MAX_WEIGHTS_SHOWN else "in results.json",
                         f"`{check_command(wid)}`"])
    return rows, len(seen)


def assign_witness_ids(results: dict) -> dict:
    """Python id of each converse witness dict -> its witness id (stored as ``id`` in results.json)."""
    ids = {}
    for rec in results.get("cases", []):
        for w in _case_witnesses(rec):
            ids[id(w)] = w.get("id") or witness_id(rec["arch"], rec["degree"], w["weights"], w.get("field"))
    return ids


#: REPORT.md stays below this many bytes (rows of equal consecutive degrees merge past it).
MAX_REPORT_BYTES = 30_000


def render_markdown(results: dict, plots: list[str], env: dict | None = None) -> str:
    """REPORT.md: the grid first, then per case one row, thresholds, witnesses; under
    MAX_REPORT_BYTES (long witnesses stay in results.json, equal rows merge if needed)."""
    env = env or environment(results)
    for merge, rows in ((False, MAX_WITNESS_ROWS), (True, MAX_WITNESS_ROWS), (True, 30), (True, 15),
                        (True, 5), (True, 0)):
        text = _render_markdown(results, plots, env, merge=merge, max_witnesses=rows)
        if len(text.encode()) < MAX_REPORT_BYTES:
            break
    return text


def _render_markdown(results: dict, plots: list[str], env: dict, merge: bool,
                     max_witnesses: int = MAX_WITNESS_ROWS) -> str:
    cases = results["cases"]
    ids = assign_witness_ids(results)
    wrows, nwit = _witness_rows(results, ids, max_witnesses)
    listed = {row[0].split("`")[1] for row in wrows}
    plot = {Path(p).stem: p for p in plots}
    degrees = sorted({rec["degree"] for rec in cases})
    by = {(rec["arch"], rec["degree"]): rec for rec in cases}
    archs = sorted({rec["arch"] for rec in cases}, key=lambda a: tuple(map(int, a.split(","))))
    rstar = {rec["arch"]: rec.get("proven_threshold") for rec in cases}
    counts = Counter(verdict_of(r) for r in cases)
    lines = [
        "# Theorem report: critical points of deep monomial networks are subnetworks",
        "",
        f"Catalogue `{results['catalogue']}`, {len(cases)} cases; suite `{results['suite']}`, "
        f"commit `{env['commit']}`, seed {', '.join(map(str, env['seeds'])) or '0'}; "
        f"Sage {env['sage']} (passagemath {env['passagemath']}), Python {env['python']}, "
        f"{env['cpus']} CPUs. Written by `python -m verify sweep`; every cell is one record of "
        "`results.json`. Proofs: [proofs/README.md](proofs/README.md) (copied next to this file). "
        "The table of cases and the witnesses as CSV and LaTeX: [cases.csv](cases.csv), "
        "[cases.tex](cases.tex), [witnesses.csv](witnesses.csv), [witnesses.tex](witnesses.tex).",
        "",
        "## Verdicts: architecture x degree",
        "",
    ]
    head = ["architecture", "r*"] + [f"r={r}" for r in degrees]
    rows = [[a, "-" if rstar.get(a) is None else rstar[a]]
            + [grid_cell(by[(a, r)]) if (a, r) in by else "" for r in degrees] for a in archs]
    lines += _table(head, rows)
    lines += [
        "",
        "Letters: " + ", ".join(f"{verdict_symbol(v)} {v}" for v in VERDICTS) + "; "
        f"{PARTIAL_MARK} after a verdict: a partial record (the case was stopped; "
        "[partial records](#partial-records)). "
        "Certificate of a verdict: " + "; ".join(f"**{k}** {t}" for k, t in STRENGTHS.items()) + ". "
        "r* is the proven threshold (the best proved statement of " f"[threshold]({PROOFS['threshold']})); "
        "F below r* is expected, F at or above r* contradicts the theorem.",
        "",
        "Verdicts: " + "; ".join(f"{v} {counts[v]}" + _by_certificate(results.get("certificates", {}).get(v, {}))
                                 for v in VERDICTS if counts.get(v)) + ".",
        ("**Contradictions of the theorem above its proven threshold: "
         + ", ".join(results["contradictions"]) + "**") if results["contradictions"]
        else "No check contradicts the theorem above its proven threshold.",
        "",
    ]
    if "verdict_grid" in plot:
        lines += [f"![verdict grid]({plot['verdict_grid']})", ""]
    lines += _partial_section(results)
    lines += ["## Cases", "",
              "Sub in Crit: every subnetwork stratum is critical; Crit in Sub: every critical point "
              "is a subnetwork; each links to the proof it rests on and names its certificate "
              "(and its coverage when not every stratum / codimension). g is the generic rank (≥: "
              "a proved lower bound only). Reproduce a case with its command; witnesses are "
              "re-checked below."
              + (" Consecutive degrees with the same row share it (the command is for the first)."
                 if merge else ""), ""]
    lines += _table(["arch", "r", "verdict", "g", "Sub in Crit", "Crit in Sub", "reproduce",
                     "witnesses"], _case_rows(cases, ids, merge=merge, listed=listed))
    if "rank_drops" in plot:
        lines += ["", "Rank drop of J on each subnetwork stratum, per architecture (Sub in Crit: "
                  "a drop > 0 means the stratum is critical; filled = the predicted drop, hollow = "
                  f"a different drop). The prediction is the formula of [strata]({PROOFS['strata']}) "
                  "section 3: the stratum's kernel vectors counted when the rest of the network is "
                  "generic (g = N - H). It can differ (section 6) when the network fills (g = A), "
                  "is defective, the removal leaves a hidden layer of width one or a filling part, "
                  "or r = 2; each stratum record's `note` in results.json names the reason. "
                  "Criticality is the drop > 0, whatever the formula says.", "",
                  f"![rank drops]({plot['rank_drops']})"]
    lines += ["", "## Thresholds", "",
              "Proven thresholds side by side: r*_B of Theorem T (the first release), r* (the "
              "least value of every proved statement of proofs/threshold.md: Theorems T, T2, T3, "
              "Propositions S, S2, S3), how r* is obtained, and the empirical threshold from the "
              "per-degree records.", ""]
    rows = []
    archs = sorted(results["architectures"].items(), key=lambda kv: tuple(map(int, kv[0].split(","))))
    for arch, entry in archs:
        chk = entry.get("proven_check") or {}
        proven = entry.get("proven") or {}
        old, new = proven.get("theorem_t"), proven.get("value")
        rows.append([arch, "-" if old is None else old,
                     "-" if new is None else (f"**{new}**" if old is not None and new < old else new),
                     _short(_threshold_cell(proven), 90),
                     _short(_threshold_cell(entry.get("empirical")), 110),
                     _short(str(chk.get("status", "")), 110)])
    lines += _table(["architecture", "r*_B (T)", "r* (best)", "proven", "empirical (all-codimension holds only)",
                     "checked at or above r*?"], rows)
    lower = [a for a, e in archs if (e.get("proven") or {}).get("theorem_t") is not None
             and e["proven"]["value"] < e["proven"]["theorem_t"]]
    if lower:
        lines += ["", f"The later statements lower the proven threshold of {len(lower)} "
                      f"architectures (bold): {', '.join(lower)}."]
    lines += _threshold_theorems(archs)
    checked = [a for a, e in archs if (e.get("proven_check") or {}).get("checked")]
    with_r = [a for a, e in archs if (e.get("proven_check") or {}).get("r_star") is not None]
    lines += ["", f"{len(checked)} of {len(with_r)} architectures with a proven r* were checked "
                  f"at or above it; the last column says for each of the others which degree "
                  f"was not decided and why."]
    from ..theorem.threshold import threshold_fit
    fit = threshold_fit([e.get("empirical") or {} for _, e in archs])
    if fit:
        names = list(fit[0]["candidates"])
        lines += ["", "Observed thresholds (exact from below) against candidate closed forms "
                      "(`threshold_fit`; x = the candidate fails):", ""]
        lines += _table(["architecture", "observed"] + names,
                        [[f["arch"], f["observed"]] + [f"{f['candidates'][n]}" + ("" if f["matches"][n] else " x")
                                                       for n in names] for f in fit])
    if "thresholds" in plot:
        lines += ["", f"![thresholds]({plot['thresholds']})"]
    lines += ["", "## Witnesses: critical points outside Sub", ""]
    if nwit:
        lines += [f"Each re-verified exactly over its field by the converse; re-check one from this "
                  f"folder with its command ([converse]({PROOFS['converse']})). Weights longer than "
                  f"{MAX_WEIGHTS_SHOWN} characters are only in `results.json`."]
        if nwit > len(wrows):
            lines += [f"The first {len(wrows)} of {nwit}; all are in `results.json`, and "
                      "`python -m verify check-witness results.json ID` re-checks any id of the "
                      "table of cases."]
        if wrows:
            lines += [""] + _table(["id", "case", "field", "rank < g", "weights", "re-check"], wrows)
        classes = results.get("non_subnetwork_critical_points") or []
        fam = Counter(str(w.get("family") or "unclassified") for w in classes)
        if classes:
            lines += ["", f"{len(classes)} classes up to the symmetries ([catalogue]({PROOFS['catalogue']})): "
                      + ", ".join(f"{k} {n}" for k, n in sorted(fam.items())) + "."]
    else:
        lines.append("None found in this catalogue.")
    others = [p for stem, p in sorted(plot.items()) if stem not in ("verdict_grid", "rank_drops", "thresholds")]
    if others:
        lines += ["", "## Other figures", ""] + [f"![{Path(p).stem}]({p})" for p in others]
    if not plots:
        lines += ["", "Figures not drawn: verify.run.plots drew nothing (matplotlib missing or a plotting error)."]
    return "\n".join(lines) + "\n"


#: REPORT.md lists at most this many partial records (all are in results.json).
MAX_PARTIAL_ROWS = 40


def _partial_section(results: dict) -> list[str]:
    """'Partial records': every case stopped before it finished, with what stopped it and
    what it had finished; these make the report depend on the machine's load and are rerun
    by the next sweep unless ``--keep-partial``."""
    part = results.get("partial") or []
    if not part:
        return []
    lines = ["## Partial records", "",
             f"{len(part)} case(s) were stopped before they finished (timeout, kill, crash or "
             "memory limit). Their records keep the parts finished before the stop; a `fails` "
             "among them was proved by those parts (a stratum not critical), the converse lost. "
             "Whether a case near its timeout finishes depends on the machine's load, so these "
             "rows are not reproducible byte for byte; the next sweep reruns them "
             "(`--keep-partial` keeps them).", ""]
    lines += _table(["case", "verdict", "stopped", "finished parts", "reason"],
                    [[e["case"], e["verdict"], e["stop"], ", ".join(e["kept"]) or "none",
                      _short(e["reason"], 160)] for e in part[:MAX_PARTIAL_ROWS]])
    if len(part) > MAX_PARTIAL_ROWS:
        lines += ["", f"The first {MAX_PARTIAL_ROWS} of {len(part)}; all are in `results.json` (`partial`)."]
    return lines + [""]


def _short(text: str, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[:n - 1] + "…"


def _draw_plots(results: dict, outdir: Path) -> list[str]:
    """PNG and SVG via verify.run.plots; returns the PNG files (relative to outdir)."""
    from .plots import draw_report_plots, plot_verdict_grid
    files = []
    try:
        files += plot_verdict_grid(results, outdir / "verdict_grid", cell=grid_cell) or []
    except Exception:                       # a plotting bug must not lose the report
        pass
    try:
        files += draw_report_plots(results, outdir) or []
    except Exception:
        pass
    return sorted(os.path.relpath(str(f), str(outdir)) for f in files if str(f).endswith(".png"))


def proofs_source():
    """The folder of proofs/*.md: the source checkout's proofs/, else the installed verify/proofs."""
    top = Path(__file__).resolve().parents[2] / "proofs"
    if top.is_dir():
        return top
    inside = Path(__file__).resolve().parents[1] / "proofs"
    return inside if inside.is_dir() else None


def copy_proofs(outdir: Path) -> list[str]:
    """Copy proofs/*.md next to REPORT.md (REPORT_DIR/proofs) so its links resolve anywhere."""
    src = proofs_source()
    if src is None:
        return []
    dest = outdir / "proofs"
    dest.mkdir(exist_ok=True)
    out = []
    for f in sorted(src.glob("*.md")):
        _write_atomic(dest / f.name, f.read_text())
        out.append(f.name)
    return out


def write_report(entries, outdir, catalogue: str) -> dict:
    """Write results.json, timings.json, REPORT.md, catalogue.md (the witness catalogue,
    proofs/catalogue.md for the default catalogue), the exports cases.csv, cases.tex,
    witnesses.csv, witnesses.tex (:mod:`verify.run.export`) and the plots under ``outdir``;
    every file's mode honours the umask (0644 under 022)."""
    from .general import is_general_record
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    records = [e["record"] for e in entries]
    general = any(is_general_record(r) for r in records)
    results = build_results([r for r in records if not is_general_record(r)], catalogue)
    if general:                                   # issue 22: the comparison of activations
        from .activations_report import activation_results
        results["activations"] = activation_results(records)
    _write_atomic(outdir / "results.json", json.dumps(results, sort_keys=True, indent=1) + "\n")
    _write_atomic(outdir / "timings.json",
                  json.dumps(build_timings(entries), sort_keys=True, indent=1) + "\n")
    plots = _draw_plots(results, outdir) if results["cases"] or not general else []
    copy_proofs(outdir)
    from .export import write_exports
    write_exports(results, outdir, _write_atomic)
    _write_atomic(outdir / "REPORT.md", render_markdown(results, plots) + (
        "\nGeneral activations and biases (issue 22): [ACTIVATIONS.md](ACTIVATIONS.md), "
        "[activations.csv](activations.csv).\n" if general else ""))
    if general:
        from .activations_report import activations_csv, activations_markdown
        _write_atomic(outdir / "ACTIVATIONS.md", activations_markdown(results["activations"], catalogue))
        _write_atomic(outdir / "activations.csv", activations_csv(results["activations"]))
    from ..theorem.witnesses import catalogue_markdown
    _write_atomic(outdir / "catalogue.md", catalogue_markdown(
        results.get("non_subnetwork_critical_points") or [],
        generated_by="make verify (report/catalogue.md)" if catalogue == "default" else
        f"python -m verify sweep, catalogue {catalogue} (REPORT/catalogue.md)"))
    return results


def _by_certificate(counts: dict) -> str:
    shown = {c: n for c, n in counts.items() if c != "None"}
    return " (" + ", ".join(f"{n} {c}" for c, n in shown.items()) + ")" if shown else ""


def summary_table(results: dict) -> str:
    """The terminal summary: one row per architecture, one letter per degree (a sweep of general
    cases only: their lines)."""
    if not results["cases"] and results.get("activations"):
        return _general_summary(results["activations"])
    degrees = sorted({rec["degree"] for rec in results["cases"]})
    archs = sorted(results["architectures"], key=lambda a: tuple(map(int, a.split(","))))
    width = max([len("architecture")] + [len(a) for a in archs])
    head = f"{'architecture':<{width}}  r*  " + " ".join(f"{r:>2}" for r in degrees)
    lines = [head, "-" * len(head)]
    rstar = {rec["arch"]: rec.get("proven_threshold") for rec in results["cases"]}
    stopped = {(rec["arch"], str(rec["degree"])) for rec in results["cases"] if is_partial(rec)}
    for a in archs:
        v = results["architectures"][a]["verdicts"]
        rs = rstar.get(a)
        cell = lambda r: "" if str(r) not in v else verdict_symbol(v[str(r)]) + (
            PARTIAL_MARK if (a, str(r)) in stopped and v[str(r)] not in ("timed-out", "error") else "")
        lines.append(f"{a:<{width}}  {'-' if rs is None else rs:>2}  "
                     + " ".join(f"{cell(r):>2}" for r in degrees))
    lines.append("")
    lines.append("letters: " + ", ".join(f"{s}={v}" for v, s in _SYMBOLS.items())
                 + f"; {PARTIAL_MARK} = partial (stopped)")
    lines.append("verdicts: " + "; ".join(
        f"{k} {n}" + _by_certificate(results.get("certificates", {}).get(k, {}))
        for k, n in results["counts"].items()))
    if results.get("partial"):
        lines.append(f"partial records (cases stopped before they finished): {len(results['partial'])}; "
                     "the next sweep reruns them (--keep-partial keeps them)")
    if results["contradictions"]:
        lines.append("CONTRADICTIONS above the proven threshold: " + ", ".join(results["contradictions"]))
    else:
        lines.append("no check contradicts the theorem above its proven threshold")
    if results.get("activations"):
        lines += ["", _general_summary(results["activations"])]
    return "\n".join(lines)


def _general_summary(block: dict) -> str:
    """The terminal lines of the general cases (issue 22): one per case, then the counts."""
    from .catalogue import record_label
    lines = ["general activations and biases (ACTIVATIONS.md):"]
    for rec in block.get("cases", []):
        g = rec.get("generic_rank") if isinstance(rec.get("generic_rank"), dict) else {}
        cert = f" ({rec['certificate']})" if rec.get("certificate") else ""
        lines.append(f"  {record_label(rec)}: g = {g.get('value')}, {verdict_of(rec)}{cert}"
                     + (f" {PARTIAL_MARK}" if is_partial(rec) else ""))
    lines.append("general verdicts: " + "; ".join(f"{k} {n}" for k, n in block.get("counts", {}).items()))
    return "\n".join(lines)
