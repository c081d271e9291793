"""Catalogue of critical points outside Sub: canonical forms, families, proofs/catalogue.md.

Serves proofs/threshold.md (section 11) and proofs/catalogue.md: every witness
found below a threshold (a critical point that is not a subnetwork, re-verified
exactly by the converse) is stored with its architecture, degree, exact
weights, rank and generic rank; witnesses are deduplicated up to the symmetries
by :func:`canonical_form` and sorted into families by :func:`classify`.

Symmetries quotiented by the canonical form (all preserve the rank of J and Sub):
permutations of the hidden neurons of each layer; scaling of a hidden neuron
(row i of W_l times t, column i of W_{l+1} times t^(-r), t in K^*: this includes
the sign flips / roots of unity that lie in K); W_1 -> W_1 B (B in GL(d_0)) and
W_L -> A W_L (A in GL(d_L)).  Over QQ the form is complete (equal forms iff
equivalent under these symmetries over QQ) when the weights have no dead hidden
neuron and the permutation group has at most PERMUTATION_LIMIT elements; over a
number field, neuron scalings by non-r-th powers are not reduced (``complete``
is then False).  Equivalence over C is coarser (r-th powers become trivial).

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.theorem.witnesses import canonical_form, classify
    sage: a = Architecture.parse("3,3,1")
    sage: W = [[[1, 0, 0], [0, 1, 0], [1, 1, 0]], [[1, 1, 1]]]
    sage: V = [[["2/3", -2, "-4/3"], [0, -4, -8], [1, -1, 2]], [["-27/8", "-1/8", 1]]]  # moved by symmetries
    sage: canonical_form(a, 3, W)["key"] == canonical_form(a, 3, V)["key"]
    True
    sage: classify(a, 3, W)["family"]
    'rank-deficient-layer'
"""

from __future__ import annotations

import hashlib
from itertools import permutations, product
from math import factorial, prod

from ..core.architecture import Architecture, check_degree
from ..core.errors import InputError

__all__ = ["canonical_form", "classify", "catalogue_entries", "catalogue_markdown",
           "power_class_representative", "FAMILIES", "PERMUTATION_LIMIT"]

#: Beyond this many neuron permutations the canonical form uses the given order only.
PERMUTATION_LIMIT = 5040

#: Families, in the order a witness is assigned to the first that applies.
FAMILIES = {
    "rank-deficient-layer": (
        "The incoming weight matrix of a hidden layer has rank below min(d_l, d_{l-1}) although "
        "no two of its rows are proportional: e.g. three first-layer neurons whose linear forms "
        "are linearly dependent (three collinear points of P^(d_0-1)). On the plane they span, "
        "k neurons behave like k points of P^1, whose double points are independent only for "
        "r >= 2k - 1 (proofs/threshold.md, Lemma B1): the tangent pieces l_j^(r-1) V_1 stop being "
        "direct and the kernel of J grows beyond the scaling directions."),
    "low-rank-output": (
        "The output matrix W_L has rank below min(d_L, d_{L-1}): the outputs are dependent "
        "combinations of the last hidden layer, so tangent directions of the last layer can "
        "cancel in every output at once (MATH.md: rank-one output matrices at r = 2)."),
    "common-factor": (
        "The pre-activations of a hidden layer l >= 2 share a nonconstant common factor (their "
        "gcd as forms). Common factors are exactly what breaks Lemma D (directness at deeper "
        "layers) and what Lemma G has to control; below the threshold they occur."),
    "dependent-powers": (
        "The r-th powers of the pre-activations of some hidden layer are linearly dependent "
        "(Lemma A fails at this degree), so different weights of the next layer give the same "
        "function."),
    "r2-orthogonal": (
        "r = 2 and two neurons of a hidden layer l have nonzero proportional outgoing columns "
        "in W_{l+1} (d_{l+1} >= 2): their contribution is v * Q(q_i, q_j) for one vector v and a "
        "quadratic form Q, and the orthogonal group of Q, acting on rows i and j of W_l, leaves "
        "f unchanged -- a kernel direction that is not a scaling at a point outside Sub "
        "(MATH.md section 2, the r = 2 exception)."),
    "inert-neuron": (
        "The layers above a hidden neuron do not depend on its activation although its "
        "outgoing column is nonzero: for a first hidden layer of width 2, the peeled network "
        "(2, d_2, ..., d_L) is constant in one input, e.g. when the (r-1)-th powers of d_2 > r "
        "lines are dependent (proofs/converse.md section 8, Corollary Q1 (iii))."),
    "single-input-neuron": (
        "A neuron of a hidden layer l >= 2 is fed by one neuron of layer l-1 only (its incoming "
        "row has one nonzero entry, d_{l-1} >= 2): its pre-activation is c q_{l-1,j}^r, an r-th "
        "power of one pre-activation below. Observed critical below the threshold: for (2, d_1, 2, "
        "...) at r = 2 d_1 - 3 (2,4,2,1 at r = 5, 2,5,2,1 at r = 6; not at r = 2 d_1 - 2), and "
        "2,2,3,1 at r = 2 over quadratic fields; the structured pre-pass tries it "
        "(proofs/converse.md section 7). Why it is critical is not proved here."),
    "new": (
        "None of the features above: a critical point outside Sub of a kind not yet explained."),
}


