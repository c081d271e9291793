"""Legends a reader needs (issue 23): no letter means two things (the atlas's g marks
against the sweep grid's verdict letters), no Python ``None`` in the threshold text of a
stopped case, the threshold figure names the proven r* as threshold.py does, and a drop
that differs from its prediction is explained where it is shown (the ``strata`` command,
rank_drops.png)."""

import pytest

from verify.core.architecture import Architecture


def test_atlas_marks_and_sweep_letters_are_distinct():
    from verify.run.atlas import RANK_LEGEND, RANK_MARKS
    from verify.run.report import STRENGTHS, _SYMBOLS
    assert set(RANK_MARKS) == {"defective", "filling", "expected"}
    assert len(set(RANK_MARKS.values())) == 3
    assert not set(RANK_MARKS.values()) & (set(_SYMBOLS.values()) | set(STRENGTHS))
    for mark in RANK_MARKS.values():
        assert f"{mark} " in RANK_LEGEND


def test_a_stopped_degree_names_its_reason_not_none():
    from verify.theorem.threshold import summarise_degrees
    recs = [{"degree": 3, "verdict": "holds", "certificate": "proved-over-Q"},
            {"degree": 4, "verdict": "timed-out", "certificate": None,
             "reasons": ["no result within 60 s (it was running: converse (symbolic))"]}]
    text = summarise_degrees(Architecture.parse("2,2,1"), recs)["certificate_text"]
    assert "None" not in text and "no result within 60 s" in text
    recs = [{"degree": 2, "verdict": "timed-out", "certificate": None, "reasons": ["stopped"]},
            {"degree": 3, "verdict": "holds", "certificate": "proved-over-Q"}]
    text = summarise_degrees(Architecture.parse("2,2,1"), recs)["certificate_text"]
    assert "None" not in text and "timed-out at r = 2: stopped" in text


def test_threshold_figure_names_the_proven_threshold(monkeypatch, tmp_path):
    pytest.importorskip("matplotlib")
    from verify.run import plots
    seen = []
    monkeypatch.setattr(plots, "save_figure", lambda fig, stem: seen.append(fig) or [])
    plots.plot_thresholds({"2,2,1": {"proven": {"value": 3, "theorem_t": 3},
                                     "empirical": {"empirical_threshold": 3, "bound": 4}}},
                          tmp_path / "t")
    (fig,) = seen
    title = fig.axes[0].get_title()
    assert "r*_B" not in title and "proven r*" in title


def test_strata_explains_a_drop_other_than_predicted(capsys):
    # 2,3,1 at r = 3 fills (g = A = 4 < N - H = 6): no stratum drops, against a predicted
    # drop of 2, 1, 2 (proofs/strata.md section 6, filling networks).
    from verify.cli import main
    assert main(["strata", "2,3,1", "--degree", "3"]) == 0
    out = capsys.readouterr().out
    assert "False" in out
    flat = " ".join(out.split())
    assert "proofs/strata.md section 3" in flat and "section 6" in flat
    assert "fills (g = A)" in flat and "width one" in flat and "note column" in flat
    assert main(["strata", "2,2,1", "--degree", "3"]) == 0
    out = capsys.readouterr().out
    assert "agree" in out
