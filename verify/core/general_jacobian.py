"""The Jacobian of Phi for a polynomial activation s and optional biases (issue 22), exactly.

Serves proofs/activations.md, section 1 (the network q_1 = W_1 x + b_1,
q_l = W_l s(q_{l-1}) + b_l, f = q_L; the output layer has a bias too) and Lemma U (the
principal lattice {b in N^(d_0) : |b| <= D} is unisolvent for polynomials of degree <= D
in d_0 variables, over QQ and over GF(p) for p > D).

The outputs are polynomials of degree <= D = deg(s)^(L-1), not forms: the rows of the
evaluation Jacobian at the affine principal lattice are an invertible linear image (the
evaluation matrix of Lemma U) of the rows of the coefficient Jacobian, so both have the same
rank. Columns: the N weights in the flat order of :mod:`verify.core.weights`, then (with
biases) b_1, ..., b_L, entry by entry (:func:`parameter_count`).

This is a separate back-propagation from :func:`verify.core.jacobian.backpropagate` (the
monomial one is untouched: its reports must stay byte-identical); it uses the same
arithmetics (:class:`verify.core.jacobian.ExactArithmetic`, ``ModularArithmetic``), on
one weight point. :func:`coefficient_jacobian_general` is a second, independent method
(forward mode on polynomials) for cross-checks.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.core.activation import Activation
    sage: from verify.core.general_jacobian import general_jacobian_at, coefficient_jacobian_general
    sage: a, s = Architecture.parse("2,2,1"), Activation.parse("t^2 + t")
    sage: W = [[[1, 2], [3, -1]], [[1, 2]]]
    sage: general_jacobian_at(a, s, W).rank(), coefficient_jacobian_general(a, s, W).rank()
    (5, 5)
    sage: b = [[1, -2], [3]]
    sage: general_jacobian_at(a, s, W, b).rank()
    6
"""

from __future__ import annotations

from math import comb

import numpy as np

from .errors import InputError
from .jacobian import ExactArithmetic, coefficient_rows

__all__ = ["affine_lattice", "affine_monomials", "parameter_count", "bias_offset",
           "general_evaluation_jacobian", "general_jacobian_at", "coefficient_jacobian_general",
           "output_degree", "degree_support", "ambient_dimension", "parse_biases", "random_biases"]


def output_degree(arch, activation) -> int:
    """D = deg(s)^(L-1): the largest degree of an output polynomial."""
    return activation.degree ** (arch.depth - 1)


def affine_monomials(n: int, D: int) -> list[tuple[int, ...]]:
    """Exponent vectors b in N^n with |b| <= D, by total degree then lex descending."""
    from .jacobian import monomial_basis
    out = []
    for e in range(D + 1):
        out += monomial_basis(n, e)
    return out


def affine_lattice(n: int, D: int) -> list[tuple[int, ...]]:
    """The principal lattice of degree D in n affine coordinates: the points b in N^n with
    |b| <= D (Lemma U: unisolvent for polynomials of degree <= D; over GF(p) when p > D).

    sage: from verify.core.general_jacobian import affine_lattice
    sage: affine_lattice(2, 1)
    [(0, 0), (1, 0), (0, 1)]
    """
    return affine_monomials(n, D)


def degree_support(arch, activation, biases: bool = False) -> list[int]:
    """The degrees e for which an output may have a nonzero part of degree e (proofs/activations.md,
    Lemma A0): S_1 = {1} (and 0 with biases); the degrees of s(q_l) are sums of j elements of
    S_l for j in supp(s) (j = 0 gives 0); S_{l+1} = those (and 0 with biases)."""
    S = {1} | ({0} if biases else set())
    for _ in range(arch.depth - 1):
        sums = {0: {0}}
        for j in range(1, activation.degree + 1):
            sums[j] = {a + b for a in sums[j - 1] for b in S}
        S = set().union(*[sums[j] for j in activation.support])
        if biases:
            S |= {0}
    return sorted(S)


def ambient_dimension(arch, activation, biases: bool = False) -> int:
    """A' = d_L * (number of monomials in d_0 variables of a degree in :func:`degree_support`):
    an upper bound for the rank of J at every point (Lemma A0)."""
    n = arch.widths[0]
    return arch.widths[-1] * sum(comb(n - 1 + e, e) for e in degree_support(arch, activation, biases))


