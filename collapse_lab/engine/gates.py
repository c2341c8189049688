"""Quality gates: filters between a model's output and the next generation's training set.

A gate is a callable  gate(samples, model, mask, rng=None) -> mask : it receives the samples
(seeds, n, ...), the model that made them, the samples still kept, and the run's random generator
(only gates that flip coins use it, e.g. an imperfect Verifier), and returns the samples it keeps.
Any plain function gate(samples, model, mask) works too: the loop passes `rng` only to Gates.
Gates combine with `&` and apply left to right, so one notebook line builds a pipeline:

    gate = TopLikelihood(0.8) & Dedup()

Refill. `simulate` (refill=True) draws more samples, batch after batch, until every seed has as
many synthetic samples that pass as its training set needs. Each gate then sees one batch at a
time, through `gate.refill(batch, model, mask, rng, kept, kept_mask)`:
  - TopLikelihood keeps the fraction q of *each batch* it finds most likely (a per-batch filter);
  - ClipOutliers clips each batch against that batch's own mean and spread;
  - CapCopies / Dedup count copies across *everything already kept* in this generation, so the
    finished training set never holds more than k copies of a sample, however many batches it took;
  - Verifier checks each sample on its own, so batches do not matter.

`TopLikelihood` is the naive "quality" filter: keeping what the model itself finds most likely
raises apparent quality while cutting the tails faster (Shumailov et al. 2024; Alemohammad et al.
2023). A `Verifier` checks samples against something outside the model, the kind of selection
Feng et al. (2024) show can prevent collapse -- and, with false_accept / false_reject, a verifier
that errs, as real ones do (Feng et al. study exactly how good a verifier must be).
"""
import numpy as np

from .checks import Interval, validate_params, parse_number
from .base import Params


class Gate(Params):
    """Base class: subclasses implement __call__(samples, model, mask, rng=None) -> mask.

    Rules for the constructor's arguments are declared once, in `_parameter_constraints`, and
    checked when the gate is built (a gate, like a world, is fixed once made).
    """

    # the least share of a batch this gate passes, when the gate knows it (TopLikelihood: q); None
    # means "could be almost nothing", and the guard then counts max_draws × the target in refill
    min_acceptance = None

    def __and__(self, other):
        return Chain(self, other)

    def get_params(self):
        """As Params, but a gate written without an __init__ (a quick subclass) has no parameters."""
        if type(self).__init__ is object.__init__:
            return {}
        return super().get_params()

    def refill(self, samples, model, mask, rng, kept, kept_mask):
        """Gate one more batch during refill; `kept`/`kept_mask` hold what earlier batches kept.

        By default each batch is gated on its own (see the module docstring for who overrides it).
        """
        return self(samples, model, mask, rng=rng)


class Chain(Gate):
    """Apply gates one after the other, each to what the previous ones kept."""

    def __init__(self, *gates):
        self.gates = gates

    def get_params(self):
        return {"gates": self.gates}

    @property
    def min_acceptance(self):
        shares = [getattr(g, "min_acceptance", None) for g in self.gates]
        return None if None in shares else float(np.prod(shares))

    def __call__(self, samples, model, mask, rng=None):
        for gate in self.gates:
            mask = apply(gate, samples, model, mask, rng)
        return mask

    def refill(self, samples, model, mask, rng, kept, kept_mask):
        for gate in self.gates:
            if isinstance(gate, Gate):
                mask = gate.refill(samples, model, mask, rng, kept, kept_mask)
            else:
                mask = apply(gate, samples, model, mask, rng)
        return mask

    def __repr__(self):
        return " & ".join(repr(g) for g in self.gates)


def apply(gate, samples, model, mask, rng=None):
    """Call a gate: a Gate gets the run's generator, a plain function gate(samples, model, mask) does not."""
    out = gate(samples, model, mask, rng=rng) if isinstance(gate, Gate) else gate(samples, model, mask)
    # a learner's gate that forgot its `return`, or returned one flag per seed: said in words, not a
    # numpy error three calls later
    name = getattr(gate, "__name__", type(gate).__name__)
    if out is None:
        raise ValueError(f"The gate {name} returned None: a gate must return the mask, a (seeds, n) array of "
                         f"True/False of the same shape as the mask it was given {tuple(np.shape(mask))}. Did it "
                         f"forget `return`?")
    try:
        result = np.asarray(out)
    except Exception:  # an object numpy cannot read (a generator gives a 0-d object array; this is worse)
        result = np.asarray(None)
    if result.shape != np.shape(mask) or not (result.dtype == bool or np.issubdtype(result.dtype, np.number)):
        raise ValueError(f"The gate {name} returned {_what(result)}: a gate must return a (seeds, n) array of "
                         f"True/False of the same shape as the mask it was given {tuple(np.shape(mask))}.")
    return result.astype(bool)


def _what(result):
    if result.dtype == object or result.dtype.kind in "USV":
        return f"an array of {result.dtype.name} values, shape {result.shape}"
    return f"an array of shape {result.shape}"


