"""The files of a report folder (issue 23): every one honours the umask like the figures
(0644 under umask 022, 0600 under 077; mkstemp alone gave 0600), and the case table and
the witnesses exported as CSV and LaTeX (cases.csv, cases.tex, witnesses.csv,
witnesses.tex) read back to the values of results.json."""

import csv
import io
import json
import os
import re
import stat

import pytest

from verify.run.cache import CaseCache
from verify.run.case_process import failed_record
from verify.run.catalogue import CaseSpec
from verify.run.report import write_report


@pytest.fixture(scope="module")
def entries():
    """Three records: a witness (2,2,2 at r = 2 fails with a critical point outside Sub), a
    case that holds (2,2,1 at r = 3), and a partial one (a stopped case with no parts)."""
    from verify.theorem.case import run_case
    recs = [run_case("2,2,2", 2), run_case("2,2,1", 3),
            failed_record(CaseSpec("2,3,1", 4, timeout=5), "timed-out",
                          "no result within 5 s (it was running: strata)")]
    for r in recs:
        r.pop("seconds", None)
    return [{"record": r, "seconds": {}} for r in recs]


def _modes(folder):
    out = {}
    for root, dirs, files in os.walk(folder):
        for f in files:
            path = os.path.join(root, f)
            out[os.path.relpath(path, folder)] = stat.S_IMODE(os.stat(path).st_mode)
    return out


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_every_report_file_honours_the_umask(tmp_path, entries, umask, mode):
    old = os.umask(umask)
    try:
        write_report(entries, tmp_path / "r", "modes")
        cache = CaseCache(tmp_path / "r" / "cache" / "cases.jsonl")
        cache.append({"key": "a", "inputs": {}, "record": {"verdict": "holds"}, "seconds": {}})
        cache.compact(cache.load())                        # rewritten through mkstemp
    finally:
        os.umask(old)
    modes = _modes(tmp_path / "r")
    for name in ("REPORT.md", "results.json", "timings.json", "catalogue.md", "cases.csv",
                 "cases.tex", "witnesses.csv", "witnesses.tex", "proofs/README.md",
                 "cache/cases.jsonl"):
        assert name in modes, name
    assert any(n.endswith(".png") for n in modes)           # the figures are the yardstick
    assert {n: m for n, m in modes.items() if m != mode} == {}
    assert not [n for n in modes if n.endswith(".tmp")]


def _tex_rows(text):
    """The body rows of a longtable written by verify.run.export, unescaped."""
    body = text.split("\\endhead\n", 1)[1].split("\\hline\n\\end{longtable}", 1)[0]
    unescape = {r"\textbackslash{}": "\\", r"\{": "{", r"\}": "}", r"\$": "$", r"\&": "&",
                r"\#": "#", r"\^{}": "^", r"\_": "_", r"\%": "%", r"\~{}": "~"}
    pattern = re.compile("|".join(re.escape(k) for k in unescape))
    rows = []
    for line in body.splitlines():
        assert line.endswith(" \\\\")
        cells = re.split(r"(?<!\\) & ", line[:-3])           # an escaped \& is not a separator
        rows.append([pattern.sub(lambda m: unescape[m.group(0)], c) for c in cells])
    return rows


def _cell(v):
    return "" if v is None else ("true" if v is True else "false" if v is False else str(v))


def test_exports_read_back_to_results_json(tmp_path, entries):
    write_report(entries, tmp_path / "r", "export")
    d = tmp_path / "r"
    results = json.loads((d / "results.json").read_text())
    with open(d / "cases.csv", newline="") as f:
        cases = list(csv.DictReader(f))
    assert len(cases) == len(results["cases"]) == 3
    for row, rec in zip(cases, results["cases"]):
        # expected values straight from results.json, field by field
        assert row["arch"] == rec["arch"] and int(row["degree"]) == rec["degree"]
        assert row["verdict"] == rec["verdict"]
        assert row["certificate"] == _cell(rec.get("certificate"))
        assert row["generic_rank"] == _cell((rec.get("generic_rank") or {}).get("value"))
        assert row["sub_in_crit"] == _cell(rec["sub_in_crit"]["holds"])
        assert row["crit_in_sub"] == _cell(rec["crit_in_sub"]["holds"])
        assert row["proven_threshold"] == _cell(rec.get("proven_threshold"))
        assert row["contradicts_theorem"] == _cell(rec.get("contradicts_theorem"))
        assert row["partial"] == _cell((rec.get("partial") or {}).get("reason"))
        ws = (rec.get("converse") or {}).get("witnesses") or []
        assert row["witnesses"].split() == [w["id"] for w in ws]
    by_arch = {r["arch"]: r for r in cases}
    assert by_arch["2,2,2"]["verdict"] == "fails" and by_arch["2,2,1"]["verdict"] == "holds"
    assert by_arch["2,3,1"]["partial"].startswith("no result within 5 s")

    with open(d / "witnesses.csv", newline="") as f:
        wits = list(csv.DictReader(f))
    expected = [(rec, w) for rec in results["cases"]
                for w in (rec.get("converse") or {}).get("witnesses") or []]
    assert len(wits) == len(expected) >= 1
    for row, (rec, w) in zip(wits, expected):
        assert row["id"] == w["id"] and row["arch"] == rec["arch"]
        assert int(row["degree"]) == rec["degree"] and row["field"] == (w.get("field") or "QQ")
        assert int(row["rank"]) == w["rank"] and int(row["generic_rank"]) == w["generic_rank"]
        assert json.loads(row["weights"]) == w["weights"]
        assert int(row["rank"]) < int(row["generic_rank"])           # critical, by definition

    # The LaTeX tables hold the same cells as the CSV files (weights: short ones only).
    csv_rows = lambda name: list(csv.reader(io.StringIO((d / name).read_text(), newline="")))[1:]
    assert _tex_rows((d / "cases.tex").read_text()) == csv_rows("cases.csv")
    tex_w = _tex_rows((d / "witnesses.tex").read_text())
    for t, c in zip(tex_w, csv_rows("witnesses.csv")):
        assert t[:-1] == c[:-1] and t[-1] in (c[-1], "(in witnesses.csv)")
    assert len(tex_w) == len(wits)
    # byte-identical when written again from the same records
    before = {n: (d / n).read_bytes() for n in ("cases.csv", "cases.tex", "witnesses.csv", "witnesses.tex")}
    write_report(entries, d, "export")
    assert before == {n: (d / n).read_bytes() for n in before}
