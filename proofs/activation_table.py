"""Write the comparison table of proofs/activations.md (section 8): g and N for the monomial
and two non-monomial activations, with and without biases, on small architectures.

Run: ``.venv/bin/python proofs/activation_table.py`` (rewrites the lines between the markers
``<!-- table:begin -->`` and ``<!-- table:end -->`` of proofs/activations.md; seed 0, the
default prime; every value is certified exact or marked).
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ARCHS = ["2,2,1", "2,3,1", "3,2,1", "3,3,1", "2,2,2", "2,2,2,1", "2,3,2,1", "3,2,2,1", "2,2,2,2,1"]
ACTIVATIONS = ["t^2", "t^2+t", "t^3", "t^3+t^2"]


def cell(g):
    return f"{g.value}" if g.certificate == "exact" else f">= {g.value} (<= {g.upper_bound})"


def table() -> str:
    from verify.core.general_jacobian import parameter_count
    from verify.sub_in_crit.activation_rank import activation_generic_rank
    from verify.core.architecture import Architecture
    head = "| d | N | N' | " + " | ".join(f"{s} | {s}, b" for s in ACTIVATIONS) + " |"
    rule = "|" + " --- |" * (3 + 2 * len(ACTIVATIONS))
    rows = [head, rule]
    for a in ARCHS:
        arch = Architecture(a)
        cells = [a, str(arch.params), str(parameter_count(arch, True))]
        for s in ACTIVATIONS:
            for b in (False, True):
                cells.append(cell(activation_generic_rank(arch, s, b, seed=0)))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main():
    path = ROOT / "proofs" / "activations.md"
    text = path.read_text()
    rows = table()
    new = re.sub(r"(<!-- table:begin -->\n).*?(<!-- table:end -->)",
                 lambda m: m.group(1) + rows + "\n" + m.group(2), text, flags=re.S)
    path.write_text(new)
    print(rows)


if __name__ == "__main__":
    main()
