"""Proposition Y, Lemma Y1 and Corollary Y2 (proofs/converse.md, section 9): a last hidden layer
of width 2 under one output reduces to the truncated network (d_0, ..., d_{L-2}, 2).

Expected values come from a second route: both sides of the rank identity are computed
independently (the Jacobian of d, and the Jacobian of d' with K_w as the kernel of the map
(A, B) -> w_1 a^(r-1) A + w_2 b^(r-1) B), the generic ranks from ``proved_generic_rank``, the
verdicts from the symbolic method run on the whole network, and one witness by hand.
"""

import random

import pytest

from verify.core.architecture import Architecture
from verify.crit_in_sub.common import witness_record
from verify.crit_in_sub.converse import converse
from verify.crit_in_sub.last_layer import (applies, last_layer_converse, last_pair_forms,
                                           rank_identity, truncated)
from verify.crit_in_sub.symbolic import symbolic_converse
from verify.sub_in_crit.strata import is_subnetwork
from verify.sub_in_crit.subnetwork_rank import proved_generic_rank


def _point(arch, rng, kind, bound=3):
    d = arch.widths
    W = [[[rng.randint(-bound, bound) for _ in range(d[l])] for _ in range(d[l + 1])]
         for l in range(arch.depth)]
    if kind == "proportional-last-rows":
        W[-2][1] = [2 * v for v in W[-2][0]]
    elif kind == "zero-last-row":
        W[-2][1] = [0] * d[-3]
    elif kind == "duplicate-first-layer":
        W[0][1] = [3 * v for v in W[0][0]]
    elif kind == "zero-column":
        for row in W[-2]:
            row[0] = 0
    elif kind == "rank-one-first-layer":
        W[0] = [[(i + 1) * v for v in W[0][0]] for i in range(d[1])]
    W[-1] = [[rng.choice([1, 2, -1, 3]), rng.choice([1, -2, 5])]]
    return W


KINDS = ["random", "proportional-last-rows", "zero-last-row", "duplicate-first-layer",
         "zero-column", "rank-one-first-layer"]


@pytest.mark.parametrize("arch,r", [("2,2,2,1", 2), ("2,2,2,1", 3), ("2,3,2,1", 2), ("2,3,2,1", 3),
                                    ("2,3,2,1", 4), ("3,3,2,1", 3), ("2,4,2,1", 3),
                                    ("2,2,2,2,1", 2)])
def test_rank_identity_at_structured_points(arch, r):
    """rank J_d = rank J_d' - dim(im J_d' meet K_w) wherever w_1 w_2 != 0, in and out of Sub,
    with shared factors, proportional and zero pre-activations (Proposition Y (i))."""
    A = Architecture.parse(arch)
    rng = random.Random(7 * r + len(arch))
    seen_delta = set()
    for t in range(12):
        W = _point(A, rng, KINDS[t % len(KINDS)])
        out = rank_identity(A, r, W)
        assert out["rank_d"] == out["rank_truncated"] - out["delta"], (W, out)
        seen_delta.add(out["delta"])
    assert len(seen_delta) >= 2          # the identity was tested where the correction is not 0


def test_kernel_is_zero_or_the_rotation_when_coprime():
    """Proposition Y (ii): a, b != 0 coprime gives K_w = 0 at r >= 3 and the rotation line,
    inside im J_d', at r = 2; so the ranks differ by [r = 2]."""
    rng = random.Random(3)
    checked = 0
    for arch, r in [("2,2,2,1", 2), ("2,2,2,1", 3), ("3,2,2,1", 2), ("2,3,2,1", 4),
                    ("2,2,2,2,1", 2), ("3,3,2,1", 4)]:
        A = Architecture.parse(arch)
        for _ in range(4):
            W = _point(A, rng, "random", bound=9)
            a, b = last_pair_forms(A, r, W)
            if a == 0 or b == 0 or a.gcd(b).degree() > 0:
                continue
            out = rank_identity(A, r, W)
            want = 1 if r == 2 else 0
            assert out["dim_K"] == want and out["delta"] == want, (arch, r, W, out)
            assert out["rank_d"] == out["rank_truncated"] - want
            checked += 1
    assert checked >= 12


