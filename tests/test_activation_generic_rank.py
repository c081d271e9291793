"""proofs/activations.md, Theorem G' (the certified generic rank for a polynomial activation),
its worked examples (section 7, derived by hand there) and Remarks M and B (the monomial t^r
without biases is the monomial network; with biases s and a s(t + h) + m give the same
networks; without biases a t^k and t^k do)."""

import pytest

from verify.core.architecture import Architecture
from verify.core.general_rank import general_generic_rank
from verify.sub_in_crit.activation_rank import activation_generic_rank
from verify.sub_in_crit.subnetwork_rank import proved_generic_rank


def g(arch, s, biases=False):
    out = activation_generic_rank(arch, s, biases)
    assert out.certificate == "exact", out.statement
    return out.value


def test_issue_example_two_layer_t2_plus_t():
    # section 7, Example 1: f = Q + l with Q = c1 l1^2 + c2 l2^2 and l = c1 l1 + c2 l2: no
    # constant term, so rank <= 3 + 2 = 5; at W_1 = I, c = (1, 1) the six tangent polynomials
    # span all of <x^2, xy, y^2, x, y>: g = 5 of 6 parameters.
    assert g("2,2,1", "t^2+t") == 5
    # with biases: b_out adds the constants and the ambient space is all of degree <= 2: 6
    assert g("2,2,1", "t^2+t", biases=True) == 6


def test_issue_example_hidden_symmetry_2221():
    # section 7, Example 2: the last two layers give c1 y1^2 + c2 y2^2 + c1 y1 + c2 y2 with
    # y = W_2 u: only (W_2^T C W_2, W_2^T c), 5 numbers of 6 parameters, so ker J != 0: g <= 9;
    # a point of rank 9 (exact, two methods in test_activation_jacobian) gives g = 9 of 10.
    out = activation_generic_rank("2,2,2,1", "t^2+t")
    assert (out.value, out.upper_bound, out.certificate) == (9, 9, "exact")
    from verify.core.general_jacobian import general_jacobian_at
    from verify.core.activation import Activation
    W = [[[1, 2], [3, -1]], [[2, 1], [1, 5]], [[1, -3]]]
    assert general_jacobian_at(Architecture("2,2,2,1"), Activation.parse("t^2+t"), W).rank() == 9


def test_t3_plus_t2_two_layer_is_identifiable():
    # section 7, Example 3: at W_1 = I, c = (1, 1) the tangent polynomials 3x^3 + 2x^2,
    # x^3 + x^2, 3x^2y + 2xy, 3xy^2 + 2xy, 3y^3 + 2y^2, y^3 + y^2 are independent: g = N = 6
    assert g("2,2,1", "t^3+t^2") == 6
    # with biases: N' = 9 <= A' = 10 (degree <= 3) and a point of rank 9
    assert g("2,2,1", "t^3+t^2", biases=True) == 9


def test_three_input_quadratic_shallow():
    # section 7, Example 4: 3,2,1 with t^2+t: Q has rank <= 2 (a 5-dimensional cone) and
    # l lies in its 2-dimensional row space: g <= 7 = 5 + 2 (Lemma Q gives the kernel vector)
    assert g("3,2,1", "t^2+t") == 7


@pytest.mark.parametrize("arch", ["2,2,1", "2,2,2,1", "3,2,1", "2,3,2,1", "2,2,2,2,1"])
def test_remark_B_biases_make_every_quadratic_the_square(arch):
    # with biases, s and a s(t + h) + m give the same set of networks (an invertible affine
    # change of parameters), so the same generic rank
    ref = g(arch, "t^2", True)
    assert g(arch, "t^2+t", True) == ref == g(arch, "1/2*t^2+t", True) == g(arch, "3*(t-2)^2+7", True)


@pytest.mark.parametrize("arch", ["2,2,1", "2,2,2,1", "3,2,1", "2,3,2,1"])
def test_remark_B_affine_cubic_with_biases_and_scaled_monomials(arch):
    assert g(arch, "2*(t+1)^3-5", True) == g(arch, "t^3", True)
    # without biases a t^k and t^k: W_{l+1} -> a W_{l+1}
    assert general_generic_rank(arch, "2*t^3").value == g(arch, "t^3")


