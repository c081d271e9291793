"""A suite that never hurts its user (issue 23): hostile algebraic inputs -- fields, weight
entries, weights files, results.json files -- each refused with exit status 2 and exactly one
line on stderr, before any expansion (verify/core/expressions.py bounds exponents, literals,
the expanded degree and coefficients first; proofs/README.md, "Conventions").

Most of the corpus runs in this process through ``verify.cli.main`` (one Sage import). A
representative subset, the inputs that once exhausted memory among them, runs end to end in
a subprocess capped at 2 GiB of address space (RLIMIT_AS), with a 60 s subprocess timeout as
a safety net only (no timing assertion). Values the parser accepts are compared with values
computed independently here (Python's Fraction, by hand).
"""

import json
import os
import resource
import subprocess
import sys
from fractions import Fraction

import pytest

from conftest import ROOT, refused_with_one_line

from verify.cli import main
from verify.core import expressions
from verify.core.errors import InputError

GIB = 2 ** 30
GOOD = '[[[1,0],[0,1]],[[1,1]]]'
W222 = [[[1, 0], [0, 1]], [[1, 1], [0, 0]]]     # rank 5 < g = 6 at r = 2: a witness over QQ
POINT = ["point", "2,2,1", "--degree", "3"]


def _w(entry: str) -> str:
    """Weights of 2,2,1 (JSON text) with one entry replaced by ``entry`` (JSON)."""
    return '[[[1,0],[0,%s]],[[1,1]]]' % entry


# --- the corpus -----------------------------------------------------------------------------

#: --field texts, each refused (the first three once took 56 s and 15.5 GB, 1.8 GB, 1.1 GB).
FIELDS = [
    "a^(10^9)+1", "a^(10^8)+1", "(a+1)^100000", "a**(10**9)+1", "a^(2^2^2^2)+1", "a^1001+1",
    "(a^100)^100+1", "(a+1)^1000*(a+1)^1000", "a^17+1", "(2^1000)^5*a^2+1", "a^2+10^10^9",
    "a^2+1e999999999", "a^2+" + "9" * 1500, "a^2+1e-1001", "a^2+" + "(" * 150 + "1" + ")" * 150,
    "a^2+" + "a+" * 1000 + "1", "2*a^2+1", "1/2*a^2+1", "-a^2-6", "a^2-4", "a^4-1", "a^2",
    "5", "0", "", "   ", "b^2+1", "x^2+1", "A^2+1", "a^2+1/0", "a^2+1/(1-1)", "a^(1/2)+1",
    "a^-2+1", "a^a+1", "a/(a+1)", "2a^2+1", "a^2+6;", "import os", "__import__('os')",
    "a^2+\u0666", "\uff41^2+1", "a^^2", "a^2+", "(a^2+1", "a^2+1)", "a^2 + 6 = 0", "sqrt(a)",
    "a^2+6" * 500, "a^2+1.5.5", "a^2+0x10", "a^2+1j", "a^2+nan", "a^2+inf", "a^(0.5)+1",
]

#: Weight entries over QQ[a]/(a^2+6), each refused (the first two were killed at 23 GB).
FIELD_ENTRIES = [
    '"(a+1)^(10^6)"', '"a^(10^9)"', '"a^1001"', '"(a^999)^2"', '"(a+1)^10000"', '"1e999999999"',
    '"10^10^9"', '"9^9^9"', '"(2^1000)^5"', '"1/0"', '"a/0"', '"1/a"', '"a^-1"', '"a^(1/2)"',
    '"b"', '"2a"', '""', '"%s"' % ("(" * 101 + "a" + ")" * 101), '"%s"' % ("a" * 3000),
    '"%s"' % ("1" * 1001), '"1e-1001"', '"1e+1001"', '"1e1000000000000"', '"."', '"e5"', '"1e"',
    '"a**a"', '"((a)"', '"a)"', '"a+"', '"*a"', '"a^"', '"a^^2"', '"\\u0663"', '"\\uff41"',
    '"a\\u0000"', '"1_000"', '"1,5"', '"0x10"', '"nan"', '"None"', "1.5", "true", "null", "[1]",
    '{"a": 1}', "1e999999999", "NaN", "-Infinity", "9" * 4400,
]

