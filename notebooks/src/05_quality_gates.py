# %% [markdown]
# # 05 · Quality gates: filtering without killing diversity
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/05_quality_gates.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/05_quality_gates.ipynb)
#
# **Questions**
# - A synthetic-data flywheel filters its outputs before training on them. Which filters help, and what do they cost?
# - Why does the obvious quality filter, "keep what the model is most sure of", make collapse worse?
# - How good must a verifier be? And when a model trained on its own verified output spells better
#   than it began, what did it gain, and what did it give up?
#
# **Objectives**
# - Measure quality (share of real words), diversity (frequency fidelity), tail recall and cost
#   (the **acceptance rate**) of gated flywheels; section 1 defines each.
# - Explain why a likelihood filter trades the tail for apparent quality, what a verifier adds, and
#   why neither protects the tail on its own.
# - Find how much error a verifier can make before it stops helping (Feng et al. 2024).
# - Read a quality–diversity plot and find the gates and real-data shares on its frontier.
#
# **Time:** about 36 minutes (21 reading, 4 exercises × 3, 1 explorers × 2, 1 running).
#
# **How this notebook works.** Run the cells in order. At *Predict first*, pick your guess before
# running on. `q1.check(...)` checks an exercise and says what is probably wrong; `q1.hint()` nudges;
# the solution is folded under it. Terms in **bold** are in [the glossary](../docs/glossary.md).

# %%
# On Colab (or wherever the course is not installed yet) install this release of it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q "collapse-lab @ git+https://github.com/model-collapse-lab/model-collapse-lab@v0.2.0"
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, ...
from collapse_lab.exercises.quality_gates import q1, q2, q3, q4, SurpriseFilter, verifier_acceptance
start("05")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## 1. A flywheel with a gate
#
# Synthetic-data pipelines rarely train on raw model output. They put a **gate** between the
# model's samples and the next training set:
#
# ```
# real words ──► fit ──► sample ──► GATE ──► next training set ──► fit ──► …
# ```
#
# The model is a character 4-gram as in notebook 04, with smoothing 0.01, on the 2,000 most
# frequent English words (a smaller world keeps the many runs below fast). It spells about three
# words in four right, so a gate has something to protect. Each generation trains on 2,000 words,
# for 10 generations, 3 seeds side by side. The gates (`collapse_lab.engine.gates`) are written as short
# specs, which `gates.parse(spec, world)` builds:
#
# | spec | gate | keeps |
# |---|---|---|
# | `top:Q` | `TopLikelihood(Q)` | the share Q of words the model itself finds most likely: the naive quality filter |
# | `real` | `Verifier(world.is_real)` | only real words: a check from *outside* the model |
# | `real:FA,FR` | `Verifier(..., false_accept=FA, false_reject=FR)` | an imperfect verifier: lets a share FA of the non-words through, drops a share FR of the real words |
# | `dedup` | `Dedup()` | one copy of each word |
# | `cap:K` | `CapCopies(K)` | at most K copies of each word |
#
# Gates chain with `+`: `real+cap:4` verifies, then caps.

# %% [markdown]
# **Quality** is the share of real words the model writes. **Diversity** is measured as in the
# capstone (notebook 08): **frequency fidelity**, 1 − the total variation distance between how
# often the model writes each real word and how often people do. It is 1 when the model uses words
# as people do; too few words and too flat a spread both lower it. (Counting distinct strings
# would reward a model that babbles, since every misspelling is new; we print distinct *real* words
# as a count.) **Tail recall** (notebook 04) is the share of the world's rarest words the model
# still knows.
#
# A gate rejects words, so a gated flywheel must write more words than it trains on. `simulate`
# **refills** (`refill=True`, its default): it keeps drawing until every training set holds its
# 2,000 words again. What that costs is the **acceptance rate**: the share of the words drawn that
# pass the gate (the History metric `acceptance`). At an acceptance rate of 0.25 the model writes
# four words for every word it trains on.

