"""Explicit kernel vectors of the Jacobian on each subnetwork stratum, and their proof.

Serves proofs/strata.md, section 2 (Lemmas K0, K, K2).  Every vector here moves only
W_l and W_{l+1} for one hidden layer l.  By the chain rule, J v = 0 as
soon as the first-order change of the pre-activation q_{l+1} vanishes:

    dq_{l+1} = dW_{l+1} s(q_l) + W_{l+1} (s'(q_l) * (dW_l y)),   q_l = W_l y,

and it suffices to check this as a polynomial identity in the stratum's
parameters and in *free* inputs y = (y_1, ..., y_{d_{l-1}}) (the true inputs
a_{l-1} are forms, a special case).  :func:`verify_kernel_vectors` does exactly
that, over QQ[parameters, y], whatever the depth and output degree of the network.

Families (i, j the stratum's neurons, u_k / e_k unit vectors):
    scaling xi_{l',n} (every hidden neuron): row n of W_{l'} by itself, column n of W_{l'+1} by -r times itself;
    A: every coordinate of row i of W_l, every coordinate of column i of W_{l+1};
    B: every coordinate of row i of W_l;
    C (row j = c row i): column i of W_{l+1} by c^r e_k, column j by -e_k (k < d_{l+1});
    C' (also column j = e column i; always so for C when d_{l+1} = 1): C's family, and
        row i of W_l by e c^(r-1) u_k, row j by -u_k (k < d_{l-1}), written without
        the ratio e as: row i by W_{l+1}[0, j] c^(r-1) u_k, row j by -W_{l+1}[0, i] u_k;
    K2 (r = 2, every point, any hidden layer l' with d_{l'+1} = 1): W_{l'} by X W_{l'} with X
        in the Lie algebra of the orthogonal group of D = diag(W_{l'+1}[0, :]);
    K2C (r = 2, C with d_{l+1} = 2): for each other neuron n, rows i, j, n mixed so that
        the three q_i q_n terms cancel (:func:`_quadratic_pair_directions`).

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.sub_in_crit.strata import Stratum
    sage: from verify.sub_in_crit.kernel_vectors import stratum_kernel_vectors, verify_kernel_vectors
    sage: a = Architecture.parse("2,2,1")
    sage: R, W = Stratum("C", 1, (0, 1)).parametrisation(a)
    sage: stratum_kernel_vectors(Stratum("C", 1, (0, 1)), a, 3, W, R)   # d_2 = 1: C = C'
    [(0, 0, 0, 0, c^3, -1),
     (w2_0_1*c^2, 0, -w2_0_0, 0, 0, 0),
     (0, w2_0_1*c^2, 0, -w2_0_0, 0, 0)]
    sage: verify_kernel_vectors(Stratum("C'", 1, (0, 1)), Architecture.parse("2,2,2,1"), 3)
    6
"""

from __future__ import annotations

import functools

from ..core.errors import InputError

__all__ = ["scaling_directions", "stratum_kernel_vectors", "orthogonal_directions", "kernel_vector_matrix",
           "verify_kernel_vectors", "local_tangent_change"]


def _vector(arch, ring, entries: dict):
    """The vector of ring^N with the given entries (the rest zero), built without the
    coercion of every entry that ``vector(ring, list)`` does (30 times faster)."""
    from sage.all import FreeModule
    v = [ring.zero()] * arch.params
    for k, val in entries.items():
        v[k] = ring(v[k] + val)
    return FreeModule(ring, arch.params)(v, coerce=False, copy=False)


def scaling_directions(arch, r: int, weights, ring) -> list:
    """The H scaling directions xi_{l,n} at ``weights`` (entries in ``ring``), flat order."""
    out = []
    for l in arch.hidden_layers:
        rows, cols = arch.layer_shapes[l - 1]
        rows_n = arch.layer_shapes[l][0]
        for n in range(rows):
            e = {arch.weight_index(l, n, k): weights[l - 1][n][k] for k in range(cols)}
            for k in range(rows_n):
                e[arch.weight_index(l + 1, k, n)] = -r * weights[l][k][n]
            out.append(_vector(arch, ring, e))
    return out


