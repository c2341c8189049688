# %% [markdown]
# # 07 · Monitoring and provenance: catching collapse, and where contaminated data comes from
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/07_monitoring_and_provenance.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/07_monitoring_and_provenance.ipynb)
#
# **Questions**
# - Which numbers should a synthetic-data pipeline watch to catch collapse early, and which ones mislead?
# - How does machine-written text get into training data that nobody meant to be synthetic?
# - Can we tell machine-written words from human ones, and does filtering by such a detector help?
#
# **Objectives**
# - Set alarm thresholds on a monitor and say which alarm trips first in a collapsing run, and why
#   some diversity measures move the wrong way.
# - Simulate a web whose share of machine text grows every year, and compare it with a frozen snapshot.
# - Measure a likelihood-ratio detector's precision and recall, and what filtering by it does.
#
# **Time:** about 30 minutes.

# %%
# On Colab (or wherever the course is not installed yet) install it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q git+https://github.com/model-collapse-lab/model-collapse-lab
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, ...
import io
from IPython.display import Image
start("07")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## Part 1 · A monitor with alarms
#
# A pipeline that trains on its own outputs needs a dashboard, like any production system. The
# monitor below watches a flywheel like notebook 04's (a character 3-gram with the package's
# default smoothing, 5,000 English words, 2,000 words per generation, no real data, no gate) for
# 20 generations, and raises an alarm when a
# metric moves past a threshold, in percent of its generation-0 value:
#
# | metric | alarm when it | default threshold |
# |---|---|---|
# | held-out NLL (perplexity) of real words | rises | 10% |
# | distinct words in the samples | drops | 20% |
# | tail recall (rarest words the model still knows) | drops | 30% |
# | entropy of the sampled words | drops | 5% |
#
# Press **Run**, then move the thresholds: the alarms update without a rerun.
#
# > **Predict first.** The flywheel is collapsing: it forgets rare words generation after
# > generation. Which alarm trips first? And will the *distinct words* alarm trip at all?

# %%
monitor = dashboards.monitor()  # runs its default settings at once, so the figure is never empty
collapsing = monitor.history
monitor

# %% [markdown]
# Without a kernel the explorer above is blank; this is what it shows at its default settings:

# %%
png = io.BytesIO()
monitor.figure.savefig(png, format="png")  # the explorer's own figure, as a plain image
display(Image(png.getvalue()))
alarms = dict(monitor.alarms)
print("first alarm (generation) per metric:", alarms)

# %% [markdown]
# The held-out NLL and the tail recall trip within the first few generations. The
# distinct-words and entropy alarms **never trip**: both numbers *rise*. A collapsing n-gram
# misspells more and more, and every misspelling is a new "distinct word", so diversity counted
# on the raw output looks healthier than ever while the model forgets real words.
#
# Here is every metric the run recorded, and how far it moved by generation 20:

# %%
world = Words(n_words=5000, heldout=5000)  # the monitor's world: the same words and held-out sample
collapsing.metrics["distinct_real_words"] = words.distinct_real_words(collapsing, world)
WATCH = {  # metric: (direction that means trouble, what it is)
    "heldout_nll": (+1, "held-out NLL of real words"),
    "gen0_nll": (+1, "drift: NLL of the samples under generation 0"),
    "recall_tail": (-1, "tail recall (model)"),
    "recall_head": (-1, "head recall (model)"),
    "real_word_share": (-1, "share of real words (samples)"),
    "distinct_real_words": (-1, "distinct real words (samples)"),
    "distinct_words": (-1, "distinct words (samples)"),
    "distinct_ngrams": (-1, "distinct character 3-grams (samples)"),
    "entropy": (-1, "entropy of the words (samples)"),
}

# %%
moved = {}  # metric: its relative change from generation 0 to 20
print(f"{'metric':46s} {'gen 0':>8} {'gen 20':>8} {'change':>8}  verdict")
for name, (direction, text) in WATCH.items():
    curve = collapsing.median(name)
    last = curve[~np.isnan(curve)][-1]  # distinct real words are counted on the snapshots only
    moved[name] = change = last / curve[0] - 1
    verdict = "warns" if direction * change > 0.1 else "looks fine, or better"
    fmt = ".3f" if abs(curve[0]) < 100 else ".0f"
    print(f"{text:46s} {curve[0]:8{fmt}} {last:8{fmt}} {change:+8.0%}  {verdict}")