# --- canonical form -------------------------------------------------------------------------


def power_class_representative(v, r: int):
    """Representative of v in QQ^* modulo r-th powers: sign kept only for even r, every
    prime exponent reduced into [0, r).

    sage: from verify.theorem.witnesses import power_class_representative
    sage: power_class_representative(QQ(-24), 3), power_class_representative(QQ(-24), 2)
    (3, -6)
    sage: power_class_representative(QQ(8/9), 2)
    2
    """
    from sage.all import QQ, factor
    v = QQ(v)
    if v == 0:
        raise InputError("power class of 0")
    sign = -1 if (v < 0 and r % 2 == 0) else 1
    out = QQ(sign)
    for part, e_sign in ((abs(v.numerator()), 1), (v.denominator(), -1)):
        for p, e in factor(part):
            out *= QQ(p) ** ((e_sign * e) % r)
    return out


class _UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, a):
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a, b):
        self.parent[self.find(b)] = self.find(a)


def _normal_form(arch, r, W, K, power_rep):
    """Normal form of weights W (lists over K) for the given neuron order."""
    from sage.all import matrix
    L, d = arch.depth, arch.widths
    W = [[list(row) for row in M] for M in W]
    # layer 1: W_1 -> W_1 B (column RREF), then the torus left over on the non-pivot rows
    E = matrix(K, W[0]).transpose().echelon_form()
    pivots = list(E.pivots())
    k = len(pivots)
    C = E.transpose()
    coords = {i: [C[i, j] for j in range(k)] for i in range(d[1]) if i not in pivots}
    t, s = [K.one()] * k, {}
    uf, members = _UnionFind(), {j: [] for j in range(k)}
    comp = {}
    for i in sorted(coords):
        J = [j for j in range(k) if coords[i][j] != 0]
        if not J:
            s[i], comp[i] = K.one(), ("zero", i)
            continue
        j0 = J[0]
        s[i] = t[j0] / coords[i][j0]
        for j in J[1:]:
            if uf.find(j) != uf.find(j0):
                phi = s[i] * coords[i][j] / t[j]
                root = uf.find(j)
                for jj in range(k):
                    if uf.find(jj) == root:
                        t[jj] *= phi
                for ii, jj in comp.items():
                    if not isinstance(jj, tuple) and uf.find(jj) == root:
                        s[ii] *= phi
                uf.union(j0, j)
        comp[i] = j0
    W1 = [[K.zero()] * d[0] for _ in range(d[1])]
    for j, p in enumerate(pivots):
        W1[p][j] = K.one()
        comp[p] = j
    scale = {p: t[j] for j, p in enumerate(pivots)}
    for i in coords:
        scale[i] = s[i]
        for j in range(k):
            W1[i][j] = s[i] * coords[i][j] / t[j]
    comp = {i: (c if isinstance(c, tuple) else ("pivot", uf.find(c))) for i, c in comp.items()}
    W2 = [[W[1][a][i] * scale[i] ** (-r) for i in range(d[1])] for a in range(d[2])]
    # layer 2: rows by GL(d_L) (L = 2) or neuron scaling (L >= 3); columns of one layer-1
    # component only up to r-th powers
    if L == 2:
        M = matrix(K, W2).echelon_form()
        M = [[M[a, i] for i in range(d[1])] for a in range(d[2])]
    else:
        M = W2
    lead = [next((i for i in range(d[1]) if row[i] != 0), None) for row in M]
    colmult = [K.one()] * d[1]
    sup = _UnionFind()
    for a, row in enumerate(M):
        if lead[a] is None:
            continue
        for i in range(d[1]):
            if row[i] == 0 or sup.find(comp[i]) == sup.find(comp[lead[a]]):
                continue
            v = row[i] * colmult[i] / (row[lead[a]] * colmult[lead[a]])
            factor = power_rep(v) / v
            target = sup.find(comp[i])
            for ii in range(d[1]):
                if sup.find(comp[ii]) == target:
                    colmult[ii] *= factor
            sup.union(comp[lead[a]], comp[i])
    out2, sigma = [], []
    for a, row in enumerate(M):
        if lead[a] is None:
            out2.append([K.zero()] * d[1])
            sigma.append(K.one())
            continue
        sg = 1 / (row[lead[a]] * colmult[lead[a]])
        sigma.append(sg)
        out2.append([row[i] * colmult[i] * sg for i in range(d[1])])
    out = [W1, out2]
    for l in range(3, L + 1):
        rows = [[W[l - 1][a][i] * sigma[i] ** (-r) for i in range(d[l - 1])] for a in range(d[l])]
        if l == L:
            M = matrix(K, rows).echelon_form()
            out.append([[M[a, i] for i in range(d[l - 1])] for a in range(d[l])])
        else:
            sigma = []
            new = []
            for row in rows:
                piv = next((v for v in row if v != 0), None)
                sg = K.one() if piv is None else 1 / piv
                sigma.append(sg)
                new.append([v * sg for v in row])
            out.append(new)
    return out


