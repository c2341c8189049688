# %% [markdown]
# # 07 · Monitoring and provenance: catching collapse, and where contaminated data comes from
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/07_monitoring_and_provenance.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/07_monitoring_and_provenance.ipynb)
#
# **Questions**
# - Which numbers should a synthetic-data pipeline watch to catch collapse early, and which ones mislead?
# - How much of today's text is machine-written, by measurement, and what does that do to a model trained on it?
# - Can we tell machine-written text from human text: a word, a document, a whole corpus?
# - Does acting on a detector's verdict (filtering, resampling) protect the next model?
#
# **Objectives**
# - Set alarm thresholds on a monitor and say which alarm trips first in a collapsing run, and why
#   some diversity measures move the wrong way.
# - Read the measured machine shares of web pages, web articles and scientific abstracts, and say what each measured.
# - Measure a likelihood-ratio detector on words and on documents, and estimate a corpus's machine
#   share from its excess vocabulary (Kobak et al. 2025) where the per-word detector cannot.
# - Compare filtering and detector-guided resampling (Drayson et al. 2025) of a contaminated web,
#   and tell what machine text does from what losing human text does.
#
# **Time:** about 37 minutes (22 reading, 4 exercises × 3, 1 explorers × 2, 1 running).

# %% [markdown]
# **How this notebook works.** Run the cells in order (Shift+Enter). Where it says *Predict first*,
# pick your guess before running on: the next cells measure the answer and show it beside your guess.
# Each exercise has a cell for your answer: `q1.check(...)` says whether it is right and, if not,
# what is probably wrong; `q1.hint()` gives a nudge and `q1.solution()` the worked answer (also folded
# under the exercise). Terms in **bold** are defined where they first appear, and all of them in
# [the glossary](../docs/glossary.md).

# %%
# On Colab (or wherever the course is not installed yet) install this release of it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q "collapse-lab @ git+https://github.com/model-collapse-lab/model-collapse-lab@v0.2.0"
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, ...
from collapse_lab.exercises.provenance import q1, q2, q3, YEARS, GRAPHITE, SHARES, WEB   # exercises, settings
start("07")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## Part 1 · A monitor with alarms
#
# A pipeline that trains on its own outputs needs a dashboard, like any production system. The
# monitor below watches a flywheel like notebook 04's (a character 3-gram with the package's
# default smoothing, 5,000 English words, 2,000 words per generation, no real data, no gate) for
# 20 generations, and raises an alarm when a metric moves past a threshold, in percent of its
# generation-0 value:
#
# | metric | alarm when it | default threshold |
# |---|---|---|
# | held-out NLL of real words | rises | 10% |
# | distinct words in the samples | drops | 20% |
# | tail recall | drops | 30% |
# | entropy of the sampled words | drops | 5% |
#
# The **held-out NLL** (negative log-likelihood) is the average of −log p(word) over real words the
# model never trained on, in **nats** (natural-log units); lower is better, and exp(NLL) is the
# **perplexity**. **Tail recall** is the share of the world's rarest words (the tail, a tenth of
# the probability mass) that the model can still produce. The **entropy** of the samples, −Σ f log f
# over their word frequencies f, measures how spread out the output is.
#
# > **Predict first.** The flywheel is collapsing: it forgets rare words generation after
# > generation. Which alarm trips first? And will the *distinct words* alarm trip at all?

# %%
p1 = predict("In the collapsing flywheel, the alarms that trip are…",
             ["all four, diversity first", "NLL and tail recall only", "none in 20 generations"])

# %% [markdown]
# Press **Run**, then move the thresholds: the alarms update without a rerun. Things to try:
# - Lower **tail recall drop %** to 10: how much earlier does it trip?
# - Set **real data** 0.2 and **training set** accumulate, then Run: any false alarm?
# - Lower **distinct drop %** and **entropy drop %** to 1: why do they still stay quiet?

# %%
monitor = dashboards.monitor()  # runs its default settings at once, so the figure is never empty
collapsing = monitor.history
monitor

# %% [markdown]
# Without a kernel the explorer above is blank; this is its figure at the default settings:

# %%
import io
from IPython.display import Image
png = io.BytesIO()
monitor.figure.savefig(png, format="png")  # the explorer's own figure, as a plain image
Image(png.getvalue())

# %%
alarms = dict(monitor.alarms)
print("first alarm (generation) per metric:", alarms)
reveal(p1, alarms, answer="NLL and tail recall only" if alarms["distinct_words"] is None and alarms["recall_tail"]
       else "all four, diversity first")

