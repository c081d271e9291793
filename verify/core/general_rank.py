"""Certified generic rank g(d, s, biases) of the Jacobian for a polynomial activation (issue 22).

Serves proofs/activations.md, Theorem G' (what a rank certifies, general s) with its upper
bounds: Lemma A0 (the degree support: rank J <= A'), Propositions S1/S2 (the surviving
continuous symmetries give kernel vectors at every point) and Lemma P (pair kernels: the
network sees the weights of two consecutive layers l, l+1 only through the polynomial map
u -> W_{l+1} s(W_l u + b_l) + b_{l+1}, so the kernel of that shallow network's Jacobian lies in
ker J; e.g. the 'hidden' symmetry of 2,2,2,1 with s = t^2 + t).

Lower bound: the rank modulo p at a seeded random point (weights, biases, input points uniform
in GF(p)) is at most the rank over QQ at the integer point, hence <= g (proofs/README.md,
Lemma M, unchanged: reduction mod p of an integer matrix never raises its rank).
Upper bound: N' minus the rank mod p, at the same integer point theta_0, of the kernel
vectors above (a rank mod p is <= the rank over QQ, which is <= the dimension of their span
at a generic point by lower semicontinuity; Lemma P needs the shallow network's Jacobian to
reach its certified generic rank at theta_0, which is checked). Where they meet, g is exact.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.core.activation import Activation
    sage: from verify.core.general_rank import general_generic_rank
    sage: s = Activation.parse("t^2 + t")
    sage: g = general_generic_rank(Architecture.parse("2,2,2,1"), s)
    sage: g.value, g.upper_bound, g.certificate, g.proved_by
    (9, 9, 'exact', 'symmetries')
    sage: g = general_generic_rank(Architecture.parse("2,2,1"), s, biases=True)
    sage: g.value, g.certificate, g.proved_by
    (6, 'exact', 'ambient')
"""

from __future__ import annotations

import math
import random

from .activation import Activation, parse_activation
from .architecture import Architecture
from .cost import MAX_BITS, MAX_ENTRIES, check_cost
from .errors import InputError
from .general_jacobian import (ambient_dimension, bias_offset, general_evaluation_jacobian,
                               output_degree, parameter_count)
from .jacobian import ModularArithmetic
from .rank import DEFAULT_PRIME, GenericRank, check_prime, rank_mod_p

__all__ = ["general_generic_rank", "symmetry_vectors", "pair_kernel_vectors", "quadratic_kernel_vectors",
           "defect_scaling_vectors",
           "check_general_cost", "weight_degree"]


def weight_degree(arch, activation) -> int:
    """1 + k + ... + k^(L-1), k = deg s: the degree of an output coefficient in theta."""
    k = activation.degree
    return sum(k ** e for e in range(arch.depth))


def check_general_cost(arch, activation, biases=False, modular=True, allow_large=False):
    """The cost guard of :mod:`verify.core.cost` for the degree-k network (D and A limits),
    then the entries of the general Jacobian (affine lattice: binom(d_0 + D, D) points)."""
    check_cost(arch, activation.degree, modular=modular, allow_large=allow_large)
    D = output_degree(arch, activation)
    rows = arch.widths[-1] * math.comb(arch.widths[0] + D, D)
    if modular:
        rows = min(rows, arch.widths[-1] * (parameter_count(arch, biases) + 4))
    entries = rows * parameter_count(arch, biases)
    if not allow_large and entries > MAX_ENTRIES:
        raise InputError(f"{arch} with s = {activation}: the Jacobian would have about {entries:.0e} "
                         f"entries (limit {MAX_ENTRIES:.0e}; --allow-large lifts it)")
    if not modular:
        # an exact entry is a polynomial of degree < weight_degree in theta and the coefficients
        # of s, evaluated at lattice points up to D: bound its bits by the coefficients' bits too
        cbits = max(max(abs(c.numerator).bit_length(), c.denominator.bit_length())
                    for c in activation.coefficients)
        per = weight_degree(arch, activation) * (cbits + 10 + math.log2(max(arch.widths))) \
            + D * math.log2(D + 1)
        if not allow_large and entries * per > MAX_BITS:
            raise InputError(f"{arch} with s = {activation}: the exact Jacobian would hold about "
                             f"{entries * per:.0e} bits (limit MAX_BITS = {MAX_BITS:.0e}; "
                             f"--allow-large lifts it)")
    return entries