class TopLikelihood(Gate):
    """Keep the fraction q of samples the model itself rates most likely (per seed, per batch)."""

    _parameter_constraints = {"q": [Interval(float, 0, 1, closed="right")]}

    def __init__(self, q=0.8):
        self.q = q
        self.q = self._validate_params()["q"]

    def __call__(self, samples, model, mask, rng=None):
        logp = np.where(mask, model.log_prob(samples), -np.inf)
        # rank samples within each seed, most likely first; keep the top ceil(q · kept) of them
        order = np.argsort(-logp, axis=1, kind="stable")
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(order.shape[1])[None, :].repeat(len(order), 0), axis=1)
        keep_n = np.ceil(self.q * mask.sum(axis=1))
        return mask & (rank < keep_n[:, None])

    @property
    def min_acceptance(self):
        return self.q  # ceil(q · live) of every batch pass, by construction


class ClipOutliers(Gate):
    """Drop samples more than k standard deviations from their batch mean (per seed).

    For 2-D samples the distance is Mahalanobis, from the batch covariance. A common cleaning
    step; it also cuts off a small far-away minority mode.
    """

    _parameter_constraints = {"k": [Interval(float, 0, 1e6, closed="right")]}  # k² stays finite

    def __init__(self, k=2.0):
        self.k = k
        self.k = self._validate_params()["k"]

    def __call__(self, samples, model, mask, rng=None):
        X = np.asarray(samples)
        if X.dtype.kind not in "fiu":
            raise ValueError(f"The 'samples' parameter of ClipOutliers must be an array of numbers. Got dtype {X.dtype} instead.")
        P = X[..., None] if X.ndim == 2 else X                              # (S, n, d)
        w = mask.astype(float)[..., None]
        count = np.maximum(w.sum(axis=1), 1)                                 # (S, 1)
        mean = (w * P).sum(axis=1) / count                                   # (S, d)
        diff = P - mean[:, None]
        cov = np.einsum("snd,sne->sde", w * diff, diff) / count[..., None]  # (S, d, d)
        cov = cov + 1e-12 * np.eye(P.shape[-1])                              # a collapsed batch stays invertible
        maha = np.einsum("snd,sde,sne->sn", diff, np.linalg.inv(cov), diff)
        return mask & (maha <= self.k**2)

    @property
    def min_acceptance(self):
        """The least share of any batch that passes, for d ≤ 2 dimensions (the guard's refill estimate).

        Measured from the batch's own mean and covariance, the squared distances average exactly d
        (the trace of Σ⁻¹Σ), so by Markov's inequality at most d/k² of the batch lies beyond k:
        at least 1 − 2/k² passes, whatever the distribution (at k = 2, half; a Gaussian passes 95%)."""
        squared = self.k ** 2
        return 1 - 2 / squared if squared > 2 else None   # k ≤ √2 promises nothing


class CapCopies(Gate):
    """Keep at most k copies of each distinct sample (per seed); the first kept copies win.

    A model that drifts towards its favourite outputs writes them again and again; capping the
    copies trims exactly that excess and never touches a sample that appears once. Under refill
    the copies already kept from earlier batches count too.
    """

    _parameter_constraints = {"k": [Interval(int, 1, None)]}

    def __init__(self, k=3):
        # checked against CapCopies' rule by name, so Dedup (no arguments) shares it
        self.k = validate_params({"k": k}, CapCopies._parameter_constraints, type(self).__name__)["k"]

    def __call__(self, samples, model, mask, rng=None):
        X = np.asarray(samples)
        if X.ndim > 2:  # compare whole points: view each row of coordinates as one opaque value
            X = np.ascontiguousarray(X).view(np.dtype((np.void, X.dtype.itemsize * X.shape[-1])))[..., 0]
        # sort each seed's samples by value, kept ones first within a value: copies become runs
        order = np.lexsort((~mask, X), axis=1)
        xs = np.take_along_axis(X, order, axis=1)
        ms = np.take_along_axis(mask, order, axis=1)
        new = np.ones(xs.shape, bool)
        new[:, 1:] = xs[:, 1:] != xs[:, :-1]
        i = np.arange(xs.shape[1])[None, :]
        run_start = np.maximum.accumulate(np.where(new, i, 0), axis=1)
        keep = np.empty_like(mask)
        np.put_along_axis(keep, order, ms & (i - run_start < self.k), axis=1)  # position in its run < k
        return keep

    def refill(self, samples, model, mask, rng, kept, kept_mask):
        if kept is None or kept.shape[1] == 0:
            return self(samples, model, mask)
        # the kept samples go first, so their copies win (they already hold at most k of each);
        # a new sample passes only while its value has fewer than k copies in the whole set
        both = self(np.concatenate([kept, samples], axis=1), model, np.concatenate([kept_mask, mask], axis=1))
        return both[:, kept.shape[1]:]


class Dedup(CapCopies):
    """Keep one copy of each distinct sample (per seed): CapCopies with k = 1."""

    _parameter_constraints = {}

    def __init__(self):
        super().__init__(1)

    def get_params(self):
        return {}

    def __repr__(self):
        return "Dedup()"


