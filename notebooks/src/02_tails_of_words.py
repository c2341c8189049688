# %% [markdown]
# # 02 · The tails of words: rare words die first, and for good
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/02_tails_of_words.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/02_tails_of_words.ipynb)
#
# **Questions**
# - When a model of word frequencies learns from its own output, which words does it forget, and when?
# - Can a forgotten word come back?
# - Do smoothing or fresh real data help, and how?
#
# **Objectives**
# - Watch the rank–frequency (Zipf) curve of real English lose its tail, generation by generation.
# - Predict when a word of probability p is first lost, from (1 − p)ⁿ, and see where the loop makes it worse.
# - Tell a remedy that hides the symptom (smoothing) from one that treats the cause (real data).
#
# **Time:** about 25 minutes.

# %%
# On Colab (or wherever the course is not installed yet) install it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q git+https://github.com/model-collapse-lab/model-collapse-lab
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, ...
start("02")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## 1. The world: how often people use each word
#
# Our world is the 1000 most frequent English words with their real frequencies, from the
# [`wordfreq`](https://github.com/rspeer/wordfreq) package (its tables ship inside the package,
# so nothing is downloaded). Category i is the word of frequency rank i.
#
# wordfreq has a place in this story of its own. Its data is a snapshot of language on the web and
# in books, subtitles and social media *up to 2021*, and in 2024 its author, Robyn Speer, announced
# it will not be updated: "Generative AI has polluted the data. I don't think anyone has reliable
# information about post-2021 language usage by humans." Her example: text from language models
# made the word "delve" about ten times more frequent than people ever used it. A word list built
# from today's web would partly measure models, not people — the loop this course is about.

# %%
world = Categorical.words(n_words=1000)
p = np.asarray(world.probs)                  # real probabilities, most frequent first (they sum to 1)
for rank in (0, 1, 2, 9, 99, 999):
    print(f"rank {rank + 1:4d}: {world.labels[rank]:10s} p = {p[rank]:.5f}")

# %% [markdown]
# Word frequencies follow Zipf's law: the word of rank r has a probability roughly proportional to
# 1/r. A few words make up much of all text ("the" alone is 8% of these 1000 words), and most words are rare: the tail.
#
# ## 2. The loop: count the words, sample new text, count again
#
# The model is the simplest possible one: the frequency of each word in its training text
# (`EmpiricalModel`, no smoothing). Generation 0 counts n = 5000 words of real text; every later
# generation counts 5000 words sampled from the previous generation's frequencies. We run 20 seeds.
#
# > **Predict first.** Generation 0 already misses the words that happened not to appear among the
# > 5000 real ones. After 100 generations, how many of the 1000 words will the model still know:
# > most of them, about half, or under a tenth?

# %%
n, G, seeds = 5000, 100, 20
alive = []   # after each generation: which words each run's model still gives probability > 0
history = simulate(world, EmpiricalModel(world.n_categories), generations=G, samples=n, seeds=seeds, seed=0,
                   callback=lambda h, g: alive.append(h.model.probs_ > 0))
alive = np.stack(alive, axis=1)                # (seeds, generations + 1, words)

support = history.median("support")
print(f"words known (median of {seeds} runs): generation 0: {support[0]:.0f}, generation 10: {support[10]:.0f}, "
      f"generation {G}: {support[G]:.0f}")

# %% [markdown]
# The words the model still knows (left), and the share of the rarest half still alive (right):

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.4))
plots.metric(history, "support", ax=left)
plots.metric(history, "rare_alive", ax=right)
left.set_ylabel("words the model still knows")
right.get_legend().remove()
plt.show()

# %% [markdown]
# The vocabulary collapses: from about three quarters of the 1000 words in generation 0 to under a
# tenth by generation 100. The rarest half of the words (right) goes faster still.
#
# ## 3. The Zipf curve loses its tail
#
# On log–log axes a Zipf distribution is close to a straight line (dotted). Each coloured curve is
# the text one generation produced (one run): its words sorted from most to least frequent, against
# their share of the text. A curve ends where that generation's vocabulary ends; the legend counts
# its words.

# %%
ax = plots.rank_frequency(history, world, seed=0, by="own")
ax.set_title("one run's word frequencies, generation by generation")
plt.show()

# %% [markdown]
# Generation by generation the curve gets shorter: the tail goes. The surviving words take over its
# probability, so at the head the late generations lie above the dotted real curve.
#
# ## 4. Gone for good
#
# With no smoothing, a word that does not appear in a generation's training text gets probability
# exactly 0; it can then never be sampled again, so it can never come back. Extinction is an
# *absorbing state*. Check it: did any word, in any run, ever come back after it was lost?

