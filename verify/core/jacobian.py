"""Jacobians of Phi: theta -> (coefficients of the output forms), computed exactly.

Serves proofs/README.md, "The Jacobian and its evaluation form" (Lemma E).

Two matrices with the same rank at every point:

* :func:`coefficient_jacobian` -- the Jacobian of Phi itself, by forward-mode
  differentiation on homogeneous forms over any Sage ring (QQ, GF(p), number
  fields, function fields).  Rows are indexed by (output k, monomial), monomials
  of degree D in :func:`monomial_basis` order; columns by the flat weight order
  of :mod:`verify.core.weights`.
* :func:`evaluation_jacobian` -- rows are the gradients d f_k(x) / d theta at a
  list of points x.  At the principal lattice :func:`principal_lattice` it equals
  E * J for an invertible evaluation matrix E (over QQ, and over GF(p) for p > D),
  so its rank is the rank of J; at any other points its rank is at most rank J.
  It is computed by back-propagation through the network (:func:`backpropagate`,
  the suite's only one), batched over points and optionally over weight points,
  either exactly (Python/Sage integers in object arrays), modulo a word-size
  prime (int64 arrays), or modulo a small prime with lazy reduction (the batched
  Jacobians of :mod:`verify.crit_in_sub.exhaustive`), by the same code.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.core.jacobian import coefficient_jacobian, jacobian_at
    sage: a = Architecture.parse("2,2,1")
    sage: W = [[[1, 0], [0, 1]], [[1, 1]]]      # f = x^3 + y^3
    sage: coefficient_jacobian(a, 3, W).rank(), jacobian_at(a, 3, W).rank()
    (4, 4)
"""

from __future__ import annotations

from itertools import combinations_with_replacement

import numpy as np

from .errors import InputError

__all__ = ["monomial_basis", "principal_lattice", "coefficient_jacobian", "backpropagate",
           "evaluation_jacobian", "jacobian_at", "ExactArithmetic", "ModularArithmetic",
           "LazyModularArithmetic", "coefficient_rows"]


def monomial_basis(n: int, D: int) -> list[tuple[int, ...]]:
    """Exponent vectors of the monomials of degree D in n variables, lex descending.

    sage: from verify.core.jacobian import monomial_basis
    sage: monomial_basis(2, 2)
    [(2, 0), (1, 1), (0, 2)]
    """
    out = []
    for combo in combinations_with_replacement(range(n), D):
        e = [0] * n
        for i in combo:
            e[i] += 1
        out.append(tuple(e))
    return out


def principal_lattice(n: int, D: int) -> list[tuple[int, ...]]:
    """The points (1, b) with b in N^(n-1), |b| <= D: unisolvent for forms of degree D.

    sage: from verify.core.jacobian import principal_lattice
    sage: principal_lattice(2, 3)
    [(1, 0), (1, 1), (1, 2), (1, 3)]
    """
    if n == 1:
        return [(1,)]
    return [(1,) + e[1:] for e in monomial_basis(n, D)]


# --- arithmetic back ends ---------------------------------------------------------
#
# What back-propagation asks of an arithmetic: ``array`` (nested rows -> array),
# ``dtype``, ``mul`` (a product that may still be summed over a layer's width before
# ``reduce``), ``reduce`` (to canonical values), ``power`` and ``scale`` (reduced).


class ExactArithmetic:
    """Exact arithmetic on numpy object arrays (Python ints, or any Sage ring's elements)."""

    dtype = object

    def array(self, rows):
        return np.array(rows, dtype=object)

    def mul(self, a, b):
        return a * b

    def reduce(self, a):
        return a

    def matmul(self, a, b):
        return a.dot(b)

    def power(self, a, e):
        return a ** e

    def scale(self, c, a):
        return a * c


class ModularArithmetic:
    """Arithmetic modulo a prime p < 2^31 on int64 arrays (products stay below 2^62)."""

    dtype = np.int64

    def __init__(self, p: int):
        if not 2 <= p < 2 ** 31:
            raise InputError(f"modular arithmetic needs a prime below 2^31, got {p}")
        self.p = int(p)

    def array(self, rows):
        return np.array([[int(v) % self.p for v in row] for row in rows], dtype=np.int64)

    def mul(self, a, b):
        return (a * b) % self.p        # < 2^31: sums over a layer's width stay below 2^62

    def reduce(self, a):
        return a % self.p

    def matmul(self, a, b):
        # entries < 2^31: one product < 2^62; reduce after each term to stay exact.
        out = np.zeros((a.shape[0], b.shape[1]), dtype=np.int64)
        for k in range(a.shape[1]):
            out = (out + (a[:, k:k + 1] * b[k:k + 1, :]) % self.p) % self.p
        return out

    def power(self, a, e):
        result = np.ones_like(a)
        base = a % self.p
        while e:
            if e & 1:
                result = (result * base) % self.p
            base = (base * base) % self.p
            e >>= 1
        return result

    def scale(self, c, a):
        return (a * (int(c) % self.p)) % self.p


