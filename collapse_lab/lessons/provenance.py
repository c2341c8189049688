"""Provenance (notebook 07): which words did a machine write, and what a web full of them does.

    synthetic_score(X, model, reference)     a provenance detector: the log-likelihood ratio per word
    document_scores(X, model, reference, k)  the same detector on documents of k words: sum the words' scores
    precision_recall(flagged, truth)         how well a detector's flags match the truth
    excess_markers(corpus, snapshot)         the words a corpus uses far more often than a clean snapshot
    excess_share(docs, markers, human_docs)  Kobak et al.'s lower bound on the machine share of a corpus
    labelled_documents(world, writer, ...)   a labelled mix of human and machine documents
    MEASURED_SHARES, web_shares              measured machine shares of real text, and a toy web's shares
    contaminated_web(world, model, shares)   a web whose share of machine-written words grows

Everything is seeded: the same arguments give the same numbers.
"""
import copy
import numbers

import matplotlib as mpl
import numpy as np

from ..engine.checks import (Array, DictOf, HasAttributes, Interval, ListOf, Options, check_number, check_rng,
                             validate_args)
from ..engine import guard
from ..engine.base import clone
from ..engine.cache import remembered
from ..engine.loop import History
from ..figures import COLORS, PALETTE, metric_label, new_axes, styled
from ..worlds import NGramLM, Words
from . import monitoring


LOGP_FLOOR = -1e3  # a word a model cannot make at all still gets a finite score

# the rules the detectors' arguments share (engine/checks.py): a fitted model scores words, a world
# draws them, documents are (seeds, D, k) words and the markers one array of words per seed
SCORER = HasAttributes("log_prob", what="a fitted language model (with log_prob)")
WRITER = HasAttributes("sample", "n_seeds_", what="a fitted language model (with sample and n_seeds_)")
WORLD = HasAttributes("sample", "measure", what="a world (e.g. Words())")
DOCUMENTS = Array(ndim=3, words=True)
MARKERS = ListOf(Array(ndim=1, words=True, empty=True))
WORD_BYTES = 200  # one word of a sample (numpy '<U20': 80 bytes), drawn and then joined: an upper envelope
DETECTOR_ARGS = {"X": [Array(ndim=2, words=True)], "model": [SCORER], "reference": [SCORER]}


def _same_seeds(owner, docs, **others):
    """Every array of documents (and the markers) has one row per seed of `docs`."""
    for name, value in others.items():
        if len(value) != len(docs):
            raise ValueError(f"The {name!r} parameter of {owner} must have one entry per seed (row) of 'docs' ({len(docs)}). "
                             f"Got {len(value)} instead.")


@validate_args(DETECTOR_ARGS)
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


def _per_document(X, words_per_document, owner):
    """(seeds, n) words -> (seeds, n // k, k): consecutive runs of k words are one document."""
    X = np.asarray(X)
    k = check_number(words_per_document, "words_per_document", owner, low=1, integer=True)
    if X.ndim != 2 or X.shape[1] % k:
        raise ValueError(f"The 'X' parameter of {owner} must be a (seeds, n) array of words with n a multiple of "
                         f"words_per_document = {k}. Got shape {X.shape} instead.")
    return X.reshape(X.shape[0], -1, k)


@validate_args(DETECTOR_ARGS)
def document_scores(X, model, reference, words_per_document):
    """The detector on documents: (seeds, n) words, read as documents of k consecutive words ->
    (seeds, n // k) scores, each the sum of its words' synthetic_score.

    For words drawn independently, the sum is the log-likelihood ratio of the whole document:
    its mean grows like k (k·KL for machine documents, −k·KL for human ones) and its noise only
    like √k, so a longer document is easier to attribute (the idea behind detectors that score a
    whole text, e.g. DetectGPT, Mitchell et al. 2023).
    """
    docs = _per_document(X, words_per_document, "document_scores")
    S, D, k = docs.shape
    return synthetic_score(docs.reshape(S, D * k), model, reference).reshape(S, D, k).sum(axis=2)


@validate_args({"flagged": [Array(ndim=2)], "truth": [Array(ndim=2)]})
def precision_recall(flagged, truth):
    """Precision and recall of `flagged` against `truth` (bool arrays (seeds, n)), per seed.

    precision: of the flagged words, the share that are synthetic; recall: of the synthetic
    words, the share flagged. NaN where undefined (nothing flagged / nothing synthetic).
    """
    if np.shape(truth) != np.shape(flagged):
        raise ValueError(f"The 'truth' parameter of precision_recall must have the shape of 'flagged' "
                         f"{np.shape(flagged)}. Got shape {np.shape(truth)} instead.")
    flagged, truth = np.asarray(flagged, bool), np.asarray(truth, bool)
    hits = (flagged & truth).sum(axis=1)
    n_flagged, n_true = flagged.sum(axis=1), truth.sum(axis=1)
    precision = np.divide(hits, n_flagged, out=np.full(len(hits), np.nan), where=n_flagged > 0)
    recall = np.divide(hits, n_true, out=np.full(len(hits), np.nan), where=n_true > 0)
    return precision, recall