#: Weight entries over QQ, each refused (1e999999999 as a string once ran for minutes).
QQ_ENTRIES = [
    '"1e999999999"', "1e999999999", '"10^10^9"', '"2^(10^6)"', '"(10^1000)^5"', '"a"',
    '"1/0"', '"1e-999999999"', '"%s"' % ("(" * 200 + "1" + ")" * 200), '"%s"' % ("9" * 1001),
    '"0.%s1"' % ("0" * 1000), '"1/3^(10^9)"', '"inf"', '"-nan"', '"1j"', '"0b101"', '"1 2"',
    '"--"', '"2^-1^"', '"%s"' % ("-" * 1999 + "1" + "^" * 1),
]

#: Architectures, degrees and primes given to point and check-witness, each refused.
ARGS = [
    ["point", "2,2,1", "--degree", "3", "--weights", GOOD, "--field", "a^2+6", "--prime", "4"],
    ["point", "2,2", "--degree", "3", "--weights", GOOD], ["point", "a,2,1", "--degree", "3", "--weights", GOOD],
    ["point", "2,2,1", "--degree", "10^9", "--weights", GOOD],
    ["point", "2,2,1", "--degree", "1e999999999", "--weights", GOOD],
    ["point", "2,2,1", "--degree", "3", "--weights", GOOD, "--prime", "10^10^9"],
    ["point", "2,2,1", "--degree", "3", "--weights", GOOD, "--seed", "1e999"],
    ["point", "9" * 2000 + ",2,1", "--degree", "3", "--weights", GOOD],
    ["point", "2,2,1", "--degree", "3", "--field", "a^2+6"],
]

#: Entries within every bound of the parser whose exact Jacobian would still pass MAX_BITS
#: (3,3,2,1 at r = 3 over a degree-16 field, entries of 3322 bits: about 1e10 bits).
_E = '"%s*a^15+a"' % ("9" * 1000)
HEAVY_POINT = ["point", "3,3,2,1", "--degree", "3", "--field", "a^16+a+1", "--weights",
               "[[[%s,%s,1],[%s,1,2],[1,2,3]],[[%s,1,1],[1,1,1]],[[1,1]]]" % (_E, _E, _E, _E)]
ARGS.append(HEAVY_POINT)


def _argv_corpus():
    out = [(f"field-{i}", POINT + ["--weights", GOOD, "--field", f]) for i, f in enumerate(FIELDS)]
    out += [(f"field-entry-{i}", POINT + ["--field", "a^2+6", "--weights", _w(e)])
            for i, e in enumerate(FIELD_ENTRIES)]
    out += [(f"qq-entry-{i}", POINT + ["--weights", _w(e)]) for i, e in enumerate(QQ_ENTRIES)]
    out += [(f"args-{i}", a) for i, a in enumerate(ARGS)]
    return out


ARGV = _argv_corpus()


def _witness_file(**change):
    """A results.json holding W222 for 2,2,2 at r = 2, its id right, then ``change`` applied."""
    from verify.commands.check_witness import witness_id
    w = {"weights": W222, "field": "QQ", "minimal_polynomial": None, "rank": 5,
         "generic_rank": 6, "verified": True, "strata": [], "id": witness_id("2,2,2", 2, W222, "QQ")}
    case = {"arch": "2,2,2", "degree": 2, "converse": {"witnesses": [w]}}
    for key, value in change.items():
        (case if key in ("arch", "degree") else w)[key] = value
    return json.dumps({"cases": [case]})


def _field_witness_file(entries, minimal_polynomial="a^2 + 6", arch="2,2,1", degree=3):
    """A results.json with one witness over QQ[a]/(m) whose id matches its (hostile) content."""
    from verify.commands.check_witness import witness_id
    field = f"QQ[a]/({minimal_polynomial})"
    w = {"weights": entries, "field": field, "minimal_polynomial": minimal_polynomial}
    w["id"] = witness_id(arch, degree, entries, field)
    return json.dumps({"cases": [{"arch": arch, "degree": degree, "converse": {"witnesses": [w]}}]})


