"""Degree thresholds: the proven sufficient threshold r*(d) and the empirical one.

Serves proofs/threshold.md.  :func:`proven_threshold` takes the least of every bound
proved there (Theorems T, T2 (section 14), T3 (section 15, :func:`theorem_t3_check`, degree
by degree), Propositions S, S2, S3) and names it in ``by``; :func:`theorem_t_threshold` the
first release's Theorem T, kept for comparison.  Theorem T: with M_l = d_l (d_l - 2),
P_2 = d_1 - 1, s_2 = d_1 - 2, P_{l+1} = P_l (1 + M_l), s_{l+1} = s_l + P_l M_l,

    r*_B(d) = max(2 d_1 - 1, r_2, ..., r_{L-1}),
    r_l = least integer r with (r - 1)(r - s_l) > (1 + 2 M_l) P_l r.

Theorem T2 takes (P_2, s_2) = (1, 2) when d_1 = 3 (Lemma G3), and when d_1 = 2 also
max(3, r*(2, d_2, ..., d_L)) (Proposition Q), whichever is less.  Both are
valid when L >= 2 and d_0, ..., d_{L-1} >= 2 (otherwise the value is None and
the failing hypothesis is named).  :func:`summarise_degrees` turns per-degree
case records (:func:`verify.theorem.case.run_case`) into the empirical threshold r_0 --
the least r such that every scanned degree in [r, bound] holds -- and names the
weakest certificate of that chain; :func:`empirical_threshold` runs the scan.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.theorem.threshold import proven_threshold, summarise_degrees
    sage: t = proven_threshold(Architecture.parse("2,3,1"))
    sage: t["value"], t["formula"]
    (5, 'r* = 2 d_1 - 1 = 5')
    sage: t = proven_threshold(Architecture.parse("2,2,3,1"))
    sage: t["value"], t["theorem_t"], t["by"].split(":")[0]     # T2(b) gives 5 too; S3 is sharp
    (5, 9, 'Proposition S3')
    sage: [p["r_min"] for p in proven_threshold(Architecture.parse("2,3,2,1"))["per_layer"]]
    [5, 4]
    sage: proven_threshold(Architecture.parse("2,1,2,1"))["value"] is None
    True
    sage: recs = [{"degree": 2, "verdict": "fails", "certificate": "proved-over-Q"},
    ....:         {"degree": 3, "verdict": "holds", "certificate": "proved-over-Q"},
    ....:         {"degree": 4, "verdict": "holds", "certificate": "exhaustive-GF(101)"}]
    sage: s = summarise_degrees(Architecture.parse("2,2,1"), recs)
    sage: s["empirical_threshold"], s["weakest_certificate"]
    (3, 'exhaustive-GF(101)')
    sage: s["certificate_text"]
    'r_0 = 3 (proved-over-Q for r = 3; exhaustive-GF(101) for r = 4; fails at r = 2: proved-over-Q)'
"""

from __future__ import annotations

from ..core.architecture import Architecture, check_degree
from ..core.errors import InputError
from .certificates import case_certificate, weakest_certificate

__all__ = ["proven_threshold", "theorem_t_threshold", "second_layer_codegree", "layer_condition_degree",
           "proven_threshold_check", "threshold_fit", "CANDIDATES", "conjectured_threshold",
           "summarise_degrees", "threshold_theorem",
           "empirical_threshold", "DEFAULT_SCAN_CAP"]

#: The empirical scan stops at min(proven threshold, DEFAULT_SCAN_CAP) unless told otherwise.
DEFAULT_SCAN_CAP = 8


from ..core.threshold_bounds import (BY_S, BY_S2, BY_S3, BY_T, BY_T2A, BY_T2B, BY_T3,  # noqa: F401
                                     layer_condition_degree, proven_threshold,
                                     second_layer_codegree, theorem_t3_check,
                                     theorem_t3_threshold, theorem_t_threshold, MAX_T3_WALK)

# --- the empirical threshold from per-degree records -----------------------------------------


def _exhaustive_label(cert, rec):
    """'exhaustive-GF(p)' with the actual prime when the record names it."""
    if cert != "exhaustive-GF(p)":
        return cert
    conv = rec.get("converse") or {}
    details = conv.get("details") or {}
    p = conv.get("prime") or details.get("prime") or details.get("p")
    return f"exhaustive-GF({p})" if p else cert


