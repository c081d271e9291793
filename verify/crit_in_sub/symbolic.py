"""Symbolic proof over QQ of Crit in Sub for tiny cases, or exact non-subnetwork critical points.

Serves proofs/converse.md, section 2 (Theorem S).  On each chart of
:mod:`verify.crit_in_sub.chart` (polynomial ring QQ[free coordinates]) let J be the chart's
Jacobian (N - H columns), g the generic rank, I an ideal of g x g minors of J
(all of them, or random QQ-combinations det(P J Q), which lie in the ideal of
all minors by Cauchy-Binet), and J_s the ideal of stratum s restricted to the chart.
Then

    (I : (prod_s J_s)^inf) = (1)  on every chart   ==>   Crit is inside Sub,

because V(I_g) is inside V(I) and the saturation is the ideal of the closure of
V(I) minus Sub.  The saturation is iterated over the strata (saturating by a
product = saturating by each factor in turn); Singular does the work.  When it is
not (1), each minimal prime P of the saturation is either shown to lie in Crit (a
point of V(P) outside Sub, in a number field, with exact rank < g -- a witness)
or refined by further minors not in P.  Randomness (seeded) only steers which
minors are used; every conclusion is exact.

EXAMPLES::

    sage: from verify.crit_in_sub.symbolic import symbolic_converse
    sage: out = symbolic_converse("2,2,1", 3)
    sage: out["verdict"], out["certificate"], out["details"]["crit_in_sub"]
    ('crit-equals-sub', 'proved-over-Q', True)
    sage: out = symbolic_converse("2,3,1", 2)          # r = 2 < 2 d_1 - 1: B strata fill
    sage: out["verdict"], out["details"]["crit_in_sub"]
    ('sub-not-in-crit', True)
"""

from __future__ import annotations

import functools
import random
import time
from math import comb

from ..core.architecture import Architecture, check_degree
from .chart import chart_count, charts
from ..core.errors import InputError
from ..sub_in_crit.strata import is_subnetwork, subnetwork_strata

__all__ = ["symbolic_converse", "symbolic_fits", "charts_fit", "minor_degree_bound", "SYMBOLIC_LIMITS"]

#: Size limits of the symbolic method on the stratified charts: chart variables, charts,
#: rows and columns of J, the degree bound of a g x g minor (sum of the g largest column
#: degrees of the chart's J), and, per chart with v >= 2 variables, its cost rows x minor
#: degree x v against ``cost`` (L = 2) or ``cost_deep`` (L >= 3), indexed by v (4 = "4 or
#: more"); charts with at most one variable are univariate and cheap.  Measured on 2 cores
#: (bench/bench_converse.py), coefficient minors and stdhilb saturation: two variables,
#: 3,3,2 at r = 6 (cost 2688) 8 s, 2,2,2,1 at r = 8 (3900) 9 s, 3,2,2,1 at r = 4 (6732) 6 s;
#: three, 2,5,1 at r = 9 (1530) 1 s, 2,2,2,1 at r = 3 (450, first cover) 1 s but r = 4 (1071)
#: over 90 s; four or more, 4,4,2 at r = 2 (1600) 3 s, 2,2,3,1 at r = 2 (200) 4 s but r = 3
#: (560) over 90 s.
SYMBOLIC_LIMITS = {"variables": 6, "charts": 128, "rows": 200, "columns": 24, "minor_degree": 80,
                   "cost": {2: 8000, 3: 1600, 4: 1600}, "cost_deep": {2: 8000, 3: 800, 4: 400}}
#: Use all g x g minors when there are at most this many, else random projected minors.
ALL_MINORS_LIMIT = 300


def symbolic_fits(arch, r: int) -> tuple[bool, str]:
    """(True, "") if (arch, r) is within SYMBOLIC_LIMITS on every stratified chart, else
    (False, the limit it breaks)."""
    arch = Architecture.parse(arch)
    nch = chart_count(arch)                    # before the charts are built
    if nch > SYMBOLIC_LIMITS["charts"]:
        return False, f"{nch} charts (symbolic limit {SYMBOLIC_LIMITS['charts']})"
    return charts_fit(arch, r, charts(arch))


