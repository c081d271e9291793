"""Shared helpers for the tests: the project root, a CLI runner, the process tree
(descendants read with psutil when installed, else from /proc), and two second methods for
the threshold tests (a forward pass in Sage polynomials, the eps-recursion of
proofs/threshold.md section 8), written independently of verify/."""

import json
import os
import subprocess
import sys
from pathlib import Path

from fractions import Fraction

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


def _children_map():
    parent = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parent[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    return parent


def descendants(pid):
    """Every live descendant of ``pid``."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            return {p.pid for p in psutil.Process(pid).children(recursive=True)}
        except psutil.NoSuchProcess:
            return set()
    parent = _children_map()
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out.update(kids)
        todo += kids
    return out


def alive(pid):
    """Is ``pid`` a running (not zombie) process?"""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def network_outputs(weights, r):
    """The outputs of the network with weights W_1, ..., W_L and inputs (u, v), as Sage
    polynomials over QQ (independent of verify.core.jacobian); returns (outputs, (u, v))."""
    from sage.all import QQ, PolynomialRing
    R = PolynomialRing(QQ, "u,v")
    a = list(R.gens())
    for l, W in enumerate(weights):
        q = [sum(W[i][j] * a[j] for j in range(len(a))) for i in range(len(W))]
        a = [t ** r for t in q] if l < len(weights) - 1 else q
    return a, R.gens()


def conditions_by_eps_recursion(widths, r, eps_2):
    """(B1) and every (D_l) of proofs/threshold.md section 8, in exact fractions: r >= 2 d_1 - 1,
    then from ``eps_2`` (a Fraction: the layer-2 co-degree over r), eps_{l+1} =
    (eps_l - M_l/r)/(1 + M_l) and (r - 1) eps_l > 1 + 2 M_l at every hidden layer l >= 2."""
    if r < 2 * widths[1] - 1:
        return False
    eps = eps_2
    for l in range(2, len(widths) - 1):
        M = widths[l] * (widths[l] - 2)
        if not (r - 1) * eps > 1 + 2 * M:
            return False
        eps = (eps - Fraction(M, r)) / (1 + M)
    return True


def refused_with_one_line(argv, capsys):
    """Run ``verify.cli.main(argv)`` in this process; assert exit 2 and exactly one stderr line
    ``error: ...`` with no traceback; return that line (the bad-input convention, DEVELOPING.md)."""
    from verify.cli import main
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 2, (argv[:6], out[-300:], err[-300:])
    assert len(err.strip().splitlines()) == 1, err[-500:]
    assert err.startswith("error: ") and "Traceback" not in err
    return err
