"""The exact converse for a polynomial activation s over QQ, on small cases: the ideal of the
g x g minors of J saturated by the ideals of the strata of Sub.

Serves proofs/activations.md, section 6, Theorem E: let I_g be the ideal of the g x g minors
of the coefficient Jacobian J(theta) in QQ[theta] (theta = weights and biases, all symbolic;
g the generic rank, certified exact), and K_1, ..., K_m the ideals of the components of Sub
(section 4). Then V(I_g) = Crit (over the algebraic closure) and V(K_1 ... K_m) = Sub, and
((I_g : K_1^inf) : ...) : K_m^inf = (1) iff Crit is inside Sub. A unit ideal **proves**
Crit in Sub over QQ-bar (so over R) on all codimensions; a proper ideal proves that some
component of Crit lies outside the union of the listed components (no explicit point is
produced), which is Sub when the listed merges are all of them: merge order <= 2 (section 4,
:meth:`verify.core.activation.Activation.merge_order`); for merge order >= 3 the non-real
merges are not listed and a proper ideal claims nothing.

The computation runs in Singular (through Sage) on the whole parameter space -- no chart, so
no normalisation lemma is needed -- and only within :data:`SYMBOLIC_LIMITS` (parameters,
number of g x g minors, degree of a minor); beyond them the method refuses with the limit
named, and the case is ``undecided``.

EXAMPLES::

    sage: from verify.crit_in_sub.general_symbolic import general_symbolic
    sage: from verify.sub_in_crit.activation_rank import activation_generic_rank
    sage: g = activation_generic_rank("2,1,1", "t^2 + t")
    sage: out = general_symbolic("2,1,1", "t^2 + t", False, g)
    sage: out["crit_in_sub"], out["coverage"], out["certificate"]
    (True, 'all-codimensions', 'proved-over-Q')
    sage: general_symbolic("3,3,3,1", "t^3 + t", False, g)["reason"]
    'symbolic converse limited to 10 parameters; 3,3,3,1 has 21'
"""

from __future__ import annotations

from math import comb

from ..core.activation import parse_activation
from ..core.architecture import Architecture
from ..core.general_jacobian import parameter_count

__all__ = ["general_symbolic", "sub_ideals", "symbolic_fits", "SYMBOLIC_LIMITS"]

#: Sizes the exact method accepts: parameters (weights + biases), number of g x g minors,
#: and g * (degree of an entry of J in theta) (a bound on the degree of a minor).
SYMBOLIC_LIMITS = {"parameters": 10, "minors": 100000, "minor_degree": 60}


def _refused(reason: str) -> dict:
    return {"crit_in_sub": None, "coverage": None, "certificate": None,
            "statement": "exact method refused", "reason": reason, "witnesses": [],
            "details": {"symbolic_refused": reason}}


def symbolic_fits(arch, activation, biases, g_value, nonzero_rows=None) -> str | None:
    """None when the case fits :data:`SYMBOLIC_LIMITS`, else the one-line reason."""
    arch = Architecture.parse(arch)
    s = parse_activation(activation)
    lim = SYMBOLIC_LIMITS
    Np = parameter_count(arch, biases)
    if Np > lim["parameters"]:
        return f"symbolic converse limited to {lim['parameters']} parameters; {arch} has {Np}"
    deg = sum(s.degree ** e for e in range(arch.depth))        # degree of Phi in theta
    if g_value * (deg - 1) > lim["minor_degree"]:
        return (f"symbolic converse limited to minors of degree {lim['minor_degree']}; "
                f"{arch} with s = {s.canonical()} has g (deg Phi - 1) = {g_value * (deg - 1)}")
    if nonzero_rows is not None:
        n = comb(nonzero_rows, g_value) * comb(Np, g_value)
        if n > lim["minors"]:
            return f"symbolic converse limited to {lim['minors']} minors; {arch} has {n}"
    return None


