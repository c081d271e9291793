"""verify/run/report.py (issue 12): a quick report opens with the architecture x degree grid,
stays under 30 KB, links only to files that exist, has no timing, is byte-identical when
written again, and every witness it lists is re-checked by the command printed next to it."""

import json
import re
import shlex
from pathlib import Path

import pytest

from verify.cli import main
from verify.run.report import (MAX_REPORT_BYTES, grid_cell, render_markdown, strength,
                               verdict_of, write_report)


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory):
    d = tmp_path_factory.mktemp("quick") / "report"
    assert main(["sweep", "--quick", "--no-progress", "--report", str(d)]) == 0
    return d


def test_report_starts_with_the_grid_and_a_legend(quick_report):
    text = (quick_report / "REPORT.md").read_text()
    sections = [l for l in text.splitlines() if l.startswith("## ")]
    assert sections[0] == "## Verdicts: architecture x degree"
    after = text.split(sections[0], 1)[1].lstrip().splitlines()
    assert after[0].startswith("| architecture | r* | r=2 |")
    assert "Letters: H holds, F fails, ? undecided" in text
    assert "**Q** proved over Q" in text and "**g** generic rank only a lower bound" in text
    assert "![verdict grid](verdict_grid.png)" in text
    for name in ("verdict_grid", "rank_drops", "thresholds"):
        assert (quick_report / f"{name}.png").exists() and (quick_report / f"{name}.svg").exists()


def test_report_is_small_and_has_no_timing(quick_report):
    raw = (quick_report / "REPORT.md").read_bytes()
    assert len(raw) < 30_000
    text = raw.decode()
    results = json.loads((quick_report / "results.json").read_text())
    assert "seconds" not in json.dumps(results)
    assert "seconds" not in text
    assert re.search(r"commit `[0-9a-f]{40}`|commit `unknown`", text)
    assert "CPUs" in text and "Python" in text and "Sage" in text


def test_every_link_of_the_report_exists(quick_report):
    text = (quick_report / "REPORT.md").read_text()
    links = set(re.findall(r"\]\(([^)#]+)\)", text))
    assert "proofs/converse.md" in links and "proofs/strata.md" in links
    for link in links:
        assert (quick_report / link).exists(), link