# %% [markdown]
# The held-out NLL and the tail recall trip within the first few generations. The
# distinct-words and entropy alarms **never trip**: both numbers *rise*. A collapsing n-gram
# misspells more and more, and every misspelling is a new "distinct word", so diversity counted
# on the raw output looks healthier than ever while the model forgets real words.
#
# Here is every metric the run recorded, and how far it moved by generation 20:

# %%
world = Words(n_words=5000, heldout=5000)  # the monitor's world: the same words and held-out sample
collapsing.metrics["distinct_real_words"] = worlds.words.distinct_real_words(collapsing, world)
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
# **Does the monitor cry wolf?** Run three more flywheels: a healthy one (20% fresh real data,
# accumulating all data, as notebooks 01 and 06 recommend), a steady one that keeps no old data
# (50% fresh real data, replacing the rest) and one with the likelihood gate of notebook 05.
#
# > **Predict first.** Which alarms will each run trip?

# %%
p2 = predict("The healthy run (20% real, accumulate) trips…", ["no alarm", "the NLL alarm", "every alarm"])

# %%
runs, run_alarms = {"collapsing": collapsing}, {"collapsing": alarms}
for name, settings in {"healthy": dict(real_fraction=0.2, mode="accumulate"),
                       "steady": dict(real_fraction=0.5), "likelihood gate": dict(gate="top")}.items():
    runs[name] = lessons.monitoring.monitor_run(**settings)  # the monitor's run at these settings, without its figure
    run_alarms[name] = lessons.monitoring.monitor_alarms(runs[name])  # the default thresholds
    moved_by = {m: runs[name].median(m)[-1] / runs[name].median(m)[0] - 1 for m in ("heldout_nll", "recall_tail")}
    print(f"{name:>16}: {run_alarms[name]}; NLL {moved_by['heldout_nll']:+.0%}, tail recall {moved_by['recall_tail']:+.0%}")
quiet = all(g is None for g in run_alarms["healthy"].values())
reveal(p2, run_alarms["healthy"], answer="no alarm" if quiet else "the NLL alarm")

# %% [markdown]
# The healthy run stays quiet on every alarm, but that is an easy test: it *improves*. The steady
# run is the harder one: it settles a little below generation 0 and holds (by generation 20 NLL up
# about 3%, tail recall down about 10%, 17% at its lowest); the default thresholds let it pass, a
# tail threshold of 15% would cry wolf. The likelihood-gated run trips all four: a gate that narrows the output makes
# distinct words and entropy fall too, so there the raw-output alarms work. Only the babbling kind
# of collapse slips past them.

# %% [markdown]
# ## Part 2 · Contamination: how much of the text is machine-written?
#
# Nobody has to train on synthetic data on purpose. Language models are trained on text crawled
# from the web, and the web now holds text written by language models. The **wordfreq** package
# behind this course's word frequencies stopped updating in 2024. Its author, Robyn Speer, gave
# several reasons in *Why wordfreq will not be updated*; the first is that generative AI has
# polluted the data ("I don't think anyone has reliable information about post-2021 language usage
# by humans"), so its data stays a snapshot of language up to 2021. (Another: information that
# used to be free became expensive, as the Twitter and Reddit data it relied on closed.) Her
# example is a measurement by **Philip Shapira**: in OpenAlex, the share of papers with
# "delve" in their title or abstract jumped in 2023 (his count runs to March 2024); Speer summarises that
# ChatGPT raised the word's overall frequency by an order of magnitude.
#
# How large is the machine share? It has been measured, in different populations, by different methods:

# %%
for e in provenance.MEASURED_SHARES:
    share = f"{e['low']:.1%}" if e["low"] == e["high"] else f"{e['low']:.1%} to {e['high']:.1%}"
    if e.get("lower_bounds"):  # two floors (all abstracts; some subcorpora), not a range
        share = f"≥{e['low']:.1%}, ≥{e['high']:.0%}"
    print(f"{e['source']:18s} {e['year']}  {share:>14s}  {e['what']}")
ax = plots.measured_shares(provenance.MEASURED_SHARES)
ax.set_title("measured shares of machine-written text (each its own population and method)")
plt.show()