# %%
world = Words(n_words=2000)
RUN = dict(generations=10, samples=2000, seeds=3, seed=0, refill=True)   # refill: every training set is full
run = lessons.quality_gates.gate_runner(world, **RUN)   # run(spec, real_fraction=0) -> History; each setting runs once
GATE_COLORS = {"none": plots.PALETTE["blue"], "top:0.9": plots.PALETTE["vermillion"], "top:0.7": plots.PALETTE["orange"],
               "real": plots.PALETTE["green"], "dedup": plots.PALETTE["sky"], "real+cap:4": plots.PALETTE["purple"],
               "real+cap:10": plots.PALETTE["black"], "surprise": plots.PALETTE["sky"],
               "real+surprise": plots.PALETTE["purple"]}   # a colour and a line style per gate (surprise gates reuse
                                                           # two colours; they never share a figure with those gates)


def final(spec, name, real_fraction=0.0):
    """Median over seeds at the last generation."""
    return run(spec, real_fraction).median(name)[-1]

# %%
def show(histories):
    """Quality, diversity, tail recall and acceptance rate over generations, and each gate's numbers."""
    plots.gate_runs(histories, colors=GATE_COLORS)
    plt.show()
    for spec, h in histories.items():
        print(f"{spec:>13}: real-word share {h.median('real_word_share')[-1]:.2f}, frequency fidelity "
              f"{h.median('frequency_fidelity')[-1]:.2f}, distinct real words {h.median('distinct_real_words')[-1]:3.0f}, "
              f"tail recall {h.median('recall_tail')[-1]:.3f}, acceptance rate {lessons.quality_gates.mean_acceptance(h):.2f}")


METRICS = ("real_word_share", "frequency_fidelity", "distinct_real_words", "recall_tail")
g0 = {name: run("none").median(name)[0] for name in METRICS}
print("generation 0: real-word share {real_word_share:.2f}, frequency fidelity {frequency_fidelity:.2f}, "
      "distinct real words {distinct_real_words:.0f}, tail recall {recall_tail:.3f}".format(**g0))

# %% [markdown]
# ## 2. The naive filter: keep what the model likes best
#
# `top:0.9` drops the 10% of each batch of words that the model itself finds least likely.
# Misspellings are unlikely, so they go first: this looks like a quality filter. Its acceptance
# rate is 0.9 by construction, so it is cheap.
#
# > **Predict first.** After 10 generations with `top:0.9`, compared with no gate: how many
# > distinct real words will the model still write?

# %%
p1 = predict("After 10 generations, top:0.9 compared with no gate keeps…",
             ["more distinct real words", "about as many", "far fewer"])

# %%
show({spec: run(spec) for spec in ("none", "top:0.9", "top:0.7")})
fewer = final("top:0.9", "distinct_real_words") / final("none", "distinct_real_words")
reveal(p1, f"{fewer:.0%} of the ungated run's distinct real words",
       answer="far fewer" if fewer < 0.5 else "about as many" if fewer < 1.2 else "more distinct real words")

# %% [markdown]
# (The acceptance rate is 1 for no gate: nothing is rejected. Lines: the median of 3 runs; bands:
# the middle 80% of them.)
#
# The likelihood filter does raise quality: nearly every word it writes after 10 generations is
# a real word, against about half without a gate. But it buys that quality with diversity. With
# `top:0.9` only a handful of distinct real words are left, frequency fidelity falls further than
# without a gate, and the rarest words are forgotten faster; `top:0.7` collapses onto one word. Refilling does not save it: every
# training set is full, but full of the same few words.
#
# Why: the model finds *frequent* words likely. Each round of the filter removes the least likely
# words, which are the misspellings **and the rare real words**, so the next model sees even fewer
# rare words and finds them even less likely. The filter feeds the collapse it was meant to guard
# against. Alemohammad et al. (2024) found the same in image models: sampling biased towards
# quality ("sampling bias") makes self-consuming models lose diversity faster. One seed's words:

# %%
plots.words_table(run("top:0.9"), generations=[0, 2, 5, 10], n=10)

