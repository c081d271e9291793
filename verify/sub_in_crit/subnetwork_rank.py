"""Proved bounds on the generic rank g(d, r), including architectures with width-one
hidden layers, and the architecture left when one neuron is removed.

Serves proofs/strata.md, section 4 (Lemma W, the cut at a hidden layer, and
Lemma R, reduction to the subnetwork).  Lemma W: for a hidden layer m,
f = G_{W_{>m}}(a_m) where a_m = s(q_m), q_m is the output of the *head*
(d_0, ..., d_m) and G_W(y) the output of the *tail* (d_m, ..., d_L) at inputs y.
Hence Im J is inside {dG_W(a_m)} + {grad G(a_m) . da_m}, of dimensions at most
g(tail) and g(head); both contain the d_m vectors y_i dG/dy_i (a_m) (the
half-scalings of layer m), so g <= g(head) + g(tail) - dim span of those.
A one-layer head is W_1 (rank d_0 d_1), a one-layer tail is W_L (rank d_L d_{L-1}).
For a width-one layer this is f = c * q_m^(r^(L-m)) and the bound
g(head) + d_L-ish - 1.  Combined with min(N - H, A) (Proposition U of
proofs/README.md) and, for r = 2, the orthogonal kernel vectors of Lemma K2
(:func:`verify.sub_in_crit.kernel_vectors.orthogonal_directions`) this gives
:func:`generic_rank_upper_bound`;
:func:`certified_generic_rank` pairs it with the sampled lower bound of
:func:`verify.core.rank.generic_rank`, and :func:`proved_generic_rank` (what every consumer
of g uses) makes that sampled rank exact when the two meet.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.sub_in_crit.subnetwork_rank import generic_rank_upper_bound, certified_generic_rank
    sage: a = Architecture.parse("2,3,1,1")       # width-one layer: N - H = 6, but
    sage: generic_rank_upper_bound(a, 4)          # g <= g(2,3,1) + 1 - 1 = min(6, 5)
    5
    sage: generic_rank_upper_bound(Architecture.parse("3,2,3,3,1"), 3)   # 6 + 10 - 2
    14
    sage: generic_rank_upper_bound(Architecture.parse("3,3,1"), 2)   # 12 - 3 - binom(3, 2)
    6
    sage: certified_generic_rank(a, 4)[:3]
    (5, 5, True)
    sage: certified_generic_rank(None, 4)[:3]     # a layer of width zero: Phi = 0
    (0, 0, True)
"""

from __future__ import annotations

import random
from functools import lru_cache

from ..core.architecture import Architecture

__all__ = ["generic_rank_upper_bound", "certified_generic_rank", "proved_generic_rank",
           "remove_neuron"]


def remove_neuron(arch, layer: int):
    """The architecture with one neuron of hidden ``layer`` removed; None if the layer empties."""
    w = list(arch.widths)
    w[layer] -= 1
    return None if w[layer] == 0 else Architecture(tuple(w))


def _overlap(widths: tuple, r: int, m: int, p: int, seed: int) -> int:
    """Rank mod p, at a seeded random point, of J times the half-scalings of layer m.

    The half-scaling of neuron (m, i) moves row i of W_m by itself; J of it is
    r y_i dG/dy_i at y = a_m, which lies in both images of Lemma W.  A rank at one
    point is a proved lower bound of the generic dimension of their span (Lemma M).
    """
    from ..core.jacobian import ModularArithmetic, evaluation_jacobian
    from ..core.rank import rank_mod_p
    import numpy as np
    a = Architecture(widths)
    rng = random.Random(f"overlap:{seed}:{widths}:{r}:{m}")
    W = [[[rng.randrange(p) for _ in range(c)] for _ in range(rw)] for rw, c in a.layer_shapes]
    npts = min(a.monomials(r), a.params + 4)
    pts = [[rng.randrange(p) for _ in range(widths[0])] for _ in range(npts)]
    J = evaluation_jacobian(a, r, W, pts, ModularArithmetic(p))
    cols = []
    for i in range(widths[m]):
        v = np.zeros(J.shape[0], dtype=np.int64)
        for k in range(widths[m - 1]):
            v = (v + J[:, a.weight_index(m, i, k)] * W[m - 1][i][k]) % p
        cols.append(v)
    return rank_mod_p(np.stack(cols, axis=1), p)


def _quadratic_kernel_bound(widths: tuple, p: int, seed: int) -> int:
    """r = 2: N - rank mod p of the scalings and Lemma K2's directions at a random point."""
    from sage.all import GF
    from .kernel_vectors import kernel_vector_matrix
    a = Architecture(widths)
    F = GF(p)
    rng = random.Random(f"quadratic:{seed}:{widths}")
    W = [[[F(rng.randrange(p)) for _ in range(c)] for _ in range(rw)] for rw, c in a.layer_shapes]
    return a.params - int(kernel_vector_matrix(None, a, 2, W, F).rank())