# %% [markdown]
# They span **2.5% to 74%**, and they are not in conflict: they count different things.
# Ahrefs' 74.2% counts every new page with *any* machine-written text (most are mixed; only 2.5%
# are wholly machine-written). Graphite counts articles a detector classifies as *mostly*
# machine-written: 39% a year after ChatGPT, passing half in November 2024, then holding near half.
# Kobak et al.'s 13.5% is a *lower bound* for scientific abstracts, from a method that needs no
# detector at all (Part 3 does it in miniature). All three used detectors or word statistics,
# with their own errors (Graphite's detector: 4.2% false positives, 0.6% false negatives).

# %% [markdown]
# **Our toy web** takes Graphite's measured shares, the measurement closest to "a crawl of the
# web": no machine text up to 2022 (ChatGPT came out at the end of November 2022), 39% in 2023,
# 50% in 2024, and then an assumption, that the plateau holds at 50% to 2029. To show the range,
# two more webs hold Kobak's 13.5% (low) or Ahrefs' 74% (high) from 2023 on. Both are upper bounds
# for our toy, where a document is wholly human or wholly machine: most of Ahrefs' pages are mixed,
# and Kobak counts abstracts *processed* with an LLM. Every year, a crawl of a **fixed size**, 2,000
# words in documents of 20 words each written wholly by a person or by last year's model, holds
# that share of machine documents; each year's model trains on that year's crawl.
# `provenance.contaminated_web` runs it; the 2021 crawl is all human.
#
# > **Predict first.** Even at 50%, every crawl still holds 1,000 fresh human words. Will the
# > 2029 model be about as good as the 2021 one, or clearly worse?

# %%
p3 = predict("With Graphite's shares, the 2029 model compared with the 2021 one is…",
             ["about as good", "clearly worse", "better"])

# %%
SCENARIOS = {"low: 13.5% (Kobak)": provenance.web_shares(YEARS[1:], {2023: 0.135}),
             "measured: Graphite": SHARES,                                   # 0, .39, .50, then held
             "high: 74% (Ahrefs)": provenance.web_shares(YEARS[1:], {2023: 0.742})}
webs = {label: provenance.contaminated_web(world, NGramLM(order=3), shares, **WEB, words_per_document=20)
        for label, shares in SCENARIOS.items()}
web = webs["measured: Graphite"]
axes = plots.web_years(webs, YEARS, frozen=web)
axes[0].figure.suptitle("models trained on each year's crawl (median of 3 runs)")
plt.show()
WEB_SHOWN = ("recall_tail", "heldout_nll", "real_word_share")
web_change = {name: web.median(name)[-1] - web.median(name)[0] for name in WEB_SHOWN}
print("Graphite's web, 2021 → 2029:", {n: f"{web.median(n)[0]:.3f} → {web.median(n)[-1]:.3f}" for n in WEB_SHOWN})

# %%
worse = web_change["recall_tail"] < -0.02 and web_change["heldout_nll"] > 0.03
reveal(p3, f"tail recall {web_change['recall_tail']:+.3f}, held-out NLL {web_change['heldout_nll']:+.3f}",
       answer="clearly worse" if worse else "about as good")
high = {label: h.median("recall_tail")[-1] for label, h in webs.items()}
print("tail recall in 2029:", {label: f"{v:.3f}" for label, v in high.items()})

# %% [markdown]
# Clearly worse, and the more machine text, the worse: the 2029 model knows fewer rare words and
# explains real text less well, *in a crawl of fixed size*. (The NLL panel's axis does not start at 0; its changes are a few
# percent.) The damage is slower than in the closed flywheel of Part 1, because every crawl still
# brings fresh human words. The frozen 2021 snapshot (dotted) does not move. That is why wordfreq
# froze: for a table of *human* word frequencies, old but clean beats new but contaminated. (The
# price, which our toy world does not have: a frozen snapshot never learns a new word.)
#
# **Machine text, or less human text?** In a crawl of fixed size, every machine document takes a
# human one's place: by 2024 the crawl holds 1,000 human words instead of 2,000. To tell the two
# apart, let the crawl grow instead (`crawl="growing"`): 2,000 human words every year, the machine
# documents on top, at the same shares.

# %%
grown = {label: provenance.contaminated_web(world, NGramLM(order=3), SHARES, crawl="growing", filter=f,
                                            **WEB, words_per_document=20)
         for label, f in (("growing, as it is", None), ("growing, human part", "labels"))}
for label, h in {"fixed size, as it is": web, **grown}.items():
    tail, nll = h.median("recall_tail"), h.median("heldout_nll")
    print(f"{label:>21}, 2021 → 2029: tail recall {tail[0]:.3f} → {tail[-1]:.3f}, held-out NLL {nll[0]:.3f} → {nll[-1]:.3f}")

