"""Exact slicing: critical points of J on random affine lines and planes, tested for Sub.

Serves proofs/converse.md, section 4 (Proposition L and the slicing bound).  On a
line theta(t) = theta_0 + t v (seeded random integers in [-B, B]) every g x g
minor of J(theta(t)) is a polynomial in t of degree <= g (w - 1), w = 1 + r + ... +
r^(L-1).  The critical parameters are exactly the common roots of all of them, so
they are among the roots of h = gcd_j det(P_j J(t) Q_j) (random integer projections,
Cauchy-Binet); each det is computed exactly by evaluating at t = 0, ..., g (w - 1)
over ZZ and interpolating over QQ.  Every irreducible factor of h over QQ is a
point theta(a) over K = QQ[a]/(factor), tested exactly: membership in Sub over K, then
(outside Sub) a lower bound for the rank modulo a degree-one prime of K, and when that is
below g the exact rank over K (restriction of scalars to QQ).  Roots that are not critical
(spurious common roots of the projections) are counted and discarded.  On planes (k = 2)
the projected minors are computed over QQ[s, t]; after removing their common curve
(codimension-one parts, met by lines) the s-coordinates of the remaining common zeros are
the roots of the gcd of the resultants Res_t(q_0, q_i), and for each irreducible factor the
t-coordinates are the roots of the gcd of the q_i over its number field.

Found witnesses are exact.  Not finding one is probabilistic: a component of
Crit outside Sub of codimension k is missed by one k-slice with probability at most
e^k (k + F) / (2B + 1), e = g (w - 1), F = sum of the degrees of one equation per
stratum (proofs/converse.md, Proposition L).

EXAMPLES::

    sage: from verify.crit_in_sub.slicing import slicing_converse
    sage: out = slicing_converse("3,3,1", 3, lines=1)   # rank-deficient W_1 is critical
    sage: out["verdict"], out["certificate"], out["witnesses"][0]["verified"]
    ('crit-not-in-sub', 'proved-over-Q', True)
"""

from __future__ import annotations

import random
import time

from ..core.architecture import Architecture, check_degree
from .common import random_integer_matrix, result, sub_in_crit, witness_record
from ..core.errors import InputError
from ..sub_in_crit.strata import subnetwork_strata

__all__ = ["slicing_converse", "line_critical_points", "plane_critical_points", "miss_bound",
           "SLICE_BOUND", "PLANE_BOUND", "SLICE_LIMITS"]

#: Entries of theta_0 and of the directions on lines are uniform in [-SLICE_BOUND, SLICE_BOUND].
SLICE_BOUND = 2 ** 20
#: The same on planes.
PLANE_BOUND = 2 ** 20
#: Entries of the random projections P, Q of the minors det(P J Q).
PROJECTION_BOUND = 9
#: Refuse lines whose minors exceed this degree in t, planes beyond this degree in (s, t),
#: and number fields (irreducible factors) beyond this degree.  Measured: a line of
#: 2,3,3,1 at r = 10 (minors of degree 1320) exhausted the 6 GiB case limit after 3.7 min.
SLICE_LIMITS = {"line_degree": 1000, "plane_degree": 24, "field_degree": 80}


def _strata_degree(arch) -> int:
    return sum(2 if s.kind == "C" else 1 for s in subnetwork_strata(arch))


def miss_bound(arch, r: int, g: int, k: int, bound: int, slices: int) -> float:
    """Upper bound on the probability that ``slices`` random k-slices all miss a codim-k
    component of Crit outside Sub (proofs/converse.md, Proposition L)."""
    e = g * (arch.weight_degree(r) - 1)
    per = min(1.0, float(e) ** k * (k + _strata_degree(arch)) / (2 * bound + 1))
    return per ** slices


def _point(arch, theta0, dirs, params, K):
    from ..core.weights import unflatten
    flat = [K(a) + sum(K(c) * p for c, p in zip(cs, params)) for a, *cs in zip(theta0, *dirs)]
    return unflatten(arch, flat)


