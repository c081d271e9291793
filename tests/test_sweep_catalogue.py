"""The default catalogue covers what issue 6 asks of it, and catalogues given by
the user are read or refused with one line (exit status 2).  Counts are by hand:
N = sum d_l d_(l-1)."""

import pytest

from conftest import run_cli
from verify.run.sweep import DEFAULT_CATALOGUE, CaseSpec, expand_cases, load_catalogue


def weights(widths):
    return sum(a * b for a, b in zip(widths, widths[1:]))


def test_default_catalogue_coverage():
    name, specs = load_catalogue(DEFAULT_CATALOGUE)
    archs = {tuple(map(int, s.arch.split(","))) for s in specs}
    in_scope = {a for a in archs if all(w >= 2 for w in a[:-1])}
    assert len(in_scope) >= 20
    assert all(weights(a) <= 40 for a in archs)
    assert any(len(a) == 3 for a in in_scope) and any(len(a) >= 4 for a in in_scope)  # shallow, deep
    assert any(a[-1] == 1 for a in in_scope) and any(a[-1] >= 2 for a in in_scope)   # outputs
    assert any(a[0] == 2 for a in in_scope) and any(a[0] >= 3 for a in in_scope)     # d_0
    assert set(range(2, 9)) <= {s.degree for s in specs}
    assert any(s.quick for s in specs) and not all(s.quick for s in specs)
    assert any(not all(w >= 2 for w in a[:-1]) for a in archs)      # one outside the theorem


def test_every_proven_threshold_is_in_the_default_or_the_deep_catalogue():
    # issue 11: r*_B and r*_B + 1 of every architecture of the default catalogue are scanned by
    # `make verify` or `make verify-deep` (where the report names what could not be decided)
    from pathlib import Path
    from verify.theorem.threshold import proven_threshold
    _, specs = load_catalogue(DEFAULT_CATALOGUE)
    _, deep = load_catalogue(Path(DEFAULT_CATALOGUE).with_name("catalogue-deep.toml"))
    scanned = {}
    for s in specs + deep:
        scanned.setdefault(s.arch, set()).add(s.degree)
    for arch in {s.arch for s in specs}:
        r_star = proven_threshold(arch)["value"]
        if r_star is not None:
            assert {r_star, r_star + 1} <= scanned[arch], arch


def test_expand_cases_sorts_and_deduplicates():
    specs = expand_cases([{"arch": "2,3,1", "degrees": [3, 2]}, {"arch": "2,2,1", "degrees": "2-3"},
                          {"arch": "2, 2, 1", "degrees": 2}])
    assert [(s.arch, s.degree) for s in specs] == [("2,2,1", 2), ("2,2,1", 3), ("2,3,1", 2),
                                                   ("2,3,1", 3)]
    assert CaseSpec("2,2,1", 2, timeout=5).key() == CaseSpec("2,2,1", 2).key()
    assert CaseSpec("2,2,1", 2, seed=1).key() != CaseSpec("2,2,1", 2).key()


@pytest.mark.parametrize("text,needle", [
    ('[[case]]\narch = "2,2,1"\n', "needs"),
    ('[[case]]\narch = "2,2,1"\ndegrees = "2-3"\ncolour = 1\n', "unknown key"),
    ('[[case]]\narch = "2,2,1"\ndegrees = "2-3"\nmethod = "magic"\n', "method"),
    ('[[case]]\narch = "2,0,1"\ndegrees = "2"\n', "width"),
    ('[[case]\n', "TOML"),
    ('name = "empty"\n', "no [[case]]"),
])
def test_bad_catalogue_exits_2_with_one_line(tmp_path, text, needle):
    cat = tmp_path / "bad.toml"
    cat.write_text(text)
    code, out, err = run_cli("sweep", "--catalogue", cat, "--report", tmp_path / "r", "--no-progress")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and needle in err


def test_arch_and_degrees_on_the_command_line(tmp_path):
    code, out, err = run_cli("sweep", "--arch", "2,2,1", "--degrees", "2,3", "--method", "none",
                             "--report", tmp_path / "r", "--no-progress", "--json")
    assert code == 0, err
    import json
    res = json.loads((tmp_path / "r" / "results.json").read_text())
    assert [(c["arch"], c["degree"]) for c in res["cases"]] == [("2,2,1", 2), ("2,2,1", 3)]
    # g(2,2,1; r) = min(N - H, A) = min(4, r + 1) by hand (binary forms, two neurons)
    assert [c["generic_rank"]["value"] for c in res["cases"]] == [3, 4]
    assert (tmp_path / "r" / "REPORT.md").exists()


@pytest.mark.parametrize("args,needle", [
    (["--arch", "2,2,1", "--catalogue", "x.toml"], "either"),
    (["--arch", "2,2,1", "--method", "magic"], "--method"),
    (["--arch", "2,2,1", "--jobs", "0"], "--jobs"),
    (["--arch", "2,2,1", "--timeout", "-1"], "--timeout"),
    (["--arch", "2,2,1", "--degrees", "2-x"], "degrees"),
    (["--catalogue", "/nonexistent.toml"], "does not exist"),
])
def test_bad_sweep_options_exit_2_with_one_line(tmp_path, args, needle):
    code, out, err = run_cli("sweep", *args, "--report", tmp_path / "r", "--no-progress")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and needle in err



def test_report_summarises_thresholds_and_witnesses_of_the_theorem_folder():
    """The report takes the proven and empirical thresholds and the witness catalogue from
    verify.theorem (not a 'not-run' placeholder)."""
    from verify.run.report import build_results
    from verify.theorem.case import run_case
    rec = run_case("2,2,1", 3, parts=("generic_rank", "threshold"))
    res = build_results([rec], "test")
    arch = res["architectures"]["2,2,1"]
    assert arch["proven"]["value"] == 3
    assert "certificate_text" in arch["empirical"]
    assert res["non_subnetwork_critical_points"] == []