# %% [markdown]
# With every year's 2,000 human words kept, the machine documents on top do no harm here: tail
# recall and NLL end where they started or a little better, and the human part alone is no better.
# What made the fixed crawl worse is the human text it pushed out. So the toy's lesson is about a
# fixed budget of text filling up with machine text, not about machine text as poison: our machine
# writes close to people, a year behind them. (Exercise 2 comes back to it.)
#
# ## Part 3 · Provenance: which text did a machine write?
#
# To clean a crawl we would need to know which words are machine-written. A natural detector is a
# **likelihood ratio**: how much likelier a word is under a model like the one that wrote the
# machine text than under a model of trusted human text (here a 3-gram fitted on 20,000 words of
# the clean 2021 web):
#
# score(w) = log q_machine(w) − log p_human(w);  flag w as machine-written when score(w) > t.
#
# Its **precision** is the share of flagged words that really are machine-written; its **recall**
# the share of machine words it flags. Test it on a labelled mix: 1,000 human words and 1,000
# words from the 2029 model.
#
# > **Predict first.** At t = 0 (flag whatever is likelier under the machine), will the detector
# > catch most machine words? What share of the words it flags will really be machine-written?

# %%
p4 = predict("At t = 0, the share of flagged words that really are the machine's is about…",
             ["nearly all (over 95%)", "about seven in ten", "about half"])

# %%
rng = np.random.default_rng(1)
reference = NGramLM(order=3).fit(world.sample((3, 20000), rng))  # trusted human text, one model per seed
writer = web.model  # the 2029 model
mix = np.concatenate([world.sample((3, 1000), rng), writer.sample(1000, rng)], axis=1)
is_machine = np.zeros(mix.shape, bool)
is_machine[:, 1000:] = True
score = provenance.synthetic_score(mix, writer, reference)
ax = plots.detector_scores(score, is_machine)
ax.set_title("the detector's scores on a labelled mix of words")
plt.show()

# %%
detector = {}  # threshold: the detector's median precision, recall and share of human words flagged
print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'human words flagged':>20}")
for t in (0.0, 1.0, 2.0, 3.0):
    flagged = score > t
    precision, recall = provenance.precision_recall(flagged, is_machine)
    detector[t] = dict(precision=np.median(precision), recall=np.median(recall),
                       human_flagged=np.median((flagged & ~is_machine).sum(axis=1) / 1000))
    print(f"{t:9.0f} {detector[t]['precision']:9.2f} {detector[t]['recall']:7.2f} {detector[t]['human_flagged']:20.1%}")
p0 = detector[0.0]["precision"]
reveal(p4, f"precision {p0:.2f}", answer="about seven in ten" if 0.6 < p0 < 0.85 else
       "nearly all (over 95%)" if p0 > 0.95 else "about half")

# %% [markdown]
# Which words does it catch, and which does it miss? A breakdown of the machine's words into
# misspellings and real words, and of the human words it flags by frequency:

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

# %% [markdown]
# At t = 0 the detector catches most machine words, but it also flags a good share of the human
# words (about three in ten), so only about seven flagged words in ten are really machine-made. Raising the threshold
# buys precision with recall: at t = 2 nearly everything flagged is machine-made, but most machine
# words pass. The breakdown shows why: the detector catches the machine's **misspellings**, and
# almost none of its **real words**. A machine's "the" and a person's "the" are the same word:
# from one word alone, no detector can tell them apart.
#
# <details><summary>Going further: the limit for any detector</summary>
#
# Sadasivan et al. (2023) prove a related limit for real detectors: any detector's **AUROC** (the chance that a random machine text scores
# above a random human one; 1/2 is a coin flip) is at most 1/2 + TV − TV²/2, where TV is the
# **total variation** distance between the machine's and people's text (half the summed absolute
# differences of their probabilities). As a model's text approaches human text, TV goes to 0 and
# the best detector to a coin flip.
# </details>
#
# **Documents, not words.** Real text comes in documents, each written by a person or a machine.
# Sum the scores of a document's words: for independent words that sum is the log-likelihood ratio
# of the whole document. Its mean grows like the number of words k, its noise only like √k.
#
# > **Predict first.** With documents of 20 words, what precision and recall will the same detector reach at t = 0?

# %%
p5 = predict("Documents of 20 words, t = 0: precision and recall are both about…", ["0.75", "0.9", "0.99 or more"])

