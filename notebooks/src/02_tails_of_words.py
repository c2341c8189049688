# %% [markdown]
# # 02 · The tails of words: rare words die first, and for good
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/02_tails_of_words.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/02_tails_of_words.ipynb)
#
# **Questions**
# - When a model of word frequencies learns from its own output, which words does it forget, and when?
# - Can a forgotten word come back? Do smoothing or fresh real data help, and how?
# - What does training on synthetic text do to a scaling law?
#
# **Objectives**
# - Watch the rank–frequency (Zipf) curve of real English lose its tail, generation by generation.
# - Predict when a word of probability p is first lost, from (1 − p)ⁿ, and see how the loop makes the
#   forgetting time grow about linearly with a word's count (Suresh et al. 2025).
# - Tell a remedy that hides the symptom (smoothing) from one that treats the cause (real data).
# - See a scaling law change: with more real text the student keeps learning; with text whose tail
#   top-p cut off it stops (Dohmatob et al. 2024), and with a narrowed tail (T < 1) it slows.
#
# **Time:** about 36 minutes (18 reading, 5 exercises × 3, 1 explorers × 2, 1 running).
#
# <details><summary>How this notebook works</summary>
#
# Run the cells in order (Shift+Enter). Where it says *Predict first*,
# pick your guess before running on: the next cells measure the answer and show it beside your guess.
# Each exercise has a cell for your answer in your own names (`my_…`): `q1.check(...)` says whether it
# is right and, if not, what is probably wrong; `q1.hint()` nudges and `q1.solution()` shows the answer
# (also folded under the exercise). A **Check** is a one-line multiple-choice question on an
# objective. Terms in **bold** are defined where they first appear.
# </details>

# %%
# On Colab (or wherever the course is not installed yet) install this release of it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q "collapse-lab @ git+https://github.com/model-collapse-lab/model-collapse-lab@v0.2.0"
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, ...
from collapse_lab.exercises.tails import q1, q2, q3, q4, q5    # this lesson's exercises
from collapse_lab.exercises import Exercise                     # for the one-line checks of the objectives
start("02")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## 1. The world: how often people use each word
#
# Our world is the 1000 most frequent English words with their real frequencies, from the
# [`wordfreq`](https://github.com/rspeer/wordfreq) package (its tables ship inside the package,
# so nothing is downloaded). Category i is the word of frequency rank i.
#
# wordfreq has a place in this story of its own. Its data is a snapshot of language on the web and
# in books, subtitles and social media *up to 2021*, and in 2024 its author, Robyn Speer, explained
# why it will not be updated ("Why wordfreq will not be updated", in its repository). Her first
# reason: "Generative AI has polluted the data. I don't think anyone has reliable information about
# post-2021 language usage by humans." Her example is a measurement by **Philip Shapira**
# ("Delving into 'delve'", 2024): in the OpenAlex index of research papers, the share of papers with
# "delve" in their title or abstract jumped in 2023, when ChatGPT became widely available; 46% of all
# the papers since 1990 that use the word appeared in the 15 months from January 2023 to March 2024.
# Speer sums it up as ChatGPT raising the word's overall frequency "by an order of magnitude". (Her
# other reasons: sources that closed or now charge for their data, and not wanting to help
# generative AI.) A word list built from today's web would partly measure models, not people — the
# loop this course is about.

# %%
world = Categorical.words(n_words=1000)
p = np.asarray(world.probs)                  # real probabilities, most frequent first (they sum to 1)
for rank in (0, 1, 2, 9, 99, 999):
    print(f"rank {rank + 1:4d}: {world.labels[rank]:10s} p = {p[rank]:.5f}")