def _quadratic_head_kernel(widths: tuple, m: int, p: int, seed: int) -> int:
    """r = 2, d_{m+1} = 1: rank mod p of {X_ab q_m} at a random point (Lemma W2).

    X_ab q_m = D_b q_b e_a - D_a q_a e_b with D = W_{m+1}[0, :]; evaluated at random
    inputs, so the rank is a lower bound of the generic dimension of their span.
    """
    from ..core.jacobian import ModularArithmetic
    from ..core.rank import rank_mod_p
    head = Architecture(widths[:m + 1]) if m >= 2 else None
    ar = ModularArithmetic(p)
    rng = random.Random(f"quadratic-head:{seed}:{widths}:{m}")
    W = [[[rng.randrange(p) for _ in range(c)] for _ in range(rw)]
         for rw, c in Architecture(widths).layer_shapes]
    D = W[m][0]
    dm = widths[m]
    pairs = [(a, b) for a in range(dm) for b in range(a + 1, dm)]
    npts = min(Architecture(widths).monomials(2) if m == 1 else head.monomials(2), len(pairs) + 4)
    npts = max(npts, 1)
    rows = []
    for _ in range(npts + len(pairs)):
        x = [rng.randrange(p) for _ in range(widths[0])]
        a_prev = x
        for l in range(1, m + 1):
            q = [sum(W[l - 1][i][k] * a_prev[k] for k in range(len(a_prev))) % p
                 for i in range(widths[l])]
            a_prev = [v * v % p for v in q]
        for a in range(dm):
            rows.append([(D[b] * q[b] if a == a_ else (-D[a_] * q[a_] if a == b else 0)) % p
                         for a_, b in pairs])
    return rank_mod_p(rows, p) if pairs else 0


@lru_cache(maxsize=None)
def _upper(widths: tuple, r: int, p: int, seed: int) -> int:
    a = Architecture(widths)
    best = a.expected_dimension(r)
    L = a.depth
    if r == 2:
        best = min(best, _quadratic_kernel_bound(widths, p, seed))
    if r == 2 and L == 2 and widths[2] == 1 and widths[1] < widths[0]:
        # sum of d_1 squares of linear forms = quadrics of rank <= d_1 (classical):
        # dimension d_1 d_0 - binom(d_1, 2).
        best = min(best, widths[1] * widths[0] - widths[1] * (widths[1] - 1) // 2)
    for m in a.hidden_layers:
        head = widths[0] * widths[1] if m == 1 else _upper(widths[:m + 1], r, p, seed)
        tail = widths[-1] * widths[-2] if m == L - 1 else _upper(widths[m:], r, p, seed)
        k2 = widths[m] * (widths[m] - 1) // 2 if r == 2 and widths[m + 1] == 1 else 0
        if head + tail - widths[m] - k2 >= best:
            continue                     # cannot improve even with the full overlap
        if k2:
            k2 = _quadratic_head_kernel(widths, m, p, seed)
        best = min(best, head + tail - _overlap(widths, r, m, p, seed) - k2)
    return best


def generic_rank_upper_bound(arch, r: int, prime=None, seed: int = 0) -> int:
    """Proved upper bound on g: min(N - H, A) and the cuts of Lemma W (recursively)."""
    from ..core.rank import DEFAULT_PRIME
    if arch is None:
        return 0
    return _upper(tuple(arch.widths), int(r), int(prime or DEFAULT_PRIME), int(seed))


@lru_cache(maxsize=256)
def _certified(widths: tuple, r: int, prime, seed: int):
    from ..core.rank import generic_rank
    a = Architecture(widths)
    upper = generic_rank_upper_bound(a, r, prime, seed)
    g = generic_rank(a, r, prime=prime, seed=seed)
    lower = min(g.value, upper)
    return lower, upper, lower == upper, g.prime, g.failure_bound


def proved_generic_rank(arch, r: int, prime=None, seed: int = 0, trials: int = 3):
    """The generic rank of :func:`verify.core.rank.generic_rank` (a :class:`GenericRank`),
    made ``exact`` when its sampled lower bound meets :func:`generic_rank_upper_bound` (the
    cuts of Lemma W, Lemma W2, the kernel bound at r = 2); ``proved_by`` names the bound.
    Every consumer of g (the case, the converse's methods, the commands) takes it from here."""
    from dataclasses import replace
    from ..core.rank import generic_rank
    arch = Architecture.parse(arch)
    G = generic_rank(arch, r, prime=prime, seed=seed, trials=trials)
    if G.certificate == "exact" or generic_rank_upper_bound(arch, r, prime, seed) != G.value:
        return G
    bound = "the cut and kernel bounds of proofs/strata.md (Lemmas W, W2, kernel bound)"
    return replace(G, certificate="exact", upper_bound=G.value, failure_bound=0.0,
                   statement=f"g = {G.value}: the sampled rank meets {bound}",
                   proved_by=f"upper bound: {bound}")


def certified_generic_rank(arch, r: int, prime=None, seed: int = 0):
    """``(lower, upper, exact, prime, failure_bound)`` with lower <= g <= upper both proved.

    ``arch`` None stands for a network with an empty hidden layer (Phi = 0, g = 0).
    """
    if arch is None:
        return 0, 0, True, prime, 0.0
    return _certified(tuple(arch.widths), int(r), prime, int(seed))