# %%
doc_detector = {}  # words per document: median precision and recall at t = 0
for k in (1, 5, 20):
    docs, doc_is_machine = provenance.labelled_documents(world, writer, 400, k, 0.5, rng)
    doc_score = provenance.document_scores(docs.reshape(3, -1), writer, reference, k)
    precision, recall = provenance.precision_recall(doc_score > 0, np.broadcast_to(doc_is_machine, doc_score.shape))
    doc_detector[k] = dict(precision=np.median(precision), recall=np.median(recall))
    print(f"{k:2d} words per document: precision {doc_detector[k]['precision']:.3f}, recall {doc_detector[k]['recall']:.3f}")
worst = min(doc_detector[20].values())
reveal(p5, f"{worst:.3f} (the lower of the two)", answer="0.99 or more" if worst >= 0.99 else "0.9" if worst > 0.85 else "0.75")

# %% [markdown]
# At 20 words per document both are 0.99 or more: a document holds several misspellings and
# many small leanings, and they add up. Detectors in use score a whole text rather than a word
# (DetectGPT, Mitchell et al. 2023; the detectors behind Graphite's and Ahrefs' numbers). It works
# here because our machine still misspells; a model that writes exactly like people would leave
# nothing to add up. With 5 words per document it errs (above): Part 4 uses both.
#
# <details><summary>Going further: enough samples make detection possible</summary>
#
# Chakraborty et al. (2023) make the same point against the impossibility result: unless the two
# distributions are identical, detection becomes possible with enough samples, and they bound how
# many are needed.
# </details>

# %% [markdown]
# **A whole corpus: excess vocabulary.** Kobak et al. (2025) asked how many 2024 PubMed abstracts
# were processed with a language model, with no detector at all. For every word they compared its
# 2024 frequency with the frequency expected from the years before ChatGPT (the
# *counterfactual*), found the **excess words** that suddenly became much more frequent ("delves",
# "showcasing", "underscores", ...), and measured the frequency gap Δ: the share of abstracts with
# at least one excess word, minus the share expected. If a share s of the documents is
# machine-written, Δ = s·(P_m − P_h), where P_m and P_h are the shares of machine and human
# documents holding an excess word. Since P_m − P_h ≤ 1, **Δ is a lower bound on s**: their "at least 13.5%".
#
# In miniature, on our documents of 20 words: the counterfactual is the clean 2021 snapshot; the
# excess words are chosen on one contaminated crawl and measured on others, with true machine
# shares from 10% to 70%. Beside it, the per-word detector's answer (the share of words it flags
# at t = 0) and a **calibrated** estimate, Δ/(P_m − P_h), which needs samples of the machine's own
# documents (a model's owner can draw them; Kobak et al. could not).

# %%
snapshot = world.sample((3, 20000), rng)                       # the clean 2021 frequencies
chosen_on, _ = provenance.labelled_documents(world, writer, 1000, 20, 0.5, rng)
markers = provenance.excess_markers(chosen_on.reshape(3, -1), snapshot)
human_docs, _ = provenance.labelled_documents(world, writer, 1000, 20, 0.0, rng)    # the counterfactual
machine_docs, _ = provenance.labelled_documents(world, writer, 1000, 20, 1.0, rng)  # the machine's own
TRUE_SHARES = np.array([0.1, 0.3, 0.5, 0.7])
estimates = {"per-word detector, t = 0": [], "excess vocabulary: lower bound Δ": [], "excess vocabulary, calibrated": []}
for s in TRUE_SHARES:
    docs, _ = provenance.labelled_documents(world, writer, 1000, 20, s, rng)
    flat = docs.reshape(3, -1)
    estimates["per-word detector, t = 0"].append(np.median((provenance.synthetic_score(flat, writer, reference) > 0).mean(axis=1)))
    estimates["excess vocabulary: lower bound Δ"].append(np.median(provenance.excess_share(docs, markers, human_docs)))
    estimates["excess vocabulary, calibrated"].append(np.median(provenance.calibrated_share(docs, markers, human_docs, machine_docs)))

# %%
ax = plots.share_estimates(TRUE_SHARES, estimates)
ax.set_title("estimating a corpus's machine share (median of 3 runs)")
plt.show()
for label, values in estimates.items():
    print(f"{label:36s}", "  ".join(f"{v:.2f}" for v in values), " (true:", "  ".join(f"{s:.2f}" for s in TRUE_SHARES) + ")")
real_markers = np.mean([world.is_real(m[None]).mean() for m in markers])
print(f"{np.mean([len(m) for m in markers]):.0f} excess words per run, of which {real_markers:.0%} are real words")