# %% [markdown]
# Word frequencies follow **Zipf's law**: the word of rank r has a probability roughly proportional
# to 1/r. A few words make up much of all text ("the" alone is 8% of these 1000 words), and most
# words are rare: the **tail**.
#
# ## 2. The loop: count the words, sample new text, count again
#
# The model is the simplest possible one: the frequency of each word in its training text
# (`EmpiricalModel`, no smoothing). Generation 0 counts n = 5000 words of real text; every later
# generation counts 5000 words sampled from the previous generation's frequencies. We run 20 seeds
# (independent runs) and follow the median run.
#
# > **Predict first.** Generation 0 already misses the words that happened not to appear among the
# > 5000 real ones. After 100 generations, how many of the 1000 words will the model still know?

# %%
p1 = predict("After 100 generations, the words the model still knows are…",
             ["most of them", "about half", "under a tenth"])

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
# Left, the words the model still knows. Right, its **tail recall**: the share of the rarest half of
# the real words (the 500 least frequent) that the model still gives a probability above 0.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.4))
plots.metric(history, "support", ax=left)
plots.metric(history, "rare_alive", ax=right)
left.set(ylabel="words the model still knows", title="vocabulary")
right.set(ylabel="tail recall (rarest half still known)", ylim=(0, 1.02), title="tail recall")
right.get_legend().remove()
plt.show()
reveal(p1, f"{support[G]:.0f} of 1000 words", answer="under a tenth" if support[G] < 100 else "about half")

# %% [markdown]
# The vocabulary collapses: from about three quarters of the 1000 words in generation 0 to under a
# tenth by generation 100, and tail recall falls faster still.
#
# ### The explorer
#
# The explorer runs the same loop with every lever at hand; it starts with the 2000 most frequent
# words and 2000 samples per generation. **Try this** (and keep it open: later sections come back to it):
# - Make **samples / gen** 20000: how much longer do words survive?
# - Set **smoothing** to 0.001, then 1: do words still die? Does the curve still look real?
# - Set **real data** to 0.1: do lost words come back?
# - Choose **gate** dedup (it switches **refill** off: a deduplicated set cannot be refilled):
#   predict the rank–frequency curve first.
# - Set **temperature** to 0.8: how fast does the tail go now?

# %%
explorer = dashboards.words()
explorer

# %% [markdown]
# The explorer's figure for its default settings, as a picture for readers without a running kernel:

# %%
explorer.figure

# %% [markdown]
# ## 3. The Zipf curve loses its tail
#
# On log–log axes a Zipf distribution is close to a straight line (dotted). Each other curve is the
# text one generation wrote (run 0): its words sorted from most to least frequent, against their
# share of the text. A curve ends where that text's vocabulary ends; the legend counts its words.
# Those are the words in the 5000 samples a generation *writes*, so they are fewer than the words its
# model *knows*: a known word of small probability can miss one sample of 5000, and then the next
# generation no longer knows it.

# %%
ax = plots.rank_frequency(history, world, seed=0, by="own")
ax.set_title("one run's word frequencies, generation by generation")
plt.show()
written_0 = len(np.unique(history.snapshots[0][0]))     # the text generation 0 wrote, run 0
print(f"run 0, generation 0: the model knows {history['support'][0, 0]:.0f} words; its 5000 samples contain {written_0}")

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
# least once among the n samples. Each sample misses it with probability 1 − p, so it
# **disappears in one generation with probability (1 − p)ⁿ**, about e^(−n·p): a word expected to
# appear once (n·p = 1) is lost 37% of the time, a word expected 5 times less than 1% of the time.
#
# **Exercise 1 (one generation).** What is the chance that the word of rank 500 is missing from
# generation 0's 5000 real words?

# %%
my_lost = ...               # your answer: a probability, from p and n
q1.check(my_lost)
# q1.hint()
# q1.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# p_word = p[499]                    # the word of rank 500
# my_lost = (1 - p_word) ** n        # about np.exp(-n * p_word): roughly one chance in four
# ```
# </details>
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
p2 = predict("Compared with a fixed probability, in the loop words are forgotten…",
             ["sooner", "about when", "later"])