# %%
came_back = int((~alive[:, :-1] & alive[:, 1:]).sum())
print(f"words that came back after being lost: {came_back}")

known_at_0, lost_by_10 = alive[0, 0], ~alive[0, 10]
print("known in generation 0 but lost by generation 10 (run 0):", ", ".join(world.labels[known_at_0 & lost_by_10][-12:]))

# %% [markdown]
# ## 5. When is a word forgotten?
#
# A word to which the current model gives probability p survives a generation only if it appears at
# least once among the n samples. So it **disappears in one generation with probability (1 − p)ⁿ**,
# about e^(−n·p): a word expected to appear once (n·p = 1) is lost 37% of the time, a word expected
# 5 times less than 1% of the time.
#
# In generation 0 the "current model" is the real world, so the formula must hold exactly for the
# share of words that generation 0 already misses. After that, if the model kept each word's real
# probability (as it would if every generation counted fresh real text), a word's first loss would be
# a geometric waiting time with success probability (1 − p)ⁿ.
#
# > **Predict first.** In the loop the probabilities do *not* stay put: each generation re-estimates
# > them from a sample, so they drift. Will words be forgotten sooner or later than the
# > fixed-probability waiting time?

# %%
gone = ~alive
first_loss = np.where(gone.any(axis=1), gone.argmax(axis=1), G + 1)   # (seeds, words); G + 1: never lost
expected = n * p                                                        # expected copies in one generation's text
one_step = (1 - p) ** n                                                 # P(lost in one generation)
fixed_p_median = np.ceil(np.log(0.5) / np.log1p(-one_step)) - 1         # median geometric waiting time


def gens(g):
    """A median generation, or '> G' when most runs never lost the word."""
    return f"{g:.0f}" if g <= G else f"> {G}"


# %% [markdown]
# Group the words by n·p, their expected copies per generation, and compare the simulation with both formulas:

# %%
buckets = [(0.5, 1), (1, 3), (3, 10), (10, 30), (30, 1000)]
print("expected copies   words   lost in generation 0    first loss (median generation)")
print("n·p                         sim   (1 - p)^n          sim   if p stayed fixed")
table = {}
for lo, hi in buckets:
    b = (expected >= lo) & (expected < hi)
    row = table[lo] = dict(lost0=gone[:, 0, b].mean(), theory0=one_step[b].mean(),
                           first=np.median(first_loss[:, b]), fixed=np.median(fixed_p_median[b]))
    label = f"{lo:g} – {hi:g}"
    print(f"{label:<16}  {b.sum():5d}   {row['lost0']:5.1%}   {row['theory0']:5.1%}"
          f"          {gens(row['first']):>5}   {gens(row['fixed']):>5}")

# %% [markdown]
# The first column pair is the exact one-step formula, and the simulation matches it in every
# bucket. The second pair shows the loop at work. The rarest words (n·p < 3) die within a few
# generations either way: one unlucky sample is enough. But words expected 3 to 10 times per
# generation, which a fixed-probability model would keep for about 80 generations, are lost after
# about a dozen; and words expected 10 to 30 times, which it would keep practically forever, after a
# few dozen. Their estimated probability random-walks (as σ did in notebook 01) until it is small
# enough for one unlucky sample to finish it. In population genetics
# this is *genetic drift*, and a lost word is an allele lost from a population.

# %%
per_word = np.median(first_loss, axis=0)                       # median over runs, per word
grid = np.geomspace(expected.min(), expected.max(), 200)
q = (1 - grid / n) ** n
fig, ax = plt.subplots()
ax.scatter(expected, per_word, s=8, alpha=0.5, color=plots.PALETTE["blue"], label="one word (simulated)")
ax.plot(grid, np.ceil(np.log(0.5) / np.log1p(-q)) - 1, "--", color=plots.COLORS["theory"],
        label="if p stayed fixed")
ax.axhline(G, color="0.5", linestyle=":", linewidth=1, label="end of the run")
ax.set(xscale="log", ylim=(-3, G + 8), xlabel="expected copies of the word per generation, n·p",
       ylabel="generation of first loss (median)", title="rare words are forgotten first")
ax.legend(loc="center right")
plt.show()

# %% [markdown]
# Dots on the top line are words that most runs never lost within the 100 generations.
#
# ## 6. Remedies: smoothing, or real data?
#
# Two common fixes. **Smoothing** adds a small pseudo-count α to every word's count, so no word ever
# gets probability 0. A **real-data anchor** mixes fresh real text into every generation.
#
# > **Predict first.** Smoothing with α = 0.1 guarantees that all 1000 words stay known. Will it also
# > keep the model's frequencies close to the real ones?