# %% [markdown]
# The per-word count is far off at low shares (it flags about a third of the words even when a
# tenth are the machine's) and too low at high ones: its errors on human words and its misses on
# machine words do not cancel. The excess-vocabulary bound stays below the truth, as a lower bound
# must, and close to it, because most machine documents hold at least one excess word; the
# calibrated estimate lands within a few points. Individual words are ambiguous, but the corpus's
# word frequencies are not: population-level estimates work where the per-word detector cannot.
# (A caveat: most of our excess words are the machine's misspellings, easy markers; Kobak et al.'s
# are real words in fashion, "delves" and "showcasing".)

# %% [markdown]
# ## Part 4 · Acting on the detector: filter, or resample?
#
# Three ways to use a detector on every year's crawl of Graphite's web, before the year's model trains:
#
# - **word filter, t = 0**: drop every word the per-word detector flags;
# - **document filter**: drop every document (of 20 words) the document detector flags;
# - **detector resampling** (Drayson, Yilmaz & Lampos 2025): draw a training set of the same size,
#   with replacement, each document with probability proportional to the detector's probability
#   that it is human. Likely human text is up-sampled; nothing is thrown away for sure.
#
# Drayson et al. train a machine-text detector and resample each generation's training data with
# importance weights from it; on GPT-2 and SmolLM2 (124M to 1.7B parameters) in open-ended text
# generation, they report that it prevents model collapse and, when enough human-written samples
# are present, improves on training on human data alone.
#
# > **Predict first.** Which training set keeps the 2029 model's share of real words highest?

# %%
p6 = predict("The 2029 model with the most real words in its output trains on…",
             ["the crawl as it is", "the word filter", "the document filter", "detector resampling"])

# %%
acted = {"crawl as it is": web,
         "word filter, t = 0": provenance.contaminated_web(world, NGramLM(order=3), SHARES, filter="detector", **WEB),
         "document filter": provenance.contaminated_web(world, NGramLM(order=3), SHARES, filter="detector",
                                                        words_per_document=20, **WEB),
         "detector resampling": provenance.contaminated_web(world, NGramLM(order=3), SHARES, filter="resample",
                                                            words_per_document=20, **WEB)}
axes = plots.web_years(acted, YEARS, frozen=web)
axes[0].figure.suptitle("acting on the detector, every year (median of 3 runs)")
plt.show()
final = {label: {n: h.median(n)[-1] for n in (*WEB_SHOWN, "synthetic_share")} for label, h in acted.items()}
for label, f in final.items():
    print(f"{label:>20}, 2029: tail recall {f['recall_tail']:.3f}, held-out NLL {f['heldout_nll']:.2f}, "
          f"real-word share {f['real_word_share']:.2f}, machine share of the training words {f['synthetic_share']:.0%}")

# %%
best = max(final, key=lambda label: final[label]["real_word_share"])
reveal(p6, f"{best}: real-word share {final[best]['real_word_share']:.2f}", answer=best)

# %% [markdown]
# Each way buys something and pays for it:
#
# - The **word filter** makes things worse: it throws out about three in ten of the human words
#   (the frequent ones most often, which the machine over-produces), so the next model explains
#   real text worse and misspells more.
# - The **document filter** is nearly perfect (Part 3), so it leaves only the human half of each
#   crawl: no machine text at all, yet the held-out NLL rises and the share of real words does not,
#   because 1,000 human words teach less than 2,000 words of which half are plausible.
# - **Detector resampling** keeps the share of real words near the 2021 level or above, but pays in
#   tail recall and NLL: the 1,000 human words, drawn twice on average, hold fewer distinct words.
#
# **Why resampling wins on real words, and why that is the toy's doing.** On documents of 20 words
# the detector is all but perfect from 2023 on, so resampling keeps almost no machine document: it
# becomes "the document filter, then every human document drawn about twice". Counting every word
# twice halves the weight of the n-gram's add-k smoothing, the knob that spreads probability over
# misspellings. Two checks: the document filter with the smoothing halved (0.05 instead of 0.1), and
# resampling on documents of 5 words, where the detector errs. Then the lever that adds human words:
# keep every year's human documents (`mode="accumulate"`).
#
# %%
checks = {"document filter, smoothing 0.05": provenance.contaminated_web(
              world, NGramLM(order=3, smoothing=0.05), SHARES, filter="detector", words_per_document=20, **WEB),
          "resampling, 5-word documents": provenance.contaminated_web(
              world, NGramLM(order=3), SHARES, filter="resample", words_per_document=5, **WEB),
          "human part, kept every year": provenance.contaminated_web(
              world, NGramLM(order=3), SHARES, filter="labels", mode="accumulate", words_per_document=20, **WEB)}