@pytest.mark.parametrize("arch,r", [("2,2,2,1", 2), ("2,2,2,1", 3), ("2,3,2,1", 2), ("2,3,2,1", 4),
                                    ("3,3,2,1", 2), ("3,3,2,1", 4), ("2,2,2,2,1", 2),
                                    ("2,2,2,2,1", 3), ("4,2,2,1", 2)])
def test_generic_rank_of_the_truncation(arch, r):
    """Proposition Y (iii): g(d) = g(d') - [r = 2]."""
    G, Gt = proved_generic_rank(arch, r), proved_generic_rank(truncated(arch), r)
    assert Gt.certificate == "exact"
    assert G.value == Gt.value - (1 if r == 2 else 0)


def test_last_pair_gcd_bound():
    """Lemma Y1 at random points outside Sub: gcd(a, b) = 1 when every hidden width is 2, and
    deg gcd(a, b) <= 2 r^(L-3) when d_1 = 3 and the layers above have width 2."""
    rng = random.Random(11)
    for arch, r, bound in [("2,2,2,1", 3, 0), ("3,2,2,2,1", 2, 0), ("2,3,2,1", 4, 2),
                           ("3,3,2,1", 4, 2), ("2,3,2,2,1", 3, 6)]:
        A = Architecture.parse(arch)
        n = 0
        while n < 6:
            W = _point(A, rng, "random", bound=2)
            if is_subnetwork(A, W):
                continue
            a, b = last_pair_forms(A, r, W)
            assert a != 0 and b != 0 and a.gcd(b).degree() <= bound, (arch, W)
            n += 1


def test_lemma_g3_bound_is_attained_at_r6():
    """threshold.md, Lemma G3: y^6 - x^6 and (x + y)^6 + 27 x^6 share x^2 - x y + y^2, the
    pair of 2,3,2,1 at W_1 = (x, y, x + y), W_2 = [[-1, 1, 0], [27, 0, 1]]."""
    W = [[[1, 0], [0, 1], [1, 1]], [[-1, 1, 0], [27, 0, 1]], [[1, 1]]]
    a, b = last_pair_forms("2,3,2,1", 6, W)
    h = a.gcd(b)
    x0, x1 = h.parent().gens()
    assert h.degree() == 2 and h == (x0 ** 2 - x0 * x1 + x1 ** 2) * h.lc()
    # (r - 1)(D' - e) = 5 * 4 > 6: the identity keeps its value, K_w = 0
    assert rank_identity("2,3,2,1", 6, W)["dim_K"] == 0


def test_shared_quadratic_factor_at_r3_is_critical():
    """By hand: at r = 3, a = x^3 + (x + y)^3 = (2x + y)(x^2 + x y + y^2) and
    b = y^3 + (x + y)^3 = (x + 2y)(x^2 + x y + y^2) share a factor of degree 2 = r - 1, so
    (r - 1)(D' - e) = 2 < 3 = D' and K_w = {(w_2 (x + 2y)^2 R, -w_1 (2x + y)^2 R)}, R linear: dim 2.
    Both directions lie in im J_d', the rank drops by 2 below g = 8, and the point is outside
    Sub: why Lemma Y1 (b) needs r >= 4 and the method claims nothing at r = 3."""
    W = [[[1, 0], [0, 1], [1, 1]], [[1, 0, 1], [0, 1, 1]], [[1, 1]]]
    out = rank_identity("2,3,2,1", 3, W)
    assert out == {"rank_d": 6, "rank_truncated": 8, "dim_K": 2, "delta": 2, "gcd_degree": 2}
    g = proved_generic_rank("2,3,2,1", 3)
    assert g.value == 8 and g.certificate == "exact"
    rec = witness_record("2,3,2,1", 3, W, None, g.value)
    assert rec["verified"] and rec["rank"] == 6
    assert applies("2,3,2,1", 3)[0] is False
    assert last_layer_converse("2,3,2,1", 3, g.value, proved_generic_rank) is None


@pytest.mark.parametrize("arch,r", [("2,2,2,1", 2), ("2,2,2,1", 3), ("3,2,2,1", 2), ("3,2,2,1", 3)])
def test_agrees_with_the_symbolic_proof(arch, r):
    """Where the symbolic method runs on the whole network, both prove Crit in Sub."""
    g = proved_generic_rank(arch, r).value
    mine = last_layer_converse(arch, r, g, proved_generic_rank)
    assert mine["details"]["crit_in_sub"] is True and mine["certificate"] == "proved-over-Q"
    assert symbolic_converse(arch, r)["details"]["crit_in_sub"] is True


