"""proofs/activations.md, section 1 and Remark M, at the boundary: ``--activation POLY`` and
``--biases`` on ``rank`` and ``point`` (issue 22): the monomial t^r without biases gives the
output of ``--degree r`` byte for byte; bad polynomials and argument combinations exit 2 with
one line naming the problem."""

import json

import pytest


@pytest.mark.parametrize("args,r", [(["rank", "2,3,2,1"], 4), (["rank", "2,2,1"], 3), (["rank", "3,2,1"], 2),
                                    (["point", "2,2,1", "--weights", "[[[1,0],[1,0]],[[1,1]]]"], 3),
                                    (["point", "2,2,1", "--weights", '[[[1,0],[0,"1/2"]],[[1,1]]]'], 2)])
@pytest.mark.parametrize("as_json", [False, True])
def test_monomial_activation_gives_the_degree_output_byte_for_byte(cli, args, r, as_json):
    extra = ["--json"] if as_json else []
    a = cli(*args, "--degree", r, *extra)
    b = cli(*args, "--activation", f"t^{r}", *extra)
    assert a[0] == b[0] == 0 and a[1] == b[1] and a[1]


def test_rank_activation_json(cli_json):
    out = cli_json("rank", "2,2,2,1", "--activation", "t^2+t")
    # by hand (proofs/activations.md, Example 2): 10 parameters, g = 9, exact
    assert (out["params"], out["generic_rank"], out["certificate"]) == (10, 9, "exact")
    assert out["activation"] == "t^2 + t" and out["biases"] is False and out["output_degree"] == 4
    out = cli_json("rank", "2,2,1", "--activation", "t^2+t", "--biases")
    assert (out["params"], out["ambient"], out["generic_rank"], out["certificate"]) == (9, 6, 6, "exact")
    out = cli_json("rank", "2,2,1", "--activation", "t^2+t")
    assert (out["ambient"], out["generic_rank"]) == (5, 5)


def test_degree_with_biases_is_the_biased_monomial(cli_json):
    a = cli_json("rank", "2,2,2,1", "--degree", "3", "--biases")
    b = cli_json("rank", "2,2,2,1", "--activation", "t^3", "--biases")
    assert a == b and a["biases"] is True and a["params"] == 15
    # Prop. S2: 4 affine scalings; 2,2,2,1 at t^3 with biases has g = 15 - 4 = 11
    assert (a["generic_rank"], a["certificate"]) == (11, "exact")


def test_point_with_biases(cli_json):
    # 2,2,1, t^2+t, W_1 = I, c = (1,1), b = 0, b_out = 1: f = x^2+y^2+x+y+1; by hand the tangent
    # space is all polynomials of degree <= 2 (Example 1), so rank 6 = g: not critical
    out = cli_json("point", "2,2,1", "--activation", "t^2+t", "--biases",
                   "--weights", "[[[1,0],[0,1]],[[1,1]]]", "--bias-values", "[[0,0],[1]]")
    assert (out["rank"], out["generic_rank"], out["critical"], out["subnetwork"]) == (6, 6, False, False)
    # a dead neuron (row 1 of W_1 zero): it computes the constant s(b) (section 4)
    out = cli_json("point", "2,2,1", "--activation", "t^2+t", "--biases",
                   "--weights", "[[[1,0],[0,0]],[[1,1]]]", "--bias-values", "[[0,0],[1]]")
    assert out["strata"] == ["A_{1,1}"] and out["critical"] is True


@pytest.mark.parametrize("args,word", [
    (["rank", "2,2,1", "--activation", "sqrt(2)*t"], "the only variable is t"),
    (["rank", "2,2,1", "--activation", "x^2+1"], "the only variable is t"),
    (["rank", "2,2,1", "--activation", "pi*t^2"], "the only variable is t"),
    (["rank", "2,2,1", "--activation", "0*t^3"], "zero polynomial"),
    (["rank", "2,2,1", "--activation", "7"], "degree >= 1"),
    (["rank", "2,2,1", "--activation", "t^2-t^2"], "zero polynomial"),
    (["rank", "2,2,1", "--activation", "t^65"], "MAX_ACTIVATION_DEGREE"),
    (["rank", "2,2,1", "--activation", "(t+1)^(10^9)"], "MAX_EXPONENT"),
    (["rank", "2,2,1", "--activation", "1/t"], "divides by a polynomial in t"),
    (["rank", "2,2,1", "--activation", "t^2.5"], "not an integer"),
    (["rank", "2,2,1", "--activation", "t^2+"], "unexpected end"),
    (["rank", "2,2,1", "--activation", "t^2;rm"], "unexpected character"),
    (["rank", "2,2,1", "--activation", "1/0*t"], "division by zero"),
    (["rank", "2,2,1", "--activation", ""], "polynomial in t"),
    (["rank", "2,2,1", "--activation", "t" * 3000], "MAX_EXPRESSION_TEXT"),
    (["rank", "2,2,1"], "--degree/-r or --activation"),
    (["rank", "2,2,1", "--degree", "2", "--activation", "t^2"], "not both"),
    (["rank", "2,2,1", "--activation", "t^2+1/3", "--prime", "3"], "prime"),
    (["rank", "2,2,1", "--activation", "t^2+t", "--biases", "--degree", "x"], "not both"),
    (["point", "2,2,1", "--activation", "t^2+t", "--biases", "--weights", "[[[1,0],[0,1]],[[1,1]]]"], "--bias-values"),
    (["point", "2,2,1", "--degree", "2", "--bias-values", "[[0,0],[1]]", "--weights", "[[[1,0],[0,1]],[[1,1]]]"], "needs --biases"),
    (["point", "2,2,1", "--activation", "t^2+t", "--biases", "--bias-values", "[[0],[1]]",
      "--weights", "[[[1,0],[0,1]],[[1,1]]]"], "b_1"),
    (["point", "2,2,1", "--activation", "t^2+t", "--weights", "[[[1,0],[0,1]],[[1,1]]]", "--field", "a^2+1"], "--field"),
    (["rank", "50,50,50,2", "--activation", "t^2+t"], "limit"),
    (["point", "4,2,2,1", "--activation", "t^9+t", "--weights", "[[[1,0,0,0],[0,1,0,0]],[[1,0],[0,1]],[[1,1]]]"], "limit"),
])
def test_bad_inputs_one_line_exit_2(cli, args, word):
    code, out, err = cli(*args)
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and word in lines[0], err
