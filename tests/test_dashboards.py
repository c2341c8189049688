"""The explorers in pure Python, no browser: set a control, check the run and the plot followed.

Outside a Jupyter kernel a control change reruns synchronously, so each assertion below sees
the finished run. The claims checked are the ones the notebooks make in prose.
"""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from collapse_lab import dashboards

FAST_LM = dict(samples=400, generations=3, seeds=1)   # language explorers, small enough for tests


@pytest.fixture
def gaussian():
    return dashboards.gaussian()


def final(explorer, name):
    return explorer.plotted[name][-1]


def test_gaussian_runs_at_once_and_displays_as_its_widget(gaussian):
    assert gaussian.history is not None and gaussian.history.generations == 100
    assert gaussian.figure is not None and gaussian.message.value == ""
    bundle = gaussian._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert gaussian.output.outputs[0]["data"]["image/png"]      # the figure, as a PNG in the Output
    # the theory curve is drawn in its setting: replace, no real data, no gate
    assert gaussian.plotted["theory"] is not None


def test_more_real_data_keeps_sigma_closer_to_one(gaussian):
    collapsed = final(gaussian, "std")
    before = gaussian.history
    gaussian.controls["real_fraction"].value = 0.5
    assert gaussian.history is not before and gaussian.history.config["real_fraction"] == 0.5
    assert final(gaussian, "std") > collapsed
    assert abs(final(gaussian, "std") - 1) < 0.1
    assert gaussian.plotted["theory"] is None     # the theorem no longer applies: not drawn


def test_accumulate_bounds_the_collapse(gaussian):
    replace = final(gaussian, "std")
    gaussian.controls["mode"].value = "accumulate"
    assert gaussian.history.config["mode"] == "accumulate"
    assert final(gaussian, "std") > replace


def test_gate_choice_sets_the_strength_slider_in_its_units(gaussian):
    gaussian.controls["gate"].value = "clip"
    strength = gaussian.controls["strength"]
    assert "clip" in strength.description and strength.value == 2.5 and not strength.disabled
    assert "ClipOutliers(k=2.5)" in gaussian.history.config["gate"]
    gaussian.controls["gate"].value = "top"
    assert strength.value == 0.9 and "TopLikelihood" in gaussian.history.config["gate"]
    gaussian.controls["gate"].value = "none"
    assert strength.disabled and gaussian.history.config["gate"] is None


@pytest.mark.parametrize("name, bad, words", [
    ("samples", 1, "'samples' parameter"),
    ("generations", 0, "'generations' parameter"),
    ("seed", -3, "'seed' parameter"),
])
def test_a_bad_value_is_explained_in_words_not_raised(gaussian, name, bad, words):
    before, plotted = gaussian.history, gaussian.plotted
    gaussian.controls[name].value = bad        # no exception
    assert words in gaussian.message.value and "Got" in gaussian.message.value
    assert gaussian.history is before and gaussian.plotted is plotted      # the last good plot stays
    gaussian.controls[name].value = {"samples": 100, "generations": 100, "seed": 0}[name]
    assert gaussian.message.value == ""


def test_defaults_set_controls_and_unknown_names_are_refused():
    explorer = dashboards.gaussian(samples=20, generations=10, seeds=5, gate="top", strength=0.7)
    assert explorer.controls["samples"].value == 20 and explorer.history.generations == 10
    assert explorer.controls["strength"].value == 0.7 and "q=0.7" in explorer.history.config["gate"]
    with pytest.raises(ValueError, match="must be the name of one of its controls"):
        dashboards.gaussian(sample=20)


def test_a_bug_while_drawing_shows_up_as_a_message(gaussian):
    def broken(history, values, fig):
        raise RuntimeError("boom")

    gaussian.draw = broken
    gaussian.controls["seeds"].value = 5          # no exception
    assert "Something went wrong" in gaussian.message.value
    assert "boom" in gaussian.output.outputs[-1]["text"]


def test_same_seed_same_numbers(gaussian):
    first = gaussian.plotted["std"].copy()
    gaussian.run()
    np.testing.assert_array_equal(gaussian.plotted["std"], first)


