"""The explorers layer: its synchronous mode (Colab), the Explorer's generic hooks, its import rule.

In Colab a widget changed from a background thread does not update on the page
(googlecolab/colabtools#3373), so there an explorer runs a click's experiment in the calling
thread. These tests pretend to be inside a kernel (`in_kernel`), where the threaded path runs.
"""
import ast
import sys
import threading
import time
import types
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from collapse_lab import dashboards  # noqa: E402
from collapse_lab.explorers import GateControl, explorer as explorer_module, int_slider, synchronous  # noqa: E402
from collapse_lab.explorers import Explorer  # noqa: E402


@pytest.fixture
def kernel(monkeypatch):
    """As inside Jupyter: a click's run goes to a thread unless the explorer is synchronous."""
    monkeypatch.setattr(explorer_module, "in_kernel", lambda: True)
    monkeypatch.delenv(explorer_module.SYNC_FLAG, raising=False)


def _wait_for(explorer, seconds=30):
    """Until a threaded explorer's run (and any queued one) has finished."""
    end = time.monotonic() + seconds
    while explorer._thread is not None and time.monotonic() < end:
        time.sleep(0.01)
    assert explorer._thread is None, "the run did not finish"


def _counter(sync, seconds_per_step=0.0, steps=5, **kwargs):
    """A small explorer whose experiment counts steps and notes the thread it ran in."""
    threads = []

    def experiment(values, tick):
        threads.append(threading.get_ident())
        done = []
        for step in range(steps):
            time.sleep(seconds_per_step)
            done.append(values["n"] * step)
            if tick(list(done), step + 1, steps) is False:
                break
        return done

    def draw(result, values, ax):
        ax.plot(result)
        return {"steps": len(result)}

    explorer = Explorer("count", {"n": int_slider(1, 1, 10, "n")}, experiment=experiment,
                        panels=lambda fig: fig.subplots(), draw=draw, sync=sync, **kwargs)
    return explorer, threads


def test_colab_or_the_flag_makes_explorers_synchronous(monkeypatch):
    monkeypatch.delenv(explorer_module.SYNC_FLAG, raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert not synchronous()
    monkeypatch.setenv(explorer_module.SYNC_FLAG, "1")
    assert synchronous()
    monkeypatch.setenv(explorer_module.SYNC_FLAG, "0")
    assert not synchronous()
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert synchronous() and _counter(sync=None)[0].sync


def test_a_sync_explorer_runs_a_click_in_the_calling_thread(kernel):
    threaded, threaded_runs = _counter(sync=False)
    sync, sync_runs = _counter(sync=True)
    for explorer in (threaded, sync):
        explorer.controls["n"].value = 3
    _wait_for(threaded)
    here = threading.get_ident()
    assert threaded_runs[-1] != here and sync_runs[-1] == here
    assert sync.result == threaded.result == [0, 3, 6, 9, 12]
    # Stop cannot be clicked while a sync run works: it is not offered
    assert sync.stop_button not in sync.widget.children[0].children[len(sync.controls) + 1].children
    assert threaded.stop_button in threaded.widget.children[0].children[len(threaded.controls) + 1].children


@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
def test_sync_and_threaded_explorers_give_the_same_result_and_picture(kernel, monkeypatch):
    small = dict(samples=20, generations=8, seeds=3)
    threaded = dashboards.gaussian(**small)
    monkeypatch.setenv(explorer_module.SYNC_FLAG, "1")
    sync = dashboards.gaussian(**small)
    assert sync.sync and not threaded.sync
    for explorer in (threaded, sync):
        with explorer.hold():
            explorer.controls["gate"].value = "clip"     # the gate control swaps its strength slider
        explorer.controls["samples"].value = 40
    _wait_for(threaded)
    assert sync.history.config == threaded.history.config
    for name in ("std", "tail_2sd"):
        np.testing.assert_array_equal(sync.history[name], threaded.history[name])
    assert sync.summary == threaded.summary
    picture = [e.output.outputs[0]["data"]["image/png"] for e in (threaded, sync)]
    assert picture[0] == picture[1]


@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
def test_a_sync_run_stops_at_the_time_limit_and_shows_what_it_ran(kernel, monkeypatch):
    monkeypatch.setattr(explorer_module, "SYNC_TIME_LIMIT", 0.15)
    explorer, _ = _counter(sync=True, seconds_per_step=0.05, steps=40)
    explorer.controls["n"].value = 2
    assert 2 <= len(explorer.result) < 40                         # stopped early, what ran is drawn
    assert "Stopped after" in explorer.message.value
    assert not explorer.run_button.disabled and explorer.progress_text.value == ""
    monkeypatch.setattr(explorer_module, "SYNC_TIME_LIMIT", 60.0)
    explorer.controls["n"].value = 1                              # the next run is whole again
    assert len(explorer.result) == 40 and "Stopped" not in explorer.message.value


def test_interrupting_the_kernel_stops_a_sync_run_and_the_explorer_stays_usable(kernel):
    explorer, _ = _counter(sync=True)
    explorer.run()
    experiment = explorer._experiment

    def interrupted(values, tick):
        raise KeyboardInterrupt

    explorer._experiment = interrupted
    explorer.controls["n"].value = 4
    assert "interrupted" in explorer.message.value and explorer.result == [0, 1, 2, 3, 4]
    assert not explorer.run_button.disabled
    explorer._experiment = experiment
    explorer.controls["n"].value = 5
    assert explorer.result == [0, 5, 10, 15, 20]


def test_on_result_reports_what_the_lesson_reads_off_each_drawing():
    explorer, _ = _counter(sync=True, on_result=lambda result, values, plotted: {"last": result[-1]})
    with pytest.raises(AttributeError, match="last"):
        explorer.last                                             # nothing drawn yet
    explorer.run()
    assert explorer.last == 4 and explorer.reported == {"last": 4}
    explorer.controls["n"].value = 2
    assert explorer.last == 8


def test_a_gate_control_keeps_the_strength_in_the_gates_units_on_its_own():
    control = GateControl([("none", "none"), ("top likelihood", "top"), ("clip outliers", "clip")])
    assert control.widgets["strength"].disabled
    control.widgets["gate"].value = "clip"
    strength = control.widgets["strength"]
    assert (strength.min, strength.max, strength.value) == (1.0, 4.0, 2.5) and not strength.disabled


def test_painter_and_controls_never_import_the_explorer():
    # the drawing and the controls stand on their own; the Explorer composes them
    package = Path(__file__).resolve().parents[1] / "collapse_lab" / "explorers"
    for name in ("painter.py", "controls.py"):
        tree = ast.parse((package / name).read_text())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):   # `from .explorer import X` and `from . import explorer`
                imported |= {node.module or ""} | {f"{node.module or ''}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
        assert not [m for m in imported if "explorer" in m.split(".") or "dashboards" in m], (name, imported)
