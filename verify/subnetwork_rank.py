"""Proved bounds on the generic rank g(d, r), including architectures with width-one
hidden layers, and the architecture left when one neuron is removed.

Serves proofs/strata.md, section 4 (Lemma W, the width-one cut, and Lemma R,
reduction to the subnetwork).  Lemma W: if hidden layer m has width one, then
f = c(W_{m+1..L}) * q_m^(r^(L-m)), where q_m is the single output of the *head*
(d_0, ..., d_{m-1}, 1) and c in K^{d_L} the output at input 1 of the *tail*
(1, d_{m+1}, ..., d_L); the scaling (c, q) -> (t^(-R) c, t q) loses one more
dimension, so g <= g(head) + g(tail) - 1.  A one-layer head is W_1 (rank d_0),
a one-layer tail is W_L (rank d_L).  Combined with min(N - H, A) (Proposition U
of proofs/README.md) this gives :func:`generic_rank_upper_bound`;
:func:`certified_generic_rank` pairs it with the sampled lower bound of
:func:`verify.rank.generic_rank`.

EXAMPLES::

    sage: from verify.architecture import Architecture
    sage: from verify.subnetwork_rank import generic_rank_upper_bound, certified_generic_rank
    sage: a = Architecture.parse("2,3,1,1")       # width-one layer: N - H = 6, but
    sage: generic_rank_upper_bound(a, 4)          # g <= g(2,3,1) + 1 - 1 = min(6, 5)
    5
    sage: certified_generic_rank(a, 4)[:3]
    (5, 5, True)
    sage: certified_generic_rank(None, 4)[:3]     # a layer of width zero: Phi = 0
    (0, 0, True)
"""

from __future__ import annotations

from functools import lru_cache

from .architecture import Architecture

__all__ = ["generic_rank_upper_bound", "certified_generic_rank", "remove_neuron"]


def remove_neuron(arch, layer: int):
    """The architecture with one neuron of hidden ``layer`` removed; None if the layer empties."""
    w = list(arch.widths)
    w[layer] -= 1
    return None if w[layer] == 0 else Architecture(tuple(w))


@lru_cache(maxsize=None)
def _upper(widths: tuple, r: int) -> int:
    a = Architecture(widths)
    best = a.expected_dimension(r)
    L = a.depth
    for m in a.hidden_layers:
        if widths[m] != 1:
            continue
        head = widths[0] if m == 1 else _upper(widths[:m] + (1,), r)
        tail = widths[-1] if m == L - 1 else _upper((1,) + widths[m + 1:], r)
        best = min(best, head + tail - 1)
    return best


def generic_rank_upper_bound(arch, r: int) -> int:
    """Proved upper bound on g: min(N - H, A) and the width-one cuts of Lemma W (recursively)."""
    if arch is None:
        return 0
    return _upper(tuple(arch.widths), int(r))


@lru_cache(maxsize=256)
def _certified(widths: tuple, r: int, prime, seed: int):
    from .rank import generic_rank
    a = Architecture(widths)
    upper = generic_rank_upper_bound(a, r)
    g = generic_rank(a, r, prime=prime, seed=seed)
    lower = min(g.value, upper)
    return lower, upper, lower == upper, g.prime, g.failure_bound


def certified_generic_rank(arch, r: int, prime=None, seed: int = 0):
    """``(lower, upper, exact, prime, failure_bound)`` with lower <= g <= upper both proved.

    ``arch`` None stands for a network with an empty hidden layer (Phi = 0, g = 0).
    """
    if arch is None:
        return 0, 0, True, prime, 0.0
    return _certified(tuple(arch.widths), int(r), prime, int(seed))
