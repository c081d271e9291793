"""Nothing crashes (issue 13): a corpus of bad inputs across every command and
catalogue file, each refused before any computation with exit status 2 and exactly
one line on stderr (proofs/README.md, "Conventions"; the cost guard of
verify/core/cost.py).

The corpus runs in this process through ``verify.cli.main`` (one Sage import, not one
per input); a few inputs are also run end to end in a subprocess.  Each input must
finish (no timing assertion: the corpus asks for huge cases that would run until
memory is gone if they were not refused, so a regression shows as a hang caught by
the subprocess timeout or by pytest's own duration report).
"""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, refused_with_one_line

BIG = "9" * 5000
DEEP = "[" * 30000 + "]" * 30000
GOOD_W = '[[[1,0],[0,1]],[[1,1]]]'


def _w(entry):
    """Weights of 2,2,1 with one entry replaced (JSON text)."""
    return '[[[1,0],[0,%s]],[[1,1]]]' % entry


RANK = [
    ["rank", "2,0,1", "--degree", "2"], ["rank", "2,x,1", "--degree", "2"],
    ["rank", "2,1", "--degree", "2"], ["rank", "", "--degree", "2"],
    ["rank", "2,,1", "--degree", "2"], ["rank", "-2,2,1", "--degree", "2"],
    ["rank", "2,2,1.5", "--degree", "2"], ["rank", "1e3,2,1", "--degree", "2"],
    ["rank", "2;2;1", "--degree", "2"], ["rank", BIG + ",2,1", "--degree", "2"],
    ["rank", "2,2,1", "--degree", "0"], ["rank", "2,2,1", "--degree", "-1"],
    ["rank", "2,2,1", "--degree", "x"], ["rank", "2,2,1", "--degree", "1.5"],
    ["rank", "2,2,1", "--degree", "nan"], ["rank", "2,2,1", "--degree", "inf"],
    ["rank", "2,2,1", "--degree", ""], ["rank", "2,2,1", "--degree", BIG],
    ["rank", "2,2,1", "--degree", "1e9"], ["rank", "2,2,1"],
    ["rank", "2,2,1", "--degree", "3", "--prime", "2"],
    ["rank", "2,2,1", "--degree", "3", "--prime", "3"],
    ["rank", "2,2,1", "--degree", "3", "--prime", "5"],
    ["rank", "2,2,1", "--degree", "3", "--prime", "7", "--trials", "4"],
    ["rank", "2,2,1", "--degree", "2", "--prime", "15"],
    ["rank", "2,2,1", "--degree", "2", "--prime", "1"],
    ["rank", "2,2,1", "--degree", "2", "--prime", "0"],
    ["rank", "2,2,1", "--degree", "2", "--prime", "-7"],
    ["rank", "2,2,1", "--degree", "2", "--prime", "x"],
    ["rank", "2,2,1", "--degree", "2", "--prime", "nan"],
    ["rank", "2,2,1", "--degree", "2", "--prime", "11.0"],
    ["rank", "2,2,1", "--degree", "2", "--prime", BIG],
    ["rank", "2,2,1", "--degree", "2", "--prime", "2147483647"],
    ["rank", "2,2,1", "--degree", "2", "--trials", "0"],
    ["rank", "2,2,1", "--degree", "2", "--trials", "-1"],
    ["rank", "2,2,1", "--degree", "2", "--trials", "51"],
    ["rank", "2,2,1", "--degree", "2", "--trials", "x"],
    ["rank", "2,2,1", "--degree", "2", "--seed", "-1"],
    ["rank", "2,2,1", "--degree", "2", "--seed", "x"],
    ["rank", "2,2,1", "--degree", "2", "--seed", str(2 ** 64)],
    ["rank", "50,50,50,50,50,50,1", "--degree", "9"],
    ["rank", "2,2,2,2,2,1", "--degree", str(10 ** 20)],
    ["rank", "1000,2,1000", "--degree", "9"],
    ["rank", "2,2,1", "--degree", "2", "--bogus"],
]