resampled = acted["detector resampling"]
print(f"20-word documents, 2023-29: detector precision ≥ {np.min(resampled.median('detector_precision')[2:]):.3f}, "
      f"recall ≥ {np.min(resampled.median('detector_recall')[2:]):.3f}")
for label, h in {"crawl as it is": web, "detector resampling": resampled, **checks}.items():
    f = {n: h.median(n)[-1] for n in WEB_SHOWN}
    print(f"{label:>31}, 2029: tail recall {f['recall_tail']:.3f}, held-out NLL {f['heldout_nll']:.2f}, "
          f"real-word share {f['real_word_share']:.2f}")

# %% [markdown]
# The document filter with halved smoothing writes about as many real words as resampling (0.42
# against 0.44), with a better tail and NLL; with 5-word documents resampling is barely above the raw
# crawl (0.38 against 0.38). So here resampling's gain is the duplication, not the detector, and the
# toy does not reproduce Drayson et al.'s result: their resampling *improves* on training on human
# data alone, while ours has a worse NLL than the human-only filter (2.20 against 2.12). Their
# condition, "when sufficient human-authored samples are present", points at the lever that works
# here: keeping every year's human documents ends 2029 *better* than 2021 (tail recall 0.28 against
# 0.22, NLL 1.89 against 2.02). Record where data came from as it arrives, keep the human data you
# have, and date your snapshots.

# %% [markdown]
# > **From toy to practice.** A "misspelling" stands for text no person would write (artefacts,
# > errors, a model's tics); the likelihood-ratio detector for a trained classifier (Graphite's Surfer,
# > Ahrefs' bot_or_not) or a zero-shot score such as DetectGPT's; a 20-word document for a web page or
# > an abstract, long enough for small leanings to add up; a crawl of 2,000 words for a Common Crawl
# > snapshot, and its fixed size for a fixed token budget. Where the analogy stops: real machine text
# > leans far less per word than our n-gram's, so real detectors err more (Graphite's: 4.2% false
# > positives); most real pages are mixed, not wholly human or machine; real crawls grow; and our
# > machine is always last year's model, trained on the last crawl, not many models with other data.
#
# ## Exercises
#
# Each exercise has a cell for your answer. Put your code in your own names (`my_…`): nothing else
# in the notebook uses them, so try anything. `check` answers back; uncomment `hint()` or
# `solution()` when you are stuck. The solutions are also folded under each exercise.
#
# **Exercise 1. Excess vocabulary.** In a corpus, 50% of the documents hold at least one excess word.
# Among human documents (the counterfactual) 8% do, among the machine's own documents 95%. Give
# Kobak et al.'s lower bound Δ on the machine share, and the calibrated estimate s.

# %%
my_kobak = [..., ...]       # your answer: [the lower bound Δ, the estimate s]
q1.check(my_kobak)
# q1.hint()
# q1.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_kobak = [0.50 - 0.08, (0.50 - 0.08) / (0.95 - 0.08)]   # [0.42, 0.483]
# ```
# The observed rate is s·0.95 + (1 − s)·0.08, so Δ = 0.50 − 0.08 = 0.42 = s·0.87 ≤ s: at least
# 42% of the documents are the machine's. Dividing by the gap 0.87 gives the estimate, about 48%.
# </details>
#
# **Exercise 2. Perfect provenance.** Suppose every machine word came labelled (a watermark, say:
# Kirchenbauer et al. 2023). Run `contaminated_web(..., filter="labels")` on Graphite's web: the
# model trains on the human words of each crawl only. What is the 2029 model's tail recall, and
# is it better than the unfiltered web's?

# %%
# your run: provenance.contaminated_web(world, NGramLM(order=3), SHARES, filter=..., **WEB)
my_tail = ...               # your answer: the 2029 model's median tail recall
q2.check(my_tail)
# q2.hint()
# q2.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_labelled = provenance.contaminated_web(world, NGramLM(order=3), SHARES, filter="labels", **WEB)
# my_tail = my_labelled.median("recall_tail")[-1]
# print(my_tail, web.median("recall_tail")[-1], my_labelled.median("heldout_nll")[-1], web.median("heldout_nll")[-1])
# ```
# Not better: about the same tail recall and a worse held-out NLL. From 2024 only half of each
# crawl (1,000 words) is human, and a model of 1,000 words knows less than one of 2,000 mostly
# plausible ones. Provenance pays off when you *keep* the human data across years (accumulate it,
# as in notebooks 01 and 06) instead of throwing the rest away each year.
# </details>
#
# **Exercise 3. Tune the alarms.** In the monitor, find thresholds at which the collapsing run trips an
# alarm by generation 2 and the healthy run (20% real, accumulate) stays quiet for all 20. Give
# them as [NLL rise %, tail recall drop %].