# %% [markdown]
# ### Explorer: your own gates
#
# The explorer runs a grid of gates × shares of fresh real data and puts each run on a
# quality–diversity plot (the star is generation 0), with what each gate cost beside it. Its
# default grid is the three runs above. **Try this:**
# - Add **real** to the gates (the verifier), move its **false accept** to 0.5, then 0.9: how bad
#   can the verifier be before quality falls below generation 0's (the star)?
# - With **real** in the gates, move **false reject** to 0.5: what does it cost, quality or words
#   drawn?
# - Add **real+cap:4** to the gates: where does it sit on the diversity axis, and at what acceptance
#   rate?
# - Add **real+cap:3** to the gates, then untick **refill**: a gate then also shrinks the training
#   set.
# - Add 0.2 to the **real fractions**: which gates move right, and where does top:0.9 end against
#   real?

# %%
explorer = dashboards.gates(runner=run, world=world, gates="none, top:0.9, top:0.7", real_fractions="0")
explorer

# %% [markdown]
# The explorer's figure for its default grid, kept as a picture so this page reads well without a kernel:

# %%
explorer.figure

# %% [markdown]
# ## 3. A verifier: information from outside the model
#
# A **verifier** asks a question the model cannot answer for itself: is this a real word? Feng et
# al. (2024) show, with theory for Gaussian mixtures and linear verifiers and with experiments on
# transformers computing matrix eigenvalues and on Llama-2 summarising news, that selecting
# synthesized data with a verifier, even an imperfect one, can prevent model collapse, and that a
# measurable proxy for the verifier's quality predicts how well it works (their abstract).
#
# > **Predict first.** Generation 0 writes about 76% real words. After 10 generations behind the
# > verifier `real`, what share of real words will the model write?

# %%
p2 = predict("After 10 generations behind the verifier, the share of real words is about…", number=(0, 1))

# %%
show({spec: run(spec) for spec in ("none", "top:0.9", "real")})
reveal(p2, final("real", "real_word_share"), band=(run("real").median("real_word_share")[0], 1.0))  # above generation 0

# %% [markdown]
# The verifier reaches the likelihood filter's quality, and keeps as many distinct real words and
# at least as much frequency fidelity as no gate. It does not *rank* words by the model's preference;
# but correct words are mostly frequent ones, so it still favours the head. Its acceptance rate
# climbs from about 0.76 at generation 1 to about 0.98: as the model improves, it costs less.
#
# **Better than generation 0?** It writes about 0.98 real words against generation 0's 0.76, but
# from only about 80 distinct real words where generation 0 wrote 288. A narrow vocabulary of
# frequent words is easier to spell. The fair comparison is at matched diversity: the same model
# fitted on 2,000 *real* words drawn from only as many of the commonest words:

# %%
narrow = int(final("real", "distinct_real_words"))
matched = np.median(lessons.quality_gates.matched_vocabulary_share(narrow, n_words=2000))
print(f"verifier: real-word share {final('real', 'real_word_share'):.3f} from {narrow} distinct real words; "
      f"real words from the top {narrow} only: {matched:.3f}; no gate, {final('none', 'distinct_real_words'):.0f} "
      f"distinct real words: {final('none', 'real_word_share'):.2f}")

# %% [markdown]
# So the climb above generation 0 is bought by narrowing: real text that narrow spells as well. What
# the verifier adds shows at the same vocabulary: no gate, with about as many distinct real words,
# writes only about 0.56 real words. The model is told which of its own attempts were right, and
# moves its probability towards those: information from outside, from the verifier's word list.
# Selection is a channel of information, like fresh real data. A filter that asks only the model
# (`top:Q`) adds none: it can only sharpen what the model already believes.
#
# The verifier does not *protect* diversity: its tail recall falls as fast as the ungated run's, or
# faster, since frequent words pass over and over. Yi et al. (2025) make a related point in theory
# (linear regression, with experiments on VAEs and a small LLM): verified retraining improves at
# first but is drawn to the verifier's "knowledge center", and unless the verifier is perfectly
# reliable the gains plateau and may reverse (their abstract).

# %% [markdown]
# ## 4. Imperfect verifiers
#
# Real verifiers err: a grammar checker passes nonsense, a reward model prefers a wrong answer, a
# reviewer rejects a good one. `real:FA,FR` lets a share FA of the non-words through (**false
# accepts**) and drops a share FR of the real words (**false rejects**).
#
# **Exercise 1 (what a verifier costs).** A share q of the drawn words are real. Write
# `my_acceptance(q, fa, fr)`: the acceptance rate of a verifier with false-accept rate fa and
# false-reject rate fr.