POINT = [
    ["point", "2,2,1", "--degree", "2", "--weights", "[[1]]"],
    ["point", "2,2,1", "--degree", "2", "--weights", _w('"a"')],
    ["point", "2,2,1", "--degree", "2", "--weights", _w("1.5")],
    ["point", "2,2,1", "--degree", "2", "--weights", "[[[1,0],[0,1]],[[1,1,1]]]"],
    ["point", "2,2,1", "--degree", "2", "--weights", "{"],
    ["point", "2,2,1", "--degree", "2", "--weights", _w("null")],
    ["point", "2,2,1", "--degree", "2", "--weights", _w("true")],
    ["point", "2,2,1", "--degree", "2", "--weights", _w("false")],
    ["point", "2,2,1", "--degree", "2", "--weights", _w("[1]")],
    ["point", "2,2,1", "--degree", "2", "--weights", _w('{"a": 1}')],
    ["point", "2,2,1", "--degree", "2", "--weights", _w('"1/0"')],
    ["point", "2,2,1", "--degree", "2", "--weights", _w("1e400")],
    ["point", "2,2,1", "--degree", "2", "--weights", _w("NaN")],
    ["point", "2,2,1", "--degree", "2", "--weights", _w("Infinity")],
    ["point", "2,2,1", "--degree", "2", "--weights", _w('"1e100000"')],
    ["point", "2,2,1", "--degree", "2", "--weights", _w(BIG)],
    ["point", "2,2,1", "--degree", "2", "--weights", _w('"%s"' % ("1" * 3000))],
    ["point", "2,2,1", "--degree", "2", "--weights", DEEP],
    ["point", "2,2,1", "--degree", "2", "--weights", "[[[[[1]]]]]"],
    ["point", "2,2,1", "--degree", "2", "--weights", "[]"],
    ["point", "2,2,1", "--degree", "2", "--weights", "5"],
    ["point", "2,2,1", "--degree", "2", "--weights", '"x"'],
    ["point", "2,2,1", "--degree", "2", "--weights", "[[[1,0],[0,1]],[[1,1]],[[1]]]"],
    ["point", "2,2,1", "--degree", "2", "--weights", "[5,[[1,1]]]"],
    ["point", "2,2,1", "--degree", "2", "--weights", "[[5,5],[[1,1]]]"],
    ["point", "2,2,1", "--degree", "2", "--weights", "[[[1,0],[0,1]],[[1,1]]"],
    ["point", "2,2,1", "--degree", "2"],
    ["point", "2,2,1", "--degree", "0", "--weights", GOOD_W],
    ["point", "2,2,1", "--degree", "2", "--weights", GOOD_W, "--prime", "15"],
    ["point", "2,2,1", "--degree", "2", "--weights", GOOD_W, "--seed", "-3"],
    ["point", "10,10,10,1", "--degree", "8", "--weights", GOOD_W],
]

STRATA = [
    ["strata", "2,2,1", "--degree", "1000000000"], ["strata", "10,10,10,1", "--degree", "8"],
    ["strata", "2,2,1", "--degree", "100000"],
    ["strata", "2,2,1", "--degree", "2", "--prime", "15"],
    ["strata", "2,2,1", "--degree", "2", "--prime", "2"],
    ["strata", "2,2,1", "--degree", "2", "--function-field", "maybe"],
    ["strata", "2,2,1", "--degree", "2", "--seed", "-1"],
    ["strata", "2,0,1", "--degree", "2"], ["strata", "2,2,1", "--degree", "z"],
]

CONVERSE = [
    ["converse", "10,10,10,1", "--degree", "8"], ["converse", "2,2,1", "--degree", str(10 ** 7)],
    ["converse", "2,2,1", "--degree", "2", "--method", "slice", "--lines", "-1"],
    ["converse", "2,2,1", "--degree", "2", "--method", "slice", "--lines", "0"],
    ["converse", "2,2,1", "--degree", "2", "--method", "slice", "--lines", "0", "--planes", "0"],
    ["converse", "2,2,1", "--degree", "2", "--method", "slice", "--planes", "5000"],
    ["converse", "2,2,1", "--degree", "2", "--method", "slice", "--planes", "-2"],
    ["converse", "2,2,1", "--degree", "2", "--lines", "2"],
    ["converse", "2,2,1", "--degree", "2", "--method", "magic"],
    ["converse", "2,2,1", "--degree", "2", "--prime", "2"],
    ["converse", "2,2,1", "--degree", "2", "--prime", "x"],
    ["converse", "2,2,1", "--degree", "2", "--seed", "-1"],
]

