"""proofs/threshold.md, Theorem T: the first release's threshold r*_B(d)
(``theorem_t_threshold``), its per-layer terms and hypotheses (Theorem T2, the sharper bound
that ``proven_threshold`` returns, is tested in test_threshold_deep_bound.py).  Expected values are computed by hand from the conditions (B1) and (D_l)
(worked in the comments), and the closed form is checked against a second evaluation of
the conditions through the eps-recursion of section 8 (exact fractions)."""

from fractions import Fraction

import pytest
from conftest import conditions_by_eps_recursion

from verify.core.architecture import Architecture
from verify.core.threshold_bounds import _layer_terms
from verify.theorem.threshold import layer_condition_degree, proven_threshold, theorem_t_threshold


@pytest.mark.parametrize("d1", [2, 3, 4, 5, 7])
def test_shallow_threshold_is_two_d1_minus_one(d1):
    for arch in [(2, d1, 1), (3, d1, 1), (2, d1, 3)]:
        t = proven_threshold(Architecture(arch))
        # Proposition S2: (d_0 >= 3, 2, 1) has Crit = Sub at every r >= 2; its kernel
        # statement (Theorem T's conclusion (1)) still starts at 2 d_1 - 1 = 3
        s2 = arch[0] >= 3 and d1 == 2 and arch[2] == 1
        assert t["value"] == (2 if s2 else 2 * d1 - 1)
        assert t["kernel_value"] == 2 * d1 - 1
        assert [p["layer"] for p in t["per_layer"]] == [1]


@pytest.mark.parametrize("arch,terms,value", [
    # (D_2) with P = 1, s = 0, C = 1: (r-1) r > r  <=>  r > 2
    ("2,2,2,1", [3, 3], 3),
    # P = 2, s = 1, C = 1: (r-1)^2 > 2r: r = 4 gives 9 > 8, r = 3 gives 4 > 6 false
    ("2,3,2,1", [5, 4], 5),
    # P = 1, s = 0, M = 3, C = 7: (r-1) r > 7 r  <=>  r > 8
    ("2,2,3,1", [3, 9], 9),
    # P = 2, s = 1, C = 7: (r-1)^2 > 14 r: 15^2 = 225 > 224 at r = 16, 196 > 210 false at 15
    ("2,3,3,1", [5, 16], 16),
    # layer 3: s = 1 + 2*3 = 7, P = 2*4 = 8, C = 7: (r-1)(r-7) > 56 r: 63*57 = 3591 > 3584
    # at r = 64, 62*56 = 3472 > 3528 false at 63
    ("2,3,3,3,1", [5, 16, 64], 64),
    # all hidden widths 2: M = 0, P = 1, s = 0 at every layer: r > 2
    ("2,2,2,2,2,1", [3, 3, 3, 3], 3),
])
def test_deep_threshold_terms_by_hand(arch, terms, value):
    widths = Architecture.parse(arch).widths
    assert [p["r_min"] for p in _layer_terms(widths, sharpened=False)] == terms
    assert theorem_t_threshold(arch) == value
    assert proven_threshold(arch)["theorem_t"] == value
    assert all(h["holds"] for h in proven_threshold(arch)["hypotheses"])


def test_threshold_does_not_depend_on_input_or_output_width():
    for base, others in [("2,3,2,1", ["5,3,2,1", "2,3,2,4", "7,3,2,3"]),
                         ("2,2,3,1", ["4,2,3,1", "2,2,3,3"]), ("2,3,3,1", ["3,3,3,1", "2,3,3,2"])]:
        for fn in (lambda a: proven_threshold(a)["value"], theorem_t_threshold):
            assert {fn(a) for a in others} == {fn(base)}


@pytest.mark.parametrize("arch", ["2,1,2,1", "1,3,1", "3,2,1,2,1"])
def test_hypotheses_fail_gives_no_value(arch):
    t = proven_threshold(Architecture.parse(arch))
    assert t["value"] is None and theorem_t_threshold(arch) is None
    assert any(not h["holds"] for h in t["hypotheses"])
    assert "does not apply" in t["note"]


def _conditions_by_eps_recursion(widths, r):
    """Theorem T's conditions through eps_2 = (1 - (d_1-2)/r)/(d_1-1) (Lemma G1)."""
    d1 = widths[1]
    return conditions_by_eps_recursion(widths, r, (1 - Fraction(d1 - 2, r)) / (d1 - 1))


@pytest.mark.parametrize("arch", ["2,2,2,1", "2,3,2,1", "2,4,3,1", "2,3,3,2,1", "2,2,4,2,1", "2,5,2,1"])
def test_closed_form_agrees_with_eps_recursion_and_is_upward_closed(arch):
    widths = Architecture.parse(arch).widths
    value = theorem_t_threshold(arch)
    assert not _conditions_by_eps_recursion(widths, value - 1)
    assert all(_conditions_by_eps_recursion(widths, r) for r in range(value, value + 300))


@pytest.mark.parametrize("s,C,P", [(0, 1, 1), (1, 1, 2), (1, 7, 2), (7, 7, 8), (5, 3, 4)])
def test_layer_condition_degree_is_the_least_good_degree(s, C, P):
    r = layer_condition_degree(s, C, P)
    good = lambda x: (x - 1) * (x - s) > C * P * x
    assert good(r) and not any(good(x) for x in range(2, r))
    assert r <= s + C * P + 2


@pytest.mark.parametrize("m", [3, 4, 5])
@pytest.mark.parametrize("L", [3, 4, 5])
def test_equal_width_bounds_of_section_0(m, L):
    """(2m^2 - 4m + 1)(m - 1)^(2L-5) <= r*_B <= 2 (m - 1)^(2L-3) + 1 for widths (2, m, ..., m, 1)."""
    value = theorem_t_threshold(Architecture((2,) + (m,) * (L - 1) + (1,)))
    assert (2 * m * m - 4 * m + 1) * (m - 1) ** (2 * L - 5) <= value <= 2 * (m - 1) ** (2 * L - 3) + 1
