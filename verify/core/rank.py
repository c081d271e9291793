"""Exact ranks of the Jacobian and the certified generic rank g(d, r).

Serves proofs/README.md, "What a rank certifies" (Lemmas E, M and Theorem G):
for integer theta, rank over GF(p) <= rank over QQ <= g <= min(N - H, A).

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.core.rank import generic_rank
    sage: c = generic_rank(Architecture.parse("2,3,2,1"), 4, seed=0)
    sage: c.value, c.certificate
    (9, 'exact')
    sage: c = generic_rank(Architecture.parse("3,2,1"), 2, seed=0)   # AH: r = 2 defect
    sage: c.value, c.upper_bound, c.certificate
    (5, 6, 'lower-bound')
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from fractions import Fraction

from .errors import InputError
from .jacobian import ModularArithmetic, evaluation_jacobian, jacobian_at
from .weights import clear_denominators

__all__ = ["FAST_PRIME_LIMIT", "DEFAULT_PRIME", "check_prime", "rank_mod_p", "rank_over_QQ",
           "generic_rank", "GenericRank", "EXACT_RANK_BIT_LIMIT"]

#: Sage's dense GF(p) matrices use the fast (LinBox, double) path only below this.
FAST_PRIME_LIMIT = 94_906_266
#: The largest prime below 2^26; the default modulus.
DEFAULT_PRIME = 67_108_859
#: Refuse exact QQ ranks whose Jacobian would hold more bits than this (about 1 GB).
EXACT_RANK_BIT_LIMIT = 8 * 10 ** 9


def check_prime(p, primes_at_or_below: int = 3) -> int:
    """Return ``p`` as an int if it is a prime below FAST_PRIME_LIMIT with at least
    ``primes_at_or_below`` + 1 primes at or below it, else raise InputError.

    :func:`generic_rank` tries ``trials`` (default 3) primes p, then the primes below it,
    and asks for the prime below the last one: so p >= 7 for 3 trials.
    """
    from sage.all import is_prime, nth_prime
    if isinstance(p, bool) or isinstance(p, float):
        raise InputError(f"prime must be an integer, got {p!r}")
    try:
        p = int(p)
    except (TypeError, ValueError):
        raise InputError(f"prime must be an integer, got {str(p)[:40]!r}")
    if p >= FAST_PRIME_LIMIT:
        raise InputError(f"prime {str(p)[:20]} is too large: the fast GF(p) path needs p < {FAST_PRIME_LIMIT}")
    if p < 2 or not is_prime(p):
        raise InputError(f"{str(p)[:20]} is not prime")
    need = int(nth_prime(int(primes_at_or_below) + 1))
    if p < need:
        raise InputError(f"prime {p} is too small: {primes_at_or_below} trial(s) of the generic rank "
                         f"need p >= {need}")
    return p


def rank_mod_p(rows, p: int) -> int:
    """Rank over GF(p) of an integer array (numpy int64 or nested lists)."""
    from sage.all import GF, matrix
    import numpy as np
    a = rows if isinstance(rows, np.ndarray) and rows.dtype == np.int64 else np.asarray(rows, dtype=object)
    a = (a % p).astype(np.int64)
    if a.size == 0:
        return 0
    if p < _MODN_DENSE:                      # Sage's modn_dense matrices: entries already in
        from sage.all import MatrixSpace     # [0, p) need no coercion (twice as fast)
        return int(MatrixSpace(GF(p), a.shape[0], a.shape[1])(a.ravel().tolist(),
                                                               coerce=False).rank())
    return int(matrix(GF(p), a.shape[0], a.shape[1], a.ravel().tolist()).rank())


#: Primes below this get Sage's modn_dense matrices (Matrix_mod2_dense, _modn_dense_float,
#: _modn_dense_double), which take reduced Python ints without coercion; above, the
#: generic dense class needs coerced entries.
_MODN_DENSE = 2 ** 26


def exact_rank_cost_bits(arch, r: int, weights) -> int:
    """Estimated number of bits of the integer evaluation Jacobian at the principal lattice."""
    from math import log2
    D = arch.output_degree(r)
    wbits = max(1, max(abs(int(v)).bit_length() for W in weights for row in W for v in row))
    entry = arch.weight_degree(r) * (wbits + 2 + log2(max(arch.widths)) ) + D * log2(D + 1)
    return int(entry * arch.ambient(r) * arch.params)


def rank_over_QQ(arch, r: int, weights) -> int:
    """Exact rank of J(theta) over QQ: clear denominators per layer, then rank over ZZ.

    Refuses (InputError) cases whose integer Jacobian would exceed EXACT_RANK_BIT_LIMIT.
    """
    from sage.all import ZZ
    iw = clear_denominators(weights)
    bits = exact_rank_cost_bits(arch, r, iw)
    if bits > EXACT_RANK_BIT_LIMIT:
        raise InputError(f"exact rank over QQ for {arch} at r={r} needs about {bits // 8_000_000} MB "
                         f"of integers (limit {EXACT_RANK_BIT_LIMIT // 8_000_000} MB)")
    return int(jacobian_at(arch, r, iw, ZZ).rank())


@dataclass
class GenericRank:
    """A generic rank with what certifies it (see proofs/README.md, Theorem G)."""

    value: int
    upper_bound: int
    certificate: str            # 'exact' or 'lower-bound'
    prime: int
    seed: int
    trials: list = field(default_factory=list)   # (prime, rank) per trial point
    failure_bound: float = 0.0  # Schwartz-Zippel bound, 'lower-bound' only
    statement: str = ""
    proved_by: str | None = None  # the upper bound that made a sampled rank exact, if not min(N-H, A)

    def as_dict(self) -> dict:
        out = asdict(self)
        if out["proved_by"] is None:
            del out["proved_by"]
        return out


def _random_rank(arch, r, p, rng, npoints):
    """Rank mod p of the evaluation Jacobian at a random theta and random input points."""
    weights = [[[rng.randrange(p) for _ in range(c)] for _ in range(rw)] for rw, c in arch.layer_shapes]
    points = [[rng.randrange(p) for _ in range(arch.widths[0])] for _ in range(npoints)]
    J = evaluation_jacobian(arch, r, weights, points, ModularArithmetic(p))
    return rank_mod_p(J, p)


def generic_rank(arch, r: int, prime: int | None = None, seed: int = 0, trials: int = 3) -> GenericRank:
    """Certified generic rank of J: exact when a random point mod p reaches min(N - H, A).

    Draws theta uniformly from GF(p)^N and input points uniformly from GF(p)^(d_0)
    (seeded).  Any such rank is a lower bound for g over QQ (Lemma M): a nonzero
    minor mod p lifts to a nonzero minor of an integer point's Jacobian.  If the
    bound min(N - H, A) is not reached, up to ``trials`` points (primes p, then
    the primes below it) are tried and the best rank is reported as a
    lower bound with the Schwartz-Zippel failure bound (deg/p)^trials, where deg
    bounds the degree of a (k+1)-minor in (theta, x).
    """
    from sage.all import previous_prime
    p0 = check_prime(DEFAULT_PRIME if prime is None else prime)
    upper = arch.expected_dimension(r)
    npoints = min(arch.monomials(r), upper + 4)
    rng = random.Random(int(seed))
    done, p = [], p0
    best = 0
    for t in range(max(1, trials)):
        k = _random_rank(arch, r, p, rng, npoints)
        done.append((p, k))
        best = max(best, k)
        if best >= upper:
            break
        p = int(previous_prime(p))
    if best >= upper:
        return GenericRank(best, upper, "exact", p0, seed, done, 0.0,
                           f"rank {best} at a point mod {done[-1][0]} equals the upper bound "
                           f"min(N-H, A) = {upper}: g = {upper} over QQ")
    deg = (best + 1) * (arch.weight_degree(r) - 1 + arch.output_degree(r))
    bound = 1.0
    for p_, _ in done:
        bound *= min(1.0, deg / p_)
    return GenericRank(best, upper, "lower-bound", p0, seed, done, bound,
                       f"g >= {best} over QQ (proved); g over GF(p) > {best} is missed by "
                       f"{len(done)} random points with probability <= {bound:.3g}")