THRESHOLD = [
    ["threshold", "2,2,1", "--max-degree", "1000000"],
    ["threshold", "10,10,10,1", "--max-degree", "8"],
    ["threshold", "2,2,1", "--max-degree", "100000", "--min-degree", "99500"],
    ["threshold", "2,2,1", "--timeout", "nan"], ["threshold", "2,2,1", "--timeout", "inf"],
    ["threshold", "2,2,1", "--timeout", "-1"], ["threshold", "2,2,1", "--timeout", "1e9"],
    ["threshold", "2,2,1", "--min-degree", "1"], ["threshold", "2,2,1", "--min-degree", "0"],
    ["threshold", "2,2,1", "--min-degree", "5", "--max-degree", "3"],
    ["threshold", "2,2,1", "--max-degree", "1"], ["threshold", "2,2,1", "--max-degree", "x"],
    ["threshold", "2,2,1", "--memory-limit", "0"], ["threshold", "2,2,1", "--memory-limit", "nan"],
    ["threshold", "2,2,1", "--memory-limit", "-1"], ["threshold", "2,2,1", "--memory-limit", "inf"],
    ["threshold", "2,2,1", "--prime", "15"], ["threshold", "2,2,1", "--prime", "3"],
    ["threshold", "2,2,1", "--seed", "-1"], ["threshold", "2,2,1", "--method", "none"],
    ["threshold", "2,2,1", "--catalogue-markdown", "/"],
    ["threshold", "2,2,1", "--catalogue-markdown", "/nonexistent/x.md"],
    ["threshold", "2,x,1"], ["threshold", "2,2,1", "2,1"], ["threshold"],
    ["threshold"] + ["2,2,1"] * 101, ["threshold", "2,40,40,40,40,1"],
]

SWEEP = [
    ["--arch", "2,2,1", "--degrees", "2-1000000000"], ["--arch", "2,2,1", "--degrees", "2-x"],
    ["--arch", "2,2,1", "--degrees", "5-2"], ["--arch", "2,2,1", "--degrees", "0-3"],
    ["--arch", "2,2,1", "--degrees", ""], ["--arch", "2,2,1", "--degrees", "2-3-4"],
    ["--arch", "2,2,1", "--degrees", ",".join(map(str, range(2, 1100)))],
    ["--arch", "2,2,1", "--degrees", "1000000000"], ["--arch", "10,10,10,1", "--degrees", "8"],
    ["--arch", "2,2,1", "--timeout", "nan"], ["--arch", "2,2,1", "--timeout", "inf"],
    ["--arch", "2,2,1", "--timeout", "-5"], ["--arch", "2,2,1", "--timeout", "0"],
    ["--arch", "2,2,1", "--timeout", "1e9"], ["--arch", "2,2,1", "--jobs", "0"],
    ["--arch", "2,2,1", "--jobs", "-1"], ["--arch", "2,2,1", "--jobs", "100000"],
    ["--arch", "2,2,1", "--memory-limit", "0"], ["--arch", "2,2,1", "--memory-limit", "nan"],
    ["--arch", "2,2,1", "--memory-limit", "-1"], ["--arch", "2,2,1", "--memory-limit", "inf"],
    ["--arch", "2,2,1", "--seed", "-1"], ["--arch", "2,2,1", "--prime", "15"],
    ["--arch", "2,2,1", "--prime", "2"], ["--arch", "2,2,1", "--prime", "x"],
    ["--arch", "2,2,1", "--catalogue", "x.toml"], ["--arch", "2,0,1"],
    ["--arch", "2,2,1", "--method", "magic"], ["--catalogue", "/nonexistent.toml"],
    ["--catalogue", "/"], ["--arch", "2,2,1", "--dask", "remote"],
]

