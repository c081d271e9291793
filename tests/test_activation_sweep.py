"""Issue 22, the sweep of general activations (proofs/activations.md): the catalogue keys
``activations`` and ``biases``, the monomial t^r through them (same specs, same cache keys,
byte-identical reports), a tiny general sweep end to end with its comparison report, resume
from the cache, a stopped general case (partial record), and bad input (one line, exit 2).

Expected values are by hand: the cache key of a monomial case is recomputed here from its
definition (sha256 of the inputs and the suite version), and the generic ranks of 2,2,1 with
s = t^2 + t are those of the issue (5 of 6 parameters without biases; 6 of 9 with biases,
every polynomial of degree <= 2 in two variables: the ambient dimension)."""

import hashlib
import json
from pathlib import Path

import pytest

from conftest import refused_with_one_line, run_cli
from verify.run.catalogue import CaseSpec, expand_cases, load_catalogue


def _specs(**entry):
    return expand_cases([{"arch": "2,2,1", **entry}])


# --- the catalogue keys ----------------------------------------------------------------------

def test_activations_default_to_the_monomials_of_the_degrees():
    plain = _specs(degrees="2-3")
    same = _specs(activations=["t^2", "t^3"], biases=[False])
    assert plain == same and [s.activation for s in same] == [None, None]
    assert [s.inputs() for s in plain] == [s.inputs() for s in same]
    assert all(set(s.inputs()) == {"arch", "degree", "seed", "prime", "method"} for s in same)


def test_monomial_cache_key_is_the_old_one():
    # the definition of the key before issue 22, recomputed by hand
    suite = "0.1.0+test"
    by_hand = hashlib.sha256(json.dumps({"arch": "2,2,1", "degree": 3, "seed": 0, "prime": None,
                                         "method": "auto", "suite": suite},
                                        sort_keys=True).encode()).hexdigest()[:24]
    for spec in (CaseSpec("2,2,1", 3), CaseSpec("2,2,1", 3, activation="t^3"),
                 CaseSpec("2,2,1", 99, activation=" t^3 ", biases=False)):
        assert spec.key(suite) == by_hand


def test_general_specs_and_their_keys():
    specs = _specs(activations=["t + t^2", "t^3"], biases=[True, False])
    labels = [s.label for s in specs]
    assert labels == ["2,2,1 s=t^2 + t", "2,2,1 s=t^2 + t, biases", "2,2,1 r=3", "2,2,1 s=t^3, biases"]
    general = [s for s in specs if s.general]
    assert [(s.activation, s.biases, s.degree) for s in general] == \
        [("t^2 + t", False, 2), ("t^2 + t", True, 2), ("t^3", True, 3)]
    keys = {s.key("v") for s in specs}
    assert len(keys) == 4                                  # biases and activation are in the key
    assert CaseSpec("2,2,1", 2, activation="t^2+t").key("v") == \
        CaseSpec("2,2,1", 2, activation="t + t^2").key("v")   # the canonical text is keyed
    assert CaseSpec("2,2,1", 2, activation="t^2+t").inputs()["activation"] == "t^2 + t"
    assert CaseSpec("2,2,1", 2, activation="1/2*t^2+t").key("v") != \
        CaseSpec("2,2,1", 2, activation="t^2+t").key("v")


def test_defaults_and_the_entry_own_key():
    cat = [{"arch": "2,2,1", "degrees": 2}, {"arch": "2,3,1"}]
    specs = expand_cases(cat, {"activations": ["t^2 + t"], "biases": [True]})
    # the first entry's own degrees win over [defaults]' activations; [defaults]' biases apply
    assert [(s.arch, s.activation, s.biases) for s in specs] == [("2,2,1", "t^2", True),
                                                                  ("2,3,1", "t^2 + t", True)]
    specs = expand_cases([{"arch": "2,2,1", "activations": "t^3 + t", "biases": True}])
    assert [(s.activation, s.degree, s.biases) for s in specs] == [("t^3 + t", 3, True)]


def test_the_activations_catalogue():
    path = Path(__file__).resolve().parents[1] / "verify/run/catalogue-activations.toml"
    name, specs = load_catalogue(path)
    assert name == "activations"
    archs = {s.arch for s in specs}
    assert len(archs) >= 10 and all(int(a.split(",")[0]) >= 2 for a in archs)
    general = {s.activation for s in specs if s.general and s.activation not in ("t^2", "t^3")}
    assert len(general) >= 3
    for arch in archs:                                    # each with and without biases,
        for s in general:                                 # and the monomial of its degree
            mine = [x for x in specs if x.arch == arch and x.activation == s]
            assert sorted(x.biases for x in mine) == [False, True]
            k = mine[0].degree
            assert any(x.arch == arch and x.degree == k and x.activation is None for x in specs)
    assert all(s.timeout is not None and s.timeout <= 60 for s in specs)