def symmetry_vectors(arch, activation, weights, biases=None, p=None):
    """Generators of the surviving neuron-wise continuous symmetries at theta (lists of N'
    entries, reduced mod p when ``p``): one per hidden neuron (l, i), or none.

    * no biases, s = a t^k (Proposition S1): row i of W_l moves by itself, column i of
      W_{l+1} by -k times itself;
    * biases, s = a (t + h)^k + m (Proposition S2): also b_l[i] moves by b_l[i] + h and
      b_{l+1} by k m W_{l+1}[:, i].
    """
    has_b = biases is not None
    if has_b:
        if not activation.is_affine_monomial:
            return []
        h, m = activation.shift, activation.offset
    else:
        if not activation.is_scaled_monomial:
            return []
        h = m = 0
    k = activation.degree
    Np = parameter_count(arch, has_b)
    out = []

    def red(v):
        if p is None:
            return v
        from sage.all import GF
        return int(GF(p)(v))
    for l in arch.hidden_layers:
        for i in range(arch.widths[l]):
            v = [0] * Np
            for j in range(arch.widths[l - 1]):
                v[arch.weight_index(l, i, j)] = weights[l - 1][i][j]
            for m_ in range(arch.widths[l + 1]):
                v[arch.weight_index(l + 1, m_, i)] = -k * weights[l][m_][i]
            if has_b:
                v[bias_offset(arch, l) + i] = biases[l - 1][i] + h
                for m_ in range(arch.widths[l + 1]):
                    v[bias_offset(arch, l + 1) + m_] = k * m * weights[l][m_][i]
            out.append([red(x) for x in v])
    return out


def quadratic_kernel_vectors(arch, activation, weights, biases, p):
    """Lemma Q (deg s = 2, s = a t^2 + beta t + e): for a hidden layer l, the tangent vectors
    dW_l = A W_l (db_l = A b_l), dW_{l+1} = V, db_{l+1}[m] = -e sum_i V[m, i] with, for every
    output m of layer l+1: W[m,i] A_ij + W[m,j] A_ji = 0 (i < j), V[m,i] = -2 W[m,i] A_ii,
    (beta != 0) V[m,i] = -sum_j W[m,j] A_ji, (e != 0, no biases) sum_i V[m,i] = 0 (implied by
    the others when beta != 0, so then not imposed: a full row rank needs independent rows), where
    W = W_{l+1}, lie in ker J (the next layer sees a y^T C_m y + beta W[m,:] y + e sum_i W[m,i]
    with C_m = diag(W[m,:]), y = the pre-activations). Used only when this linear system in
    (A, V) has full row rank mod p at theta_0: then its kernel is a vector bundle near theta_0
    and the rank of the resulting vectors there bounds their generic rank from below.
    Returns (vectors mod p, notes)."""
    from sage.all import GF, matrix
    if activation.degree != 2:
        return [], []
    F = GF(p)
    beta, e = activation.coefficients[1], activation.coefficients[0]
    has_b = biases is not None
    Np = parameter_count(arch, has_b)
    vectors, notes = [], []
    for l in arch.hidden_layers:
        d, dn = arch.widths[l], arch.widths[l + 1]
        W = [[F(x) for x in row] for row in weights[l]]              # W_{l+1}: dn x d
        nA, nV = d * d, dn * d
        ai = lambda i, j: i * d + j                                   # noqa: E731
        vi = lambda m, i: nA + m * d + i                              # noqa: E731
        rows = []
        for m in range(dn):
            for i in range(d):
                for j in range(i + 1, d):
                    r_ = [F(0)] * (nA + nV)
                    r_[ai(i, j)] += W[m][i]
                    r_[ai(j, i)] += W[m][j]
                    rows.append(r_)
                r_ = [F(0)] * (nA + nV)
                r_[vi(m, i)] += 1
                r_[ai(i, i)] += 2 * W[m][i]
                rows.append(r_)
                if beta != 0:
                    r_ = [F(0)] * (nA + nV)
                    r_[vi(m, i)] += 1
                    for j in range(d):
                        r_[ai(j, i)] += W[m][j]
                    rows.append(r_)
            if e != 0 and not has_b and beta == 0:     # implied by the others when beta != 0
                r_ = [F(0)] * (nA + nV)
                for i in range(d):
                    r_[vi(m, i)] += 1
                rows.append(r_)
        M = matrix(F, rows)
        if M.rank() < M.nrows():
            notes.append(f"layer {l}: quadratic system not of full row rank at theta_0, skipped")
            continue
        e_p = F(e.numerator) / F(e.denominator)
        Wl = [[F(x) for x in row] for row in weights[l - 1]]          # W_l: d x d_{l-1}
        bl = [F(x) for x in biases[l - 1]] if has_b else None
        count = 0
        for kv in M.right_kernel().basis():
            A = [[kv[ai(i, j)] for j in range(d)] for i in range(d)]
            V = [[kv[vi(m, i)] for i in range(d)] for m in range(dn)]
            v = [F(0)] * Np
            for i in range(d):
                for j in range(arch.widths[l - 1]):
                    v[arch.weight_index(l, i, j)] = sum(A[i][k] * Wl[k][j] for k in range(d))
                for m in range(dn):
                    v[arch.weight_index(l + 1, m, i)] = V[m][i]
                if has_b:
                    v[bias_offset(arch, l) + i] = sum(A[i][k] * bl[k] for k in range(d))
            if has_b:
                for m in range(dn):
                    v[bias_offset(arch, l + 1) + m] = -e_p * sum(V[m])
            vectors.append([int(x) for x in v])
            count += 1
        notes.append(f"layer {l}: {count} quadratic kernel vector(s)")
    return vectors, notes


