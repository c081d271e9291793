"""The structured pre-pass of the converse for a polynomial activation s (with or without
biases): exact ranks over QQ at structured points outside Sub; witnesses only.

Serves proofs/activations.md, section 6 (the converse for a general s: the pre-pass). It
imitates :mod:`verify.crit_in_sub.prepass`: a seeded random point (entries +-1..7, never 0),
then for every weight layer l the structures that the monomial suite found critical or that
section 5 of proofs/activations.md shows critical for a general s: two rows proportional with
a ratio that does not merge (2, -2, 3), all rows proportional (rank 1), rows in a 2-plane
(rank 2), two rows sharing an entry, a zero entry, two equal columns, an output matrix of rank
1; with biases also zero biases (one layer, all layers), two equal biases, and a proportional
(row, bias) pair (the unshifted ratio, which merges only for s = a t^k). A point outside Sub
(:func:`verify.sub_in_crit.activation_rank.activation_strata`) whose exact rank over QQ is below
the proved lower bound g.value of the generic rank is a witness: it **proves** Crit is not
inside Sub. The rank mod p at seeded random inputs is a lower bound of the exact rank at an
integer point (proofs/README.md, Lemma M), so points where it reaches g are passed over.
Finding nothing proves nothing.

EXAMPLES::

    sage: from verify.crit_in_sub.general_prepass import general_prepass
    sage: out = general_prepass("2,2,1", "t^2 + t", False, 5)
    sage: w = out["witnesses"][0]
    sage: w["label"], w["rank"], w["verified"], w["strata"]
    ('W_1 rows 0, 1 proportional (x2)', 4, True, [])
"""

from __future__ import annotations

import hashlib
import json
import random

from ..core.activation import parse_activation
from ..core.architecture import Architecture

__all__ = ["structured_points", "general_prepass", "general_witness", "general_witness_id",
           "proportional_rows"]

#: Coordinates of the random points are drawn from +-1..BOUND (never 0: zeros are structure).
BOUND = 7


def _value(rng):
    return rng.choice((-1, 1)) * rng.randint(1, BOUND)


def _base(arch, biases, rng):
    W = [[[_value(rng) for _ in range(c)] for _ in range(r_)] for r_, c in arch.layer_shapes]
    b = [[_value(rng) for _ in range(d)] for d in arch.widths[1:]] if biases else None
    return W, b


def structured_points(arch, biases: bool = False, seed: int = 0):
    """(label, weights, biases) triples, all seeded (see the module docstring)."""
    arch = Architecture.parse(arch)
    rng = random.Random(f"general-prepass:{int(seed)}")
    d, L = arch.widths, arch.depth
    W, b = _base(arch, biases, rng)
    yield "random point", W, b
    for l in range(1, L + 1):
        rows, cols = d[l], d[l - 1]
        if rows >= 2:
            for c in (2, -2, 3):
                W, b = _base(arch, biases, rng)
                W[l - 1][1] = [c * v for v in W[l - 1][0]]
                if biases and l <= L:
                    b[l - 1][1] = c * b[l - 1][0]
                yield f"W_{l} rows 0, 1 proportional (x{c})", W, b
                if biases:
                    W, b = _base(arch, biases, rng)
                    W[l - 1][1] = [c * v for v in W[l - 1][0]]
                    yield f"W_{l} rows 0, 1 proportional (x{c}), biases free", W, b
            W, b = _base(arch, biases, rng)
            W[l - 1][0][0] = W[l - 1][1][0]
            yield f"W_{l} rows 0, 1 share an entry", W, b
        if rows >= 3:
            W, b = _base(arch, biases, rng)
            base = W[l - 1][0]
            for i in range(1, rows):
                c = rng.choice((2, 3, -2, -3, 4))
                W[l - 1][i] = [c * v for v in base]
            yield f"rank(W_{l}) = 1", W, b
            if cols >= 3:
                W, b = _base(arch, biases, rng)
                u, v = W[l - 1][0], W[l - 1][1]
                for i in range(2, rows):
                    x, y = _value(rng), _value(rng)
                    W[l - 1][i] = [x * a + y * c for a, c in zip(u, v)]
                yield f"rank(W_{l}) = 2", W, b
        W, b = _base(arch, biases, rng)
        W[l - 1][0][0] = 0
        yield f"W_{l}[0, 0] = 0", W, b
        if cols >= 2:
            W, b = _base(arch, biases, rng)
            for row in W[l - 1]:
                row[1] = row[0]
            yield f"W_{l} has two equal columns", W, b
        if biases:
            W, b = _base(arch, biases, rng)
            b[l - 1] = [0] * rows
            yield f"b_{l} = 0", W, b
            if rows >= 2:
                W, b = _base(arch, biases, rng)
                b[l - 1][1] = b[l - 1][0]
                yield f"b_{l}[0] = b_{l}[1]", W, b
    if d[L] >= 2:
        W, b = _base(arch, biases, rng)
        c = W[L - 1][0]
        W[L - 1] = [[t * x for x in c] for t in [1] + [_value(rng) for _ in range(d[L] - 1)]]
        yield f"rank(W_{L}) = 1", W, b
    if biases:
        W, _ = _base(arch, biases, rng)
        yield "all biases zero", W, [[0] * w for w in d[1:]]