def stratum_kernel_vectors(stratum, arch, r: int, weights, ring, ratios=None) -> list:
    """The stratum's own family of kernel vectors (not the scalings) at a point of it.

    ``weights`` is the output of ``stratum.parametrisation(arch)`` over ``ring``
    (then c is read off the ring's generators) or of ``stratum.evaluate``
    with ``ratios=(c,)`` given.
    """
    stratum.check(arch)
    l = stratum.layer
    cols = arch.layer_shapes[l - 1][1]
    rows_n = arch.layer_shapes[l][0]
    i = stratum.neurons[0]
    one = ring.one()
    if stratum.kind == "A":
        return ([_vector(arch, ring, {arch.weight_index(l, i, k): one}) for k in range(cols)]
                + [_vector(arch, ring, {arch.weight_index(l + 1, k, i): one}) for k in range(rows_n)])
    if stratum.kind == "B":
        return [_vector(arch, ring, {arch.weight_index(l, i, k): one}) for k in range(cols)]
    j = stratum.neurons[1]
    c = _ratio(ring) if ratios is None else ring(ratios[0])
    out = [_vector(arch, ring, {arch.weight_index(l + 1, k, i): c ** r,
                                arch.weight_index(l + 1, k, j): -one}) for k in range(rows_n)]
    if stratum.kind == "C'" or rows_n == 1:
        # outgoing columns proportional (always when d_{l+1} = 1): w_j = e w_i, in
        # the polynomial form  row i by W_{l+1}[0, j] c^(r-1) u_k,  row j by -W_{l+1}[0, i] u_k.
        a, b = weights[l][0][j], weights[l][0][i]
        out += [_vector(arch, ring, {arch.weight_index(l, i, k): a * c ** (r - 1),
                                     arch.weight_index(l, j, k): -b}) for k in range(cols)]
    if stratum.kind == "C" and r == 2 and rows_n == 2:
        out += _quadratic_pair_directions(arch, weights, ring, l, i, j, c)
    return out


def _quadratic_pair_directions(arch, weights, ring, l, i, j, c) -> list:
    """Lemma K2C (r = 2, C with d_{l+1} = 2): one vector per other neuron n of layer l.

    With w_m = column m of W_{l+1} and det the 2x2 determinant: row n by
    det(w_i, c w_j) row_i, row i by -det(w_n, c w_j) row_n, row j by -det(w_i, w_n) row_n.
    All three terms of dq_{l+1} are 2 q_i q_n times a vector, and the vectors add up to
    zero by Cramer's rule in K^2.
    """
    cols = arch.layer_shapes[l - 1][1]
    Wl, Wn = weights[l - 1], weights[l]
    col = lambda m: (Wn[0][m], Wn[1][m])
    det = lambda u, v: u[0] * v[1] - u[1] * v[0]
    wi, wj = col(i), col(j)
    cwj = (c * wj[0], c * wj[1])
    out = []
    for n in range(arch.widths[l]):
        if n in (i, j):
            continue
        wn = col(n)
        e = {}
        for k in range(cols):
            e[arch.weight_index(l, n, k)] = det(wi, cwj) * Wl[i][k]
            e[arch.weight_index(l, i, k)] = -det(wn, cwj) * Wl[n][k]
            e[arch.weight_index(l, j, k)] = -det(wi, wn) * Wl[n][k]
        out.append(_vector(arch, ring, e))
    return out


def _ratio(ring):
    """The parameter c of a C / C' parametrisation, as an element of ``ring``."""
    names = [str(g) for g in ring.gens()] if hasattr(ring, "gens") else []
    if "c" not in names:
        raise InputError("kernel vectors of C strata need the parametrisation's ring (with c) or ratios")
    return ring.gen(names.index("c"))


def orthogonal_directions(arch, r: int, weights, ring) -> list:
    """r = 2 only: the directions of Lemma K2, as pairs (layer, vector); empty for r != 2.

    For a hidden layer l with d_{l+1} = 1 and D = diag(W_{l+1}[0, :]),
    q_{l+1} = q_l^T D q_l is invariant under q_l -> O q_l with O^T D O = D; the Lie
    algebra is spanned by X_ab = D_b E_ab - D_a E_ba (a < b), acting by dW_l = X_ab W_l.
    """
    if r != 2:
        return []
    out = []
    for l in arch.hidden_layers:
        if arch.widths[l + 1] != 1:
            continue
        rows, cols = arch.layer_shapes[l - 1]
        D = weights[l][0]
        W = weights[l - 1]
        for a in range(rows):
            for b in range(a + 1, rows):
                e = {}
                for k in range(cols):
                    e[arch.weight_index(l, a, k)] = D[b] * W[b][k]
                    e[arch.weight_index(l, b, k)] = -D[a] * W[a][k]
                out.append((l, _vector(arch, ring, e)))
    return out


def kernel_vector_matrix(stratum, arch, r: int, weights, ring, ratios=None):
    """Rows: the H scaling directions, the stratum's family, and for r = 2 Lemma K2's
    directions (proofs/strata.md, Lemma K); ``stratum`` None: the generic point."""
    from sage.all import matrix
    rows = scaling_directions(arch, r, weights, ring)
    if stratum is not None:
        rows += stratum_kernel_vectors(stratum, arch, r, weights, ring, ratios)
    rows += [v for _, v in orthogonal_directions(arch, r, weights, ring)]
    return matrix(ring, rows)