# --- population-level detection: excess vocabulary (Kobak et al. 2025) ---

@validate_args({"world": [WORLD], "writer": [WRITER], "n_docs": [Interval(int, 1, None)],
                "words_per_document": [Interval(int, 1, None)], "share": [Interval(float, 0, 1)],
                "rng": [np.random.Generator]})
def labelled_documents(world, writer, n_docs, words_per_document, share, rng):
    """A labelled mix of documents: (seeds, n_docs, k) words and is_machine (n_docs,) bool.

    The last round(share · n_docs) documents are written by `writer` (a fitted model), the rest
    drawn from `world` (people); every document is wholly one or the other.
    """
    k = words_per_document
    seeds = writer.n_seeds_
    # no simulate here: the guard's memory budget for the words drawn (a word ~80 bytes, drawn then joined)
    guard.check_cost("labelled_documents", 0.0, float(seeds) * n_docs * k * WORD_BYTES,
                     {"n_docs": n_docs, "words_per_document": k, "seeds": seeds})
    n_machine = int(round(share * n_docs))
    words = np.concatenate([world.sample((seeds, (n_docs - n_machine) * k), rng),
                            writer.sample(n_machine * k, rng)], axis=1)
    return words.reshape(seeds, n_docs, k), np.arange(n_docs) >= n_docs - n_machine



@validate_args({"corpus": [Array(words=True)], "snapshot": [Array(words=True, empty=True)],
                "min_ratio": [Interval(float, 0, None)], "min_count": [Interval(int, 0, None)]})
def excess_markers(corpus, snapshot, *, min_ratio=4.0, min_count=3):
    """The words `corpus` uses far more often than the clean `snapshot`: one array per seed.

    corpus, snapshot : (seeds, n) and (seeds, m) words. A word is a marker when its frequency
    ratio r = (count + 1)/(n + 1) ÷ (snapshot count + 1)/(m + 1) is at least `min_ratio` and it
    occurs at least `min_count` times in the corpus. The +1s are Kobak et al.'s (their words that
    never occurred before get a finite ratio); they kept words with large ratio r or large gap δ
    between the observed and the expected frequency. Choose the markers on one corpus and measure
    on another, or noise in the choice inflates the estimate.
    """
    corpus, snapshot = np.asarray(corpus), np.asarray(snapshot)
    for name, words in (("corpus", corpus), ("snapshot", snapshot)):
        if words.ndim != 2 or words.shape[1] == 0:
            raise ValueError(f"The {name!r} parameter of excess_markers must be a (seeds, n) array of words with "
                             f"n ≥ 1 (a frequency needs at least one word). Got shape {words.shape} instead.")
    if len(corpus) != len(snapshot):
        raise ValueError(f"The 'snapshot' parameter of excess_markers must have one row per seed of the corpus "
                         f"({len(corpus)}). Got {len(snapshot)} instead.")
    markers = []
    for row, clean in zip(corpus, snapshot):
        words, counts = np.unique(row, return_counts=True)
        known, known_counts = np.unique(clean, return_counts=True)
        i = np.searchsorted(known, words).clip(max=len(known) - 1)
        before = np.where(known[i] == words, known_counts[i], 0)
        ratio = ((counts + 1) / (row.size + 1)) / ((before + 1) / (clean.size + 1))
        markers.append(words[(ratio >= min_ratio) & (counts >= min_count)])
    return markers


@validate_args({"docs": [DOCUMENTS], "markers": [MARKERS]})
def marker_rate(docs, markers):
    """(seeds, D, k) documents -> (seeds,) the share of documents holding at least one marker word."""
    _same_seeds("marker_rate", docs, markers=markers)
    return np.array([_holds(d, m).any(axis=1).mean() for d, m in zip(np.asarray(docs), markers)])


def _holds(words, markers):
    """np.isin(words, markers), by binary search in the few markers: isin would sort all the words."""
    markers = np.sort(np.asarray(markers))
    if markers.size == 0:
        return np.zeros(np.shape(words), bool)
    i = np.searchsorted(markers, words).clip(max=markers.size - 1)
    return markers[i] == words


@validate_args({"docs": [DOCUMENTS], "markers": [MARKERS], "human_docs": [DOCUMENTS]})
def excess_share(docs, markers, human_docs):
    """Kobak et al.'s (2025) lower bound on the machine share of a corpus of documents, per seed:

        Δ = (share of the corpus's documents with a marker) − (the same share among human documents)

    If a share s of the documents is machine-written, the first term is s·P_m + (1 − s)·P_h, where
    P_m and P_h are the marker rates of machine and human documents, so Δ = s·(P_m − P_h) ≤ s:
    a lower bound, tight when nearly every machine document holds a marker. Kobak et al. took
    P_h from a counterfactual (the pre-2023 trend) and report "at least 13.5% of 2024 abstracts".
    Dividing Δ by (P_m − P_h), which needs samples of the machine's output, turns the bound into
    an estimate of s (see `calibrated_share`).
    """
    _same_seeds("excess_share", docs, markers=markers, human_docs=human_docs)
    return marker_rate(docs, markers) - marker_rate(human_docs, markers)


