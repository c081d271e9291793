"""proofs/threshold.md, section 14: Theorem T2, the sharper proven threshold for deep networks.

Lemma G3 (two independent forms in span{l_1^r, l_2^r, l_3^r} have a gcd of degree <= 2) is
checked on seeded pencils, on pencils built to have common zeros, and on the example that
attains 2.  Proposition Q (a first hidden layer of width 2 peels off:
rank J_f = 2 + rank J_F - #{vanishing partials of F}) is checked exactly over QQ, with the
partials of F computed by a separate forward pass in Sage polynomials.  The values of r* are
worked by hand from the conditions in the comments."""

import random
from fractions import Fraction

import pytest
from conftest import conditions_by_eps_recursion, network_outputs

from verify.core.architecture import Architecture
from verify.run.atlas import enumerate_architectures
from verify.theorem.threshold import (BY_S2, BY_T, BY_T2A, BY_T2B, proven_threshold,
                                      second_layer_codegree, theorem_t_threshold)


def _t2_value(arch):
    """Theorem T2 alone: the least of the Theorem T, T2(a) and T2(b) entries of ``bounds``
    (proven_threshold also takes Theorem T3 and Propositions S, S2, S3; section 15)."""
    return min(b["value"] for b in proven_threshold(arch)["bounds"] if b["by"] in (BY_T, BY_T2A, BY_T2B))


# --- the values ------------------------------------------------------------------------------

@pytest.mark.parametrize("arch,old,new", [
    # (b): r*(2,3,1) = 2*3 - 1 = 5, and max(3, 5) = 5 < 9
    ("2,2,3,1", 9, 5),
    # (b): r*(2,4,1) = 7; Theorem T: (r - 1) r > 17 r iff r > 18
    ("2,2,4,1", 19, 7),
    # (b) twice: r*(2,2,3,1) = 5
    ("2,2,2,3,1", 9, 5),
    # (a): P = 1, s = 2, C = 7: (r - 1)(r - 2) > 7 r: r = 10 gives 72 > 70, r = 9 gives 56 > 63 false
    ("2,3,3,1", 16, 10), ("3,3,3,1", 16, 10), ("2,3,3,2", 16, 10),
    # (a) at layer 3: P = 1 * (1 + 3) = 4, s = 2 + 1 * 3 = 5, C = 7: (r - 1)(r - 5) > 28 r:
    # r = 34 gives 33 * 29 = 957 > 952, r = 33 gives 32 * 28 = 896 > 924 false
    ("2,3,3,3,1", 64, 34),
    # (b) on the peeled 2,3,3,1, whose best kernel bound is now Theorem T3's 6 (section 15);
    # with Theorem T2 alone it was max(3, 10) = 10
    ("2,2,3,3,1", 32, 6),
    # d_1 = 4 keeps Lemma G1; (B1) decides the others
    ("2,4,3,1", 24, 24), ("2,3,2,1", 5, 5), ("2,2,2,1", 3, 3), ("2,2,2,2", 3, 3),
])
def test_theorem_t2_values_by_hand(arch, old, new):
    t = proven_threshold(arch)
    assert (t["theorem_t"], _t2_value(arch)) == (old, new)
    assert t["value"] <= new


def test_theorem_t2_is_never_above_theorem_t_and_is_strictly_below_on_the_issue_cases():
    for a in enumerate_architectures(40):
        t = proven_threshold(a)
        assert t["value"] is not None and 2 <= t["value"] <= _t2_value(a) <= t["theorem_t"], str(a)
        assert t["value"] >= 3 or t["by"] == BY_S2, str(a)    # only Proposition S2 proves r = 2
        assert 3 <= t["kernel_value"] <= _t2_value(a), str(a)
    for arch in ["2,2,3,1", "2,3,3,1", "3,3,3,1"]:
        assert _t2_value(arch) < proven_threshold(arch)["theorem_t"]


