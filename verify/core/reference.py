"""Phi expanded symbolically: the textbook reference, for cross-checks and baselines only.

Serves proofs/README.md, section 3 (the forward-mode Jacobian is checked against the
derivative of this expansion) and the baseline of bench/bench_generic_rank.py.  The
suite's own computations never expand Phi; this is exponential in the depth.

EXAMPLES::

    sage: from sage.all import QQ
    sage: from verify.core.architecture import Architecture
    sage: from verify.core.reference import expanded_outputs
    sage: R, w, x, f = expanded_outputs(Architecture.parse("1,1,1"), 2, QQ)
    sage: f
    [w0^2*w1*x0^2]
"""

from __future__ import annotations

__all__ = ["expanded_outputs"]


def expanded_outputs(arch, r: int, ring):
    """(R, w, x, f): the ring in weights w and inputs x over ``ring``, and the output forms f."""
    from sage.all import PolynomialRing
    names = [f"w{k}" for k in range(arch.params)] + [f"x{k}" for k in range(arch.widths[0])]
    R = PolynomialRing(ring, names)
    w, x = R.gens()[:arch.params], R.gens()[arch.params:]
    a = list(x)
    for l, (rows, cols) in enumerate(arch.layer_shapes, start=1):
        W = [[w[arch.weight_index(l, i, j)] for j in range(cols)] for i in range(rows)]
        q = [sum(W[i][j] * a[j] for j in range(cols)) for i in range(rows)]
        a = [qi ** r for qi in q] if l < arch.depth else q
    return R, w, x, a
