"""The atlas: every small architecture, each (architecture, degree) run as a sweep case.

Serves proofs/README.md (the theorem checked case by case) over a whole range of
architectures instead of a hand-picked catalogue.  An architecture is d = (d_0, ..., d_L)
with L >= 2 weight layers, input width d_0 >= 2, hidden widths d_1, ..., d_(L-1) >= 2
and output width d_L >= 1; its size is the number of weights N = sum_l d_l d_(l-1).
:func:`enumerate_architectures` lists every one with N <= max_params (50 for N <= 16,
279 for N <= 24, 4,418 for N <= 40).  **No reduction is used**: no architecture is
dropped or merged by a symmetry or a dominance argument; every one in scope is a case.

Tiers (:data:`TIERS`): ``ranks`` runs the generic rank and the subnetwork strata only
(method ``none``: :func:`verify.theorem.case.run_case` then runs the parts
generic_rank, strata, threshold), ``converse`` runs the full case (method ``auto``, the
dispatcher's strongest all-codimension certificate).  The cases go through
:func:`verify.run.sweep.run_sweep` (cache ``DIR/cache/cases.jsonl``, resume, ``jobs``,
per-case timeouts, one process per case); :func:`write_atlas` writes ``ATLAS.md``,
``atlas.csv``, ``atlas.html`` (sortable table, inline JavaScript) and the figure
``threshold_vs_width.{png,svg}``.

Marks of the generic rank g at degree r (A the ambient dimension, H the hidden neurons):
``defective`` if g < min(N - H, A), ``filling`` if g = A, ``expected`` otherwise; the
exactness is ``exact`` when the record's certificate is exact or the strata part proved
an upper bound equal to g (``subnetwork-reduction``), else ``lower-bound`` (then a
``defective`` mark is not proved).

EXAMPLES::

    sage: from verify.run.atlas import enumerate_architectures, rank_mark
    sage: [str(a) for a in enumerate_architectures(8)]
    ['2,2,1', '2,2,2', '3,2,1']
    sage: len(enumerate_architectures(16)), len(enumerate_architectures(16, max_depth=2))
    (50, 31)
    sage: rank_mark(5, 6, 6), rank_mark(6, 6, 6), rank_mark(4, 4, 10)
    ('defective', 'filling', 'expected')
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import operator
from pathlib import Path

from ..core.architecture import Architecture, parse_degrees
from ..core.errors import InputError

__all__ = ["enumerate_architectures", "atlas_specs", "run_atlas", "write_atlas", "atlas_rows",
           "rank_mark", "ah_defective", "unfinished_cases", "TIERS", "MAX_ATLAS_PARAMS",
           "AH_EXCEPTIONS"]

#: The two tiers: method of the converse, default scope and default timeout per case (s).
#: The converse tier's 20 s comes from its measured distribution (2 cores, N <= 24, r <= 6):
#: nine cases in ten finish in under 3 s; nearly all the rest fall through to random slices
#: (evidence only: they can end ``fails`` or ``undecided``, never ``holds``) and run for
#: minutes.  A stopped case is ``timed-out`` with what it was running (``undecided`` when that
#: was the random slices, which never decide it, with the limits that refused the exact
#: methods) and keeps its generic rank and strata (verify/run/case_process.py), a partial
#: record: the next run
#: reruns it unless ``--keep-partial`` (the Makefile passes it), and a longer ``--timeout``
#: reruns it anyway.
TIERS = {
    "ranks": {"method": "none", "max_params": 40, "degrees": "2-8", "timeout": 120.0,
              "what": "generic rank and subnetwork strata only (no converse)"},
    "converse": {"method": "auto", "max_params": 24, "degrees": "2-6", "timeout": 20.0,
                 "what": "full case: generic rank, strata and the converse with its strongest "
                         "certificate"},
}

#: Largest --max-params (the count grows about like 1.2^N: 4,418 at 40).
MAX_ATLAS_PARAMS = 48

#: Alexander-Hirschowitz exceptions (d_0, r, d_1) besides r = 2 (shallow, single output).
AH_EXCEPTIONS = {(3, 4, 5), (4, 4, 9), (5, 3, 7), (5, 4, 14)}

#: The candidate closed forms the "Surprises" section tests (keys of threshold.CANDIDATES).
SURPRISE_CANDIDATES = ("2 d_1 - 1", "2 max_l d_l - 1", "conjecture of section 12")


# --- enumeration -------------------------------------------------------------------------

def _integer(value, name: str, least: int) -> int:
    """``value`` as an int >= ``least`` (Sage and numpy integers too), else InputError."""
    try:
        if isinstance(value, bool):
            raise TypeError
        value = operator.index(value)
    except TypeError:
        raise InputError(f"{name} must be an integer >= {least}, got {value!r}"[:200])
    if value < least:
        raise InputError(f"{name} must be an integer >= {least}, got {value}")
    return value


def enumerate_architectures(max_params: int, max_depth: int | None = None) -> list[Architecture]:
    """Every architecture with N <= ``max_params`` (and L <= ``max_depth``), sorted by
    (N, L, widths).  Built breadth first: the prefixes (d_0, ..., d_k), all >= 2, whose
    weights so far leave room for one more layer, are extended one width at a time; each
    prefix with k >= 1 is closed by every output width that fits."""
    max_params = _integer(max_params, "--max-params", 1)
    if max_params > MAX_ATLAS_PARAMS:
        raise InputError(f"--max-params {max_params} is above {MAX_ATLAS_PARAMS} (limit)")
    if max_depth is not None:
        max_depth = _integer(max_depth, "--max-depth", 2)
    out = []
    layer = [((d0,), 0) for d0 in range(2, max_params + 1)]     # (prefix, weights so far)
    while layer:
        nxt = []
        for prefix, n in layer:
            room = (max_params - n) // prefix[-1]                 # largest next width
            depth = len(prefix)                                   # L if closed now
            if depth >= 2 and (max_depth is None or depth <= max_depth):
                out.extend(prefix + (dl,) for dl in range(1, room + 1))
            if max_depth is None or depth + 1 <= max_depth:       # room for a hidden layer
                nxt.extend((prefix + (h,), n + prefix[-1] * h) for h in range(2, room + 1))
        layer = nxt
    archs = [Architecture(w) for w in out]
    return sorted(archs, key=lambda a: (a.params, a.depth, a.widths))


def atlas_specs(archs, degrees, tier: str, timeout=None, seed: int = 0, prime=None,
                memory_gib=None) -> list:
    """One :class:`verify.run.sweep.CaseSpec` per (architecture, degree), in atlas order."""
    from .sweep import CaseSpec
    if tier not in TIERS:
        raise InputError(f"--tier must be one of {', '.join(TIERS)}, got {tier!r}")
    degrees = parse_degrees(degrees) if isinstance(degrees, str) else list(degrees)
    if not degrees:
        raise InputError("no degrees selected")
    method = TIERS[tier]["method"]
    return [CaseSpec(str(a), r, seed, prime, method, timeout, False, memory_gib=memory_gib)
            for a in archs for r in sorted(set(degrees))]


def cheap_first(specs) -> list:
    """``specs`` ordered by the cost guard's estimate of the bits of the exact Jacobian
    (:func:`verify.core.cost.estimate`, from the architecture and the degree alone), cheapest
    first, ties in the given order: an interrupted or time-limited run has decided as many
    cases as it could (measured on the converse tier: the estimate's rank correlation with
    the case's seconds is about 0.5, better than N or r alone)."""
    from ..core.cost import estimate
    cost = {}
    for s in specs:
        if (s.arch, s.degree) not in cost:
            cost[(s.arch, s.degree)] = estimate(Architecture.parse(s.arch), s.degree)["log2_bits"]
    order = sorted(range(len(specs)), key=lambda i: (cost[(specs[i].arch, specs[i].degree)], i))
    return [specs[i] for i in order]


def run_atlas(specs, report, tier: str, scope: dict, jobs: int = 1, fresh: bool = False,
              progress: bool = True, wait: bool = True, dask_client=None,
              keep_partial: bool = False) -> tuple[list, dict]:
    """Run ``specs`` through :func:`verify.run.sweep.run_sweep`, cheapest first
    (:func:`cheap_first`; in chunks of at most MAX_CASES, the sweep's limit, each under the
    folder's lock), and write the atlas after the last chunk, under its lock; cached partial
    records (stopped cases) are rerun unless ``keep_partial``.  Returns
    (cache entries in the order of ``specs``, summary of the atlas)."""
    from ..core.cost import MAX_CASES
    from .sweep import run_sweep
    report = Path(report)
    cache = report / "cache" / "cases.jsonl"
    order = cheap_first(specs)
    chunks = [order[i:i + MAX_CASES] for i in range(0, len(order), MAX_CASES)] or [[]]
    found: dict = {}                                   # spec -> cache entry

    def in_atlas_order():
        return [found[s] for s in specs]
    summary: dict = {}
    for n, chunk in enumerate(chunks):
        if n < len(chunks) - 1:
            found.update(zip(chunk, run_sweep(chunk, cache, jobs=jobs, fresh=fresh,
                                              dask_client=dask_client, progress=progress,
                                              wait=wait, keep_partial=keep_partial)))
            continue

        def after(es, chunk=chunk):
            found.update(zip(chunk, es))
            return write_atlas(in_atlas_order(), report, tier, scope)
        _, summary = run_sweep(chunk, cache, jobs=jobs, fresh=fresh, dask_client=dask_client,
                               progress=progress, wait=wait, after=after,
                               keep_partial=keep_partial)
    return in_atlas_order(), summary


# --- per-architecture rows ---------------------------------------------------------------

def rank_mark(g, expected: int, ambient: int) -> str:
    """``defective`` (g < min(N - H, A)), ``filling`` (g = A) or ``expected``."""
    if g is None:
        return "-"
    if g < expected:
        return "defective"
    if g == ambient:
        return "filling"
    return "expected"


def ah_defective(widths, r: int) -> bool | None:
    """Alexander-Hirschowitz for shallow single-output networks (d_0, d_1, 1): the variety of
    sums of d_1 r-th powers of linear forms in d_0 variables is defective iff r = 2 and
    2 <= d_1 <= d_0 - 1, or (d_0, r, d_1) is one of AH_EXCEPTIONS.  None for other shapes."""
    d = tuple(widths)
    if len(d) != 3 or d[2] != 1 or d[0] < 2:
        return None
    return (r == 2 and 2 <= d[1] <= d[0] - 1) or (d[0], r, d[1]) in AH_EXCEPTIONS


def _generic_rank_cell(rec: dict) -> dict:
    """g, its certificate and exactness, and its mark, from one record."""
    arch = Architecture.parse(rec["arch"])
    r = int(rec["degree"])
    g = rec.get("generic_rank") or {}
    value = g.get("value") if isinstance(g.get("value"), int) else None
    cert = g.get("certificate")
    exact = cert == "exact"
    if value is not None and not exact:            # a proved upper bound from the strata part
        strata = rec.get("strata") or {}
        for s in strata.get("records") or []:
            if s.get("generic_rank_exact") and s.get("generic_rank_upper_bound") == value \
                    and s.get("generic_rank") == value:
                exact, cert = True, "subnetwork-reduction"
                break
    expected, ambient = arch.expected_dimension(r), arch.ambient(r)
    strata = rec.get("strata") or {}
    return {"value": value, "certificate": cert, "exact": exact if value is not None else None,
            "mark": rank_mark(value, expected, ambient), "expected": expected, "ambient": ambient,
            "strata_critical": _strata_critical(strata),
            "verdict": rec.get("verdict"), "case_certificate": rec.get("certificate"),
            "reason": g.get("reason") if value is None else None}


def _strata_critical(strata: dict):
    """True: every stratum shown critical; False: one shown not critical; None: neither
    (the part did not run, or some stratum is undecided and none fails)."""
    from ..sub_in_crit.stratum_rank import every_stratum_critical
    recs = strata.get("records") if strata.get("verdict") == "run" else None
    return every_stratum_critical(recs) if recs else None


def unfinished_cases(records, tier: str) -> list[dict]:
    """Cases that gave no complete answer for the tier, each with its reason: timed-out and
    error everywhere; a partial record (a case stopped after its strata proved a failure,
    verdict ``fails (partial)``, the converse lost); in the ranks tier a generic rank or
    strata part that did not run; in the converse tier also every undecided case (reasons
    from the record)."""
    out = []
    for rec in records:
        verdict = rec.get("verdict")
        why = None
        partial = rec.get("partial") if isinstance(rec.get("partial"), dict) else None
        if verdict in ("timed-out", "error"):
            why = "; ".join(map(str, rec.get("reasons") or [])) or verdict
        elif partial is not None:
            verdict, why = f"{verdict} (partial)", str(partial.get("reason") or "stopped")
        elif tier == "ranks":
            missing = [f"{p}: {(rec.get(p) or {}).get('reason')}" for p in ("generic_rank", "strata")
                       if (rec.get(p) or {}).get("verdict") == "not-run"]
            if missing:
                verdict, why = "incomplete", "; ".join(missing)
        elif verdict == "undecided":
            why = "; ".join(map(str, rec.get("reasons") or [])) or "undecided"
        if why is not None:
            out.append({"arch": rec["arch"], "degree": rec["degree"], "verdict": verdict,
                        "reason": why})
    return out


def _families(records) -> tuple[dict, str | None]:
    """r -> sorted families of the catalogued witnesses (theorem/witnesses.py), or an error."""
    if not any((rec.get("converse") or {}).get("witnesses") for rec in records):
        return {}, None
    try:
        from ..theorem.witnesses import catalogue_entries
        entries = catalogue_entries(records)
    except Exception as e:                          # the atlas is still written; say why
        return {}, f"{type(e).__name__}: {e}"[:300]
    fam: dict[int, set] = {}
    for e in entries:
        fam.setdefault(int(e["degree"]), set()).add(e["family"])
    return {r: sorted(v) for r, v in fam.items()}, None


def _witness_module_digest() -> str:
    """Digest of theorem/witnesses.py, which sorts witnesses into families: not a module that
    computes a case (so not in suite_version), but the families memo depends on it."""
    from ..theorem import witnesses
    return hashlib.sha256(Path(witnesses.__file__).read_bytes()).hexdigest()[:12]


def _families_key(records, suite: str) -> str:
    """Digest of what decides an architecture's families: the suite version and its witnesses."""
    ws = sorted(str(w.get("id") or json.dumps(w.get("weights"), sort_keys=True))
                for rec in records for w in ((rec.get("converse") or {}).get("witnesses") or [])
                if isinstance(w, dict))
    text = json.dumps({"suite": suite, "arch": records[0]["arch"],
                       "witnesses": ws, "degrees": sorted(int(rec["degree"]) for rec in records)})
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _families_memo(records, memo: dict | None, suite: str | None):
    """:func:`_families`, looked up in / stored into ``memo`` (key: :func:`_families_key`);
    the classification of witnesses under the symmetries costs ~0.1 s a witness."""
    if memo is None or suite is None or not records:
        return _families(records)
    key = _families_key(records, suite)
    if key in memo:
        return {int(r): f for r, f in memo[key].items()}, None
    fams, error = _families(records)
    if error is None:
        memo[key] = {str(r): f for r, f in fams.items()}
    return fams, error


def atlas_rows(records, tier: str, memo: dict | None = None, suite: str | None = None) -> list[dict]:
    """One row per architecture: counts, per-degree generic rank cells, the observed
    threshold (summarise_degrees) with its weakest certificate, the proven r*, the families
    of non-subnetwork critical points below the observed threshold (``memo``, ``suite``:
    families found before, see :func:`_families_memo`)."""
    from ..theorem.threshold import conjectured_threshold, summarise_degrees, threshold_theorem
    by_arch: dict[str, list] = {}
    for rec in records:
        by_arch.setdefault(rec["arch"], []).append(rec)
    rows = []
    for name, recs in by_arch.items():
        arch = Architecture.parse(name)
        recs = sorted(recs, key=lambda rec: rec["degree"])
        d = arch.widths
        summ = summarise_degrees(arch, recs)
        fams, fam_error = _families_memo(recs, memo, suite) if tier == "converse" else ({}, None)
        r0 = summ.get("empirical_threshold")
        below = {r: f for r, f in fams.items() if r0 is None or r < r0}
        last_failure = max((rec for rec in recs if rec.get("verdict") == "fails"),
                           key=lambda rec: rec["degree"], default=None)
        rows.append({
            "arch": name, "widths": list(d), "L": arch.depth, "N": arch.params, "H": arch.hidden,
            "d_0": d[0], "d_1": d[1], "max_hidden": max(d[1:-1]), "d_L": d[-1],
            "ranks": {int(rec["degree"]): _generic_rank_cell(rec) for rec in recs},
            "observed_threshold": r0, "exact_from_below": summ.get("exact_from_below"),
            "threshold_lower_bound": None if last_failure is None else 1 + last_failure["degree"],
            "lower_bound_certificate": None if last_failure is None else last_failure.get("certificate"),
            "threshold_certificate": summ.get("weakest_certificate"),
            "threshold_text": summ.get("certificate_text"),
            "proven_threshold": next((rec.get("proven_threshold") for rec in recs
                                      if rec.get("proven_threshold") is not None), None),
            "conjectured_threshold": conjectured_threshold(d),
            "threshold_theorem": threshold_theorem(arch, recs) if tier == "converse" else None,
            "families": {str(r): f for r, f in sorted(below.items())},
            "families_error": fam_error,
            "contradicts_theorem": any(rec.get("contradicts_theorem") for rec in recs),
        })
    return sorted(rows, key=lambda row: (row["N"], row["L"], tuple(row["widths"])))


# --- analysis ----------------------------------------------------------------------------

def _candidates_where(widths, wrong) -> dict:
    """The SURPRISE_CANDIDATES whose value at ``widths`` satisfies ``wrong``, with the value."""
    from ..theorem.threshold import CANDIDATES
    values = {k: CANDIDATES[k](widths) for k in SURPRISE_CANDIDATES}
    return {k: v for k, v in values.items() if wrong(v)}


def _surprises(rows) -> dict:
    closed = []
    for row in rows:
        r0 = row["observed_threshold"]
        if r0 is None or not row["exact_from_below"]:
            continue
        misses = _candidates_where(row["widths"], lambda v: v != r0)
        if misses:
            closed.append({"arch": row["arch"], "observed": r0,
                           "certificate": row["threshold_certificate"], "candidates": misses})
    above = []
    for row in rows:
        low = row["threshold_lower_bound"]
        if low is None:
            continue
        refuted = _candidates_where(row["widths"], lambda v: v < low)
        if refuted:
            above.append({"arch": row["arch"], "fails_at": low - 1,
                          "certificate": row["lower_bound_certificate"], "candidates": refuted})
    ah = []
    for row in rows:
        for r, cell in row["ranks"].items():
            predicted = ah_defective(row["widths"], r)
            if predicted is None or cell["value"] is None:
                continue
            seen = cell["mark"] == "defective"
            if seen != predicted:
                ah.append({"arch": row["arch"], "degree": r, "g": cell["value"],
                           "expected": cell["expected"], "exact": cell["exact"],
                           "predicted": "defective" if predicted else "not defective",
                           "observed": cell["mark"]})
    new = [{"arch": row["arch"], "degree": r} for row in rows
           for r, f in row["families"].items() if "new" in f]
    return {"closed_forms": closed, "below_a_failure": above, "alexander_hirschowitz": ah,
            "new_families": new}


def _verdicts_by_degree(records, degrees) -> dict:
    """Verdict (holds split by certificate: ``holds (proved over Q)``, ``holds (GF(p))``)
    -> degree -> number of cases."""
    out: dict[str, dict[int, int]] = {}
    for rec in records:
        v = str(rec.get("verdict"))
        if v == "holds":
            v = "holds (proved over Q)" if rec.get("certificate") == "proved-over-Q" else \
                "holds (exhaustive over GF(p))" if str(rec.get("certificate", "")).startswith(
                    "exhaustive") else f"holds ({rec.get('certificate')})"
        row = out.setdefault(v, {r: 0 for r in degrees})
        row[int(rec["degree"])] = row.get(int(rec["degree"]), 0) + 1
    return dict(sorted(out.items()))


def _running_counts(unfinished) -> dict:
    """What the unfinished cases were running when stopped (from their reasons) -> count."""
    out: dict[str, int] = {}
    for u in unfinished:
        text = str(u["reason"])
        mark = "(it was running: "
        what = text[text.index(mark) + len(mark):] if mark in text else u["verdict"]
        what = what[:-1] if mark in text and what.endswith(")") else what
        if what.startswith("converse (") and what.endswith(")"):   # its method, last stage
            stages = what[len("converse ("):-1].split(": ")
            what = f"converse/{stages[-1]}" + (" after a reduction" if len(stages) > 1 else "")
        out[what] = out.get(what, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def _rank_counts(rows, degrees) -> dict:
    """Label -> degree -> number of architectures: how g was certified, its mark, and
    whether every subnetwork stratum was shown critical (Sub in Crit)."""
    labels = ("g exact", "g a lower bound only", "g not computed", "defective", "filling",
              "expected", "every stratum critical (Sub in Crit)", "a stratum not critical",
              "strata not decided")
    out = {k: {r: 0 for r in degrees} for k in labels}
    for row in rows:
        for r, c in row["ranks"].items():
            g = ("g not computed" if c["value"] is None else
                 "g exact" if c["exact"] else "g a lower bound only")
            out[g][r] += 1
            if c["value"] is not None:
                out[c["mark"]][r] += 1
            out[{True: "every stratum critical (Sub in Crit)", False: "a stratum not critical"}
                .get(c["strata_critical"], "strata not decided")][r] += 1
    return out


def _proved_counts(records, degrees) -> dict:
    """Degree -> number of architectures with verdict holds, certificate proved-over-Q."""
    out = {r: 0 for r in degrees}
    for rec in records:
        if rec.get("verdict") == "holds" and rec.get("certificate") == "proved-over-Q":
            out[int(rec["degree"])] = out.get(int(rec["degree"]), 0) + 1
    return out


# --- writing -----------------------------------------------------------------------------

#: The mark of g in the atlas's per-degree columns: letters that the sweep's grid does not use
#: (there F is fails and E error).
RANK_MARKS = {"defective": "D", "filling": "A", "expected": "N"}
RANK_MARK_TEXT = ("D defective: g < min(N - H, A); A filling: g = A, the ambient dimension; "
                  "N expected: g = N - H < A")
RANK_LEGEND = RANK_MARK_TEXT + "; ? = lower bound only"


def _rank_text(cell: dict) -> str:
    if cell["value"] is None:
        return cell["verdict"] or "-"
    mark = RANK_MARKS[cell["mark"]]
    return f"{cell['value']} {mark}{'' if cell['exact'] else '?'} ({cell['verdict']})"


def _csv_text(rows, degrees) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    head = ["arch", "L", "N", "H", "d_0", "d_1", "max_hidden", "d_L"]
    for r in degrees:
        head += [f"g_r{r}", f"g_r{r}_certificate", f"g_r{r}_exact", f"mark_r{r}",
                 f"strata_critical_r{r}", f"verdict_r{r}", f"certificate_r{r}"]
    head += ["observed_threshold", "threshold_exact_from_below", "threshold_certificate",
             "threshold_lower_bound", "lower_bound_certificate", "proven_threshold",
             "conjectured_threshold", "families_below_threshold", "threshold_theorem",
             "threshold_theorem_interval"]
    w.writerow(head)
    for row in rows:
        line = [row["arch"], row["L"], row["N"], row["H"], row["d_0"], row["d_1"],
                row["max_hidden"], row["d_L"]]
        for r in degrees:
            c = row["ranks"].get(r)
            line += ([c["value"], c["certificate"], c["exact"], c["mark"], c["strata_critical"],
                      c["verdict"], c["case_certificate"]] if c else [""] * 7)
        fam = "; ".join(f"r={r}: {', '.join(f)}" for r, f in row["families"].items())
        line += [row["observed_threshold"], row["exact_from_below"],
                 row["threshold_certificate"], row["threshold_lower_bound"],
                 row["lower_bound_certificate"], row["proven_threshold"],
                 row["conjectured_threshold"], fam]
        t = row.get("threshold_theorem") or {}
        line += [t.get("status"), "" if not t.get("interval") else "%d-%d" % tuple(t["interval"])]
        w.writerow(["" if v is None else v for v in line])
    return buf.getvalue()


_SORT_JS = """<script>
document.querySelectorAll('th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], rows = Array.from(body.rows);
    var up = th.dataset.dir !== 'up'; th.dataset.dir = up ? 'up' : 'down';
    var key = function (r) { var t = r.cells[col].dataset.v || r.cells[col].textContent;
      var n = parseFloat(t); return isNaN(n) ? t : n; };
    rows.sort(function (a, b) { var x = key(a), y = key(b);
      var c = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === 'number' ? -1 : 1);
      return up ? c : -c; });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
</script>"""


def _html_text(rows, degrees, title: str) -> str:
    esc = html.escape
    head = ["arch", "L", "N", "H", "max hidden"] + [f"g r={r}" for r in degrees] + \
        ["observed r_0", "certificate", "fails below", "proven r*", "conjectured",
         "families below r_0"]
    out = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'>", f"<title>{esc(title)}</title>",
           "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
           "td,th{border:1px solid #bbb;padding:2px 6px}th{cursor:pointer;background:#eee}"
           ".D{background:#fdd}.A{background:#def}</style></head><body>",
           f"<h1>{esc(title)}</h1>",
           "<p>Click a column header to sort. g: generic rank; " + esc(RANK_LEGEND) + ".</p>",
           "<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>"]
    for row in rows:
        cells = [f"<td data-v='{esc(','.join(f'{w:03d}' for w in row['widths']))}'>{esc(row['arch'])}</td>"]
        cells += [f"<td>{row[k]}</td>" for k in ("L", "N", "H", "max_hidden")]
        for r in degrees:
            c = row["ranks"].get(r)
            if c is None:
                cells.append("<td></td>")
                continue
            cls = {"defective": " class='D'", "filling": " class='A'"}.get(c["mark"], "")
            cells.append(f"<td{cls} data-v='{'' if c['value'] is None else c['value']}'>"
                         f"{esc(_rank_text(c))}</td>")
        fam = "; ".join(f"r={r}: {', '.join(f)}" for r, f in row["families"].items())
        cells += [f"<td>{'' if row['observed_threshold'] is None else row['observed_threshold']}</td>",
                  f"<td>{esc(str(row['threshold_certificate'] or ''))}</td>",
                  f"<td>{'' if row['threshold_lower_bound'] is None else row['threshold_lower_bound']}</td>",
                  f"<td>{'' if row['proven_threshold'] is None else row['proven_threshold']}</td>",
                  f"<td>{row['conjectured_threshold']}</td>",
                  f"<td>{esc(fam)}</td>"]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody></table>", _SORT_JS, "</body></html>"]
    return "\n".join(out) + "\n"


def plot_threshold_vs_width(rows, stem) -> list[str]:
    """Observed threshold r_0 against the largest hidden width (PNG + SVG, deterministic:
    no date, fixed SVG salt); filled = exact from below, hollow = may be smaller; triangles
    = the proved lower bound 1 + (largest failing degree); the line is the candidate 2 w - 1."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    pts: dict[tuple, int] = {}
    for row in rows:
        if row["observed_threshold"] is not None:
            k = (row["max_hidden"], row["observed_threshold"], bool(row["exact_from_below"]))
            pts[k] = pts.get(k, 0) + 1
    fig, ax = plt.subplots(figsize=(6, 4))
    widths = sorted({row["max_hidden"] for row in rows}) or [2]
    xs = list(range(min(widths), max(widths) + 1))
    ax.plot(xs, [2 * x - 1 for x in xs], color="0.6", lw=1, label="2 w - 1")
    for exact in (True, False):
        sel = sorted(k for k in pts if k[2] is exact)
        if sel:
            ax.scatter([k[0] for k in sel], [k[1] for k in sel], s=[20 + 10 * min(pts[k], 40) for k in sel],
                       facecolors="C0" if exact else "none", edgecolors="C0",
                       label="r_0 exact from below" if exact else "r_0 (may be smaller)")
    lows: dict[tuple, int] = {}
    for row in rows:
        if row["threshold_lower_bound"] is not None:
            k = (row["max_hidden"], row["threshold_lower_bound"])
            lows[k] = lows.get(k, 0) + 1
    if lows:
        sel = sorted(lows)
        ax.scatter([k[0] + 0.15 for k in sel], [k[1] for k in sel], marker="^", color="C3",
                   s=[12 + 6 * min(lows[k], 40) for k in sel],
                   label="lower bound: 1 + largest failing r")
    if not pts and not lows:
        ax.text(0.5, 0.5, "no observed threshold in this tier", transform=ax.transAxes,
                ha="center", va="center")
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("largest hidden width max_l d_l")
    ax.set_ylabel("threshold: observed r_0, or lower bound")
    ax.set_title("Threshold against the largest hidden width (size = count)", fontsize=10)
    ax.legend(loc="upper left", fontsize=8)
    from .plots import save_figure
    return save_figure(fig, stem, dpi=110, salt="verify-atlas")


def _candidate_table(items, head: str, key: str, last: str, empty: str) -> list[str]:
    """Markdown rows of a surprise list: arch, ``items[key]`` under ``head``, certificate,
    and the candidates with their values under ``last``; ``empty`` when there is none."""
    if not items:
        return [empty]
    return ([f"| arch | {head} | certificate | {last} |", "| --- | --- | --- | --- |"]
            + [f"| {c['arch']} | {c[key]} | {c['certificate']} | "
               + ", ".join(f"{k} = {v}" for k, v in c["candidates"].items()) + " |" for c in items])


def _theorem_section(rows, tier) -> list[str]:
    """The threshold of each architecture as a theorem (proofs/threshold.md, section 16):
    how many are proved (computer-assisted or not), and every open interval with the degrees
    that are missing."""
    if tier != "converse":
        return []
    theorems = [(row["arch"], row.get("threshold_theorem") or {}) for row in rows]
    proved = [(a, t) for a, t in theorems if t.get("status") == "proved"]
    assisted = sum(1 for _, t in proved if t.get("computer_assisted"))
    open_ = [(a, t) for a, t in theorems if t.get("status") == "open"]
    other = [(a, t) for a, t in theorems if t.get("status") not in ("proved", "open")]
    L = ["", "## The threshold as a theorem", "",
         "The least r_0 with Crit = Sub at every r >= r_0, proved when a failure at r_0 - 1 "
         "(proved over Q, or r_0 = 2), Crit = Sub proved over Q at every degree from r_0 up to "
         "r* (computer proofs: *computer-assisted*), and the proved statement from r* meet "
         "(proofs/threshold.md, section 16). GF(p) holds leave a degree open.", "",
         f"- proved: **{len(proved)} of {len(theorems)}** architectures ({assisted} "
         f"computer-assisted); open: {len(open_)}; no statement applies or contradiction: "
         f"{len(other)}.", ""]
    if open_:
        L += ["| arch | threshold in | open degrees (what is known) |", "| --- | --- | --- |"]
        L += [f"| {a} | [{t['interval'][0]}, {t['interval'][1]}] | "
              + "; ".join(f"{m['degree']}: {m['known']}" for m in t["missing"]).replace("|", "/")[:300]
              + " |" for a, t in open_]
    L += [f"- {a}: {t.get('text')}" for a, t in other]
    return L


def _markdown(rows, records, entries, tier, scope, degrees, unfinished, surprises, proved,
              ranks) -> str:
    n_arch = len(rows)
    seconds = [e.get("seconds", {}).get("wall") for e in entries]
    seconds = [s for s in seconds if isinstance(s, (int, float))]
    verdicts: dict[str, int] = {}
    for rec in records:
        verdicts[rec.get("verdict")] = verdicts.get(rec.get("verdict"), 0) + 1
    L = ["# Atlas: every small architecture", "",
         f"Tier **{tier}** ({TIERS[tier]['what']}); scope: every architecture with "
         f"N <= {scope['max_params']} weights"
         + (f" and L <= {scope['max_depth']} layers" if scope.get("max_depth") else "")
         + f" (d_0 >= 2, hidden widths >= 2, L >= 2, d_L >= 1), degrees r = "
         + ", ".join(map(str, degrees)) + ".",
         "",
         f"- architectures: {n_arch}; cases: {len(records)}; verdicts: "
         + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items(), key=lambda kv: str(kv[0]))),
         "- reductions: **none** -- every architecture in scope is run at every degree; none is "
         "dropped or merged by symmetry or dominance.",
         f"- case process seconds (wall, cached cases as first measured): total "
         f"{sum(seconds):.0f}, mean {sum(seconds) / max(1, len(seconds)):.1f}",
         f"- generated by `python -m verify atlas --tier {tier} --max-params {scope['max_params']}"
         + (f" --max-depth {scope['max_depth']}" if scope.get("max_depth") else "")
         + f" --degrees {scope['degrees']}`; files: atlas.csv (every column), atlas.html "
         "(sortable), threshold_vs_width.png/svg.", ""]
    L += ["## Crit = Sub proved over Q", "",
          "Architectures whose case holds with certificate proved-over-Q, per degree"
          + (" (the ranks tier runs no converse: none can hold)." if tier == "ranks" else ".")
          + " Below it, every verdict per degree (the columns add up to the architectures).", "",
          "| r | " + " | ".join(map(str, degrees)) + " |",
          "| --- |" + " --- |" * len(degrees),
          "| **Crit = Sub proved over Q** | "
          + " | ".join(f"**{proved.get(r, 0)} / {n_arch}**" for r in degrees) + " |"]
    L += [f"| {v} | " + " | ".join(str(row.get(r, 0)) for r in degrees) + " |"
          for v, row in _verdicts_by_degree(records, degrees).items()]
    L.append("")
    L += ["## Generic rank and subnetwork strata", "",
          "Architectures per degree: how the generic rank g was certified (exact: a sampled "
          "rank met a proved upper bound, or an exact rank), its mark (defective: g < "
          "min(N - H, A), proved only when g is exact; filling: g = A; expected otherwise), and "
          "whether every subnetwork stratum was shown critical (kernel vectors or exact "
          "ranks, proofs/strata.md).", "",
          "| r | " + " | ".join(map(str, degrees)) + " |",
          "| --- |" + " --- |" * len(degrees)]
    L += [f"| {k} | " + " | ".join(str(v.get(r, 0)) for r in degrees) + " |"
          for k, v in ranks.items()]
    L.append("")
    contra = [row["arch"] for row in rows if row["contradicts_theorem"]]
    L += [f"**Contradictions of the theorem (fails at r >= r\\*): {len(contra)}**"
          + (": " + ", ".join(contra) if contra else "."), ""]
    L += ["## Surprises", ""]
    cf = surprises["closed_forms"]
    L += [f"### Closed forms for the threshold ({len(cf)} misses)", "",
          "Architectures whose observed threshold (exact from below) differs from a candidate "
          "(" + ", ".join(SURPRISE_CANDIDATES) + ", with max_l over hidden layers).", ""]
    L += _candidate_table(cf, "observed r_0", "observed", "candidates that miss",
                          "None (or no threshold observed exactly in this tier).")
    lb = surprises["below_a_failure"]
    checked = sum(1 for row in rows if row["threshold_lower_bound"] is not None)
    L += ["", f"### Closed forms below a proved failure ({len(lb)} architectures)", "",
          "A case that fails at r (a stratum shown not critical, or a critical point outside Sub "
          "verified exactly) proves that the threshold is above r. "
          f"{checked} architectures fail at some degree; a candidate below 1 + the largest such "
          "r is refuted there. The conjecture of proofs/threshold.md section 12 is "
          "max(2 d_(L-1) - 1, 2 d_l - 2 for every hidden layer l < L - 1), and 2 when every "
          "hidden width is 2 and d_L = 1 (not 2,2,1).", ""]
    L += _candidate_table(lb, "fails at r", "fails_at", "candidates below r + 1",
                          "None: no candidate lies at or below a degree where a case fails.")
    ah = surprises["alexander_hirschowitz"]
    L += ["", f"### Defectivity against Alexander-Hirschowitz ({len(ah)} disagreements)", "",
          "Shallow single-output networks (d_0, d_1, 1) are defective iff r = 2 and "
          "2 <= d_1 <= d_0 - 1, or (d_0, r, d_1) in {(3,4,5), (4,4,9), (5,3,7), (5,4,14)}.", ""]
    if ah:
        L += ["| arch | r | g | min(N - H, A) | g exact | AH | observed |", "| --- | --- | --- | --- | --- | --- | --- |"]
        L += [f"| {a['arch']} | {a['degree']} | {a['g']} | {a['expected']} | {a['exact']} | "
              f"{a['predicted']} | {a['observed']} |" for a in ah]
    else:
        L.append("None: every shallow single-output case agrees with Alexander-Hirschowitz.")
    defective = [(row["arch"], r) for row in rows for r, c in row["ranks"].items()
                 if c["mark"] == "defective" and ah_defective(row["widths"], r) is None]
    L += ["", f"Defective cases outside the shallow single-output family: {len(defective)}"
          + (" (" + ", ".join(f"{a} r={r}" for a, r in defective[:60])
             + (", ..." if len(defective) > 60 else "") + "; all in atlas.csv)" if defective else "."),
          ""]
    nf = surprises["new_families"]
    L += [f"### New families ({len(nf)})", ""]
    L.append(", ".join(f"{x['arch']} r={x['degree']}" for x in nf) if nf else
             "No witness outside the known families of verify/theorem/witnesses.py.")
    L += _theorem_section(rows, tier)
    L += ["", f"## Cases that did not finish ({len(unfinished)})", ""]
    if unfinished:
        L += ["By what was running when the case was stopped, or the verdict: "
              + "; ".join(f"{k}: {v}" for k, v in _running_counts(unfinished).items())
              + ".  A timed-out case keeps its generic rank and strata (a stopped case whose "
              "strata show one not critical is listed as fails, not here); a longer --timeout "
              "reruns it (the cache keeps the rest).", ""]
        L += ["| arch | r | verdict | reason |", "| --- | --- | --- | --- |"]
        L += [f"| {u['arch']} | {u['degree']} | {u['verdict']} | "
              f"{str(u['reason']).replace('|', '/')[:300]} |" for u in unfinished]
    else:
        L.append("None: every case finished.")
    L += ["", "## Observed threshold against the largest hidden width", "",
          "![threshold against width](threshold_vs_width.png)", ""]
    L += ["## Architectures", "",
          "g per degree: value and mark (" + RANK_MARK_TEXT + "), `?` when g is a lower bound "
          "only, then the case verdict. r_0: observed threshold "
          "(summarise_degrees) with its weakest certificate; fails below: 1 + the largest degree "
          "that fails (a proved lower bound for the threshold); r*: proven threshold (the best proved "
          "statement of proofs/threshold.md); conj.: the conjecture of section 12.", ""]
    if n_arch > 400:
        L.append(f"{n_arch} architectures: the table is in atlas.csv and atlas.html.")
    else:
        L += ["| arch | N | " + " | ".join(f"r={r}" for r in degrees)
              + " | r_0 | certificate | fails below | r* | conj. | families below r_0 |",
              "| --- | --- |" + " --- |" * len(degrees) + " --- | --- | --- | --- | --- | --- |"]
        for row in rows:
            cells = [_rank_text(row["ranks"][r]) if r in row["ranks"] else "" for r in degrees]
            fam = "; ".join(f"r={r}: {', '.join(f)}" for r, f in row["families"].items())
            L.append(f"| {row['arch']} | {row['N']} | " + " | ".join(cells)
                     + f" | {row['observed_threshold'] if row['observed_threshold'] is not None else '-'}"
                     f" | {row['threshold_certificate'] or '-'}"
                     f" | {'-' if row['threshold_lower_bound'] is None else row['threshold_lower_bound']}"
                     f" | {row['proven_threshold']} | {row['conjectured_threshold']}"
                     f" | {fam or '-'} |")
    return "\n".join(L) + "\n"


def _write_text(path: Path, text: str):
    """Write through a unique temporary file in the same folder, then os.replace; the mode
    honours the umask (:func:`verify.run.files.write_atomic`)."""
    from .files import write_atomic
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)


def write_atlas(entries, report, tier: str, scope: dict) -> dict:
    """ATLAS.md, atlas.csv, atlas.html and the figure from the sweep's cache entries;
    returns a summary (counts, unfinished cases, surprises, proved-over-Q per degree)."""
    report = Path(report)
    report.mkdir(parents=True, exist_ok=True)
    records = [e["record"] for e in entries]
    degrees = sorted({int(rec["degree"]) for rec in records})
    from ..theorem.case import suite_version
    memo_path = report / "cache" / "families.json"
    try:
        memo = json.loads(memo_path.read_text())
        memo = memo if isinstance(memo, dict) else {}
    except (OSError, ValueError):
        memo = {}
    size = len(memo)
    rows = atlas_rows(records, tier, memo, suite_version() + "+" + _witness_module_digest())
    if len(memo) != size:
        _write_text(memo_path, json.dumps(memo, sort_keys=True) + "\n")
    unfinished = unfinished_cases(records, tier)
    surprises = _surprises(rows)
    proved = _proved_counts(records, degrees)
    ranks = _rank_counts(rows, degrees)
    _write_text(report / "ATLAS.md", _markdown(rows, records, entries, tier, scope, degrees,
                                               unfinished, surprises, proved, ranks))
    _write_text(report / "atlas.csv", _csv_text(rows, degrees))
    _write_text(report / "atlas.html", _html_text(rows, degrees, f"Atlas ({tier} tier)"))
    _write_text(report / "atlas.json", json.dumps(
        {"tier": tier, "scope": scope, "rows": rows, "unfinished": unfinished,
         "surprises": surprises, "proved_over_Q": {str(k): v for k, v in proved.items()},
         "ranks_by_degree": {k: {str(r): n for r, n in v.items()} for k, v in ranks.items()}},
        sort_keys=True, indent=1, default=str) + "\n")
    plot_threshold_vs_width(rows, report / "threshold_vs_width")
    return {"architectures": len(rows), "cases": len(records), "unfinished": len(unfinished),
            "proved_over_Q": {str(k): v for k, v in proved.items()},
            "contradictions": [row["arch"] for row in rows if row["contradicts_theorem"]],
            "surprises": {k: len(v) for k, v in surprises.items()},
            "report": str(report / "ATLAS.md")}