# %% [markdown]
# Two families of numbers:
#
# - Measured **against real data** or against the **model's knowledge** (held-out NLL, drift from
#   generation 0, recall, share of real words, distinct *real* words): all warn.
# - Measured on the **raw output alone** (distinct words, distinct 3-grams, entropy): all rise. Noise
#   looks like diversity.
#
# A monitor needs at least one number anchored in real data. Counting the output's variety is not
# enough.
#
# **Does the monitor cry wolf?** Run two more flywheels: a healthy one (20% fresh real data,
# accumulating all data, as notebooks 01 and 06 recommend) and one with the likelihood gate of
# notebook 05.
#
# > **Predict first.** Which alarms will each run trip?

# %%
runs, run_alarms = {"collapsing": collapsing}, {"collapsing": alarms}
for name, settings in {"healthy": dict(real_fraction=0.2, mode="accumulate"),
                       "likelihood gate": dict(gate="top")}.items():
    other = dashboards.monitor(**settings)  # a second monitor, so the one above keeps its run
    runs[name] = other.history
    run_alarms[name] = dict(other.alarms)
    print(f"{name:>16}: {run_alarms[name]}")

# %% [markdown]
# The healthy run stays quiet on every alarm. The likelihood-gated run trips all four: a gate
# that narrows the output makes distinct words and entropy fall too, so there the raw-output
# alarms work. Only the babbling kind of collapse slips past them.
#
# ## Part 2 · Contamination: the web fills up with machine text
#
# Nobody has to train on synthetic data on purpose. Language models are trained on text crawled
# from the web, and the web now holds text written by language models. The **wordfreq** package
# behind this course's word frequencies stopped updating in 2024: its author, Robyn Speer, wrote
# that text generated by language models had polluted the web it was built from ("I don't think
# anyone has reliable information about post-2021 language usage by humans"), so its data stays a
# snapshot of language up to 2021. Her example: ChatGPT's fondness for the word *delve* raised
# its overall frequency by an order of magnitude.
#
# Our toy web: every year, a crawl of 2,000 words, a growing share of which were written by last
# year's model (10% in 2022, 20% in 2023, …, 80% in 2029). Each year's model trains on that
# year's crawl. `provenance.contaminated_web` runs it; the 2021 crawl is all human.
#
# > **Predict first.** The crawls still hold fresh human words every year (90% in 2022, 20% by
# > 2029). Will the 2029 model be about as good as the 2021 one, or clearly worse?

# %%
YEARS = np.arange(2021, 2030)
SHARES = np.round(np.arange(1, len(YEARS)) * 0.1, 2)  # synthetic share of the crawl, 2022 onwards
WEB = dict(samples=2000, seeds=3, seed=0, reference_samples=20000)
web = provenance.contaminated_web(world, NGramLM(order=3), SHARES, **WEB)

# %% [markdown]
# Each web figure shows three metrics by year, one line (a colour and a style) per training set:

# %%
WEB_SHOWN = ("recall_tail", "heldout_nll", "real_word_share")
WEB_COLORS = {"crawl as it is": plots.COLORS["replace"], "frozen 2021 snapshot": plots.COLORS["world"],
              "detector filter, t = 0": plots.PALETTE["sky"], "detector filter, t = 2": plots.COLORS["gated"]}
WEB_STYLES = {"crawl as it is": "-", "frozen 2021 snapshot": ":", "detector filter, t = 0": "--",
              "detector filter, t = 2": "-."}  # a line style each: never told apart by colour alone

# %%
def draw_web(webs, axes):
    """The web's metrics by year, one line per way of building the training data."""
    for ax, name in zip(axes, WEB_SHOWN):
        for label, h in webs.items():
            # the frozen 2021 model is never retrained: a flat line
            y = np.full(len(YEARS), h.median(name)[0]) if label == "frozen 2021 snapshot" else h.median(name)
            ax.plot(YEARS, y, WEB_STYLES[label], color=WEB_COLORS[label], label=label, marker="o", markersize=3)
        ax.set_ylim(bottom=0 if name != "heldout_nll" else None)  # from 0: a small change looks small
        ax.set_xlabel("year of the crawl")
        ax.set_ylabel(plots.metric_label(name))
    axes[0].legend(loc="lower left")

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
draw_web({"crawl as it is": web, "frozen 2021 snapshot": web}, axes)
fig.suptitle("Models trained on each year's crawl (median of 3 runs)")
plt.show()
web_change = {name: web.median(name)[-1] - web.median(name)[0] for name in WEB_SHOWN}
print("2021 → 2029:", {name: f"{web.median(name)[0]:.3f} → {web.median(name)[-1]:.3f}" for name in WEB_SHOWN})

