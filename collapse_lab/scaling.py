"""Scaling curves: held-out loss against training-set size, for real and for synthetic data.

Dohmatob, Feng, Yang, Charton & Kempe (2024), "A Tale of Tails: Model Collapse as a Change of
Scaling Laws" (ICML 2024). Their setting: data whose frequencies follow a heavy (Zipf) tail, as
words do. A model's output loses that tail -- decoding with top-p or top-k cuts it off, and a
model fitted on a finite sample never saw the rarest items -- so its samples contain no more
information past a rank k. Their theory shows that a model trained on such synthetic data follows
the usual scaling law (loss falls as a power of the training-set size) only up to a point, then
plateaus ("loss of scaling"): more synthetic data no longer helps, where more real data still
would. They check it on a transformer learning arithmetic and on Llama2-7B fine-tuned on
Wikitext-103.

Here the same comparison runs in one call, on character language models of real words:

    curve = scaling_curve(Words(), NGramLM(order=3), top_p=0.9)
    curve["real"]["heldout_nll"]        # keeps falling with size
    curve["synthetic"]["heldout_nll"]   # flattens: the generator's truncated tail is all there is

For notebook 02's world of word frequencies (a Categorical world), `measure=word_scores(world)`
scores each fitted model exactly on real text: held-out NLL, its excess over the entropy, and the
share of real text made of words the model has never seen (the test error of the memorising model
in Section 2 of Dohmatob et al.).

Every training set of a curve is a prefix of one large sample (real, or generated once), so the
points differ only in size, not in luck.

What the order-3 n-gram shows (`python -m collapse_lab.scaling`, generator fitted on 20,000 real
words): from 2,000 to 200,000 words, real data take held-out NLL from 2.09 to 1.93 nats/char;
untruncated synthetic data stop at the generator's own 1.95 (its finite sample already cut the
tail); top-p 0.9 data get *worse* with size, 2.32 to 2.51, because characters the nucleus never
writes keep only the smoothing share, which shrinks as the counts grow -- tail recall falls
from 0.18 to 0.14 while real data raise it from 0.25 to 0.32.
"""
import copy
import time

import numpy as np

from .engine.checks import check_number, check_rng
from .engine.base import clone

DEFAULT_SIZES = (2_000, 5_000, 10_000, 20_000, 50_000, 200_000)


def scaling_curve(world, model, sizes=DEFAULT_SIZES, *, generator=None, generator_samples=20_000,
                  temperature=1.0, top_p=None, top_k=None, seeds=1, seed=0, measure=None):
    """Fit fresh copies of `model` on real and on synthetic data of each size; measure each.

    Parameters
    ----------
    world : the real distribution and yardstick (e.g. Words()); its `measure` gives the metrics.
    model : an unfitted model; a fresh clone is fitted at every size, on real and on synthetic data.
    sizes : increasing training-set sizes (ints >= 2).
    generator : the model that writes the synthetic data. None: a clone of `model`, fitted on
                `generator_samples` real words. Unfitted: fitted the same way. Fitted: used as is.
    generator_samples : int >= 2. Real samples an unfitted generator learns from.
    temperature, top_p, top_k : the generator's decoding (top_p / top_k override its own).
    seeds : independent curves side by side; seed : None, an int or a numpy Generator.
    measure : None (the world's own `measure`) or a function measure(model, samples) ->
              {metric: (seeds,) array}, e.g. `word_scores(world)` for a Categorical world of words.

    Returns a dict:
        sizes      (n_sizes,) the sizes
        real       {metric: (seeds, n_sizes)} e.g. heldout_nll, recall_tail for the Words world
        synthetic  {metric: (seeds, n_sizes)} the same, for models fitted on the generator's output
        generator  {metric: (seeds,)} the generator itself, the level synthetic data can approach
        seconds    wall time of the whole call
    """
    start = time.perf_counter()
    owner = "scaling_curve"
    sizes = np.asarray(sizes)
    if sizes.ndim != 1 or sizes.size == 0 or sizes.dtype.kind not in "iu" or (sizes < 2).any() \
            or (np.diff(sizes) <= 0).any():
        raise ValueError(f"The 'sizes' parameter of {owner} must be increasing ints >= 2. Got {sizes.tolist()!r} instead.")
    generator_samples = check_number(generator_samples, "generator_samples", owner, low=2, integer=True)
    seeds = check_number(seeds, "seeds", owner, low=1, integer=True)
    rng = check_rng(seed, owner)
    if measure is not None and not callable(measure):
        raise ValueError(f"The 'measure' parameter of {owner} must be None or a function. Got {measure!r} instead.")
    measure = world.measure if measure is None else measure
    largest = int(sizes[-1])

    # the generator: fitted on real data unless it already is, then decoding as asked
    if generator is None:
        generator = clone(model)
    if not _fitted(generator):
        generator.fit(world.sample((seeds, generator_samples), rng))
    decoding = {name: value for name, value in (("top_p", top_p), ("top_k", top_k)) if value is not None}
    if decoding:  # on a copy: the caller's generator keeps its own decoding
        generator = copy.deepcopy(generator).set_params(**decoding)

    # one real and one synthetic sample of the largest size; every point trains on a prefix
    data = {"real": world.sample((seeds, largest), rng),
            "synthetic": generator.sample(largest, rng, temperature)}
    curves = {}
    for name, X in data.items():
        rows = []
        for n in sizes.tolist():
            fitted = clone(model).fit(X[:, :n])
            rows.append(measure(fitted, X[:, : min(n, 2000)]))
        curves[name] = {metric: np.stack([r[metric] for r in rows], axis=1) for metric in rows[0]}
    return {
        "sizes": sizes,
        **curves,
        "generator": measure(generator, data["synthetic"][:, :2000]),
        "seconds": time.perf_counter() - start,
    }


