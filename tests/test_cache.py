"""The one cache of the course's runs (engine/cache.py): keyed by every argument and the version, bounded."""
import numpy as np

import collapse_lab
from collapse_lab import Gaussian, GaussianModel, simulate
from collapse_lab.engine import cache
from collapse_lab.engine.cache import key_of, remembered


def test_a_call_is_keyed_by_every_argument_after_defaults_and_the_version():
    def run(minority=0.1, *, samples=200, **levers):
        return minority, samples, levers

    name, named, version = key_of(run, (), {})
    assert name.endswith("run") and version == collapse_lab.__version__
    assert key_of(run, (0.1,), {"samples": 200}) == key_of(run, (), {})
    assert key_of(run, (), {"mode": "accumulate"}) != key_of(run, (), {})
    # the course's objects are named by their repr, so equal worlds share a key in every process
    assert key_of(run, (Gaussian(),), {}) == key_of(run, (Gaussian(),), {})
    assert key_of(run, (Gaussian(std=2.0),), {}) != key_of(run, (Gaussian(),), {})
    # every constructor argument counts, not only what the repr shows (Words' repr omits heldout)
    from collapse_lab import Words
    assert key_of(run, (Words(n_words=300, heldout=500),), {}) != key_of(run, (Words(n_words=300),), {})


def test_a_remembered_run_is_computed_once_and_the_oldest_goes_first():
    calls = []

    @remembered(maxsize=2)
    def run(seed=0, samples=50):
        calls.append(seed)
        return simulate(Gaussian(), GaussianModel(), generations=3, samples=samples, seed=seed)

    first = run(0)
    assert run(seed=0) is first and run(0, 50) is first and calls == [0]
    run(1)
    run(2)                          # the cache holds two: seed 0, the least recently used, goes
    again = run(0)
    assert calls == [0, 1, 2, 0] and again is not first
    assert np.array_equal(again["std"], first["std"])   # seeded: the rerun gives the same numbers


def test_an_object_with_no_telling_repr_is_never_mistaken_for_another():
    @remembered(maxsize=4)
    def apply(f, x=1):
        return f(x)

    assert apply(lambda x: x + 1) == 2
    assert apply(lambda x: x + 2) == 3   # a new function, perhaps at a freed address: not a hit


def test_a_store_is_read_before_computing_and_written_after():
    class Store(dict):
        def get(self, key):
            return super().get(key)

        def put(self, key, value):
            self[key] = value

    store = Store()
    cache.STORES.append(store)
    try:
        def square(x):
            return x * x

        square.__module__ = "collapse_lab.lessons.example"  # only the package's own runs go to a store
        square = remembered(maxsize=1)(square)

        assert square(3) == 9 and len(store) == 1
        store[next(iter(store))] = "from the store"
        square.cache_clear()
        assert square(3) == "from the store"
    finally:
        cache.STORES.remove(store)