def _neuron_permutations(arch):
    hidden = [arch.widths[l] for l in arch.hidden_layers]
    return prod(factorial(n) for n in hidden), product(*(permutations(range(n)) for n in hidden))


def _permute(arch, W, perm):
    W = [[list(row) for row in M] for M in W]
    for l, p in zip(arch.hidden_layers, perm):
        W[l - 1] = [W[l - 1][i] for i in p]
        W[l] = [[row[i] for i in p] for row in W[l]]
    return W


def canonical_form(arch, r: int, weights, K=None) -> dict:
    """Canonical representative of the weights up to the symmetries (module docstring).

    Returns ``{"weights": nested lists of strings, "key": sha256 prefix, "complete": bool,
    "field": str}``; equal keys mean equivalent points.
    """
    from sage.all import QQ
    arch = Architecture.parse(arch)
    r = check_degree(r)
    K = QQ if K is None else K
    W = [[[K(QQ(v) if isinstance(v, str) and K == QQ else v) for v in row] for row in M]
         for M in weights]
    over_QQ = K == QQ
    power_rep = (lambda v: power_class_representative(v, r)) if over_QQ else (lambda v: v)
    count, perms = _neuron_permutations(arch)
    complete = over_QQ and count <= PERMUTATION_LIMIT
    if count > PERMUTATION_LIMIT:
        perms = [tuple(tuple(range(arch.widths[l])) for l in arch.hidden_layers)]
    if any(all(v == 0 for v in row) for l in arch.hidden_layers for row in W[l - 1]):
        complete = False            # dead neurons: their outgoing scale is not reduced
    best = None
    for perm in perms:
        nf = _normal_form(arch, r, _permute(arch, W, perm), K, power_rep)
        key = tuple(str(v) for M in nf for row in M for v in row)
        if best is None or key < best[0]:
            best = (key, nf)
    text = [[[str(v) for v in row] for row in M] for M in best[1]]
    digest = hashlib.sha256(repr((str(arch), r, str(K), best[0])).encode()).hexdigest()[:16]
    return {"weights": text, "key": digest, "complete": bool(complete), "field": str(K)}


# --- families -------------------------------------------------------------------------------