def general_witness_id(arch, activation, weights, biases) -> str:
    """'w' + 10 hex digits of sha256 over (architecture, s, weights, biases)."""
    text = json.dumps([str(arch), activation.canonical(),
                       [[[str(v) for v in row] for row in M] for M in weights],
                       None if biases is None else [[str(v) for v in vec] for vec in biases]],
                      separators=(",", ":"))
    return "w" + hashlib.sha256(text.encode()).hexdigest()[:10]


def proportional_rows(arch, weights) -> list[str]:
    """Names P_{l,i,j} of the pairs of proportional incoming rows of hidden neurons (biases
    ignored): the monomial duplicate stratum C, which for a general s is critical without
    being a merge (proofs/activations.md, section 5, Proposition P1). A witness in none of them
    is a critical point of a new kind."""
    out = []
    for l in arch.hidden_layers:
        W = weights[l - 1]
        for i in range(len(W)):
            for j in range(i + 1, len(W)):
                u, v = W[i], W[j]
                if all(u[a] * v[c] == u[c] * v[a] for a in range(len(u)) for c in range(a + 1, len(u))):
                    out.append(f"P_{{{l},{i},{j}}}")
    return out


def general_witness(arch, activation, weights, biases, g_value: int) -> dict:
    """Re-verify a point exactly over QQ: rank of J (Lemma U: the evaluation Jacobian at the
    affine principal lattice), the strata of section 4; a JSON-able record. ``verified`` =
    rank < g_value (a proved lower bound of g) and in no stratum."""
    from sage.all import QQ
    from ..core.general_jacobian import general_jacobian_at
    from ..sub_in_crit.activation_rank import activation_strata
    arch = Architecture.parse(arch)
    s = parse_activation(activation)
    W = [[[QQ(v) for v in row] for row in M] for M in weights]
    b = None if biases is None else [[QQ(v) for v in vec] for vec in biases]
    rank = int(general_jacobian_at(arch, s, W, b).rank())
    strata = activation_strata(arch, s, W, b)
    enc = lambda v: int(v) if v.denominator() == 1 else str(v)          # noqa: E731
    Wj = [[[enc(v) for v in row] for row in M] for M in W]
    bj = None if b is None else [[enc(v) for v in vec] for vec in b]
    critical = rank < g_value
    return {"id": general_witness_id(arch, s, Wj, bj), "weights": Wj, "biases": bj,
            "families": proportional_rows(arch, W),
            "activation": s.canonical(), "field": "QQ", "minimal_polynomial": None,
            "rank": rank, "generic_rank": int(g_value), "strata": strata,
            "critical": bool(critical), "subnetwork": bool(strata),
            "verified": bool(critical and not strata)}


def _reaches(arch, s, W, b, g, seed) -> bool:
    """rank mod p at seeded random inputs >= g (proves rank_QQ >= g at this integer point)."""
    from ..core.general_jacobian import ambient_dimension, general_evaluation_jacobian
    from ..core.jacobian import ModularArithmetic
    from ..core.rank import DEFAULT_PRIME, rank_mod_p
    p = DEFAULT_PRIME
    if any(v.denominator % p == 0 for v in s.coefficients):
        return False
    rng = random.Random(f"{int(seed)}:general-prepass-bound")
    n = min(ambient_dimension(arch, s, b is not None), int(g) + 4)
    pts = [[rng.randrange(p) for _ in range(arch.widths[0])] for _ in range(n)]
    Wp = [[[v % p for v in row] for row in M] for M in W]
    bp = None if b is None else [[v % p for v in vec] for vec in b]
    J = general_evaluation_jacobian(arch, s, Wp, bp, pts, ModularArithmetic(p))
    return rank_mod_p(J, p) >= g


def general_prepass(arch, activation, biases: bool, g_value: int, seed: int = 0) -> dict:
    """``{"points": n, "seed", "witnesses": [...]}``: each witness a :func:`general_witness`
    record (verified) with its label."""
    from ..sub_in_crit.activation_rank import activation_strata
    arch = Architecture.parse(arch)
    s = parse_activation(activation)
    witnesses, n, seen = [], 0, set()
    for label, W, b in structured_points(arch, biases, seed):
        n += 1
        if activation_strata(arch, s, W, b) or _reaches(arch, s, W, b, g_value, seed):
            continue
        w = general_witness(arch, s, W, b, g_value)
        if w["verified"] and w["id"] not in seen:
            seen.add(w["id"])
            witnesses.append({**w, "label": label})
    return {"points": n, "seed": int(seed), "witnesses": witnesses}