# %%
gone = ~alive
first_loss = np.where(gone.any(axis=1), gone.argmax(axis=1), G + 1)   # (seeds, words); G + 1: never lost
expected = n * p                                                        # expected copies in one generation's text
one_step = (1 - p) ** n                                                 # P(lost in one generation)
fixed_p_median = np.ceil(np.log(0.5) / np.log1p(-one_step)) - 1         # median geometric waiting time
buckets = [(0.5, 1), (1, 3), (3, 10), (10, 30), (30, 1000)]
table = {}
for lo, hi in buckets:
    b = (expected >= lo) & (expected < hi)
    table[lo] = dict(words=b.sum(), lost0=gone[:, 0, b].mean(), theory0=one_step[b].mean(),
                     first=np.median(first_loss[:, b]), fixed=np.median(fixed_p_median[b]))

# %% [markdown]
# Group the words by n·p, their expected copies per generation, and compare the simulation with both formulas:

# %%
gens = lambda g: f"{g:.0f}" if g <= G else f"> {G}"     # a median generation, or '> G': most runs never lost it
print("expected copies   words   lost in generation 0    first loss (median generation)")
print("n·p                         sim   (1 - p)^n          sim   if p stayed fixed")
for (lo, hi), row in zip(buckets, table.values()):
    print(f"{f'{lo:g} – {hi:g}':<16}  {row['words']:5d}   {row['lost0']:5.1%}   {row['theory0']:5.1%}"
          f"          {gens(row['first']):>5}   {gens(row['fixed']):>5}")
reveal(p2, f"words with 3-10 copies: lost after {table[3]['first']:.0f} generations, not {table[3]['fixed']:.0f}",
       answer="sooner" if table[3]["first"] < table[3]["fixed"] else "later")

# %% [markdown]
# The first column pair is the exact one-step formula, and the simulation matches it in every
# bucket. The second pair shows the loop at work. The rarest words (n·p < 3) die within a few
# generations either way: one unlucky sample is enough. But words expected 3 to 10 times per
# generation, which a fixed-probability model would keep for about 80 generations, are lost after
# only about 14; and words expected 10 to 30 times, which it would keep practically forever, after a
# few dozen. Their estimated probability random-walks (as σ did in notebook 01) until it is small
# enough for one unlucky sample to finish it. In population genetics this is *genetic drift* (the
# Wright–Fisher model), and a lost word is an allele lost from a population.

# %% [markdown]
# **How long does a word last?** Suresh, Thangaraj & Khandavally ("Rate of model collapse in
# recursive training", AISTATS 2025) studied exactly this loop for discrete distributions: each
# generation fits the maximum-likelihood (counted) frequencies to n samples of the previous one. They
# prove that the time to forget a word grows *approximately linearly with the number of times it
# occurred in the original corpus*, so with many samples forgetting takes a long time. Each dot below
# is one word expected up to 40 times (median over the runs), against its expected count n·p; the
# solid line is a straight line through the origin fitted to the words with n·p ≥ 2 that most runs
# lost (rarer words die of one unlucky draw, not of drift).

# %%
ax = plots.forgetting_times(expected, first_loss, G, n)
plt.show()
slope = lessons.tails.forgetting_slope(expected, np.median(first_loss, axis=0), G)
print(f"about {slope:.1f} generations per expected copy: a word expected 10 times lasts about {10 * slope:.0f} generations")

# %% [markdown]
# Linear in the count means linear in n: ten times more samples per generation give every word ten
# times the expected count, so by this line about ten times more generations, not immunity. Try it
# in the explorer: **samples / gen** 20000 instead of 2000.
#
# ## 6. Remedies: smoothing, or real data?
#
# Two common fixes. **Smoothing** adds a small pseudo-count α to every word's count, so no word ever
# gets probability 0. A **real-data anchor** mixes fresh real text into every generation. To compare
# them we need a distance between the model's frequencies q and the real ones p: the **total
# variation distance**, half the sum of |q − p| over the words (0: identical; 1: no word in common).
#
# > **Predict first.** Smoothing with α = 0.1 guarantees that all 1000 words stay known. Will it also
# > keep the model's frequencies close to the real ones?

