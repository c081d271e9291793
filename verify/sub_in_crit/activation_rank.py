"""Generic rank and one point's criticality for a polynomial activation, with or without biases
(issue 22, first increment): the Python API of ``rank --activation`` and ``point --activation``.

Serves proofs/activations.md: Theorem G' (the certified generic rank,
:func:`verify.core.general_rank.general_generic_rank`), section 4 (Sub for a general s:
:func:`activation_strata`) and Remark M (s = t^r without biases *is* the monomial network: it
takes the monomial path, :func:`verify.sub_in_crit.subnetwork_rank.proved_generic_rank`, so its
results are those of ``--degree r``, byte for byte).

EXAMPLES::

    sage: from verify.sub_in_crit.activation_rank import activation_generic_rank, classify_general_point
    sage: g = activation_generic_rank("2,2,1", "t^2 + t", biases=True)
    sage: g.value, g.certificate
    (6, 'exact')
    sage: activation_generic_rank("2,3,2,1", "t^4").value          # the monomial path
    9
    sage: c = classify_general_point("2,2,1", "t^2 + t", [[[1, 0], [1, 0]], [[1, 1]]])
    sage: c["rank"], c["generic_rank"], c["critical"], c["strata"]
    (3, 5, True, ['C_{1,0,1}'])
"""

from __future__ import annotations

from ..core.activation import Activation, parse_activation
from ..core.architecture import Architecture
from ..core.general_jacobian import general_jacobian_at, parse_biases
from ..core.general_rank import general_generic_rank
from ..core.weights import parse_weights, to_jsonable
from .subnetwork_rank import proved_generic_rank

__all__ = ["activation_generic_rank", "classify_general_point", "activation_strata",
           "is_monomial_case", "merge_relation"]


def is_monomial_case(activation, biases: bool) -> int | None:
    """r when (s, biases) is the monomial network t^r without biases, else None."""
    s = parse_activation(activation)
    return None if biases else s.monomial_power


def activation_generic_rank(arch, activation, biases: bool = False, prime=None, seed: int = 0,
                            trials: int = 3):
    """The certified generic rank (:class:`verify.core.rank.GenericRank`) for activation s (text
    like 't^3+t^2' or an :class:`Activation`) and optional biases. s = t^r without biases
    goes through the monomial path (Remark M)."""
    arch = Architecture.parse(arch)
    s = parse_activation(activation)
    r = is_monomial_case(s, biases)
    if r is not None:
        return proved_generic_rank(arch, r, prime=prime, seed=seed, trials=trials)
    return general_generic_rank(arch, s, biases, prime=prime, seed=seed, trials=trials)


def merge_relation(activation: Activation, biases: bool) -> str:
    """How two neurons of a layer merge (proofs/activations.md, section 4, Lemma M1):
    'proportional' when a one-parameter family survives (s = a t^k without biases, Prop. S1;
    s = a (t + h)^k + m with biases, Prop. S2): (row, bias + h) of j proportional to that of i;
    otherwise 'equal' (row, bias) -- and also 'opposite' ones when s is even or odd."""
    if (not biases and activation.is_scaled_monomial) or (biases and activation.is_affine_monomial):
        return "proportional"
    return "equal"


def _proportional(u, v) -> bool:
    """u, v linearly dependent (rank <= 1)."""
    n = len(u)
    return all(u[a] * v[b] == u[b] * v[a] for a in range(n) for b in range(a + 1, n))


def activation_strata(arch, activation: Activation, weights, biases=None) -> list[str]:
    """The subnetwork strata of proofs/activations.md, section 4, containing the point:
    A_{l,i} row i of W_l zero (a dead neuron: it computes the constant s(b_l[i]), or s(0));
    B_{l,i} column i of W_{l+1} zero; C_{l,i,j} the neurons i and j merge: (row, bias + h) of i
    and j equal, or opposite when the merge order of s is even (s even or odd; with biases also
    a shifted parity or a constant the next bias absorbs), or -- when :func:`merge_relation` is
    'proportional' -- proportional.  (Non-real roots of unity, merge order >= 3, never occur at
    a rational point.) Names as in
    verify.sub_in_crit.strata."""
    out = []
    relation = merge_relation(activation, biases is not None)
    h = activation.shift if biases is not None else 0
    # zeta = -1 merges when the merge order is even (section 4): s even or odd, or, with biases,
    # s(u - h) odd or even up to the constant the next bias absorbs
    opposite = activation.merge_order(biases is not None) % 2 == 0
    for l in arch.hidden_layers:
        W, Wn = weights[l - 1], weights[l]
        d = arch.widths[l]
        rows = [list(W[i]) + ([biases[l - 1][i] + h] if biases is not None else []) for i in range(d)]
        for i in range(d):
            if all(v == 0 for v in W[i]):
                out.append(f"A_{{{l},{i}}}")
            if all(Wn[m][i] == 0 for m in range(arch.widths[l + 1])):
                out.append(f"B_{{{l},{i}}}")
        for i in range(d):
            for j in range(i + 1, d):
                if relation == "proportional":
                    merge = _proportional(rows[i], rows[j])
                else:
                    merge = rows[i] == rows[j] or (opposite and rows[i] == [-v for v in rows[j]])
                if merge:
                    out.append(f"C_{{{l},{i},{j}}}")
    return out


def classify_general_point(arch, activation, weights, biases=None, prime=None, seed: int = 0) -> dict:
    """Exact rank of J over QQ at (weights, biases) for activation s, criticality against the
    certified generic rank, and the strata of :func:`activation_strata`."""
    from .criticality import judge_rank
    arch = Architecture.parse(arch)
    s = parse_activation(activation)
    W = parse_weights(arch, weights)
    b = parse_biases(arch, biases) if biases is not None else None
    g = general_generic_rank(arch, s, b is not None, prime=prime, seed=seed)
    k = int(general_jacobian_at(arch, s, W, b).rank())
    critical, how, why = judge_rank(k, g, "QQ", seed)
    strata = activation_strata(arch, s, W, b)
    out = {
        "arch": str(arch), "activation": s.canonical(), "biases": b is not None,
        "weights": to_jsonable(W), "rank": k, "generic_rank": g.value,
        "generic_rank_certificate": g.certificate, "critical": critical,
        "critical_certificate": how, "reason": why, "subnetwork": bool(strata), "strata": strata,
        "prime": g.prime, "seed": seed,
    }
    if b is not None:
        out["bias_values"] = [[str(v) if v.denominator() != 1 else int(v) for v in vec] for vec in b]
    return out
