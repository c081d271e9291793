"""proofs/activations.md, Propositions S1 and S2 (which neuron-wise symmetries survive a
polynomial activation, with and without biases), Lemma Q (the quadratic kernel system) and
Lemma P (pair kernels): the facts about s, and every kernel vector exactly in ker J over QQ."""

import random

import pytest

from verify.core.activation import Activation
from verify.core.architecture import Architecture
from verify.core.general_jacobian import general_jacobian_at, parameter_count
from verify.core.general_rank import quadratic_kernel_vectors, symmetry_vectors


@pytest.mark.parametrize("text,scaled,affine,parity", [
    ("t^3", True, True, "odd"), ("2*t^4", True, True, "even"), ("t^2+t", False, True, None),
    ("t^3+t", False, False, "odd"), ("t^4+t^2+1", False, False, "even"),
    ("t^3+t^2", False, False, None), ("(t-1/3)^5+2", False, True, None), ("1/2*t^2+t", False, True, None)])
def test_facts_about_s(text, scaled, affine, parity):
    s = Activation.parse(text)
    assert (s.is_scaled_monomial, s.is_affine_monomial, s.parity) == (scaled, affine, parity)


def test_shift_and_offset_by_hand():
    s = Activation.parse("t^2+t")                  # (t + 1/2)^2 - 1/4
    assert (s.shift, s.offset) == (1 / 2, -1 / 4) or (str(s.shift), str(s.offset)) == ("1/2", "-1/4")
    s = Activation.parse("(t-1/3)^5+2")
    assert (str(s.shift), str(s.offset)) == ("-1/3", "2")


def outputs(arch, s, W, b, x):
    """f(x) by a plain forward pass in Fractions (independent of verify)."""
    from fractions import Fraction
    a = [Fraction(v) for v in x]
    L = arch.depth
    for l in range(L):
        q = [sum(Fraction(W[l][i][j]) * a[j] for j in range(len(a))) + (Fraction(b[l][i]) if b else 0)
             for i in range(arch.widths[l + 1])]
        a = [sum(c * v ** k for k, c in enumerate(s.coefficients)) for v in q] if l < L - 1 else q
    return a


def test_sign_symmetry_for_even_and_odd_s():
    arch = Architecture("2,2,2,1")
    rng = random.Random(1)
    W = [[[rng.randint(-4, 4) for _ in range(c)] for _ in range(r)] for r, c in arch.layer_shapes]
    for text, col_sign in [("t^4+t^2+1", 1), ("t^3+t", -1)]:
        s = Activation.parse(text)
        V = [[row[:] for row in M] for M in W]
        V[0][1] = [-v for v in V[0][1]]                         # row 1 of W_1
        for row in V[1]:
            row[1] *= col_sign                                  # column 1 of W_2
        for x in [(1, 2), (-3, 5), (2, 7)]:
            assert outputs(arch, s, W, None, x) == outputs(arch, s, V, None, x)
    # not for t^3+t^2 (neither even nor odd)
    s = Activation.parse("t^3+t^2")
    V = [[row[:] for row in M] for M in W]
    V[0][1] = [-v for v in V[0][1]]
    assert any(outputs(arch, s, W, None, x) != outputs(arch, s, V, None, x) for x in [(1, 2), (3, 1)])


def kernel_check(arch, s, W, b, vectors):
    from sage.all import QQ, matrix
    J = general_jacobian_at(arch, s, W, b)
    for v in vectors:
        assert any(x != 0 for x in v)
        assert (J * matrix(QQ, len(v), 1, v)).is_zero()


@pytest.mark.parametrize("arch,text,with_b", [("2,2,2,1", "t^3", False), ("2,3,2,1", "2*t^2", False),
                                              ("2,2,2,1", "t^3", True), ("2,2,2,1", "t^2+t", True),
                                              ("3,2,2,1", "(t-1/3)^3+2", True)])
def test_propositions_S1_S2_generators_are_in_the_kernel(arch, text, with_b):
    arch, s = Architecture(arch), Activation.parse(text)
    rng = random.Random(str(arch))
    W = [[[rng.randint(-5, 5) for _ in range(c)] for _ in range(r)] for r, c in arch.layer_shapes]
    b = [[rng.randint(-5, 5) for _ in range(d)] for d in arch.widths[1:]] if with_b else None
    vecs = symmetry_vectors(arch, s, W, b)
    assert len(vecs) == arch.hidden
    kernel_check(arch, s, W, b, vecs)