@validate_args({"docs": [DOCUMENTS], "markers": [MARKERS], "human_docs": [DOCUMENTS], "machine_docs": [DOCUMENTS]})
def calibrated_share(docs, markers, human_docs, machine_docs):
    """The estimate s = Δ / (P_m − P_h) when samples of the machine's documents are at hand (per seed)."""
    _same_seeds("calibrated_share", docs, markers=markers, human_docs=human_docs, machine_docs=machine_docs)
    gap = marker_rate(machine_docs, markers) - marker_rate(human_docs, markers)
    return excess_share(docs, markers, human_docs) / np.where(gap > 0, gap, np.nan)


# --- a web that fills up with machine text ---

FILTERS = (None, "detector", "labels", "resample")
CRAWLS = ("fixed", "growing")      # the crawl's size: fixed (machine text displaces human), or human words fixed
WEB_MODES = ("replace", "accumulate")   # train on this year's crawl, or on every year's kept so far


WEB_CONSTRAINTS = {
    "world": [WORLD],
    "model": [HasAttributes("fit", "sample", what="a model (e.g. NGramLM(order=3))")],
    "shares": [ListOf(Interval(float, 0, 1))],
    "samples": [Interval(int, 2, None)],
    "seeds": [Interval(int, 1, None)],
    "filter": [Options(*FILTERS)],
    "threshold": [Interval(float)],
    "reference_samples": [None, Interval(int, 1, None)],
    "words_per_document": [Interval(int, 1, None)],
    "crawl": [Options(*CRAWLS)],
    "mode": [Options(*WEB_MODES)],
}


@validate_args(WEB_CONSTRAINTS)
def contaminated_web(world, model, shares, *, samples=2000, seeds=3, seed=0, filter=None, threshold=0.0,
                     reference_samples=None, words_per_document=1, crawl="fixed", mode="replace"):
    """A web that fills up with machine-written words, year after year.

    Year 0 is a clean crawl, all human (the kind of snapshot wordfreq froze at about 2021). The
    detector's reference model is fitted on another clean sample, of `reference_samples` words
    (default: `samples`; a trusted corpus is usually much larger than one crawl). In year
    y = 1, 2, ..., the crawl holds `samples` words, in documents of `words_per_document` words
    each written wholly by a person or by last year's model; the share shares[y-1] of the
    documents is the machine's. This year's model trains on that crawl and nothing else.

    crawl : 'fixed' (default: every crawl holds `samples` words, so machine documents push human
            ones out, as a fixed token budget does) or 'growing' (every crawl holds `samples` human
            words, and the machine documents come on top: shares[y-1] of all documents, so a share
            must be below 1). Telling the two apart separates "less human text" from "machine text
            as such" (notebook 07, Part 2).
    mode  : 'replace' (default: train on this year's crawl after the filter) or 'accumulate' (train
            on every year's kept documents so far, the clean year-0 crawl included: keeping the human
            data, as Gerstgrasser et al. 2024 keep all data)

    filter : None (train on the whole crawl), 'detector' (drop the documents whose
             document_scores(…, last year's model, reference) > threshold), 'labels' (drop every
             machine document: provenance known for sure, e.g. from a watermark), or 'resample'
             (Drayson, Yilmaz & Lampos 2025: draw a training set of the same size, with replacement,
             each document with probability proportional to the detector's probability that it is
             human, expit(−score); likely human text is up-sampled, nothing is thrown away for sure)

    Returns a History over years (seeds, years + 1) with the world's metrics plus
    synthetic_share (of the training set, after any filter), detector_precision and
    detector_recall (of the flag score > threshold on that year's crawl; NaN when the filter uses
    no detector: None or 'labels').

    Why a loop of its own, not simulate: the course's one loop mixes a *fixed* real fraction into
    each generation's training set, and filters samples one at a time. A crawl differs on both
    counts: its machine share changes year by year (a schedule, Table 1 of the measured shares),
    and a detector judges whole documents and needs last year's model and a reference model to do
    it. Its phases are labelled below as the loop's are (crawl, score, choose the training set, fit,
    measure), so the two read side by side.
    """
    # a seeded web is a pure function of its arguments: computed once, and read from the course's
    # store where there is one (engine/cache.py); the shares as a tuple, so the key is plain data
    run = _remembered_web if isinstance(seed, numbers.Integral) else _web
    return run(world, model, tuple(float(x) for x in np.ravel(np.asarray(shares, float))), samples=samples,
               seeds=seeds, seed=seed, filter=filter, threshold=threshold, reference_samples=reference_samples,
               words_per_document=words_per_document, crawl=crawl, mode=mode)


