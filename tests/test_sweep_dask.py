"""Sweeps past one machine (issue 6): the same cases run as tasks on a Dask
distributed cluster (here a local one on loopback) give the same records and a
byte-identical results.json as the local process pool."""

import pytest

from conftest import run_cli

pytest.importorskip("distributed")

TINY = """
name = "tiny"
[defaults]
method = "none"
[[case]]
arch = "2,2,1"
degrees = "2-3"
method = "auto"
[[case]]
arch = "3,2,1"
degrees = [2]
"""


def test_dask_local_cluster_matches_local_processes(tmp_path):
    cat = tmp_path / "tiny.toml"
    cat.write_text(TINY)
    outputs = {}
    for name, extra in [("local", ["--jobs", "2"]), ("dask", ["--dask", "local", "--jobs", "1"])]:
        code, out, err = run_cli("sweep", "--catalogue", cat, "--report", tmp_path / name,
                                 "--no-progress", *extra)
        assert code == 0, err
        outputs[name] = (tmp_path / name / "results.json").read_bytes()
    assert outputs["dask"] == outputs["local"]
    assert b'"verdict": "error"' not in outputs["dask"]