def parameter_count(arch, biases: bool = False) -> int:
    """N' = N (+ d_1 + ... + d_L with biases)."""
    return arch.params + (sum(arch.widths[1:]) if biases else 0)


def bias_offset(arch, layer: int) -> int:
    """Flat index of b_layer[0] (after the N weights)."""
    return arch.params + sum(arch.widths[1:layer])


def parse_biases(arch, biases, ring=None):
    """Bias vectors b_1, ..., b_L (JSON text or nested lists; entries as for weights), each
    entry in QQ (or ``ring``); InputError on a wrong shape."""
    import json
    from .weights import MAX_WEIGHTS_TEXT, _rational, bounded_json_int
    if isinstance(biases, str):
        if len(biases) > MAX_WEIGHTS_TEXT:
            raise InputError(f"biases text too long (limit {MAX_WEIGHTS_TEXT} characters)")
        try:
            biases = json.loads(biases, parse_int=bounded_json_int)
        except ValueError as e:
            if isinstance(e, InputError):
                raise
            raise InputError(f"biases are not valid JSON: {str(e)[:60]}")
    widths = arch.widths[1:]
    if not isinstance(biases, (list, tuple)) or len(biases) != len(widths):
        raise InputError(f"biases must be a list of {len(widths)} vectors b_1..b_L of lengths "
                         f"{','.join(map(str, widths))}")
    out = []
    for l, (b, d) in enumerate(zip(biases, widths), start=1):
        if not isinstance(b, (list, tuple)) or len(b) != d:
            raise InputError(f"bias b_{l} must be a list of {d} numbers")
        out.append([ring(v) if ring is not None else _rational(v) for v in b])
    return out


def random_biases(arch, rng, low, high):
    return [[rng.randrange(low, high) for _ in range(d)] for d in arch.widths[1:]]


def _filled(shape, value, dtype):
    """An array of ``value``; for object arrays the value itself in every entry (``np.full``
    would convert a Sage element to a float)."""
    if dtype is object:
        out = np.empty(shape, dtype=object)
        out.fill(value)
        return out
    return np.full(shape, value, dtype=dtype)


def _horner(coeffs, q, ar):
    """s(q) entrywise for s with ``coeffs`` (constant first), in arithmetic ``ar``."""
    out = _filled(q.shape, coeffs[-1], ar.dtype)
    for c in reversed(coeffs[:-1]):
        # a Sage scalar meeting a numpy array becomes a float: add it as an array
        out = ar.reduce(ar.mul(out, q) + _filled(q.shape, c, ar.dtype))
    return out


def general_evaluation_jacobian(arch, activation, weights, biases, points, arithmetic=None):
    """Gradients of every output at every point, (d_L * P) x N' array, row ``k * P + t`` =
    d f_k(points[t]) / d theta. ``biases`` None (no biases) or b_1..b_L.

    Back-propagation: a_0 = x, q_l = W_l a_{l-1} + b_l, a_l = s(q_l); the gradient of f_k
    with respect to W_l[i, j] is delta_l[i] a_{l-1}[j] and with respect to b_l[i] is
    delta_l[i], where delta_L = e_k and delta_{l-1} = (W_l^T delta_l) * s'(q_{l-1}).
    """
    ar = arithmetic or ExactArithmetic()
    ring = getattr(ar, "ring", None)
    L, dL = arch.depth, arch.widths[-1]
    s_c = activation.coefficients_in(ar, ring)
    ds_c = [(j + 1) * v for j, v in enumerate(s_c[1:])] or [0 * s_c[0]]
    if getattr(ar, "p", None) is not None:
        ds_c = [v % ar.p for v in ds_c]
    Ws = [ar.array(W) for W in weights]                       # (d_l, d_{l-1})
    bs = None if biases is None else [ar.array([list(b)]) for b in biases]   # (1, d_l)
    X = ar.array(points)
    P = X.shape[0]
    Np = parameter_count(arch, biases is not None)
    acts, slopes = [X], []
    for l in range(L - 1):
        q = ar.matmul(acts[-1], Ws[l].T)
        if bs is not None:
            q = ar.reduce(q + bs[l])
        acts.append(_horner(s_c, q, ar))
        slopes.append(_horner(ds_c, q, ar))
    if ar.dtype is object:
        zero = 0 * s_c[0]
        J = _filled((dL, P, Np), zero, object)
        one = zero + 1
    else:
        J = np.zeros((dL, P, Np), dtype=ar.dtype)
        one = 1
    for k in range(dL):
        o = arch.weight_index(L, k, 0)
        J[k, :, o:o + arch.widths[L - 1]] = acts[L - 1]
        if bs is not None:
            J[k, :, bias_offset(arch, L) + k] = _filled((P,), one, J.dtype)
        delta = None
        for l in range(L - 1, 0, -1):                          # weight layer l, hidden layer l
            if delta is None:
                delta = ar.reduce(ar.mul(Ws[L - 1][k:k + 1, :], slopes[l - 1]))   # (P, d_l)
            else:
                delta = ar.reduce(ar.mul(ar.matmul(delta, Ws[l]), slopes[l - 1]))
            a = acts[l - 1]
            rows, cols = arch.layer_shapes[l - 1]
            for i in range(rows):
                o = arch.weight_index(l, i, 0)
                J[k, :, o:o + cols] = ar.reduce(ar.mul(delta[:, i:i + 1], a))
            if bs is not None:
                o = bias_offset(arch, l)
                J[k, :, o:o + rows] = delta
    return J.reshape(dL * P, Np)