def _degree_entry(rec: dict) -> dict:
    """One per-degree row: generic rank, Sub in Crit, Crit in Sub, verdict, certificates."""
    g = rec.get("generic_rank") or {}
    strata = rec.get("strata") or {}
    conv = rec.get("converse") or {}
    if strata.get("verdict") == "run":
        srecs = strata.get("records") or []
        from ..sub_in_crit.stratum_rank import every_stratum_critical
        bad = [f"{s.get('kind')}_{s.get('layer')}" for s in srecs if s.get("critical") is False]
        sub_in_crit = every_stratum_critical(srecs)
    else:
        bad, sub_in_crit = [], None
    block = rec.get("crit_in_sub") if isinstance(rec.get("crit_in_sub"), dict) else \
        conv.get("crit_in_sub") if isinstance(conv.get("crit_in_sub"), dict) else {}
    crit_in_sub = block.get("holds")          # True only on all codimensions (the dispatcher)
    witnesses = [w for w in (conv.get("witnesses") or []) if isinstance(w, dict)]
    return {
        "degree": rec["degree"], "verdict": rec.get("verdict"),
        "certificate": _exhaustive_label(rec.get("certificate"), rec),
        "generic_rank": g.get("value"), "generic_rank_certificate": g.get("certificate"),
        "sub_in_crit": sub_in_crit, "non_critical_strata": bad,
        "strata_certificate": strata.get("certificate"),
        "crit_in_sub": crit_in_sub, "converse_method": conv.get("method"),
        "converse_certificate": _exhaustive_label(conv.get("certificate"), rec),
        "witnesses": len(witnesses), "reasons": rec.get("reasons") or [],
    }


def _merge(entries: list[dict]) -> dict:
    """Several records of one degree: a failure wins; else a hold; else the first."""
    for verdict in ("fails", "holds"):
        hit = [e for e in entries if e["verdict"] == verdict]
        if hit:
            e = dict(hit[0])
            if verdict == "fails" and any(x["verdict"] == "holds" for x in entries):
                e["reasons"] = e["reasons"] + ["another record of this degree holds: conflicting checks"]
            return e
    return entries[0]


def _group_text(chain: list[dict]) -> str:
    groups: dict[str, list[int]] = {}
    for e in chain:
        groups.setdefault(str(e["certificate"]), []).append(e["degree"])
    return "; ".join(f"{c} for r = {', '.join(map(str, ds))}" for c, ds in groups.items())


def summarise_degrees(arch, records) -> dict:
    """Empirical threshold from per-degree case records, never stronger than its certificates.

    r_0 is the least scanned degree such that every degree from r_0 to the
    largest scanned one was scanned and ``holds``.  Keys: ``empirical_threshold``
    (int or None), ``bound`` (largest degree scanned), ``certificate_text``,
    ``weakest_certificate`` (of the degrees in [r_0, bound]), ``below`` (the record
    of r_0 - 1 if scanned: what fails there and how it is certified),
    ``tested_from`` and ``exact_from_below`` (False when r_0 is the lowest scanned
    degree above 2, so the true threshold may be smaller), ``per_degree``.
    """
    arch = Architecture.parse(arch)
    by_degree: dict[int, list[dict]] = {}
    for rec in records:
        by_degree.setdefault(check_degree(rec["degree"]), []).append(_degree_entry(rec))
    per_degree = [_merge(by_degree[r]) for r in sorted(by_degree)]
    out = {"arch": str(arch), "per_degree": per_degree, "empirical_threshold": None,
           "bound": per_degree[-1]["degree"] if per_degree else None,
           "tested_from": per_degree[0]["degree"] if per_degree else None,
           "weakest_certificate": None, "below": None, "exact_from_below": None}
    if not per_degree:
        out["certificate_text"] = "no degree scanned"
        return out
    if arch.degeneracy():
        out["certificate_text"] = "outside the theorem: " + "; ".join(arch.degeneracy())
        return out
    chain = []
    for e in reversed(per_degree):
        if e["verdict"] != "holds" or (chain and chain[-1]["degree"] != e["degree"] + 1):
            break
        chain.append(e)
    chain.reverse()
    top = per_degree[-1]
    if not chain:
        why = top["certificate"] or "; ".join(map(str, top.get("reasons") or [])) or "no reason recorded"
        out["certificate_text"] = (f"not reached up to r = {top['degree']}: r = {top['degree']} "
                                   f"is {top['verdict']} ({why})")
        return out
    r0 = chain[0]["degree"]
    below = next((e for e in per_degree if e["degree"] == r0 - 1), None)
    weakest = weakest_certificate(e["certificate"] for e in chain)
    text = f"r_0 = {r0} ({_group_text(chain)}"
    if below is not None:
        text += f"; {below['verdict']} at r = {r0 - 1}: " + str(
            below["certificate"] or "; ".join(map(str, below.get("reasons") or [])) or "no certificate")
        if below["verdict"] != "fails":
            text += " -- the true threshold may be smaller"
    elif r0 > 2:
        text += f"; degrees below {r0} not scanned -- the true threshold may be smaller"
    text += ")"
    out.update(empirical_threshold=r0, weakest_certificate=weakest, below=below,
               certificate_text=text,
               exact_from_below=bool(r0 == 2 or (below is not None and below["verdict"] == "fails")))
    return out


