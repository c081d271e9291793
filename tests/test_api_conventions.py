"""Conventions of the API and the command line (issue 12): architectures in any spelling,
``--version``, a ``schema`` key in every ``--json`` output, the program name, a quiet closed pipe."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import verify
from verify import Architecture
from verify.cli import COMMANDS, SCHEMA_VERSION, build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def test_architecture_spellings():
    a = Architecture("2,3,2,1")
    assert a == Architecture((2, 3, 2, 1)) == Architecture([2, 3, 2, 1]) == Architecture.parse(" 2, 3,2,1")
    assert Architecture(a) == a and Architecture.parse(a) is a
    assert hash(a) == hash(Architecture((2, 3, 2, 1)))
    for bad in ("2,x,1", "2,1", 7, "2,0,1"):
        with pytest.raises(verify.InputError):
            Architecture(bad)


def test_api_functions_accept_strings_tuples_and_architectures():
    g = verify.generic_rank("2,3,2,1", 4)
    assert g.value == verify.generic_rank((2, 3, 2, 1), 4).value == verify.generic_rank(Architecture("2,3,2,1"), 4).value
    assert verify.proven_threshold("2,2,1")["value"] == verify.proven_threshold((2, 2, 1))["value"] == 3
    p = verify.classify_point((2, 2, 1), 3, [[[1, 0], [1, 0]], [[1, 1]]])
    assert p["critical"] is True


def test_version_flag(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert verify.__version__ in out and "commit" in out


def test_every_command_registered_and_named():
    names = set(build_parser()._subparsers._group_actions[0].choices)
    assert names == set(COMMANDS) and "check-witness" in names
    assert build_parser().prog == "python -m verify"


def test_script_name_is_the_program_name(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/usr/bin/verify-monomial"])
    assert build_parser().prog == "verify-monomial"


@pytest.mark.parametrize("argv", [
    ["rank", "2,2,1", "--degree", "3"],
    ["point", "2,2,1", "--degree", "3", "--weights", "[[[1,0],[1,0]],[[1,1]]]"],
    ["strata", "2,2,1", "--degree", "3"],
])
def test_json_outputs_carry_the_schema(argv, capsys):
    assert main(argv + ["--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["schema"] == SCHEMA_VERSION


def test_closed_pipe_is_quiet():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "verify", "rank", "2,2,1", "--degree", "3", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    proc.stdout.close()                      # the reader is gone before anything is written
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert proc.returncode in (0, 141)


def test_hypothesis_is_not_a_declared_dependency():
    assert "hypothesis" not in (ROOT / "pyproject.toml").read_text()