# --- bad input: one line, exit 2 ---------------------------------------------------------------

@pytest.mark.parametrize("body,needle", [
    ('activations = ["sqrt(2)*t"]', "only variable is t"),
    ('activations = ["sin(t)"]', "only variable is t"),
    ('activations = ["x^2 + 1"]', "only variable is t"),
    ('activations = ["7"]', "degree >= 1"),
    ('activations = []', "activations must be a non-empty list"),
    ('activations = [2]', "activations must be texts"),
    ('activations = ["t^2"]\ndegrees = 2', "not both"),
    ('activations = ["t^2"]\nbiases = "yes"', "biases must be a list of true/false"),
    ('activations = ["t^2"]\nbiases = [1]', "biases must be a list of true/false"),
    ('activations = ["t^2"]\nbiases = []', "biases must be a list of true/false"),
    ('degrees = 2\nbiases = [true, "no"]', "biases must be a list of true/false"),
])
def test_bad_catalogue_entries(tmp_path, capsys, body, needle):
    cat = tmp_path / "bad.toml"
    cat.write_text(f'[[case]]\narch = "2,2,1"\n{body}\n')
    err = refused_with_one_line(["sweep", "--catalogue", cat, "--report", tmp_path / "r"], capsys)
    assert needle in err


@pytest.mark.parametrize("argv,needle", [
    (["sweep", "--activation", "t^2+t"], "go with --arch"),
    (["sweep", "--biases"], "go with --arch"),
    (["sweep", "--arch", "2,2,1", "--activation", "t^2+t", "--degrees", "2"], "not both"),
    (["sweep", "--arch", "2,2,1", "--activation", "exp(t)"], "only variable is t"),
    (["strata", "2,2,1", "--activation", "1/0*t"], "division by zero"),
    (["converse", "2,2,1", "--activation", "t^2", "--degree", "2"], "not both"),
    (["converse", "2,2,1", "--activation", "t^2+t", "--method", "slice", "--lines", "2"], "not available"),
])
def test_bad_command_lines(tmp_path, capsys, argv, needle):
    argv = argv + (["--report", tmp_path / "r"] if argv[0] == "sweep" else [])
    assert needle in refused_with_one_line(argv, capsys)


# --- sweeps end to end ---------------------------------------------------------------------------

def _sweep(tmp_path, name, toml, *extra):
    cat = tmp_path / f"{name}.toml"
    cat.write_text(toml)
    report = tmp_path / name
    code, out, err = run_cli("sweep", "--catalogue", cat, "--report", report, "--jobs", 2, *extra)
    return code, out, err, report


def test_monomials_through_the_new_keys_are_byte_identical(tmp_path):
    head = 'name = "m"\n[defaults]\ntimeout = 120\n'
    a = _sweep(tmp_path, "plain", head + '[[case]]\narch = "2,2,1"\ndegrees = "2-3"\n'
               '[[case]]\narch = "2,2,2"\ndegrees = 2\n')
    b = _sweep(tmp_path, "keys", head + 'activations = ["t^2", "t^3"]\nbiases = [false]\n'
               '[[case]]\narch = "2,2,1"\n[[case]]\narch = "2,2,2"\nactivations = ["t^2"]\n')
    assert a[0] == b[0] == 0, (a[2][-500:], b[2][-500:])
    for f in ("REPORT.md", "results.json", "cases.csv", "witnesses.csv", "catalogue.md"):
        assert (a[3] / f).read_bytes() == (b[3] / f).read_bytes(), f
    assert not (b[3] / "ACTIVATIONS.md").exists()
    assert "activations" not in json.loads((b[3] / "results.json").read_text())
    keys = lambda r: sorted(json.loads(l)["key"] for l in (r / "cache/cases.jsonl").open())
    assert keys(a[3]) == keys(b[3]) and len(keys(a[3])) == 3


GENERAL = ('name = "g"\n[[case]]\narch = "2,2,1"\nactivations = ["t^2", "t^2 + t"]\n'
           'biases = [false, true]\ntimeout = 120\nmethod = "none"\n')