def proven_threshold_check(arch, per_degree) -> dict:
    """Was the theorem checked at and above its proven threshold r*?  ``{"r_star",
    "checked": [degrees >= r* that hold or fail], "status": one line}``, from the
    per-degree entries of :func:`summarise_degrees` (a degree that is undecided, timed out
    or not scanned is named with its reason)."""
    r_star = proven_threshold(arch).get("value")
    if r_star is None:
        return {"r_star": None, "checked": [], "status": "no proven threshold (outside Theorem T)"}
    above = [e for e in per_degree if e["degree"] >= r_star]
    decided = [e["degree"] for e in above if e["verdict"] in ("holds", "fails")]
    if decided:
        status = f"checked at r = {', '.join(map(str, decided))} >= r* = {r_star}"
    elif above:
        e = above[0]
        why = "; ".join(map(str, e.get("reasons") or [])) or e["verdict"]
        status = f"r* = {r_star}: r = {e['degree']} is {e['verdict']} ({why})"
    else:
        top = max((e["degree"] for e in per_degree), default=None)
        status = (f"r* = {r_star} not in this catalogue (it stops at r = {top}; the cost of the "
                  f"all-codimension methods grows with D = r^(L-1)): `make verify-deep` scans "
                  f"r* and r* + 1")
    return {"r_star": r_star, "checked": decided, "status": status}


def _is_proof(certificate) -> bool:
    """Is a case's certificate a proof over Q (every part exact; never GF(p) or sampled)?"""
    return bool(certificate) and case_certificate([certificate]) == "proved-over-Q"