# %%
p3 = predict("With smoothing α = 0.1, after 100 generations the frequencies are…",
             ["close to the real ones", "as far off as with no remedy, or further"])

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

# %%
colors = {"no remedy": plots.COLORS["replace"], "smoothing α = 0.1": plots.PALETTE["purple"],
          "10% real data": plots.COLORS["real"]}
fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.4))
plots.compare(remedies, "support", ax=left, colors=colors)
plots.compare(remedies, "tv", ax=right, colors=colors)
left.set(ylabel="words the model still knows", ylim=(0, 1050), title="vocabulary")   # smoothing's line is at 1000
right.set(ylabel="total variation distance", title="distance to the real frequencies")
right.get_legend().remove()
plt.show()
smoothed_tv, plain_tv = final["smoothing α = 0.1"][1], final["no remedy"][1]
reveal(p3, f"total variation {smoothed_tv:.2f} (no remedy: {plain_tv:.2f})",
       answer="close to the real ones" if smoothed_tv < 0.5 * plain_tv else "as far off as with no remedy, or further")

# %% [markdown]
# Smoothing keeps every word *known*, but not its frequency: the total variation distance ends a
# little higher than with no remedy at all. Frequent words still drift, and the rare ones are all
# flattened to the same pseudo-count. Fresh real data treats the cause: with 10% real text per
# generation the distance stays far lower and several times more words survive. In the explorer,
# try **smoothing** 0.001 and 1, and **real data** 0.1 with **training set** accumulate.
#
# **Check (symptom or cause).** A team's model keeps every rare word in its vocabulary after five
# rounds of training on its own output, because they smooth the counts. Is its word distribution
# therefore still close to real text? (a) yes, no word was lost; (b) not necessarily: smoothing
# hides the lost words, not the drifted frequencies; only real data pulls those back.

# %%
check_remedy = Exercise("Check (symptom or cause)", judge=lessons.tails.CHECK_REMEDY)
check_remedy.check(...)     # your answer: "a" or "b"

# %% [markdown]
# <details><summary>Solution</summary>
#
# (b). Smoothing keeps every word known, but its total variation to real text ends no better than
# with no remedy.
# </details>
#
#
# ## 7. A tale of tails: synthetic data change the scaling law
#
# So far each model trained on the *previous* model's text. Now one step only: a new model (the
# **student**) learns from text written by a good model (the **generator**, which counted a million
# real words). Does more of that text help as much as more real text?
#
# The generator writes at **temperature** T (word w drawn ∝ q(w)^(1/T); T < 1 makes the tail
# *narrower*) or with **top-p** 0.9 (only the likeliest words holding 90% of the probability: the
# tail is *cut off*). We score the student on real text with the **held-out NLL**, the average
# −log q(word) over real text, in **nats** per word; lower is better.
#
# <details><summary>Going further: held-out NLL, nats and entropy</summary>
#
# For a word model the held-out NLL is exact: −Σ p·log q, with p the real and q the student's
# frequencies. Nats are natural logarithms (1 nat ≈ 1.44 bits). No model goes below the **entropy**
# of real text, −Σ p·log p, so we plot what is left above it. For a language model e^NLL per token is
# its perplexity. The student counts its text with a little smoothing (α = 0.5); a second, unsmoothed
# student gives the right panel.
# </details>
#
# > **Predict first.** From 1,000 to 100,000 training words of top-p 0.9 text, what happens to the
# > share of real text made of words the student has never seen?

# %%
p4 = predict("With 100 times more top-p synthetic text, the share of real text the student never saw…",
             ["keeps falling towards 0, like real data", "falls, then stops", "grows"])

