"""Figures of the report: proven against empirical threshold, rank drops per stratum kind.

Serves proofs/threshold.md (section 11: r*_B of Theorem T against the empirical
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

__all__ = ["plot_thresholds", "plot_rank_drops", "draw_report_plots"]


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _save(fig, stem) -> list[str]:
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    out = []
    for ext in ("png", "svg"):
        path = stem.with_suffix(f".{ext}")
        fig.savefig(path, dpi=120, bbox_inches="tight", metadata={"Date": None} if ext == "svg" else None)
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
    """Proven r*_B against empirical r_0, one column per architecture.

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
        if proven is not None:
            ax.scatter([x], [proven], marker="v", s=60, color="tab:red", zorder=3,
                       label=label("proven r*_B (Theorem T)"))
            top = max(top, proven)
        if emp is not None:
            ax.scatter([x], [emp], marker="o", s=50, color="tab:blue", zorder=3,
                       label=label("empirical r_0"))
            top = max(top, emp)
        else:
            ax.annotate("n/a", (x, 2), ha="center", va="bottom", fontsize=7, color="tab:blue")
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
    ax.set_title("Degree threshold: proven sufficient r*_B against empirical r_0")
    if labelled:
        ax.legend(fontsize=8, loc="upper left")
    ax.grid(True, axis="y", alpha=0.3)
    return _save(fig, stem)


def plot_rank_drops(records, stem) -> list[str]:
    """Observed rank drop on each stratum kind (A dead, B disconnected, C duplicate) against r.

    ``records``: case records with ``strata.records`` (verify.sub_in_crit.stratum_rank.strata_records rows).
    Filled markers: drop as predicted; hollow: differs from the prediction; drop 0 means the
    stratum is not critical.
    """
    plt = _pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), sharey=True)
    for ax, kind in zip(axes, "ABC"):
        xs, ys, agree = [], [], []
        for rec in records:
            strata = rec.get("strata") or {}
            for s in strata.get("records") or []:
                if s.get("kind") != kind or not isinstance(s.get("drop"), numbers.Integral):
                    continue
                xs.append(rec["degree"] + 0.08 * ((hash(rec["arch"]) % 7) - 3))
                ys.append(s["drop"])
                agree.append(s.get("agree") is not False)
        ax.scatter([x for x, a in zip(xs, agree) if a], [y for y, a in zip(ys, agree) if a],
                   color="tab:green", s=18, label="as predicted")
        ax.scatter([x for x, a in zip(xs, agree) if not a], [y for y, a in zip(ys, agree) if not a],
                   facecolors="none", edgecolors="tab:red", s=24, label="differs")
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_title({"A": "A: dead neuron", "B": "B: disconnected", "C": "C: duplicate"}[kind])
        ax.set_xlabel("r")
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("rank drop on the stratum")
    if any(ax.get_legend_handles_labels()[0] for ax in axes[:1]) and records:
        axes[0].legend(fontsize=8)
    return _save(fig, stem)


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