def defect_scaling_vectors(arch, activation, weights, biases, p):
    """Lemma R (scalings up to a linear defect): with h = the shift of s (0 without biases) and
    r_h(t) = (t + h) s'(t) - k s(t), the field sum_i alpha_i xi_{l,i} (row i of W_l by itself,
    b_l[i] by b_l[i] + h, column i of W_{l+1} by -k times itself) moves q_{l+1}[m] by
    sum_i alpha_i W_{l+1}[m,i] r_h(q_{l,i}). When r_h = rho_1 t + rho_0 has degree <= 1 this is
    rho_1 sum_i alpha_i W_{l+1}[m,i] W_l[i,:] . a_{l-1} plus a constant, which b_{l+1} absorbs
    (biases) or which must vanish (no biases): a linear system in alpha. Used only when it has
    full row rank mod p at theta_0 (as in Lemma Q), and only when s is not already covered by
    Propositions S1/S2 (then r_h = 0). Returns (vectors mod p, notes)."""
    from sage.all import GF, QQ, PolynomialRing, matrix
    has_b = biases is not None
    if (has_b and activation.is_affine_monomial) or (not has_b and activation.is_scaled_monomial):
        return [], []
    k = activation.degree
    P = PolynomialRing(QQ, "t")
    t = P.gen()
    sp = activation.polynomial(P)
    h = activation.shift if has_b else 0
    r = (t + h) * sp.derivative() - k * sp
    if r.degree() > 1:
        return [], []
    rho1, rho0 = r[1], r[0]
    F = GF(p)

    def red(q):
        return F(q.numerator()) / F(q.denominator())
    Np = parameter_count(arch, has_b)
    vectors, notes = [], []
    for l in arch.hidden_layers:
        d, dp, dn = arch.widths[l], arch.widths[l - 1], arch.widths[l + 1]
        W = [[F(x) for x in row] for row in weights[l]]
        Wl = [[F(x) for x in row] for row in weights[l - 1]]
        bl = [F(x) for x in biases[l - 1]] if has_b else [F(0)] * d
        rows = []
        if rho1 != 0:
            for m in range(dn):
                for j in range(dp):
                    rows.append([W[m][i] * Wl[i][j] for i in range(d)])
        if not has_b:
            for m in range(dn):
                rows.append([W[m][i] * (red(rho1) * bl[i] + red(rho0)) for i in range(d)])
        rows = [r_ for r_ in rows if any(x != 0 for x in r_)]
        M = matrix(F, len(rows), d, rows) if rows else matrix(F, 0, d)
        if M.rank() < M.nrows():
            notes.append(f"layer {l}: defect system not of full row rank at theta_0, skipped")
            continue
        count = 0
        for alpha in M.right_kernel().basis():
            v = [F(0)] * Np
            for i in range(d):
                for j in range(dp):
                    v[arch.weight_index(l, i, j)] += alpha[i] * Wl[i][j]
                for m in range(dn):
                    v[arch.weight_index(l + 1, m, i)] += -k * alpha[i] * W[m][i]
                if has_b:
                    v[bias_offset(arch, l) + i] += alpha[i] * (bl[i] + red(QQ(h)))
            if has_b:
                for m in range(dn):
                    v[bias_offset(arch, l + 1) + m] = -sum(alpha[i] * W[m][i] * (red(rho1) * bl[i] + red(rho0))
                                                          for i in range(d))
            vectors.append([int(x) for x in v])
            count += 1
        if count:
            notes.append(f"layer {l}: {count} defect-scaling vector(s)")
    return vectors, notes