# %%
remedies = {
    "no remedy": history,
    "smoothing α = 0.1": simulate(world, EmpiricalModel(world.n_categories, smoothing=0.1), generations=G,
                                  samples=n, seeds=seeds, seed=0),
    "10% real data": simulate(world, EmpiricalModel(world.n_categories), generations=G, samples=n, seeds=seeds,
                              seed=0, real_fraction=0.1),
}
final = {label: (h.median("support")[-1], h.median("tv")[-1]) for label, h in remedies.items()}
for label, (known, tv) in final.items():
    print(f"{label:18s} words known at generation {G}: {known:5.0f}   total variation to the real world: {tv:.2f}")
print(f"(generation 0: total variation {history.median('tv')[0]:.2f})")

# %% [markdown]
# The words still known (left), and the total variation distance to the real frequencies (right):

# %%
colors = {"no remedy": plots.COLORS["replace"], "smoothing α = 0.1": plots.PALETTE["purple"],
          "10% real data": plots.COLORS["real"]}
fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.4))
plots.compare(remedies, "support", ax=left, colors=colors)
plots.compare(remedies, "tv", ax=right, colors=colors)
left.set_ylabel("words the model still knows")
right.get_legend().remove()
plt.show()

# %% [markdown]
# Smoothing keeps every word *known*, but not its frequency: the total variation distance to the
# real distribution (right; 0 is perfect, 1 is as far as possible) ends even a little higher than
# with no remedy at all. Frequent words still drift, and the rare ones are all flattened to the same
# pseudo-count: a model that "knows" every word but no longer knows how often any of them is used.
# Fresh real data treats the cause: with 10% real text per generation, the distance stays far lower
# and several times more words survive. (Accumulating all text, as in notebook 01, works too:
# try it in the explorer.)
#
# ## 7. Explore
#
# The explorer starts with the 2000 most frequent words and 2000 samples per generation.
# Things to try:
# - **smoothing** 0.001, 0.01, 0.1, 1: when does it stop looking like the real curve?
# - **samples / gen** 20000: how much longer do words survive?
# - **gate** dedup: keep one copy of each distinct word. Predict the rank–frequency curve first.
# - **temperature** 0.8: sampling that favours frequent words.

# %%
explorer = dashboards.words()
explorer

# %% [markdown]
# The explorer's figure for its default settings, as a picture for readers without a running kernel:

# %%
explorer.figure

# %% [markdown]
# ## Exercises
#
# **1. No loop, no drift.** With `real_fraction=1.0` every generation counts fresh real text, so
# each word keeps its real probability. Then a word of probability p is lost at least once within
# the G + 1 fits with probability 1 − (1 − (1 − p)ⁿ)^(G+1). Check this for the words with n·p
# between 3 and 10, and compare with the loop.
#
# <details><summary>Solution</summary>
#
# ```python
# fresh = []
# simulate(world, EmpiricalModel(world.n_categories), generations=G, samples=n, seeds=seeds, seed=0,
#          real_fraction=1.0, callback=lambda h, g: fresh.append(h.model.probs_ > 0))
# ever_lost = (~np.stack(fresh, axis=1)).any(axis=1)            # (seeds, words)
# b = (expected >= 3) & (expected < 10)
# print(ever_lost[:, b].mean(), (1 - (1 - one_step[b]) ** (G + 1)).mean())   # about 0.50 and 0.51
# print(gone[:, -1, b].mean())                                   # in the loop: about 0.89
# ```
# With fresh data the simulation matches the formula: about half of these words miss at least one
# generation, and they come back the next (with fresh data, a loss is no longer permanent). In the
# loop about nine in ten of them are lost for good.
# </details>
#
# **2. Temperature.** Sampling at temperature T draws word w with probability ∝ p(w)^(1/T). Before
# running it: with T = 0.8, does the vocabulary shrink faster or slower? Check with
# `simulate(..., temperature=0.8)`.
#
# <details><summary>Solution</summary>
#
# Faster. p^(1/T) with T < 1 shifts probability from rare words to frequent ones *every* generation,
# on top of the sampling noise: a deterministic push towards the head. With T = 0.8,
# `h.median("rare_alive")` falls to almost 0 within five generations, and `h.median("support")`
# reaches a single word, "the", within about 15 generations.
# </details>
#
# **3. The dedup gate.** `collapse_lab.Dedup()` keeps one copy of each distinct sample before the next
# generation counts them. What does the next model's distribution look like?
#
# <details><summary>Solution</summary>
#
# Uniform over the words that appeared: every surviving word is counted exactly once. The Zipf curve
# becomes flat after one generation, the frequent words lose their frequency, and rare words that
# appeared once are promoted to the same probability as "the". Deduplication preserves *which* words
# exist (the vocabulary hardly shrinks any more) but destroys *how often* they are used: a different
# kind of collapse. Check: `simulate(..., generations=3, gate=collapse_lab.Dedup(), refill=False)`,
# then look at `h.model.probs_[0]`. (`refill=False` trains on what the gate kept; by default
# `simulate` draws more to replace every dropped copy, and cannot find n distinct words once fewer
# than n are left.)
# </details>
#
# ## Key points
#
# - A word of probability p is lost in one generation of n samples with probability (1 − p)ⁿ: the
#   rarest words go first, and with no smoothing they never come back.
# - In the loop, estimated probabilities drift, so even moderately common words are forgotten far
#   sooner than their frequency suggests.
# - Smoothing hides the symptom (no word reaches zero) without restoring the frequencies; real data
#   (or accumulating data) treats the cause.
#
# ## References
#
# - Shumailov, I. et al. (2024). AI models collapse when trained on recursively generated data.
#   *Nature* 631, 755–759.
# - Dohmatob, E., Feng, Y., Yang, P., Charton, F. & Kempe, J. (2024). A tale of tails: model collapse as a
#   change of scaling laws. ICML 2024. (Synthetic data cuts off the tail of a Zipf distribution.)
# - Speer, R. (2024). Why wordfreq will not be updated. https://github.com/rspeer/wordfreq/blob/master/SUNSET.md
# - Zipf, G. K. (1949). *Human behavior and the principle of least effort.* Addison-Wesley.
#
# ## Self-check
#
# Confirms that every claim above held on this run.