# %% [markdown]
# Clearly worse, and worse as the machine share grows: the 2029 model knows fewer rare words, explains real text
# less well, and misspells more. The damage is slower than in the closed flywheel of Part 1,
# because every crawl still brings fresh human words, but it grows with the synthetic share.
# The frozen 2021 snapshot (dotted) does not move. That is why wordfreq froze: for a table of
# *human* word frequencies, old but clean beats new but contaminated. (The price, which our toy
# world does not have: a frozen snapshot never learns a new word.)
#
# ## Part 3 · Provenance: which words did a machine write?
#
# To clean a crawl we would need to know which words are machine-written. A natural detector is a
# **likelihood ratio**: how much likelier a word is under a model like the one that wrote the
# machine text than under a model of trusted human text (here a 3-gram fitted on 20,000 words of
# the clean 2021 web):
#
# score(w) = log q_machine(w) − log p_human(w);  flag w as machine-written when score(w) > t.
#
# Test it on a labelled mix: 1,000 human words and 1,000 words from the 2029 model.
#
# > **Predict first.** At t = 0 (flag whatever is likelier under the machine), will the detector
# > catch most machine words? What share of the words it flags will really be machine-written?

# %%
rng = np.random.default_rng(1)
reference = NGramLM(order=3).fit(world.sample((3, 20000), rng))  # trusted human text, one model per seed
writer = web.model  # the 2029 model
mix = np.concatenate([world.sample((3, 1000), rng), writer.sample(1000, rng)], axis=1)
is_machine = np.zeros(mix.shape, bool)
is_machine[:, 1000:] = True
score = provenance.synthetic_score(mix, writer, reference)

# %%
detector = {}  # threshold: the detector's median precision, recall and share of human words flagged
print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'human words flagged':>20}")
for t in (0.0, 1.0, 2.0, 3.0):
    flagged = score > t
    precision, recall = provenance.precision_recall(flagged, is_machine)
    detector[t] = dict(precision=np.median(precision), recall=np.median(recall),
                       human_flagged=np.median((flagged & ~is_machine).sum(axis=1) / 1000))
    print(f"{t:9.0f} {detector[t]['precision']:9.2f} {detector[t]['recall']:7.2f} {detector[t]['human_flagged']:20.1%}")

# %% [markdown]
# Which words does it catch, and which does it miss? The scores of the two kinds of words, and a
# breakdown of the machine's words into misspellings and real words:

# %%
real = world.is_real(mix)
caught = {kind: np.median(((score > 2.0) & sel).sum(axis=1) / sel.sum(axis=1))
          for kind, sel in {"misspellings": is_machine & ~real, "real words": is_machine & real}.items()}
print(f"at t = 2, the detector catches {caught['misspellings']:.0%} of the machine's misspellings "
      f"and {caught['real words']:.0%} of the machine's real words")
bucket = world.bucket_[world.rank(mix[~is_machine])]  # 0 head, 1 torso, 2 tail, for the human words
flagged_human = (score > 0)[~is_machine]
flag_rate = {name: flagged_human[bucket == b].mean() for b, name in enumerate(("head", "torso", "tail"))}
print("human words flagged at t = 0, by frequency bucket:", {k: f"{v:.0%}" for k, v in flag_rate.items()})

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.4))
bins = np.linspace(-10, 20, 61)
ax.hist(np.clip(score[~is_machine], -10, 20), bins=bins, histtype="step", linewidth=1.6, density=True,
        color=plots.COLORS["real"], label="human words")
ax.hist(np.clip(score[is_machine], -10, 20), bins=bins, histtype="step", linewidth=1.6, density=True,
        color=plots.COLORS["replace"], linestyle="--", label="machine words")
for t in (0, 2):
    ax.axvline(t, color=plots.COLORS["theory"], linestyle=":", linewidth=1, label="thresholds t = 0, 2" if t else None)
for x, side in ((-10, "left"), (20, "right")):  # the end bins hold every score beyond them
    ax.annotate("all beyond", (x, 1.0), xycoords=("data", "axes fraction"), ha=side, va="top", fontsize=8)
ax.set_xlabel("score = log q_machine − log p_human (nats; clipped to [−10, 20])")
ax.set_ylabel("density")
ax.legend()
ax.set_title("The detector's scores on a labelled mix")
plt.show()