def test_a_tiny_general_sweep_and_its_comparison(tmp_path):
    code, out, err, report = _sweep(tmp_path, "g", GENERAL, "--no-progress")
    assert code == 0, err[-800:]
    res = json.loads((report / "results.json").read_text())
    assert [c["arch"] + f" r={c['degree']}" for c in res["cases"]] == ["2,2,1 r=2"]
    cases = {(c["activation"], c["biases"]): c for c in res["activations"]["cases"]}
    assert sorted(cases) == [("t^2", True), ("t^2 + t", False), ("t^2 + t", True)]
    g = {k: (c["generic_rank"]["value"], c["generic_rank"]["certificate"]) for k, c in cases.items()}
    assert g[("t^2 + t", False)] == (5, "exact") and g[("t^2 + t", True)] == (6, "exact")
    assert all(c["contradicts_theorem"] is False for c in cases.values())
    (row,) = res["activations"]["comparison"]
    assert (row["arch"], row["degree"]) == ("2,2,1", 2)
    assert [(c["activation"], c["biases"]) for c in row["cells"]] == \
        [("t^2", False), ("t^2", True), ("t^2 + t", False), ("t^2 + t", True)]
    assert row["cells"][0]["g"] == 3                        # t^2 on 2,2,1: g = 3 (REPORT.md)
    md = (report / "ACTIVATIONS.md").read_text()
    assert "## Degree 2" in md and "s = t^2 + t, biases" in md and "g = 6/9 (exact over QQ)" in md
    assert "[ACTIVATIONS.md](ACTIVATIONS.md)" in (report / "REPORT.md").read_text()
    csv = (report / "activations.csv").read_text().splitlines()
    assert csv[0].startswith("arch,degree,activation,biases") and len(csv) == 5
    # the method is none: no converse, so the general cases are undecided, each with its note
    assert all(c["verdict"] in ("undecided", "fails", "outside-theorem") for c in cases.values())
    assert md.count('<a id="note-') == sum(c["verdict"] == "undecided" for c in cases.values())
    assert "general activations and biases" in out and "2,2,1 s=t^2 + t, biases: g = 6" in out
    # resume: a second sweep runs nothing and writes the same files
    before = {f: (report / f).read_bytes() for f in ("results.json", "ACTIVATIONS.md", "activations.csv")}
    lines = (report / "cache/cases.jsonl").read_text().splitlines()
    code, out2, err2 = run_cli("sweep", "--catalogue", tmp_path / "g.toml", "--report", report)
    assert code == 0 and "case(s) to run" not in err2
    assert (report / "cache/cases.jsonl").read_text().splitlines() == lines and len(lines) == 4
    assert {f: (report / f).read_bytes() for f in before} == before
    assert out2 == out


def test_a_stopped_general_case_is_a_partial_record(tmp_path):
    # a case of about a second, stopped after 0.05 s (a fork alone takes tens of milliseconds)
    toml = ('name = "p"\n[[case]]\narch = "3,4,3,1"\nactivations = ["t^3 + t^2"]\nbiases = [true]\n'
            'timeout = 0.05\n')
    code, out, err, report = _sweep(tmp_path, "p", toml, "--jobs", 1)
    assert code == 0, err[-800:]
    assert "[1/1] 3,4,3,1 s=t^3 + t^2, biases: " in err and "partial" in err
    (rec,) = json.loads((report / "results.json").read_text())["activations"]["cases"]
    assert rec["partial"]["stop"] == "timed-out" and rec["activation"] == "t^3 + t^2"
    assert rec["biases"] is True and rec["contradicts_theorem"] is False
    assert rec["params"] == 35 and rec["timeout"] == 0.05   # N' = 12 + 12 + 3 + (4 + 3 + 1)
    assert rec["verdict"] in ("timed-out", "fails")
    md = (report / "ACTIVATIONS.md").read_text()
    assert "partial" in md and "no result within 0.05 s" in md
    timings = json.loads((report / "timings.json").read_text())
    assert list(timings) == ["3,4,3,1 s=t^3 + t^2, biases"]
    # a partial record is rerun by the next sweep (one more line in the cache)
    code, _, err = run_cli("sweep", "--catalogue", tmp_path / "p.toml", "--report", report)
    assert code == 0 and "sweep: 1 case(s) to run" in err
    assert len((report / "cache/cases.jsonl").read_text().splitlines()) == 2


# --- strata and converse with --activation ---------------------------------------------------

@pytest.mark.parametrize("command", ["strata", "converse"])
def test_monomial_activation_is_the_degree_on_strata_and_converse(cli, command):
    for extra in ([], ["--json"]):
        a = cli(command, "2,2,1", "--degree", 3, *extra)
        b = cli(command, "2,2,1", "--activation", "t^3", *extra)
        assert a[0] == b[0] == 0 and _timeless(a[1]) == _timeless(b[1]) and a[1]


def _timeless(text: str) -> str:
    """The output with its wall-clock seconds masked (``in 0.05 s``, ``"seconds": 0.05``)."""
    import re
    text = re.sub(r" in [0-9.]+ s", " in ? s", text)
    return re.sub(r'"(\w*seconds\w*)": [0-9.e+-]+', r'"\1": ?', text)


