"""The proven sufficient threshold r*(d): every statement of proofs/threshold.md that proves
Crit = Sub for all r >= a value computed from the widths, with its integer conditions.

Serves proofs/threshold.md (Theorems T, T2 (section 14), T3 (section 15), Propositions S, S2,
S3) and proofs/converse.md, section 10 (Corollary T: the converse's method ``theorem``).  Pure
integer arithmetic on the architecture, no computation of ranks: it stands in ``core`` so that
the converse (``verify.crit_in_sub``) can use it; :mod:`verify.theorem.threshold` re-exports it
beside the empirical threshold.

EXAMPLES::

    sage: from verify.core.threshold_bounds import proven_threshold, theorem_t3_check
    sage: t = proven_threshold("2,3,3,1")
    sage: t["value"], t["by"].split(":")[0], t["theorem_t"]
    (6, 'Theorem T3', 16)
    sage: theorem_t3_check("2,3,3,1", 5)["holds"], theorem_t3_check("2,3,3,1", 6)["holds"]
    (False, True)
"""

from __future__ import annotations

from copy import deepcopy
from functools import lru_cache
from math import isqrt

from .architecture import Architecture, check_degree
from .errors import InputError

__all__ = ["proven_threshold", "theorem_t_threshold", "theorem_t3_check", "theorem_t3_threshold", "MAX_T3_WALK",
           "second_layer_codegree", "layer_condition_degree",
           "BY_T", "BY_T2A", "BY_T2B", "BY_T3", "BY_S", "BY_S2", "BY_S3"]

# --- the proven threshold (proofs/threshold.md, Theorems T and T2) --------------------------