def _web(world, model, shares, *, samples, seeds, seed, filter, threshold, reference_samples, words_per_document,
         crawl, mode):
    """contaminated_web's loop, its arguments checked."""
    owner = "contaminated_web"
    shares = np.asarray(shares, float)   # checked: a non-empty list of shares in [0, 1] (WEB_CONSTRAINTS)
    reference_samples = samples if reference_samples is None else reference_samples
    k = words_per_document
    if samples % k:
        raise ValueError(f"The 'words_per_document' parameter of {owner} must divide samples = {samples}. "
                         f"Got {k} instead.")
    if crawl == "growing" and np.any(shares >= 1):
        raise ValueError(f"The 'shares' parameter of {owner} must hold floats in the range [0, 1) with "
                         f"crawl='growing' (machine documents on top of the human ones). Got {shares.tolist()!r} instead.")
    n_docs = samples // k
    # machine documents per year: a share of a fixed crawl, or on top of the n_docs human ones
    n_machine_docs = np.rint(shares * n_docs if crawl == "fixed" else shares / (1 - shares) * n_docs).astype(int)
    crawl_sizes = np.full(len(shares), samples) if crawl == "fixed" else (n_docs + n_machine_docs) * k
    largest = int(samples + crawl_sizes.sum()) if mode == "accumulate" else int(crawl_sizes.max())
    # no simulate here: its guard, for the largest training set and the reference model (a generation each)
    guard.check(world, model, samples=max(largest, reference_samples), seeds=seeds, generations=len(shares) + 1,
                snapshots=0)
    rng = check_rng(seed)
    config = dict(world=repr(world), model=repr(model), shares=shares.tolist(), samples=samples, seeds=seeds,
                  seed=seed if isinstance(seed, int) else None, filter=filter, threshold=threshold,
                  reference_samples=reference_samples, words_per_document=k, crawl=crawl, mode=mode)
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
    clean = world.sample((seeds, samples), rng)
    writer = clone(model).fit(clean)  # the model whose words go online next year
    history.model0 = copy.deepcopy(writer)
    nan = np.full(seeds, np.nan)
    record(0, writer, np.zeros(seeds), nan, nan)
    # what each year's model trains on: words, which of them are kept, which are the machine's
    kept = [(clean, np.ones(clean.shape, bool), np.zeros(clean.shape, bool))]
    for year, share in enumerate(shares, start=1):
        # 1. crawl: people's documents and last year's model's, labelled so we can grade the detector
        n_machine = n_machine_docs[year - 1] * k                        # machine words, whole documents
        n_human = samples - n_machine if crawl == "fixed" else samples
        year_docs = (n_human + n_machine) // k
        crawl_words = np.concatenate([world.sample((seeds, n_human), rng), writer.sample(n_machine, rng)], axis=1)
        is_machine_doc = np.zeros((seeds, year_docs), bool)
        is_machine_doc[:, year_docs - n_machine // k:] = True
        # 2. the detector scores each document: likelier under the machine than under the clean snapshot?
        if filter in ("detector", "resample"):
            score = document_scores(crawl_words, writer, reference, k)  # (seeds, documents)
            flagged = score > threshold
            precision, recall = precision_recall(flagged, is_machine_doc)
        else:  # no detector at work: skip scoring (it is a quarter of the run's time)
            flagged, precision, recall = np.zeros(is_machine_doc.shape, bool), nan, nan
        # 3. choose the training documents: all, the unflagged, the human, or a detector-weighted resample
        if filter == "resample":
            from scipy.special import expit  # imported when needed: scipy.special costs 0.2 s to import

            p_human = expit(-score)  # the detector's probability that a document is human (even prior odds)
            chosen = np.stack([rng.choice(year_docs, year_docs, p=w / w.sum()) for w in p_human + 1e-12])
            rows = np.arange(seeds)[:, None]
            words = crawl_words.reshape(seeds, year_docs, k)[rows, chosen].reshape(seeds, -1)
            keep_words = np.ones(words.shape, bool)
            machine_words = np.repeat(is_machine_doc[rows, chosen], k, axis=1)
        else:
            keep = {None: np.ones_like(flagged), "detector": ~flagged, "labels": ~is_machine_doc}[filter]
            keep[~keep.any(axis=1)] = True  # a filter that removes everything is not applied
            words, keep_words = crawl_words, np.repeat(keep, k, axis=1)
            machine_words = np.repeat(is_machine_doc, k, axis=1)
        kept = kept + [(words, keep_words, machine_words)] if mode == "accumulate" else [(words, keep_words, machine_words)]
        # 4. fit this year's model on its training set (this year's, or every year's so far)
        X, mask, machine = (np.concatenate(part, axis=1) for part in zip(*kept))
        fitted = clone(model).fit(X, mask)
        record(year, fitted, (machine & mask).sum(axis=1) / mask.sum(axis=1), precision, recall)
        writer = fitted
    history.model = writer
    return history


# about 2 MB a web (its yearly samples and first model); notebook 07 and its self-check make about 20
_remembered_web = remembered(maxsize=24)(_web)


# --- how much of the text is machine-written: measured estimates, each with what it measured ---
# Each entry: source, population, year, low and high share (equal for a point estimate), what the
# number is, and where it is published. Read before quoting: they measure different things.
MEASURED_SHARES = [
    dict(source="Kobak et al. 2025", population="PubMed abstracts", year=2024, low=0.135, high=0.40,
         what="at least 13.5% of 2024 biomedical abstracts processed with an LLM (a lower bound, from excess "
              "vocabulary in 15 million abstracts); up to 40% in some subcorpora",
         where="Science Advances 11 (2025), arXiv:2406.07016",
         lower_bounds=True),   # two lower bounds (all abstracts; some subcorpora), not a range: drawn as two points
    dict(source="Graphite 2025", population="new web articles (Common Crawl)", year=2023, low=0.39, high=0.39,
         what="39% of new English articles classified mostly AI-written 12 months after ChatGPT (Nov 2023); "
              "65,000 Common Crawl URLs, 2020 to May 2025, Surfer detector (4.2% false positives, 0.6% false negatives)",
         where="graphite.io/five-percent, 'More articles are now created by AI than humans'"),
    dict(source="Graphite 2025", population="new web articles (Common Crawl)", year=2024, low=0.50, high=0.50,
         what="AI-written articles passed human-written ones in November 2024, then stayed near half",
         where="graphite.io/five-percent, 'More articles are now created by AI than humans'"),
    dict(source="Ahrefs 2025", population="new English web pages (April)", year=2025, low=0.025, high=0.742,
         what="of 900,000 new English pages, 2.5% wholly AI-written and 74.2% with some AI-written text "
              "(Ahrefs' own detector)",
         where="ahrefs.com blog, 2025"),
]


@validate_args({"years": [ListOf(Interval(float))],
                "measured": [DictOf(Interval(float, 0, 1), key=Interval(float), empty=True,
                                    what="a dict {year: share}, each share a float in the range [0, 1]")]})
def web_shares(years, measured):
    """Machine share of each year's crawl: the measured points {year: share}, carried forward.

    Years before the first measured one get 0; after the last, its share is held (an assumption:
    the plateau holds). Returns a float array, one share per year.
    """
    known = sorted(measured.items())
    out = []
    for year in years:
        past = [share for y, share in known if y <= year]
        out.append(past[-1] if past else 0.0)
    return np.array(out, float)


# --- the lesson's figures ----------------------------------------------------------------------

@styled
def measured_shares(estimates, ax=None):
    """The measured shares of machine-written text (provenance.MEASURED_SHARES): one row per estimate,
    a bar from its low to its high value (a point where they agree), the population named beside it.
    An estimate made of two lower bounds (Kobak et al.: all abstracts, and some subcorpora) is two
    points with no bar: 40% is a floor in some subcorpora, not the top of a range.
    Told apart by their row and label, not by colour."""
    ax = new_axes(ax)
    markers = {"Kobak": "D", "Graphite": "o", "Ahrefs": "s"}
    for row, e in enumerate(estimates):
        marker = next((m for key, m in markers.items() if e["source"].startswith(key)), "o")
        if not e.get("lower_bounds"):
            ax.plot([e["low"], e["high"]], [row, row], "-", color=PALETTE["blue"], linewidth=3, solid_capstyle="butt")
        ax.plot([e["low"], e["high"]], [row, row], marker, color=PALETTE["blue"], markersize=7, linestyle="none")
        floors = " (each a lower bound)" if e.get("lower_bounds") else ""
        ax.annotate(f"{e['population']}, {e['year']}{floors}", (max(e["high"], e["low"]), row), xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(estimates)), [e["source"] for e in estimates])
    ax.set_ylim(len(estimates) - 0.5, -0.5)
    ax.set_xlim(0, 1)  # the whole range of a share: nothing truncated
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_xlabel("share of the text written (wholly or partly) by a machine")
    return ax


