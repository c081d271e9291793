"""proofs/converse.md, Lemma C (charts) and Theorem S (symbolic proof / exact witnesses).

Expected outcomes come from the hand arguments of proofs/converse.md, section 6:

* d = (2, d_1, 1): at every point outside Sub the rank is min(2 d_1, r + 1) = g
  (double points on P^1 always impose min(2 d_1, r + 1) conditions), so Crit is inside
  Sub for every r; the B strata are critical iff r >= 2 d_1 - 1.
* d = (3, 3, 1): three distinct collinear neurons (rank W_1 = 2, not a subnetwork) have
  rank binom(r + 2, 2) - dim{forms singular at 3 collinear points} = 5, 7, 8 at r = 2, 3, 4
  while g = 6, 9, 9: critical.  At r = 5 the rank is 9 = g.
* d = (2, 2, 2), r = 2: W_1 = I, W_2 = [[1, 1], [0, 0]] has rank 5 < g = 6 (rank-one output).
"""

import random

import pytest

from verify.core.architecture import Architecture
from verify.crit_in_sub.chart import charts
from verify.crit_in_sub.common import decode_witness, witness_record
from verify.crit_in_sub.converse import converse
from verify.core.errors import InputError
from verify.core.jacobian import jacobian_at
from verify.sub_in_crit.strata import is_subnetwork
from verify.crit_in_sub.symbolic import symbolic_converse

COLLINEAR = [[[1, 0, 0], [0, 1, 0], [1, 1, 0]], [[1, 1, 1]]]


@pytest.mark.parametrize("widths,r", [("2,3,1", 3), ("3,3,1", 3), ("2,2,2,1", 2), ("2,2,2", 2)])
def test_chart_jacobian_keeps_the_rank(widths, r):
    # Lemma C: deleting the gauge columns keeps the rank, at random and at degenerate points.
    from sage.all import QQ
    arch = Architecture.parse(widths)
    rng = random.Random(1)
    assert all(len(c.kept_columns) == arch.params - arch.hidden for c in charts(arch))
    for chart in charts(arch):
        for trial in range(4):
            vals = [rng.choice([0, 1, -1, 2, rng.randint(-50, 50)]) for _ in chart.free]
            W = chart.weights(vals, QQ)
            full = jacobian_at(arch, r, W).rank()
            assert chart.jacobian(r, W, QQ).rank() == full


@pytest.mark.parametrize("d1,r", [(2, 2), (2, 3), (2, 4), (3, 2), (3, 3), (3, 5)])
def test_shallow_binary_crit_inside_sub(d1, r):
    out = symbolic_converse(f"2,{d1},1", r)
    assert out["details"]["crit_in_sub"] is True
    assert out["certificate"] in ("proved-over-Q", "probabilistic") and not out["witnesses"]
    expected = "crit-equals-sub" if r >= 2 * d1 - 1 else "sub-not-in-crit"
    assert out["verdict"] == expected


@pytest.mark.parametrize("r,rank", [(2, 5), (3, 7), (4, 8)])
def test_collinear_neurons_are_critical(r, rank):
    arch = Architecture.parse("3,3,1")
    out = symbolic_converse(arch, r)
    assert out["verdict"] == "crit-not-in-sub" and out["certificate"] == "proved-over-Q"
    assert out["witnesses"]
    for w in out["witnesses"]:
        assert w["verified"] and w["rank"] == rank and w["strata"] == []
        K, W = decode_witness(arch, w)
        from sage.all import matrix
        assert matrix(K, W[0]).det() == 0                     # the three neurons are collinear
        assert not is_subnetwork(arch, W)
    # the component found is the collinear stratum itself: the whole one-variable chart
    # e_1, e_2, (1, b, 0) of the stratum rank W_1 = 2 (dimension 1), and only there
    refuted = [c for c in out["details"]["charts"] if c["status"] == "refuted"]
    assert refuted and all(c["stratum"]["rank_W1"] == 2 for c in refuted)
    assert any(c["dimension"] == 1 for c in out["details"]["components"])


@pytest.mark.parametrize("r,rank,g", [(2, 5, 6), (3, 7, 9), (4, 8, 9), (5, 9, 9)])
def test_hand_witness_family(r, rank, g):
    arch = Architecture.parse("3,3,1")
    for a, b in [(1, 1), (2, -3), (5, 7)]:
        W = [[[1, 0, 0], [0, 1, 0], [a, b, 0]], [[1, 1, 1]]]
        w = witness_record(arch, r, W, None, g)
        assert w["rank"] == rank and w["verified"] == (rank < g)


def test_rank_one_output_matrix_at_r2():
    arch = Architecture.parse("2,2,2")
    w = witness_record(arch, 2, [[[1, 0], [0, 1]], [[1, 1], [0, 0]]], None, 6)
    assert w["rank"] == 5 and w["verified"]
    out = symbolic_converse(arch, 2)
    assert out["verdict"] == "crit-not-in-sub" and all(w["verified"] for w in out["witnesses"])


def test_symbolic_refuses_large_cases_with_one_line():
    with pytest.raises(InputError, match="limit"):
        symbolic_converse("3,3,3,1", 3)


def test_dispatcher_auto_picks_symbolic_for_tiny_cases_below_r_star():
    # r* = 5 for 2,3,1 (Proposition S): at r = 4 no statement applies and the charts are small;
    # Crit is inside Sub (Proposition S) while the B strata are not critical
    out = converse("2,3,1", 4)
    assert out["method"] == "symbolic" and out["requested_method"] == "auto"
    assert out["crit_in_sub"]["holds"] is True and out["certificate"] == "proved-over-Q"
    assert out["verdict"] == "sub-not-in-crit"
    for key in ("method", "verdict", "certificate", "witnesses", "seconds", "details"):
        assert key in out


def test_command_line_prints_verified_witnesses(cli_json, cli):
    out = cli_json("converse", "3,3,1", "--degree", "3", "--method", "symbolic")
    assert out["verdict"] == "crit-not-in-sub"
    assert all(w["verified"] for w in out["witnesses"])
    code, _, err = cli("converse", "3,3,3,1", "--degree", "3", "--method", "symbolic")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "limit" in err
    code, _, err = cli("converse", "2,2,1", "--degree", "3", "--method", "nonsense")
    assert code == 2


def test_fast_saturation_agrees_with_sage():
    # _saturate (stdhilb basis + Singular's sat) against Sage's own saturation, second method.
    # By hand, (x y^2, x^2 y + y^3) : x^inf = (y): x (x^2 y + y^3) - y (x y^2) = x^3 y puts y in
    # it, and I lies in the prime (y), which does not contain x, so the saturation does too.
    from sage.all import QQ, PolynomialRing
    from verify.crit_in_sub.symbolic import _saturate
    R = PolynomialRing(QQ, 3, "x,y,z")
    x, y, z = R.gens()
    cases = [(R.ideal([x * y**2, x**2 * y + y**3]), R.ideal([x])),
             (R.ideal([x * y - 1, x**2]), R.ideal([y])),
             (R.ideal([x * z**2 - y**3, z * (x - y)]), R.ideal([z, y])),
             (R.ideal([(x + y) * z**2, x**3 * z]), R.ideal([z]))]
    for I, J in cases:
        assert _saturate(I, J) == I.saturation(J)[0]
    assert _saturate(*cases[0]) == R.ideal([y])
