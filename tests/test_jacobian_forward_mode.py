"""Lemma E of proofs/README.md: the forward-mode Jacobian is the derivative of Phi,
and the evaluation Jacobian at the principal lattice has the same rank.

The reference is Phi expanded symbolically in Sage (weights as variables), then
differentiated: a computation that shares no code with verify.core.jacobian.
"""

import pytest
from sage.all import QQ, GF, PolynomialRing, matrix, prod

from verify.core.architecture import Architecture
from verify.core.jacobian import (ModularArithmetic, coefficient_jacobian, evaluation_jacobian,
                             jacobian_at, monomial_basis, principal_lattice)
from verify.core.rank import rank_mod_p
from verify.core.reference import expanded_outputs
from verify.core.weights import flatten, random_weights

TINY = [("2,2,1", 2), ("2,2,1", 3), ("2,1,2", 2), ("3,2,1", 2), ("2,2,2", 2),
        ("2,2,1,1", 2), ("1,2,1", 3), ("2,2,2,1", 2)]


def symbolic_jacobian(arch, r, point):
    """Jacobian of the symbolically expanded Phi (verify.core.reference), at the flat ``point``."""
    R, w, x, a = expanded_outputs(arch, r, QQ)
    at = dict(zip(w, point))
    rows = []
    for f in a:
        for e in monomial_basis(arch.widths[0], arch.output_degree(r)):
            c = f.coefficient({xi: ei for xi, ei in zip(x, e)})
            c = R(c)
            rows.append([c.derivative(wk).subs(at) for wk in w])
    return matrix(QQ, rows)


@pytest.mark.parametrize("arch,r", TINY)
def test_forward_mode_equals_symbolic_derivative(arch, r):
    a = Architecture.parse(arch)
    for seed in range(2):
        W = random_weights(a, seed, 3)
        assert coefficient_jacobian(a, r, W) == symbolic_jacobian(a, r, flatten(W))


@pytest.mark.parametrize("arch,r", TINY)
def test_evaluation_jacobian_is_lattice_evaluation_of_coefficient_jacobian(arch, r):
    a = Architecture.parse(arch)
    W = random_weights(a, 7, 4)
    C = coefficient_jacobian(a, r, W)
    E = jacobian_at(a, r, W)
    basis = monomial_basis(a.widths[0], a.output_degree(r))
    pts = principal_lattice(a.widths[0], a.output_degree(r))
    V = matrix(QQ, [[prod(c ** e for c, e in zip(pt, ex)) for ex in basis] for pt in pts])
    assert V.is_invertible()
    blocks = [V * C[k * len(basis):(k + 1) * len(basis)] for k in range(a.widths[-1])]
    assert E == matrix.block(len(blocks), 1, blocks)
    assert E.rank() == C.rank()


@pytest.mark.parametrize("arch,r", [("2,3,1", 3), ("3,2,2", 2), ("2,2,2,1", 3)])
def test_modular_backpropagation_is_exact_backpropagation_mod_p(arch, r):
    a = Architecture.parse(arch)
    p = 1009
    W = random_weights(a, 3, 50)
    pts = principal_lattice(a.widths[0], a.output_degree(r))
    exact = evaluation_jacobian(a, r, W, pts)
    modular = evaluation_jacobian(a, r, W, pts, ModularArithmetic(p))
    assert (exact % p == modular).all()


@pytest.mark.parametrize("arch,r", [("2,2,1", 3), ("2,3,2,1", 2), ("3,2,2", 3)])
def test_rank_mod_p_at_most_rank_over_QQ(arch, r):
    a = Architecture.parse(arch)
    for seed in range(3):
        W = random_weights(a, seed, 2)
        E = jacobian_at(a, r, W)
        for p in (2, 3, 5, 7, 101):
            if p > a.output_degree(r):
                assert rank_mod_p([[int(v) for v in row] for row in E.rows()], p) <= E.rank()
            assert coefficient_jacobian(a, r, W, GF(p)).rank() <= E.rank()