def charts_fit(arch, r: int, cs) -> tuple[bool, str]:
    """SYMBOLIC_LIMITS on the charts ``cs`` of ``arch`` (all of them, or those of some strata):
    (True, "") or (False, the limit they break)."""
    if len(cs) > SYMBOLIC_LIMITS["charts"]:
        return False, f"{len(cs)} charts (symbolic limit {SYMBOLIC_LIMITS['charts']})"
    nv = max((len(c.free) for c in cs), default=0)
    if nv > SYMBOLIC_LIMITS["variables"]:
        return False, f"{nv} chart variables (symbolic limit {SYMBOLIC_LIMITS['variables']})"
    if arch.ambient(r) > SYMBOLIC_LIMITS["rows"]:
        return False, f"ambient dimension {arch.ambient(r)} (symbolic limit {SYMBOLIC_LIMITS['rows']})"
    if arch.params - arch.hidden > SYMBOLIC_LIMITS["columns"]:
        return False, f"N - H = {arch.params - arch.hidden} (symbolic limit {SYMBOLIC_LIMITS['columns']})"
    deg = max((_minor_degree(c, r) for c in cs), default=0)
    if deg > SYMBOLIC_LIMITS["minor_degree"]:
        return False, f"minors of degree up to {deg} (symbolic limit {SYMBOLIC_LIMITS['minor_degree']})"
    table = SYMBOLIC_LIMITS["cost" if arch.depth == 2 else "cost_deep"]
    for c in cs:
        v = len(c.free)
        if v < 2:
            continue
        cost = arch.ambient(r) * _minor_degree(c, r) * v
        if cost > table[min(v, 4)]:
            return False, (f"cost {cost} = rows x minor degree x variables on a chart with {v} "
                           f"variables (symbolic limit {table[min(v, 4)]} for L = {arch.depth})")
    return True, ""


@functools.lru_cache(maxsize=256)
def _minor_degree(chart, r) -> int:
    """Sum of the g' largest column degrees of the chart's J (computed once per chart and r:
    the limits, the cost and the dispatcher all ask for it)."""
    if not chart.free:
        return 0
    R = chart.polynomial_ring()
    J = chart.jacobian(r, chart.generic_weights(R), R)
    degs = sorted((max((e.degree() for e in J.column(c) if e != 0), default=0)
                   for c in range(J.ncols())), reverse=True)
    return int(sum(degs[: min(J.nrows(), J.ncols())]))


def symbolic_cost(arch, r: int) -> int:
    """max over the charts with >= 2 variables of rows x minor degree x variables: the
    empirical cost measure of SYMBOLIC_LIMITS (bench/bench_converse.py)."""
    arch = Architecture.parse(arch)
    return max(arch.ambient(r) * _minor_degree(c, r) * len(c.free) if len(c.free) >= 2 else 0
               for c in charts(arch))


def minor_degree_bound(arch, r: int) -> int:
    """Largest, over the charts, sum of the g' largest column degrees of the chart's J.

    g' = min(rows, columns) bounds g, so this bounds the degree of every g x g minor.
    """
    arch = Architecture.parse(arch)
    return max(_minor_degree(c, r) for c in charts(arch))


def _stratum_ideals(arch, W, R):
    """Ideals of the strata restricted to the chart; None if some stratum contains the chart."""
    out = []
    for s in subnetwork_strata(arch):
        l = s.layer
        if s.kind == "A":
            gens = list(W[l - 1][s.neurons[0]])
        elif s.kind == "B":
            gens = [row[s.neurons[0]] for row in W[l]]
        else:
            u, v = W[l - 1][s.neurons[0]], W[l - 1][s.neurons[1]]
            gens = [u[a] * v[b] - u[b] * v[a] for a in range(len(u)) for b in range(a + 1, len(u))]
        gens = [R(x) for x in gens]
        if any(x.is_constant() and x != 0 for x in gens):
            continue                                  # unit ideal: stratum misses the chart
        if all(x == 0 for x in gens):
            return None
        out.append((s.name, R.ideal(gens)))
    return out


