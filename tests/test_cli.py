"""The command line, run as a learner or a script would run it: a real subprocess."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import run_in_process


def cli(*args):
    return subprocess.run([sys.executable, "-m", "collapse_lab", *args], capture_output=True, text=True, timeout=300)


def final_median_std(*extra):
    out = cli("run", "gaussian", "--generations", "200", "--samples", "20", "--seeds", "200", "--json", *extra)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    std = np.array(data["metrics"]["std"])
    assert std.shape == (200, 201)
    return np.median(std[:, -1]) / np.median(std[:, 0]), data


@pytest.mark.slow
def test_json_replace_collapses_and_the_remedies_hold():
    # the acceptance figures: replace < 5% of the start; accumulate / 10% real > 50%
    replace, data = final_median_std()
    assert data["config"]["mode"] == "replace" and data["config"]["samples"] == 20
    assert set(data["metrics"]) >= {"mean", "std", "tail_2sd", "tail_3sd", "wasserstein"}
    assert replace < 0.05
    assert final_median_std("--mode", "accumulate")[0] > 0.5
    assert final_median_std("--real-fraction", "0.1")[0] > 0.5


BAD_INPUT = [
    (["run", "gaussian", "--real-fraction", "1.5"], "--real-fraction"),
    (["run", "gaussian", "--generations", "0"], "--generations"),
    (["run", "gaussian", "--samples", "1"], "--samples"),
    (["run", "gaussian", "--temperature", "0"], "--temperature"),
    (["run", "gaussian", "--mode", "sideways"], "--mode"),
    (["run", "gaussian", "--gate", "sparkle"], "gate"),
    (["run", "categorical", "--smoothing", "-1"], "--smoothing"),
    (["run", "gaussian", "--gate", "real"], "gate"),
    (["run", "atlantis"], "world"),
    (["run", "gaussian", "--generations", "many"], "--generations"),
    # issue 13: integers beyond 64 bits are out of range, on the CLI and in the gates alike
    (["run", "gaussian", "--generations", "100000000000000000000"], "--generations"),
    (["run", "gaussian", "--seeds", "100000000000000000000"], "--seeds"),
    (["run", "gaussian", "--gate", "cap:1e20"], "--gate"),
    # --plot is checked before the run: a file name with an image extension, in a writable folder
    (["run", "gaussian", "--plot", ""], "--plot"),
    (["run", "gaussian", "--plot", "."], "--plot"),
    (["run", "gaussian", "--plot", "figure.txt"], "--plot"),
    (["run", "gaussian", "--plot", "/no/such/folder/figure.png"], "--plot"),
    # flags that do not apply to the world or model are refused, not ignored
    (["run", "gaussian", "--model", "neural", "--order", "99", "--mix", "garbage"], "--"),
    (["run", "gaussian", "--mix", "fi:0.05"], "--mix"),
    (["run", "gaussian", "--order", "3"], "--order"),
    (["run", "gaussian", "--vocab", "100"], "--vocab"),
    (["run", "words", "--vocab", "-7"], "--vocab"),
    (["run", "mixture1d", "--top-k", "3"], "--top-k"),
    (["run", "words", "--model", "neural", "--smoothing", "-1"], "--smoothing"),
    (["run", "words", "--model", "neural", "--order", "4"], "--order"),
    (["run", "words", "--distill", "soft"], "--distill"),
    (["run", "words", "--teacher-samples", "100"], "--teacher-samples"),
    (["run", "gaussian", "--no-refill"], "--no-refill"),
    (["run", "gaussian", "--student", "ngram"], "--student"),
    (["run", "categorical", "--top-k", "-1"], "--top-k"),
    (["run", "categorical", "--vocab", "0"], "--vocab"),
    (["run", "words", "--mix", "fi"], "--mix"),
    # fixed sets of values: argparse's choices
    (["run", "words", "--model", "transformer"], "--model"),
    (["run", "gaussian", "--real-source", "rain"], "--real-source"),
    (["run", "words", "--fine-tune", "always"], "--fine-tune"),
    (["run", "words", "--student", "ngram", "--distill", "lukewarm"], "--distill"),
    (["run", "words", "--student", "gpt"], "--student"),
    # the resource guard: refused before the run, naming what drives the estimate
    (["run", "gaussian", "--samples", "10000000", "--gate", "top:0.9"], "--samples"),
    (["run", "gaussian", "--seeds", "100000000"], "--seeds"),
    (["run", "gaussian", "--generations", "10000000"], "--generations"),
    (["run", "words", "--seeds", "50"], "--seeds"),
    (["run", "words", "--mix", "zh:0.3", "--order", "8", "--samples", "3000", "--generations", "1"], "--order"),
    (["run", "categorical", "--samples", "10000000"], "--samples"),
    (["run", "gaussian", "--memory-mb", "-3"], "--memory-mb"),
    (["run", "gaussian", "--memory-mb", "1", "--samples", "100000", "--gate", "top:0.9"], "--memory-mb"),
]


@pytest.mark.parametrize("args, flag", BAD_INPUT, ids=lambda a: " ".join(a) if isinstance(a, list) else a)
def test_bad_input_exits_2_with_one_line_naming_the_flag(capsys, args, flag):
    status, out, err = run_in_process(capsys, *args)
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert flag in lines[0]
    assert "Traceback" not in err and out == ""  # nothing half-done on stdout


@pytest.mark.slow
def test_bad_input_in_a_real_process_too():
    # the same path as a learner's shell: exit status 2, one line, no traceback
    out = cli("run", "gaussian", "--plot", "")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1 and "--plot" in out.stderr


def test_guard_refusal_says_what_to_lower_and_how_to_raise_the_limit(capsys):
    status, _, err = run_in_process(capsys, "run", "gaussian", "--seeds", "100000000")
    assert status == 2
    assert err.startswith("python -m collapse_lab: error: --seeds × --generations = ")
    assert "the limit is 1.5 GB" in err and "--memory-mb" in err


def test_memory_mb_raises_the_limit_for_one_run(capsys, monkeypatch):
    import os

    import collapse_lab.engine.loop

    monkeypatch.delenv("COLLAPSE_LAB_MEMORY_MB", raising=False)
    # 2 × 10⁷ gated samples: about 1.7 GB estimated, refused at the default 1.5 GB ...
    args = ("run", "gaussian", "--samples", "1000000", "--seeds", "20", "--generations", "1", "--gate", "top:0.9")
    status, _, err = run_in_process(capsys, *args)
    assert status == 2 and "--samples × --seeds" in err and "the limit is 1.5 GB" in err

    # ... and let through with --memory-mb 4000 (simulate is replaced here: the run itself is not the point)
    def reached(*_, **__):
        assert os.environ["COLLAPSE_LAB_MEMORY_MB"] == "4000.0"  # simulate's own guard sees the same budget
        raise ValueError("simulate reached")

    monkeypatch.setattr(collapse_lab.engine.loop, "simulate", reached)
    status, _, err = run_in_process(capsys, *args, "--memory-mb", "4000")
    assert status == 2 and "simulate reached" in err
    assert "COLLAPSE_LAB_MEMORY_MB" not in os.environ  # main() restores the environment


def test_json_has_no_infinity_or_nan_tokens(capsys):
    # issue 13: an extreme temperature gave Infinity in the JSON; refused or finite, never a token
    status, out, err = run_in_process(capsys, "run", "gaussian", "--generations", "3", "--seeds", "2",
                                      "--temperature", "1e308", "--json")
    assert status in (0, 2), err
    if status == 0:
        for token in ("NaN", "Infinity"):
            assert token not in out
        json.loads(out)


def test_json_writer_turns_non_finite_values_into_null():
    import io

    from collapse_lab.__main__ import write_json
    from collapse_lab.engine.loop import History

    history = History(config={"temperature": float("inf"), "seeds": 2},
                      metrics={"std": np.array([[1.0, np.nan], [np.inf, -np.inf]])}, stopped=[None, "why"])
    out = io.StringIO()
    write_json(history, out)
    assert "NaN" not in out.getvalue() and "Infinity" not in out.getvalue()
    data = json.loads(out.getvalue())
    assert data["metrics"]["std"] == [[1.0, None], [None, None]]
    assert data["config"]["temperature"] is None and data["stopped"] == [None, "why"]


def test_json_matches_history_to_dict(capsys):
    status, out, _ = run_in_process(capsys, "run", "gaussian", "--generations", "5", "--seeds", "3", "--json")
    assert status == 0
    from collapse_lab import worlds
    from collapse_lab.engine.loop import simulate

    history = simulate(worlds.Gaussian(), worlds.GaussianModel(), generations=5, samples=100, seeds=3, seed=0)
    assert json.loads(out)["metrics"] == json.loads(json.dumps(history.to_dict()["metrics"]))


@pytest.mark.slow
def test_benchmark_help_prints_help():
    root = Path(__file__).resolve().parents[1]
    for command, word in [([str(root / "benchmarks" / "engine.py")], "gaussian"),
                          ([str(root / "benchmarks" / "language_models.py")], "ngram")]:
        out = subprocess.run([sys.executable, *command, "--help"], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith("usage") and word in out.stdout


# ---------------------------------------------------------------------------------------------
# issue 9's levers on the command line (they run once the loop and models branches are merged)

LEVERS = [
    ["run", "gaussian", "--mode", "accumulate-subsample", "--generations", "5"],
    ["run", "gaussian", "--real-fraction", "0.1", "--real-source", "fixed", "--generations", "5"],
    ["run", "gaussian", "--gate", "top:0.9", "--no-refill", "--generations", "5"],
    ["run", "words", "--gate", "real:0.2,0.05", "--samples", "2000", "--generations", "2"],
    ["run", "words", "--top-p", "0.9", "--samples", "2000", "--generations", "2"],
    ["run", "words", "--top-k", "5", "--samples", "2000", "--generations", "2"],
    ["run", "categorical", "--top-p", "0.9", "--generations", "2"],
    ["run", "words", "--fine-tune", "first", "--samples", "2000", "--generations", "2"],
    ["run", "words", "--student", "ngram", "--teacher-samples", "5000", "--distill", "soft",
     "--samples", "2000", "--generations", "2"],
    ["run", "gaussian", "--memory-mb", "4000", "--generations", "3"],
]


@pytest.mark.parametrize("args", LEVERS, ids=lambda a: " ".join(a[1:4]))
def test_levers_run(capsys, args):
    status, out, err = run_in_process(capsys, *args, "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["config"]["generations"] == int(args[args.index("--generations") + 1])
    if "--gate" in args:
        assert "acceptance" in data["metrics"]
    for values in data["metrics"].values():
        finite = np.array([v for row in values for v in row if v is not None], float)
        assert np.isfinite(finite).all()


@pytest.mark.slow
def test_table_output_and_every_toy_world_runs():
    for world in ("gaussian", "mixture1d", "mixture2d", "categorical"):
        out = cli("run", world, "--generations", "3", "--seeds", "2", "--gate", "dedup")
        assert out.returncode == 0, out.stderr
        assert out.stdout.splitlines()[1].startswith("generation")


@pytest.mark.slow
def test_help_explains_worlds_gates_and_metrics():
    out = cli("--help")
    assert out.returncode == 0
    for word in ("gaussian", "mixture2d", "categorical", "words", "top:Q", "clip:K", "dedup",
                 "tail_2sd", "heldout_nll", "recall_tail", "minority_weight"):
        assert word in out.stdout, word
    run_help = cli("run", "--help").stdout
    for option in ("--generations", "--samples", "--real-fraction", "--mode", "--gate", "--temperature",
                   "--seeds", "--seed", "--json", "--plot", "--order", "--top-k", "--mix", "--model",
                   "--real-source", "--no-refill", "--top-p", "--fine-tune", "--teacher-samples", "--distill",
                   "--student", "--memory-mb", "accumulate-subsample"):
        assert option in run_help, option


@pytest.mark.slow
def test_gated_words_run(tmp_path):
    # --no-refill: 3,000 samples hold only about 2,100 distinct real words, so a refilling
    # real+dedup gate cannot fill the training set and the seed would stop (and say so)
    out = cli("run", "words", "--generations", "2", "--samples", "3000", "--gate", "real+dedup", "--no-refill", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["config"]["gate"].startswith("Verifier")
    assert np.isfinite(data["metrics"]["heldout_nll"][0]).all()
    assert 0 < data["metrics"]["acceptance"][0][1] < 1  # what the gate let through in generation 1


@pytest.mark.slow
def test_plot_writes_a_png(tmp_path):
    target = tmp_path / "gaussian.png"
    out = cli("run", "gaussian", "--generations", "20", "--plot", str(target))
    assert out.returncode == 0, out.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert target.stat().st_size > 10_000  # a real figure, not an empty canvas


@pytest.mark.slow
def test_neural_runs_record_their_device(capsys):
    # issue 13 item 6: results on a GPU differ from CPU results, so the configuration says which ran
    status, out, err = run_in_process(capsys, "run", "words", "--model", "neural", "--samples", "300",
                                      "--generations", "1", "--json")
    assert status == 0, err
    assert json.loads(out)["config"]["device"] in ("cpu", "cuda:0", "mps:0")
