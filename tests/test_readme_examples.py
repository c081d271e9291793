"""README.md: every example command runs as written (from a fresh folder) and exits 0; the
Python API block prints what its comments say. Commands marked ``# slow`` in the README are
skipped unless RUN_SLOW_EXAMPLES=1 (marker ``slow``). Measured, not asserted: each fast
example takes under 30 s on 2 shared cores (README, "A first sweep")."""

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
PREFIX = ".venv/bin/python -m verify"


def _commands():
    out = []
    for line in README.read_text().splitlines():
        text = line.strip()
        if text.startswith(PREFIX) and line.startswith("    "):
            out.append(text)
    return out


def _python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


COMMANDS = _commands()


def test_readme_has_examples():
    assert len(COMMANDS) >= 8
    assert any(" sweep " in c and "--timeout" in c and "--report" in c for c in COMMANDS)
    assert any(" check-witness " in c for c in COMMANDS)
    assert _python_blocks()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("readme")


def _params():
    out = []
    for i, c in enumerate(COMMANDS):
        marks = [pytest.mark.slow] if "# slow" in c else []
        out.append(pytest.param(c, marks=marks, id=f"{i}-{c.split()[3] if len(c.split()) > 3 else c}"))
    return out


@pytest.mark.parametrize("command", _params())
def test_readme_command_runs(command, workdir):
    if "# slow" in command and os.environ.get("RUN_SLOW_EXAMPLES") != "1":
        pytest.skip("slow example (over 30 s); RUN_SLOW_EXAMPLES=1 runs it")
    argv = shlex.split(command, comments=True)
    assert argv[:3] == [".venv/bin/python", "-m", "verify"]
    env = dict(os.environ, PYTHONPATH=str(README.parent))
    proc = subprocess.run([sys.executable, "-m", "verify"] + argv[3:], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr


def test_readme_python_api_block_prints_what_it_says():
    for block in _python_blocks():
        expected = [m.group(1).strip() for m in re.finditer(r"^print\(.*\)\s+# (.*)$", block, flags=re.M)]
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(compile(block, "README.md", "exec"), {})
        assert buf.getvalue().splitlines() == expected


def test_readme_catalogue_example_loads_with_a_timeout(tmp_path):
    """The README's TOML catalogue (its heredoc) is valid, and every case of it stops: the
    [defaults] timeout, which is also what a catalogue without one gets (issue 23)."""
    from verify.run.catalogue import DEFAULT_TIMEOUT, load_catalogue
    text = README.read_text()
    block = text.split("cat > mine.toml <<'TOML'\n", 1)[1].split("    TOML\n", 1)[0]
    toml = "\n".join(line[4:] for line in block.splitlines())
    path = tmp_path / "mine.toml"
    path.write_text(toml)
    _, specs = load_catalogue(path)
    assert [s.degree for s in specs] == list(range(2, 9)) and {s.arch for s in specs} == {"3,4,1"}
    assert {s.timeout for s in specs} == {60.0}
    path.write_text("\n".join(l for l in toml.splitlines() if not l.startswith("timeout")))
    assert {s.timeout for s in load_catalogue(path)[1]} == {DEFAULT_TIMEOUT}
