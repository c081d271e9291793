"""The converse Crit in Sub: a structured pre-pass, one dispatcher over three methods,
and exact witness checks.

Serves proofs/converse.md.  Every result (DEVELOPING.md, "Interfaces") states the two
inclusions separately, each with its certificate and its coverage:

- ``crit_in_sub``: ``{"holds": True | False | None, "certificate", "coverage", "method"}``;
  ``holds`` is True only when a method examined *every* point of every stratum of the
  chart cover (coverage ``all-codimensions``: the symbolic proof over QQ, or the exhaustive
  search over GF(p) -- certificate ``exhaustive-GF(p)``), False when a witness (re-verified
  exactly here, section 5) exists, None otherwise -- random slices never give True;
- ``sub_in_crit``: from the strata records (proofs/strata.md);
- ``verdict``: crit-equals-sub | crit-not-in-sub | sub-not-in-crit | undecided.

``auto`` first runs the structured pre-pass (:mod:`verify.crit_in_sub.prepass`: an exact
rank at a generic point of every rank stratum); a witness there settles Crit in Sub
(False).  Then, when the first hidden layer has width 2 and r >= 3, it asks the peeled
network (2, d_2, ..., d_L) (:mod:`verify.crit_in_sub.reduction`, Proposition Q: method
``reduction``, with the peeled network's certificate) and keeps the answer if it settles
Crit in Sub.  Then, when the last hidden layer has width 2 (any number of outputs), it asks the
truncated network (d_0, ..., d_{L-2}, 2) on its charts of output rank 2
(:mod:`verify.crit_in_sub.last_layer`, Corollaries Y2 and Y4: method ``last-layer``).
Otherwise it takes the first method that applies (:func:`choose_method`):
``theorem`` (:mod:`verify.crit_in_sub.by_theorem`, r >= the proven threshold r*(d): the
proved statement of proofs/threshold.md), ``symbolic`` (:mod:`verify.crit_in_sub.symbolic`,
proof over QQ on the stratified charts, when the case meets its size limit),
``exhaustive`` (:mod:`verify.crit_in_sub.exhaustive`, every GF(p)-point of a chart cover),
``slice`` (:mod:`verify.crit_in_sub.slicing`, evidence on codimensions 1, 2).

EXAMPLES::

    sage: from verify.crit_in_sub.converse import converse
    sage: out = converse("4,3,1", 3)               # three first-layer rows in a 2-plane
    sage: out["verdict"], out["crit_in_sub"]["holds"], out["crit_in_sub"]["method"]
    ('crit-not-in-sub', False, 'prepass')
    sage: out = converse("2,3,1", 4)               # below r* = 5: B strata not critical
    sage: out["verdict"], out["crit_in_sub"]["holds"], out["crit_in_sub"]["method"]
    ('sub-not-in-crit', True, 'symbolic')
    sage: converse("3,3,1", 5, method="slice")["crit_in_sub"]["holds"] is None
    True
    sage: converse("2,3,3,1", 6)["crit_in_sub"]["method"]   # r >= r* = 6 (Theorem T3)
    'theorem'
"""

from __future__ import annotations

import time

from ..core.architecture import Architecture, check_degree
from ..core.errors import InputError
from .common import ALL_CODIMENSIONS, converse_verdict, decode_witness, sub_in_crit, witness_record

__all__ = ["METHODS", "VERDICTS", "CERTIFICATES", "converse", "choose_method", "exact_refusals"]

METHODS = ("symbolic", "theorem", "exhaustive", "slice")
VERDICTS = ("crit-equals-sub", "crit-not-in-sub", "sub-not-in-crit", "undecided")
CERTIFICATES = ("proved-over-Q", "exhaustive-GF(p)", "probabilistic")


def choose_method(arch, r: int) -> str:
    """The first method that applies to (arch, r): theorem (r >= the proven threshold r*(d): a
    proof, no computation), symbolic (a computer proof over QQ, when the case meets its size
    limit), exhaustive over GF(p) on the stratified charts (when the cover fits), then slice
    (evidence only)."""
    from .by_theorem import theorem_applies
    if theorem_applies(arch, r):
        return "theorem"
    from .symbolic import symbolic_fits
    if symbolic_fits(arch, r)[0]:
        return "symbolic"
    from .exhaustive import search_primes
    try:
        fits = search_primes(arch, r) is not None
    except InputError:
        fits = False
    return "exhaustive" if fits else "slice"


def exact_refusals(arch, r: int) -> str:
    """Why no method that examines every codimension runs on (arch, r): the symbolic size check
    and the exhaustive cover's point count (each names its estimate and its limit); r < r*(d)
    is implied (else the theorem applies)."""
    from .exhaustive import exhaustive_fits
    from .symbolic import symbolic_fits
    why = [f"symbolic: {symbolic_fits(arch, r)[1]}"]
    try:
        fits, text = exhaustive_fits(arch, r, cover="stratified")
        why.append(f"exhaustive: {text}")
    except InputError as e:
        why.append(f"exhaustive: {e}")
    return "no exact method fits: " + "; ".join(why)


