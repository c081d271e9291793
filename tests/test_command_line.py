"""The command line's contract (proofs/README.md, "Conventions"): JSON keys, and
bad input exits 2 with one line on stderr."""

import json

import pytest


def test_rank_json_keys(cli_json):
    out = cli_json("rank", "2,3,2,1", "--degree", "4")
    for key in ["arch", "degree", "params", "hidden", "ambient", "expected", "generic_rank",
                "certificate", "prime", "seed"]:
        assert key in out
    assert (out["params"], out["hidden"], out["ambient"]) == (14, 5, 17)   # by hand
    assert out["generic_rank"] == 9 and out["certificate"] == "exact"


def test_point_at_a_duplicate_neuron(cli_json):
    # f = 2 (x1)^3: two neurons with the same row; rank by hand: 2 <= 4 = g.
    out = cli_json("point", "2,2,1", "--degree", "3", "--weights", "[[[1,0],[1,0]],[[1,1]]]")
    for key in ["rank", "generic_rank", "critical", "subnetwork", "strata"]:
        assert key in out
    assert out["critical"] is True and out["subnetwork"] is True
    assert out["strata"] == ["C_{1,0,1}"]


def test_point_generic(cli_json):
    out = cli_json("point", "2,2,1", "--degree", "3", "--weights", '[[[1,0],[0,"1/2"]],[[1,1]]]')
    assert out["rank"] == 4 and out["critical"] is False and out["subnetwork"] is False


@pytest.mark.parametrize("args,needle", [
    (["rank", "2,0,1", "--degree", "2"], "width"),
    (["rank", "2,x,1", "--degree", "2"], "architecture"),
    (["rank", "2,1", "--degree", "2"], "L >= 2"),
    (["rank", "2,2,1", "--degree", "0"], "degree"),
    (["rank", "2,2,1", "--degree", "2", "--prime", "15"], "not prime"),
    (["rank", "2,2,1", "--degree", "2", "--prime", "2147483647"], "too large"),
    (["point", "2,2,1", "--degree", "2", "--weights", "[[1]]"], "matrices"),
    (["point", "2,2,1", "--degree", "2", "--weights", '[[[1,0],[0,1]],[["a",1]]]'], "rational"),
    (["point", "2,2,1", "--degree", "2", "--weights", "[[[1,0],[0,1]],[[1.5,1]]]"], "exact"),
    (["point", "2,2,1", "--degree", "2", "--weights", "[[[1,0],[0,1]],[[1,1,1]]]"], "1x2"),
    (["point", "2,2,1", "--degree", "2", "--weights", "{"], "JSON"),
    (["nonsense"], "invalid choice"),
])
def test_bad_input_exits_2_with_one_line(cli, args, needle):
    code, out, err = cli(*args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and needle in err
