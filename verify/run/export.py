r"""The case table and the witnesses of a report as CSV and LaTeX: ``cases.csv``,
``cases.tex``, ``witnesses.csv``, ``witnesses.tex`` next to REPORT.md.

Serves proofs/README.md (the theorem checked case by case, in a form a paper or a
spreadsheet reads).  Every cell comes from ``results.json`` (:func:`cases_table`,
:func:`witnesses_table`), so the exports are byte-identical whenever results.json is.
CSV: RFC 4180 (``csv`` module, ``\r\n`` line ends), one header row, empty cell for a
missing value, ``true``/``false`` for booleans, witness weights as compact JSON.  LaTeX: a
``longtable`` (``\usepackage{longtable}``) with the same columns, special characters
escaped; a witness's weights longer than ``MAX_TEX_WEIGHTS`` characters are left to
witnesses.csv.

EXAMPLES::

    sage: from verify.run.export import to_csv, to_latex, latex_escape
    sage: to_csv(["a", "b"], [[1, "x,y"]])
    'a,b\r\n1,"x,y"\r\n'
    sage: latex_escape("r*_B & 50%")
    'r*\\_B \\& 50\\%'
    sage: print(to_latex(["arch", "r"], [["2,2,1", 3]], "Cases"))
    % python -m verify sweep: Cases (needs \usepackage{longtable})
    \begin{longtable}{ll}
    \caption{Cases}\\
    \hline
    arch & r \\
    \hline
    \endhead
    2,2,1 & 3 \\
    \hline
    \end{longtable}
"""

from __future__ import annotations

import csv
import io
import json

__all__ = ["cases_table", "witnesses_table", "to_csv", "to_latex", "latex_escape",
           "write_exports", "EXPORTS", "CASE_COLUMNS", "WITNESS_COLUMNS"]

#: The files :func:`write_exports` writes.
EXPORTS = ("cases.csv", "cases.tex", "witnesses.csv", "witnesses.tex")

#: Columns of the case table (one row per record of results.json, in its order).
CASE_COLUMNS = ["arch", "degree", "seed", "method", "verdict", "certificate", "generic_rank",
                "generic_rank_certificate", "sub_in_crit", "crit_in_sub", "crit_in_sub_coverage",
                "proven_threshold", "above_proven_threshold", "contradicts_theorem", "partial",
                "witnesses"]
#: Columns of the witness table (one row per witness id, in the order of the cases).
WITNESS_COLUMNS = ["id", "arch", "degree", "field", "rank", "generic_rank", "weights"]
#: Weights longer than this (characters of JSON) stay out of witnesses.tex.
MAX_TEX_WEIGHTS = 200


def _witnesses(rec) -> list[dict]:
    conv = rec.get("converse") if isinstance(rec.get("converse"), dict) else {}
    return [w for w in conv.get("witnesses") or [] if isinstance(w, dict) and "weights" in w]


def _part(rec, name) -> dict:
    return rec.get(name) if isinstance(rec.get(name), dict) else {}


def cases_table(results: dict) -> tuple[list[str], list[list]]:
    """(CASE_COLUMNS, one row per case): the values of results.json's ``cases``; ``partial``
    is the stop reason of a partial record (a stopped case), else empty."""
    rows = []
    for rec in results.get("cases", []):
        g = _part(rec, "generic_rank")
        sub, crit = _part(rec, "sub_in_crit"), _part(rec, "crit_in_sub")
        part = rec.get("partial") if isinstance(rec.get("partial"), dict) else {}
        rows.append([rec.get("arch"), rec.get("degree"), rec.get("seed"), rec.get("method"),
                     rec.get("verdict"), rec.get("certificate"), g.get("value"),
                     g.get("certificate"), sub.get("holds"), crit.get("holds"),
                     crit.get("coverage"), rec.get("proven_threshold"),
                     rec.get("above_proven_threshold"), rec.get("contradicts_theorem"),
                     part.get("reason"), " ".join(str(w.get("id")) for w in _witnesses(rec))])
    return list(CASE_COLUMNS), rows


def witnesses_table(results: dict) -> tuple[list[str], list[list]]:
    """(WITNESS_COLUMNS, one row per witness id): critical points outside Sub found by the
    converse, weights as compact JSON."""
    rows, seen = [], set()
    for rec in results.get("cases", []):
        for w in _witnesses(rec):
            wid = w.get("id")
            if wid in seen:
                continue
            seen.add(wid)
            rows.append([wid, rec.get("arch"), rec.get("degree"), w.get("field") or "QQ",
                         w.get("rank"), w.get("generic_rank"),
                         json.dumps(w.get("weights"), separators=(",", ":"))])
    return list(WITNESS_COLUMNS), rows


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def to_csv(header, rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows([[_text(c) for c in row] for row in rows])
    return buf.getvalue()


_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
          "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}"}


def latex_escape(text) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in _text(text))


def to_latex(header, rows, caption: str) -> str:
    out = [f"% python -m verify sweep: {caption} (needs \\usepackage{{longtable}})",
           "\\begin{longtable}{" + "l" * len(header) + "}",
           f"\\caption{{{latex_escape(caption)}}}\\\\", "\\hline",
           " & ".join(latex_escape(h) for h in header) + " \\\\", "\\hline", "\\endhead"]
    out += [" & ".join(latex_escape(c) for c in row) + " \\\\" for row in rows]
    out += ["\\hline", "\\end{longtable}"]
    return "\n".join(out) + "\n"


def write_exports(results: dict, outdir, write) -> list[str]:
    """Write :data:`EXPORTS` into ``outdir`` with ``write(path, text)``; returns the names."""
    from pathlib import Path
    outdir = Path(outdir)
    ch, cr = cases_table(results)
    wh, wr = witnesses_table(results)
    tex_rows = [row[:-1] + [row[-1] if len(row[-1]) <= MAX_TEX_WEIGHTS else "(in witnesses.csv)"]
                for row in wr]
    name = results.get("catalogue", "")
    write(outdir / "cases.csv", to_csv(ch, cr))
    write(outdir / "cases.tex", to_latex(ch, cr, f"Cases of catalogue {name}"))
    write(outdir / "witnesses.csv", to_csv(wh, wr))
    write(outdir / "witnesses.tex", to_latex(wh, tex_rows,
                                             f"Critical points outside Sub, catalogue {name}"))
    return list(EXPORTS)