# %%
def my_acceptance(q, fa, fr):
    return ...            # your answer: the share of drawn words that pass
q1.check(my_acceptance)
# q1.hint()       # a nudge
# q1.solution()   # the answer

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_acceptance(q, fa, fr):
#     return q * (1 - fr) + (1 - q) * fa
# ```
# A real word (probability q) passes unless falsely rejected; a non-word (probability 1 − q)
# passes if falsely accepted.
# </details>
#
# **Exercise 2 (what a verifier buys).** Write `my_verified_share(q, fa, fr)`: the share of real
# words among the words that pass. When is it above q?

# %%
def my_verified_share(q, fa, fr):
    return ...            # your answer: real words that pass / all words that pass
q2.check(my_verified_share)
# q2.hint()
# q2.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_verified_share(q, fa, fr):
#     return q * (1 - fr) / (q * (1 - fr) + (1 - q) * fa)
# ```
# It is above q exactly when 1 − fr > fa: when the verifier tells real from fake better than a
# coin (for one batch; section 4 follows it over generations). False rejects hit real words at random, frequent or rare, so they cost draws, not quality.
# </details>
#
# The formula predicts the first gated generation of a flywheel, whose model is generation 0's:

# %%
q_first = run("none").median("real_word_share")[0]          # generation 0 writes this share of real words
imperfect = run("real:0.3,0.1")
print(f"real:0.3,0.1 at generation 1: acceptance rate measured {imperfect.median('acceptance')[1]:.3f}, "
      f"predicted {verifier_acceptance(q_first, 0.3, 0.1):.3f}")

# %% [markdown]
# > **Predict first.** A verifier that lets half of the non-words through (false accept 0.5, no
# > false rejects): after 10 generations, will quality be below, about at, or above generation 0's?

# %%
p3 = predict("With false accept 0.5, quality after 10 generations is…",
             ["below generation 0's", "about generation 0's", "above generation 0's"])

# %%
ERRORS = [(fa, 0.0) for fa in (0.0, 0.25, 0.5, 0.75, 0.9)] + [(fa, 0.5) for fa in (0.0, 0.5, 0.9)]
verifiers = {(fa, fr): run(f"real:{fa:g},{fr:g}" if fa or fr else "real") for fa, fr in ERRORS}
plots.verifier_error(verifiers, reference={"generation 0": run("none"), "no gate": run("none")})
plt.show()
half = verifiers[0.5, 0.0].median("real_word_share")[-1]
reveal(p3, f"{half:.2f} (generation 0: {g0['real_word_share']:.2f})",
       answer="above generation 0's" if half > g0["real_word_share"] + 0.03 else
       "below generation 0's" if half < g0["real_word_share"] - 0.03 else "about generation 0's")

# %% [markdown]
# A verifier far from perfect still works: letting a quarter, a half or even three quarters of the
# non-words through, it ends above generation 0's quality. At 0.9 it beats no gate but ends below
# generation 0 (about generation 0's with 4,000 words a generation), although 1 − FR > FA.
# Exercise 2's coin rule is about *one batch*: better than a coin, the batch that passes holds more
# real words than the model wrote. Whether quality climbs over generations depends on how large that
# gain is against the slide of collapse. Better than a coin is necessary, not sufficient.
#
# At FR = 0.5 and FA = 0.5 the verifier is a coin: it ends where no gate does. Worse than a coin
# (FA 0.9, FR 0.5) it *selects for* misspellings, and quality collapses. False rejects alone (FA 0)
# cost only acceptance: half the words drawn are thrown away, and quality is as high as with a
# perfect verifier. No verifier keeps the tail (the middle panel).
#
# Feng et al. find a threshold too, in their settings: a sharp change in how well the retrained
# model does, at a breakdown point given by a measurable proxy of the verifier's quality (their
# abstract and Gaussian-mixture theory). Try the explorer's **false accept** and **false reject**
# sliders with the gate `real`.

