"""proofs/strata.md, sections 1-2: each stratum's ideal, codimension, parametrisation and
random points agree with each other; the kernel-vector identities hold and wrong vectors
are rejected; every point of a stratum has rank at most the stratum's generic rank."""

import pytest

from verify.core.architecture import Architecture
from verify.sub_in_crit.kernel_vectors import (local_tangent_change, orthogonal_directions,
                                               scaling_directions, stratum_kernel_vectors,
                                               verify_kernel_vectors)
from verify.core.rank import rank_over_QQ
from verify.core.weights import parse_weights
from verify.sub_in_crit.strata import (Stratum, is_subnetwork, representative_strata, strata_containing,
                                       subnetwork_strata)
from verify.sub_in_crit.stratum_rank import strata_records

ARCHS = ["2,2,1", "2,3,2,1", "3,2,2"]


@pytest.mark.parametrize("arch", ARCHS)
def test_codim_by_hand_and_ideal_dimension(arch):
    a = Architecture.parse(arch)
    d = a.widths
    for s, _ in representative_strata(a):
        l = s.layer
        # by hand (MATH.md 3): A kills a row of W_l (d_{l-1} entries), B a column of
        # W_{l+1} (d_{l+1}); C: 2 x d_{l-1} matrices of rank <= 1 have codim d_{l-1} - 1;
        # C' adds a d_{l+1} x 2 rank-one condition.
        hand = {"A": d[l - 1], "B": d[l + 1], "C": d[l - 1] - 1, "C'": d[l - 1] + d[l + 1] - 2}
        assert s.codim(a) == hand[s.kind]
        assert s.ideal(a).dimension() == a.params - hand[s.kind]
        assert len(s.parameter_names(a)) == a.params - hand[s.kind]   # parametrisation is dominant-sized


@pytest.mark.parametrize("arch", ARCHS)
def test_parametrisation_lies_in_the_ideal_and_random_points_on_the_stratum(arch):
    a = Architecture.parse(arch)
    for s, _ in representative_strata(a):
        R, W = s.parametrisation(a)
        flat = [v for M in W for row in M for v in row]
        for g in s.ideal(a).gens():
            assert g(*flat) == 0, s.name
        for seed in range(3):
            P = s.random_point(a, seed=seed, bound=50)
            assert s.contains(P), s.name
            assert s.name in [t.name for t in strata_containing(a, P)] or s.kind == "C'"
            assert is_subnetwork(a, P)


def test_membership_over_QQ_and_GF_p():
    from sage.all import GF, QQ
    a = Architecture.parse("2,2,1")
    # rows (1, 2) and (3, 6) are proportional over QQ; (1, 2) and (3, 1) are not over QQ
    # but are over GF(5) (1*1 - 2*3 = -5).
    assert [s.name for s in strata_containing(a, [[[QQ(1), 2], [3, 6]], [[1, 1]]])] == ["C_{1,0,1}"]
    assert not is_subnetwork(a, [[[QQ(1), 2], [3, 1]], [[1, 1]]])
    F = GF(5)
    assert is_subnetwork(a, [[[F(1), F(2)], [F(3), F(1)]], [[F(1), F(1)]]])


def test_every_stratum_enumerated():
    a = Architecture.parse("2,3,2,1")
    names = [s.name for s in subnetwork_strata(a)]
    # by hand: layer 1 has 3 A, 3 B, 3 C; layer 2 has 2 A, 2 B, 1 C.
    assert len(names) == 9 + 5 and len(set(names)) == len(names)
    assert sum(n for s, n in representative_strata(a) if s.kind != "C'") == len(names)


@pytest.mark.parametrize("arch,r", [("2,3,2,1", 3), ("3,3,2", 4), ("2,2,2,2,1", 2)])
def test_kernel_vector_identities_hold(arch, r):
    a = Architecture.parse(arch)
    for s, _ in representative_strata(a):
        assert verify_kernel_vectors(s, a, r) > 0


@pytest.mark.parametrize("arch,r", [("4,3,2,1", 3), ("2,4,3,1", 2), ("3,3,2", 4)])
def test_identities_hold_on_the_whole_network_not_only_two_layers(arch, r):
    """Lemma K0' (proofs/strata.md): verify_kernel_vectors checks each identity on the
    two-layer network with two inputs; here every vector is checked on the stratum of the
    whole network with all d_{l-1} free inputs, a second route to the same statement."""
    a = Architecture.parse(arch)
    for s, _ in representative_strata(a):
        R, W = s.parametrisation(a)
        first = sum(a.widths[1:s.layer])
        scal = scaling_directions(a, r, W, R)[first: first + a.widths[s.layer]]
        checks = [(s.layer, v) for v in stratum_kernel_vectors(s, a, r, W, R) + scal]
        checks += orthogonal_directions(a, r, W, R)
        for layer, v in checks:
            assert all(p == 0 for p in local_tangent_change(a, r, W, v, R, layer))
        assert verify_kernel_vectors(s, a, r) > 0