class LazyModularArithmetic:
    """Arithmetic modulo a small prime p on the narrowest integer dtype that holds sums of
    (max width + 1) products of two residues: products are summed unreduced and reduced
    once, by table look-up (:class:`verify.core.batched_rank.Reducer`).  The arithmetic of
    the batched Jacobians of the exhaustive search (many weight points at once)."""

    def __init__(self, p: int, arch):
        from .batched_rank import Reducer, rank_dtype
        self.p = int(p)
        self.bound = self.p * self.p * (max(arch.widths) + 1)
        self.dtype = rank_dtype(self.bound)
        self.reduce = Reducer(self.p, self.bound, self.dtype)

    def array(self, rows):
        return np.array([[int(v) % self.p for v in row] for row in rows], dtype=self.dtype)

    def mul(self, a, b):
        return a * b                   # < p^2

    def power(self, a, e):
        if e == 0:
            return np.ones_like(a)
        result = a
        for _ in range(e - 1):
            result = self.reduce(result * a)
        return result

    def scale(self, c, a):
        return self.reduce(a * self.dtype(int(c) % self.p))


def backpropagate(arch, r: int, Ws, X, ar, columns=None, reduce_output: bool = True):
    """The one back-propagation of the suite: evaluation Jacobians of B weight points at once.

    ``Ws``: one array per layer, shape (d_l, d_{l-1}, B) (batch last), entries reduced in
    the arithmetic ``ar``; ``X``: (P, d_0) array of input points.  Returns an array of
    shape (d_L * P, len(columns), B): row ``k * P + t`` of batch entry b is
    d f_k(X[t]) / d theta at weight point b, restricted to the flat weight ``columns``
    (default all N).  With a_0 = x, q_l = W_l a_{l-1}, a_l = q_l^r, the gradient of
    f_k with respect to W_l[i, j] is delta_l[i] a_{l-1}[j], where delta_L = e_k and
    delta_{l-1} = (W_l^T delta_l) * r q_{l-1}^(r-1).  With ``reduce_output=False``
    the gradients are left as products ``ar.mul`` returns (for the lazy arithmetic:
    0 <= entry < p^2).
    """
    L, dL = arch.depth, arch.widths[-1]
    P, B = X.shape[0], Ws[0].shape[2]
    N = arch.params
    cols_wanted = list(range(N)) if columns is None else list(columns)
    where = {c: t for t, c in enumerate(cols_wanted)}
    # forward: acts[l] has shape (P, d_l, B), reduced; slopes[l-1] = r q_l^(r-1), l < L.
    acts = [np.broadcast_to(X[:, :, None], (P, X.shape[1], B))]
    slopes = []
    for l in range(L - 1):
        W = Ws[l]
        q = np.zeros((P, W.shape[0], B), dtype=ar.dtype)
        for j in range(W.shape[1]):
            q += ar.mul(W[None, :, j, :], acts[-1][:, j:j + 1, :])
        q = ar.reduce(q)
        t = ar.power(q, r - 1)
        acts.append(ar.reduce(ar.mul(t, q)))
        slopes.append(ar.scale(r, t))
    J = np.zeros((dL, P, len(cols_wanted), B), dtype=ar.dtype)

    def put(k, layer, i, values):          # values (P, cols, B): gradients of row i of W_layer
        o = arch.offset(layer) + i * values.shape[1]
        for j in range(values.shape[1]):
            t = where.get(o + j)
            if t is not None:
                J[k, :, t, :] = values[:, j, :]

    for k in range(dL):
        # delta_L = e_k: the gradient of W_L[k, j] is a_{L-1}[j], of the other rows 0.
        put(k, L, k, acts[L - 1])
        if ar.dtype is object:             # exact rings: zeros as ring elements
            for i in range(dL):
                if i != k:
                    put(k, L, i, ar.mul(acts[L - 1], 0))
        if L == 1:
            continue
        delta = ar.reduce(ar.mul(Ws[L - 1][k][None, :, :], slopes[L - 2]))   # (P, d_{L-1}, B)
        for l in range(L - 1, 0, -1):                                         # weight layer l
            rows, cols = arch.layer_shapes[l - 1]
            a = acts[l - 1]
            for i in range(rows):
                put(k, l, i, ar.mul(delta[:, i:i + 1, :], a))
            if l > 1:
                W = Ws[l - 1]                                                 # (rows, cols, B)
                nd = np.zeros((P, cols, B), dtype=ar.dtype)
                for i in range(rows):
                    nd += ar.mul(W[None, i, :, :], delta[:, i:i + 1, :])
                delta = ar.reduce(ar.mul(ar.reduce(nd), slopes[l - 2]))
    J = J.reshape(dL * P, len(cols_wanted), B)
    return ar.reduce(J) if reduce_output else J


