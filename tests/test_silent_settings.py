"""Settings that would do nothing say so (issue 24, item 3), and refusals name what a learner sees.

Found by driving the explorers' text boxes (tests/test_explorer_extremes.py): a real fraction that
gives no real word at the run's size ran without a word; the capstone's refusal named a private
class; notebook 05's gates box cut a verifier's rates ('real:0.1,0.2') in two at the comma.
"""
import warnings

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import collapse_lab as cl  # noqa: E402
from collapse_lab import dashboards  # noqa: E402
from collapse_lab.lessons import capstone, quality_gates  # noqa: E402


def test_a_fresh_real_fraction_that_rounds_to_no_sample_is_a_warning_in_words():
    with pytest.warns(UserWarning, match=r"rounds to 0 real samples, so this run has no real data; raise "
                                         r"real_fraction to at least 0\.01"):
        cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=1, samples=100, seeds=1, real_fraction=1e-300)
    with warnings.catch_warnings():                       # one real sample a generation: nothing to say
        warnings.simplefilter("error")
        cl.simulate(cl.Gaussian(), cl.GaussianModel(), generations=1, samples=100, seeds=1, real_fraction=0.01)


def test_the_gates_box_keeps_a_verifiers_rates_together():
    assert quality_gates._split("none, top:0.9, real:0.1,0.2, real+cap:4", "gates") == \
        ["none", "top:0.9", "real:0.1,0.2", "real+cap:4"]
    assert quality_gates._split("0, 0.2, 20%", "real fractions") == ["0", "0.2", "20%"]


def test_the_gates_explorer_refuses_a_real_fraction_with_no_real_word():
    explorer = dashboards.gates(run=False, gates="none", real_fractions="1e-300")
    assert explorer.run() is None
    assert "no real word in 2000 a generation" in explorer.message.value and "0.0005" in explorer.message.value


def test_the_capstones_refusal_names_its_words_not_a_private_class():
    with pytest.raises(ValueError, match="for the capstone's words instead") as refused:
        capstone.score(capstone.Recipe(gate="clip:1e-300"))
    assert "_SpellChecker" not in str(refused.value)