def sub_ideals(arch, activation, biases, R, W, b) -> list[tuple[str, list]]:
    """(name, generators) of the ideal of every component of Sub (proofs/activations.md,
    section 4), in the ring R of the symbolic weights W and biases b."""
    from ..sub_in_crit.activation_rank import merge_relation
    s = parse_activation(activation)
    relation = merge_relation(s, biases)
    h = s.shift if biases else 0
    out = []
    for l in arch.hidden_layers:
        d = arch.widths[l]
        rows = [list(W[l - 1][i]) + ([b[l - 1][i] + h] if biases else []) for i in range(d)]
        for i in range(d):
            out.append((f"A_{{{l},{i}}}", list(W[l - 1][i])))
            out.append((f"B_{{{l},{i}}}", [row[i] for row in W[l]]))
        for i in range(d):
            for j in range(i + 1, d):
                u, v = rows[i], rows[j]
                if relation == "proportional":
                    gens = [u[a] * v[c] - u[c] * v[a] for a in range(len(u)) for c in range(a + 1, len(u))]
                    out.append((f"C_{{{l},{i},{j}}}", gens or [R.zero()]))
                else:
                    out.append((f"C_{{{l},{i},{j}}}", [x - y for x, y in zip(u, v)]))
                    if s.merge_order(biases) % 2 == 0:       # zeta = -1 (section 4)
                        out.append((f"C-_{{{l},{i},{j}}}", [x + y for x, y in zip(u, v)]))
    return out


def general_symbolic(arch, activation, biases, g, seed: int = 0) -> dict:
    """Theorem E (see the module docstring): ``{"crit_in_sub": True/False/None, "coverage",
    "certificate", "statement", "reason", "witnesses": [], "details"}``. ``g`` is the certified
    generic rank (:class:`verify.core.rank.GenericRank`); only an exact g is used."""
    from sage.all import PolynomialRing, QQ, ideal
    from ..core.general_jacobian import coefficient_jacobian_general
    arch = Architecture.parse(arch)
    s = parse_activation(activation)
    if g is None or getattr(g, "certificate", None) != "exact":
        return _refused("the generic rank is not certified exact")
    why = symbolic_fits(arch, s, biases, g.value)
    if why:
        return _refused(why)
    Np = parameter_count(arch, biases)
    R = PolynomialRing(QQ, "u", Np, order="degrevlex")
    it = iter(R.gens())
    W = [[[next(it) for _ in range(c)] for _ in range(r_)] for r_, c in arch.layer_shapes]
    b = [[next(it) for _ in range(d)] for d in arch.widths[1:]] if biases else None
    J = coefficient_jacobian_general(arch, s, W, b, ring=R)
    rows = [r_ for r_ in J.rows() if not r_.is_zero()]
    why = symbolic_fits(arch, s, biases, g.value, len(rows))
    if why:
        return _refused(why)
    from sage.all import matrix
    M = matrix(R, rows)
    if M.change_ring(R.fraction_field()).rank() != g.value:
        raise AssertionError(f"{arch}, s = {s}: symbolic rank differs from the certified g = {g.value}")
    minors = [m for m in M.minors(g.value) if m != 0]
    I = ideal(minors)
    strata = sub_ideals(arch, s, biases, R, W, b)
    for name, gens in strata:
        I = I.saturation(ideal(gens))[0]
        if I.is_one():
            break
    details = {"parameters": Np, "minors": len(minors), "strata": [n for n, _ in strata]}
    if I.is_one():
        return {"crit_in_sub": True, "coverage": "all-codimensions", "certificate": "proved-over-Q",
                "statement": f"the ideal of the {g.value} x {g.value} minors of J saturated by "
                             f"the ideals of the {len(strata)} strata of Sub is (1) over QQ: every "
                             f"critical point (over the algebraic closure) is in Sub",
                "reason": None, "witnesses": [], "details": details}
    details["residual_dimension"] = int(I.dimension())
    n = s.merge_order(biases)
    if n >= 3 and any(arch.widths[l] >= 2 for l in arch.hidden_layers):
        # the non-real merges zeta^n = 1 are not among the ideals: what is left may be them
        return {"crit_in_sub": None, "coverage": None, "certificate": None,
                "statement": None, "witnesses": [], "details": details,
                "reason": (f"the saturated ideal is proper (dimension {details['residual_dimension']}), "
                           f"but merge order {n} >= 3: the merges rho_j = zeta rho_i with zeta^{n} = 1 "
                           f"non-real are not among the ideals of Sub here, and what is left may be "
                           f"them (proofs/activations.md, section 4)")}
    return {"crit_in_sub": False, "coverage": "all-codimensions", "certificate": "proved-over-Q",
            "statement": f"the saturated ideal is proper (dimension {details['residual_dimension']}): "
                         f"some component of Crit lies outside Sub (over the algebraic closure)",
            "reason": None, "witnesses": [], "details": details}