def test_words_smoothing_keeps_words_alive():
    explorer = dashboards.words(generations=20)
    without = final(explorer, "rare_alive")
    explorer.controls["smoothing"].value = 0.01
    assert final(explorer, "rare_alive") == 1.0 > without      # smoothing: no word ever dies
    explorer.controls["smoothing"].value = 0.0
    explorer.controls["real_fraction"].value = 0.5
    assert final(explorer, "rare_alive") > without


def test_mixture_real_data_saves_the_minority():
    explorer = dashboards.mixture()
    lost = final(explorer, "surviving")
    assert lost <= 0.5                                         # most runs lose the minority mode
    explorer.controls["real_fraction"].value = 0.3
    assert final(explorer, "surviving") > lost
    explorer.controls["gate"].value = "clip"                   # clipping cuts the far minority first
    assert final(explorer, "surviving") < 1.0


def test_language_model_runs_behind_the_button_and_stops_when_asked():
    explorer = dashboards.language_model(**FAST_LM)
    assert explorer.history is None                            # nothing runs before Run
    explorer.controls["temperature"].value = 0.8
    assert explorer.history is None and "Run" in explorer.message.value
    explorer.run_button.click()
    h = explorer.history
    assert h.generations == 3 and {"heldout_nll", "recall_tail"} <= set(explorer.plotted)
    assert "gen 0" in explorer.extra.value                     # the words table

    # Stop: ask during the first live redraw; the run ends after that generation
    draw = explorer.draw

    def draw_then_stop(history, values, fig):
        explorer.stop()
        return draw(history, values, fig)

    explorer.draw = draw_then_stop
    explorer.controls["generations"].value = 10
    explorer.run()
    assert explorer.history.generations < 10 and "Stopped" in explorer.message.value


def test_gates_grid_and_its_bad_specs():
    explorer = dashboards.gates(gates="none, top:0.7", real_fractions="0, 0.5", **FAST_LM)
    explorer.run()
    points = explorer.plotted["points"]
    assert len(points) == 4 and len(explorer.result) == 4
    quality = {(p["label"], p["group"]): p["quality"] for p in points}
    # the naive filter raises apparent quality (more real words) at the same real fraction
    assert quality["top:0.7", "real 0"] > quality["none", "real 0"]
    # a view control redraws without rerunning
    result = explorer.result
    explorer.controls["diversity"].value = "distinct_words"
    assert explorer.result is result and explorer.plotted["points"][0]["diversity"] > 1
    # impossible settings are refused in words
    explorer.controls["gates"].value = "none, top:2"
    explorer.run()
    assert "'q' parameter" in explorer.message.value and explorer.result is result
    explorer.controls["gates"].value = "none"
    explorer.controls["real_fractions"].value = "0, lots"
    explorer.run()
    assert "real fractions" in explorer.message.value


def test_monitor_alarms_follow_their_thresholds_without_rerunning():
    explorer = dashboards.monitor(samples=500, generations=6, seeds=1)
    explorer.run()
    assert set(explorer.alarms) == {"heldout_nll", "distinct_words", "recall_tail", "entropy"}
    history = explorer.history
    explorer.controls["nll_rise"].value = 1           # a hair trigger trips at once
    assert explorer.alarms["heldout_nll"] == 1
    explorer.controls["nll_rise"].value = 90          # a blind one never does
    assert explorer.alarms["heldout_nll"] is None
    assert explorer.history is history                # thresholds only redraw


def test_first_alarm():
    assert dashboards.first_alarm([1.0, 1.05, 1.2, 1.5], 0.1, +1) == 2
    assert dashboards.first_alarm([1.0, 0.9, 0.7], 0.25, -1) == 2
    assert dashboards.first_alarm([1.0, 1.0, np.nan], 0.1, -1) is None


def test_language_model_smoothing_reaches_the_model_and_changes_what_it_forgets():
    # light smoothing: the model forgets (fewer distinct words); heavy smoothing adds made-up words
    explorer = dashboards.language_model(order=4, smoothing=0.001, samples=2000, generations=5, seeds=1)
    explorer.run()
    light = explorer.history
    assert "smoothing=0.001" in light.config["model"]
    explorer.controls["smoothing"].value = 1.0
    explorer.run()
    heavy = explorer.history
    assert "smoothing=1.0" in heavy.config["model"]
    assert heavy.median("distinct_words")[-1] > light.median("distinct_words")[-1]
    assert heavy.median("real_word_share")[-1] < light.median("real_word_share")[-1]