# %% [markdown]
# At t = 0 the detector catches most machine words, but it also flags a good share of the human
# words, so only about three flagged words in four are really machine-made (the table above). Raising the threshold
# buys precision with recall: at t = 2 nearly everything flagged is machine-made, but most machine
# words pass. The breakdown shows why: the detector catches the machine's **misspellings**, and
# almost none of its **real words**. A machine's "the" and a person's "the" are the same word;
# no detector can tell them apart from the word alone (real detectors of machine text face the
# same limit, on longer texts: Sadasivan et al. 2023).
#
# **Filtering the web by the detector.** Drop the flagged words from every year's crawl before
# training.
#
# > **Predict first.** With t = 0 the filter removes most machine words. Will the 2029 model be
# > better or worse than the one trained on the unfiltered crawl?

# %%
filtered = {t: provenance.contaminated_web(world, NGramLM(order=3), SHARES, filter="detector", threshold=t, **WEB)
            for t in (0.0, 2.0)}
fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
draw_web({"crawl as it is": web, "detector filter, t = 0": filtered[0.0], "detector filter, t = 2": filtered[2.0],
          "frozen 2021 snapshot": web}, axes)
fig.suptitle("Filtering each year's crawl by the detector (median of 3 runs)")
plt.show()
for label, h in {"crawl as it is": web, "filter t = 0": filtered[0.0], "filter t = 2": filtered[2.0]}.items():
    print(f"{label:>15}, 2029: tail recall {h.median('recall_tail')[-1]:.3f}, held-out NLL "
          f"{h.median('heldout_nll')[-1]:.2f}, real-word share {h.median('real_word_share')[-1]:.2f}, "
          f"machine share of the training words {h.median('synthetic_share')[-1]:.0%}")

# %% [markdown]
# Worse. At t = 0 the filter throws out about a fifth of the human words along with the machine
# words. It flags a human word when the machine's model likes it more than the trusted model
# does, and a collapsing model over-produces the frequent words, so people's *frequent* words
# are flagged most often (the shares by bucket are printed after the detector table). The next
# model learns from fewer human words, with the head cut back: it explains real text worse and
# loses rare words faster than with no filter at all. The model loses its tail faster than with no filter, exactly like the likelihood gate of
# notebook 05, which also removed "unlikely" words. At t = 2 the filter is precise: it removes
# misspellings, so the share of real words goes up, but it leaves most machine words in, and
# the tail still drains.
#
# The lesson is the one wordfreq's author drew: provenance is much easier to keep than to
# recover. Keep records of where data came from, keep the human data you have, and date your
# snapshots.
#
# ## Exercises
#
# **1. Perfect provenance.** Suppose every machine word came labelled (a watermark, say:
# Kirchenbauer et al. 2023). Run `contaminated_web(..., filter="labels")`: the model trains on
# the human words of each crawl only. Is the 2029 model better than the unfiltered one?
#
# <details><summary>Solution</summary>
#
# ```python
# labelled = provenance.contaminated_web(world, NGramLM(order=3), SHARES, filter="labels", **WEB)
# print(labelled.median("recall_tail")[-1], web.median("recall_tail")[-1])
# print(labelled.median("heldout_nll")[-1], web.median("heldout_nll")[-1])
# ```
# Not on tail recall or held-out NLL: in 2029 only 20% of the crawl (400 words) is human, and a
# model of 400 words knows fewer rare words than one of 2,000 mostly plausible ones. Knowing
# provenance pays off when you *keep* the human data across years (accumulate it, as in notebooks
# 01 and 06) instead of throwing the rest away each year.
# </details>
#
# **2. Tune the alarms.** In the monitor, find thresholds at which the collapsing run trips an
# alarm by generation 2 and the healthy run (20% real, accumulate) stays quiet for all 20.
#
# <details><summary>Solution</summary>
#
# The defaults already do it for the held-out NLL (10%) and tail recall (30%). The healthy run's
# NLL moves by only a few percent over 20 generations, so a rise threshold of 5–10% separates the
# two runs; the same reasoning works for tail recall. Thresholds on distinct words or entropy
# cannot catch this collapse at any setting, because those numbers rise.
# </details>
#
# **3. For the discussion.** wordfreq froze its data. Name a product that cannot freeze (it must
# learn new words), and what it could do instead.
#
# <details><summary>Solution</summary>
#
# A search engine or an assistant must know this year's names and words. It can keep a trusted
# human core (curated, dated sources), add new data with provenance records (publisher, date,
# licence), gate new data with verifiers rather than likelihood, and monitor against held-out
# human data (Part 1).
# </details>
#
# ## Key points
#
# - Monitor numbers anchored in **real data** (held-out NLL, tail recall, share of real words,
#   drift from generation 0). Diversity counted on raw output can *rise* while the model collapses.
# - Contamination needs no one's intent: a web that fills with machine text degrades every model
#   trained on it, a little more each year. A clean, dated snapshot does not degrade.
# - Detecting machine-written words is hard: a likelihood-ratio detector catches errors, not
#   fluent output, and filtering by it can remove the rare human data you most need.
# - Provenance is easier to keep than to recover.
#
# ## References
#
# - Speer, R. (2024). Why wordfreq will not be updated. wordfreq README,
#   https://github.com/rspeer/wordfreq/blob/master/SUNSET.md
# - Shumailov, I. et al. (2024). AI models collapse when trained on recursively generated data.
#   *Nature* 631, 755–759.
# - Sadasivan, V. S. et al. (2023). Can AI-generated text be reliably detected? arXiv:2303.11156.
# - Kirchenbauer, J. et al. (2023). A watermark for large language models. ICML 2023, arXiv:2301.10226.
# - Alemohammad, S. et al. (2023). Self-consuming generative models go MAD. arXiv:2307.01850 (ICLR 2024).
#
# ## Self-check
#
# This cell confirms that what the page claims held on this run.

