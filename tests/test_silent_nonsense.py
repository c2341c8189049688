"""Settings that did nothing, and numbers that overflowed, now say so (issue 24, item 3)."""
import numpy as np
import pytest

from collapse_lab import gates, worlds
from collapse_lab.engine.loop import simulate


def test_a_fixed_real_set_of_nothing_is_refused():
    with pytest.raises(ValueError, match="'real_source' parameter of simulate can be 'fixed' only"):
        simulate(worlds.Gaussian(), worlds.GaussianModel(), real_source="fixed", real_fraction=0.0)
    with pytest.raises(ValueError, match="rounds to 0"):  # 0.004 × 100 rounds to 0 real samples
        simulate(worlds.Gaussian(), worlds.GaussianModel(), real_source="fixed", real_fraction=0.004)


def test_overflow_stops_the_seed_and_says_which_generation():
    with pytest.warns(RuntimeWarning, match=r"overflowed, the first at generation \d+"):
        h = simulate(worlds.Gaussian(), worlds.GaussianModel(), temperature=1000, generations=300, seeds=3, seed=0)
    assert all(why and "overflowed" in why for why in h.stopped)
    std = h["std"]
    assert np.isfinite(std[~np.isnan(std)]).all()  # no inf returned as a number


@pytest.mark.parametrize("spec", ["real: 0.1 , 0.2 ", "real:0.1, 0.2", "top:０.９", "top:0_5", "cap:١"])
def test_the_gate_parser_is_strict(spec):
    with pytest.raises(ValueError, match="'gate' parameter"):
        gates.parse(spec, worlds.Words())


def test_the_gate_parser_still_reads_plain_specs():
    assert gates.parse("real:0.1,0.2", worlds.Words()) is not None
    assert gates.parse("top:0.9+dedup", worlds.Words()) is not None
