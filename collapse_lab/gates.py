"""Quality gates: filters between a model's output and the next generation's training set.

A gate is a callable  gate(samples, model, mask) -> mask : it receives the samples (seeds, n, ...),
the model that made them, and the samples still kept, and returns the samples it keeps.
Gates combine with `&` and apply left to right, so one notebook line builds a pipeline:

    gate = TopLikelihood(0.8) & Dedup()

`TopLikelihood` is the naive "quality" filter: keeping what the model itself finds most likely
raises apparent quality while cutting the tails faster (Shumailov et al. 2024; Alemohammad et al.
2023). A `Verifier` checks samples against something outside the model, the kind of selection
Feng et al. (2024) show can prevent collapse.
"""
import numpy as np

from ._checks import check_number


class Gate:
    """Base class: subclasses implement __call__(samples, model, mask) -> mask."""

    def __and__(self, other):
        return Chain(self, other)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class Chain(Gate):
    """Apply gates one after the other, each to what the previous ones kept."""

    def __init__(self, *gates):
        self.gates = gates

    def __call__(self, samples, model, mask):
        for gate in self.gates:
            mask = gate(samples, model, mask)
        return mask

    def __repr__(self):
        return " & ".join(repr(g) for g in self.gates)


class TopLikelihood(Gate):
    """Keep the fraction q of samples the model itself rates most likely (per seed)."""

    def __init__(self, q=0.8):
        self.q = check_number(q, "q", "TopLikelihood", low=0, high=1, closed=(False, True))

    def __call__(self, samples, model, mask):
        logp = np.where(mask, model.log_prob(samples), -np.inf)
        # rank samples within each seed, most likely first; keep the top ceil(q · kept) of them
        order = np.argsort(-logp, axis=1, kind="stable")
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(order.shape[1])[None, :].repeat(len(order), 0), axis=1)
        keep_n = np.ceil(self.q * mask.sum(axis=1))
        return mask & (rank < keep_n[:, None])


class ClipOutliers(Gate):
    """Drop samples more than k standard deviations from their batch mean (per seed).

    For 2-D samples the distance is Mahalanobis, from the batch covariance. A common cleaning
    step; it also cuts off a small far-away minority mode.
    """

    def __init__(self, k=2.0):
        self.k = check_number(k, "k", "ClipOutliers", low=0, closed=(False, True))

    def __call__(self, samples, model, mask):
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


class CapCopies(Gate):
    """Keep at most k copies of each distinct sample (per seed); the first kept copies win.

    A model that drifts towards its favourite outputs writes them again and again; capping the
    copies trims exactly that excess and never touches a sample that appears once.
    """

    def __init__(self, k=3):
        self.k = check_number(k, "k", type(self).__name__, low=1, integer=True)

    def __call__(self, samples, model, mask):
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


class Dedup(CapCopies):
    """Keep one copy of each distinct sample (per seed): CapCopies with k = 1."""

    def __init__(self):
        super().__init__(1)

    def __repr__(self):
        return "Dedup()"


class Verifier(Gate):
    """Keep samples that pass an outside check, e.g. "is a real word". `check(samples) -> bool array`."""

    def __init__(self, check, name="verifier"):
        if not callable(check):
            raise ValueError(f"The 'check' parameter of Verifier must be callable. Got {check!r} instead.")
        self.check = check
        self.name = name

    def __call__(self, samples, model, mask):
        return mask & np.asarray(self.check(samples), bool)

    def __repr__(self):
        return f"Verifier({self.name})"


GATE_HELP = {
    "top:Q": "keep the fraction Q in (0, 1] the model rates most likely (naive quality filter)",
    "clip:K": "drop samples beyond K standard deviations of their batch (outlier clipping)",
    "dedup": "keep one copy of each distinct sample",
    "cap:K": "keep at most K copies of each distinct sample",
    "real": "verifier: keep only real words (word worlds only)",
}


def parse(spec, world=None):
    """Build a gate from a spec such as 'top:0.8', 'clip:2', 'dedup', 'cap:3', 'real' or 'real+cap:3'."""
    if spec is None or spec in ("", "none"):
        return None
    usage = (f"The 'gate' parameter must be 'none' or '+'-joined parts from {', '.join(GATE_HELP)}. "
             f"Got {spec!r} instead.")
    if not isinstance(spec, str):
        raise ValueError(usage)
    gates = []
    for part in spec.split("+"):
        name, _, arg = part.partition(":")
        try:
            number = float(arg) if arg else None
        except ValueError:
            raise ValueError(usage) from None
        if name == "top":
            gates.append(TopLikelihood(0.8 if number is None else number))
        elif name == "clip":
            if hasattr(world, "is_real"):
                raise ValueError(f"The 'gate' parameter part 'clip' needs samples that are numbers, not words. "
                                 f"Got {spec!r} for world {type(world).__name__} instead.")
            gates.append(ClipOutliers(2.0 if number is None else number))
        elif name == "cap":
            # "cap:3" arrives as 3.0; a fractional count stays fractional so the check refuses it
            gates.append(CapCopies(3 if number is None else int(number) if number.is_integer() else number))
        elif name == "dedup" and not arg:
            gates.append(Dedup())
        elif name == "real" and not arg:
            if not hasattr(world, "is_real"):
                raise ValueError(f"The 'gate' parameter part 'real' needs a world of words. Got world {type(world).__name__} instead.")
            gates.append(Verifier(world.is_real, "real word"))
        else:
            raise ValueError(usage)
    return gates[0] if len(gates) == 1 else Chain(*gates)
