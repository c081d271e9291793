"""proofs/activations.md, Lemma U (the affine principal lattice is unisolvent) and the network of
section 1 (q_l = W_l s(q_{l-1}) + b_l, the output layer biased too): the back-propagated
Jacobian of verify/core/general_jacobian.py against Phi expanded symbolically here, in Sage
polynomials with the parameters as variables (written independently of verify/)."""

import random

import pytest

from verify.core.activation import Activation
from verify.core.architecture import Architecture
from verify.core.general_jacobian import (affine_lattice, coefficient_jacobian_general,
                                          general_evaluation_jacobian, general_jacobian_at,
                                          ambient_dimension, degree_support, parameter_count)
from verify.core.jacobian import ModularArithmetic, jacobian_at


def symbolic_jacobian(widths, s_coeffs, W, b=None):
    """Phi expanded in QQ[params, x]: rows (output, monomial of x of degree <= D), columns in
    the suite's order (weights row-major W_1 first, then b_1..b_L), evaluated at (W, b)."""
    from sage.all import QQ, PolynomialRing, matrix
    L = len(widths) - 1
    names = [f"w{l}_{i}_{j}" for l in range(1, L + 1) for i in range(widths[l]) for j in range(widths[l - 1])]
    if b is not None:
        names += [f"b{l}_{i}" for l in range(1, L + 1) for i in range(widths[l])]
    n = widths[0]
    R = PolynomialRing(QQ, names + [f"x{i}" for i in range(n)])
    g = R.gens()
    params, x = g[:len(names)], g[len(names):]
    it = iter(params)
    Ws = [[[next(it) for _ in range(widths[l - 1])] for _ in range(widths[l])] for l in range(1, L + 1)]
    bs = [[next(it) for _ in range(widths[l])] for l in range(1, L + 1)] if b is not None else None

    def s(q):
        return sum(QQ(c) * q ** j for j, c in enumerate(s_coeffs))
    a = list(x)
    for l in range(L):
        q = [sum(Ws[l][i][j] * a[j] for j in range(len(a))) + (bs[l][i] if bs else 0)
             for i in range(widths[l + 1])]
        a = [s(v) for v in q] if l < L - 1 else q
    values = [v for M in W for row in M for v in row] + ([v for vec in b for v in vec] if b else [])
    at = dict(zip(params, values))
    rows = []
    for f in a:
        derivs = [R(f.derivative(p).subs(at)) for p in params]
        mons = sorted({m for d in derivs for m in d.monomials()}, key=str)
        for m in mons:
            rows.append([d.monomial_coefficient(m) for d in derivs])
    return matrix(QQ, rows)


def rand_point(rng, arch, with_b):
    W = [[[rng.randint(-3, 3) for _ in range(c)] for _ in range(r)] for r, c in arch.layer_shapes]
    b = [[rng.randint(-3, 3) for _ in range(d)] for d in arch.widths[1:]] if with_b else None
    return W, b


@pytest.mark.parametrize("widths,text", [((2, 2, 1), "t^2+t"), ((2, 2, 2, 1), "t^2+t"),
                                         ((2, 2, 1), "t^3+t^2"), ((3, 2, 1), "1/2*t^2+t-3"),
                                         ((2, 1, 2, 1), "t^2-1"), ((2, 2, 2), "t^3")])
@pytest.mark.parametrize("with_b", [False, True])
def test_rank_equals_the_symbolic_jacobian(widths, text, with_b):
    arch, s = Architecture(widths), Activation.parse(text)
    rng = random.Random(f"{widths}{text}{with_b}")
    for _ in range(2):
        W, b = rand_point(rng, arch, with_b)
        ref = symbolic_jacobian(widths, s.coefficients, W, b).rank()
        assert general_jacobian_at(arch, s, W, b).rank() == ref
        assert coefficient_jacobian_general(arch, s, W, b).rank() == ref


def test_coefficient_jacobian_entries_equal_the_symbolic_ones():
    # same rows up to order: compare the row spaces and the ranks at a point of 2,2,1, t^2+t
    arch, s = Architecture("2,2,1"), Activation.parse("t^2+t")
    W, b = [[[1, 2], [3, -1]], [[1, 2]]], [[1, -2], [3]]
    A = coefficient_jacobian_general(arch, s, W, b)
    B = symbolic_jacobian((2, 2, 1), s.coefficients, W, b)
    assert A.row_space() == B.row_space() and A.rank() == 6


def test_lemma_U_the_lattice_is_unisolvent():
    # the evaluation matrix of all monomials of degree <= D at the lattice is invertible
    from sage.all import GF, QQ, matrix
    from verify.core.general_jacobian import affine_monomials
    for n, D in [(1, 4), (2, 3), (3, 4), (2, 9)]:
        pts, mons = affine_lattice(n, D), affine_monomials(n, D)
        assert len(pts) == len(mons)
        E = matrix(QQ, [[prod_pow(p, m) for m in mons] for p in pts])
        assert E.det() != 0
        assert matrix(GF(next_prime_above(D)), E).det() != 0      # p > D
    # p <= D can fail: degree 2 in one variable at 0, 1, 2 mod 2
    E = matrix(GF(2), [[prod_pow(p, m) for m in affine_monomials(1, 2)] for p in affine_lattice(1, 2)])
    assert E.det() == 0


def prod_pow(p, m):
    out = 1
    for a, e in zip(p, m):
        out *= a ** e
    return out


def next_prime_above(D):
    from sage.all import next_prime
    return int(next_prime(D))


def test_modular_back_propagation_is_the_reduction_of_the_exact_one():
    arch, s = Architecture("2,2,2,1"), Activation.parse("1/2*t^2+t")
    rng = random.Random(5)
    W, b = rand_point(rng, arch, True)
    pts = [[rng.randint(-5, 5) for _ in range(2)] for _ in range(7)]
    p = 10007
    E = general_evaluation_jacobian(arch, s, W, b, pts)
    M = general_evaluation_jacobian(arch, s, W, b, pts, ModularArithmetic(p))
    from sage.all import GF
    assert all(GF(p)(x) == int(y) for x, y in zip(E.ravel(), M.ravel()))


def test_monomial_activation_has_the_monomial_rank():
    # t^r without biases: the general Jacobian (affine lattice) and the monomial one (forms)
    # have the same rank at every point
    rng = random.Random(2)
    for widths, r in [((2, 2, 1), 3), ((2, 3, 2, 1), 2), ((3, 2, 1), 4), ((2, 2, 2, 1), 3)]:
        arch = Architecture(widths)
        W, _ = rand_point(rng, arch, False)
        assert general_jacobian_at(arch, Activation.monomial(r), W).rank() == jacobian_at(arch, r, W).rank()


def test_degree_support_and_ambient_by_hand():
    a = Architecture("2,2,2,1")
    # t^3+t^2: S_1 = {1}; s(q_1) has degrees 2,3; s(q_2): sums of 2 or 3 of {2,3} = 4..9
    assert degree_support(a, Activation.parse("t^3+t^2")) == [4, 5, 6, 7, 8, 9]
    # t^2+t: {1} -> {1,2} -> {1,2} u {2,3,4}
    assert degree_support(a, Activation.parse("t^2+t")) == [1, 2, 3, 4]
    assert ambient_dimension(a, Activation.parse("t^2+t")) == 2 + 3 + 4 + 5
    assert ambient_dimension(a, Activation.parse("t^2+t"), True) == 15        # degree <= 4
    assert ambient_dimension(a, Activation.monomial(3)) == a.ambient(3)        # forms of degree 9
    assert parameter_count(a, True) == 10 + 5