# %%
assert 0.075 < p[0] < 0.085, '"the" should be about 8% of all words'
# the vocabulary collapses: about three quarters known at generation 0, under a tenth at the end
assert 0.65 < support[0] / 1000 < 0.85 and support[G] / 1000 < 0.1
assert history.median("rare_alive")[G] < support[G] / 1000, "the rarest half should go faster than the whole"
assert came_back == 0, "with smoothing 0, a lost word can never come back"
# (1 - p)^n predicts generation 0's losses within 3 percentage points in every bucket
assert all(abs(row["lost0"] - row["theory0"]) < 0.03 for row in table.values())
# the rarest words die within a few generations; words with 3-30 expected copies far sooner than fixed p says
assert table[0.5]["first"] <= 3 and table[1]["first"] <= 5
assert 60 < table[3]["fixed"] < 100 and 8 <= table[3]["first"] <= 20
assert table[10]["fixed"] > 1e6 and 20 <= table[10]["first"] <= 60
# smoothing keeps every word but not the frequencies; real data keeps both far better
smoothed, anchored, plain = final["smoothing α = 0.1"], final["10% real data"], final["no remedy"]
assert smoothed[0] == 1000 and smoothed[1] > plain[1], "smoothing keeps every word, not the frequencies"
assert anchored[1] < 0.5 * plain[1] and anchored[0] > 3 * plain[0], "real data keeps both far better"
# the exercise solutions' claims
fresh = []
simulate(world, EmpiricalModel(world.n_categories), generations=G, samples=n, seeds=seeds, seed=0,
         real_fraction=1.0, callback=lambda h, g: fresh.append(h.model.probs_ > 0))
ever_lost = (~np.stack(fresh, axis=1)).any(axis=1)
b = (expected >= 3) & (expected < 10)
assert abs(ever_lost[:, b].mean() - (1 - (1 - one_step[b]) ** (G + 1)).mean()) < 0.05 and gone[:, -1, b].mean() > 0.8
cold = simulate(world, EmpiricalModel(world.n_categories), generations=G, samples=n, seeds=seeds, seed=0, temperature=0.8)
assert cold.median("rare_alive")[5] < 0.01 and np.argmax(cold.median("support") == 1) <= 15
assert (cold.model.probs_.argmax(axis=1) == 0).all(), 'the last word standing should be "the"'
deduped = simulate(world, EmpiricalModel(world.n_categories), generations=3, samples=n, seeds=2, seed=0,
                   gate=collapse_lab.Dedup(), refill=False)
kept = deduped.model.probs_[0][deduped.model.probs_[0] > 0]
assert np.allclose(kept, kept[0]) and deduped.median("support")[-1] > 0.8 * deduped.median("support")[0]
print("Self-check passed.")