@pytest.mark.parametrize("arch", ["2,3,3,1", "2,3,3,3,1", "2,3,4,2,1", "2,3,2,2,1"])
def test_sharpened_value_agrees_with_the_eps_recursion(arch):
    """(a) through eps_2 = 1 - 2/r (Lemma G3), eps_{l+1} = (eps_l - M_l/r)/(1 + M_l) and
    (r - 1) eps_l > 1 + 2 M_l, evaluated in exact fractions for every r up to 400."""
    d = Architecture.parse(arch).widths
    good = [r for r in range(2, 400) if conditions_by_eps_recursion(d, r, 1 - Fraction(2, r))]
    value = min(b["value"] for b in proven_threshold(arch)["bounds"] if b["by"] in (BY_T, BY_T2A))
    assert good[0] == value and good == list(range(value, 400))
    assert second_layer_codegree(3)[:2] == (1, 2)


# --- Lemma G3 --------------------------------------------------------------------------------

def _pencil_gcd_degree(lines, lam, r):
    """deg gcd of the plane {sum w_i l_i^r : lam . w = 0}, from two spanning vectors."""
    from sage.all import QQ, PolynomialRing, matrix
    R = PolynomialRing(QQ, "x,y")
    x, y = R.gens()
    powers = [(a * x + b * y) ** r for a, b in lines]
    basis = matrix(QQ, [lam]).right_kernel().basis()
    q, q2 = [sum(w[i] * powers[i] for i in range(3)) for w in basis]
    return q.gcd(q2).degree()


def test_lemma_g3_attained_example():
    # y^6 - x^6 and (x + y)^6 + 27 x^6: gcd x^2 - x y + y^2 (proofs/threshold.md, section 14)
    from sage.all import QQ, PolynomialRing
    R = PolynomialRing(QQ, "x,y")
    x, y = R.gens()
    g = (y ** 6 - x ** 6).gcd((x + y) ** 6 + 27 * x ** 6)
    assert g == x ** 2 - x * y + y ** 2
    # the same plane as lambda^perp with lambda = (1, t^6, (1 + t)^6) = (1, 1, -27)
    assert _pencil_gcd_degree([(1, 0), (0, 1), (1, 1)], [1, 1, -27], 6) == 2
    # (G1) would only promise co-degree floor(6 / 2) = 3, i.e. a gcd of degree up to 3
    assert 6 - 2 > 6 // 2


@pytest.mark.parametrize("r", [3, 4, 5, 6, 7, 9, 12])
def test_lemma_g3_bound_on_seeded_and_built_pencils(r):
    rng = random.Random(r)
    seen_positive = 0
    for trial in range(40):
        while True:
            lines = [(rng.randint(-3, 3), rng.randint(-3, 3)) for _ in range(3)]
            if all(a * d - b * c != 0 for i, (a, b) in enumerate(lines) for (c, d) in lines[i + 1:]):
                break
        if trial % 4 == 0:                       # seeded plane
            lam = [rng.randint(-5, 5) for _ in range(3)]
            if not any(lam):
                continue
        else:                                    # plane through the image of a rational point
            t = Fraction(rng.randint(-6, 6), rng.randint(1, 4))
            lam = [(a + b * t) ** r for a, b in lines]
            if trial % 4 == 3:                   # and with a zero coordinate
                lam[rng.randrange(3)] = 0
            if not any(lam):
                continue
        deg = _pencil_gcd_degree(lines, lam, r)
        seen_positive += deg > 0
        assert deg <= 2, (lines, lam, r)
    assert seen_positive > 0                     # the built planes do have common zeros


# --- Proposition Q ---------------------------------------------------------------------------

def _rank(arch, r, weights):
    from verify.core.jacobian import jacobian_at
    return jacobian_at(Architecture.parse(arch), r, weights).rank()