class _RingArithmetic(ExactArithmetic):
    """Exact arithmetic whose constants are coerced into a given Sage ring (QQ, GF(p), ...)."""

    def __init__(self, ring):
        self.ring = ring

    def array(self, rows):
        return np.array([[self.ring(v) for v in row] for row in rows], dtype=object)


def general_jacobian_at(arch, activation, weights, biases=None, ring=None):
    """Sage matrix with the rank of J(theta): the evaluation Jacobian at the affine principal
    lattice of degree D (Lemma U). Exact over QQ (default) and over GF(p) for p > D."""
    from sage.all import QQ, matrix
    ring = QQ if ring is None else ring
    D = output_degree(arch, activation)
    if 0 < ring.characteristic() <= D:
        raise InputError(f"evaluation at the principal lattice needs characteristic > D = {D}; "
                         f"use coefficient_jacobian_general")
    pts = affine_lattice(arch.widths[0], D)
    M = general_evaluation_jacobian(arch, activation, weights, biases, pts, _RingArithmetic(ring))
    return matrix(ring, M.shape[0], M.shape[1], list(M.ravel()))


def coefficient_jacobian_general(arch, activation, weights, biases=None, ring=None):
    """The Jacobian of Phi by forward mode on polynomials over any Sage ring (second method).
    Rows: (output k, monomial in :func:`affine_monomials` order of degree <= D), k-major."""
    from sage.all import QQ, PolynomialRing, matrix
    ring = QQ if ring is None else ring
    n = arch.widths[0]
    R = PolynomialRing(ring, n, "x")
    Np = parameter_count(arch, biases is not None)
    s_c = [ring(c) for c in activation.coefficients_in(None, ring)]
    ds_c = [(j + 1) * c for j, c in enumerate(s_c[1:])]
    zero = R.zero()

    def s(q, c):
        out = zero + c[-1]
        for v in reversed(c[:-1]):
            out = out * q + v
        return out
    a = [R(v) for v in R.gens()]
    da = [[zero] * Np for _ in a]
    for l, W in enumerate(weights, start=1):
        rows, cols = len(W), len(W[0])
        q, dq = [], []
        for i in range(rows):
            qi = sum((ring(W[i][j]) * a[j] for j in range(cols)), zero)
            d = [sum((ring(W[i][j]) * da[j][t] for j in range(cols)), zero) for t in range(Np)]
            for j in range(cols):
                d[arch.weight_index(l, i, j)] += a[j]
            if biases is not None:
                qi += ring(biases[l - 1][i])
                d[bias_offset(arch, l) + i] += 1
            q.append(qi)
            dq.append(d)
        if l < arch.depth:
            a = [s(qi, s_c) for qi in q]
            slope = [s(qi, ds_c) if ds_c else zero for qi in q]
            da = [[slope[i] * dq[i][t] for t in range(Np)] for i in range(rows)]
    return coefficient_rows(dq, affine_monomials(n, output_degree(arch, activation)), ring)