def evaluation_jacobian(arch, r: int, weights, points, arithmetic=None):
    """Gradients of every output at every point, as a (d_L * #points) x N array.

    Row ``k * P + t`` is d f_k(points[t]) / d theta.  ``weights`` are nested
    lists (W_1 first) of entries the arithmetic accepts; ``points`` a list of
    input vectors.  :func:`backpropagate` with a batch of one weight point.
    """
    ar = arithmetic or ExactArithmetic()
    Ws = [ar.array(W).reshape(rows, cols, 1) for W, (rows, cols) in zip(weights, arch.layer_shapes)]
    X = ar.array(points).reshape(len(points), arch.widths[0])   # P x d_0
    return backpropagate(arch, r, Ws, X, ar)[:, :, 0]


def _to_ring(weights, ring):
    return [[[ring(v) for v in row] for row in W] for W in weights]


def jacobian_at(arch, r: int, weights, ring=None):
    """Sage matrix with the rank of J(theta): evaluation Jacobian at the principal lattice.

    Exact over QQ (the default) and over GF(p) for p > D; over other rings
    of characteristic 0 as well.  Use :func:`coefficient_jacobian` for small p.
    """
    from sage.all import QQ, matrix
    ring = QQ if ring is None else ring
    D = arch.output_degree(r)
    if 0 < ring.characteristic() <= D:
        raise InputError(f"evaluation at the principal lattice needs characteristic > D = {D}; "
                         f"use coefficient_jacobian")
    pts = [[ring(c) for c in x] for x in principal_lattice(arch.widths[0], D)]
    M = evaluation_jacobian(arch, r, _to_ring(weights, ring), pts, ExactArithmetic())
    return matrix(ring, M.shape[0], M.shape[1], list(M.ravel()))


def coefficient_jacobian(arch, r: int, weights, ring=None):
    """The Jacobian of Phi at ``weights`` by forward-mode on forms, over any Sage ring.

    Rows: (output k, monomial in :func:`monomial_basis` order), k-major.
    """
    from sage.all import QQ, PolynomialRing, matrix
    ring = QQ if ring is None else ring
    n = arch.widths[0]
    R = PolynomialRing(ring, n, "x")
    x = R.gens()
    Wr = _to_ring(weights, ring)
    N = arch.params
    zero = R.zero()
    # q[i] is the pre-activation form of neuron i, dq[i] its N directional derivatives.
    q = [R(xi) for xi in x]
    dq = [[zero] * N for _ in x]
    a, da = q, dq
    for l, W in enumerate(Wr, start=1):
        rows, cols = len(W), len(W[0])
        q = [sum((W[i][j] * a[j] for j in range(cols)), zero) for i in range(rows)]
        dq = []
        for i in range(rows):
            d = [sum((W[i][j] * da[j][t] for j in range(cols)), zero) for t in range(N)]
            for j in range(cols):
                d[arch.weight_index(l, i, j)] += a[j]
            dq.append(d)
        if l < arch.depth:
            a = [qi ** r for qi in q]
            slope = [r * qi ** (r - 1) for qi in q]
            da = [[slope[i] * dq[i][t] for t in range(N)] for i in range(rows)]
    return coefficient_rows(dq, monomial_basis(n, arch.output_degree(r)), ring)


def coefficient_rows(dq, basis, ring):
    """The Jacobian's coefficient rows: for each output k and each exponent e of ``basis``, the
    coefficient of x^e in d f_k / d theta_t for every t (``dq[k][t]`` a polynomial)."""
    from sage.all import matrix
    entries = []
    for dqk in dq:
        cols = [{tuple(e): c for e, c in d.dict().items()} for d in dqk]
        for e in basis:
            entries.append([c.get(e, ring.zero()) for c in cols])
    return matrix(ring, entries)