def layer_condition_degree(s: int, C: int, P: int) -> int:
    """Least integer r >= 2 with (r - 1)(r - s) > C P r  (condition (D_l) of proofs/threshold.md).

    For r >= 2 the condition holds exactly when r exceeds the larger root of
    r^2 - (1 + s + CP) r + s (the smaller root is below 2), so the set of good r
    is upward closed and the least one is found by a short search above isqrt.

    sage: from verify.theorem.threshold import layer_condition_degree
    sage: layer_condition_degree(0, 1, 1), layer_condition_degree(1, 1, 2), layer_condition_degree(1, 7, 2)
    (3, 4, 16)
    """
    if s < 0 or C < 1 or P < 1:
        raise InputError(f"layer condition needs s >= 0, C >= 1, P >= 1; got {s}, {C}, {P}")
    b = 1 + s + C * P
    r = max(2, (b + isqrt(b * b - 4 * s)) // 2 - 1)
    while not (r - 1) * (r - s) > C * P * r:
        r += 1
    return r


def _hypotheses(arch: Architecture) -> list[dict]:
    d = arch.widths
    checks = [{"name": "L >= 2", "holds": arch.depth >= 2, "detail": f"L = {arch.depth}"}]
    low = [f"d_{i} = {w}" for i, w in enumerate(d[:-1]) if w < 2]
    checks.append({"name": "d_0, ..., d_{L-1} >= 2 (widths below the output)",
                   "holds": not low, "detail": ", ".join(low) if low else "all >= 2"})
    return checks


def second_layer_codegree(d1: int, sharpened: bool = True) -> tuple[int, int, str]:
    """(P_2, s_2, lemma): the co-degree of two pre-activations of hidden layer 2 is at least
    (r - s_2) / P_2 (proofs/threshold.md: Lemma G1 in general; Lemma G3, a pencil of three
    r-th powers has at most 2 base points, for d_1 = 3 when ``sharpened``).

    sage: from verify.theorem.threshold import second_layer_codegree
    sage: second_layer_codegree(3)[:2], second_layer_codegree(3, sharpened=False)[:2]
    ((1, 2), (2, 1))
    """
    if sharpened and d1 == 3:
        return 1, 2, "Lemma G3 (three r-th powers: co-degree >= r - 2)"
    return d1 - 1, d1 - 2, "Lemma G1 (apolarity: co-degree >= floor(r / (d_1 - 1)))"


def _layer_terms(d: tuple, sharpened: bool) -> list[dict]:
    """The conditions (B1), (D_2), ..., (D_{L-1}) of Theorem T (``sharpened``: with Lemma G3)."""
    per_layer = [{"layer": 1, "lemma": "Lemma B1 (apolarity: d_1 double points on P^1)",
                  "condition": "r >= 2 d_1 - 1", "constants": {"d_1": d[1]},
                  "r_min": 2 * d[1] - 1}]
    P, s, gcd_lemma = second_layer_codegree(d[1], sharpened)
    for l in range(2, len(d) - 1):
        M = d[l] * (d[l] - 2)
        C = 1 + 2 * M
        per_layer.append({
            "layer": l, "lemma": f"Lemma D (Wronskian directness); layer 2 from {gcd_lemma}",
            "condition": f"(r - 1)(r - {s}) > {C * P} r", "constants": {"M": M, "C": C, "P": P, "s": s},
            "r_min": layer_condition_degree(s, C, P), "simple_bound": s + C * P + 2})
        s, P = s + P * M, P * (1 + M)
    return per_layer


def _max_formula(name: str, per_layer: list[dict]) -> tuple[int, str]:
    value = max([2] + [p["r_min"] for p in per_layer])
    if len(per_layer) == 1:
        return value, f"{name} = 2 d_1 - 1 = {value}"
    names = ", ".join(f"r_{p['layer']}" for p in per_layer[1:])
    terms = ", ".join(str(p["r_min"]) for p in per_layer)
    return value, f"{name} = max(2 d_1 - 1, {names}) = max({terms}) = {value}"


def theorem_t_threshold(arch) -> int | None:
    """The bound r*_B(d) of Theorem T exactly as first proved (Lemma G1 at every d_1),
    kept to show it beside the sharper :func:`proven_threshold`; None outside its hypotheses.

    sage: from verify.theorem.threshold import theorem_t_threshold
    sage: theorem_t_threshold("2,2,3,1"), theorem_t_threshold("2,3,3,1"), theorem_t_threshold("1,2,1")
    (9, 16, None)
    """
    arch = Architecture.parse(arch)
    if not all(h["holds"] for h in _hypotheses(arch)):
        return None
    return _max_formula("r*_B", _layer_terms(arch.widths, sharpened=False))[0]


# --- Theorem T3: per-point Wronskian and pencil directness (proofs/threshold.md, section 15) ---


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def _t3_second_layer(d1: int, d2: int, r: int) -> tuple[int, dict]:
    """(tau_2, nu_2) of Theorem T3: the co-degree bound of the layer-2 forms (Lemma G1;
    Lemma G3 when d_1 = 3) and, per dimension s of a span of layer-2 forms, a lower bound
    on their degree after dividing by their gcd (s = d_1: the span is all of
    span{l_a^r}, base-point free; s = d_1 - 1 >= 2: Lemma G4, gcd of degree <= 2)."""
    tau = r // (d1 - 1)
    if d1 == 3:
        tau = max(tau, r - 2)
    nu = {}
    for s in range(2, min(d2, d1) + 1):
        if s == d1:
            nu[s] = r
        elif d1 >= 3 and s == d1 - 1:
            nu[s] = max(tau, r - 2)
        else:
            nu[s] = tau
    return tau, nu


def theorem_t3_check(arch, r: int) -> dict:
    """Theorem T3 at one degree r (proofs/threshold.md, section 15): ``holds`` (bool) and the
    per-layer quantities (n_l = r^(l-1), the co-degree bound tau_l, the bounds nu_l(s)).

    Layer 1: (B1) r >= 2 d_1 - 1.  Hidden layer l >= 2 is direct when for every 2 <= m <= d_l
    and 2 <= s <= min(m, d_{l-1}): s = 2 and Lemma D3 (m - 1)(floor(n_l / nu_l(2)) + 1) <= r - 1,
    or Lemma W2, paragraph (D) (r - 1 - m(m - 2)) n' + (m - 1)(m - 2) > (m - 1) n_l for n' = nu_l(s) and n' = n_l.
    The co-degree of layer l + 1 is at least the least, over the same (m, s), of paragraph (G)'s
    ceil(((r - m(m - 2)) n' + (m - 1)(m - 2)) / (m - 1)) (n' = nu_l(s), n_l) and, for s = 2,
    Lemma D3's nu_l(2) floor(r / (m - 1)); it must be >= 1.  Integers only.

    sage: from verify.theorem.threshold import theorem_t3_check
    sage: theorem_t3_check("2,3,3,1", 6)["holds"], theorem_t3_check("2,3,3,1", 5)["holds"]
    (True, False)
    """
    arch = Architecture.parse(arch)
    d = arch.widths
    r = check_degree(r)
    L = arch.depth
    layers = [{"layer": 1, "holds": r >= 2 * d[1] - 1, "condition": "(B1) r >= 2 d_1 - 1"}]
    out = {"degree": r, "holds": False, "layers": layers, "failing": None}
    if not layers[0]["holds"]:
        out["failing"] = f"layer 1: (B1) needs r >= {2 * d[1] - 1}"
        return out
    if L == 2:
        out["holds"] = True
        return out
    n = r
    tau, nu = _t3_second_layer(d[1], d[2], r)
    for l in range(2, L):
        k, prev = d[l], d[l - 1]
        entry = {"layer": l, "n": n, "tau": tau, "nu": {str(s): v for s, v in nu.items()}}
        layers.append(entry)
        for m in range(2, k + 1):
            direct = {}                 # the conditions depend on s only through (nu(s), s == 2)
            for s in range(2, min(m, prev) + 1):
                nv = nu[s]
                key = (nv, s == 2)
                if key not in direct:
                    d2 = all((r - 1 - m * (m - 2)) * x + (m - 1) * (m - 2) > (m - 1) * n for x in (nv, n))
                    d3 = s == 2 and (m - 1) * (n // nv + 1) <= r - 1
                    direct[key] = d2 or d3
                if not direct[key]:
                    entry["holds"] = False
                    out["failing"] = (f"layer {l}: m = {m} terms spanning dimension s = {s} "
                                      f"(n = {n}, nu = {nv}): neither Lemma W2 (D) nor Lemma D3")
                    if (L, d[1], d[2], m, s, r) == (3, 3, 3, 3, 3, 5):   # the only failure then
                        out["failing"] += ("; this directness is Conjecture D5 (section 15, not "
                                           "proved; Lemma U5 proves it for coefficients in U)")
                    return out
        entry["holds"] = True
        if l == L - 1:
            break
        tmin = None
        for m in range(2, k + 1):
            for nv, pencil in {(nu[s], s == 2) for s in range(2, min(m, prev) + 1)}:
                b = min(_ceil_div((r - m * (m - 2)) * x + (m - 1) * (m - 2), m - 1) for x in (nv, n))
                if pencil:
                    b = max(b, nv * (r // (m - 1)))
                tmin = b if tmin is None else min(tmin, b)
        if tmin < 1:
            out["failing"] = f"layer {l + 1}: paragraph (G) of section 15 gives no positive co-degree"
            return out
        base = n - min(nu.values())          # Delta_l: degree of the gcd of all of layer l
        n, tau = n * r, tmin
        nu = {s: (max(tau, n - r * base) if s == k else tau) for s in range(2, min(d[l + 1], k) + 1)}
    out["holds"] = True
    return out


#: Theorem T3 is checked one degree at a time, downward from a bound proved by the other
#: statements; at most this many degrees are checked (Theorem T's bound can be in the millions,
#: e.g. 3,906,250 for 2,6,6,6,6,6,1, and each check is a fraction of a millisecond).  Stopping
#: early is sound: every degree checked is proved, so the value is still a proved bound, only
#: perhaps not the least T3 gives.  Among the architectures with N <= 40 the longest walk is
#: 272 degrees (2,3,3,3,4,1: from 290 down to 18), so none of them is affected.
MAX_T3_WALK = 1000


def theorem_t3_threshold(arch, above: int) -> int:
    """Least r0 <= ``above``, at most MAX_T3_WALK below it, such that Theorem T3 holds at every
    r in [r0, above) (``above`` when it fails at above - 1): with a bound proved for every
    r >= ``above``, every r >= r0 is proved.

    sage: from verify.theorem.threshold import theorem_t3_threshold
    sage: theorem_t3_threshold("2,3,3,1", 10), theorem_t3_threshold("2,4,4,1", 54)
    (6, 13)
    """
    r0 = above
    for r in range(above - 1, max(1, above - 1 - MAX_T3_WALK), -1):
        if not theorem_t3_check(arch, r)["holds"]:
            break
        r0 = r
    return r0


#: The statements proven_threshold takes its value from, by name (proofs/threshold.md).
BY_T = "Theorem T"
BY_T2A = "Theorem T2(a): Theorem T with Lemma G3"
BY_T2B = "Theorem T2(b): Proposition Q (a first hidden layer of width 2 peels off)"
BY_T3 = "Theorem T3: Lemmas W2, D3, G4 and paragraphs (D), (G) of section 15 (per-point Wronskian and pencil directness), degree by degree"
BY_S = "Proposition S: (2, d_1, 1) has Crit = Sub exactly for r >= 2 d_1 - 1"
BY_S2 = "Proposition S2: (d_0 >= 3, 2, 1) has Crit = Sub for every r >= 2"
BY_S3 = "Proposition S3: (d_0, 2, d_2, 1), d_2 >= 3, has Crit = Sub exactly for r >= 2 d_2 - 1"


def _kernel_bounds(d: tuple) -> list[dict]:
    """Every proved statement whose conclusion is Theorem T's (1): ker J = span{xi} at every
    point outside Sub, for every r >= value.  These, and only these, may be used inside
    Proposition Q's peeling (Theorem T2(b) needs (1) for the peeled network)."""
    arch = Architecture(d)
    per_layer = _layer_terms(d, sharpened=True)
    t2a, formula = _max_formula("r*", per_layer)
    theorem_t = theorem_t_threshold(arch)
    bounds = [{"by": BY_T, "value": theorem_t, "formula": _max_formula("r*_B", _layer_terms(d, False))[1]}]
    if t2a < theorem_t:
        bounds.append({"by": BY_T2A, "value": t2a, "formula": formula})
    best = min(theorem_t, t2a)
    if d[1] == 2 and len(d) >= 4:
        peeled = (2,) + tuple(d[2:])
        inner = min(_kernel_bounds(peeled), key=lambda b: b["value"])
        bounds.append({"by": BY_T2B, "value": max(3, inner["value"]),
                       "formula": f"r* = max(3, r*({Architecture(peeled)})) = {max(3, inner['value'])}, "
                                  f"where {inner['formula']} for {Architecture(peeled)}"})
        best = min(best, max(3, inner["value"]))
    t3 = theorem_t3_threshold(arch, best)
    if t3 < best:
        bounds.append({"by": BY_T3, "value": t3,
                       "formula": f"r* = {t3}: Theorem T3's conditions hold at every r in [{t3}, {best}) "
                                  f"(checked degree by degree; `theorem_t3_check`), and r >= {best} "
                                  f"is proved above"})
    return bounds


def proven_threshold(arch) -> dict:
    """The best proved sufficient threshold r*(d), from every proved statement of
    proofs/threshold.md, with the statement that gives it.

    Crit = Sub for every r >= ``value``.  Statements used (``bounds``, one entry each with
    ``by``, ``value``, ``formula``): Theorem T; Theorem T2(a) (Lemma G3); Theorem T2(b)
    (Proposition Q's peeling, d_1 = 2, L >= 3, applied to the peeled network's best bound of
    the same strength); Theorem T3 (section 15: checked degree by degree below the best of the
    others, which proves every degree above); Propositions S, S2, S3 (exact shallow and
    (d_0, 2, d_2, 1) thresholds).  All but S2 also prove ker J = span{xi} outside Sub
    (``kernel_value``: the least r from which that stronger conclusion is proved).
    Keys: ``value`` (int, or None when a hypothesis fails), ``by`` (the statement giving the
    value: the first of S, S2, S3, T, T2(a), T2(b), T3 that attains it), ``bounds``,
    ``hypotheses``, ``formula``, ``per_layer`` (the conditions of Theorem T2(a)),
    ``theorem_t`` (the first release's r*_B, for comparison), ``kernel_value``,
    ``certificate``, ``note``.

    sage: from verify.theorem.threshold import proven_threshold
    sage: [(a, proven_threshold(a)["value"]) for a in ("3,2,1", "2,3,3,1", "2,4,3,1", "2,4,4,1")]
    [('3,2,1', 2), ('2,3,3,1', 6), ('2,4,3,1', 9), ('2,4,4,1', 13)]
    sage: proven_threshold("5,2,1")["by"]
    'Proposition S2: (d_0 >= 3, 2, 1) has Crit = Sub for every r >= 2'
    """
    return deepcopy(_proven_threshold(Architecture.parse(arch).widths))


@lru_cache(maxsize=4096)
def _proven_threshold(d: tuple) -> dict:
    """proven_threshold for the widths d, computed once per process (several callers ask for
    it per case, and Theorem T3's walk costs up to MAX_T3_WALK checks on a wide network);
    callers get a copy."""
    arch = Architecture(d)
    hyps = _hypotheses(arch)
    if not all(h["holds"] for h in hyps):
        bad = "; ".join(f"{h['name']} fails ({h['detail']})" for h in hyps if not h["holds"])
        return {"value": None, "hypotheses": hyps, "formula": None, "per_layer": [],
                "certificate": None, "by": None, "theorem_t": None, "bounds": [],
                "kernel_value": None,
                "note": f"Theorem T does not apply: {bad}. No threshold is claimed."}
    bounds = _kernel_bounds(d)
    kernel_value = min(b["value"] for b in bounds)
    exact = []                                  # sharp statements, named first when they tie
    if arch.depth == 2 and d[0] == 2 and d[2] == 1:
        exact.append({"by": BY_S, "value": 2 * d[1] - 1, "formula": f"r* = 2 d_1 - 1 = {2 * d[1] - 1}"})
    if arch.depth == 2 and d[0] >= 3 and d[1] == 2 and d[2] == 1:
        exact.append({"by": BY_S2, "value": 2, "formula": "r* = 2 (every r >= 2)"})
    if arch.depth == 3 and d[1] == 2 and d[2] >= 3 and d[3] == 1:
        exact.append({"by": BY_S3, "value": 2 * d[2] - 1, "formula": f"r* = 2 d_2 - 1 = {2 * d[2] - 1}"})
    bounds = exact + bounds
    best = min(bounds, key=lambda b: b["value"])      # min keeps the first of equal values
    value = best["value"]
    if best["by"] in (BY_S, BY_S2, BY_S3):
        note = "exact: Crit = Sub for every r >= r*, and not at r* - 1" if best["by"] != BY_S2 \
            else "exact: Crit = Sub at every r >= 2 (Proposition S2)"
    elif arch.depth == 2:
        note = "sufficient; sharp for d = (2, d_1, 1) (Proposition S)"
    else:
        note = "sufficient, not known to be sharp (proofs/threshold.md, sections 14 and 15)"
    statement = best["by"].split(":")[0]
    return {"value": value, "hypotheses": hyps, "formula": best["formula"],
            "per_layer": _layer_terms(d, sharpened=True),
            "by": best["by"], "bounds": bounds, "theorem_t": theorem_t_threshold(arch),
            "kernel_value": kernel_value,
            "certificate": "proof: proofs/threshold.md, " + statement,
            "note": note}
