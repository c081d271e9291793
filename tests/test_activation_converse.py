"""proofs/activations.md, section 6: Crit in Sub for a general activation -- the pre-pass's
exact witnesses, Theorem E (saturation over QQ), the record of ``run_general_case`` -- checked
against hand derivations, a brute force over GF(p), the forward-mode Jacobian (a second
method), and ``run_case`` for s = t^r without biases (Remark M)."""

import itertools
import json

import pytest

from verify.core.activation import Activation
from verify.core.architecture import Architecture
from verify.core.errors import InputError


def _without_seconds(rec):
    from verify.theorem.case import pop_timings
    rec = json.loads(json.dumps(rec))
    pop_timings(rec, "", {})
    return json.dumps(rec, sort_keys=True)


@pytest.mark.parametrize("arch,r", [("2,2,1", 2), ("2,2,1", 3), ("3,2,1", 2)])
def test_monomial_through_the_general_path_is_run_case(arch, r):
    from verify.theorem.case import run_case
    from verify.theorem.general_case import run_general_case, record_activation
    a = run_general_case(arch, f"t^{r}")
    b = run_case(arch, r, parts=("generic_rank", "strata", "converse"))
    assert _without_seconds(a) == _without_seconds(b)
    assert record_activation(a) == (f"t^{r}", False)


def test_record_keys():
    from verify.theorem.case import run_case
    from verify.theorem.general_case import run_general_case
    mono = run_case("2,2,1", 2, parts=("generic_rank",))
    rec = run_general_case("2,2,1", "t^2 + t", biases=True, parts=("generic_rank",))
    assert set(mono) <= set(rec)
    assert (rec["activation"], rec["biases"], rec["degree"], rec["params"]) == ("t^2 + t", True, 2, 9)
    assert rec["generic_rank"]["value"] == 6 and rec["contradicts_theorem"] is False
    assert rec["verdict"] == "undecided"          # parts not run: never holds


def test_width_one_layer_holds_by_hand_and_by_brute_force():
    # 2,1,1, s = t^2 + t: f = c (l^2 + l), l = w.x. Tangents l^2 + l (dc), c (2l + 1) x,
    # c (2l + 1) y (dw). If c = 0 (B) rank <= 1; if w = 0 (A) rank <= 2. Else suppose
    # a (l^2 + l) + (2l + 1) m = 0 with m = b x + e y: degree 2 gives l (a l + 2m) = 0, so
    # m = -a l / 2; degree 1 gives a l + m = 0, so a = 0, m = 0: rank 3 = g. Crit = A u B = Sub.
    from verify.theorem.general_case import run_general_case
    rec = run_general_case("2,1,1", "t^2 + t")
    assert rec["generic_rank"]["value"] == 3
    assert rec["verdict"] == "holds" and rec["certificate"] == "proved-over-Q"
    assert rec["converse"]["method"] == "symbolic"
    assert rec["crit_in_sub"]["coverage"] == "all-codimensions"
    # brute force over GF(7): every point of rank < 3 is in Sub (evidence, independent code)
    from sage.all import GF
    from verify.core.general_jacobian import coefficient_jacobian_general
    a, s, F = Architecture.parse("2,1,1"), Activation.parse("t^2 + t"), GF(7)
    for w1, w2, c in itertools.product(range(7), repeat=3):
        k = coefficient_jacobian_general(a, s, [[[w1, w2]], [[c]]], ring=F).rank()
        assert k <= 3
        if k < 3:
            assert (w1, w2) == (0, 0) or c == 0


def test_proportional_rows_witness_221():
    # Proposition P1: rows (u, 2u) of W_1 at 2,2,1 with t^2 + t are critical (rank 4 < 5) and
    # not in Sub. Second method: the forward-mode Jacobian of general_jacobian.
    from verify.crit_in_sub.general_converse import general_converse
    from verify.core.general_jacobian import coefficient_jacobian_general
    out = general_converse("2,2,1", "t^2 + t")
    assert out["verdict"] == "crit-not-in-sub" and out["crit_in_sub"]["holds"] is False
    assert out["crit_in_sub"]["certificate"] == "proved-over-Q"
    w = out["witnesses"][0]
    assert w["verified"] and w["strata"] == [] and w["families"] == ["P_{1,0,1}"]
    a, s = Architecture.parse("2,2,1"), Activation.parse("t^2 + t")
    assert coefficient_jacobian_general(a, s, w["weights"]).rank() == w["rank"] == 4
    W = [[[1, 3], [2, 6]], [[5, -1]]]                   # a hand point of the same kind
    assert coefficient_jacobian_general(a, s, W).rank() == 4


@pytest.mark.parametrize("s,biases", [("t^2 + t", False), ("t^3 + t^2", False), ("t^3 + t", True)])
def test_theorem_e_agrees_with_the_prepass(s, biases):
    # Where the pre-pass has an exact witness, the saturated ideal must be proper.
    from verify.crit_in_sub.general_prepass import general_prepass
    from verify.crit_in_sub.general_symbolic import general_symbolic
    from verify.sub_in_crit.activation_rank import activation_generic_rank
    g = activation_generic_rank("2,2,1", s, biases)
    assert general_prepass("2,2,1", s, biases, g.value)["witnesses"]
    out = general_symbolic("2,2,1", s, biases, g)
    assert out["crit_in_sub"] is False and out["details"]["residual_dimension"] >= 0


def test_never_holds_without_an_exact_method():
    from verify.crit_in_sub.general_converse import general_converse
    out = general_converse("2,1,1", "t^2 + t", method="prepass")
    assert out["crit_in_sub"]["holds"] is None and out["verdict"] == "undecided"
    assert out["crit_in_sub"]["coverage"] == "structured points"


def test_limits_refuse_with_one_line():
    from verify.crit_in_sub.general_symbolic import general_symbolic
    from verify.sub_in_crit.activation_rank import activation_generic_rank
    g = activation_generic_rank("3,3,3,1", "t^3 + t")
    out = general_symbolic("3,3,3,1", "t^3 + t", False, g)
    assert out["crit_in_sub"] is None and "limited to 10 parameters" in out["reason"]
    assert "\n" not in out["reason"]


def test_bad_method_is_refused():
    from verify.crit_in_sub.general_converse import general_converse
    with pytest.raises(InputError, match="method must be one of"):
        general_converse("2,2,1", "t^2 + t", method="exhaustive")
