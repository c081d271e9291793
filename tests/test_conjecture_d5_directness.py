"""proofs/threshold.md, section 15, Conjecture D5: directness of the second layer over the
lines x, y, x + y (verify.theorem.directness).

The conjecture is not proved; these tests check the tools that gather its evidence and the
facts around it that are proved: the exact rank over QQ at structured triples at r = 5 (the
conjecture says 18; a counterexample among them would fail the test), Lemma D3's failure of
pencils at r = 4 and Theorem T3's directness at r = 6, the Frobenius failure over GF(19) that
makes the search refuse p <= r^2 (derived by hand below), and the batched search against Sage's
rank over GF(p), a second implementation."""

import random

import pytest

from verify.core.errors import InputError
from verify.theorem.directness import directness_rank, directness_search_mod_p

IDENTITY = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
STRUCTURED_R5 = [
    IDENTITY,                                   # x^20, y^20, (x + y)^20
    [[1, -1, 0], [0, 1, -1], [1, 1, 1]],        # x^5 - y^5, y^5 - (x + y)^5: roots of unity
    [[1, 1, -1], [1, 0, 0], [0, 1, 0]],         # x^5 + y^5 - (x+y)^5 = -5xy(x+y)(x^2+xy+y^2)
    [[1, 1, -1], [1, -1, 0], [0, 1, 1]],        # the same factor beside binomials
    [[1, 1, 1], [1, 2, 4], [1, 3, 9]],          # Vandermonde rows
    [[0, 1, 1], [1, 0, 1], [1, 1, 0]],          # each row misses one line
]


@pytest.mark.parametrize("rows", STRUCTURED_R5)
def test_structured_triples_at_r5_are_direct_over_QQ(rows):
    assert directness_rank(rows, 5) == 18


def test_seeded_triples_at_r5_are_direct_over_QQ():
    rng = random.Random(5)
    for _ in range(5):
        rows = [[rng.randint(-9, 9) for _ in range(3)] for _ in range(3)]
        assert directness_rank(rows, 5) == 18, rows


def test_pencils_fail_at_r4_and_invertible_rows_are_direct_at_r6():
    # Lemma D3 (m = 3, n' = 4, c = 4): direct iff 2 (floor(4/4) + 1) = 4 <= r - 1 = 3: not direct
    assert directness_rank([[1, 0, 0], [0, 1, 0], [1, 1, 0]], 4) < 15
    # Theorem T3 at r = 6 (m = s = 3: (6 - 1 - 3) 6 + 2 = 14 > 12): direct, rank 3 (6 + 1) = 21
    assert directness_rank(IDENTITY, 6) == 21


def test_frobenius_failure_below_r_squared():
    # Over GF(19), (x + y)^20 = (x + y)(x^19 + y^19) = x^20 + x^19 y + x y^19 + y^20, so
    # x^4 y (x + y)^20 = (x^4 y + x^3 y^2) x^20 + (x^5 + x^4 y) y^20: a relation with B of
    # degree 5, and the rank drops below 18 mod 19 (and mod 23), not over QQ.
    assert directness_rank(IDENTITY, 5, p=19) < 18
    assert directness_rank(IDENTITY, 5) == 18
    with pytest.raises(InputError, match="must exceed r\\^2 = 25"):
        directness_search_mod_p(5, 19)


def test_the_batched_search_agrees_with_sage_over_GFp():
    p, r = 17, 4
    found = directness_search_mod_p(r, p, first_points=range(0, 1))
    assert found["triples"] == found["rank_3"] + found["rank_2"] > 0
    failures = found["failures"]
    assert failures                                          # r = 4: pencils fail (Lemma D3)
    rng = random.Random(0)
    for f in rng.sample(failures, 20):
        assert directness_rank(f["rows"], r, p=p) == f["rank"] < 15
    failing = {tuple(map(tuple, f["rows"])) for f in failures}
    points = [(1, a, b) for a in range(p) for b in range(p)] + [(0, 1, b) for b in range(p)] + [(0, 0, 1)]
    checked = 0
    while checked < 20:
        j, k = sorted(rng.sample(range(1, len(points)), 2))
        rows = (points[0], points[j], points[k])
        if any(all(row[c] == 0 for row in rows) for c in range(3)):
            continue                                         # a zero column: not searched
        if rows not in failing:
            assert directness_rank([list(x) for x in rows], r, p=p) == 15
            checked += 1