WEB_LOOK = {  # label -> (colour, line style, marker): style and marker tell the lines apart, not colour alone
    "crawl as it is": (COLORS["replace"], "-", "o"),
    "frozen 2021 snapshot": (COLORS["world"], ":", "."),
    "word filter, t = 0": (COLORS["gated"], (0, (6, 2, 1, 2, 1, 2)), "v"),
    "document filter": (PALETTE["sky"], "--", "s"),
    "detector resampling": (COLORS["real"], "-.", "D"),
    "low: 13.5% (Kobak)": (PALETTE["sky"], "--", "s"),
    "measured: Graphite": (COLORS["replace"], "-", "o"),
    "high: 74% (Ahrefs)": (COLORS["gated"], "-.", "v"),
}


@styled
def web_years(webs, years, axes=None, shown=("recall_tail", "heldout_nll", "real_word_share"), frozen=None):
    """Notebook 07: a contaminated web's metrics by year, one line per way of building the training data.

    webs : {label: History from provenance.contaminated_web}, years : the crawl years (x axis).
    frozen : a History whose year-0 model stands for a snapshot never retrained (a flat dotted line).
    Every y axis starts at 0 except the held-out NLL's, whose axis says so: a small change looks small.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, len(shown), figsize=(11, 3.4))
    lines = dict(webs)
    if frozen is not None:
        lines["frozen 2021 snapshot"] = frozen
    for ax, name in zip(axes, shown):
        for label, h in lines.items():
            color, style, marker = WEB_LOOK.get(label, (PALETTE["black"], "-", "o"))
            y = h.median(name)
            if label == "frozen 2021 snapshot":
                y = np.full(len(years), y[0])  # never retrained
            ax.plot(years, y, linestyle=style, color=color, label=label, marker=marker, markersize=4)
        if name == "heldout_nll":
            ax.set_ylabel(metric_label(name) + "\n(axis not from 0)")
        else:
            ax.set_ylim(bottom=0)
            ax.set_ylabel(metric_label(name))
        ax.set_xlabel("year of the crawl")
    axes[0].legend(loc="lower left", fontsize=8)
    return axes


@styled
@validate_args({"score": [Array(finite=False)], "is_machine": [Array()],
                "thresholds": [ListOf(Interval(float), min_len=0)],
                "clip": [ListOf(Interval(float), min_len=2, max_len=2, what="a (low, high) pair of finite numbers")],
                "unit": [str]})
def detector_scores(score, is_machine, thresholds=(0, 2), ax=None, clip=(-10, 20), unit="word"):
    """The detector's scores on a labelled mix: human and machine histograms (solid and dashed),
    the thresholds as labelled dotted lines, and the clipped end bins marked as such."""
    if np.size(is_machine) != np.size(score):
        raise ValueError(f"The 'is_machine' parameter of detector_scores must hold one label per score "
                         f"({np.size(score)}). Got {np.size(is_machine)} instead.")
    if not clip[0] < clip[1]:
        raise ValueError(f"The 'clip' parameter of detector_scores must be a (low, high) pair with low below high. "
                         f"Got {tuple(clip)} instead.")
    ax = new_axes(ax)
    low, high = clip
    bins = np.linspace(low, high, 61)
    score, is_machine = np.asarray(score, float).ravel(), np.asarray(is_machine, bool).ravel()
    ax.hist(np.clip(score[~is_machine], low, high), bins=bins, histtype="step", linewidth=1.6, density=True,
            color=COLORS["real"], label=f"human {unit}s")
    ax.hist(np.clip(score[is_machine], low, high), bins=bins, histtype="step", linewidth=1.6, density=True,
            color=COLORS["replace"], linestyle="--", label=f"machine {unit}s")
    for i, t in enumerate(thresholds):
        ax.axvline(t, color=COLORS["theory"], linestyle=":", linewidth=1.2,
                   label=f"thresholds t = {', '.join(f'{v:g}' for v in thresholds)}" if i == 0 else None)
    for x, side in ((low, "left"), (high, "right")):  # the end bins hold every score beyond them
        ax.annotate("and beyond", (x, 0.98), xycoords=("data", "axes fraction"), ha=side, va="top", fontsize=8)
    ax.set_xlabel(f"score = log q_machine − log p_human (nats; clipped to [{low}, {high}])")
    ax.set_ylabel("density")
    ax.legend(fontsize=8, loc="upper center")
    return ax


@styled
def share_estimates(true_shares, estimates, ax=None):
    """Estimates of a corpus's machine share against the true share: one marker and line style per
    method, and the diagonal where an estimate would be exact. estimates: {method: values}."""
    ax = new_axes(ax)
    ax.plot([0, 1], [0, 1], ":", color=COLORS["theory"], linewidth=1.2, label="exact")
    looks = [("o", "-", PALETTE["vermillion"]), ("s", "--", PALETTE["blue"]), ("D", "-.", PALETTE["green"])]
    for (label, values), (marker, style, color) in zip(estimates.items(), looks):
        ax.plot(true_shares, values, style, marker=marker, color=color, label=label)
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="true machine share of the documents", ylabel="estimated share")
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.legend(fontsize=8, loc="upper left")
    return ax














# --- self-check: each helper checks one part's claims at the lesson's settings ---------------------

GRAPHITE = {2023: 0.39, 2024: 0.50}                                      # measured points, held after 2024
WEB_RUN = dict(samples=2000, seeds=3, seed=0, reference_samples=20000)   # the lesson's web settings




def _check_contaminated_webs(world, shares):
    """Part 2: the measured shares span 2.5% to 74%; Graphite's web is clearly worse by 2029, more machine text worse still."""
    assert min(e["low"] for e in MEASURED_SHARES) == 0.025 and max(e["high"] for e in MEASURED_SHARES) == 0.742
    assert list(shares) == [0, 0.39, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    webs = {label: contaminated_web(world, NGramLM(order=3), web_shares(np.arange(2022, 2030), {2023: s}) if s else shares,
                                    **WEB_RUN) for label, s in (("low", 0.135), ("graphite", None), ("high", 0.742))}
    tail = {label: h.median("recall_tail") for label, h in webs.items()}
    nll = webs["graphite"].median("heldout_nll")
    assert tail["graphite"][-1] - tail["graphite"][0] < -0.02 and nll[-1] - nll[0] > 0.03
    assert tail["high"][-1] < tail["graphite"][-1] < tail["low"][-1], tail
    # fixed size against growing: with every year's human words kept and the machine's on top, no harm
    # ("tail recall and NLL end where they started or a little better; the human part alone is no better")
    grown = {f: contaminated_web(world, NGramLM(order=3), shares, crawl="growing", filter=f, words_per_document=20,
                                 **WEB_RUN) for f in (None, "labels")}
    g_tail, g_nll = grown[None].median("recall_tail"), grown[None].median("heldout_nll")
    assert g_tail[-1] >= g_tail[0] - 0.005 and g_nll[-1] <= g_nll[0] + 0.005, (g_tail, g_nll)
    assert grown["labels"].median("recall_tail")[-1] <= g_tail[-1] + 0.005
    assert grown["labels"].median("heldout_nll")[-1] >= g_nll[-1] - 0.005
    return webs


@remembered(maxsize=1)
def _detector_numbers(world):
    """Part 3's numbers, measured as the notebook does: Graphite's web model writes, a reference 3-gram
    reads, and one generator draws, in this order, the reference corpus, then each check's samples.
    A self-check's run like the lessons' runs (remembered, and read from the shared store); the
    claims are checked on these numbers every time (_check_word_detector, _check_documents,
    _check_excess_vocabulary)."""
    shares = web_shares(np.arange(2022, 2030), GRAPHITE)
    writer = contaminated_web(world, NGramLM(order=3), shares, **WEB_RUN).model
    draws = np.random.default_rng(1)
    reference = NGramLM(order=3).fit(world.sample((3, 20000), draws))
    out = {}
    # the per-word detector on 1,000 human and 1,000 machine words per seed
    mix = np.concatenate([world.sample((3, 1000), draws), writer.sample(1000, draws)], axis=1)
    truth = np.arange(2000)[None, :].repeat(3, axis=0) >= 1000
    score = synthetic_score(mix, writer, reference)
    out["pr"] = {t: [float(np.median(v)) for v in precision_recall(score > t, truth)] for t in (0.0, 2.0)}
    out["human_flagged"] = float(np.median((score > 0)[~truth].reshape(3, -1).mean(axis=1)))
    bucket = world.bucket_[world.rank(mix[~truth])]
    flagged = (score > 0)[~truth]
    out["flagged_head"], out["flagged_tail"] = float(flagged[bucket == 0].mean()), float(flagged[bucket == 2].mean())
    real = world.is_real(mix)
    out["caught"] = [float(np.median(((score > 2) & sel).sum(1) / sel.sum(1))) for sel in (truth & ~real, truth & real)]
    # documents of 20 words
    docs, doc_truth = labelled_documents(world, writer, 400, 20, 0.5, draws)
    doc_score = document_scores(docs.reshape(3, -1), writer, reference, 20)
    out["doc_pr"] = [float(np.median(v)) for v in precision_recall(doc_score > 0, np.broadcast_to(doc_truth, doc_score.shape))]
    # the excess vocabulary: markers from a 2021 snapshot, then each share's three estimates
    snapshot = world.sample((3, 20000), draws)
    markers = excess_markers(labelled_documents(world, writer, 1000, 20, 0.5, draws)[0].reshape(3, -1), snapshot)
    human = labelled_documents(world, writer, 1000, 20, 0.0, draws)[0]
    machine = labelled_documents(world, writer, 1000, 20, 1.0, draws)[0]
    out["estimates"] = {}
    for s in (0.1, 0.3, 0.5, 0.7):
        d = labelled_documents(world, writer, 1000, 20, s, draws)[0]
        out["estimates"][s] = (float(np.median(excess_share(d, markers, human))),
                               float(np.median(calibrated_share(d, markers, human, machine))),
                               float(np.median((synthetic_score(d.reshape(3, -1), writer, reference) > 0).mean(1))))
    return out


def _check_word_detector(numbers):
    """Part 3: about seven flagged words in ten are the machine's; frequent words flagged most; misspellings caught, real words not."""
    pr = numbers["pr"]
    assert pr[0.0][1] > 0.5 and 0.6 < pr[0.0][0] < 0.8 and 0.2 < numbers["human_flagged"] < 0.4, pr
    assert numbers["flagged_head"] > numbers["flagged_tail"]     # frequent words flagged most
    assert pr[2.0][0] > 0.9 and pr[2.0][1] < 0.5, pr
    caught = numbers["caught"]
    assert caught[0] > 0.4 and caught[1] < 0.05, caught


def _check_documents(numbers):
    """Part 3: documents of 20 words: precision and recall about 0.99 or more."""
    doc_pr = numbers["doc_pr"]
    assert min(doc_pr) >= 0.98, doc_pr
    return doc_pr


def _check_excess_vocabulary(numbers):
    """Part 3: the bound stays below the truth and close; calibrated within a few points; the per-word count far off at 10%."""
    for s, (bound, calibrated, per_word) in numbers["estimates"].items():
        assert s - 0.15 < bound < s + 0.02 and abs(calibrated - s) < 0.06, (s, bound, calibrated)
        assert s != 0.1 or per_word > 0.25, per_word                                          # "about a third" at 10%


def _check_acting(world, shares, graphite):
    """Part 4 and exercise 2: word filter worse on NLL and quality; document filter ≈ human half; resampling keeps quality, loses tail."""
    acted = {label: contaminated_web(world, NGramLM(order=3), shares, **kw, **WEB_RUN)
             for label, kw in {"word": dict(filter="detector"), "doc": dict(filter="detector", words_per_document=20),
                               "resample": dict(filter="resample", words_per_document=20)}.items()}
    final = {label: {n: h.median(n)[-1] for n in ("recall_tail", "heldout_nll", "real_word_share")}
             for label, h in {"none": graphite, **acted}.items()}
    none = final["none"]
    assert final["word"]["heldout_nll"] > none["heldout_nll"] and final["word"]["real_word_share"] < none["real_word_share"]
    assert final["doc"]["heldout_nll"] > none["heldout_nll"]
    assert final["resample"]["real_word_share"] >= graphite.median("real_word_share")[0] - 0.01   # "near ... or above"
    assert final["resample"]["real_word_share"] == max(f["real_word_share"] for f in final.values())
    assert final["resample"]["recall_tail"] < none["recall_tail"] and final["resample"]["heldout_nll"] > none["heldout_nll"]
    # why: on 20-word documents the detector is all but perfect from 2023 on, so resampling = document
    # filter + every human document about twice, which halves the add-k smoothing's weight
    assert np.min(acted["resample"].median("detector_precision")[2:]) > 0.97
    assert np.min(acted["resample"].median("detector_recall")[2:]) > 0.99
    halved = contaminated_web(world, NGramLM(order=3, smoothing=0.05), shares, filter="detector", words_per_document=20,
                              **WEB_RUN)
    h = {n: halved.median(n)[-1] for n in ("recall_tail", "heldout_nll", "real_word_share")}
    assert abs(h["real_word_share"] - 0.42) < 0.005 and abs(final["resample"]["real_word_share"] - 0.44) < 0.005
    assert h["recall_tail"] > final["resample"]["recall_tail"] and h["heldout_nll"] < final["resample"]["heldout_nll"]
    short = contaminated_web(world, NGramLM(order=3), shares, filter="resample", words_per_document=5, **WEB_RUN)
    assert round(short.median("real_word_share")[-1], 2) == round(none["real_word_share"], 2) == 0.38   # "0.38 against 0.38"
    kept = contaminated_web(world, NGramLM(order=3), shares, filter="labels", mode="accumulate", words_per_document=20,
                            **WEB_RUN)
    tail, nll = kept.median("recall_tail"), kept.median("heldout_nll")
    assert abs(tail[-1] - 0.28) < 0.005 and abs(tail[0] - 0.22) < 0.005 and abs(nll[-1] - 1.89) < 0.005 \
        and abs(nll[0] - 2.02) < 0.005, (tail, nll)   # "tail recall 0.28 against 0.22, NLL 1.89 against 2.02"
    # the folded solution of exercise 2: perfect labels, but fewer words (the NLL rises)
    labelled = contaminated_web(world, NGramLM(order=3), shares, filter="labels", **WEB_RUN)
    assert labelled.median("heldout_nll")[-1] > none["heldout_nll"]
    assert round(final["resample"]["heldout_nll"], 2) == 2.20 and round(labelled.median("heldout_nll")[-1], 2) == 2.12
    assert abs(labelled.median("recall_tail")[-1] - none["recall_tail"]) < 0.02


def self_check():
    """Notebook 07's self-check: every claim above, from its own seeded runs and draws. Returns the lines to print."""
    world = Words(n_words=5000, heldout=5000)
    shares = web_shares(np.arange(2022, 2030), GRAPHITE)
    alarms = monitoring.check_alarms(world)
    webs = _check_contaminated_webs(world, shares)
    numbers = _detector_numbers(world)   # Part 3: one generator's draws, in order (see there)
    _check_word_detector(numbers)
    doc_pr = _check_documents(numbers)
    _check_excess_vocabulary(numbers)
    _check_acting(world, shares, webs["graphite"])
    tail = webs["graphite"].median("recall_tail")
    return (f"Self-check passed.\nalarms {alarms}; Graphite's web lost {tail[0] - tail[-1]:.3f} "
            f"tail recall by 2029; documents of 20 words: precision and recall at least {min(doc_pr):.3f}.")