def pair_kernel_vectors(arch, activation, weights, biases, p, seed=0, trials=3):
    """Lemma P: for each pair of weight layers (l, l+1), 1 <= l <= L-1, L >= 3, the kernel mod p
    of the shallow network (d_{l-1}, d_l, d_{l+1})'s Jacobian at the restriction of theta,
    embedded in the N' coordinates. A pair is used only when its shallow generic rank is
    certified exact and its Jacobian reaches it at theta (mod p; then the kernel mod p is the
    reduction of the kernel over QQ). Returns (vectors, notes)."""
    from sage.all import GF, matrix
    if arch.depth < 3:
        return [], []
    vectors, notes = [], []
    has_b = biases is not None
    for l in range(1, arch.depth):
        sub = Architecture((arch.widths[l - 1], arch.widths[l], arch.widths[l + 1]))
        g = general_generic_rank(sub, activation, has_b, prime=p, seed=seed, trials=trials)
        if g.certificate != "exact":
            notes.append(f"pair ({l},{l + 1}): shallow rank {sub} not exact, skipped")
            continue
        Np_sub = parameter_count(sub, has_b)
        if Np_sub - g.value == 0:
            continue
        W = [weights[l - 1], weights[l]]
        b = [biases[l - 1], biases[l]] if has_b else None
        rng = random.Random(f"pair-{seed}-{l}")
        npts = min(ambient_dimension(sub, activation, has_b), g.value + 4)
        pts = [[rng.randrange(p) for _ in range(sub.widths[0])] for _ in range(npts)]
        M = general_evaluation_jacobian(sub, activation, W, b, pts, ModularArithmetic(p))
        Mp = matrix(GF(p), M.shape[0], M.shape[1], [int(x) for x in M.ravel()])
        if Mp.rank() != g.value:
            notes.append(f"pair ({l},{l + 1}): rank {Mp.rank()} < {g.value} at theta_0, skipped")
            continue
        # coordinates of the pair in the full flat order
        where = []
        for layer in (l, l + 1):
            rows, cols = arch.layer_shapes[layer - 1]
            where += [arch.weight_index(layer, i, j) for i in range(rows) for j in range(cols)]
        if has_b:
            where += [bias_offset(arch, l) + i for i in range(arch.widths[l])]
            where += [bias_offset(arch, l + 1) + i for i in range(arch.widths[l + 1])]
        Np = parameter_count(arch, has_b)
        for kv in Mp.right_kernel().basis():
            v = [0] * Np
            for t, x in zip(where, kv):
                v[t] = int(x)
            vectors.append(v)
        notes.append(f"pair ({l},{l + 1}): shallow {sub} has g = {g.value} of {Np_sub}: "
                     f"{Np_sub - g.value} kernel vector(s)")
    return vectors, notes


_CACHE: dict = {}