def local_tangent_change(arch, r: int, weights, direction, ring, layer: int) -> list:
    """dq_{layer+1} along ``direction`` with free inputs y to layer ``layer``.

    Returns the d_{layer+1} polynomials of QQ[parameters, y] (:func:`_with_inputs`, built on
    ``ring``); ``direction`` must move only W_layer and W_{layer+1}.
    """
    l = layer
    rows, cols = arch.layer_shapes[l - 1]
    rows_n = arch.layer_shapes[l][0]
    moved = {k for k, v in enumerate(direction) if v != 0}
    lo, hi = arch.offset(l), arch.offset(l + 2) if l + 1 < arch.depth else arch.params
    if not moved <= set(range(lo, hi)):
        raise InputError(f"direction moves weights outside W_{l}, W_{l + 1}")
    S = _with_inputs(ring, cols)
    y = S.gens()[-cols:]
    Wl, Wn = weights[l - 1], weights[l]
    dWl = [[S(direction[arch.weight_index(l, n, k)]) for k in range(cols)] for n in range(rows)]
    dWn = [[S(direction[arch.weight_index(l + 1, m, n)]) for n in range(rows)] for m in range(rows_n)]
    q = [sum((S(Wl[n][k]) * y[k] for k in range(cols)), S.zero()) for n in range(rows)]
    dq = [sum((dWl[n][k] * y[k] for k in range(cols)), S.zero()) for n in range(rows)]
    act = [qn ** r for qn in q]
    slope = [r * qn ** (r - 1) for qn in q]
    return [sum((dWn[m][n] * act[n] + S(Wn[m][n]) * slope[n] * dq[n] for n in range(rows)), S.zero())
            for m in range(rows_n)]


def _with_inputs(ring, cols: int):
    """``ring`` with ``cols`` free inputs y adjoined: one flat polynomial ring (the parameters,
    then y) when ``ring`` is a polynomial ring, so the arithmetic stays in libsingular (a ring
    of polynomials over a polynomial ring is generic Python arithmetic, 100 times slower
    at r = 8); else ``ring[y]``."""
    from sage.all import PolynomialRing
    from sage.rings.polynomial.multi_polynomial_ring_base import MPolynomialRing_base
    from sage.rings.polynomial.polynomial_ring import PolynomialRing_generic
    from .strata import input_names
    ys = input_names(cols)
    if isinstance(ring, (MPolynomialRing_base, PolynomialRing_generic)):
        names = list(ring.variable_names())
        if names[-cols:] == ys:                    # built with its inputs already
            return ring
        if not set(names) & set(ys):
            return PolynomialRing(ring.base_ring(), names + ys)
    return PolynomialRing(ring, ys)


def verify_kernel_vectors(stratum, arch, r: int) -> int:
    """Prove J v = 0 on the whole stratum for every vector of Lemma K; return how many.

    Checks dq_{l+1} = 0 identically in the parameters and free inputs y for the
    stratum's family, for the scaling directions of layer l (the other scaling
    directions are Lemma S of proofs/README.md) and, for r = 2, for the directions of
    :func:`orthogonal_directions` at their own layers.  Raises AssertionError if one fails.

    By proofs/strata.md, Lemma K0', each identity is checked on the two-layer network
    (min(d_{l-1}, 2), d_l, d_{l+1}) with the stratum at its hidden layer (it involves only
    the two layers a vector moves, and only two inputs matter); a K2 direction, an identity
    in free W_{l'}, W_{l'+1}, on the generic network (min(d_{l'-1}, 2), d_{l'}, 1).  Checks
    are remembered per (kind, neurons, local widths, r) in this process.
    """
    if r < 2:
        raise InputError(f"strata need r >= 2 (s'(0) = 0), got r = {r}")
    stratum.check(arch)
    d, l = arch.widths, stratum.layer
    count = _local_identities(stratum.kind, tuple(stratum.neurons),
                              (min(d[l - 1], 2), d[l], d[l + 1]), r)
    for lo in arch.hidden_layers if r == 2 else ():
        if d[lo + 1] == 1:
            count += _orthogonal_identities((min(d[lo - 1], 2), d[lo], 1))
    return count


@functools.lru_cache(maxsize=None)
def _local_identities(kind: str, neurons: tuple, widths: tuple, r: int) -> int:
    """The stratum's family and layer-1 scalings checked on the two-layer network ``widths``."""
    from ..core.architecture import Architecture
    from .strata import Stratum
    arch, stratum = Architecture(widths), Stratum(kind, 1, neurons)
    R, W = stratum.parametrisation(arch, inputs=widths[0])
    checks = stratum_kernel_vectors(stratum, arch, r, W, R) + scaling_directions(arch, r, W, R)
    for v in checks:
        if any(p != 0 for p in local_tangent_change(arch, r, W, v, R, 1)):
            raise AssertionError(f"{stratum.name} of the two-layer network {arch}: "
                                 f"direction {v} is not a kernel vector")
    return len(checks)


@functools.lru_cache(maxsize=None)
def _orthogonal_identities(widths: tuple) -> int:
    """Lemma K2's directions (r = 2) checked on the generic two-layer network ``widths``."""
    from ..core.architecture import Architecture
    from ..core.weights import unflatten
    from .strata import weight_ring
    arch = Architecture(widths)
    R = weight_ring(arch, inputs=widths[0])
    W = unflatten(arch, list(R.gens())[:arch.params])
    checks = orthogonal_directions(arch, 2, W, R)
    for layer, v in checks:
        if any(p != 0 for p in local_tangent_change(arch, 2, W, v, R, layer)):
            raise AssertionError(f"K2 direction {v} of {arch} is not a kernel vector")
    return len(checks)