def _rank_mod_degree_one_prime(arch, r, W, K):
    """A lower bound for rank J(W) over K: the rank after a ring map Z[a]/(m) -> GF(p).

    p is a prime > D not dividing the denominators of the minimal polynomial m, at which
    m has a simple root rho; a minor nonzero mod (p, a - rho) is nonzero in K.
    Returns None when no such prime is found among the first tries.
    """
    from sage.all import GF, QQ, ZZ, next_prime, PolynomialRing
    from ..core.jacobian import jacobian_at
    D = arch.output_degree(r)
    m = K.polynomial()
    den = m.denominator()
    entries = [v for M in W for row in M for v in row]
    for v in entries:
        den = den.lcm(K(v).polynomial().denominator())
    mz = (m * m.denominator()).change_ring(ZZ)
    p = next_prime(max(D, 2 ** 25))
    for _ in range(20):
        if den % p and mz.leading_coefficient() % p:
            F = GF(p)
            mp = mz.change_ring(F)
            roots = [rt for rt, e in mp.roots() if e == 1]
            if roots:
                rho = roots[0]
                Wp = [[[K(v).polynomial().change_ring(F)(rho) for v in row] for row in M] for M in W]
                return int(jacobian_at(arch, r, Wp, F).rank()), int(p)
        p = next_prime(p)
    return None


def _test_factor(arch, r, g, theta0, dirs, roots_field, roots):
    """Classify theta_0 + sum roots_i dirs_i over the field of the roots, exactly.

    Returns ("in-sub", strata), ("not-critical", how) or ("witness", witness_record).
    A point outside Sub is first ranked modulo a degree-one prime (a lower bound of its
    rank over K); only when that is < g is the exact rank over K computed.
    """
    from sage.all import QQ
    from ..sub_in_crit.strata import strata_containing
    W = _point(arch, theta0, dirs, roots, roots_field)
    strata = strata_containing(arch, W)
    if strata:
        return "in-sub", [s.name for s in strata]
    if roots_field != QQ:
        low = _rank_mod_degree_one_prime(arch, r, W, roots_field)
        if low is not None and low[0] >= g:
            return "not-critical", f"rank >= {low[0]} (mod {low[1]})"
    rec = witness_record(arch, r, W, roots_field, g)
    return ("witness", rec) if rec["verified"] else ("not-critical", f"rank {rec['rank']} over K")


def line_critical_points(arch, r: int, g: int, theta0, v, projections: int, rng) -> dict:
    """Critical points of J on theta_0 + t v, each tested exactly.  Returns a summary dict."""
    from sage.all import QQ, ZZ, NumberField, PolynomialRing, gcd
    from ..core.jacobian import jacobian_at
    from ..core.weights import unflatten
    deg = g * (arch.weight_degree(r) - 1)
    if deg > SLICE_LIMITS["line_degree"]:
        raise InputError(f"slicing: minors of degree {deg} in t (limit {SLICE_LIMITS['line_degree']})")
    A, N = arch.ambient(r), arch.params
    Ps = [random_integer_matrix(rng, g, A, PROJECTION_BOUND) for _ in range(projections)]
    Qs = [random_integer_matrix(rng, N, g, PROJECTION_BOUND) for _ in range(projections)]
    vals = [[] for _ in range(projections)]
    for t in range(deg + 1):
        W = unflatten(arch, [a + t * b for a, b in zip(theta0, v)])
        J = jacobian_at(arch, r, W, ZZ)
        for j in range(projections):
            vals[j].append((t, (Ps[j] * J * Qs[j]).det()))
    R = PolynomialRing(QQ, "t")
    polys = [R.lagrange_polynomial(pts) for pts in vals]
    h = gcd(polys)
    out = {"degree_bound": deg, "gcd_degree": int(h.degree()) if h != 0 else None,
           "points": 0, "in_sub": 0, "critical_outside_sub": 0, "not_critical": 0,
           "undecided": 0, "witnesses": []}
    if h == 0:          # every projected minor vanishes on the line: theta_0 itself is suspect
        rec = witness_record(arch, r, unflatten(arch, theta0), None, g)
        out["whole_line"] = True
        if rec["verified"]:
            out["critical_outside_sub"] += 1
            out["witnesses"].append(rec)
        return out
    for phi, _ in h.factor():
        if phi.degree() > SLICE_LIMITS["field_degree"]:
            out["undecided"] += 1
            continue
        K, root = root_field(phi)
        _tally(out, *_test_factor(arch, r, g, theta0, [v], K, [root]))
    return out