def general_generic_rank(arch, activation, biases: bool = False, prime=None, seed: int = 0,
                         trials: int = 3) -> GenericRank:
    """Certified generic rank of J for activation s (an :class:`Activation` or its text) and
    optional biases: the best sampled rank mod p (lower bound, seeded) against the upper bound
    min(A', N' - (rank of the kernel vectors of Props. S1/S2 and Lemma P at theta_0)).
    ``proved_by`` names the upper bound that was met: 'ambient', 'symmetries' or 'pair-kernels'."""
    arch = Architecture.parse(arch)
    activation = parse_activation(activation) if not isinstance(activation, Activation) else activation
    from sage.all import GF, matrix, previous_prime
    p0 = check_prime(DEFAULT_PRIME if prime is None else prime, trials)
    key = (arch, activation.coefficients, bool(biases), p0, int(seed), int(trials))
    if key in _CACHE:
        return _CACHE[key]
    Np = parameter_count(arch, biases)
    A = ambient_dimension(arch, activation, biases)
    rng = random.Random(int(seed))

    def draw(p):
        W = [[[rng.randrange(p) for _ in range(c)] for _ in range(r_)] for r_, c in arch.layer_shapes]
        b = [[rng.randrange(p) for _ in range(d)] for d in arch.widths[1:]] if biases else None
        return W, b
    W0, b0 = draw(p0)
    sym = symmetry_vectors(arch, activation, W0, b0, p0)
    quad, qnotes = quadratic_kernel_vectors(arch, activation, W0, b0, p0)
    dsv, dnotes = defect_scaling_vectors(arch, activation, W0, b0, p0)
    sym = sym + quad + dsv
    qnotes = qnotes + dnotes
    pair, notes = pair_kernel_vectors(arch, activation, W0, b0, p0, seed, trials)
    notes = qnotes + notes
    k_sym = matrix(GF(p0), sym).rank() if sym else 0
    k_all = matrix(GF(p0), sym + pair).rank() if sym + pair else 0
    upper, proved_by = (A, "ambient") if A <= Np else (Np, "parameters")
    if Np - k_sym < upper:
        upper, proved_by = Np - k_sym, "symmetries"
    if Np - k_all < upper:
        upper, proved_by = Np - k_all, "pair-kernels"
    npoints = min(A, upper + 4)
    done, best, p = [], 0, p0
    for t in range(max(1, trials)):
        W, b = (W0, b0) if t == 0 else draw(p)
        pts = [[rng.randrange(p) for _ in range(arch.widths[0])] for _ in range(npoints)]
        J = general_evaluation_jacobian(arch, activation, W, b, pts, ModularArithmetic(p))
        if t == 0 and sym + pair:                  # the kernel vectors are kernel vectors
            K = matrix(GF(p), Np, len(sym + pair), [x for row in zip(*(sym + pair)) for x in row])
            Jp = matrix(GF(p), J.shape[0], J.shape[1], [int(x) for x in J.ravel()])
            if not (Jp * K).is_zero():
                raise RuntimeError(f"{arch}, s = {activation}: a symmetry or pair-kernel vector is "
                                   f"not in ker J (a bug)")
        k = rank_mod_p(J, p)
        done.append((p, k))
        best = max(best, k)
        if best >= upper:
            break
        p = int(previous_prime(p))
    what = f"s = {activation.canonical()}{', with biases' if biases else ''}"
    extra = f" ({'; '.join(notes)})" if notes else ""
    if best >= upper:
        out = GenericRank(best, upper, "exact", p0, seed, done, 0.0,
                          f"rank {best} at a point mod {done[-1][0]} equals the upper bound "
                          f"({proved_by}) {upper}: g = {upper} over QQ for {what}{extra}", proved_by)
    else:
        deg = (best + 1) * (weight_degree(arch, activation) - 1 + output_degree(arch, activation))
        bound = 1.0
        for p_, _ in done:
            bound *= min(1.0, deg / p_)
        out = GenericRank(best, upper, "lower-bound", p0, seed, done, bound,
                          f"{best} <= g <= {upper} ({proved_by}) over QQ for {what} (proved); g over "
                          f"GF(p) > {best} is missed by {len(done)} random points with probability "
                          f"<= {bound:.3g}{extra}", proved_by)
    _CACHE[key] = out
    return out
