"""The two interfaces every experiment plugs into the loop: a World and a Model.

Seeds run side by side, so every array carries a leading *seed axis*:

    X     : (seeds, n, *event)   one row of n samples per independent run
    mask  : (seeds, n) bool       which samples count (a gate or an empty slot sets False)

A Model follows scikit-learn's conventions: ``__init__`` only stores its arguments,
``fit`` learns (one fitted model per seed) and returns ``self``, learned state ends in ``_``.

    model.fit(X, mask)                      -> self
    model.sample(n, rng, temperature=1.0)   -> X of shape (seeds, n, *event)
    model.log_prob(X)                       -> (seeds, n) log-likelihood of each sample, per seed's model

A World is the true, human distribution. It makes real data and it is the yardstick:

    world.sample((seeds, n), rng)   -> X
    world.measure(model, samples, model0) -> {metric name: (seeds,) float array}
                                       `samples` is what the fitted model just generated
                                       (None on the exact Gaussian path, which has none);
                                       `model0` is the generation-0 model, for comparisons

A gate is any callable  gate(samples, model, mask) -> mask  (see gates.py).

Anything with these methods works in `simulate`; the classes below exist to document them.
"""
import functools
import inspect

import numpy as np

from .checks import shown, validate_params


@functools.lru_cache(maxsize=None)
def _init_names(cls):
    """The names of a class's constructor arguments (read once per class: models are refitted every
    generation, and inspect.signature would otherwise cost more than a Gaussian's fit)."""
    return tuple(p for p in inspect.signature(cls.__init__).parameters if p != "self")


class Params:
    """Constructor arguments as parameters (scikit-learn's BaseEstimator, in a few lines).

    A class lists the rules for its arguments once, in `_parameter_constraints`
    ({name: [Interval(...), None, ...]}, see _checks.validate_params); `_validate_params()` checks
    them all in one step. Models call it at the start of `fit`; worlds, which are data rather than
    learners, call it when they are built, so a bad world fails at once.
    """

    _parameter_constraints = {}

    def get_params(self):
        """The constructor arguments, read back from the attributes of the same names."""
        return {name: getattr(self, name) for name in _init_names(type(self))}

    def set_params(self, **params):
        """Change constructor arguments (unknown names are refused); returns self.

        The new values are checked against the class's declared rules at once, before any is set
        (`set_params(top_p=5.0)` is refused here, not at the next fit), so a refused call leaves the
        object as it was. Only the changed parameters are checked: an old value is not blamed here.
        """
        known = self.get_params()
        for name in params:
            if name not in known:
                raise ValueError(f"The {name!r} parameter is not a parameter of {type(self).__name__}. "
                                 f"Its parameters are {', '.join(known) or 'none'}.")
        rules = {name: rule for name, rule in self._parameter_constraints.items() if name in params}
        validate_params(params, rules, f"{type(self).__name__}.set_params")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def _validate_params(self):
        """Check every declared rule; returns {name: checked value}."""
        return validate_params(self.get_params(), self._parameter_constraints, type(self).__name__)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


class Model(Params):
    """A generative model fitted once per seed. Subclasses implement fit, sample, log_prob.

    What a model declares (class attributes), so the engine never probes for methods:
    kind              the kind of data it fits ("gaussian", "mixture", "categorical", "words")
    sufficient_stats  True if it also has fit_stats/sample_stats/combine_stats (the exact path)
    """

    kind = None
    sufficient_stats = False

    def memory_parts(self, estimate, world, run):
        """Add this model's own memory parts to a guard.Estimate and return True, or return False
        to be costed by the guard's generic per-sample terms (run: simulate's arguments, as ints)."""
        return False

    def fit(self, X, mask=None):
        raise NotImplementedError

    def sample(self, n, rng, temperature=1.0):
        raise NotImplementedError

    def log_prob(self, X):
        raise NotImplementedError


class World(Params):
    """The true distribution: sample real data, and measure a fitted model against it.

    Not a Model: a world is never fitted. It samples with a shape, `sample((seeds, n), rng)`.

    What a world declares (class attributes), so the engine and the figures never probe it:
    kind              the kind of data it makes (a model must fit the same kind)
    sufficient_stats  True if it also has sample_stats (the exact path)
    is_real           None, or a method is_real(X) -> bool array: an oracle a Verifier gate can use
    """

    kind = None
    sufficient_stats = False
    is_real = None

    def sample(self, shape, rng):
        raise NotImplementedError

    def measure(self, model, samples, model0=None):
        raise NotImplementedError


def as_mask(X, mask):
    """All-True mask of the (seeds, n) part of X when none is given."""
    return np.ones(X.shape[:2], bool) if mask is None else np.asarray(mask, bool)


def check_params(obj):
    """Check an object's declared parameter rules now, before any data is drawn (the CLI and the
    explorers call this so a bad value fails at once); returns {name: checked value}."""
    return obj._validate_params() if isinstance(obj, Params) else {}


def clone(model):
    """A fresh, unfitted copy with the same arguments (scikit-learn's `clone`, in one line)."""
    if not callable(getattr(model, "get_params", None)):
        raise ValueError(f"The 'model' parameter of clone must be a model of the course (with get_params). "
                         f"Got {shown(model)} instead.")
    return type(model)(**model.get_params())
