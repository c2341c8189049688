"""Provenance (notebook 07): which words did a machine write, and what a web full of them does.

    synthetic_score(X, model, reference)    a provenance detector: the log-likelihood ratio
    precision_recall(flagged, truth)        how well a detector's flags match the truth
    contaminated_web(world, model, shares)  a web whose share of machine-written words grows

Everything is seeded: the same arguments give the same numbers.
"""
import copy

import numpy as np

from ._checks import check_choice, check_number, check_rng
from .base import clone
from .loop import History


LOGP_FLOOR = -1e3  # a word a model cannot make at all still gets a finite score


def synthetic_score(X, model, reference):
    """How much likelier each word is under `model` than under `reference`: (seeds, n) nats.

        score(x) = log q(x) - log p(x)     q: a model like the one that wrote synthetic text
                                           p: a model fitted on trusted, human-written data

    A likelihood-ratio test (Neyman & Pearson 1933): positive means "reads like the machine".
    It can only catch words the two models disagree about: a machine's "the" and a person's
    "the" score the same, so no detector can tell them apart.
    """
    q = np.maximum(model.log_prob(X), LOGP_FLOOR)
    p = np.maximum(reference.log_prob(X), LOGP_FLOOR)
    return q - p


def precision_recall(flagged, truth):
    """Precision and recall of `flagged` against `truth` (bool arrays (seeds, n)), per seed.

    precision: of the flagged words, the share that are synthetic; recall: of the synthetic
    words, the share flagged. NaN where undefined (nothing flagged / nothing synthetic).
    """
    flagged, truth = np.asarray(flagged, bool), np.asarray(truth, bool)
    hits = (flagged & truth).sum(axis=1)
    n_flagged, n_true = flagged.sum(axis=1), truth.sum(axis=1)
    precision = np.divide(hits, n_flagged, out=np.full(len(hits), np.nan), where=n_flagged > 0)
    recall = np.divide(hits, n_true, out=np.full(len(hits), np.nan), where=n_true > 0)
    return precision, recall


FILTERS = (None, "detector", "labels")


def contaminated_web(world, model, shares, *, samples=2000, seeds=3, seed=0, filter=None, threshold=0.0,
                     reference_samples=None):
    """A web that fills up with machine-written words, year after year.

    Year 0 is a clean crawl, all human (the kind of snapshot wordfreq froze at about 2021). The
    detector's reference model is fitted on another clean sample, of `reference_samples` words
    (default: `samples`; a trusted corpus is usually much larger than one crawl). In year
    y = 1, 2, ..., the crawl holds `samples` words of
    which the share shares[y-1] was written by last year's model and the rest by people; this
    year's model trains on that crawl and nothing else.

    filter : None (train on the whole crawl), 'detector' (drop the words that
             synthetic_score(word, last year's model, reference) flags, score > threshold), or
             'labels' (drop every synthetic word: provenance known for sure, e.g. from a watermark)

    Returns a History over years (seeds, years + 1) with the world's metrics plus
    synthetic_share (of the training set, after any filter), detector_precision and
    detector_recall (of the flag on that year's crawl, filtered or not).
    """
    owner = "contaminated_web"
    shares = np.asarray(shares, float)
    if shares.ndim != 1 or len(shares) < 1 or not np.all((shares >= 0) & (shares <= 1)):
        raise ValueError(f"The 'shares' parameter of {owner} must be a non-empty list of floats in the range "
                         f"[0, 1]. Got {shares.tolist()!r} instead.")
    samples = check_number(samples, "samples", owner, low=2, integer=True)
    seeds = check_number(seeds, "seeds", owner, low=1, integer=True)
    filter = check_choice(filter, "filter", owner, FILTERS)
    threshold = check_number(threshold, "threshold", owner)
    reference_samples = check_number(samples if reference_samples is None else reference_samples,
                                     "reference_samples", owner, low=1, integer=True)
    rng = check_rng(seed)
    config = dict(world=repr(world), model=repr(model), shares=shares.tolist(), samples=samples, seeds=seeds,
                  seed=seed if isinstance(seed, int) else None, filter=filter, threshold=threshold,
                  reference_samples=reference_samples)
    history = History(config=config, stopped=[None] * seeds)
    history.metrics = {}

    def record(year, fitted, synthetic_share, precision, recall):
        output = fitted.sample(samples, rng)
        measured = world.measure(fitted, output, history.model0)
        measured.update(synthetic_share=synthetic_share, detector_precision=precision, detector_recall=recall)
        for name, values in measured.items():
            history.metrics.setdefault(name, np.full((seeds, len(shares) + 1), np.nan))[:, year] = values
        history.snapshots[year] = output

    # the detector's reference: a model of trusted human text (its own clean sample)
    reference = clone(model).fit(world.sample((seeds, reference_samples), rng))
    # year 0: a clean crawl, all human
    writer = clone(model).fit(world.sample((seeds, samples), rng))  # the model whose words go online next year
    history.model0 = copy.deepcopy(writer)
    nan = np.full(seeds, np.nan)
    record(0, writer, np.zeros(seeds), nan, nan)
    for year, share in enumerate(shares, start=1):
        # 1. crawl: people's words and last year's model's words, labelled so we can grade the detector
        n_synthetic = int(round(share * samples))
        crawl = np.concatenate([world.sample((seeds, samples - n_synthetic), rng), writer.sample(n_synthetic, rng)], axis=1)
        is_synthetic = np.zeros(crawl.shape, bool)
        is_synthetic[:, samples - n_synthetic:] = True
        # 2. the detector flags words likelier under the machine than under the clean snapshot
        flagged = synthetic_score(crawl, writer, reference) > threshold
        precision, recall = precision_recall(flagged, is_synthetic)
        keep = {None: np.ones(crawl.shape, bool), "detector": ~flagged, "labels": ~is_synthetic}[filter]
        keep[~keep.any(axis=1)] = True  # a filter that removes everything is not applied
        # 3. this year's model trains on what was kept
        fitted = clone(model).fit(crawl, keep)
        share_kept = (is_synthetic & keep).sum(axis=1) / keep.sum(axis=1)
        record(year, fitted, share_kept, precision, recall)
        writer = fitted
    history.model = writer
    return history