def _saturate(I, J):
    """(I : J^inf), by Singular: a Groebner basis of I by the Hilbert-driven ``stdhilb``,
    then ``sat`` of elim.lib on it (measured 10-30x faster than ``I.saturation(J)`` on the
    charts of 3,3,2 at r = 5; the result is the same ideal)."""
    from sage.libs.singular.function import lib as singular_lib, singular_function
    singular_lib("elim.lib")
    R = I.ring()
    out = singular_function("sat")(R.ideal(I.groebner_basis("libsingular:stdhilb")), J)
    # Singular 4.3+ returns the ideal (a PolynomialSequence here, itself a list); older
    # elim.lib returned [ideal, exponent]
    if isinstance(out, (list, tuple)) and out and isinstance(out[-1], int) and len(out) == 2 \
            and not hasattr(out[-1], "parent"):
        out = out[0]
    return R.ideal(list(out))


def _projected_minor(J, g, rng):
    """det(P J_c) for P a random integer g x rows matrix and c a random set of g columns.

    By Cauchy-Binet it is a QQ-combination of g x g minors of J, so it lies in I_g.
    Selecting columns (instead of mixing them) keeps the degree of the minor low.
    """
    from .common import random_integer_matrix
    P = random_integer_matrix(rng, g, J.nrows(), 5)
    cols = sorted(rng.sample(range(J.ncols()), g))
    return (P * J.matrix_from_columns(cols)).det()


def _short(ideal, limit=400):
    s = str(list(ideal.gens()))
    return s if len(s) <= limit else s[:limit] + " ..."


def _point_outside_sub(P, chart, rng, tries=8):
    """A point of V(P) outside Sub, over QQ or a number field: (K, weights) or None."""
    from sage.all import QQ, QQbar
    from sage.rings.qqbar import number_field_elements_from_algebraics
    R = P.ring()
    xs = R.gens()
    k = P.dimension()
    for attempt in range(tries):
        if attempt < tries // 2:        # coordinate slices first: they keep the fields small
            lins = [x - rng.randint(-3, 3) for x in rng.sample(list(xs), k)] if k else []
        else:
            lins = [sum(rng.randint(-6, 6) * x for x in xs) + rng.randint(-6, 6) for _ in range(k)]
        Z = P + R.ideal(lins) if lins else P
        if Z.dimension() != 0:
            continue
        for Q in sorted(Z.minimal_associated_primes(), key=lambda q: q.vector_space_dimension()):
            if Q.vector_space_dimension() == 1:
                pt = Q.variety(QQ)[0]
                K, vals = QQ, [pt[x] for x in xs]
            else:
                pt = Q.variety(QQbar)[0]
                K, vals, _ = number_field_elements_from_algebraics([pt[x] for x in xs],
                                                                   minimal=True)
                if K.degree() == 1:
                    K, vals = QQ, [QQ(v) for v in vals]
                else:
                    from sage.all import NumberField
                    F = NumberField(K.polynomial(), "a")
                    phi = K.hom([F.gen()])
                    K, vals = F, [phi(v) for v in vals]
            W = chart.weights(vals[: len(chart.free)], K)
            if not is_subnetwork(chart.arch, W):
                return K, W
    return None


def _generic_rank(arch, r, seed, prime, chart):
    """g with an exact certificate: sampled and bounded (proved_generic_rank), else the rank over
    Frac(chart ring)."""
    from ..sub_in_crit.subnetwork_rank import proved_generic_rank
    G = proved_generic_rank(arch, r, prime=prime, seed=seed)
    if G.certificate == "exact":
        return G.value, G
    R = chart.polynomial_ring()
    J = chart.jacobian(r, chart.generic_weights(R), R)
    g = int(J.change_ring(R.fraction_field()).rank())
    G.value, G.certificate = g, "exact"
    G.statement = f"rank {g} of the chart Jacobian over the fraction field of its ring (= g)"
    return g, G