CATALOGUES = {
    "seed-text": 'seed = "abc"', "timeout-text": 'timeout = "abc"', "prime-text": 'prime = "x"',
    "timeout-negative": "timeout = -5", "timeout-zero": "timeout = 0", "timeout-nan": "timeout = nan",
    "timeout-inf": "timeout = inf", "timeout-huge": "timeout = 1e12", "prime-15": "prime = 15",
    "prime-2": "prime = 2", "prime-bool": "prime = true", "prime-float": "prime = 11.0",
    "prime-huge": "prime = 2147483647", "seed-negative": "seed = -1", "seed-float": "seed = 1.5",
    "seed-bool": "seed = true", "quick-text": 'quick = "yes"', "method-magic": 'method = "magic"',
    "method-int": "method = 5", "note-int": "note = 5", "unknown-key": "colour = 'red'",
    "timeout-list": "timeout = [1]", "seed-table": "seed = {a = 1}",
}
CATALOGUE_TEXTS = {
    "defaults-int": 'defaults = 5\n[[case]]\narch = "2,2,1"\ndegrees = "2-3"\n',
    "case-list-of-ints": "case = [1, 2]\n", "case-text": 'case = "x"\n', "no-cases": 'name = "x"\n',
    "empty": "", "invalid-toml": "[[case]\narch = 2\n", "name-int": 'name = 5\n[[case]]\narch = "2,2,1"\ndegrees = 2\n',
    "top-level-unknown": 'colour = 1\n[[case]]\narch = "2,2,1"\ndegrees = 2\n',
    "defaults-unknown": '[defaults]\ncolour = 1\n[[case]]\narch = "2,2,1"\ndegrees = 2\n',
    "defaults-bad-timeout": '[defaults]\ntimeout = -1\n[[case]]\narch = "2,2,1"\ndegrees = 2\n',
    "arch-int": "[[case]]\narch = 5\ndegrees = 2\n", "arch-zero": '[[case]]\narch = "2,0,1"\ndegrees = 2\n',
    "arch-list-text": '[[case]]\narch = [2, "x", 1]\ndegrees = 2\n',
    "arch-list-bool": "[[case]]\narch = [2, true, 1]\ndegrees = 2\n",
    "arch-huge": '[[case]]\narch = "10,10,10,1"\ndegrees = 8\n',
    "no-arch": "[[case]]\ndegrees = 2\n", "no-degrees": '[[case]]\narch = "2,2,1"\n',
    "degrees-range-huge": '[[case]]\narch = "2,2,1"\ndegrees = "2-1000000000"\n',
    "degrees-list-text": '[[case]]\narch = "2,2,1"\ndegrees = [2, "x"]\n',
    "degrees-bool": '[[case]]\narch = "2,2,1"\ndegrees = true\n',
    "degrees-zero": '[[case]]\narch = "2,2,1"\ndegrees = 0\n',
    "degrees-zero-range": '[[case]]\narch = "2,2,1"\ndegrees = "0-3"\n',
    "degrees-float": '[[case]]\narch = "2,2,1"\ndegrees = 1.5\n',
    "degrees-table": '[[case]]\narch = "2,2,1"\ndegrees = {a = 1}\n',
    "degrees-deep": '[[case]]\narch = "2,2,1"\ndegrees = ' + "[" * 30000 + "]" * 30000 + "\n",
    "degrees-big": '[[case]]\narch = "2,2,1"\ndegrees = 1000000000\n',
    "degrees-list-long": '[[case]]\narch = "2,2,1"\ndegrees = [%s]\n' % ", ".join(map(str, range(2, 1100))),
}
CATALOGUE_BYTES = {"non-utf8": b'[[case]]\narch = "2,2,1\xff\xfe"\ndegrees = 2\n',
                   "latin1-name": b'name = "caf\xe9"\n[[case]]\narch = "2,2,1"\ndegrees = 2\n'}


def _catalogue_cases():
    out = []
    for name, line in CATALOGUES.items():
        out.append((name, f'[[case]]\narch = "2,2,1"\ndegrees = "2-3"\n{line}\n'.encode()))
    out += [(name, text.encode()) for name, text in CATALOGUE_TEXTS.items()]
    out += list(CATALOGUE_BYTES.items())
    return out


ARGV = ([(f"rank-{i}", a) for i, a in enumerate(RANK)] + [(f"point-{i}", a) for i, a in enumerate(POINT)]
        + [(f"strata-{i}", a) for i, a in enumerate(STRATA)]
        + [(f"converse-{i}", a) for i, a in enumerate(CONVERSE)]
        + [(f"threshold-{i}", a) for i, a in enumerate(THRESHOLD)]
        + [(f"sweep-{i}", ["sweep"] + a) for i, a in enumerate(SWEEP)])
CATALOGUE_CASES = _catalogue_cases()


def test_the_corpus_is_large_and_distinct():
    argvs = {json.dumps(a) for _, a in ARGV}
    texts = {t for _, t in CATALOGUE_CASES}
    assert len(argvs) == len(ARGV) and len(texts) == len(CATALOGUE_CASES)
    assert len(ARGV) + len(CATALOGUE_CASES) >= 120