# %%
# Part 1: NLL and tail alarms trip early, the raw-output alarms never do, because those numbers rise
assert alarms["heldout_nll"] is not None and alarms["heldout_nll"] <= 3, alarms
assert alarms["recall_tail"] is not None and alarms["recall_tail"] <= 3, alarms
assert alarms["distinct_words"] is None and alarms["entropy"] is None, alarms
for name in ("distinct_words", "distinct_ngrams", "entropy"):
    assert moved[name] > 0, (name, moved[name])                           # "all rise"
for name, (direction, _) in WATCH.items():
    if name not in ("distinct_words", "distinct_ngrams", "entropy"):
        assert direction * moved[name] > 0.1, (name, moved[name])         # "all warn"
assert all(g is None for g in run_alarms["healthy"].values()), run_alarms          # the healthy run stays quiet
assert all(g is not None for g in run_alarms["likelihood gate"].values()), run_alarms  # the gated one trips all four
# Part 2: worse every year (tail, NLL, quality), the snapshot flat by construction
assert web_change["recall_tail"] < -0.03 and web_change["heldout_nll"] > 0.05 and web_change["real_word_share"] < 0
nll = web.median("heldout_nll")
assert nll[-1] > nll[len(nll) // 2] > nll[0], nll
assert web_change["heldout_nll"] < runs["collapsing"].median("heldout_nll")[8] - runs["collapsing"].median("heldout_nll")[0]
# Part 3: the detector
assert detector[0.0]["recall"] > 0.5 and 0.6 < detector[0.0]["precision"] < 0.85, detector[0.0]
assert detector[0.0]["human_flagged"] > 0.1, detector[0.0]
assert detector[2.0]["precision"] > 0.9 and detector[2.0]["recall"] < 0.5, detector[2.0]
assert caught["misspellings"] > 0.4 and caught["real words"] < 0.05, caught
assert 0.15 < detector[0.0]["human_flagged"] < 0.3 and flag_rate["head"] > flag_rate["tail"], (detector[0.0], flag_rate)
# filtering: t = 0 loses the tail faster; t = 2 raises quality but the tail still drains
tail = {key: h.median("recall_tail")[-1] for key, h in {"none": web, 0.0: filtered[0.0], 2.0: filtered[2.0]}.items()}
assert tail[0.0] < tail["none"], tail
assert filtered[0.0].median("heldout_nll")[-1] > web.median("heldout_nll")[-1]
assert filtered[2.0].median("real_word_share")[-1] > web.median("real_word_share")[-1]
assert filtered[2.0].median("synthetic_share")[-1] > 0.5 and tail[2.0] < web.median("recall_tail")[0] - 0.03
# the folded solution: perfect labels, but fewer words
labelled = provenance.contaminated_web(world, NGramLM(order=3), SHARES, filter="labels", **WEB)
assert labelled.median("recall_tail")[-1] < web.median("recall_tail")[-1]
assert labelled.median("heldout_nll")[-1] > web.median("heldout_nll")[-1]
print(f"Self-check passed: alarms {alarms}; the web's 2029 model lost {-web_change['recall_tail']:.3f} tail recall; "
      f"the detector at t = 0 had precision {detector[0.0]['precision']:.2f} and recall {detector[0.0]['recall']:.2f}.")