# %%
sizes = (1_000, 3_000, 10_000, 30_000, 100_000)
rng = np.random.default_rng(1)
generator = EmpiricalModel(world.n_categories, smoothing=0.5).fit(world.sample((4, 1_000_000), rng))
settings = {"real": {}, "synthetic, T = 1": {}, "synthetic, T = 0.8": {"temperature": 0.8},
            "synthetic, top-p 0.9": {"top_p": 0.9}}
curves, plateaus = {}, {}
for label, decoding in settings.items():   # two students on the same data: smoothed, and unsmoothed
    curves[label] = [lessons.tails.scaling_curve(world, EmpiricalModel(world.n_categories, smoothing=alpha), sizes,
                                           generator=generator, seeds=4, seed=0, measure=lessons.tails.word_scores(world),
                                           **decoding) for alpha in (0.5, 0.0)]
    plateaus[label] = None if label == "real" else lessons.tails.plateau_scores(world, generator, **decoding)

# %% [markdown]
# Left, the held-out NLL above the entropy; right, the share of real text made of words the student
# has never seen. Dotted lines: the level each synthetic student would reach with endless text (the
# scores of the generator's decoded distribution itself).

# %%
fig = plots.tale_of_tails(curves, plateaus)
plt.show()
excess = {label: np.median(c[0]["real" if label == "real" else "synthetic"]["excess_nll"], axis=0)
          for label, c in curves.items()}
unseen = {label: np.median(c[1]["real" if label == "real" else "synthetic"]["missing_mass"], axis=0)
          for label, c in curves.items()}
for label in curves:
    print(f"{label:22s} at {sizes[0]:,} → {sizes[-1]:,} words: never seen {unseen[label][0]:.3f} → "
          f"{unseen[label][-1]:.4f}   NLL − entropy {excess[label][0]:.3f} → {excess[label][-1]:.3f} nats")
cut = unseen["synthetic, top-p 0.9"]
reveal(p4, f"never seen {cut[0]:.3f} → {cut[-1]:.3f}",
       answer="falls, then stops" if cut[-1] > 0.05 else "keeps falling towards 0, like real data")

# %% [markdown]
# Real text follows a **scaling law**: both scores keep falling as the training set grows (left,
# about tenfold from 10,000 to 100,000 words). The three synthetic students fail in three different
# ways, and only one of them is the paper's mechanism.
#
# **Right panel: the share of real text the student never saw.** This is the test error of the model
# in Section 2 of Dohmatob, Feng, Yang, Charton & Kempe, "A Tale of Tails" (ICML 2024): a learner that
# remembers every word it has seen and errs on the rest (Hutter 2021), on data with a Zipf tail.
# - **Top-p 0.9 cuts the tail**: about 10% of real text is words the generator never writes, so the
#   share stops at 10% (dotted line) however much text the student reads. This is their **tail
#   cutting** and its "loss of scaling": the power law ends in a plateau.
# - **T = 0.8 narrows the tail**: rare words become rarer but not impossible, so the share keeps
#   falling, only more slowly than with real text. Dohmatob et al. call this **tail narrowing** and
#   treat it as a separate case from cutting; here it slows the fall without stopping it.
#
# At T = 1 the student follows real data closely. The paper confirms tail cutting with a
# transformer on arithmetic and with Llama2 writing text (their Section 6).

# %% [markdown]
# **Left panel: held-out NLL.** Its synthetic curves are shaped by this toy, not by the paper's
# mechanism: they level off or rise for reasons of their own.
#
# <details><summary>Going further: why the left panel looks the way it does</summary>
#
# - At T = 0.8 the student learns the *wrong frequencies* ever more exactly, so its NLL settles at
#   the generator's biased level (dotted line): a bias, not a cut tail.
# - With top-p its NLL first falls, then *rises*: the more text it counts without the cut words, the
#   less probability its smoothing (α/(N + Kα)) leaves them, and NLL charges log of that without
#   bound. That rise comes from add-α smoothing scored by NLL; the paper's curves level off.
# - At 1,000 words the top-p and T = 0.8 students even beat the real one (top-p still does at 3,000):
#   their text holds fewer distinct rare words, so a small sample of it is less noisy to learn from.
# </details>
#
# **Check (which tail).** Which decoding *cuts* the tail so that more synthetic text stops helping on
# the right panel? (a) T = 0.8; (b) top-p 0.9; (c) T = 1.