#: results.json contents (text or bytes), each refused by ``check-witness FILE --all``.
RESULTS = {
    "cases-nan": '{"cases": NaN}', "cases-int": '{"cases": 5}', "cases-text": '{"cases": "x"}',
    "cases-object": '{"cases": {"a": 1}}', "case-int": '{"cases": [5]}', "case-empty": '{"cases": [{}]}',
    "case-no-degree": '{"cases": [{"arch": "2,2,2"}]}',
    "witnesses-int": '{"cases": [{"arch": "2,2,2", "degree": 2, "converse": {"witnesses": 5}}]}',
    "catalogue-int": '{"non_subnetwork_critical_points": 5}',
    "top-list": "[]", "top-int": "5", "top-null": "null", "empty": "", "half": "{",
    "not-utf8": b"\xff\xfe{}", "deep": "[" * 100000 + "]" * 100000,
    "deep-object": '{"cases": ' + "[" * 50000 + "]" * 50000 + "}",
    "huge-int": _witness_file(degree="DEGREE", id=None).replace('"DEGREE"', "9" * 5000),
    "million-digit-int": '{"cases": [{"arch": "2,2,2", "degree": %s}]}' % ("9" * 10 ** 6),
    "edited-weights": _witness_file(weights=[[[1, 0], [0, 2]], [[1, 1], [0, 0]]]),
    "edited-field": _witness_file(field="QQ[a]/(a^2 + 6)"),
    "edited-degree": _witness_file(degree=3), "edited-arch": _witness_file(arch="2,2,3"),
    "id-wrong": _witness_file(id="w0000000000"),
    "degree-nan": _witness_file(degree=float("nan")), "degree-text": _witness_file(degree="x"),
    "degree-huge": _witness_file(degree=10 ** 30), "arch-text": _witness_file(arch="x"),
    "weights-int": _witness_file(weights=5), "weights-shape": _witness_file(weights=[[[1]], [[1]]], id=None),
    "field-gf7": _witness_file(field="GF(7)", id=None),
    "minpoly-int": _witness_file(minimal_polynomial=5),
    "minpoly-mismatch": _witness_file(minimal_polynomial="a^2 + 7"),
    "entry-huge-power": _field_witness_file([[["a^(10^9)", 1], [1, 1]], [[1, 1]]]),
    "entry-1e999999999": _field_witness_file([[["1e999999999", 1], [1, 1]], [[1, 1]]]),
    "entry-float": _field_witness_file([[[1.5, 1], [1, 1]], [[1, 1]]]),
    "minpoly-huge-power": _field_witness_file([[["a", 1], [1, 1]], [[1, 1]]], "a^(10^9)+1"),
    "minpoly-degree-100": _field_witness_file([[["a", 1], [1, 1]], [[1, 1]]], "a^100 + 2"),
    "minpoly-reducible": _field_witness_file([[["a", 1], [1, 1]], [[1, 1]]], "a^2 - 4"),
    "too-costly": _field_witness_file([[[1] * 50] * 50, [[1] * 50] * 50, [[1] * 50]],
                                      "a^2 + 6", arch="50,50,50,1", degree=9),
}

#: ``--weights @FILE`` contents, each refused (None: no such file).
WEIGHTS_FILES = {
    "missing": None, "empty": "", "bad-json": "{", "not-utf8": b"\xff\xfe[[", "deep": "[" * 50000,
    "too-large": " " * (10 ** 6 + 1), "wrong-shape": "[[1]]", "huge-entry": _w('"1e999999999"'),
    "huge-power": _w('"a^(10^9)"'), "object": '{"weights": 1}',
    "million-digit-int": _w("9" * (10 ** 6 - 100)),
}


def test_the_corpus_is_large_and_distinct():
    argvs = {json.dumps(a) for _, a in ARGV}
    assert len(argvs) == len(ARGV)
    assert len(ARGV) + len(RESULTS) + len(WEIGHTS_FILES) >= 140


