"""The cases issue 24's first round left (the second engineer's list): each ends in a clear error
naming the parameter or the flag, or a warning in words."""
import math

import numpy as np
import pytest

from collapse_lab.engine import decoding, gates, guard


def run_in_process(capsys, *args):
    from collapse_lab.__main__ import main

    try:
        status = main(list(args))
    except SystemExit as stop:
        status = stop.code
    out = capsys.readouterr()
    return status, out.out, out.err


# ---- the command line ----------------------------------------------------------------------

@pytest.mark.parametrize("path, reason", [("/proc/x.png", "No such file|Permission denied|Read-only"),
                                          ("a" * 316 + ".png", "File name too long")])
def test_an_unwritable_plot_is_refused_before_the_run(capsys, tmp_path, monkeypatch, path, reason):
    monkeypatch.chdir(tmp_path)
    status, out, err = run_in_process(capsys, "run", "gaussian", "--generations", "2", "--plot", path)
    assert status == 2 and out == ""                   # nothing printed: refused before the run
    assert err.count("\n") == 1 and "--plot" in err and "Traceback" not in err
    assert len(err) < 200 and __import__("re").search(reason, err)


def test_a_writable_plot_leaves_no_empty_file_behind(tmp_path):
    from collapse_lab.__main__ import check_plot

    path = tmp_path / "new.png"
    assert check_plot(str(path)) == str(path) and not path.exists()


def test_teacher_samples_is_named_when_it_is_what_is_too_big(capsys):
    status, out, err = run_in_process(capsys, "run", "words", "--student", "ngram", "--teacher-samples",
                                      str(10**12), "--generations", "2")
    assert status == 2 and err.count("\n") == 1
    assert "lower --teacher-samples" in err and "--samples" not in err


def test_the_overflow_warning_is_one_line_in_words(capsys):
    status, out, err = run_in_process(capsys, "run", "gaussian", "--temperature", "1000", "--generations", "150",
                                      "--seeds", "2", "--samples", "20")
    assert status == 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("python -m collapse_lab: warning: simulate: the numbers of 2 of 2 seed(s) overflowed")
    assert "RuntimeWarning" not in err and ".py:" not in err
