"""The subnetwork strata for a polynomial activation s (with or without biases) and the rank
of J at the generic point of each: Sub in Crit for a general s (issue 22).

Serves proofs/activations.md, section 4 (the strata: A_{l,i} dead neuron, B_{l,i} zero outgoing
column, C_{l,i,j} merging neurons -- equal (row, bias), or proportional (row, bias + h) when a
one-parameter scaling survives, Lemma M1 -- and C-_{l,i,j} opposite (row, bias) when s is even
or odd) and section 5 (their criticality: Lemma K1, the kernel vectors of each stratum, and
Lemma I, the image of a stratum lies in the image of the network with one neuron removed).
For each stratum S (a representative per layer: the neuron permutations carry one stratum
of a kind to every other) let rho(S) be the rank of J at its generic point:

* lower bound, exact: the rank mod p of the evaluation Jacobian at a seeded random point of S
  (uniform mod p) and seeded random inputs; rank_GF(p) <= rank_QQ at the integer point <= rho(S);
* upper bounds, proved: ``kernel-vectors`` N' - rank_GF(p) of the kernel vectors at that point
  (Lemma K1, with Props. S1/S2 and Lemmas Q, R, P of section 3 evaluated on S); and
  ``subnetwork-reduction`` g'(network minus the neuron) + codim S (Lemma I), with g' the proved
  upper bound of :func:`verify.core.general_rank.general_generic_rank`; both <= g's upper bound.
* ``function-field``: rho(S) over Frac(QQ[parameters of S]) for tiny strata (both bounds).

S is **critical (proved)** when its upper bound is < the proved lower bound g.value of g, and
**not critical (proved)** when its lower bound reaches g's proved upper bound (then
rank = g at an integer point of S, certificate ``exact``); otherwise ``critical`` is None.

For s = t^r without biases the records are those of
:func:`verify.sub_in_crit.stratum_rank.strata_records` (Remark M).

EXAMPLES::

    sage: from verify.sub_in_crit.general_strata import general_strata_records
    sage: recs = general_strata_records("2,2,1", "t^2 + t")
    sage: [(x["kind"], x["rank_on_stratum"], x["generic_rank"], x["critical"], x["certificate"]) for x in recs]
    [('A', 4, 5, True, 'kernel-vectors'),
     ('B', 4, 5, True, 'kernel-vectors'),
     ('C', 3, 5, True, 'kernel-vectors')]
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..core.activation import Activation, parse_activation
from ..core.architecture import Architecture
from ..core.errors import InputError
from ..core.general_jacobian import (ambient_dimension, bias_offset, general_evaluation_jacobian,
                                     parameter_count)
from ..core.jacobian import ModularArithmetic
from ..core.rank import DEFAULT_PRIME, check_prime, rank_mod_p
from .activation_rank import activation_generic_rank, merge_relation

__all__ = ["GeneralStratum", "general_strata", "stratum_point", "stratum_kernel_vectors",
           "general_stratum_rank", "general_strata_records", "FUNCTION_FIELD_LIMITS"]

#: The function-field rank is attempted only within these sizes (parameters of S, Jacobian entries).
FUNCTION_FIELD_LIMITS = {"parameters": 10, "entries": 200}


@dataclass(frozen=True)
class GeneralStratum:
    """A stratum of proofs/activations.md, section 4: ``kind`` in A (row i of W_l zero),
    B (column i of W_{l+1} zero), C (neurons i, j merge: ``relation`` 'equal' or
    'proportional'), C- (opposite (row, bias), s even or odd)."""

    layer: int
    kind: str
    neurons: tuple
    relation: str = "equal"

    @property
    def name(self) -> str:
        return f"{self.kind}_{{{self.layer},{','.join(map(str, self.neurons))}}}"

    def codim(self, arch, biases: bool) -> int:
        d, l = arch.widths, self.layer
        if self.kind == "A":
            return d[l - 1]
        if self.kind == "B":
            return d[l + 1]
        if self.kind == "C" and self.relation == "proportional":
            return d[l - 1] + (1 if biases else 0) - 1
        return d[l - 1] + (1 if biases else 0)


def general_strata(arch, activation, biases: bool = False) -> list[tuple[GeneralStratum, int]]:
    """(representative stratum, number of strata of that kind in the layer) per hidden layer."""
    arch = Architecture.parse(arch)
    s = parse_activation(activation)
    relation = merge_relation(s, biases)
    out = []
    for l in arch.hidden_layers:
        d = arch.widths[l]
        out.append((GeneralStratum(l, "A", (0,)), d))
        out.append((GeneralStratum(l, "B", (0,)), d))
        if d >= 2:
            out.append((GeneralStratum(l, "C", (0, 1), relation), d * (d - 1) // 2))
            if relation == "equal" and s.parity is not None:
                out.append((GeneralStratum(l, "C-", (0, 1), "opposite"), d * (d - 1) // 2))
    return out


def _mod(x, p):
    from sage.all import GF, QQ
    return int(GF(p)(QQ(x)))


def stratum_point(stratum, arch, activation, biases: bool, rng, p: int):
    """(weights, biases, ratio) of a random point of the stratum, entries integers in [0, p)
    (uniform mod p); ``ratio`` is the proportionality factor c of a proportional C (else None)."""
    W = [[[rng.randrange(p) for _ in range(c)] for _ in range(r_)] for r_, c in arch.layer_shapes]
    b = [[rng.randrange(p) for _ in range(d)] for d in arch.widths[1:]] if biases else None
    l, c = stratum.layer, None
    i = stratum.neurons[0]
    if stratum.kind == "A":
        W[l - 1][i] = [0] * arch.widths[l - 1]
    elif stratum.kind == "B":
        for row in W[l]:
            row[i] = 0
    else:
        j = stratum.neurons[1]
        if stratum.kind == "C-":
            c = p - 1
        elif stratum.relation == "proportional":
            c = rng.randrange(2, p - 1)
        else:
            c = 1
        W[l - 1][j] = [c * v % p for v in W[l - 1][i]]
        if biases:
            h = _mod(activation.shift, p) if stratum.relation == "proportional" else 0
            b[l - 1][j] = (c * (b[l - 1][i] + h) - h) % p
        if stratum.kind != "C" or stratum.relation != "proportional":
            c = None
    return W, b, c


def stratum_kernel_vectors(stratum, arch, activation, W, b, p, ratio=None) -> list[list[int]]:
    """Lemma K1 (proofs/activations.md, section 5): vectors of ker J at every point of the
    stratum, evaluated at (W, b) mod p. A_{l,i}: the outgoing column (with b_{l+1}
    compensating s(b_l[i])) when there are biases or s(0) = 0, the bias b_l[i] (compensated
    by b_{l+1}) with biases, the incoming row when s(0) = s'(0) = 0 and no biases;
    B_{l,i}: the incoming row (and bias); C: moving weight between the two outgoing columns,
    and when d_{l+1} = 1 between the two incoming rows (and biases)."""
    from sage.all import GF, QQ
    F = GF(p)
    has_b = b is not None
    Np = parameter_count(arch, has_b)
    l, d = stratum.layer, arch.widths
    i = stratum.neurons[0]
    Wn = [[F(x) for x in row] for row in W[l]]                  # W_{l+1}
    s_poly = activation.polynomial()
    ds = s_poly.derivative()

    def ev(poly, x):
        return F(QQ(poly(QQ(x))).numerator()) / F(QQ(poly(QQ(x))).denominator())

    def unit(*pairs):
        v = [F(0)] * Np
        for idx, val in pairs:
            v[idx] += F(val)
        return v
    row = lambda n, t: arch.weight_index(l, n, t)           # noqa: E731  W_l[n, t]
    col = lambda m, n: arch.weight_index(l + 1, m, n)       # noqa: E731  W_{l+1}[m, n]
    bl = (lambda n: bias_offset(arch, l) + n) if has_b else None
    bn = (lambda m: bias_offset(arch, l + 1) + m) if has_b else None
    out = []
    if stratum.kind == "A":
        s0 = ev(s_poly, b[l - 1][i]) if has_b else ev(s_poly, 0)
        if has_b or s0 == 0:
            for m in range(d[l + 1]):
                out.append(unit((col(m, i), 1), *([(bn(m), -s0)] if has_b else [])))
        if has_b:
            ds0 = ev(ds, b[l - 1][i])
            out.append(unit((bl(i), 1), *[(bn(m), -ds0 * Wn[m][i]) for m in range(d[l + 1])]))
        elif s0 == 0 and ev(ds, 0) == 0:
            for t in range(d[l - 1]):
                out.append(unit((row(i, t), 1)))
    elif stratum.kind == "B":
        for t in range(d[l - 1]):
            out.append(unit((row(i, t), 1)))
        if has_b:
            out.append(unit((bl(i), 1)))
    else:
        j = stratum.neurons[1]
        k = activation.degree
        if stratum.kind == "C-":
            # s(q_j) = s(-q_i) = sigma s(q_i), s'(q_j) = -sigma s'(q_i)
            sigma = 1 if activation.parity == "even" else -1
            a_col, a_row = -sigma, sigma        # col_j moves a_col * col_i's move; row rule below
        elif stratum.relation == "proportional":
            c = F(ratio)
            sigma, a_col, a_row = c ** k, None, None
        else:
            sigma, a_col, a_row = 1, -1, -1
        m_off = ev(s_poly, -activation.shift) if (has_b and stratum.relation == "proportional") else F(0)
        for m in range(d[l + 1]):
            if stratum.relation == "proportional":
                # v_i s(q_i) + v_j s(q_j) with s(q_j) = c^k s(q_i) + (1 - c^k) m_off:
                # v_i = c^k, v_j = -1, and b_{l+1}[m] absorbs (1 - c^k) m_off
                extra = [(bn(m), (1 - sigma) * m_off)] if has_b else []
                out.append(unit((col(m, i), sigma), (col(m, j), -1), *extra))
            else:
                out.append(unit((col(m, i), 1), (col(m, j), a_col)))
        if d[l + 1] == 1:
            ci, cj = Wn[0][i], Wn[0][j]
            # d q_{l+1} = c_i s'(q_i) (u_i . a) + c_j s'(q_j) (u_j . a), a = (a_{l-1}, 1 if biases)
            if stratum.relation == "proportional":
                tau = F(ratio) ** (k - 1)                 # s'(q_j) = c^(k-1) s'(q_i)
            elif stratum.kind == "C-":
                tau = -sigma
            else:
                tau = 1
            # u_i = tau c_j v, u_j = -c_i v
            coords = [(row(i, t), row(j, t)) for t in range(d[l - 1])]
            if has_b:
                coords.append((bl(i), bl(j)))
            for ui, uj in coords:
                out.append(unit((ui, tau * cj), (uj, -ci)))
    return [[int(x) for x in v] for v in out]


def _global_kernel_vectors(arch, activation, W, b, p, seed):
    """Props. S1/S2 and Lemmas Q, R, P of proofs/activations.md section 3 at (W, b) mod p."""
    from ..core.general_rank import (defect_scaling_vectors, pair_kernel_vectors,
                                     quadratic_kernel_vectors, symmetry_vectors)
    vecs = symmetry_vectors(arch, activation, W, b, p)
    notes = []
    for fn in (quadratic_kernel_vectors, defect_scaling_vectors):
        v, n = fn(arch, activation, W, b, p)
        vecs, notes = vecs + v, notes + n
    v, n = pair_kernel_vectors(arch, activation, W, b, p, seed)
    return vecs + v, notes + n


def _subnetwork_upper(stratum, arch, activation, biases, p, seed):
    """Lemma I: rho(S) <= g'(network without the neuron) + codim S, when Phi(S) lies in the image
    of that network (every stratum except a dead neuron without biases with s(0) != 0, and
    layers of width one); (sub, g' upper bound, bound) or None."""
    from .subnetwork_rank import remove_neuron
    l = stratum.layer
    if stratum.kind == "A" and not biases and activation.constant != 0:
        return None
    sub = remove_neuron(arch, l)
    if sub is None:
        return None
    g_sub = activation_generic_rank(sub, activation, biases, prime=p, seed=seed)
    return str(sub), [g_sub.value, g_sub.upper_bound], g_sub.upper_bound + stratum.codim(arch, biases)


def function_field_rank(stratum, arch, activation, biases: bool, check_limits: bool = True) -> int:
    """rho(S) exactly: the rank of J over Frac(QQ[u]) at the generic point of S (u = free
    parameters of the stratum; the coefficient Jacobian, second method of general_jacobian)."""
    from sage.all import PolynomialRing, QQ
    from ..core.general_jacobian import coefficient_jacobian_general
    n_par = parameter_count(arch, biases) - stratum.codim(arch, biases) \
        + (1 if stratum.relation == "proportional" and stratum.kind == "C" else 0)
    A = ambient_dimension(arch, activation, biases)
    lim = FUNCTION_FIELD_LIMITS
    if check_limits and (n_par > lim["parameters"] or A * parameter_count(arch, biases) > lim["entries"]):
        raise InputError(f"function-field rank limited to {lim['parameters']} parameters and "
                         f"{lim['entries']} Jacobian entries")
    R = PolynomialRing(QQ, "u", parameter_count(arch, biases) + 1)
    it = iter(R.gens())
    W = [[[next(it) for _ in range(c)] for _ in range(r_)] for r_, c in arch.layer_shapes]
    bb = [[next(it) for _ in range(d)] for d in arch.widths[1:]] if biases else None
    rest = list(it)
    l, i = stratum.layer, stratum.neurons[0]
    # impose the structure (the generators made redundant are simply not used)
    if stratum.kind == "A":
        W[l - 1][i] = [R.zero()] * arch.widths[l - 1]
    elif stratum.kind == "B":
        for row in W[l]:
            row[i] = R.zero()
    else:
        j = stratum.neurons[1]
        if stratum.kind == "C-":
            c = R(-1)
        elif stratum.relation == "proportional":
            c = rest[0]
        else:
            c = R(1)
        W[l - 1][j] = [c * v for v in W[l - 1][i]]
        if biases:
            h = QQ(activation.shift) if stratum.relation == "proportional" else QQ(0)
            bb[l - 1][j] = c * (bb[l - 1][i] + h) - h
    J = coefficient_jacobian_general(arch, activation, W, bb, ring=R)
    return int(J.change_ring(R.fraction_field()).rank())


def general_stratum_rank(stratum, arch, activation, biases: bool, g, seed: int = 0, p=None,
                         trials: int = 3, function_field: str = "auto") -> dict:
    """Bounds on rho(S) with their certificates (see the module docstring)."""
    from sage.all import GF, matrix
    p = check_prime(DEFAULT_PRIME if p is None else p)
    Np = parameter_count(arch, biases)
    A = ambient_dimension(arch, activation, biases)
    rng = random.Random(f"general-stratum:{seed}:{stratum.name}")
    target = min(g.upper_bound, Np, A)
    sampled, best = [], -1
    for t in range(max(1, trials)):
        W, b, c = stratum_point(stratum, arch, activation, biases, rng, p)
        pts = [[rng.randrange(p) for _ in range(arch.widths[0])] for _ in range(min(A, target + 4))]
        J = general_evaluation_jacobian(arch, activation, W, b, pts, ModularArithmetic(p))
        k = rank_mod_p(J, p)
        sampled.append(k)
        if t == 0:
            W0, b0, c0, J0 = W, b, c, J
        best = max(best, k)
        if best >= target:
            break
    # kernel vectors at the first point
    own = stratum_kernel_vectors(stratum, arch, activation, W0, b0, p, c0)
    glob, notes = _global_kernel_vectors(arch, activation, W0, b0, p, seed)
    vecs = own + glob
    span = 0
    if vecs:
        K = matrix(GF(p), len(vecs), Np, [x % p for v in vecs for x in v])
        Jp = matrix(GF(p), J0.shape[0], J0.shape[1], [int(x) for x in J0.ravel()])
        if not (Jp * K.transpose()).is_zero():
            raise RuntimeError(f"{stratum.name} of {arch}, s = {activation}: a kernel vector is not "
                               f"in ker J at the sampled point (a bug)")
        span = int(K.rank())
    kv_bound = min(Np - span, A)
    red = _subnetwork_upper(stratum, arch, activation, biases, p, seed)
    red_bound = red[2] if red else None
    upper = min(x for x in (kv_bound, red_bound, g.upper_bound) if x is not None)
    lower = best
    out = {"rank_lower_bound": lower, "rank_upper_bound": upper, "sampled_ranks": sampled,
           "kernel_vector_bound": kv_bound, "kernel_vector_span": span, "kernel_vectors": len(vecs),
           "stratum_kernel_vectors": len(own), "subnetwork": red[0] if red else None,
           "subnetwork_rank": red[1] if red else None, "subnetwork_bound": red_bound,
           "seed": seed, "prime": p, "function_field_rank": None, "kernel_notes": notes}
    if lower > upper:
        raise AssertionError(f"{stratum.name} of {arch}, s = {activation}: lower bound {lower} > "
                             f"upper bound {upper}")
    want_ff = function_field == "always" or (function_field == "auto" and lower < upper)
    if want_ff:
        try:
            ff = function_field_rank(stratum, arch, activation, biases)
        except InputError:
            ff = None
        if ff is not None:
            if not lower <= ff <= upper:
                raise AssertionError(f"{stratum.name} of {arch}: function-field rank {ff} outside "
                                     f"the proved bounds [{lower}, {upper}]")
            out["function_field_rank"] = ff
    if lower == kv_bound:
        out.update(rank_on_stratum=lower, certificate="kernel-vectors")
    elif red_bound is not None and lower == red_bound:
        out.update(rank_on_stratum=lower, certificate="subnetwork-reduction")
    elif lower >= g.upper_bound:
        out.update(rank_on_stratum=lower, certificate="exact")
    elif out["function_field_rank"] is not None:
        ff = out["function_field_rank"]
        out.update(rank_on_stratum=ff, certificate="function-field", rank_lower_bound=ff,
                   rank_upper_bound=ff)
    else:
        out.update(rank_on_stratum=lower, certificate="sampled-lower-bound")
    return out


def general_strata_records(arch, activation, biases: bool = False, seed: int = 0, prime=None,
                           function_field: str = "auto") -> list[dict]:
    """One record per representative stratum (keys of
    :func:`verify.sub_in_crit.stratum_rank.strata_records`: layer, kind, neurons, stratum, count,
    codim, generic_rank, generic_rank_upper_bound, generic_rank_exact, rank_on_stratum,
    rank_lower_bound, rank_upper_bound, drop, drop_exact, predicted_drop (None: no formula for a
    general s), agree (None), critical (True/False proved, None undetermined), certificate,
    note, seed, prime, and the bounds behind them; plus relation). s = t^r without biases:
    the monomial records (Remark M)."""
    arch = Architecture.parse(arch)
    s = parse_activation(activation)
    if not biases and s.monomial_power is not None:
        from .stratum_rank import strata_records
        return strata_records(arch, s.monomial_power, seed=seed, prime=prime)
    p = check_prime(DEFAULT_PRIME if prime is None else prime)
    g = activation_generic_rank(arch, s, biases, prime=p, seed=seed)
    out = []
    for stratum, count in general_strata(arch, s, biases):
        res = general_stratum_rank(stratum, arch, s, biases, g, seed=seed, p=p,
                                   function_field=function_field)
        determined = res["certificate"] != "sampled-lower-bound"
        if res["rank_upper_bound"] < g.value:
            critical = True
        elif res["rank_lower_bound"] >= g.upper_bound:
            critical = False
        else:
            critical = None
        exact_g = g.certificate == "exact"
        notes = []
        if not exact_g:
            notes.append(f"g is only bounded: {g.value} <= g <= {g.upper_bound}")
        if not determined:
            notes.append(f"rank on the stratum only bounded: {res['rank_lower_bound']} <= rho <= "
                         f"{res['rank_upper_bound']}")
        if critical is False:
            notes.append("rank g at a point of the stratum: not critical")
        rec = {"layer": stratum.layer, "kind": stratum.kind, "neurons": list(stratum.neurons),
               "stratum": stratum.name, "relation": stratum.relation, "count": count,
               "codim": stratum.codim(arch, biases),
               "generic_rank": g.value, "generic_rank_upper_bound": g.upper_bound,
               "generic_rank_exact": exact_g, "rank_on_stratum": res["rank_on_stratum"],
               "drop": g.value - res["rank_on_stratum"] if determined else None,
               "drop_exact": determined and exact_g, "predicted_drop": None, "agree": None,
               "critical": critical, "certificate": res["certificate"]}
        rec.update({k: v for k, v in res.items() if k not in rec})
        rec["note"] = "; ".join(notes)
        out.append(rec)
    return out