@pytest.mark.parametrize("inner", ["2,2,1", "2,3,1", "2,2,2", "2,3,2"])
@pytest.mark.parametrize("r", [3, 4, 5])
def test_proposition_q_rank_identity(inner, r):
    d = [int(t) for t in inner.split(",")]
    outer = "2," + inner
    rng = random.Random(100 * r + len(inner))
    vanishing = 0
    for trial in range(7):
        b = 2 if trial >= 5 else 4
        Wp = [[[rng.randint(-b, b) for _ in range(d[i])] for _ in range(d[i + 1])]
              for i in range(len(d) - 1)]
        if trial == 1:
            Wp[0][0] = [0, 1]                                    # a zero entry
        if trial == 2:
            Wp[0][1] = list(Wp[0][0])                            # proportional rows of W_2
        if trial == 3:
            for row in Wp[0]:
                row[0] = 0                                       # dF/du = 0
        if trial == 4:
            Wp[-1] = [[0] * len(Wp[-1][0]) for _ in Wp[-1]]
            Wp[-1][0][0] = 1                                     # inactive neurons
        W1 = [[rng.randint(1, 3), rng.randint(-2, 2)], [0, rng.randint(1, 3)]]   # invertible
        outputs, (u, v) = network_outputs(Wp, r)
        z = sum(all(p.derivative(g) == 0 for p in outputs) for g in (u, v))
        vanishing += z > 0
        assert _rank(outer, r, [W1] + Wp) == 2 + _rank(inner, r, Wp) - z
    assert vanishing > 0


@pytest.mark.parametrize("inner", ["2,2,1", "2,3,1", "2,2,2", "2,3,2", "2,2,2,1"])
def test_generic_rank_of_a_width_two_first_layer_is_two_more(inner):
    import verify
    for r in (3, 4, 5):
        g_outer = verify.generic_rank("2," + inner, r)
        g_inner = verify.generic_rank(inner, r)
        assert g_outer.value == 2 + g_inner.value


def test_two_two_three_one_bound_is_sharp_at_four():
    """r = 4 < r* = 5: the inactive-neuron stratum B_{2,i} of 2,2,3,1 (column i of W_3 zero)
    is not critical, as Proposition Q with Proposition S for 2,3,1 predicts."""
    import verify
    g = verify.generic_rank("2,2,3,1", 4).value
    rng = random.Random(7)
    W = [[[rng.randint(-4, 4) for _ in range(c)] for _ in range(rw)]
         for rw, c in Architecture.parse("2,2,3,1").layer_shapes]
    W[0] = [[1, 0], [0, 1]]
    W[2][0][1] = 0
    assert _rank("2,2,3,1", 4, W) == g
    assert proven_threshold("2,2,3,1")["value"] == 5


@pytest.mark.parametrize("arch", ["2,2,3,1", "3,2,3,1", "2,2,4,1"])
def test_proposition_s3_rank_at_the_b_stratum(arch):
    """(d_0, 2, d_2, 1): at a seeded point of B_{2,i} the rank is g for 3 <= r <= 2 d_2 - 2
    (the stratum is not critical) and below g at r = 2 d_2 - 1 = r*."""
    import verify
    a = Architecture.parse(arch)
    d2 = a.widths[2]
    from verify.sub_in_crit.strata import strata_containing
    rng = random.Random(d2)
    W = [[[rng.choice([-1, 1]) * rng.randint(1, 50) for _ in range(c)] for _ in range(rw)]
         for rw, c in a.layer_shapes]
    W[2][0][0] = 0                                   # neuron (2, 0) inactive
    on = strata_containing(a, W)                     # a generic point of B_{2,0}: no other stratum
    assert len(on) == 1 and on[0].layer == 2, on
    for r in range(3, 2 * d2):
        g = verify.generic_rank(a, r).value
        rank = _rank(arch, r, W)
        assert (rank == g) if r <= 2 * d2 - 2 else (rank < g), r
    assert proven_threshold(arch)["value"] == 2 * d2 - 1