def root_field(phi):
    """(K, root): QQ and the rational root of a linear phi, else the number field QQ[a]/(phi)."""
    from sage.all import QQ, NumberField
    if phi.degree() == 1:
        return QQ, -phi[0] / phi[1]
    K = NumberField(phi.change_variable_name("a"), "a")
    return K, K.gen()


def _tally(out, kind, info):
    out["points"] += 1
    if kind == "in-sub":
        out["in_sub"] += 1
    elif kind == "not-critical":
        out["not_critical"] += 1
    else:
        out["critical_outside_sub"] += 1
        out["witnesses"].append(info)


def plane_critical_points(arch, r: int, g: int, theta0, u, v, projections: int, rng) -> dict:
    """Isolated critical points of J on theta_0 + s u + t v, by elimination (resultants)."""
    from sage.all import QQ, NumberField, PolynomialRing
    from ..core.jacobian import jacobian_at
    e = g * (arch.weight_degree(r) - 1)
    if e > SLICE_LIMITS["plane_degree"]:
        raise InputError(f"slicing: plane minors of degree {e} (limit {SLICE_LIMITS['plane_degree']})")
    R = PolynomialRing(QQ, "s,t")
    s, t = R.gens()
    W = _point(arch, theta0, [u, v], [s, t], R)
    J = jacobian_at(arch, r, W, R)
    minors = [(random_integer_matrix(rng, g, J.nrows(), PROJECTION_BOUND) * J
                * random_integer_matrix(rng, J.ncols(), g, PROJECTION_BOUND)).det()
              for _ in range(projections)]
    out = {"degree_bound": e, "points": 0, "curves": 0, "in_sub": 0, "critical_outside_sub": 0,
           "not_critical": 0, "undecided": 0, "witnesses": []}
    if all(m == 0 for m in minors):
        out["whole_plane"] = True
        return out
    # Curves common to all minors are codimension-one parts of Crit (met by lines): divide
    # them out; what remains is (generically) zero-dimensional.
    from sage.all import gcd
    common = gcd(minors)
    out["curves"] = len(common.factor()) if common.degree() > 0 else 0
    qs = [m // common for m in minors]
    # Eliminate t: the s-coordinates of the common zeros are roots of every Res_t(q_0, q_i).
    h = None
    for q in qs[1:]:
        res = q.resultant(qs[0], t).univariate_polynomial()
        h = res if h is None else h.gcd(res)
    if h is None or h == 0:
        out["undecided"] += 1
        return out
    h = h.radical() if h.degree() > 0 else h
    for phi, _ in (h.factor() if h.degree() > 0 else []):
        if phi.degree() > SLICE_LIMITS["field_degree"]:
            out["undecided"] += 1
            continue
        K, alpha = root_field(phi)
        Kt = PolynomialRing(K, "t")
        G = None
        for q in qs:
            qa = Kt(q(alpha, Kt.gen()))
            G = qa if G is None else G.gcd(qa)
        if G is None or G.degree() <= 0:
            continue                                    # no common t over this s: spurious
        for psi, _ in G.factor():
            if psi.degree() > 1:
                out["undecided"] += 1                   # needs a relative extension
                continue
            coords = [alpha, -psi[0] / psi[1]]
            _tally(out, *_test_factor(arch, r, g, theta0, [u, v], K, coords))
    return out


def slicing_converse(arch, r: int, seed: int = 0, prime=None, lines: int = 3, planes: int = 0,
                     projections: int = 3, stop_at_witness: bool = True, strata=None) -> dict:
    """Random exact slices of dimension 1 (``lines``) and 2 (``planes``); see module doc.

    ``strata``: precomputed strata records for the Sub-in-Crit half (see ``sub_in_crit``).
    """
    from ..sub_in_crit.subnetwork_rank import proved_generic_rank
    t0 = time.perf_counter()
    arch = Architecture.parse(arch)
    r = check_degree(r)
    if lines < 0 or planes < 0 or lines + planes == 0:
        raise InputError("slicing needs lines >= 0, planes >= 0 and at least one slice")
    G = proved_generic_rank(arch, r, prime=prime, seed=seed)
    g = G.value
    rng = random.Random(int(seed))
    N = arch.params
    draw = lambda b: [rng.randint(-b, b) for _ in range(N)]
    witnesses, per_dim = [], {}

    def run(k, bound, count, one_slice):
        d = per_dim[str(k)] = {"slices": 0, "bound": bound, "points": 0, "in_sub": 0,
                               "outside_sub": 0, "not_critical": 0, "undecided": 0,
                               "seconds_per_slice": []}
        for _ in range(count):
            ts = time.perf_counter()
            out = one_slice()
            d["slices"] += 1
            d["seconds_per_slice"].append(round(time.perf_counter() - ts, 3))
            for key in ("points", "in_sub", "not_critical", "undecided"):
                d[key] += out[key]
            d["outside_sub"] += out["critical_outside_sub"]
            for key, name in (("gcd_degree", "gcd_degrees"), ("curves", "curves_per_slice")):
                if key in out:
                    d.setdefault(name, []).append(out[key])
            witnesses.extend(out["witnesses"])
            if witnesses and stop_at_witness:
                break
        d["miss_probability_bound"] = miss_bound(arch, r, g, k, bound, d["slices"])

    if lines:
        run(1, SLICE_BOUND, lines, lambda: line_critical_points(
            arch, r, g, draw(SLICE_BOUND), draw(SLICE_BOUND), projections, rng))
    if planes and not (witnesses and stop_at_witness):
        run(2, PLANE_BOUND, planes, lambda: plane_critical_points(
            arch, r, g, draw(PLANE_BOUND), draw(PLANE_BOUND), draw(PLANE_BOUND),
            projections + 1, rng))
    if witnesses:
        crit_in_sub, certificate = False, "proved-over-Q"
    else:               # slices see only the codimensions sliced: evidence, never a proof
        crit_in_sub, certificate = None, "probabilistic"
    sub_check = sub_in_crit(arch, r, seed=seed, prime=prime, records=strata)
    details = {"generic_rank": g, "generic_rank_certificate": G.certificate,
               "generic_rank_statement": G.statement, "per_slice_dimension": per_dim,
               "projections": projections, "seed": seed, "prime": G.prime,
               "codimensions_covered": sorted(int(k) for k, d in per_dim.items() if d["slices"]),
               "statement": ("witness verified exactly: Crit is not inside Sub" if witnesses else
                             "no critical point outside Sub on the slices; a component of Crit "
                             "outside Sub of codimension k (k sliced: "
                             + ", ".join(k for k, d in per_dim.items() if d["slices"])
                             + ") is missed with probability at most the per-dimension "
                             "miss_probability_bound; higher codimensions were not sliced"
                             + ("" if G.certificate == "exact" else
                                f" (relative to g >= {g}, a lower bound)"))}
    covered = details["codimensions_covered"]
    return result("slice", crit_in_sub, certificate, witnesses, time.perf_counter() - t0,
                  details, sub_check,
                  coverage="codimensions " + ", ".join(map(str, covered)) + " (random exact slices)")
