"""The rank of the Jacobian at the generic point of each subnetwork stratum, proved,
the predicted drop of MATH.md section 3, and the per-stratum records.

Serves proofs/strata.md, sections 3-5 (Theorem S).  For a stratum S (irreducible,
with a dense polynomial parametrisation) let rho(S) be the rank of J at its
generic point; every point of S has rank <= rho(S) (the set rank <= rho(S) is
Zariski closed and contains the dense image of the parametrisation).

* Upper bounds, proved for the generic point:
  ``kernel-vectors`` (Lemma K) -- rho(S) <= N - dim span(scalings + the stratum's
  family + for r = 2 the orthogonal directions), every vector proved by
  :func:`verify.sub_in_crit.kernel_vectors.verify_kernel_vectors`; the span's dimension is
  bounded below by its rank mod p at a point of S; also rho(S) <= A (rows);
  ``subnetwork-reduction`` (Lemmas R, R') -- rho(S) equals the generic rank of the
  network with one neuron removed (A, C'), or lies between it and it plus
  d_{l+1} (B) or d_{l-1} - 1 (C), fewer when the removal leaves one neuron
  in the layer; the subnetwork's g is bounded above by :mod:`verify.sub_in_crit.subnetwork_rank`
  (Lemmas W, W2: cuts at hidden layers).
* Lower bound, exact: rank mod p of J at a seeded random integer point of S
  (Lemma M of proofs/README.md: rank_GF(p) <= rank_QQ <= rho(S)).
* ``function-field``: the rank over Frac(QQ[parameters]), for small cases.
When the lower bound meets an upper bound, rho(S) is determined and the record's
``certificate`` names the upper bound that met it; otherwise it is
``sampled-lower-bound`` and ``rank_on_stratum`` is only the lower bound.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.sub_in_crit.stratum_rank import strata_records
    sage: recs = strata_records(Architecture.parse("2,2,1"), 3)
    sage: [(x["kind"], x["rank_on_stratum"], x["drop"], x["predicted_drop"], x["certificate"]) for x in recs]
    [('A', 2, 2, 2, 'kernel-vectors'),
     ('B', 3, 1, 1, 'kernel-vectors'),
     ('C', 2, 2, 2, 'kernel-vectors')]
"""

from __future__ import annotations

import random

from ..core.errors import InputError
from ..core.jacobian import ModularArithmetic, evaluation_jacobian, principal_lattice
from .kernel_vectors import kernel_vector_matrix, verify_kernel_vectors
from ..core.rank import DEFAULT_PRIME, check_prime, rank_mod_p
from .strata import Stratum, representative_strata
from .subnetwork_rank import certified_generic_rank, generic_rank_upper_bound, remove_neuron

__all__ = ["predicted_drop", "kernel_vector_bound", "subnetwork_bound", "rank_at_stratum_point",
           "function_field_rank", "stratum_rank", "strata_records", "every_stratum_critical",
           "criticality_certificate",
           "FUNCTION_FIELD_LIMITS"]

#: The function-field rank is attempted only within these sizes (parameters, Jacobian entries).
FUNCTION_FIELD_LIMITS = {"parameters": 10, "entries": 160}


def predicted_drop(stratum, arch) -> int:
    """The drop of MATH.md section 3 at the generic point of the stratum, if g = N - H."""
    d, l = arch.widths, stratum.layer
    if stratum.kind == "A":
        return d[l - 1] + d[l + 1] - 1
    if stratum.kind == "B":
        return d[l - 1] - 1
    if stratum.kind == "C" and d[l + 1] >= 2:
        return d[l + 1]
    return d[l - 1] + d[l + 1] - 1          # C' (and C when d_{l+1} = 1: columns proportional)