# %%
check_tail = Exercise("Check (which tail)", judge=lessons.tails.CHECK_TAIL)
check_tail.check(...)       # your answer: "a", "b" or "c"

# %% [markdown]
# <details><summary>Solution</summary>
#
# (b). Top-p never writes about 10% of real text, so that share stays unseen; T = 0.8 only narrows
# the tail.
# </details>
#
#
# ## 8. From toy to practice
#
# The toy's measurements have counterparts that are used on real language models:
#
# | in this notebook | in practice |
# |---|---|
# | words the model still knows (distinct real words) | diversity measured against a reference: how much of a trusted human corpus's vocabulary, n-grams or topics a model's output still covers |
# | tail recall (rarest half still known) | rare-entity and long-tail question-answering recall: facts about rare names, places and events |
# | held-out NLL on real text | perplexity on trusted, human-written held-out text (e^NLL per token) |
#
# Each is anchored to real data, as here: a model's output scored against itself cannot see what it
# has lost.

# %% [markdown]
# **Where the analogy stops.** A real model does not store one number per word: it shares what it
# learns across words, so a rare word it never saw can still get some probability, and "forgotten"
# is a matter of degree, not an exact 0. Its "smoothing" is that generalisation, which is why its
# held-out perplexity does not blow up the way this counting student's NLL does under top-p. And
# real pipelines rarely replace all their text each round; notebook 01's accumulate is closer.
#
# ## Exercises
#
# **Exercise 2 (no loop, no drift).** With `real_fraction=1.0` every generation counts fresh real text, so each
# word keeps its real probability and each of the G + 1 fits misses it independently. What share of
# the words with 3 ≤ n·p < 10 is then missed at least once in the G + 1 fits? Use `one_step` and
# `expected` from section 5; check it with `simulate(..., real_fraction=1.0)` if you like.

# %%
my_ever_lost = ...          # your answer: a share between 0 and 1
q2.check(my_ever_lost)
# q2.hint()
# q2.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# in_bucket = (expected >= 3) & (expected < 10)
# my_ever_lost = (1 - (1 - one_step[in_bucket]) ** (G + 1)).mean()   # about 0.5
# ```
# About half of these words miss at least one generation, and each comes back the next (with fresh
# data a loss is not permanent). In the loop about nine in ten of them are lost for good.
# </details>
#
# **Exercise 3 (temperature).** Sampling at temperature T draws word w with probability ∝ p(w)^(1/T). What share
# of the text do the 500 rarest words get when the real frequencies are sampled at T = 0.8? (Then try
# **temperature** 0.8 in the explorer.)

# %%
my_rare_share = ...         # your answer: a share between 0 and 1
q3.check(my_rare_share)
# q3.hint()
# q3.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# weights = p ** (1 / 0.8)
# my_rare_share = weights[500:].sum() / weights.sum()   # about 0.04, against about 0.10 in real text
# ```
# T < 1 moves probability from the rare words to the frequent ones *every* generation, on top of the
# sampling noise: a steady push towards the head. With T = 0.8 tail recall falls to almost 0 within
# five generations, and the vocabulary shrinks to a single word, "the", within about 15.
# </details>
#
# **Exercise 4 (the dedup gate).** `collapse_lab.Dedup()` keeps one copy of each distinct sample before the next
# generation counts them. Write `my_prob_the(distinct)`: the probability the next model gives "the",
# when the generation's text held `distinct` different words. (Then try **gate** dedup in the explorer.)

# %%
def my_prob_the(distinct):
    return ...              # your answer: a formula in distinct