def test_no_scalings_for_non_monomials_without_biases():
    arch = Architecture("2,2,2,1")
    W = [[[1, 2], [3, -1]], [[2, 1], [1, 5]], [[1, -3]]]
    assert symmetry_vectors(arch, Activation.parse("t^2+t"), W) == []
    assert symmetry_vectors(arch, Activation.parse("t^3+t^2"), W, [[0, 0], [0, 0], [0]]) == []


def test_lemma_Q_hidden_symmetry_of_2221_is_in_the_kernel_over_QQ():
    # the vector of Lemma Q at the last hidden layer, recomputed mod p, lifted: check its
    # rational version directly -- solve the system over QQ here
    from sage.all import QQ, matrix
    arch, s = Architecture("2,2,2,1"), Activation.parse("t^2+t")
    W = [[[1, 2], [3, -1]], [[2, 1], [1, 5]], [[1, -3]]]
    c1, c2 = 1, -3
    # unknowns A = [[a, b], [c, d]], V = (v1, v2): c1 b + c2 c = 0, v_i = -2 c_i A_ii,
    # v_i = -sum_j c_j A_ji  =>  a one-dimensional solution
    M = matrix(QQ, [[0, c1, c2, 0, 0, 0], [2 * c1, 0, 0, 0, 1, 0], [0, 0, 0, 2 * c2, 0, 1],
                    [c1, 0, c2, 0, 1, 0], [0, c1, 0, c2, 0, 1]])
    K = M.right_kernel().basis()
    assert len(K) == 1
    a, b_, c, d, v1, v2 = K[0]
    A = matrix(QQ, [[a, b_], [c, d]])
    dW2 = A * matrix(QQ, W[1])
    v = [0] * 4 + list(dW2.list()) + [v1, v2]
    kernel_check(arch, s, W, None, [v])
    # and the suite's own vectors (mod p) are in ker J mod p: the rank bound uses 1 of them
    vecs, notes = quadratic_kernel_vectors(arch, s, W, None, 10007)
    assert len(vecs) == 1 and "layer 2: 1 quadratic" in notes[-1]


def test_lemma_R_defect_scalings_over_QQ():
    # 3,2,1, s = t^3 + 1 (no biases): f = c1 l1^3 + c2 l2^3 + (c1 + c2). The scalings move the
    # constant by -3 (alpha_1 c1 + alpha_2 c2): alpha = (c2, -c1) keeps it (Lemma R)
    from sage.all import QQ
    arch, s = Architecture("3,2,1"), Activation.parse("t^3+1")
    W = [[[1, 2, -1], [3, 0, 2]], [[2, -5]]]
    c1, c2 = 2, -5
    alpha = [c2, -c1]
    v = [alpha[i] * x for i in range(2) for x in W[0][i]] + [-3 * alpha[0] * c1, -3 * alpha[1] * c2]
    kernel_check(arch, s, W, None, [v])
    # 2,3,1, s = t^4 + t with biases: r(t) = t s' - 4 s = -3t; sum_i alpha_i c_i W_1[i,:] = 0
    # (2 equations, 3 unknowns), b_out absorbs the constant -sum alpha_i c_i (-3 b_i)
    from sage.all import matrix
    arch, s = Architecture("2,3,1"), Activation.parse("t^4+t")
    W, b = [[[1, 2], [3, -1], [2, 5]], [[1, -2, 3]]], [[1, 0, -2], [4]]
    c = W[1][0]
    M = matrix(QQ, [[c[i] * W[0][i][j] for i in range(3)] for j in range(2)])
    (alpha,) = M.right_kernel().basis()
    v = [alpha[i] * x for i in range(3) for x in W[0][i]] + [-4 * alpha[i] * c[i] for i in range(3)]
    v += [alpha[i] * b[0][i] for i in range(3)] + [-sum(alpha[i] * c[i] * (-3 * b[0][i]) for i in range(3))]
    kernel_check(arch, s, W, b, [v])


def test_lemma_Q_constant_row_is_implied_when_beta_is_nonzero():
    # 2,2,1 with s = t^2/2 + t - 1: the condition sum_i V_i = 0 follows from the others
    # (sum_i c_i A_ii = sum_{i<j} (c_j A_ji + c_i A_ij) = 0), so one kernel vector remains
    arch, s = Architecture("2,2,1"), Activation.parse("1/2*t^2+t-1")
    W = [[[1, 2], [3, -1]], [[2, -3]]]
    vecs, notes = quadratic_kernel_vectors(arch, s, W, None, 10007)
    assert len(vecs) == 1, notes