# %% [markdown]
# ## 5. Gates that thin the head
#
# `dedup` keeps one copy of each word, `cap:K` at most K copies. Both trim the head, the words the
# model writes again and again, and leave the rare words alone. Chained after the verifier,
# `real+cap:K` keeps real words, at most K copies each.
#
# > **Predict first.** Under refill, `real+cap:3` must fill 2,000 places with real words, at most
# > 3 copies each. What happens?

# %%
p4 = predict("Under refill, real+cap:3…",
             ["keeps quality and diversity", "keeps quality, loses diversity", "cannot fill its training set"])

# %%
capped = run("real+cap:3")
print(*capped.stopped, sep="\n")
stopped = all(reason is not None for reason in capped.stopped)
reveal(p4, "every seed stopped" if stopped else "it filled its training sets",
       answer="cannot fill its training set" if stopped else "keeps quality and diversity")

# %% [markdown]
# **Exercise 3 (what a cap needs).** What is the fewest distinct real words that can fill a
# training set of 2,000 words with at most 3 copies of each?

# %%
my_distinct = ...          # your answer: a number of distinct real words
q3.check(my_distinct)
# q3.hint()
# q3.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_distinct = int(np.ceil(2000 / 3))   # 667
# ```
# The model writes fewer distinct real words than that even in 100,000 draws (`max_draws=50`
# times the 2,000 it needs), so the gate cannot be filled: `simulate` stops each seed and says why
# in `History.stopped`. The gate asks for more diversity than the model has.
# </details>
#
# A cap of 4 needs only 500 distinct real words, and a cap of 10 only 200:

# %%
show({spec: run(spec) for spec in ("none", "real", "dedup", "real+cap:4", "real+cap:10")})

# %% [markdown]
# On its own, `dedup` ruins quality: a misspelling appears once, a real word many times, so
# keeping one copy of each hands the misspellings most of the training set. Behind the verifier
# the cap is a different gate. `real+cap:4` keeps quality above generation 0's (about 0.88) and
# loses the tail much more slowly: tail recall falls from 0.26 to about 0.14, against 0.03 without
# a gate and under 0.01 with the verifier alone. It still falls. And it is expensive: at
# generation 1 fewer than one drawn word in ten passes, later about three in ten.
#
# It also costs diversity. The capped model writes more distinct real words than generation 0
# did, but it flattens their frequencies, writing rare words far more often than people do
# (notebook 02 called flattening a different kind of collapse), so its frequency fidelity falls
# *below* the verifier's (about 0.33 against 0.47). A cap buys tail recall, not diversity.
# A looser cap (10) is cheaper and keeps less of the tail. A cap's K must grow with the training
# set: with 4,000 words a generation, `real+cap:4` cannot be filled either.

# %% [markdown]
# ### A tempting design: let the gate shrink the training set
#
# Without refill a rejected word is not replaced, so every gate also shrinks the training set, and
# part of its effect is that smaller sample. `real+cap:3` then looks as if it kept quality and
# diversity. Here it is **without refill**:

# %%
starved = run("real+cap:3", refill=False)       # no refill: rejected words are not replaced
kept = starved.median("acceptance")[1:] * RUN["samples"]
print(f"without refill, real+cap:3 trains on {kept.min():.0f}–{kept.max():.0f} words a generation, not "
      f"{RUN['samples']}; tail recall {g0['recall_tail']:.3f} → {starved.median('recall_tail')[-1]:.3f}, "
      f"real-word share {starved.median('real_word_share')[-1]:.2f}")

# %% [markdown]
# Starved of two thirds of its training set, the model still loses most of its tail (tail recall
# 0.26 → 0.05), on training sets a third of the size the other runs have. With refill, the same
# gate cannot be filled at all. Compare gates with their training sets kept full.
#
# ## 6. The mirror image: filtering for surprise
#
# If keeping what the model finds likely loses the tail, what about keeping what *surprises* it?
# Gambetta et al. (2024) fine-tune LLMs on their own output and report that training on the least
# surprising (lowest-perplexity) documents makes collapse worse, and that a filter preferring
# high-surprise documents mitigates it, without telling human text from machine text. A word's
# surprise is its **NLL** (negative log-likelihood, in nats: −log of the probability the model
# gives it).
#
# **Exercise 4 (filtering for surprise).** Write a gate `my_surprise_gate(samples, model, mask)`
# that keeps the 90% of each seed's words the model finds *least* likely, that is the mirror
# image of `top:0.9`. `-model.log_prob(samples)` is each word's NLL, shape (seeds, words).

