"""Every ``sage:`` example in the package's docstrings runs and gives what it says.

Plain ``pytest --doctest-modules`` skips ``sage:`` prompts; ``sage -t`` runs them.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_sage_doctests_pass():
    sage = Path(sys.executable).with_name("sage")
    proc = subprocess.run([str(sage), "-t", "--force-lib", "verify/"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "All tests passed!" in proc.stdout