# %%
my_thresholds = [..., ...]  # your answer: [NLL rise %, tail recall drop %]
q3.check(my_thresholds)
# q3.hint()
# q3.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_thresholds = [5, 15]
# ```
# The healthy run's NLL moves by under 1% and its tail recall by up to about 6% (six seed sets); by
# generation 2 the collapsing run's NLL has risen 11–12% and its tail recall dropped about a third:
# anything from about [1, 6] to the defaults [10, 30] works. Thresholds on distinct words or entropy
# cannot catch this collapse at any setting, because those numbers rise.
# </details>
#
# **Exercise 4. For the discussion.** wordfreq froze its data. Name a product that cannot freeze (it must
# learn new words), and what it could do instead.
#
# <details><summary>Some answers</summary>
#
# A search engine or an assistant must know this year's names and words. It can keep a trusted
# human core (curated, dated sources), add new data with provenance records (publisher, date,
# licence), gate new data with verifiers rather than likelihood, estimate the machine share of
# each new source at the population level (Part 3), and monitor against held-out human data (Part 1).
# </details>

# %% [markdown]
# ## Key points
#
# - Monitor numbers anchored in **real data** (held-out NLL, tail recall, share of real words,
#   drift from generation 0). Diversity counted on raw output can *rise* while the model collapses.
# - Measured machine shares span 2.5% to 74% depending on what is counted (wholly or partly
#   machine-written; pages, articles or abstracts). In a crawl of fixed size, a web with Graphite's
#   shares degrades every model trained on it, a little more each year, because machine text pushes
#   human text out; with the human text kept and the machine text on top, it did not here.
# - One word cannot be attributed; a document of 20 can, here (5 words are not enough); and a
#   corpus's machine share can be estimated from its excess vocabulary even when no single word can.
# - Acting on a detector has costs: filtering words removes human words too; filtering or
#   resampling documents cannot replace human data that was never kept (resampling's higher share
#   of real words here comes from duplicated counts). Keeping every year's human data does.

# %% [markdown]
# <details><summary>References</summary>
#
# - Speer, R. (2024). Why wordfreq will not be updated. https://github.com/rspeer/wordfreq/blob/master/SUNSET.md
# - Shapira, P. (2024). Delving into "delve". https://pshapira.net/2024/03/31/delving-into-delve/
# - Kobak, D., González-Márquez, R., Horvát, E.-Á. & Lause, J. (2025). Delving into LLM-assisted
#   writing in biomedical publications through excess vocabulary. *Science Advances*; arXiv:2406.07016.
# - Graphite (2025). More articles are now created by AI than humans. https://graphite.io/five-percent/
# - Ahrefs (2025). A study of 900,000 new web pages created in April 2025 (AI content detector bot_or_not).
# - Drayson, G., Yilmaz, E. & Lampos, V. (2025). Machine-generated text detection prevents language
#   model collapse. EMNLP 2025; arXiv:2502.15654.
# - Sadasivan, V. S. et al. (2023). Can AI-generated text be reliably detected? arXiv:2303.11156.
# - Chakraborty, S. et al. (2023). On the possibilities of AI-generated text detection. arXiv:2304.04736.
# - Mitchell, E. et al. (2023). DetectGPT: zero-shot machine-generated text detection using
#   probability curvature. ICML 2023, arXiv:2301.11305.
# - Kirchenbauer, J. et al. (2023). A watermark for large language models. ICML 2023, arXiv:2301.10226.
# - Shumailov, I. et al. (2024). AI models collapse when trained on recursively generated data.
#   *Nature* 631, 755–759.
# </details>
#
# ## Self-check
#
# Confirms that every claim above holds. `lessons.provenance.self_check()` recomputes what it asserts from its
# own seeded runs at the lesson's settings, so whatever you changed or tried above cannot make it fail.
# Its claims, one short function per section, are in `collapse_lab/lessons/provenance.py`.

# %%
print(lessons.provenance.self_check())