# %%
def my_surprise_gate(samples, model, mask):
    nll = -model.log_prob(samples)      # (seeds, n): the model's surprise at each word
    return ...                          # your answer: the mask of the words to keep
q4.check(my_surprise_gate)
# q4.hint()
# q4.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_surprise_gate(samples, model, mask):
#     nll = -model.log_prob(samples)
#     return mask & (nll > np.quantile(nll, 0.1, axis=1, keepdims=True))
# ```
# The copies of the commonest word share one NLL, so a cut at the quantile with a strict `>`
# drops all of them and keeps a little under 90%. Run it yourself with
# `run(my_surprise_gate)` (the runner takes a gate function as well as a spec).
# </details>
#
# The same filter, as the package's `SurpriseFilter(0.9)`, alone and behind the verifier:

# %%
surprise = {"surprise": run(SurpriseFilter(0.9)),        # the runner takes a gate object as well as a spec
            "real+surprise": run(gates.parse("real", world) & SurpriseFilter(0.9))}
show({"none": run("none"), "real": run("real"), **surprise})

# %% [markdown]
# Alone, the surprise filter keeps the rare words the likelihood filter drops, and keeps the
# misspellings with them: misspellings are the most surprising words of all, so quality collapses.
# It does keep more of the tail than no gate. Behind the verifier it keeps quality as high as the
# verifier alone, with more distinct real words and a little more of the tail, but, like the cap,
# it flattens the frequencies: its diversity (frequency fidelity) falls below the verifier's. In
# our toy, surprise is a tail lever that needs a verifier beside it; Gambetta et al.'s LLM
# documents, unlike our misspellings, were not mostly errors.
#
# ## 7. The quality–diversity frontier
#
# Now the main gates, with 0% and 20% fresh real words in each training set. Each point is one
# flywheel after 10 generations: up is quality, right is diversity (frequency fidelity as a share
# of generation 0's). A line joins each real-data share's **frontier**: the gates that no other
# gate with the same real data beats on both counts. The star is generation 0; the bars say what
# each gate cost.
#
# > **Predict first.** Where will the likelihood filters sit: top-left, top-right or bottom-right?

# %%
p5 = predict("The likelihood filters sit…", ["top-left", "top-right", "bottom-right"])

# %%
GATES = ["none", "top:0.9", "top:0.7", "real", "real+cap:4", "real+cap:10"]
points = lessons.quality_gates.frontier_points(lessons.quality_gates.gate_grid(run, GATES, [0.0, 0.2]))
fig, (ax, cost) = plt.subplots(1, 2, figsize=(11, 4.8), width_ratios=[2, 1])
plots.gate_frontier(points, ax=ax, reference=(1.0, g0["real_word_share"]))
plots.acceptance_bars(points, ax=cost)
ax.set_title("after 10 generations (median of 3 runs)")
plt.show()
top = [p for p in points if p["label"].startswith("top") and p["group"] == "0% real"]
reveal(p5, ", ".join(f"{p['label']}: quality {p['quality']:.2f}, diversity {p['diversity']:.2f}" for p in top),
       answer="top-left" if all(p["quality"] > 0.85 and p["diversity"] < 0.65 for p in top) else "top-right")
for p in points:
    print(f"{p['label']:>12} ({p['group']}): quality {p['quality']:.2f}, diversity {p['diversity']:.2f}, "
          f"tail recall {p['tail']:.3f}")