def _forms(arch, r, W, K):
    """Pre-activation forms q_1, ..., q_{L-1} over K (lists of polynomials)."""
    from sage.all import PolynomialRing
    R = PolynomialRing(K, arch.widths[0], "x")
    a = list(R.gens())
    out = []
    for l in range(1, arch.depth):
        q = [sum((W[l - 1][i][j] * a[j] for j in range(len(a))), R.zero()) for i in range(arch.widths[l])]
        out.append(q)
        a = [qi ** r for qi in q]
    return R, out


def _span_dimension(R, forms):
    from sage.all import matrix
    monos = sorted({m for f in forms for m in f.monomials()})
    if not monos:
        return 0
    return matrix(R.base_ring(), [[f.monomial_coefficient(m) for m in monos] for f in forms]).rank()


def _inert_neurons(arch, r, W, K) -> list:
    """(l, i): hidden neurons with a nonzero outgoing column on whose activation the outputs
    do not depend (the network above layer l, as a function of the activations of layer l)."""
    from sage.all import PolynomialRing
    out = []
    for l in arch.hidden_layers:
        R = PolynomialRing(K, arch.widths[l], "a")
        a = list(R.gens())
        for m in range(l + 1, arch.depth + 1):
            q = [sum((W[m - 1][i][j] * a[j] for j in range(len(a))), R.zero())
                 for i in range(arch.widths[m])]
            a = q if m == arch.depth else [qi ** r for qi in q]
        for i, g in enumerate(R.gens()):
            if any(W[l][k][i] != 0 for k in range(arch.widths[l + 1])) and \
                    all(f.derivative(g) == 0 for f in a):
                out.append((l, i))
    return out


def _proportional_outgoing_columns(arch, W, K) -> list:
    """(l, i, j): hidden neurons whose nonzero outgoing columns in W_{l+1} are proportional,
    for layers with d_{l+1} >= 2 (with d_{l+1} = 1 every pair is, and nothing is special)."""
    from sage.all import matrix
    out = []
    for l in arch.hidden_layers:
        if arch.widths[l + 1] < 2:
            continue
        cols = matrix(K, W[l]).columns()
        for i in range(len(cols)):
            for j in range(i + 1, len(cols)):
                if cols[i] != 0 and cols[j] != 0 and matrix(K, [cols[i], cols[j]]).rank() == 1:
                    out.append((l, i, j))
    return out


def classify(arch, r: int, weights, K=None) -> dict:
    """Features of a critical point outside Sub and its family (first of FAMILIES that applies).

    Keys: ``family``, ``features`` (list), ``rank_deficient_layers``, ``output_rank``,
    ``common_factor_degrees`` (per hidden layer >= 2: degree of the gcd of its pre-activations),
    ``dependent_power_layers``.
    """
    from sage.all import QQ, gcd, matrix
    arch = Architecture.parse(arch)
    r = check_degree(r)
    K = QQ if K is None else K
    W = [[[K(v) for v in row] for row in M] for M in weights]
    d = arch.widths
    deficient = [l for l in arch.hidden_layers
                 if matrix(K, W[l - 1]).rank() < min(d[l], d[l - 1])]
    out_rank = int(matrix(K, W[-1]).rank())
    R, forms = _forms(arch, r, W, K)
    common = {}
    for l in range(2, arch.depth):
        g = gcd(forms[l - 1]) if any(forms[l - 1]) else R.zero()
        common[l] = int(g.degree()) if g != 0 else None
    dependent = [l for l in arch.hidden_layers
                 if _span_dimension(R, [q ** r for q in forms[l - 1]]) < d[l]]
    features = []
    if deficient:
        features.append("rank-deficient-layer")
    if out_rank < min(d[-1], d[-2]):
        features.append("low-rank-output")
    if any(v for v in common.values()):
        features.append("common-factor")
    if dependent:
        features.append("dependent-powers")
    if r == 2 and _proportional_outgoing_columns(arch, W, K):
        features.append("r2-orthogonal")
    if _inert_neurons(arch, r, W, K):
        features.append("inert-neuron")
    if any(sum(1 for v in row if v != 0) == 1 for l in range(2, arch.depth) if d[l - 1] >= 2
           for row in W[l - 1]):
        features.append("single-input-neuron")
    return {"family": features[0] if features else "new", "features": features,
            "rank_deficient_layers": deficient, "output_rank": out_rank,
            "common_factor_degrees": {str(k): v for k, v in common.items()},
            "dependent_power_layers": dependent}


