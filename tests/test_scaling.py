"""Scaling curves on real and synthetic words (Dohmatob et al. 2024)."""
import numpy as np
import pytest

from collapse_lab.worlds import NGramLM
from collapse_lab.lessons.tails import scaling_curve
from collapse_lab.worlds import Categorical, EmpiricalModel
from collapse_lab.worlds.words import Words

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def curve():
    return scaling_curve(Words(), NGramLM(order=3), sizes=(1000, 5000, 25000, 100000), top_p=0.8, seeds=2, seed=0)


def test_real_data_keeps_improving_and_top_p_data_does_not(curve):
    real, synthetic = curve["real"]["heldout_nll"], curve["synthetic"]["heldout_nll"]
    assert real.shape == synthetic.shape == (2, 4)
    assert (np.diff(real, axis=1) < 0).all()  # more real words, lower held-out loss, at every step
    # top-p data lack every character the nucleus cut: the gap to real data only widens with size
    # (measured 0.5 nats/char at 1,000 words, 1.1 at 100,000)
    gap = synthetic - real
    assert (gap[:, -1] > gap[:, 0]).all() and (gap[:, -1] > 0.5).all()
    assert (curve["synthetic"]["recall_tail"][:, -1] < curve["real"]["recall_tail"][:, -1]).all()


def test_untruncated_synthetic_data_plateau_at_the_generators_level(curve):
    c = scaling_curve(Words(), NGramLM(order=3), sizes=(2000, 20000, 100000), seed=1)
    # the generator saw 20,000 real words: at 100,000 its samples teach no more than it knows
    assert abs(c["synthetic"]["heldout_nll"][0, -1] - c["generator"]["heldout_nll"][0]) < 0.02
    assert c["real"]["heldout_nll"][0, -1] < c["synthetic"]["heldout_nll"][0, -1] - 0.01


def test_any_world_and_model_work_and_bad_sizes_are_refused():
    world = Categorical.words(500)
    c = scaling_curve(world, EmpiricalModel(world.n_categories), sizes=(100, 1000), top_p=0.5)
    assert c["synthetic"]["support"][0, -1] < c["real"]["support"][0, -1]
    for sizes in ((1000, 100), (1,), (), (2.5, 10)):
        with pytest.raises(ValueError, match="The 'sizes' parameter of scaling_curve"):
            scaling_curve(world, EmpiricalModel(world.n_categories), sizes=sizes)