def _field_point(stratum, arch, seed, p):
    """Seeded parameters uniform mod p (as integers in (-p/2, p/2)) and the point they give."""
    values = stratum.random_parameters(arch, seed, bound=(p - 1) // 2)
    return values, stratum.evaluate(arch, values)


def kernel_vector_bound(stratum, arch, r: int, values: dict, p: int) -> dict:
    """Lemma K: rho(S) <= N - rank_GF(p) of the kernel-vector matrix at the point ``values``."""
    from sage.all import GF
    F = GF(p)
    proved = verify_kernel_vectors(stratum, arch, r)
    W = stratum.evaluate(arch, {k: F(v) for k, v in values.items()}, F.zero())
    ratios = (F(values.get("c", 0)),)
    K = kernel_vector_matrix(stratum, arch, r, W, F, ratios)
    span = int(K.rank())
    return {"bound": min(arch.params - span, arch.ambient(r)), "span": span,
            "vectors": K.nrows(), "proved_identities": proved}


def subnetwork_bound(stratum, arch, r: int, prime: int, seed: int) -> dict:
    """Lemma R: bounds on rho(S) from the generic rank of the network without the neuron."""
    l, d, L = stratum.layer, arch.widths, arch.depth
    sub = remove_neuron(arch, l)
    lo, hi, exact, _, _ = certified_generic_rank(sub, r, prime=prime, seed=seed)
    if stratum.kind in ("A", "C'") or (stratum.kind == "C" and d[l + 1] == 1):
        lower, upper = lo, hi
    elif stratum.kind == "B":
        # extra: the free neuron's column directions; when the neuron left alone in layer l
        # feeds q_{l+1} = w phi, they collapse into span{dG/dy_k (w)} (x) phi^(deg-1) psi.
        lower = lo                   # Im J contains the image of J_sub
        extra = min(d[l + 1], d[L]) if d[l] == 2 else d[l + 1]
        upper = (d[L] if l == L - 1 else 0) if sub is None else hi + extra
    elif d[l] == 2 and d[L] == 1:
        # C with a lone remaining neuron and one output: the extra row directions give
        # u (x) phi^(deg-1) s'(q)(z.a) with u a scalar: inside the merged network's image.
        lower, upper = lo, hi
    else:
        lower, upper = lo, hi + d[l - 1] - 1   # Im J contains the merged network's image
    upper = min(upper, generic_rank_upper_bound(arch, r, prime, seed))
    return {"subnetwork": "0-width" if sub is None else str(sub), "subnetwork_rank": [lo, hi],
            "lower": lower, "bound": upper}


def rank_at_stratum_point(stratum, arch, r: int, seed: int, p: int, target: int, trials: int = 3):
    """Best rank mod p of J over up to ``trials`` seeded random points of the stratum.

    Each is a proved lower bound of rho(S).  Uses the principal lattice when it
    has at most target + 4 points (rank of J mod p itself), else random input points.
    """
    D = arch.output_degree(r)
    best, done = 0, []
    for t in range(trials):
        s = seed + 7919 * t
        values, W = _field_point(stratum, arch, s, p)
        rng = random.Random(f"points:{s}:{stratum.name}")
        if arch.monomials(r) <= target + 4 and p > D:
            points = principal_lattice(arch.widths[0], D)
        else:
            npts = min(arch.monomials(r), target + 4)
            points = [[rng.randrange(p) for _ in range(arch.widths[0])] for _ in range(npts)]
        J = evaluation_jacobian(arch, r, W, points, ModularArithmetic(p))
        k = rank_mod_p(J, p)
        done.append(k)
        if k > best:
            best, best_values = k, values
        if best >= target:
            break
    if best == 0:
        best_values = values
    return best, best_values, done


def function_field_rank(stratum, arch, r: int, check_limits: bool = True) -> int:
    """rho(S) as the rank over Frac(QQ[parameters]) of the Jacobian of the parametrised point."""
    from ..core.jacobian import coefficient_jacobian
    npar = len(stratum.parameter_names(arch))
    entries = arch.ambient(r) * arch.params
    lim = FUNCTION_FIELD_LIMITS
    if check_limits and (npar > lim["parameters"] or entries > lim["entries"]):
        raise InputError(f"function-field rank limited to {lim['parameters']} parameters and "
                         f"{lim['entries']} Jacobian entries; {stratum.name} of {arch} at r={r} "
                         f"has {npar} and {entries}")
    R, W = stratum.parametrisation(arch)
    J = coefficient_jacobian(arch, r, W, ring=R)
    return int(J.change_ring(R.fraction_field()).rank())


def _fits_function_field(stratum, arch, r) -> bool:
    lim = FUNCTION_FIELD_LIMITS
    return (len(stratum.parameter_names(arch)) <= lim["parameters"]
            and arch.ambient(r) * arch.params <= lim["entries"])


def stratum_rank(stratum, arch, r: int, seed: int = 0, prime=None, function_field: str = "auto") -> dict:
    """rho(S) with its certificate; ``function_field`` in 'auto' (when needed and small), 'always', 'never'."""
    if r < 2:
        raise InputError(f"strata need r >= 2 (s'(0) = 0), got r = {r}")
    stratum.check(arch)
    p = check_prime(DEFAULT_PRIME if prime is None else prime)
    sub = subnetwork_bound(stratum, arch, r, p, seed)
    target = min(sub["bound"], arch.params, arch.ambient(r))
    sampled, values, trials = rank_at_stratum_point(stratum, arch, r, seed, p, target)
    kv = kernel_vector_bound(stratum, arch, r, values, p)
    lower = max(sampled, sub["lower"])
    upper = min(kv["bound"], sub["bound"])
    out = {"rank_lower_bound": lower, "rank_upper_bound": upper, "sampled_ranks": trials,
           "kernel_vector_bound": kv["bound"], "kernel_vector_span": kv["span"],
           "kernel_vectors": kv["vectors"], "subnetwork": sub["subnetwork"],
           "subnetwork_rank": sub["subnetwork_rank"], "subnetwork_bound": sub["bound"],
           "seed": seed, "prime": p, "function_field_rank": None}
    if lower > upper:
        raise AssertionError(f"{stratum.name} of {arch}, r={r}: lower bound {lower} > upper bound {upper}")
    want_ff = function_field == "always" or (function_field == "auto" and lower < upper
                                             and _fits_function_field(stratum, arch, r))
    if want_ff:
        ff = function_field_rank(stratum, arch, r)          # InputError beyond the limits
        out["function_field_rank"] = ff
        if not lower <= ff <= upper:
            raise AssertionError(f"{stratum.name} of {arch}, r={r}: function-field rank {ff} "
                                 f"outside the proved bounds [{lower}, {upper}]")
    if lower == kv["bound"]:
        out.update(rank_on_stratum=lower, certificate="kernel-vectors")
    elif lower == sub["bound"]:
        out.update(rank_on_stratum=lower, certificate="subnetwork-reduction")
    elif out["function_field_rank"] is not None:
        out.update(rank_on_stratum=out["function_field_rank"], certificate="function-field",
                   rank_lower_bound=out["function_field_rank"], rank_upper_bound=out["function_field_rank"])
    else:
        out.update(rank_on_stratum=lower, certificate="sampled-lower-bound")
    return out


def _notes(stratum, arch, r, g, res, agree, prime, seed) -> list[str]:
    d, l = arch.widths, stratum.layer
    notes = []
    if stratum.kind == "C" and d[l + 1] == 1:
        notes.append("d_{l+1} = 1: the outgoing columns are proportional on all of C, so C = C'")
    if stratum.kind == "A" and d[l] == 1:
        notes.append("layer of width one: the dead neuron kills the network (J = 0)")
    if res["certificate"] == "sampled-lower-bound":
        notes.append(f"rank on the stratum only bounded: {res['rank_lower_bound']} <= rho <= "
                     f"{res['rank_upper_bound']}")
    if agree is not False:
        return notes
    nh, amb = arch.params - arch.hidden, arch.ambient(r)
    if not g["exact"]:
        notes.append(f"g is only bounded: {g['lower']} <= g <= {g['upper']}")
    elif g["lower"] == amb < nh:
        notes.append(f"filling: g = A = {amb} < N - H = {nh}")
    elif g["lower"] < min(nh, amb):
        notes.append(f"defective: g = {g['lower']} < min(N - H, A) = {min(nh, amb)}")
    if d[l] == 2:
        notes.append("removing the neuron leaves a hidden layer of width one")
    sub = remove_neuron(arch, l)
    if sub is not None:
        sub_upper = generic_rank_upper_bound(sub, r, prime, seed)
        if sub_upper < sub.params - sub.hidden:
            notes.append(f"the network {sub} left without the neuron has g <= {sub_upper} < its "
                         f"N - H = {sub.params - sub.hidden} (a cut of Lemma W fills)")
    if r == 2:
        notes.append("r = 2: orthogonal invariance of sums of squares")
    if arch.degeneracy(r):
        notes.append("degenerate architecture: " + "; ".join(arch.degeneracy(r)))
    if len(notes) == 0 or (len(notes) == 1 and notes[0].startswith("d_{l+1} = 1")):
        notes.append("drop differs from the formula for no reason listed above")
    return notes


def strata_records(arch, r, seed: int = 0, prime=None, function_field: str = "auto") -> list[dict]:
    """One record per (layer, kind) of :func:`verify.sub_in_crit.strata.representative_strata`.

    Keys: layer, kind, neurons, count, codim, generic_rank, generic_rank_exact,
    rank_on_stratum, rank_lower_bound, rank_upper_bound, drop, predicted_drop, agree,
    critical (True/False proved, None undetermined), certificate, note, seed, prime, and
    the bounds behind them.  drop = generic_rank - rank_on_stratum (None unless
    rank_on_stratum is determined); agree compares it with predicted_drop.
    """
    from ..core.architecture import Architecture
    arch = Architecture.parse(arch)
    r = int(r)
    if r < 2:
        raise InputError(f"strata need r >= 2 (s'(0) = 0), got r = {r}")
    p = check_prime(DEFAULT_PRIME if prime is None else prime)
    lo, hi, exact, _, fail = certified_generic_rank(arch, r, prime=p, seed=seed)
    g = {"lower": lo, "upper": hi, "exact": exact}
    out = []
    for stratum, count in representative_strata(arch):
        res = stratum_rank(stratum, arch, r, seed=seed, prime=p, function_field=function_field)
        determined = res["certificate"] != "sampled-lower-bound"
        rank = res["rank_on_stratum"]
        drop = lo - rank if determined else None
        pred = predicted_drop(stratum, arch)
        agree = None if drop is None else drop == pred
        if res["rank_upper_bound"] < lo:
            critical = True
        elif res["rank_lower_bound"] >= hi:
            critical = False
        else:
            critical = None
        rec = {"layer": stratum.layer, "kind": stratum.kind, "neurons": list(stratum.neurons),
               "stratum": stratum.name, "count": count, "codim": stratum.codim(arch),
               "generic_rank": lo, "generic_rank_upper_bound": hi, "generic_rank_exact": exact,
               "rank_on_stratum": rank, "drop": drop, "drop_exact": determined and exact,
               "predicted_drop": pred, "agree": agree, "critical": critical,
               "certificate": res["certificate"]}
        rec.update({k: v for k, v in res.items() if k not in rec})
        rec["note"] = "; ".join(_notes(stratum, arch, r, g, res, agree, p, seed))
        out.append(rec)
    return out


def criticality_certificate(rec) -> str | None:
    """The certificate of a stratum record's ``critical`` flag.  ``certificate`` certifies the
    rank on the stratum; when that rank is only bounded (``sampled-lower-bound``) but the proved
    upper bound already lies below the proved lower bound of g, criticality is proved by that
    upper bound: ``kernel-vectors`` or ``subnetwork-reduction`` (proofs/strata.md), whichever
    gives it.  Otherwise the record's certificate."""
    cert = rec.get("certificate")
    if cert != "sampled-lower-bound" or rec.get("critical") is not True:
        return cert
    upper = rec.get("rank_upper_bound")
    if upper is not None and upper == rec.get("kernel_vector_bound"):
        return "kernel-vectors"
    if upper is not None and upper == rec.get("subnetwork_bound"):
        return "subnetwork-reduction"
    return cert


def every_stratum_critical(records) -> bool | None:
    """Sub in Crit from :func:`strata_records`: False when some stratum is shown not critical,
    True when every stratum is shown critical, None otherwise (some undecided, none failing)."""
    flags = [rec.get("critical") for rec in records]
    if any(f is False for f in flags):
        return False
    return True if all(f is True for f in flags) else None