# %% [markdown]
# Read the picture by regions, first without real data:
#
# - **Top, furthest right**: the verifier. Quality above generation 0's, and the most diversity of
#   any gate that keeps quality (at least as much as no gate, which is at the bottom).
# - **Top-left**: the likelihood filters (`top:0.7` collapses onto one word). Cheap, and narrow.
# - **Left of the verifier**: the caps. They keep the most tail recall (the printed numbers) but
#   spread their words flatter than real text, so they score lower on diversity; they cost the most.
# - No point reaches generation 0's diversity (1 on this axis): every gate here narrows the words.
#
# **Real data** (20% fresh each generation) moves every gate right, and changes one verdict:
# with it, `top:0.9` is level with the verifier on both quality and diversity. Fresh real words
# bring back the rare words the filter drops, so a mild filter mostly removes misspellings. The
# capstone (notebook 08) finds the same. Without real data, never filter by likelihood; prefer
# checks that carry information from outside the model, and count what each gate costs.
#

# %% [markdown]
# ### From toy to practice
#
# | in the toy | in a real pipeline | where the analogy stops |
# |---|---|---|
# | a word | a generated document, answer or program | real outputs are long and graded, not right or wrong |
# | a misspelling | a wrong answer, a false fact, code that fails | errors need not be rare or unlikely under the model |
# | the verifier `real` | unit tests, a proof checker, an answer key, a human or model judge | ours reads the very list that scores quality; a real checker covers part of what matters, and its errors need not be independent coin flips |
# | real-word share | pass rate on the checker or a benchmark | a benchmark can be gamed; our list cannot |
# | frequency fidelity, tail recall | topic and style mix; rare facts, languages, dialects | real "tails" have no list to measure recall against |
# | acceptance rate | samples drawn per sample kept (compute) | |

# %% [markdown]
# ## Key points
#
# - Filtering synthetic data by the model's own likelihood raises apparent quality and, **without
#   real data, accelerates the loss of the tail and of diversity**: it removes rare words along with
#   errors, and adds no information. With 20% fresh real data a mild filter (`top:0.9`) did as well
#   as the verifier here.
# - A **verifier**, a check from outside the model, beats no gate by far at the same vocabulary.
#   Its climb above generation 0 comes mostly from narrowing: real text as narrow spells as well.
#   It does not protect diversity or the tail.
# - Being **better than a coin (1 − FR > FA) is necessary, not sufficient**: here false accepts up to
#   0.75 ended above generation 0, and 0.9 did not.
# - **Trim repetition, not rarity**: a cap on copies behind a verifier slows the loss of the tail,
#   but flattens the frequencies (less diversity) and costs many rejected samples; too tight a cap,
#   for the size of the training set, cannot be filled at all.
# - Judge a gate on **quality, diversity, tail and cost** together, with training sets kept full.

# %% [markdown]
# ## References
#
# - Feng, Y., Dohmatob, E., Yang, P., Charton, F. & Kempe, J. (2024). Beyond model collapse: scaling
#   up with synthesized data requires verification. arXiv:2406.07515. Abstract and introduction:
#   verifier-selected synthesized data,
#   even with imperfect verifiers, prevents collapse (theory: Gaussian mixtures and linear
#   verifiers; experiments: transformers on matrix eigenvalues, Llama-2 on news summarisation).
# - Yi, B., Liu, Q., Cheng, Y. & Xu, H. (2025). Escaping model collapse via synthetic data
#   verification: near-term improvements and long-term convergence. arXiv:2510.16657 (ICLR 2026);
#   abstract: convergence to the verifier's "knowledge center"; gains plateau and may reverse.
# - Gambetta, D., Gezici, G., Giannotti, F., Pedreschi, D., Knott, A. & Pappalardo, L. (2024).
#   Learning by surprise: adaptive mitigation of model collapse in large language models. arXiv:2410.12341.
# - Alemohammad, S. et al. (2024). Self-consuming generative models go MAD. ICLR 2024 (arXiv:2307.01850).
#
# ## Self-check
#
# Confirms that every claim above holds. `lessons.quality_gates.self_check()` recomputes what it asserts from its
# own seeded runs at the lesson's settings, so whatever you changed or tried above cannot make it fail.
# Its claims, one short function per section, are in `collapse_lab/lessons/quality_gates.py`.

# %%
print(lessons.quality_gates.self_check())