q4.check(my_prob_the)
# q4.hint()
# q4.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_prob_the(distinct):
#     return 1 / distinct
# ```
# The next model is uniform over the words that appeared: the Zipf curve becomes flat after one
# generation, the frequent words lose their frequency, and rare words that appeared once are promoted
# to the level of "the". Deduplication keeps *which* words exist (the vocabulary hardly shrinks any
# more) but destroys *how often* they are used: a different kind of collapse. Check:
# `simulate(..., generations=3, gate=collapse_lab.Dedup(), refill=False)`, then `h.model.probs_[0]`.
# (`refill=False` trains on what the gate kept; by default `simulate` draws more to replace every
# dropped copy, and cannot find n distinct words once fewer than n are left.)
# </details>
#
# **Exercise 5 (what top-p writes, section 7).** A generator that knows the real frequencies exactly, decoded with
# top-p 0.9: how many of the 1000 words does it ever write?

# %%
my_nucleus = ...            # your answer: a number of words
q5.check(my_nucleus)
# q5.hint()
# q5.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# from collapse_lab.engine.decoding import decode
# my_nucleus = int((decode(p[None, :], 1.0, None, 0.9) > 0).sum())   # about half of the 1000
# ```
# On a Zipf curve the head holds most of the probability: 90% of it sits in about half of the
# words. The other half, about 10% of real text, never appears in the generator's output, however
# much of it a student reads.
# </details>

# %% [markdown]
# ## Key points
#
# - A word of probability p is lost in one generation of n samples with probability (1 − p)ⁿ: the
#   rarest words go first, and with no smoothing they never come back.
# - In the loop estimated probabilities drift, so even moderately common words are forgotten far
#   sooner than their frequency suggests; the forgetting time grows about linearly with a word's
#   count (Suresh et al. 2025).
# - Smoothing hides the symptom (no word reaches zero) without restoring the frequencies; real data
#   (or accumulating data) treats the cause.
# - Synthetic text changes the scaling law (Dohmatob et al. 2024): when decoding *cuts* the tail
#   (top-p), the share of real text the student never sees stops falling, however much synthetic text
#   it reads; when it only *narrows* the tail (T < 1), that share keeps falling, more slowly. More
#   real text keeps helping. (The NLL rise under top-p comes from this toy's smoothing, not the paper.)

# %% [markdown]
# ## References
#
# <details><summary>The papers and sources cited in this notebook</summary>
#
# - Shumailov, I. et al. (2024). AI models collapse when trained on recursively generated data.
#   *Nature* 631, 755–759.
# - Suresh, A. T., Thangaraj, A. & Khandavally, A. N. K. (2025). Rate of model collapse in recursive
#   training. AISTATS 2025, PMLR 258:1396–1404 (arXiv:2412.17646): for discrete distributions the time to
#   forget a symbol grows about linearly with its count in the original corpus.
# - Dohmatob, E., Feng, Y., Yang, P., Charton, F. & Kempe, J. (2024). A tale of tails: model collapse as a
#   change of scaling laws. ICML 2024, PMLR 235:11165–11197 (arXiv:2402.07043).
# - Hutter, M. (2021). Learning curve theory. arXiv:2102.04074.
# - Speer, R. (2024). Why wordfreq will not be updated. https://github.com/rspeer/wordfreq/blob/master/SUNSET.md
# - Shapira, P. (2024). Delving into "delve". https://pshapira.net/2024/03/31/delving-into-delve/
# - Zipf, G. K. (1949). *Human behavior and the principle of least effort.* Addison-Wesley.
# </details>
#
# ## Self-check
#
# Confirms that every claim above holds. `lessons.tails.self_check()` recomputes what it asserts from its
# own seeded runs at the lesson's settings, so whatever you changed or tried above cannot make it fail.
# Its claims, one short function per section, are in `collapse_lab/lessons/tails.py`.

# %%
print(lessons.tails.self_check())