def test_wrong_kernel_vectors_are_rejected():
    """The identity check can fail: c^(r-1) instead of c^r in the C family, a column
    direction on B, and a scaling with the wrong exponent are not kernel vectors."""
    a, r = Architecture.parse("2,2,2,1"), 3
    s = Stratum("C", 1, (0, 1))
    R, W = s.parametrisation(a)
    c = R.gen(R.variable_names().index("c"))
    good = stratum_kernel_vectors(s, a, r, W, R)[0]
    bad = good.parent()([v if v != c ** 3 else c ** 2 for v in good])
    assert all(p == 0 for p in local_tangent_change(a, r, W, good, R, 1))
    assert any(p != 0 for p in local_tangent_change(a, r, W, bad, R, 1))
    sb = Stratum("B", 1, (0,))
    R, W = sb.parametrisation(a)
    col = [R.zero()] * a.params
    col[a.weight_index(2, 0, 0)] = R.one()
    assert any(p != 0 for p in local_tangent_change(a, r, W, col, R, 1))
    xi = scaling_directions(a, r + 1, W, R)[1]          # neuron (1, 1), exponent r + 1: wrong
    assert any(p != 0 for p in local_tangent_change(a, r, W, xi, R, 1))
    # Lemma K2 (r = 2): X = D_b E_ab - D_a E_ba works, X = D_b E_ab + D_a E_ba does not.
    layer, v = orthogonal_directions(a, 2, W, R)[0]
    assert layer == 2 and all(p == 0 for p in local_tangent_change(a, 2, W, v, R, 2))
    flip = v.parent()([v[k] if k != a.weight_index(2, 1, 0) and k != a.weight_index(2, 1, 1)
                       else -v[k] for k in range(a.params)])
    assert any(p != 0 for p in local_tangent_change(a, 2, W, flip, R, 2))
    assert orthogonal_directions(a, 3, W, R) == []


@pytest.mark.parametrize("arch,r", [("2,2,1", 3), ("2,3,2,1", 3)])
def test_every_sampled_point_has_rank_at_most_the_generic_one(arch, r):
    """Semicontinuity: exact ranks over QQ at small random points of a stratum never exceed
    the stratum's proved generic rank, and a generic-size point reaches it."""
    a = Architecture.parse(arch)
    recs = {x["stratum"]: x for x in strata_records(a, r)}
    for s, _ in representative_strata(a):
        rho = recs[s.name]["rank_on_stratum"]
        ranks = [rank_over_QQ(a, r, parse_weights(a, s.random_point(a, seed=k, bound=2))) for k in range(3)]
        assert max(ranks) <= rho, s.name
        assert rank_over_QQ(a, r, parse_weights(a, s.random_point(a, seed=9, bound=10 ** 6))) == rho, s.name


def test_strata_command_json(cli_json):
    out = cli_json("strata", "2,3,2,1", "--degree", "4")
    assert out["arch"] == "2,3,2,1" and out["degree"] == 4 and out["generic_rank"] == 9
    assert len(out["records"]) == 7
    for x in out["records"]:
        assert x["certificate"] in ("kernel-vectors", "subnetwork-reduction", "function-field")
        assert x["critical"] is True


def test_strata_command_text_and_bad_input(cli):
    code, out, err = cli("strata", "2,2,1", "--degree", "3")
    assert code == 0 and "A_{1,0}" in out and "kernel-vectors" in out
    code, out, err = cli("strata", "2,2,1", "--degree", "1")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "r >= 2" in err
    code, out, err = cli("strata", "3,3,3,1", "--degree", "3", "--function-field", "always")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "function-field rank limited" in err


@pytest.mark.parametrize("arch,r", [("2,2,1", 3), ("2,2,2,1", 2), ("2,2,2,1", 3), ("2,2,2", 2),
                                    ("3,3,2", 2)])
def test_kernel_vectors_annihilate_the_full_jacobian(arch, r):
    """Second method for Lemma K0: the whole Jacobian over the polynomial ring of the
    stratum's parameters (forward mode, no chain-rule shortcut) times each vector is zero."""
    from verify.core.jacobian import coefficient_jacobian
    from verify.sub_in_crit.kernel_vectors import kernel_vector_matrix
    a = Architecture.parse(arch)
    for s, _ in representative_strata(a):
        R, W = s.parametrisation(a)
        J = coefficient_jacobian(a, r, W, ring=R)
        K = kernel_vector_matrix(s, a, r, W, R)
        assert (J * K.transpose()).is_zero(), s.name


def test_the_two_layer_check_rejects_a_wrong_family(monkeypatch):
    """verify_kernel_vectors can fail: with c^(r-1) in place of c^r in the C family (on a
    network whose first layer has 5 inputs, reduced to 2 by Lemma K0') it raises."""
    import verify.sub_in_crit.kernel_vectors as kv
    right = kv.stratum_kernel_vectors

    def wrong(stratum, arch, r, weights, ring, ratios=None):
        c = kv._ratio(ring)
        return [v.parent()([x if x != c ** r else c ** (r - 1) for x in v])
                for v in right(stratum, arch, r, weights, ring, ratios)]

    kv._local_identities.cache_clear()
    monkeypatch.setattr(kv, "stratum_kernel_vectors", wrong)
    with pytest.raises(AssertionError, match="not a kernel vector"):
        verify_kernel_vectors(Stratum("C", 1, (0, 1)), Architecture.parse("5,2,2,1"), 3)
    kv._local_identities.cache_clear()