def test_no_failure_at_r5_over_GF29_on_a_slice():
    found = directness_search_mod_p(5, 29, first_points=range(0, 1))
    assert found["failures"] == [] and found["triples"] > 300000


@pytest.mark.parametrize("w2,expected", [
    ([[1, 2, 3], [2, -1, 1], [3, 1, 4]], 12),      # invertible
    ([[1, 0, 1], [1, 1, 2], [1, 2, 3]], 12),       # rank 2, no zero column
    ([[1, 0, 0], [0, 1, 0], [1, 1, 0]], 11),       # a zero column: the third line's direction lost
])
def test_truncated_rank_of_2_3_3_at_r5(w2, expected):
    # converse.md section 9.2 ("Open"): im J' = U^3 + W_2 (l_j^4 m_j)_j has dimension 9 + (the number
    # of nonzero columns of W_2), since l_j^4 n_j (n_j independent of l_j) are a basis of V_5 / U
    from verify.core.architecture import Architecture
    from verify.core.rank import rank_over_QQ
    from verify.core.weights import parse_weights
    a = Architecture.parse("2,3,3")
    assert rank_over_QQ(a, 5, parse_weights(a, [[[1, 0], [0, 1], [1, 1]], w2])) == expected


def test_the_command_resumes_from_its_checkpoint(tmp_path, capsys):
    import json
    from verify.cli import main
    ck = tmp_path / "d.json"
    assert main(["directness", "--degree", "2", "--prime", "5", "--quiet", "--json"]) == 0
    fresh = json.loads(capsys.readouterr().out)
    assert fresh["triples"] > 0 and fresh["failures"]     # r = 2: 9 unknowns, V_4 has 5: all fail
    assert len(fresh["failures"]) == fresh["triples"]
    # the certificate says what GF(5) lacks: 5 = 2 mod 3, 1 mod 4 (no cube roots of unity)
    assert "lacks cube roots of unity" in fresh["certificate"]
    # a run stopped after some pieces: keep the first pieces of a full checkpointed run
    assert main(["directness", "--degree", "2", "--prime", "5", "--quiet", "--json",
                 "--checkpoint", str(ck)]) == 0
    capsys.readouterr()
    state = json.loads(ck.read_text())
    assert state["next_point"] == 31
    partial = directness_search_mod_p(2, 5, first_points=range(0, 10))
    state.update(next_point=10, rank_3=partial["rank_3"], rank_2=partial["rank_2"],
                 failures=partial["failures"])
    ck.write_text(json.dumps(state))
    assert main(["directness", "--degree", "2", "--prime", "5", "--quiet", "--json",
                 "--checkpoint", str(ck)]) == 0
    resumed = json.loads(capsys.readouterr().out)
    assert {k: resumed[k] for k in ("triples", "rank_3", "rank_2", "failures")} == \
        {k: fresh[k] for k in ("triples", "rank_3", "rank_2", "failures")}
    # a checkpoint of another search is refused in one line
    assert main(["directness", "--degree", "3", "--prime", "11", "--checkpoint", str(ck)]) == 2
    assert "is for another search" in capsys.readouterr().err
    # a crafted checkpoint is refused in one line, not a traceback
    for bad in ({"next_point": -1}, {"next_point": 10 ** 9}, {"failures": "x"}, {"rank_3": 1.5}):
        ck.write_text(json.dumps({"degree": 2, "prime": 5, **bad}))
        assert main(["directness", "--degree", "2", "--prime", "5", "--checkpoint", str(ck)]) == 2
        assert "not a checkpoint of this command" in capsys.readouterr().err
