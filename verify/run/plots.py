"""Figures of the report: the verdict grid, proven against empirical threshold, rank drops.

Serves proofs/threshold.md (sections 11, 14: r* of Theorem T2, and r*_B of Theorem T, against the empirical
r_0) and proofs/strata.md (observed rank drops).  Pure functions of records ->
files: each writes a PNG and an SVG (matplotlib, Agg backend) and returns their paths.

EXAMPLES::

    sage: import tempfile, os
    sage: from verify.run.plots import plot_thresholds
    sage: d = tempfile.mkdtemp()
    sage: files = plot_thresholds({"2,2,1": {"proven": {"value": 3},
    ....:                                    "empirical": {"empirical_threshold": 3, "bound": 3}}},
    ....:                         os.path.join(d, "thresholds"))
    sage: sorted(os.path.basename(f) for f in files)
    ['thresholds.png', 'thresholds.svg']
"""

from __future__ import annotations

import numbers
from pathlib import Path

__all__ = ["plot_thresholds", "plot_rank_drops", "plot_verdict_grid", "draw_report_plots", "save_figure"]


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig, stem, dpi: int = 120, salt: str = "verify-report") -> list[str]:
    """PNG and SVG, byte-identical for the same figure: no date, fixed SVG id salt."""
    import matplotlib
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    out = []
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path"}):
        for ext in ("png", "svg"):
            path = stem.with_suffix(f".{ext}")
            fig.savefig(path, dpi=dpi, bbox_inches="tight",
                        metadata={"Date": None} if ext == "svg" else {"Software": None})
            out.append(str(path))
    _pyplot().close(fig)
    return out


def _value(part, *keys):
    if not isinstance(part, dict):
        return None
    for k in keys:
        v = part.get(k)
        if isinstance(v, numbers.Integral) and not isinstance(v, bool):
            return int(v)
    return None


def plot_thresholds(summaries: dict, stem) -> list[str]:
    """Proven r* (and Theorem T's r*_B where larger) against empirical r_0, one column per
    architecture.

    ``summaries``: arch -> {"proven": proven_threshold dict, "empirical": summarise_degrees
    dict} (the ``architectures`` part of report/results.json).  Missing values are drawn as
    'n/a'; the scan bound is a short bar (r_0 says nothing above it).
    """
    plt = _pyplot()
    archs = list(summaries)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.55 * len(archs) + 2), 4.2))
    xs = range(len(archs))
    top, labelled = 2, set()

    def label(name):
        """Each legend entry once."""
        if name in labelled:
            return None
        labelled.add(name)
        return name

    for x, a in zip(xs, archs):
        s = summaries[a]
        proven = _value(s.get("proven"), "value", "r_star")
        emp = _value(s.get("empirical"), "empirical_threshold")
        bound = _value(s.get("empirical"), "bound")
        old = _value(s.get("proven"), "theorem_t")
        if old is not None and old != proven:
            ax.scatter([x], [old], marker="v", s=45, facecolors="none", edgecolors="tab:red",
                       zorder=3, label=label("r*_B of Theorem T (superseded)"))
            top = max(top, old)
        if proven is not None:
            ax.scatter([x], [proven], marker="v", s=60, color="tab:red", zorder=3,
                       label=label("proven r* (best proved statement)"))
            top = max(top, proven)
        verdicts = set((s.get("verdicts") or {}).values())
        if emp is not None:
            ax.scatter([x], [emp], marker="o", s=50, color="tab:blue", zorder=3,
                       label=label("empirical r_0"))
            top = max(top, emp)
        elif proven is None and (not verdicts or verdicts <= {"outside-theorem"}):
            ax.scatter([x], [2], marker="x", s=50, color="grey", zorder=3,
                       label=label("outside the theorem"))
        elif verdicts & {"undecided", "inconclusive", "timed-out", "error"}:
            ax.scatter([x], [bound or 2], marker="s", s=50, facecolors="none",
                       edgecolors="tab:orange", zorder=3, label=label("undecided (a degree not decided)"))
        else:
            ax.scatter([x], [bound or 2], marker="^", s=55, color="tab:purple", zorder=3,
                       label=label("not reached (r_0 > scan bound)"))
        if bound is not None:
            ax.plot([x - 0.3, x + 0.3], [bound, bound], color="grey", lw=1,
                    label=label("scan bound"))
    ax.set_xticks(list(xs))
    ax.set_xticklabels(archs, rotation=60, ha="right", fontsize=8)
    ax.set_yscale("log", base=2)
    ax.set_ylim(1.5, top * 1.5)
    ticks = [t for t in (2, 3, 4, 5, 6, 8, 12, 16, 24, 32, 64, 128, 256, 512, 1024) if t <= top * 1.5]
    ax.set_yticks(ticks)
    ax.set_yticklabels([str(t) for t in ticks])
    ax.minorticks_off()
    ax.set_ylabel("activation degree r")
    ax.set_title("Degree threshold: proven r* (best proved statement) against empirical r_0")
    if labelled:
        ax.legend(fontsize=8, loc="upper left")
    ax.grid(True, axis="y", alpha=0.3)
    return save_figure(fig, stem)