def _refused(argv, capsys):
    return refused_with_one_line(argv, capsys)


@pytest.mark.parametrize("argv", [a for _, a in ARGV], ids=[n for n, _ in ARGV])
def test_hostile_command_line_exits_2_with_one_line(argv, capsys):
    _refused(argv, capsys)


@pytest.mark.parametrize("name", list(RESULTS))
def test_hostile_results_json_exits_2_with_one_line(name, tmp_path, capsys):
    f = tmp_path / "results.json"
    content = RESULTS[name]
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    _refused(["check-witness", f, "--all"], capsys)


def test_an_edited_record_is_refused_by_id_too(tmp_path, capsys):
    """Asking for the kept id of an edited record: refused, not 'verified'."""
    from verify.commands.check_witness import witness_id
    f = tmp_path / "results.json"
    f.write_text(RESULTS["edited-weights"])
    err = _refused(["check-witness", f, witness_id("2,2,2", 2, W222, "QQ")], capsys)
    assert "edited" in err


@pytest.mark.parametrize("name", list(WEIGHTS_FILES))
def test_hostile_weights_file_exits_2_with_one_line(name, tmp_path, capsys):
    f = tmp_path / "w.json"
    content = WEIGHTS_FILES[name]
    if content is not None:
        f.write_bytes(content if isinstance(content, bytes) else content.encode())
    field = ["--field", "a^2+6"] if name == "huge-power" else []
    err = _refused(POINT + field + ["--weights", f"@{f}"], capsys)
    if name in ("missing", "not-utf8", "too-large"):
        assert str(f.name) in err


@pytest.mark.parametrize("argv", [
    POINT + ["--weights", "@"], POINT + ["--weights", "@/"], POINT + ["--weights", "@/dev/zero"],
], ids=["no-name", "directory", "device"])
def test_weights_file_that_is_not_a_file(argv, capsys):
    _refused(argv, capsys)


# --- accepted inputs: the bounds do not refuse what they should read ------------------------


@pytest.mark.parametrize("text,expected", [
    ("2/3", Fraction(2, 3)), ("-1.5e3", Fraction(-1500)), ("3e-2", Fraction(3, 100)),
    ("2^10", Fraction(1024)), ("2**3**2", Fraction(2 ** 9)), ("-2^2", Fraction(-4)),
    ("(1/2 + 1/3) * 6", Fraction(5)), ("1/2/2", Fraction(1, 4)), ("10^300", Fraction(10 ** 300)),
    ("0." + "0" * 998 + "1", Fraction(1, 10 ** 999)), (" 7 ", Fraction(7)), ("--3", Fraction(3)),
])
def test_rational_texts_are_read_exactly(text, expected):
    q = expressions.rational(text)
    assert (int(q.numerator()), int(q.denominator())) == (expected.numerator, expected.denominator)


def test_polynomial_texts_are_read_exactly():
    from math import comb
    p = expressions.polynomial("(a+1)^1000")                 # within every bound
    assert [int(c) for c in p.list()] == [comb(1000, k) for k in range(1001)]
    p = expressions.polynomial("1/2*a^2 - (a - 3)*(a + 3) + a^0")
    assert [str(c) for c in p.list()] == ["10", "0", "-1/2"]         # 1/2 a^2 - a^2 + 9 + 1
    K, _ = expressions.number_field("a^2+6")
    x = expressions.field_element("(a+1)^4", K)
    # with a^2 = -6: (a+1)^4 = a^4 + 4a^3 + 6a^2 + 4a + 1 = 36 - 24a - 36 + 4a + 1 = 1 - 20a
    assert x == 1 - 20 * K.gen()


@pytest.mark.parametrize("text,limit", [
    ("a^(10^9)", "MAX_EXPONENT"), ("(a^999)^999", "MAX_DEGREE"), ("(2^1000)^5", "MAX_COEFFICIENT_BITS"),
    ("1e999999999", "MAX_LITERAL_DIGITS"), ("(" * 101 + "1" + ")" * 101, "MAX_NESTING"),
    ("1" * 2001, "MAX_EXPRESSION_TEXT"),
])
def test_each_bound_names_its_limit(text, limit):
    with pytest.raises(InputError, match=limit):
        expressions.parse(text)


