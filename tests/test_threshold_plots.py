"""verify/run/plots.py (proofs/threshold.md section 11): the report's figures are pure functions
of records -> PNG and SVG files."""

from verify.run.plots import draw_report_plots, plot_rank_drops, plot_thresholds
from verify.theorem.threshold import proven_threshold


def _is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_report_plots_from_results(tmp_path):
    results = {
        "architectures": {
            "2,2,1": {"proven": proven_threshold("2,2,1"),
                      "empirical": {"empirical_threshold": 3, "bound": 3}},
            "2,3,3,1": {"proven": proven_threshold("2,3,3,1"),
                        "empirical": {"empirical_threshold": None, "bound": 8}},
            "2,1,2,1": {"proven": proven_threshold("2,1,2,1"),
                        "empirical": {"verdict": "not-run", "reason": "x"}},
        },
        "cases": [{"arch": "2,2,1", "degree": r, "strata": {"records": [
            {"kind": "A", "drop": 2, "agree": True}, {"kind": "B", "drop": r - 2, "agree": r > 2},
            {"kind": "C", "drop": 1, "agree": True}]}} for r in (2, 3, 4)],
    }
    files = draw_report_plots(results, tmp_path)
    names = sorted(p.split("/")[-1] for p in files)
    assert names == ["rank_drops.png", "rank_drops.svg", "thresholds.png", "thresholds.svg"]
    for f in files:
        if f.endswith(".png"):
            assert _is_png(f)
        else:
            assert "<svg" in open(f).read()


def test_no_strata_records_draws_only_the_threshold_plot(tmp_path):
    files = draw_report_plots({"architectures": {"2,2,1": {"proven": {"value": 3}, "empirical": {}}},
                               "cases": [{"arch": "2,2,1", "degree": 2, "strata": {"verdict": "not-run"}}]},
                              tmp_path)
    assert sorted(f.split("/")[-1] for f in files) == ["thresholds.png", "thresholds.svg"]


def test_single_plots_write_both_formats(tmp_path):
    assert len(plot_thresholds({}, tmp_path / "t")) == 2
    assert len(plot_rank_drops([], tmp_path / "d")) == 2
