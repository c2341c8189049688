"""Building a generation's training set: pooling, subsampling, and gating with refill.

Steps 1 and 5 of the loop (see loop.py). Every function works on all seeds at once:
X is (seeds, n, ...) and mask (seeds, n) says which samples count.
"""
import numpy as np

from .gates import Gate, apply as apply_gate


def _concat(parts):
    """Join (X, mask) pairs along the sample axis."""
    if len(parts) == 1:
        return parts[0]
    return np.concatenate([p[0] for p in parts], axis=1), np.concatenate([p[1] for p in parts], axis=1)


def _subsample(X, mask, n, rng):
    """n of each seed's kept samples, drawn without replacement (Kazdan et al.'s fixed-size subset).

    Random keys, with masked-out samples last; the n smallest keys win. A seed with fewer than n
    kept samples gets all of them (the rest of its n slots stay masked out). When every sample is
    kept, `_distinct_draws` does the same in O(n) instead of O(pool) per generation.
    """
    if mask.all():
        pick = _distinct_draws(mask.shape[1], n, rng, len(mask))
        if pick is not None:
            return np.take_along_axis(X, pick.reshape(pick.shape + (1,) * (X.ndim - 2)), axis=1), np.ones(pick.shape, bool)
    keys = np.where(mask, rng.random(mask.shape), np.inf)
    pick = np.argpartition(keys, n - 1, axis=1)[:, :n] if n < mask.shape[1] else np.arange(mask.shape[1])[None].repeat(len(mask), 0)
    return np.take_along_axis(X, pick.reshape(pick.shape + (1,) * (X.ndim - 2)), axis=1), np.take_along_axis(mask, pick, axis=1)


def _distinct_draws(size, n, rng, seeds):
    """Per seed, n distinct indices from range(size), every n-subset equally likely; None if unlucky.

    Draw indices with replacement and keep each one's first appearance: the first n distinct values
    of an exchangeable stream are a uniformly random n-subset. 2n + 16 draws give n distinct ones
    unless n is close to size; then (None) the caller sorts random keys over the whole pool.
    """
    if n >= size:
        return None
    draws = rng.integers(0, size, (seeds, 2 * n + 16))
    order = np.argsort(draws, axis=1, kind="stable")            # equal draws adjacent, first one first
    srt = np.take_along_axis(draws, order, axis=1)
    first = np.ones(srt.shape, bool)
    first[:, 1:] = srt[:, 1:] != srt[:, :-1]
    is_first = np.empty_like(first)
    np.put_along_axis(is_first, order, first, axis=1)           # back in draw order
    keep = is_first & (np.cumsum(is_first, axis=1) <= n)
    if not (keep.sum(axis=1) == n).all():
        return None
    return draws[keep].reshape(seeds, n)


def _first_batch(model, output, n, rng, temperature):
    """The first n synthetic samples: the measured output, topped up if the training set is larger."""
    if n <= output.shape[1]:
        return output[:, :n]
    return np.concatenate([output, model.sample(n - output.shape[1], rng, temperature)], axis=1)


def _compact(X, keep):
    """Each seed's kept samples moved to the front, in their order, cut to the most any seed kept."""
    width = int(keep.sum(axis=1).max()) if keep.size else 0
    pick = np.argsort(~keep, axis=1, kind="stable")[:, :width]
    return (np.take_along_axis(X, pick.reshape(pick.shape + (1,) * (X.ndim - 2)), axis=1),
            np.take_along_axis(keep, pick, axis=1))


def _gated(model, gate, batch, rng, temperature, refill, max_draws, alive):
    """Gate the synthetic samples; with refill, draw more until each seed has len(batch[0]) that pass.

    Returns (synthetic (seeds, n), keep (seeds, n), passed (seeds,), drawn (seeds,)).
    Batches are drawn for all seeds at once (models sample every seed together). Each is sized
    from the acceptance of the batch before it -- not the average so far, which a cap on copies
    makes too hopeful as it fills up -- so that one or two more batches usually suffice. A seed
    that is full, or has used its budget of max_draws × n draws, is masked out of later batches.
    """
    seeds, n = batch.shape[:2]
    everything = np.ones(batch.shape[:2], bool)
    if not refill:
        keep = apply_gate(gate, batch, model, everything, rng)
        return batch, keep, keep.sum(axis=1), np.full(seeds, n)

    def through(new, mask, kept, kept_mask):
        if isinstance(gate, Gate):  # a Gate knows how to count what earlier batches kept (e.g. CapCopies)
            return np.asarray(gate.refill(new, model, mask, rng, kept, kept_mask), bool)
        return apply_gate(gate, new, model, mask, rng)

    keep = through(batch, everything, None, None)
    kept, kept_mask = _compact(batch, keep)   # only what passed is carried on, in the order drawn
    passed = keep.sum(axis=1)
    drawn = np.full(seeds, n)
    rate = passed / n                         # acceptance of the latest batch, per seed
    budget = max_draws * n
    while True:
        needy = alive & (passed < n) & (drawn < budget)
        if not needy.any():
            break
        # enough for the neediest seed at its latest acceptance (+15% and a few spare), within its budget
        want = np.ceil((n - passed) / np.maximum(rate, 1.0 / drawn) * 1.15) + 8
        size = int(min(np.max(np.where(needy, want, 0)), np.max(np.where(needy, budget - drawn, 0))))
        new = model.sample(size, rng, temperature)
        keep = through(new, np.broadcast_to(needy[:, None], new.shape[:2]).copy(), kept, kept_mask)
        kept, kept_mask = _compact(*_concat([(kept, kept_mask), (new, keep)]))
        passed = passed + keep.sum(axis=1)
        drawn = drawn + np.where(needy, size, 0)
        rate = np.where(needy, keep.sum(axis=1) / size, rate)
    # each seed's first n passing samples, in the order they were drawn
    if kept.shape[1] < n:  # no seed filled its set: pad with masked-out slots
        missing = n - kept.shape[1]
        kept = np.concatenate([kept, batch[:, :missing]], axis=1)
        kept_mask = np.concatenate([kept_mask, np.zeros((seeds, missing), bool)], axis=1)
    return kept[:, :n], kept_mask[:, :n], passed, drawn