def _reverified(arch, r, w) -> dict:
    """A method's witness, checked by :func:`witness_record` unless it already was."""
    if "verified" in w and "minimal_polynomial" in w:
        return w
    K, W = decode_witness(arch, w)
    return {**w, **witness_record(arch, r, W, K, int(w["generic_rank"]))}


def converse(arch, r: int, method: str = "auto", prime=None, seed: int = 0, strata=None,
             on_stage=None, **options) -> dict:
    """Decide (or gather evidence on) Crit = Sub for (arch, r) with the chosen method.

    ``strata``: the :func:`verify.sub_in_crit.stratum_rank.strata_records` of (arch, r, seed,
    prime) when the caller already computed them; otherwise they are computed here, once, for
    the Sub-in-Crit half and for the chosen method.
    ``on_stage``: called with a short text as each stage starts (``pre-pass``, ``reduction to
    F: ...``, the chosen method, ``witness re-check``), so that a caller that stops a slow case
    can say where it stood; it never changes the result.
    """
    def stage(text):
        if on_stage is not None:
            on_stage(text)

    arch = Architecture.parse(arch)
    r = check_degree(r)
    if r < 2:
        raise InputError("converse needs activation degree r >= 2 (r = 1 is a linear network)")
    why = arch.degeneracy(r)
    if why:
        raise InputError(f"{arch} is outside the theorem: {why[0]}")
    if method not in ("auto",) + METHODS:
        raise InputError(f"method must be one of auto, {', '.join(METHODS)}; got {method!r}")
    t0 = time.perf_counter()
    if strata is None:                  # computed once, for this half and the method's
        from ..sub_in_crit.stratum_rank import strata_records
        strata = strata_records(arch, r, seed=seed, prime=prime)
    sub_check = sub_in_crit(arch, r, seed=seed, prime=prime, records=strata)
    prepass = out = refused = None
    if method == "auto":
        from ..sub_in_crit.subnetwork_rank import proved_generic_rank
        from .prepass import structured_prepass
        g = proved_generic_rank(arch, r, prime=prime, seed=seed).value
        stage("pre-pass")
        prepass = structured_prepass(arch, r, g, seed=seed)
        if prepass["witnesses"]:
            out = {"method": "prepass", "certificate": "proved-over-Q",
                   "witnesses": prepass["witnesses"],
                   "details": {"statement": "exact rank < g at a structured point outside Sub",
                               "crit_in_sub": False, "coverage": None}}
        else:
            from .reduction import peeled, reducible, reduction_converse
            if reducible(arch, r):
                via = f"reduction to {peeled(arch)}"
                stage(via)

                def inner(*args, **kwargs):
                    return converse(*args, on_stage=lambda text: stage(f"{via}: {text}"), **kwargs)
                out = reduction_converse(arch, r, g, inner, proved_generic_rank, prime=prime,
                                         seed=seed)
            if out is None:
                from .last_layer import last_layer_converse, truncated
                d = arch.widths
                if arch.depth >= 3 and d[-2] == 2 and arch.in_theorem_scope():
                    stage(f"truncation to {truncated(arch)}")
                    out = last_layer_converse(arch, r, g, proved_generic_rank, prime=prime,
                                              seed=seed)
    if out is None:
        chosen = choose_method(arch, r) if method == "auto" else method
        if method == "auto" and chosen == "slice":
            refused = exact_refusals(arch, r)
            stage(refused)                     # a stopped run can say why slices were all left
        stage(chosen)
        try:
            out = _run_method(arch, r, chosen, method == "auto", prime, seed, strata, options)
        except InputError as e:
            if refused:                        # say why nothing exact ran either
                raise InputError(f"{refused}; {e}") from None
            raise
    out = dict(out)
    if out.get("witnesses"):
        stage("witness re-check")
    out["witnesses"] = [_reverified(arch, r, w) for w in out.get("witnesses", [])]
    details = out.get("details", {})
    holds = details.get("crit_in_sub")
    if any(w.get("verified") for w in out["witnesses"]):
        holds = False
    coverage = details.get("coverage")
    if holds is True and coverage != ALL_CODIMENSIONS:
        holds = None                       # partial coverage is evidence, not a proof
    out["crit_in_sub"] = {
        "holds": holds, "coverage": coverage, "method": out["method"],
        "certificate": "proved-over-Q" if holds is False else out.get("certificate"),
        "statement": details.get("statement")}
    if holds is None and refused and out["method"] == "slice":
        out["crit_in_sub"]["reason"] = refused
    out["sub_in_crit"] = sub_check
    out["verdict"] = converse_verdict(holds, coverage, sub_check.get("holds"))
    out["certificate"] = out["crit_in_sub"]["certificate"]
    if prepass is not None:
        out["prepass"] = {"points": prepass["points"], "seed": prepass["seed"],
                          "witnesses": len(prepass["witnesses"])}
    out["requested_method"] = method
    out["arch"], out["degree"] = str(arch), r
    out["seconds"] = round(time.perf_counter() - t0, 3)
    return out


