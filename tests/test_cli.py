"""The command line, run as a learner or a script would run it: a real subprocess."""
import json
import subprocess
import sys

import numpy as np
import pytest


def cli(*args):
    return subprocess.run([sys.executable, "-m", "collapse_lab", *args], capture_output=True, text=True, timeout=300)


def final_median_std(*extra):
    out = cli("run", "gaussian", "--generations", "200", "--samples", "20", "--seeds", "200", "--json", *extra)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    std = np.array(data["metrics"]["std"])
    assert std.shape == (200, 201)
    return np.median(std[:, -1]) / np.median(std[:, 0]), data


def test_json_replace_collapses_and_the_remedies_hold():
    # the acceptance figures: replace < 5% of the start; accumulate / 10% real > 50%
    replace, data = final_median_std()
    assert data["config"]["mode"] == "replace" and data["config"]["samples"] == 20
    assert set(data["metrics"]) >= {"mean", "std", "tail_2sd", "tail_3sd", "wasserstein"}
    assert replace < 0.05
    assert final_median_std("--mode", "accumulate")[0] > 0.5
    assert final_median_std("--real-fraction", "0.1")[0] > 0.5


@pytest.mark.parametrize(
    "args, parameter",
    [
        (["run", "gaussian", "--real-fraction", "1.5"], "real_fraction"),
        (["run", "gaussian", "--generations", "0"], "generations"),
        (["run", "gaussian", "--samples", "1"], "samples"),
        (["run", "gaussian", "--temperature", "0"], "temperature"),
        (["run", "gaussian", "--mode", "sideways"], "mode"),
        (["run", "gaussian", "--gate", "sparkle"], "gate"),
        (["run", "categorical", "--smoothing", "-1"], "smoothing"),
        (["run", "gaussian", "--gate", "real"], "gate"),
        (["run", "atlantis"], "world"),
        (["run", "gaussian", "--generations", "many"], "generations"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, parameter):
    out = cli(*args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert parameter in lines[0]
    assert out.stdout == ""  # nothing half-done on stdout


def test_table_output_and_every_toy_world_runs():
    for world in ("gaussian", "mixture1d", "mixture2d", "categorical"):
        out = cli("run", world, "--generations", "3", "--seeds", "2", "--gate", "dedup")
        assert out.returncode == 0, out.stderr
        assert out.stdout.splitlines()[1].startswith("generation")


def test_help_explains_worlds_gates_and_metrics():
    out = cli("--help")
    assert out.returncode == 0
    for word in ("gaussian", "mixture2d", "categorical", "words", "top:Q", "clip:K", "dedup",
                 "tail_2sd", "heldout_nll", "recall_tail", "minority_weight"):
        assert word in out.stdout, word
    run_help = cli("run", "--help").stdout
    for option in ("--generations", "--samples", "--real-fraction", "--mode", "--gate", "--temperature",
                   "--seeds", "--seed", "--json", "--plot", "--order", "--top-k", "--mix", "--model"):
        assert option in run_help, option


def test_gated_words_run(tmp_path):
    out = cli("run", "words", "--generations", "2", "--samples", "3000", "--gate", "real+dedup", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["config"]["gate"].startswith("Verifier")
    assert np.isfinite(data["metrics"]["heldout_nll"][0]).all()


def test_plot_writes_a_png(tmp_path):
    target = tmp_path / "gaussian.png"
    out = cli("run", "gaussian", "--generations", "20", "--plot", str(target))
    assert out.returncode == 0, out.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert target.stat().st_size > 10_000  # a real figure, not an empty canvas
