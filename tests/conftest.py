"""Shared helpers for the tests: the project root and a CLI runner."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args, check=True):
    """Run ``python -m verify ARGS``; return (exit status, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "verify", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def cli_json():
    def go(*args):
        code, out, err = run_cli(*args, "--json")
        assert code == 0, err
        return json.loads(out)
    return go