def test_strata_of_a_general_activation_against_a_point(cli_json):
    out = cli_json("strata", "2,3,1", "--activation", "t^3+t", "--biases")
    g = out["generic_rank"]
    assert (g["value"], g["certificate"], out["params"]) == (10, "exact", 13)   # A' = binom(5, 3)
    assert out["sub_in_crit"]["holds"] is False and out["sub_in_crit"]["failing_strata"] == ["B1"]
    # second method: the exact rank at an integer point of B_{1,0} (outgoing weight 0) is g
    pt = cli_json("point", "2,3,1", "--activation", "t^3+t", "--biases",
                  "--weights", "[[[1,2],[3,-1],[2,5]],[[0,1,-2]]]", "--bias-values", "[[1,-2,3],[4]]")
    assert pt["rank"] == 10 and pt["critical"] is False and pt["strata"] == ["B_{1,0}"]


def test_converse_of_a_general_activation_and_its_witness(cli, cli_json):
    out = cli_json("converse", "2,2,1", "--activation", "t^2+t", "--biases")
    assert out["verdict"] == "fails" and out["crit_in_sub"]["holds"] is False
    w = out["converse"]["witnesses"][0]
    assert w["verified"] and w["strata"] == []
    # second method: the point command at the witness, exactly over QQ
    pt = cli_json("point", "2,2,1", "--activation", "t^2+t", "--biases",
                  "--weights", json.dumps(w["weights"]), "--bias-values", json.dumps(w["biases"]))
    assert pt["rank"] < pt["generic_rank"] == 6 and pt["strata"] == [] and pt["subnetwork"] is False
    code, text, _ = cli("converse", "2,2,1", "--activation", "t^2+t", "--biases")
    assert code == 0 and "2,2,1 s=t^2 + t, biases: " in text and "case verdict: fails" in text


# --- the comparison report from records made by hand -----------------------------------------

def test_comparison_cells_say_what_certifies_them():
    from verify.run.activations_report import activation_results, activations_csv, activations_markdown
    mono = {"arch": "2,2,1", "degree": 3, "verdict": "holds", "certificate": "exhaustive-GF(13,37)",
            "params": 6, "seed": 0, "generic_rank": {"value": 4, "certificate": "exact"}}
    w = lambda fam: {"weights": [[[1, 2], [2, 4]], [[1, 1]]], "verified": True, "strata": [],
                     "rank": 5, "generic_rank": 6, "families": fam, "label": "W_1 rows 0, 1 proportional (x2)"}
    gen = {"arch": "2,2,1", "degree": 3, "activation": "t^3 + t", "biases": False, "params": 6,
           "seed": 7, "prime": 101, "verdict": "fails", "certificate": "proved-over-Q",
           "generic_rank": {"value": 6, "certificate": "lower-bound", "seed": 7, "prime": 101},
           "sub_in_crit": {"holds": False, "failing_strata": ["B1"]},
           "converse": {"witnesses": [w(["P_{1,0,1}"]), w([])]}}
    und = {"arch": "2,2,1", "degree": 3, "activation": "t^3 + t", "biases": True, "params": 9,
           "verdict": "undecided", "reasons": ["Crit in Sub examined on nothing"],
           "generic_rank": {"value": 9, "certificate": "exact"},
           "converse": {"reason": "symbolic converse limited", "prepass": {"points": 25, "witnesses": 0}}}
    block = activation_results([und, gen, mono])
    assert block["counts"] == {"fails": 1, "undecided": 1}
    (row,) = block["comparison"]
    cells = row["cells"]
    assert [(c["activation"], c["biases"]) for c in cells] == [("t^3", False), ("t^3 + t", False),
                                                              ("t^3 + t", True)]
    assert cells[0]["certifies"] == "exhaustive over GF(p), p = 13, 37"
    assert cells[1]["g_certifies"] == "a lower bound (mod p = 101, seed 7)"
    assert (cells[1]["witnesses"], cells[1]["beyond_proportional"]) == (2, 1)
    assert cells[1]["families"] == {"P_{1,i,j}": 1, "W_1 rows i, j proportional": 1}
    md = activations_markdown(block, "hand")
    assert "g = 4/6 (exact over QQ); **holds** (exact over GF(p), p = 13, 37)" not in md
    assert "**holds** (exhaustive over GF(p), p = 13, 37)" in md
    assert "g ≥ 6/6 (a lower bound (mod p = 101, seed 7)); **fails** (exact over QQ); 2 witness(es), " \
           "1 in a P_(l,i,j), 1 beyond; not critical: B1" in md
    assert "**undecided**; [note 1](#note-1)" in md
    assert "symbolic converse limited (pre-pass: 25 structured points, 0 witnesses)" in md
    assert "--activation 't^3 + t' --weights '[[[1,2],[2,4]],[[1,1]]]'" in md
    csv = activations_csv(block).splitlines()
    assert len(csv) == 4 and csv[2].startswith('"2,2,1",3,t^3 + t,false,false,6,6,"a lower bound')