def threshold_theorem(arch, records) -> dict:
    """The least r_0 with Crit = Sub for every r >= r_0, as a theorem assembled from three
    pieces (proofs/threshold.md, section 16): a failure at r_0 - 1 proved over Q (or r_0 = 2);
    Crit = Sub proved at every degree r_0 <= r < r*, each by Theorem T3 at that degree alone
    (an isolated degree where its conditions hold) or over Q by a computer proof (the theorem
    is then *computer-assisted*); and the best proved statement for r >= r*
    (:func:`proven_threshold`; Propositions S and S3 prove the failure below r* on paper, S2
    gives r* = 2).  From the per-degree case ``records`` (any order, any degrees).

    Keys: ``status`` (``proved``, ``open``, ``contradiction`` or ``no-theorem``), ``value``
    (r_0 when proved), ``interval`` [lo, hi] (the threshold lies in it: lo - 1 fails, proved,
    or lo = 2; every r >= hi is proved), ``missing`` (the degrees in [lo, hi) not proved, with
    what is known of each and ``t3_lacks``, the first condition of Theorem T3 that fails there),
    ``pieces`` (``failure``, ``computed``, ``t3_degrees``, ``theorem``), ``computer_assisted``,
    ``text`` (one line).

    sage: from verify.theorem.threshold import threshold_theorem
    sage: recs = [{"degree": 4, "verdict": "fails", "certificate": "proved-over-Q"},
    ....:         {"degree": 5, "verdict": "holds", "certificate": "proved-over-Q"}]
    sage: t = threshold_theorem("2,3,3,1", recs)           # r* = 6 by Theorem T3
    sage: t["status"], t["value"], t["computer_assisted"]
    ('proved', 5, True)
    sage: recs[1]["certificate"] = "exhaustive-GF(13)"
    sage: t = threshold_theorem("2,3,3,1", recs)
    sage: t["status"], t["interval"], [m["degree"] for m in t["missing"]]
    ('open', [5, 6], [5])
    """
    arch = Architecture.parse(arch)
    proven = proven_threshold(arch)
    r_star = proven["value"]
    if r_star is None:
        return {"status": "no-theorem", "value": None, "interval": None, "missing": [],
                "pieces": {}, "computer_assisted": False,
                "text": "no proved statement applies: " + str(proven.get("note"))}
    statement = proven["by"].split(":")[0]
    per = {e["degree"]: e for e in summarise_degrees(arch, records)["per_degree"]} \
        if records else {}
    fails = sorted(r for r, e in per.items() if e["verdict"] == "fails" and _is_proof(e["certificate"]))
    checks: dict[int, dict] = {}

    def t3(r) -> dict:                      # Theorem T3 at degree r, checked once
        if r not in checks:
            checks[r] = theorem_t3_check(arch, r)
        return checks[r]

    bad = [r for r in fails if r >= r_star or t3(r)["holds"]]
    if bad:
        return {"status": "contradiction", "value": None, "interval": None, "missing": [],
                "pieces": {"theorem": {"from": r_star, "by": statement}},
                "computer_assisted": False,
                "text": f"CONTRADICTION: proved failures at r = {bad}, where {statement} (from "
                        f"r* = {r_star}) or Theorem T3 (at its degrees) proves Crit = Sub"}
    if proven["by"] in (BY_S, BY_S3, BY_S2):
        failure = None if r_star == 2 else {"degree": r_star - 1, "certificate": f"proof: {statement}"}
        lo = r_star
    elif fails:
        failure = {"degree": fails[-1], "certificate": per[fails[-1]]["certificate"]}
        lo = fails[-1] + 1
    else:
        failure, lo = None, 2

    def computed_proof(r):
        return not t3(r)["holds"] and r in per and per[r]["verdict"] == "holds" \
            and _is_proof(per[r]["certificate"])

    # degree by degree, at most MAX_T3_WALK of them (r* can be in the millions)
    hi = r_star
    while hi - 1 >= lo and r_star - hi < MAX_T3_WALK and (t3(hi - 1)["holds"] or computed_proof(hi - 1)):
        hi -= 1
    listed = hi - lo <= MAX_T3_WALK
    computed = [r for r in range(hi, r_star) if computed_proof(r)]
    by_t3 = [r for r in range(lo if listed else hi, r_star) if t3(r)["holds"]]
    pieces = {"failure": failure,
              "computed": {"degrees": computed, "certificate": "proved-over-Q"} if computed else None,
              "t3_degrees": {"degrees": by_t3, "by": "Theorem T3 at each degree"} if by_t3 else None,
              "theorem": {"from": r_star, "by": statement}}
    below = (f"fails at r = {failure['degree']} ({failure['certificate']})" if failure else
             "r_0 = 2 is the least degree")
    above = (f"Crit = Sub proved over Q at r = {', '.join(map(str, computed))} (computer proofs); "
             if computed else "")
    above += (f"Theorem T3 at r = {_runs(by_t3)} (its conditions checked at each of these "
              f"degrees); " if by_t3 else "")
    if lo == hi:
        return {"status": "proved", "value": lo, "interval": [lo, lo], "missing": [],
                "pieces": pieces, "computer_assisted": bool(computed),
                "text": f"threshold = {lo}, proved" + (" (computer-assisted)" if computed else "") +
                        f": {below}; {above}{statement} from r = {r_star}"}
    missing = []
    for r in (range(lo, hi) if listed else ()):
        if t3(r)["holds"] or computed_proof(r):
            continue
        e = per.get(r)
        lacks = t3(r)["failing"]
        if e is None:
            missing.append({"degree": r, "known": "not scanned", "t3_lacks": lacks})
        else:
            why = e["certificate"] or "; ".join(map(str, e.get("reasons") or [])) or "no certificate"
            missing.append({"degree": r, "known": f"{e['verdict']} ({why})", "t3_lacks": lacks})
    if not listed:                          # one entry for the whole range, not millions
        missing.append({"degree": lo, "through": hi - 1,
                        "known": f"r = {lo}..{hi - 1}: {hi - lo:,} degrees, not listed one by one "
                                 f"(more than {MAX_T3_WALK:,})",
                        "t3_lacks": "not checked degree by degree"})
    return {"status": "open", "value": None, "interval": [lo, hi], "missing": missing,
            "pieces": pieces, "computer_assisted": bool(computed),
            "text": f"threshold in [{lo}, {hi}], open at r = " +
                    ", ".join(f"{m['degree']} ({m['known']}; Theorem T3 lacks: {m['t3_lacks']})"
                              for m in missing) +
                    f"; {below}; {above}{statement} from r = {r_star}"}