def test_the_point_cost_guard_names_its_limit(capsys):
    assert "MAX_BITS" in _refused(HEAVY_POINT, capsys)


def test_point_reads_weights_from_a_file(tmp_path, capsys):
    f = tmp_path / "w.json"
    f.write_text('[[["a","1/2*a+3"],["a",1]],[[1,"a"]]]')
    assert main(POINT + ["--field", "a^2+6", "--weights", f"@{f}", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["weights"] == [[["a", "1/2*a + 3"], ["a", 1]], [[1, "a"]]] and out["rank"] == 4


# --- end to end, under 2 GiB ----------------------------------------------------------------


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (2 * GIB, 2 * GIB))


def _run_capped(argv, tmp_path=None):
    return subprocess.run([sys.executable, "-m", "verify", *map(str, argv)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, preexec_fn=_cap_memory,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


END_TO_END = {
    "field-a^(10^9)+1": POINT + ["--weights", GOOD, "--field", "a^(10^9)+1"],
    "field-a^(10^8)+1": POINT + ["--weights", GOOD, "--field", "a^(10^8)+1"],
    "field-(a+1)^100000": POINT + ["--weights", GOOD, "--field", "(a+1)^100000"],
    "entry-(a+1)^(10^6)": POINT + ["--field", "a^2+6", "--weights", _w('"(a+1)^(10^6)"')],
    "entry-a^(10^9)": POINT + ["--field", "a^2+6", "--weights", _w('"a^(10^9)"')],
    "weight-1e999999999": POINT + ["--weights", _w("1e999999999")],
    "weight-text-1e999999999": POINT + ["--weights", _w('"1e999999999"')],
    "weight-10^10^9": POINT + ["--weights", _w('"10^10^9"')],
    "weight-deep-parentheses": POINT + ["--weights", _w('"%s"' % ("(" * 900 + "1" + ")" * 900))],
    "field-non-monic": POINT + ["--weights", GOOD, "--field", "2*a^2+1"],
    "dask-refused": ["sweep", "--arch", "2,2,1", "--degrees", "2", "--no-progress",
                     "--dask-scheduler", "tcp://127.0.0.1:1"],
}


@pytest.mark.parametrize("name", list(END_TO_END))
def test_end_to_end_exit_2_one_line_under_2_gib(name, tmp_path):
    argv = END_TO_END[name]
    if argv[0] == "sweep":
        argv = argv + ["--report", tmp_path / "r"]
    proc = _run_capped(argv)
    assert proc.returncode == 2, proc.stderr[-800:]
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr, proc.stderr[-800:]


@pytest.mark.parametrize("name", ["cases-nan", "entry-huge-power", "minpoly-huge-power", "edited-weights"])
def test_end_to_end_results_json_under_2_gib(name, tmp_path):
    f = tmp_path / "results.json"
    f.write_text(RESULTS[name])
    proc = _run_capped(["check-witness", f, "--all"])
    assert proc.returncode == 2, proc.stderr[-800:]
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr, proc.stderr[-800:]


def test_end_to_end_weights_file_with_a_huge_integer_under_2_gib(tmp_path):
    """Sage lifts Python's limit on int conversion (quadratic): a 10^6-digit JSON integer once
    took 45 s to read before its size was refused."""
    f = tmp_path / "w.json"
    f.write_text(WEIGHTS_FILES["million-digit-int"])
    proc = _run_capped(POINT + ["--weights", f"@{f}"])
    assert proc.returncode == 2, proc.stderr[-800:]
    assert len(proc.stderr.strip().splitlines()) == 1 and "MAX_JSON_DIGITS" in proc.stderr


def test_bare_command_prints_usage_and_exits_2():
    proc = _run_capped([])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("usage:") and "check-witness" in proc.stderr