def _chart_outcome(chart, r, g, rng, rounds):
    """Decide V(I_g) in Sub on one chart: ('proved'|'refuted'|'inside-sub'|'undecided', info)."""
    from .common import witness_record
    arch = chart.arch
    R = chart.polynomial_ring()
    W = chart.generic_weights(R)
    info = {"chart": chart.label, "variables": chart.variable_names()}
    sub = _stratum_ideals(arch, W, R)
    if sub is None:
        return "inside-sub", info
    if not chart.free:                              # a single point: rank it exactly
        w = witness_record(arch, r, chart.weights([]), None, g)
        info["rank"] = w["rank"]
        return ("refuted", {**info, "witnesses": [w], "components": [{"generators": [], "dimension": 0}]}) \
            if w["verified"] else ("proved", info)
    J = chart.jacobian(r, W, R, coefficients=True)
    nminors = comb(J.nrows(), g) * comb(J.ncols(), g)
    exact = nminors <= ALL_MINORS_LIMIT
    I = R.ideal(J.minors(g)) if exact else R.ideal([_projected_minor(J, g, rng)
                                                     for _ in range(len(chart.free) + 2)])
    info.update({"all_minors": nminors, "minors_used": "all" if exact else "projected",
                 "strata_ideals": len(sub)})
    for rnd in range(rounds):
        S = I
        for _, Js in sub:
            S = _saturate(S, Js)
            if S.is_one():
                break
        info["rounds"] = rnd + 1
        info["ideal_generators"] = len(I.gens())
        if S.is_one():
            info["groebner_basis_size"] = 1
            return "proved", info
        gb = S.groebner_basis()
        info["groebner_basis_size"] = len(gb)
        grow, comps, witnesses = [], [], []
        for P in S.minimal_associated_primes():
            if not exact:
                fresh = [_projected_minor(J, g, rng) for _ in range(2)]
                bad = [f for f in fresh if P.reduce(f) != 0]
                if bad:
                    grow += bad
                    continue
            found = _point_outside_sub(P, chart, rng)
            if found is None:
                continue
            w = witness_record(arch, r, found[1], found[0], g)
            if w["verified"]:
                witnesses.append(w)
                comps.append({"generators": _short(P), "dimension": int(P.dimension()),
                              "in_crit": "all minors" if exact else "point-verified"})
            elif not exact:
                grow += [_projected_minor(J, g, rng)]
        if witnesses:
            info.update({"components": comps, "witnesses": witnesses})
            return "refuted", info
        if not grow:
            return "undecided", info
        I = I + R.ideal(grow)
    return "undecided", info


def symbolic_converse(arch, r: int, seed: int = 0, prime=None, rounds: int = 6,
                      enforce_limits: bool = True, strata=None) -> dict:
    """Proof over QQ that Crit is inside Sub, or exact witnesses that it is not (Theorem S).

    ``enforce_limits=False`` skips the size check (the benchmark probes beyond it);
    ``strata``: precomputed strata records for the Sub-in-Crit half (see ``sub_in_crit``).
    """
    from .common import result, sub_in_crit
    t0 = time.perf_counter()
    arch = Architecture.parse(arch)
    r = check_degree(r)
    ok, why = symbolic_fits(arch, r) if enforce_limits else (True, "")
    if not ok:
        raise InputError(f"symbolic method: {arch} at r={r} has {why}")
    rng = random.Random(int(seed))
    cs = charts(arch)
    g, G = _generic_rank(arch, r, seed, prime, cs[0])
    outcomes, witnesses, components = [], [], []
    for chart in cs:
        t1 = time.perf_counter()
        status, info = _chart_outcome(chart, r, g, rng, rounds)
        info.update({"status": status, "stratum": chart.stratum, "codimension": chart.codimension,
                     "seconds": round(time.perf_counter() - t1, 3)})
        witnesses += info.pop("witnesses", [])
        components += info.get("components", [])
        outcomes.append(info)
    statuses = {o["status"] for o in outcomes}
    if "refuted" in statuses:
        crit_in_sub = False
    elif statuses <= {"proved", "inside-sub"}:
        crit_in_sub = True
    else:
        crit_in_sub = None
    undecided = sorted({o["codimension"] for o in outcomes if o["status"] == "undecided"})
    sub_check = sub_in_crit(arch, r, seed=seed, prime=prime, records=strata)
    certificate = "proved-over-Q"
    details = {"generic_rank": g, "generic_rank_certificate": G.certificate,
               "generic_rank_statement": G.statement, "charts": outcomes,
               "components": components, "seed": seed, "prime": G.prime,
               "statement": "Crit in Sub on every chart by saturation (I_g : J_Sub^inf) = (1)"
               if crit_in_sub else "components of Crit outside Sub, each with an exact witness"
               if crit_in_sub is False else "undecided on some chart"}
    coverage = "all-codimensions" if not undecided else \
        f"every stratum but those of codimension {', '.join(map(str, undecided))}"
    return result("symbolic", crit_in_sub, certificate, witnesses, time.perf_counter() - t0,
                  details, sub_check, coverage=coverage)