def _run_method(arch, r, chosen, auto, prime, seed, strata, options) -> dict:
    """The result of the symbolic, theorem, slice or exhaustive method."""
    if chosen == "theorem":
        from .by_theorem import theorem_converse
        return theorem_converse(arch, r)
    if chosen == "symbolic":
        from .symbolic import symbolic_converse
        return symbolic_converse(arch, r, seed=seed, prime=prime, strata=strata, **options)
    if chosen == "slice":
        from .slicing import slicing_converse
        return slicing_converse(arch, r, seed=seed, prime=prime, strata=strata, **options)
    from .exhaustive import (DEFAULT_LIMIT, SMALLEST_SEARCH_PRIME, exhaustive_search,
                             search_primes)
    options.setdefault("cover", "stratified")
    if prime is not None:
        if prime < SMALLEST_SEARCH_PRIME:
            raise InputError(f"prime {prime} is below the smallest prime the converse searches "
                             f"over ({SMALLEST_SEARCH_PRIME})")
        primes = [prime]
    elif options["cover"] != "stratified":
        primes = [None]
    else:
        # auto keeps to STRATIFIED_LIMIT points in all; an explicit request may take the
        # primes above D up to the search's own limit
        primes = search_primes(arch, r, fallback_limit=None if auto else DEFAULT_LIMIT)
        if primes is None:
            raise InputError(f"no set of search primes for {arch} at r = {r} fits the limit "
                             f"(proofs/exhaustive.md, section 4); use --method slice or symbolic")
    return _exhaustive_part([exhaustive_search(arch, r, p, seed=seed, **options) for p in primes])


def _exhaustive_part(outs: list[dict]) -> dict:
    """The exhaustive searches' outcome for Crit in Sub, over one or more primes: True when no
    GF(p)-point of any chart cover is critical outside Sub and for every p the largest rank
    over GF(p) is the exact g over QQ (coverage all-codimensions of GF(p)-points, certificate
    exhaustive-GF(p, ...) naming the primes), False with a witness, None otherwise (hits that
    did not lift, or a smaller rank over GF(p))."""
    per = [dict(o.get("details", {})) for o in outs]
    witnesses = [w for o in outs for w in o.get("witnesses", [])]
    same_g = all(d.get("generic_rank_GF(p)") == d.get("generic_rank_QQ") and
                 d.get("generic_rank_QQ_certificate") == "exact" for d in per)
    primes = [d.get("p") for d in per]
    d = dict(per[0]) if len(per) == 1 else {
        "arch": per[0].get("arch"), "degree": per[0].get("degree"), "seed": per[0].get("seed"),
        "cover": per[0].get("cover"),
        "statement": " ".join(x.get("statement", "") for x in per),
        "points": sum(x.get("points", 0) for x in per),
        "generic_rank_QQ": per[0].get("generic_rank_QQ"),
        "generic_rank_QQ_certificate": per[0].get("generic_rank_QQ_certificate"),
        "critical_not_subnetwork": sum(x.get("critical_not_subnetwork", 0) for x in per),
        "subnetwork_not_critical": sum(x.get("subnetwork_not_critical", 0) for x in per),
        "warnings": [f"GF({x.get('p')}): {w}" for x in per for w in x.get("warnings", [])],
        "per_prime": per}
    d["primes"] = primes
    d["prime_classes"] = [x.get("prime_class") for x in per]
    if witnesses:
        d["crit_in_sub"] = False
    elif d.get("critical_not_subnetwork") == 0 and same_g:
        d["crit_in_sub"] = True
    else:                   # unlifted hits, or ranks over GF(p) measured against another g
        d["crit_in_sub"] = None
    d["coverage"] = ALL_CODIMENSIONS
    verdicts = {o.get("verdict") for o in outs}
    verdict = ("crit-not-in-sub" if witnesses else outs[0]["verdict"] if len(verdicts) == 1
               else "undecided")
    named = ",".join(str(p) for p in primes if p)
    return {**outs[0], "verdict": verdict, "witnesses": witnesses,
            "seconds": round(sum(o.get("seconds", 0) for o in outs), 3),
            "certificate": f"exhaustive-GF({named})" if named else outs[0].get("certificate"),
            "details": d}