@pytest.mark.parametrize("arch,r", [("2,2,1", 2), ("2,2,1", 3), ("2,3,2,1", 3), ("2,3,2,1", 4),
                                    ("3,2,1", 3), ("2,2,2,1", 2), ("3,3,2", 3), ("2,2,3,1", 4),
                                    ("4,3,1", 2), ("2,2,2,2,1", 3)])
def test_general_machinery_on_t_r_agrees_with_the_monomial_path(arch, r):
    # Remark M, second method: the general certificate (no monomial-specific bound) on t^r
    a = Architecture(arch)
    gen = general_generic_rank(a, f"t^{r}")
    mono = proved_generic_rank(a, r)
    assert (gen.value, gen.certificate) == (mono.value, mono.certificate) == (mono.value, "exact")


def test_api_takes_the_monomial_path_for_t_r():
    a = Architecture("2,3,2,1")
    assert activation_generic_rank(a, "t^4") == proved_generic_rank(a, 4)
    import verify
    assert verify.activation_generic_rank("2,2,1", "t^2+t").value == 5


def test_lower_bound_records_seed_and_failure_bound():
    # a prime so small that a sampled rank may miss: the record still names seed and trials
    out = general_generic_rank("2,2,2,1", "t^2+t", prime=67108859, seed=7)
    assert out.seed == 7 and out.trials and out.prime == 67108859
    assert out.as_dict()["proved_by"] in {"ambient", "parameters", "symmetries", "pair-kernels"}


def test_example_1_kernel_vector_by_hand():
    # proofs/activations.md, Example 1: at W_1 = I, c = (1, 1) the kernel of J is spanned by
    # (-1, 1, -1, 1, 2, -2) (v_2 - v_3 = y - x = (2 v_6 - v_4) - (2 v_5 - v_1))
    from sage.all import QQ, matrix, vector
    from verify.core.activation import Activation
    from verify.core.general_jacobian import general_jacobian_at
    J = general_jacobian_at(Architecture("2,2,1"), Activation.parse("t^2+t"), [[[1, 0], [0, 1]], [[1, 1]]])
    assert J.rank() == 5
    assert J.right_kernel().basis_matrix().row_space() == matrix(QQ, [[-1, 1, -1, 1, 2, -2]]).row_space()


def test_the_table_of_proofs_activations_md_is_what_the_code_computes():
    import re
    from pathlib import Path
    text = (Path(__file__).resolve().parents[1] / "proofs" / "activations.md").read_text()
    block = re.search(r"<!-- table:begin -->\n(.*?)<!-- table:end -->", text, re.S).group(1)
    rows = [r.strip("| ").split(" | ") for r in block.strip().splitlines()[2:]]
    assert len(rows) >= 9
    heads = ["t^2", "t^2+t", "t^3", "t^3+t^2"]
    for row in rows[:4]:                                     # the shallow rows (cheap)
        arch = row[0]
        for n, s in enumerate(heads):
            for m, b in enumerate((False, True)):
                assert row[3 + 2 * n + m] == str(g(arch, s, b)), (arch, s, b)
    # hand values in the table: Examples 1-4
    table = {r[0]: r for r in rows}
    assert table["2,2,1"][5:7] == ["5", "6"] and table["2,2,2,1"][5] == "9"
    assert table["2,2,1"][9] == "6" and table["3,2,1"][5] == "7"


def test_constant_term_activations_by_hand():
    # 3,2,1, t^3 + 1: the cubic part is the monomial 3,2,1 at r = 3 (g = 6 = N - H) and the
    # constant c1 + c2 adds at most 1: g <= 7 (Lemma R gives the kernel vector), a point of rank 7
    assert g("3,2,1", "t^3+1") == 7
    # 2,2,1, t^2/2 + t - 1: f = Q/2 + l - (c1 + c2); Lemma Q keeps its vector (the constant
    # condition is implied): g = 5 of 6, although A' = 6
    assert g("2,2,1", "1/2*t^2+t-1") == 5
    # 2,3,1, t^4 + t with biases: N' = 13, Lemma R: one vector: g = 12
    assert g("2,3,1", "t^4+t", True) == 12