@pytest.mark.parametrize("arch,r", [("3,3,2,1", 3), ("3,3,2,1", 2)])
def test_witnesses_of_the_truncation_lift(arch, r):
    """Corollary Y2 (ii): critical points of d' outside Sub(d') with output rank 2 lift to
    (theta', (1, 1)), re-verified exactly on d (the whole converse finds failures there too)."""
    g = proved_generic_rank(arch, r).value
    out = last_layer_converse(arch, r, g, proved_generic_rank)
    assert out["details"]["crit_in_sub"] is False and out["witnesses"]
    for w in out["witnesses"]:
        assert w["verified"] and w["rank"] < g and w["weights"][-1] == [[1, 1]]
    assert converse(arch, r)["crit_in_sub"]["holds"] is False


@pytest.mark.parametrize("arch,r", [("2,3,2,1", 4), ("2,3,2,1", 5), ("3,3,2,1", 4), ("2,2,2,2,1", 2)])
def test_issue_cases_are_proved_by_truncation(arch, r):
    """The cases of issue 19 with a width-2 last hidden layer and one output: Crit in Sub on all
    codimensions, proved over QQ, by the last-layer method inside ``converse`` auto."""
    out = converse(arch, r)
    assert out["crit_in_sub"]["method"] == "last-layer"
    assert out["crit_in_sub"]["holds"] is True
    assert out["crit_in_sub"]["coverage"] == "all-codimensions"
    assert out["crit_in_sub"]["certificate"] == "proved-over-Q"


def test_applies_names_its_case():
    assert applies("2,3,2,1", 4)[0] and applies("4,3,2,2,1", 5)[0] and applies("5,2,2,1", 2)[0]
    assert applies("2,3,2,2", 4)[0]                 # d_L >= 2: Corollary Y4 (section 9.1)
    assert applies("2,4,2,1", 6)[0] and applies("2,5,2,2", 8)[0]   # Theorem Y6: r >= 2 d_1 - 2
    for arch, r in [("2,3,2,1", 3), ("2,3,2,1", 2), ("2,4,2,1", 5), ("2,5,2,1", 7), ("2,3,2,2", 2),
                    ("2,2,3,2,1", 4), ("2,3,1", 4)]:
        assert applies(arch, r)[0] is False


def test_extremal_shared_factor_at_r4_is_harmless():
    """The extremal case of Lemma G3 at r = 4: a = 4 x^4 + y^4 = (y^2 + 2xy + 2x^2)(y^2 - 2xy + 2x^2)
    and b = (x + y)^4 - x^4 share y^2 + 2xy + 2x^2 (zeros t = -1 +- i: t^4 = -4, (1 + t)^4 = 1), so
    e = 2 = the bound; (r - 1)(D' - e) = 6 > 4 = D', K_w = 0 and the point, outside Sub, has rank g."""
    W = [[[1, 0], [0, 1], [1, 1]], [[4, 1, 0], [-1, 0, 1]], [[1, 1]]]
    a, b = last_pair_forms("2,3,2,1", 4, W)
    x0, x1 = a.parent().gens()
    assert a.gcd(b) == x1 ** 2 + 2 * x0 * x1 + 2 * x0 ** 2
    out = rank_identity("2,3,2,1", 4, W)
    assert out["gcd_degree"] == 2 and out["dim_K"] == 0 and out["rank_d"] == out["rank_truncated"]
    g = proved_generic_rank("2,3,2,1", 4).value
    assert not is_subnetwork(Architecture.parse("2,3,2,1"), W) and out["rank_d"] == g == 9


def test_too_many_charts_of_the_truncated_network_claim_nothing(monkeypatch):
    # a d' whose charts exceed CHART_LIMIT makes the method step aside (holds None, a reason),
    # never stop the dispatcher (adversarial review of section 9)
    import verify.crit_in_sub.chart as chart
    from verify.crit_in_sub.last_layer import truncated_converse
    monkeypatch.setattr(chart, "CHART_LIMIT", 1)
    out = truncated_converse("2,3,2", 4, 8)
    assert out["holds"] is None and "charts" in out["reason"]