def word_scores(world):
    """A `measure` for scaling_curve on a Categorical world (notebook 02): exact scores on real text.

    For a model's word probabilities q (one row per seed) and the real ones p:
        heldout_nll   −Σ p·log q: the average negative log-likelihood, in nats per word, of an endless
                      held-out sample of real text (inf if the model gives a real word probability 0)
        excess_nll    heldout_nll minus the real text's entropy −Σ p·log p, the least any model can reach
        missing_mass  Σ p over the words with q = 0: for an unsmoothed model, the share of real text made
                      of words it has never seen -- the test error of a model that remembers every item it
                      has seen and errs on the rest (Hutter 2021), the model of Dohmatob et al. (2024, §2)
    """
    p = world._p()
    entropy = -float(np.sum(p * np.log(p, where=p > 0, out=np.zeros_like(p))))

    def measure(model, samples=None):
        q = np.atleast_2d(model.probs_)
        seen = q > 0
        logq = np.log(q, where=seen, out=np.full_like(q, -np.inf))
        nll = -np.sum(p * logq, axis=1)          # every real word has p > 0: an unseen one makes it inf
        return {"heldout_nll": nll, "excess_nll": nll - entropy, "missing_mass": np.sum(p * ~seen, axis=1)}

    return measure


def _fitted(model):
    """Has `model` learned anything yet? (scikit-learn's rule: a learned attribute ends in '_')."""
    return any(name.endswith("_") and not name.startswith("_") for name in vars(model))


def main():
    """Print the course's curve: `python -m collapse_lab.scaling` (n-gram, real vs top-p 0.9 data)."""
    from .worlds import NGramLM
    from .worlds.words import Words

    world = Words()
    for top_p in (None, 0.9):
        curve = scaling_curve(world, NGramLM(order=3), top_p=top_p)
        print(f"generator: NGramLM(order=3) on 20,000 real words, top_p={top_p}; "
              f"curve in {curve['seconds']:.2f} s; generator's own NLL {curve['generator']['heldout_nll'][0]:.3f}")
        print(f"{'words':>8} {'real NLL':>9} {'synth NLL':>10} {'real tail':>10} {'synth tail':>11}")
        for i, n in enumerate(curve["sizes"]):
            print(f"{n:>8} {curve['real']['heldout_nll'][0, i]:>9.3f} {curve['synthetic']['heldout_nll'][0, i]:>10.3f} "
                  f"{curve['real']['recall_tail'][0, i]:>10.3f} {curve['synthetic']['recall_tail'][0, i]:>11.3f}")


if __name__ == "__main__":
    main()
