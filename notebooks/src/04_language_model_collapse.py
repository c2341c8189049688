# %% [markdown]
# # 04 · Language-model collapse: a model that learns words from its own words
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/04_language_model_collapse.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/04_language_model_collapse.ipynb)
#
# **Questions**
# - What does collapse look like in a (small) language model trained on its own text?
# - Which words does it forget first, and how would we notice?
# - Does later text look *more* or *less* likely to the original model? (Both, depending on how it is decoded.)
# - Why does decoding towards likely text make collapse faster, and does keeping some original data help?
#
# **Objectives**
# - Measure held-out NLL and perplexity, diversity and tail recall of a character language model over generations.
# - Reproduce both shapes of Shumailov et al.'s (2024, Fig. 1b,c) histogram, and say which lever gives which:
#   a temperature below 1 moves the mass to likely words; the generation-0 knowledge a fine-tuned model
#   keeps (here a tenth of its counts) keeps a tail of improbable words growing.
# - Compare temperatures (Alemohammad et al. 2024) and the "keep 10% of the original data" setting
#   (Shumailov et al. 2024) with plain self-training.
#
# **Time:** about 38 minutes (20 reading, 5 exercises × 3, 1 explorers × 2, 1 running).
#
# <details><summary>How this notebook works</summary>
#
# Run the cells in order (Shift+Enter). Where it says *Predict first*,
# pick your guess before running on: the next cells measure the answer and show it beside your guess.
# Each exercise has a cell for your answer in your own `my_…` names: `q1.check(...)` says whether it
# is right and, if not, what is probably wrong; `q1.hint()` nudges and `q1.solution()` shows the
# worked answer (also folded under the exercise). Terms in **bold** are defined where they first
# appear, and all of them in [the glossary](../docs/glossary.md).
# </details>

# %%
# On Colab (or wherever the course is not installed yet) install this release of it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q "collapse-lab @ git+https://github.com/model-collapse-lab/model-collapse-lab@v0.2.0"
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, ...
from collapse_lab.exercises.language import q1, q2, q3, q4, q5    # this lesson's exercises
start("04")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## 1. Real words, and a model that spells them
#
# The world is now made of real English words as strings: the 5000 most frequent ones, drawn with
# their real frequencies (from `wordfreq`, as in notebook 02). It also keeps a fixed **held-out**
# sample of 5000 real words that no model ever trains on: the yardstick for the model's quality.
#
# We sort the vocabulary into three **frequency buckets** by how much of real text they make up:
# the **head** (the few words that make up the first half of all text), the **torso**, and the
# **tail** (the many rare words that make up the last 10%).