def test_report_is_byte_identical_when_written_again(quick_report, tmp_path):
    """Same records -> same bytes (the sweep itself is re-run by tests/test_sweep_resume.py)."""
    records = json.loads((quick_report / "results.json").read_text())["cases"]
    for d in ("a", "b"):
        write_report([{"record": r, "seconds": {"total": 1.0}} for r in records], tmp_path / d, "quick")
    for f in ("REPORT.md", "results.json", "verdict_grid.svg", "verdict_grid.png", "rank_drops.svg",
              "thresholds.svg"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_every_witness_is_rechecked_by_its_printed_command(quick_report, monkeypatch, capsys):
    text = (quick_report / "REPORT.md").read_text()
    commands = re.findall(r"`(python -m verify check-witness [^`]+)`", text)
    assert commands, "the quick catalogue has witnesses (2,2,2 r=2 at least)"
    monkeypatch.chdir(quick_report)
    for cmd in commands:
        argv = shlex.split(cmd)[3:]
        capsys.readouterr()
        assert main(argv + ["--json"]) == 0, cmd
        out = json.loads(capsys.readouterr().out)
        assert out["verified"] is True and out["reproduces_record"] is True
        assert out["witness_id"] == argv[-1]
        assert out["rank"] < out["generic_rank"] and out["strata"] == []


def test_reproduce_commands_reproduce_the_converse(quick_report, capsys):
    results = json.loads((quick_report / "results.json").read_text())
    text = (quick_report / "REPORT.md").read_text()
    commands = re.findall(r"`(python -m verify converse [^`]+)`", text)
    assert commands
    by = {(c["arch"], c["degree"]): c for c in results["cases"]}
    for cmd in commands[:3] + [c for c in commands if "2,2,2 --degree 2" in c]:
        argv = shlex.split(cmd)[3:]
        capsys.readouterr()
        assert main(argv + ["--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        rec = by[(argv[1], int(argv[3]))]
        assert out["verdict"] == rec["converse"]["verdict"]


# --- the same code on records of other shapes (no sweep) ------------------------------------


def _record(arch, r, verdict, certificate="proved-over-Q", **extra):
    rec = {"arch": arch, "widths": [int(x) for x in arch.split(",")], "degree": r,
           "verdict": verdict, "certificate": certificate, "contradicts_theorem": False,
           "generic_rank": {"value": 4, "certificate": "exact"}, "converse": {"witnesses": []}}
    rec.update(extra)
    return rec


def test_strength_letters_and_old_verdicts():
    assert strength({"certificate": "proved-over-Q"}) == "Q"
    assert strength({"certificate": "exhaustive-GF(101)"}) == "p"
    assert strength({"certificate": "probabilistic"}) == "e"
    assert strength({"certificate": "lower-bound"}) == "g"
    assert verdict_of({"verdict": "inconclusive"}) == "undecided"
    assert grid_cell({"verdict": "holds", "certificate": "exhaustive-GF(7)"}) == "H p"
    assert grid_cell({"verdict": "inconclusive"}) == "?"


def test_records_of_tomorrow_render(tmp_path):
    """Top-level crit_in_sub / sub_in_crit with coverage and witness ids, undecided verdicts."""
    recs = [
        _record("2,2,1", 3, "holds",
                crit_in_sub={"holds": True, "certificate": "proved-over-Q", "coverage": "all-codimensions",
                             "method": "symbolic", "witness_ids": []},
                sub_in_crit={"holds": True, "certificate": "kernel-vectors", "coverage": "every stratum"}),
        _record("2,2,1", 4, "undecided", certificate=None,
                crit_in_sub={"holds": None, "certificate": None, "coverage": "codimensions 1",
                             "method": "slice", "witness_ids": []}),
        _record("2,2,1", 5, "inconclusive", certificate=None),
        _record("2,2,1", 6, "timed-out", certificate=None),
    ]
    results = write_report([{"record": r, "seconds": {"total": 1.5}} for r in recs], tmp_path, "demo")
    text = (tmp_path / "REPORT.md").read_text()
    assert results["counts"] == {"holds": 1, "timed-out": 1, "undecided": 2}
    assert "codimensions 1" in text and "| ? |" in text and "1.5" not in text


def test_a_large_catalogue_stays_under_the_limit():
    recs = [_record(f"2,{d},{e},1", r, "holds", crit_in_sub={"holds": True, "certificate": "proved-over-Q"},
                    sub_in_crit={"holds": True, "certificate": "kernel-vectors"})
            for d in range(2, 8) for e in range(2, 6) for r in range(2, 10)]
    results = {"catalogue": "big", "suite": "x", "counts": {"holds": len(recs)}, "certificates": {},
               "contradictions": [], "cases": recs, "architectures": {},
               "non_subnetwork_critical_points": []}
    text = render_markdown(results, [], env={"commit": "unknown", "seeds": [0], "sage": "s",
                                             "passagemath": "p", "python": "3.11", "cpus": 2})
    assert len(text.encode()) < MAX_REPORT_BYTES
    assert "| 2,3,4,1 | 2-9 |" in text


def test_an_exhaustive_case_names_each_prime_and_its_class():
    # issue 21: REPORT.md's Crit-in-Sub cell of an exhaustive case names every prime with the
    # roots of unity it has and lacks (19 - 1 = 18 = 2 * 9: cube roots, no i)
    from verify.crit_in_sub.exhaustive import prime_class
    from verify.run.report import _prime_classes
    rec = {"converse": {"details": {"prime_classes": [prime_class(17, 4), prime_class(19, 4)]}}}
    text = _prime_classes(rec)
    assert "17 = 2 mod 3, 1 mod 4" in text and "lacks cube roots of unity" in text
    assert "19 = 1 mod 3, 3 mod 4" in text and "lacks i" in text
    assert _prime_classes({"converse": {"details": {}}}) == ""