def _refused(argv, capsys):
    return refused_with_one_line(argv, capsys)


@pytest.mark.parametrize("argv", [a for _, a in ARGV], ids=[n for n, _ in ARGV])
def test_bad_command_line_exits_2_with_one_line(argv, tmp_path, capsys):
    if argv[0] == "sweep":
        argv = argv + ["--report", str(tmp_path / "r"), "--no-progress"]
    _refused(argv, capsys)
    assert not (tmp_path / "r" / "cache" / "cases.jsonl").exists()   # no case ran


@pytest.mark.parametrize("text", [t for _, t in CATALOGUE_CASES], ids=[n for n, _ in CATALOGUE_CASES])
def test_bad_catalogue_exits_2_with_one_line(text, tmp_path, capsys):
    cat = tmp_path / "bad.toml"
    cat.write_bytes(text)
    _refused(["sweep", "--catalogue", cat, "--report", tmp_path / "r", "--no-progress"], capsys)
    assert not (tmp_path / "r" / "cache" / "cases.jsonl").exists()


@pytest.mark.parametrize("where", ["under-a-file", "results-is-a-dir", "cache-is-a-dir"])
def test_unwritable_report_folder_is_refused_before_any_case(where, tmp_path, capsys):
    report = tmp_path / "r"
    if where == "under-a-file":
        (tmp_path / "file").write_text("x")
        report = tmp_path / "file" / "r"
    elif where == "results-is-a-dir":
        (report / "results.json").mkdir(parents=True)
    else:
        (report / "cache" / "cases.jsonl").mkdir(parents=True)
    _refused(["sweep", "--arch", "2,2,1", "--degrees", "2", "--report", report, "--no-progress"],
             capsys)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_report_folder_is_refused(tmp_path, capsys):
    report = tmp_path / "r"
    report.mkdir()
    report.chmod(0o555)
    try:
        _refused(["sweep", "--arch", "2,2,1", "--degrees", "2", "--report", report], capsys)
    finally:
        report.chmod(0o755)


def test_bad_cache_lines_are_skipped_with_one_warning(tmp_path):
    """Non-UTF-8 bytes and a JSON line without a record: skipped, one warning, no crash."""
    report = tmp_path / "r"
    args = [sys.executable, "-m", "verify", "sweep", "--arch", "2,2,1", "--degrees", "2",
            "--method", "none", "--report", str(report), "--no-progress", "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    results = (report / "results.json").read_bytes()
    cache = report / "cache" / "cases.jsonl"
    with open(cache, "ab") as f:
        f.write(b"\xff\xfe\x00garbage\n" + b'{"key": "abc"}\n' + b'[1, 2]\n')
    for _ in range(2):                                  # every later sweep, not just the next
        again = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        warnings = [l for l in again.stderr.splitlines() if l.startswith("warning")]
        assert len(warnings) == 1 and "3 bad line" in warnings[0]
        assert "Traceback" not in again.stderr
        assert (report / "results.json").read_bytes() == results


@pytest.mark.parametrize("argv", [
    ["rank", "2,2,1", "--degree", "3", "--prime", "2"],
    ["point", "2,2,1", "--degree", "2", "--weights", DEEP],
    ["sweep", "--arch", "2,2,1", "--degrees", "2-1000000000", "--report", "/nonexistent-dir/r"],
], ids=["rank-prime-2", "point-deep-weights", "sweep-huge-range"])
def test_end_to_end_exit_2_one_line(argv):
    proc = subprocess.run([sys.executable, "-m", "verify", *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2, proc.stderr[-500:]
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_a_default_scan_too_large_says_how_to_scan_less(capsys):
    # 2,40,40,40,40,1 scans up to r = 8 by default, which the cost limits refuse; the message
    # names the limit and the way out (--max-degree), and an explicit --max-degree keeps the
    # plain message
    err = refused_with_one_line(["threshold", "2,40,40,40,40,1"], capsys)
    assert "limit" in err and "--max-degree" in err and "--allow-large" in err
    err = refused_with_one_line(["threshold", "2,40,40,40,40,1", "--max-degree", "8"], capsys)
    assert "limit" in err and "--max-degree" not in err