# %%
world = Words(n_words=5000, heldout=5000)
for b, name in enumerate(("head", "torso", "tail")):
    examples = ", ".join(world.words_[world.bucket_ == b][:: max(1, world.bucket_sizes_[b] // 6)][:6])
    print(f"{name:5s}: {world.bucket_sizes_[b]:4d} words, e.g. {examples}")

# %% [markdown]
# The model is a **character n-gram** (`NGramLM`): it spells a word one character at a time,
# each character predicted from the 3 before it, with counts from its training words (the model of
# Shannon 1948, and of the bigram in Karpathy's *makemore*, with a longer memory). A light smoothing
# (0.001) gives every spelling a small, non-zero probability. It is tiny next to a real language
# model, but it has the same interface (train on text, sample text, score text) and it fits in a
# fraction of a second, so we can watch 20 generations.

# %% [markdown]
# > **How a language model is scored.** A model gives each word a probability p, built letter by
# > letter: p(word) = p(1st letter) · p(2nd | 1st) · … · p(end of word | all letters).
# > - The **NLL** (negative log-likelihood) of a word is −log p(word), with the natural log (units:
# >   **nats**): 0 for a word the model is sure of, large for a surprising one.
# > - Divided by the number of predictions (the letters plus the end of the word) it is the NLL in
# >   **nats per character**, the one unit this notebook uses, so short and long words compare.
# > - The **held-out NLL** is that average over the held-out real words: how well the model still
# >   knows real English. Lower is better.
# > - **Perplexity** = e^(held-out NLL): the number of equally likely characters the model is, on
# >   average, choosing between. 1 would be certainty; 27 (26 letters and the end of the word) a blind guess.

# %% [markdown]
# Each generation trains on 2000 words: generation 0 on real ones, every later generation on words
# sampled from the previous model. We run 4 seeds. We measure **quality** as the share of samples
# that are real words (among the world's 5000), and **diversity** as the number of *different* words
# among the 2000 samples.
#
# > **Predict first.** Which will change more over 20 generations: the quality of each sample, or diversity?

# %%
p1 = predict("Over 20 generations, the measure that changes more is…",
             ["quality (share of real words)", "diversity (different words)", "both about the same"])

# %%
model = NGramLM(order=4, smoothing=0.001)
G, n, seeds = 20, 2000, 4
history = simulate(world, model, generations=G, samples=n, seeds=seeds, seed=0)


def at(name, g):
    """The median over the runs of a metric at generation g."""
    return history.median(name)[g]


for name in ("heldout_nll", "perplexity", "real_word_share", "distinct_words"):
    print(f"{plots.metric_label(name):32s} generation 0: {at(name, 0):7.2f}   generation {G}: {at(name, G):7.2f}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
for ax, name, title in zip(axes, ("heldout_nll", "real_word_share", "distinct_words"),
                           ("knowledge of real English", "quality of each sample", "diversity")):
    plots.metric(history, name, ax=ax)
    ax.set_title(title)
    if ax is not axes[0]:
        ax.get_legend().remove()
axes[1].set_ylim(0, 1)   # a share, on its whole scale: noise must not look like a trend
plt.show()
kept_distinct = at("distinct_words", G) / at("distinct_words", 0)
reveal(p1, f"real-word share {at('real_word_share', 0):.2f} → {at('real_word_share', G):.2f}, "
           f"distinct words {kept_distinct:.0%} of generation 0's", answer="diversity (different words)")

# %% [markdown]
# The held-out NLL (left) climbs steadily, from 2.2 to 3.4 nats per character (perplexity 8.8 → 31):
# the model gets worse at the real language it was first trained on, and ends *worse than a blind
# guess* among 27 characters (perplexity 27, NLL ln 27 = 3.30): it gives almost no probability to
# spellings it has forgotten, and the log charges a near-zero probability without limit.
# Each sample, taken on its own, hardly changes: about three in four are real English words in
# generation 0 and still about seven in ten at the end (middle). What collapses is **diversity**
# (right): the number of different words in 2000 samples falls to about a quarter. Looking at single outputs you would notice little; looking
# at all of them, a lot.
#
# **Exercise 1 (perplexity).** Write `my_perplexity(nll)`, which turns a held-out NLL in nats per
# character into a perplexity. Then check it against `at("perplexity", 0)`.

# %%
def my_perplexity(nll):
    return ...               # your answer: a formula in nll
q1.check(my_perplexity)
# q1.hint()
# q1.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_perplexity(nll):
#     return np.exp(nll)
# my_perplexity(at("heldout_nll", 0))   # about 8.8, close to at("perplexity", 0) (a median of e^NLL)
# ```
# The NLL is in nats (natural logarithms), so perplexity is e to its power: at generation 0 the model
# is as unsure about the next character of a real word as a blind choice among about 9 would be.
# </details>
#
# ### The explorer
#
# The explorer runs the same loop behind a **Run** button and draws each generation as it finishes,
# with a table of sample words below (grey italics: not a real word). It starts with this section's
# model. Try this now, and come back from the later sections:
# - Set **temperature** 0.8, then 1.2, and Run: which words go first?
# - Shumailov et al.'s setting: **fine-tune** the generation-0 model, **temperature** 0.9, **repeat
#   penalty** 3: quality rises while distinct words fall (the temperature does it; the repeat
#   penalty plays little part).
# - Choose **gate** real words only: does the tail survive?
# - Set **smoothing** 0.1: distinct words rise while real words fall.
# - Choose **model** neural with **generations** 3 (seconds per generation; Stop works any time).

# %%
explorer = dashboards.language_model(order=4, smoothing=0.001)
explorer

# %% [markdown]
# The explorer's figure for these settings (order 4, smoothing 0.001, 2000 words per generation,
# 10 generations, 2 seeds), drawn when it was built, as a picture for readers without a running kernel:

# %%
explorer.figure

# %% [markdown]
# ## 2. The words themselves
#
# The first 12 words sampled by one run, generation by generation (grey italics: not one of the
# world's 5000 real words):

# %%
display(plots.words_table(history, generations=list(range(0, G + 1, G // 5)), n=12, world=world))

# %% [markdown]
# The later columns repeat the same short, frequent words ("the", "and", "to", "is"): the text turns
# bland. Made-up words do not disappear, because the model still spells new ones from its drifting
# counts; the *real* words it produces are what narrows.
#
# ## 3. Which words are forgotten: tail recall by frequency bucket
#
# We say the model still *knows* a word if it gives the word at least 1% of its real probability.
# **Recall** of a bucket is the share of the bucket's words it still knows; **tail recall** is the
# recall of the tail bucket.
#
# > **Predict first.** Generation 0 already knows fewer tail words than head words (it saw only
# > 2000 real words). Which buckets lose the largest share of what they knew?

# %%
p2 = predict("The buckets that lose the largest share of the words they knew are…",
             ["the head", "the torso and the tail", "all about the same"])

# %%
ax = plots.recall_buckets(history)      # each bucket's recall as a share of generation 0's
ax.set(xlabel="generation", ylabel="share of generation 0's recall", title="recall by frequency bucket (median of 4 runs)")
plt.show()
kept = {b: at(f"recall_{b}", G) / at(f"recall_{b}", 0) for b in ("head", "torso", "tail")}
for b in kept:
    print(f"{b:5s}: recall {at(f'recall_{b}', 0):.2f} → {at(f'recall_{b}', G):.2f}, "
          f"{kept[b]:.0%} of what generation 0 knew")
reveal(p2, ", ".join(f"{b} keeps {k:.0%}" for b, k in kept.items()), answer="the torso and the tail")

# %% [markdown]
# The head keeps about half of its words; the torso and the tail keep under a tenth of what they
# knew. Rare words go first, exactly as in notebook 02, now inside a model that spells.
#
# ## 4. How surprising is the new text to the original model?
#
# Shumailov et al. (2024, Fig. 1b,c) scored each generation's text with the *first* model (trained on
# real data) and drew histograms of its per-sequence perplexity. We do the same in our unit: the NLL, in nats per character, of each sampled word under the generation-0 model
# (`lessons.language.nll_per_char`). The y axis is logarithmic; words above 4 nats per character
# are counted in the last bin, "≥4".
#
# **Exercise 2 (NLL of one word).** `logp` below is log p("people") under seed 0's generation-0 model.
# What is its NLL in nats per character?

# %%
logp = history.model0.log_prob(np.full((seeds, 1), "people"))[0, 0]    # natural log; one model per seed
my_nll = ...                 # your answer: the NLL of "people", in nats per character
q2.check(my_nll)
# q2.hint()
# q2.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_nll = -logp / (len("people") + 1)   # about 0.96: 6 letters and the end of the word are 7 predictions
# ```
# </details>
#
# > **Predict first.** Trained from scratch and sampled at temperature 1, will later generations
# > produce words the original model finds more likely, less likely, or both?

# %%
p3 = predict("Later generations' words, scored by the original model, are…",
             ["more likely", "less likely: a growing tail", "both: more likely and a growing tail"])

# %%
ax = plots.nll_shift(history, generations=[0, G // 2, G])
ax.set_title("from scratch, T = 1: the body stays, the tail grows")
plt.show()
median_nll = {g: float(np.median(lessons.language.nll_per_char(history, g))) for g in (0, G)}
scratch = lessons.language.nll_shares(history, [0, G])             # {g: (share below 0.8, share above 3)}
print(f"median NLL {median_nll[0]:.2f} → {median_nll[G]:.2f} nats/char; above 3 nats/char: "
      f"{scratch[0][1]:.1%} → {scratch[G][1]:.1%}; below 0.8: {scratch[0][0]:.1%} → {scratch[G][0]:.1%}")
reveal(p3, f"above 3 nats/char {scratch[0][1]:.1%} → {scratch[G][1]:.1%}, below 0.8 {scratch[0][0]:.1%} → "
           f"{scratch[G][0]:.1%}", answer="less likely: a growing tail")

# %% [markdown]
# The body of the histogram barely moves (the median stays near 1.3–1.4 nats per character, and the
# share of very likely words stays about 6%), but the tail of words the original model would almost
# never produce grows several-fold (1.3% → 10% above 3 nats per character): misspellings that each
# generation adds and the next learns as if they were language. **Body stays, tail grows**: *half*
# of what Shumailov et al. saw.

# %% [markdown]
# ## 5. Shumailov et al.'s setting: fine-tuning and decoding towards likely text
#
# Shumailov et al. (2024, "Model collapse in language models") did not train from scratch or sample
# at temperature 1. They **fine-tuned** a pretrained model (continued training an already-trained
# model on new data instead of starting from nothing): each generation started from the generation-0
# model and was fine-tuned on text the previous generation produced by **5-beam search**, a decoding
# biased towards likely text. Their Fig. 1b,c histograms show *both* shapes: "models tend to produce
# samples that the original model trained with real data is more likely to produce. At the same time,
# a much longer tail appears for later generations."
#
# <details><summary>Their setting in detail</summary>
#
# OPT-125m, fine-tuned on wikitext2. For each 64-token block of the training set, the next 64 tokens
# were generated by 5-beam search (decoding that keeps the 5 likeliest continuations and outputs the
# likeliest). An ablation adds a **repetition penalty** of 2.0 (it lowers the probability of a token
# already used, so the decoder avoids repeats), which made their models produce less likely
# continuations and perform even worse; their public code calls
# `generate(num_beams=5, repetition_penalty=3.0)` (github.com/iliaishacked/curse_recurse, `main.py`).
# Five epochs per generation with no original data kept (Fig. 1b), ten epochs with 10% of the original
# data kept (Fig. 1c).
# </details>
#
# Our version: `simulate(..., fine_tune="first")` restores the generation-0 model each generation and
# fine-tunes it on the newest words. A count model has no weights to start from, so a warm fit keeps
# a tenth of the generation-0 counts (`fine_tune_weight=0.1`): the same as keeping generation 0's 2000
# real words, at weight 0.1, in every generation. Decoding is biased: temperature 0.9, and a
# repetition penalty of 3 (their code's value). Smoothing 0.01 stands in for a pretrained model's
# habit of giving every continuation some probability. 10 generations, as theirs.
#
# > **Predict first.** In this setting, will the share of real words (quality) rise, stay or fall?

# %%
p4 = predict("Fine-tuned, decoded towards likely text: the share of real words will…", ["rise", "stay", "fall"])

# %%
tuned_model = NGramLM(order=4, smoothing=0.01, repetition_penalty=3.0, fine_tune_weight=0.1)
tuned = simulate(world, tuned_model, generations=10, samples=n, seeds=seeds, seed=0,
                 fine_tune="first", temperature=0.9)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6), sharey=True)
plots.nll_shift(history, generations=[0, G // 2, G], ax=left)
left.set_title("from scratch, T = 1: body stays, tail grows")
plots.nll_shift(tuned, generations=[0, 5, 10], ax=right)
right.set_title("fine-tuned, biased decoding: mass moves to likely words")
plt.show()

# %%
shift = lessons.language.nll_shares(tuned, [0, 10])
tuned_at = {name: tuned.median(name)[[0, 10]] for name in ("real_word_share", "distinct_words", "heldout_nll")}
for name, (first, last) in tuned_at.items():
    print(f"{plots.metric_label(name):32s} generation 0: {first:7.2f}   generation 10: {last:7.2f}")
print(f"below 0.8 nats/char: {shift[0][0]:.1%} → {shift[10][0]:.1%}; above 3: {shift[0][1]:.1%} → {shift[10][1]:.1%}")
quality = tuned_at["real_word_share"]
reveal(p4, f"{quality[0]:.2f} → {quality[1]:.2f}", answer="rise" if quality[1] > quality[0] + 0.03 else "stay")

# %% [markdown]
# Now the mass **moves to likely words**: the share of words the original model finds very likely
# (below 0.8 nats per character) grows from 8% to 35%, the median falls from 1.34 to 0.99, and still
# the tail above 3 nats per character nearly doubles (3.7% → 6.5%): both of Shumailov et al.'s shapes
# in one histogram (right), where training from scratch at T = 1 gave only the tail (left). Each sample
# looks *better* (real words 0.74 → 0.86) while the model gets worse at real English (held-out NLL
# 1.98 → 2.19 nats per character) and says fewer different words (760 → 288). Their OPT models
# went the same way: perplexity on real wikitext2 rose (from 20 to 28 points with no original data kept).
#
# Which of our levers makes which shape? Switch each off in turn (`lessons.language.lever_table`,
# the same 4 seeds; generation 0 → 10 in each column):

# %%
lessons.language.print_lever_table(lessons.language.lever_table())

# %% [markdown]
# - **The temperature moves the mass to likely words.** At T = 1 their share does not grow
#   (6.5% → 5.6%) and the tail grows to 29%.
# - **The repetition penalty plays little part.** Without it the numbers hardly move (35.2% likely,
#   5.4% improbable). It is no stand-in for beam search: the temperature is. (In their ablation the
#   penalty pushed the other way, towards less likely text.)
# - **The kept tenth of generation 0's counts keeps the tail growing.** At fine-tune weight 0 the
#   run is training from scratch at T = 0.9: the tail shrinks (3.7% → 2.8%), 95% of the samples are
#   real words, and the held-out NLL jumps to 3.30 instead of 2.19.

# %% [markdown]
# So in the toy "both shapes" need both: decoding biased towards likely text, and knowledge of the
# original data that each generation keeps (OPT keeps it in its pretrained weights; our kept counts
# are also a fixed share of real data). This holds at three other seed sets, 1000 and 4000 words per
# generation, and orders 3 and 5 (a 3-gram has almost no improbable tail): `lessons.language.CLAIMS`.
#
# The explorer's second suggestion runs this setting: quality rises while distinct words fall.
#
# **Exercise 3 (both shapes).** Measure the two shares for the fine-tuned run's last generation: the
# share of its words below 0.8 nats per character, and the share above 3.

# %%
my_shares = [..., ...]       # your answer: [share below 0.8, share above 3] at generation 10 of `tuned`
q3.check(my_shares)
# q3.hint()
# q3.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# nll = lessons.language.nll_per_char(tuned, 10)                     # (seeds, words) nats per character
# my_shares = [(nll < 0.8).mean(), (nll > 3).mean()]     # about [0.35, 0.065]
# ```
# </details>
#
# ## 6. Temperature: a bias towards likely words, from scratch
#
# Language models are often sampled at a temperature T < 1, which favours likely continuations.
# Alemohammad et al. (2024) studied such a sampling bias in self-consuming image models: it trades
# diversity for quality, and without enough fresh real data one of them declines.
#
# > **Predict first.** Training from scratch at T = 0.8, what happens to quality and diversity?

# %%
p5 = predict("From scratch at T = 0.8…",
             ["quality up, diversity down", "both down", "quality down, diversity up"])

# %%
cold = simulate(world, model, generations=G, samples=n, seeds=seeds, seed=0, temperature=0.8)
runs = {"T = 1": history, "T = 0.8": cold}
colors = {"T = 1": plots.COLORS["replace"], "T = 0.8": plots.PALETTE["blue"]}
fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.4))
plots.compare(runs, "real_word_share", ax=left, colors=colors)
left.set(ylim=(0, 1.02), title="quality")
plots.compare(runs, "distinct_words", ax=right, colors=colors, log=True)
right.set_title("diversity")
right.get_legend().remove()
plt.show()

# %%
for label, h in runs.items():
    print(f"{label}: real words {h.median('real_word_share')[G]:.0%}, distinct words {h.median('distinct_words')[G]:.0f} "
          f"at generation {G}; sample: {' '.join(h.snapshots[G][0][:8])}")
cold_end = (cold.median("real_word_share")[G], cold.median("distinct_words")[G])
reveal(p5, f"real words {cold_end[0]:.0%}, {cold_end[1]:.0f} distinct word(s)",
       answer="quality up, diversity down" if cold_end[0] > at("real_word_share", G) else "both down")

# %% [markdown]
# At T = 0.8 *every* sample ends up a real word: by the quality measure the model looks perfect. But
# within 20 generations it says one word ("the") and nothing else. Low temperature trades diversity
# for apparent quality, and the loop compounds the trade until nothing is left to trade.
#
# ## 7. Keep 10% of the original data
#
# Shumailov et al. also fine-tuned each generation with a random 10% of the original wikitext2 data
# mixed in (ten epochs instead of five), and found "only minor degradation of performance" (Fig. 1c).
# Their 10% came from the original training set, the same set every generation: closer to notebook
# 03's fixed real set than to fresh data, though a set far larger than one generation's share. Here:
# 10% of each generation's 2000 words are *fresh* real words, new draws each time; the end of this
# section tries a fixed set too. (§5's fine-tuned run already kept a tenth of generation 0's counts.)
#
# > **Predict first.** Will 10% real data stop the rise of the held-out NLL, or only slow it down?

# %%
p6 = predict("With 10% real data in every generation, the held-out NLL…",
             ["stops rising at once", "rises, then levels off", "rises as without it"])

# %%
anchored = simulate(world, model, generations=G, samples=n, seeds=seeds, seed=0, real_fraction=0.1)
pair = {"no real data": history, "10% real data": anchored}
colors = {"no real data": plots.COLORS["replace"], "10% real data": plots.COLORS["real"]}
fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.4))
plots.compare(pair, "heldout_nll", ax=left, colors=colors)
left.set_title("knowledge of real English")
plots.compare(pair, "recall_tail", ax=right, colors=colors)
right.set_title("tail recall")
right.get_legend().remove()
plt.show()

# %%
for label, h in pair.items():
    p = h.median("heldout_nll")
    print(f"{label:13s}: held-out NLL {p[0]:.2f} → {p[10]:.2f} (gen 10) → {p[G]:.2f} (gen {G}) nats/char; "
          f"tail recall {h.median('recall_tail')[G]:.3f}, distinct words {h.median('distinct_words')[G]:.0f}")
late_rise = {label: h.median("heldout_nll")[G] - h.median("heldout_nll")[10] for label, h in pair.items()}
reveal(p6, f"rise from generation 10 to 20: {late_rise['10% real data']:.2f} with real data, "
           f"{late_rise['no real data']:.2f} without", answer="rises, then levels off")

# %% [markdown]
# With 10% real data the held-out NLL rises at first and then levels off (2.17 → 2.64 → 2.66 nats per
# character) well below the run without it, which keeps climbing; the tail keeps several times more of
# its words. It does not restore generation 0: a model that mostly reads its own output still forgets,
# but the fresh real words set a floor. Does it matter that they are fresh? The same 10%, as one fixed
# set of 200 real words reused every generation:

# %%
fixed = simulate(world, model, generations=G, samples=n, seeds=seeds, seed=0, real_fraction=0.1, real_source="fixed")
p = fixed.median("heldout_nll")
print(f"fixed real set: held-out NLL {p[0]:.2f} → {p[10]:.2f} (gen 10) → {p[G]:.2f} (gen {G}) nats/char; "
      f"tail recall {fixed.median('recall_tail')[G]:.3f}")

# %% [markdown]
# With a fixed set the held-out NLL keeps climbing (2.17 → 3.04 → 3.19) and the tail recall ends at
# 0.019, against 0.046 with fresh words: here fresh real data set the floor, and a fixed set of the
# same size only slows the fall, as in notebook 03.

# %% [markdown]
# > **From toy to practice.** What our toy measures, and what a practitioner measures on a real model:
# >
# > | in this course | in practice |
# > |---|---|
# > | share of real words among the samples | the share of outputs a validity check or verifier accepts: per-sample quality |
# > | fine-tune weight 0.1 (a tenth of generation 0's counts kept) | the pretrained weights a fine-tuned model starts from, or original data mixed back in |
# > | temperature 0.9 (beam search in Shumailov et al.) | the decoding settings of the model that makes the synthetic data |
# > | 10% fresh vs fixed real words | new human data every round vs one human data set reused |
# > | distinct real words among the samples | reference-anchored diversity: how much of a trusted human reference corpus the outputs cover (not raw distinct outputs, which babble inflates) |
# > | tail recall (rare words still known) | rare-entity and long-tail question-answering recall: does the model still know the facts that appear rarely in its training data? |
# > | held-out NLL (nats per character) | perplexity on trusted human text held out from training, e.g. a pre-2022 corpus |
# > | NLL under the generation-0 model | scoring new text with a frozen reference model, as Shumailov et al. did |

# %% [markdown]
# > Where the analogy stops: single words of at most 20 letters from a 4-gram that reads 3 letters
# > back, 2000 words a generation, no sentences. Our improbable words are misspellings; an LLM's are
# > fluent but improbable text. Counts have no weights to fine-tune, so a kept tenth of the counts is a
# > crude stand-in for what pretrained weights retain. Take the directions to practice, not the numbers.

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell for your answer, in your own `my_…` names: nothing else in the notebook
# uses them, so try anything. The runs are 10 generations of 2 seeds, to be quick.
#
# **Exercise 4 (two ways to collapse).** Run the lesson's model with the package's default smoothing,
# `NGramLM(order=4, smoothing=0.1)`, for 10 generations and 2 seeds. Predict first: what
# happens to the number of distinct words and to the share of real words? Then give each at
# generation 10 as a share of its value at generation 0.

# %%
my_noisy = ...               # your run: simulate(world, NGramLM(order=4, smoothing=0.1), ...)
my_change = [..., ...]       # your answer: [distinct words, real-word share] at generation 10 / at generation 0
q4.check(my_change)
# q4.hint()
# q4.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_noisy = simulate(world, NGramLM(order=4, smoothing=0.1), generations=10, samples=n, seeds=2, seed=0)
# my_change = [my_noisy.median(name)[10] / my_noisy.median(name)[0] for name in ("distinct_words", "real_word_share")]
# ```
# About [1.4, 0.42]: the distinct words now *rise* while the share of real words falls by more than
# half. Strong smoothing puts a little probability on every letter in every context, each generation
# samples some of these slips, and the next generation learns them. Errors that pile up are the other
# face of collapse: the model puts probability outside the support of the real distribution, which
# Shumailov et al. list among their functional errors (here it comes from the smoothing, a choice of
# the learning procedure). Light smoothing shows mostly the forgetting; heavy smoothing mostly the noise.
# </details>
#
# **Exercise 5 (accumulate).** Run the lesson's model with `mode="accumulate"` (every generation trains on all
# words so far), 10 generations and 2 seeds. What share of generation 0's tail recall is left at
# generation 10? (With replace, about 15%.)

# %%
my_kept_all = ...            # your run: simulate(world, model, ..., mode="accumulate")
my_tail_kept = ...           # your answer: tail recall at generation 10 / at generation 0
q5.check(my_tail_kept)
# q5.hint()
# q5.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_kept_all = simulate(world, model, generations=10, samples=n, seeds=2, seed=0, mode="accumulate")
# my_tail_kept = my_kept_all.median("recall_tail")[10] / my_kept_all.median("recall_tail")[0]   # about 0.74
# ```
# About three quarters, against 15% with replace: the real words of generation 0 stay in every
# training set, so the counts of the tail words the model saw never vanish; they are only diluted by
# the synthetic words that pile up. Gerstgrasser et al. (2024) find the same when they pretrain
# sequences of language models with accumulated data.
# </details>
#
# <details><summary>Going further (optional, 1–2 minutes of CPU)</summary>
#
# Replace the n-gram with a small neural network, `NeuralLM(steps=500)`, and run
# `generations=4, seeds=1` (`progress=True` shows a bar). It starts better than the n-gram (a lower
# held-out NLL, more real words per sample), but over generations its held-out NLL rises and its
# distinct words and tail recall fall, as above: collapse is a property of the loop, not of a
# particular model. (Or choose **model** neural in the explorer, with **generations** 3: at 10 the time
# guard refuses the run.)
# </details>

# %% [markdown]
# ## Check your objectives
#
# One line each: replace `...` with one of the answers, in quotes.
#
# 1. Over 20 generations from scratch, which changes more? `"quality (share of real words)"`,
#    `"diversity (distinct words)"`
# 2. In §5, which lever moves the mass to likely words? `"the temperature below 1"`,
#    `"the repetition penalty"`, `"the kept tenth of generation 0's counts"`
# 3. With 10% fresh real words every generation, the held-out NLL… `"it stops rising at once"`,
#    `"it rises, then levels off"`, `"it rises as without it"`

# %%
from collapse_lab.exercises.capstone import ChoiceExercise     # a one-line multiple-choice check
c1, c2, c3 = (ChoiceExercise(f"Check {i}", options, answer, why=why, wrong=wrong)
              for i, (options, answer, why, wrong) in enumerate(lessons.language.OBJECTIVE_CHECKS, 1))
c1.check(...)

# %% [markdown]
# <details><summary>Solution</summary>
#
# `c1.check("diversity (distinct words)")`: distinct words fall to about a quarter; the real-word share hardly moves (section 1).
# </details>

# %%
c2.check(...)

# %% [markdown]
# <details><summary>Solution</summary>
#
# `c2.check("the temperature below 1")`: the share of likely words grows at T = 0.9 with or without the penalty, and not at T = 1 (section 5).
# </details>

# %%
c3.check(...)

# %% [markdown]
# <details><summary>Solution</summary>
#
# `c3.check("it rises, then levels off")`: 2.17 → 2.64 → 2.66 nats per character (section 7).
# </details>

# %% [markdown]
# ## Key points
#
# - A language model trained on its own text gets worse at real text (held-out NLL and perplexity
#   rise) while each sample, read on its own, looks about as good as before, or better.
# - Diversity collapses and the tail of rare words is forgotten fastest; the text turns bland.
# - Scored by the original model, text sampled at T = 1 keeps its body and grows a tail of improbable
#   words. Decoded towards likely text (T = 0.9, our stand-in for Shumailov et al.'s beam search) the
#   mass moves to likely words; the tail keeps growing as well only while the model keeps some of its
#   generation-0 knowledge (here a tenth of its counts). Both together give the shape they report.
# - Low sampling temperature raises apparent quality and destroys diversity within a few generations.
# - Keeping a share of *fresh* real data in every generation slows the damage and sets a floor under
#   it; the same share as one fixed set, reused, only slows it.

# %% [markdown]
# ## References
#
# - Shumailov, I., Shumaylov, Z., Zhao, Y., Papernot, N., Anderson, R. & Gal, Y. (2024). AI models
#   collapse when trained on recursively generated data. *Nature* 631, 755–759. Section "Model collapse
#   in language models": OPT-125m fine-tuned on wikitext2, data generated by 5-beam search; Fig. 1b
#   (five epochs, no original data kept) and Fig. 1c (ten epochs, 10% of the original data kept):
#   perplexity histograms under the first model; ablation with a repetition penalty. Code:
#   github.com/iliaishacked/curse_recurse (`main.py`).
# - Alemohammad, S. et al. (2024). Self-consuming generative models go MAD. ICLR 2024 (arXiv:2307.01850).
# - Gerstgrasser, M. et al. (2024). Is model collapse inevitable? Breaking the curse of recursion by
#   accumulating real and synthetic data. arXiv:2404.01413.
# - Shannon, C. E. (1948). A mathematical theory of communication. *Bell Syst. Tech. J.* 27, 379–423.
# - Bengio, Y., Ducharme, R., Vincent, P. & Jauvin, C. (2003). A neural probabilistic language model.
#   *JMLR* 3, 1137–1155. Karpathy, A. *makemore*, https://github.com/karpathy/makemore.
#
# ## Self-check
#
# Confirms that every claim above holds. `lessons.language.self_check()` recomputes what it asserts from its
# own seeded runs at the lesson's settings, so whatever you changed or tried above cannot make it fail.
# Its claims, one short function per section, are in `collapse_lab/lessons/language.py`.

# %%
print(lessons.language.self_check())