class Verifier(Gate):
    """Keep samples that pass an outside check, e.g. "is a real word". `check(samples) -> bool array`.

    false_accept : probability that a sample failing the check passes anyway (a bad sample slips through)
    false_reject : probability that a sample passing the check is dropped anyway (a good one is lost)
    With both 0 (the default) the verifier is a perfect oracle. An imperfect verifier flips its
    coins with the run's generator `rng` (simulate passes it), so a seeded run stays reproducible.
    Feng et al. (2024) show that such imperfect verifiers can still prevent collapse when they are
    good enough.
    """

    _parameter_constraints = {
        "check": [callable],
        "name": [str],
        "false_accept": [Interval(float, 0, 1)],
        "false_reject": [Interval(float, 0, 1)],
    }

    def __init__(self, check, name="verifier", false_accept=0.0, false_reject=0.0):
        self.check = check
        self.name = name
        self.false_accept = false_accept
        self.false_reject = false_reject
        checked = self._validate_params()
        self.false_accept, self.false_reject = checked["false_accept"], checked["false_reject"]

    @property
    def perfect(self):
        return self.false_accept == 0 and self.false_reject == 0

    def __call__(self, samples, model, mask, rng=None):
        good = np.asarray(self.check(samples), bool)
        if self.perfect:
            return mask & good
        if rng is None:
            raise ValueError(f"The 'rng' parameter of {self!r} must be a numpy Generator: an imperfect verifier "
                             "flips coins (simulate passes the run's generator). Got None instead.")
        u = rng.random(good.shape)
        # a good sample passes with probability 1 − false_reject, a bad one with probability false_accept
        passes = np.where(good, u >= self.false_reject, u < self.false_accept)
        return mask & passes

    def __repr__(self):
        if self.perfect:
            return f"Verifier({self.name})"
        return f"Verifier({self.name}, false_accept={self.false_accept:g}, false_reject={self.false_reject:g})"


GATE_HELP = {
    "top:Q": "keep the fraction Q in (0, 1] the model rates most likely (naive quality filter)",
    "clip:K": "drop samples beyond K standard deviations of their batch (outlier clipping)",
    "dedup": "keep one copy of each distinct sample",
    "cap:K": "keep at most K copies of each distinct sample",
    "real": "verifier: keep only real words (word worlds only)",
    "real:FA,FR": "imperfect verifier: a non-word passes with probability FA, a real word is dropped with probability FR",
}


def parse(spec, world=None):
    """Build a gate from a spec such as 'top:0.8', 'clip:2', 'dedup', 'cap:3', 'real', 'real:0.2,0.05'
    or 'real+cap:3'. A part written with a colon must give its number ('top:' is refused); a part
    without one uses the default ('top' is top:0.8, 'clip' is clip:2, 'cap' is cap:3)."""
    if spec is None or spec in ("", "none"):
        return None
    usage = (f"The 'gate' parameter must be a gate spec: 'none' or '+'-joined parts from {', '.join(GATE_HELP)}. "
             f"Got {spec!r} instead.")
    if not isinstance(spec, str):
        raise ValueError(usage)
    gates = []
    for part in spec.split("+"):
        name, colon, arg = part.partition(":")
        if colon and not arg:
            raise ValueError(usage)  # 'top:' or 'cap:' — a number was meant, none was given
        numbers = None
        if arg:
            try:
                # strict: ASCII digits, no spaces, no '_' ('real: 0.1 , 0.2 ' and 'top:０.９' are typos, not numbers)
                numbers = [parse_number(a, "gate", "parse") if a == a.strip() else float("x") for a in arg.split(",")]
            except ValueError:
                raise ValueError(usage) from None
            if len(numbers) != (2 if name == "real" else 1):
                raise ValueError(usage)
        number = numbers[0] if numbers else None
        if name == "top":
            gates.append(TopLikelihood(0.8 if number is None else number))
        elif name == "clip":
            if getattr(world, "kind", None) not in (None, "gaussian", "mixture"):  # words, or categories' labels
                raise ValueError(f"The 'gate' parameter part 'clip' needs samples that are numbers (a Gaussian or a "
                                 f"mixture world). Got {spec!r} for {getattr(world, 'described', 'world ' + type(world).__name__)} instead.")
            gates.append(ClipOutliers(2.0 if number is None else number))
        elif name == "cap":
            # "cap:3" arrives as 3.0; a fractional or huge count stays a float so the check refuses it
            whole = number is not None and np.isfinite(number) and number.is_integer() and abs(number) < 2**63
            gates.append(CapCopies(3 if number is None else int(number) if whole else number))
        elif name == "dedup" and not colon:
            gates.append(Dedup())
        elif name == "real":
            if getattr(world, "is_real", None) is None:  # the world declares no oracle
                raise ValueError(f"The 'gate' parameter part 'real' needs a world of words. Got world {type(world).__name__} instead.")
            fa, fr = numbers if numbers else (0.0, 0.0)
            gates.append(Verifier(world.is_real, "real word", false_accept=fa, false_reject=fr))
        else:
            raise ValueError(usage)
    return gates[0] if len(gates) == 1 else Chain(*gates)