def _runs(degrees) -> str:
    """Sorted degrees as runs: [9, 11, 12, 13] -> '9, 11..13'."""
    out, start = [], None
    for i, r in enumerate(degrees):
        if start is None:
            start = r
        if i + 1 == len(degrees) or degrees[i + 1] != r + 1:
            out.append(str(r) if start == r else f"{start}..{r}")
            start = None
    return ", ".join(out)


def conjectured_threshold(widths) -> int:
    """The conjectured least r with Crit = Sub (proofs/threshold.md, section 12): 2 when every
    hidden width is 2 and d_L = 1, except for 2,2,1 (Proposition S2 needs d_0 >= 3); else
    max(2 d_(L-1) - 1, 2 d_l - 2 for the hidden layers l < L - 1), which is 2 d_1 - 1 for
    L = 2."""
    d = tuple(widths)
    if set(d[1:-1]) == {2} and d[-1] == 1 and d != (2, 2, 1):
        return 2
    return max([2 * d[-2] - 1] + [2 * w - 2 for w in d[1:-2]])


#: Candidate closed forms for the observed threshold (proofs/threshold.md, section "fit").
CANDIDATES = {
    "2 d_1 - 1": lambda d: 2 * d[1] - 1,
    "2 max_l d_l - 1": lambda d: 2 * max(d[1:-1]) - 1,
    "max(2, 2 d_1 - 3)": lambda d: max(2, 2 * d[1] - 3),
    "conjecture of section 12": conjectured_threshold,
}


def threshold_fit(summaries) -> list[dict]:
    """Observed thresholds (all-codimension certificates only: a case holds only on those)
    against :data:`CANDIDATES`: one row per architecture whose r_0 is exact from below,
    with each candidate's value and whether it matches."""
    rows = []
    for s in summaries:
        r0 = s.get("empirical_threshold")
        if r0 is None or not s.get("exact_from_below"):
            continue
        d = Architecture.parse(s["arch"]).widths
        vals = {name: f(d) for name, f in CANDIDATES.items()}
        rows.append({"arch": s["arch"], "observed": r0, "certificate": s.get("weakest_certificate"),
                     "candidates": vals, "matches": {k: v == r0 for k, v in vals.items()}})
    return rows


def empirical_threshold(arch, max_degree=None, seed: int = 0, prime=None, method: str = "auto",
                        min_degree: int = 2, runner=None) -> dict:
    """Scan r = min_degree .. bound with ``runner``, a function that returns case records.

    ``bound`` is ``max_degree`` or min(proven threshold, DEFAULT_SCAN_CAP) (the cap
    alone when no threshold is proved).  ``runner(arch, r, seed=, prime=, method=)``
    must return a case record; the caller passes it (this module does not import the
    case runner, which stands above it): :func:`verify.theorem.case.empirical_threshold`
    (the public ``verify.empirical_threshold``) passes :func:`verify.theorem.case.run_case`,
    the command line one that runs each degree in its own process with a timeout (a
    timed-out degree is recorded, never counted as holding).  Returns
    :func:`summarise_degrees` plus ``records``.
    """
    if runner is None:
        raise TypeError("empirical_threshold needs runner= (a function returning case records, "
                        "e.g. verify.theorem.case.run_case); verify.empirical_threshold defaults to it")
    arch = Architecture.parse(arch)
    if max_degree is None:
        proven = proven_threshold(arch)["value"]
        bound = DEFAULT_SCAN_CAP if proven is None else min(proven, DEFAULT_SCAN_CAP)
    else:
        bound = check_degree(max_degree)
    lo = check_degree(min_degree)
    if lo < 2 or bound < lo:
        raise InputError(f"scan needs 2 <= min_degree <= max_degree, got {lo}..{bound}")
    records = [runner(str(arch), r, seed=seed, prime=prime, method=method)
               for r in range(lo, bound + 1)]
    out = summarise_degrees(arch, records)
    out["records"] = records
    out["seed"] = seed
    return out