# --- the catalogue --------------------------------------------------------------------------


def catalogue_entries(records) -> list[dict]:
    """Deduplicated catalogue from case records: every converse witness that is critical and
    outside Sub (re-verified by the converse), one entry per symmetry class.

    Each entry: ``arch, degree, field, weights`` (as found), ``canonical_weights``, ``key``,
    ``complete``, ``rank, generic_rank, family, features, certificate, multiplicity``.
    """
    from ..crit_in_sub.common import decode_witness
    seen: dict[tuple, dict] = {}
    for rec in records:
        conv = rec.get("converse") or {}
        for w in conv.get("witnesses") or []:
            if not isinstance(w, dict) or w.get("strata") or w.get("critical") is False:
                continue
            if w.get("verified") is False:
                continue
            arch = Architecture.parse(rec["arch"])
            r = int(rec["degree"])
            K, W = decode_witness(arch, w)
            cf = canonical_form(arch, r, W, K)
            ident = (str(arch), r, cf["key"])
            if ident in seen:
                seen[ident]["multiplicity"] += 1
                continue
            fam = classify(arch, r, W, K)
            seen[ident] = {
                "arch": str(arch), "degree": r, "field": w.get("field", "QQ"),
                "minimal_polynomial": w.get("minimal_polynomial"), "id": w.get("id"),
                "weights": w.get("weights"), "canonical_weights": cf["weights"], "key": cf["key"],
                "complete": cf["complete"], "rank": w.get("rank"),
                "generic_rank": w.get("generic_rank"), "family": fam["family"],
                "features": fam["features"], "details": fam,
                "certificate": conv.get("certificate"), "method": conv.get("method"),
                "multiplicity": 1}
    return sorted(seen.values(), key=lambda e: (Architecture.parse(e["arch"]).widths,
                                                e["degree"], e["key"]))


def catalogue_markdown(entries, generated_by: str = "python -m verify threshold ARCH --catalogue-markdown FILE") -> str:
    """proofs/catalogue.md: the families, what explains each, and every catalogued witness."""
    lines = ["# Catalogue of critical points that are not subnetworks", "",
             f"Generated by `{generated_by}` (verify/theorem/witnesses.py, `catalogue_markdown`); do not edit by hand.",
             "Each entry is a critical point outside Sub found by the converse (proofs/converse.md) and",
             "re-verified exactly (rank of J over QQ or a number field below the proved generic rank,",
             "no stratum contains it), stored once per class under the symmetries (permutations and",
             "scalings of hidden neurons, GL on the input and on the output; see verify/theorem/witnesses.py).",
             "Every entry lies below the proven threshold r*_B of proofs/threshold.md -- one at or above",
             "it would contradict Theorem T.", ""]
    if not entries:
        lines.append("No witness in the architectures and degrees scanned.")
        return "\n".join(lines) + "\n"
    by_family: dict[str, list] = {}
    for e in entries:
        by_family.setdefault(e["family"], []).append(e)
    lines += ["| family | witnesses |", "| --- | --- |"]
    lines += [f"| {f} | {len(by_family[f])} |" for f in FAMILIES if f in by_family]
    for f in FAMILIES:
        if f not in by_family:
            continue
        lines += ["", f"## {f}", "", FAMILIES[f], "",
                  "| arch | r | rank / g | field | canonical weights (W_1; W_2; ...) | features | found | certificate |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for e in by_family[f]:
            cw = "; ".join(str(M).replace("'", "") for M in e["canonical_weights"])
            lines.append(f"| {e['arch']} | {e['degree']} | {e['rank']} / {e['generic_rank']} | "
                         f"{e['field']} | `{cw}` | {', '.join(e['features']) or '-'} | "
                         f"{e['multiplicity']}x | {e['certificate']} |")
    return "\n".join(lines) + "\n"