def _arch_key(a: str):
    return tuple(int(x) for x in str(a).split(",") if x.strip().isdigit())


#: What "differs from the prediction" means (rank_drops.png, REPORT.md, the strata command).
DROP_FORMULA_NOTE = ("Predicted drop: proofs/strata.md section 3 (the stratum's kernel vectors, "
                     "rest of the network generic, g = N - H). It can differ (section 6) when the "
                     "network fills (g = A), is defective, the removal leaves a hidden layer of "
                     "width one or a filling part, or r = 2; the record's note names the reason.")


def plot_rank_drops(records, stem) -> list[str]:
    """Rank drop of J on each stratum kind (A dead, B disconnected, C duplicate) against r,
    one panel per architecture: each panel answers one question, "is every subnetwork
    stratum of this architecture critical (drop > 0), by the predicted amount?".

    ``records``: case records with ``strata.records`` (verify.sub_in_crit.stratum_rank.strata_records rows).
    Filled markers: drop as predicted; hollow: differs from the prediction, the drop
    d_{l-1} + d_{l+1} - 1 (A, C'), d_{l-1} - 1 (B), d_{l+1} (C) of proofs/strata.md section 3,
    which counts the stratum's kernel vectors when the rest of the network is generic (g = N - H);
    it can differ (section 6) for a filling network (g = A), a defective one, a hidden layer of
    width one left by the removal, a filling part left behind, or r = 2 -- the record's note
    says which.  Criticality is the drop > 0, whatever the formula says.
    """
    plt = _pyplot()
    by_arch: dict = {}
    for rec in records:
        rows = (rec.get("strata") or {}).get("records") or []
        if rows:
            by_arch.setdefault(rec["arch"], []).append(rec)
    archs = sorted(by_arch, key=_arch_key)
    ncols = min(4, max(1, len(archs)))
    nrows = max(1, -(-len(archs) // ncols))
    import textwrap
    width = 3.0 * ncols + 0.6
    note = textwrap.wrap(DROP_FORMULA_NOTE, int(width * 19))     # ~19 characters per inch at 6 pt
    foot = 0.12 * len(note) + 0.45                                # inches: the note, then the legend
    height = 2.4 * nrows + 0.5 + foot
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False)
    marker = {"A": "o", "B": "s", "C": "^", "C'": "v"}
    offset = {"A": -0.18, "B": -0.06, "C": 0.06, "C'": 0.18}
    used = set()
    for ax, a in zip(axes.flat, archs):
        for kind in ("A", "B", "C", "C'"):
            pts = []
            for rec in sorted(by_arch[a], key=lambda r: r["degree"]):
                for st in (rec.get("strata") or {}).get("records") or []:
                    if st.get("kind") == kind and isinstance(st.get("drop"), numbers.Integral):
                        pts.append((rec["degree"] + offset[kind], int(st["drop"]), st.get("agree") is not False))
            if not pts:
                continue
            used.add(kind)
            good = [(x, y) for x, y, ok in pts if ok]
            bad = [(x, y) for x, y, ok in pts if not ok]
            if good:
                ax.scatter(*zip(*good), marker=marker[kind], s=18, color="tab:green")
            if bad:
                ax.scatter(*zip(*bad), marker=marker[kind], s=22, facecolors="none", edgecolors="tab:red")
        from matplotlib.ticker import MaxNLocator
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_title(a, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(True, alpha=0.3)
    for ax in list(axes.flat)[len(archs):]:
        ax.set_axis_off()
    for ax in axes[:, 0]:
        ax.set_ylabel("rank drop", fontsize=8)
    for ax in axes[-1, :]:
        ax.set_xlabel("r", fontsize=8)
    from matplotlib.lines import Line2D
    names = {"A": "A dead", "B": "B disconnected", "C": "C duplicate", "C'": "C' duplicate (prop.)"}
    handles = [Line2D([], [], ls="", marker=marker[k], color="tab:green", label=names[k])
               for k in ("A", "B", "C", "C'") if k in used]
    handles.append(Line2D([], [], ls="", marker="o", markerfacecolor="none", color="tab:red",
                          label="drop differs from the formula (see below)"))
    note_top = (0.12 * len(note) + 0.08) / height
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=7,
               bbox_to_anchor=(0.5, note_top), frameon=False)
    fig.suptitle("Sub in Crit: rank drop on each subnetwork stratum (> 0: critical)", fontsize=10)
    fig.text(0.5, 0.04 / height, "\n".join(note), ha="center", va="bottom", fontsize=6)
    fig.tight_layout(rect=(0, foot / height, 1, 1))
    return save_figure(fig, stem)


#: Colours of the verdict grid.
_GRID_COLOURS = {"holds": "#7fc97f", "fails": "#f0027f", "undecided": "#fdc086",
                 "outside-theorem": "#d9d9d9", "timed-out": "#beaed4", "error": "#666666"}


def _verdict_of(rec) -> str:
    v = rec.get("verdict")
    return "undecided" if v in (None, "inconclusive") else str(v)


def plot_verdict_grid(results: dict, stem, cell=None) -> list[str]:
    """The architecture x degree grid of REPORT.md: colour = verdict, text = ``cell(record)``
    (the report passes verify.run.report.grid_cell: letter and certificate strength, Q proved
    over Q, p exhaustive over GF(p), e evidence, g lower bound); default the verdict's initial."""
    from matplotlib.patches import Patch
    verdict_of = _verdict_of
    grid_cell = cell or (lambda rec: _verdict_of(rec)[:1].upper())
    plt = _pyplot()
    cases = results.get("cases") or []
    archs = sorted({c["arch"] for c in cases}, key=_arch_key)
    degrees = sorted({c["degree"] for c in cases})
    by = {(c["arch"], c["degree"]): c for c in cases}
    fig, ax = plt.subplots(figsize=(1.2 + 0.55 * max(1, len(degrees)), 1.0 + 0.32 * max(1, len(archs))))
    for i, a in enumerate(archs):
        for j, r in enumerate(degrees):
            rec = by.get((a, r))
            if rec is None:
                continue
            v = verdict_of(rec)
            ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=_GRID_COLOURS.get(v, "white"),
                                       edgecolor="white", lw=1.5))
            ax.text(j, i, grid_cell(rec), ha="center", va="center", fontsize=7)
        rstar = next((by[(a, r)].get("proven_threshold") for r in degrees if (a, r) in by), None)
        if isinstance(rstar, numbers.Integral) and rstar in degrees:
            j = degrees.index(rstar)
            ax.plot([j - 0.5, j - 0.5], [i - 0.5, i + 0.5], color="black", lw=2)
    ax.set_xlim(-0.5, len(degrees) - 0.5)
    ax.set_ylim(len(archs) - 0.5, -0.5)
    ax.set_xticks(range(len(degrees)))
    ax.set_xticklabels([str(r) for r in degrees], fontsize=8)
    ax.set_yticks(range(len(archs)))
    ax.set_yticklabels(archs, fontsize=8)
    ax.set_xlabel("activation degree r (black bar: proven threshold r*)", fontsize=8)
    ax.tick_params(length=0)
    for sp in ax.spines.values():
        sp.set_visible(False)
    present = [v for v in _GRID_COLOURS if any(verdict_of(c) == v for c in cases)]
    if present:
        ax.legend(handles=[Patch(facecolor=_GRID_COLOURS[v], label=v) for v in present],
                  loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7, frameon=False)
    ax.set_title("Verdict per case (Q proved over Q, p exhaustive GF(p), e evidence, g lower bound)",
                 fontsize=8)
    return save_figure(fig, stem)


def draw_report_plots(results: dict, outdir) -> list[str]:
    """The report's figures from report/results.json content: thresholds.{png,svg} and
    rank_drops.{png,svg} under ``outdir``."""
    outdir = Path(outdir)
    files = []
    if results.get("architectures"):
        files += plot_thresholds(results["architectures"], outdir / "thresholds")
    if any((rec.get("strata") or {}).get("records") for rec in results.get("cases", [])):
        files += plot_rank_drops(results["cases"], outdir / "rank_drops")
    return files
