# %% [markdown]
# # 03 · Modes and minorities: a small cluster fades away
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/03_modes_and_minorities.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/03_modes_and_minorities.ipynb)
#
# **Questions**
# - What happens to a small group in the data when a model learns, generation after generation, from its own output?
# - Can a routine cleaning step make it worse?
# - Which kind of real data keeps the group: a fixed real set reused, fresh real data, or all data kept?
#
# **Objectives**
# - Watch the minority mode of a 2-D Gaussian mixture disappear, and count the runs that keep it.
# - Explain the loss: the minority's share drifts (as a word's frequency did in notebook 02), and a fit
#   misses a group that has only a handful of points.
# - Measure how an outlier filter speeds the loss up, and compare Alemohammad et al.'s three loops
#   (fully synthetic, a fixed real set, fresh real data) with keeping all data.
#
# **Time:** about 32 minutes (20 reading, 3 exercises × 3, 1 explorers × 2, 1 running).
#
# <details><summary>How this notebook works</summary>
#
# Run the cells in order (Shift+Enter). Where it says *Predict first*,
# pick your guess before running on: the next cells measure the answer and show it beside your guess.
# Each exercise has a cell for your answer in your own `my_…` names: `q1.check(...)` says whether it
# is right and, if not, what is probably wrong; `q1.hint()` nudges and `q1.solution()` shows the
# worked answer (also folded under the exercise). Terms in **bold** are defined where they first appear.
# </details>

# %%
# On Colab (or wherever the course is not installed yet) install this release of it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q "collapse-lab @ git+https://github.com/model-collapse-lab/model-collapse-lab@v0.2.0"
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, ...
from collapse_lab.exercises.mixture import q1, q2, q3, lesson_run, lost    # this lesson's exercises and runs
start("03")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## 1. A world with a minority
#
# The real world is a mixture of two groups in the plane: a large, round **majority** at the origin
# (90% of the data) and a small, tight **minority** cluster at (3.5, 3.5) (10%). Think of a dialect, a
# rare medical condition, or a group that is under-represented in a data set.
#
# The model is a two-component Gaussian mixture (`MixtureModel(2)`): exactly the right shape for this
# world, so any loss comes from the loop alone. It is fitted by **EM (expectation–maximisation**,
# Dempster, Laird & Rubin 1977): starting from a guess, it alternates an *E step* (for every point, the
# probability that each component made it) and an *M step* (each component's weight, mean and
# covariance recomputed from the points, weighted by those probabilities) until the fit stops
# improving. Each generation fits n = 200 points from scratch; from generation 1 on, the points are
# samples of the previous generation's mixture. We follow `minority_weight`, the weight the model
# gives the component that sits on the minority (0 when no component does), over 60 generations and
# 40 seeds. `lesson_run()` is exactly
# `simulate(Mixture.two_d(0.1), MixtureModel(2), generations=60, samples=200, seeds=40, seed=0)`,
# remembered so that the self-check at the end can reuse it instead of fitting it all again.
#
# > **Predict first.** The minority is 10% of 200 points: about 20 points per generation, every
# > generation. After 60 generations, in what share of the 40 runs does the model still have it?

# %%
p1 = predict("After 60 generations, the share of runs whose model still has the minority is…", number=(0, 1))

# %%
world = Mixture.two_d(minority=0.1)
n, G = 200, 60
history = lesson_run()                       # 40 seeds, 60 generations, no real data after generation 0
weight = history.median("minority_weight")
kept = 1 - lost(history)                     # lost: the model gives the minority at most 2%
print(f"runs that still have the minority at generation {G}: {kept:.0%}")
reveal(p1, kept, tolerance=0.25)

# %% [markdown]
# The minority's weight over the generations (left), and the **survival curve** (right): the share of
# the 40 runs whose model still gives the minority more than 2%. A median alone would hide what
# happens: in each run the minority is either there (weight about 0.1) or gone (0), so the median of
# the runs drops from about 0.1 to 0 within a generation or two once half the runs have lost it.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
plots.metric(history, "minority_weight", ax=left, color=plots.COLORS["minority"])
left.axhline(0.1, color=plots.COLORS["world"], linestyle=":", label="real weight")
left.legend(loc="upper right")
left.set_title("median and middle 80% of 40 runs", fontsize=10)
plots.survival_compare({"fully synthetic": history}, ax=right)
right.set_title("runs that still have the minority", fontsize=10)
plt.show()

# %% [markdown]
# Run after run loses the minority, and a lost minority rarely comes back: with no real data, only
# a chance handful of the model's own points could bring it back. By generation 60 only about four
# runs in ten still have it. The band on the left is wide, because the minority's share does a
# random walk that goes up as well as down: the runs that keep it mostly end with *more* than its
# real 10%, the others at 0. (Two runs miss it at generation 0 already, on real data: EM sometimes
# spends both components on the majority. Section 2 shows when.)
#
# How many runs lose it depends on how many points it gets. With three other sets of 40 seeds, 60–70%
# of runs lose it by generation 60; with 100 samples per generation (10 minority points) 88%, with
# 400 samples 47% (`lessons.mixture.CLAIMS` lists each key point of this lesson with the settings it
# was checked at).

# %% [markdown]
# ### The explorer
#
# The explorer runs the same loop with every lever at hand. It starts small, so a change answers in
# about half a second (at once for settings it ran before):
# minority weight 0.1, 100 samples per generation, 50 generations and 8 runs (**Reset** brings these
# back). Its top right panel is the survival curve above. Try this (the same suggestions sit
# beside it; later sections come back to them):
# - Set **minority weight** to 0.3: does a larger group survive?
# - Choose **gate** clip outliers, then move its slider to 4: is any threshold safe?
# - Set **samples / gen** 200, **generations** 60 and **seeds** 40 (the lesson's settings), **real
#   data** 0.1 with **real source** fixed, then fresh: which keeps the minority in more runs after
#   generation 20?
# - Set **training set** to accumulate-subsample (no real data after generation 0).
# - Set **temperature** 0.9: weights sharpened to w^(1/T), so the minority's odds shrink every
#   generation.
#
# At the explorer's default 100 samples the minority gets about 10 points a generation instead of
# the lesson's 20, and fewer runs keep it: 15% at generation 50 with 40 seeds, against 40%. Later
# sections send you back here.

# %%
explorer = dashboards.mixture()
explorer

# %% [markdown]
# The explorer's figure for its default settings, as a picture for readers without a running kernel:

# %%
explorer.figure

# %% [markdown]
# There is no single typical run to show: each run either loses the minority or keeps it. So here are
# two of the 40 (`lessons.mixture.typical_runs`): on top the run that loses it closest to the median
# generation of loss (about generation 30), below one that keeps it. Points are coloured by the group
# the *real* world would assign them to; each title gives that share and then `minority_weight`, the
# model's weight on its component(s) whose nearest real centre is the minority's.
#
# That metric has a blind spot: when the fitted mixture slides away from the real centres, no
# component is nearest (3.5, 3.5), and the metric says 0 while some points still sit in the minority's
# region (generation 30 of the top run).

# %%
fig = lessons.mixture.two_runs(history, world, generations=[0, 12, 30, 60])
plt.show()

# %% [markdown]
# ## 2. Why the minority fades
#
# Two things work together.
#
# - **Its share drifts.** The number of minority points in each generation's 200 samples is random,
#   about 20 ± 4, and the next model learns whatever share it got: a fair random walk, like the
#   frequency of a word with about 20 expected copies in notebook 02.
# - **A small group is easy to miss.** Every generation EM fits the mixture from scratch. With many
#   minority points it always gives them a component of their own; with only a handful it often
#   spends its second component elsewhere (on the majority, which it then splits in two). The model
#   then makes almost no minority points, and the next generation has even fewer to find.
#
# The second effect can be measured. For every generation of every run: how many minority points
# were in its training data, and did the fitted model miss the minority (weight at most 2%)?

# %%
points = np.rint(history["minority_share"][:, :-1] * n)   # minority points in the training data of gens 1..G
missed = history["minority_weight"][:, 1:] <= 0.02         # did that generation's model miss the minority?
miss_rate = {}
print("minority points in the training data   generations   model missed the minority")
for lo, hi in [(1, 5), (5, 10), (10, 15), (15, 20), (20, 30), (30, n)]:
    b = (points >= lo) & (points < hi)
    miss_rate[lo] = missed[b].mean()
    print(f"{f'{lo} – {hi - 1}':>22}               {b.sum():5d}         {miss_rate[lo]:6.0%}")

# %% [markdown]
# With 20 or more minority points EM almost never misses the group; with fewer than 5 it misses it
# almost always, and with 5 to 9 often (43–66% in four seed sets). So once the random walk carries
# the minority down to a handful of points, the fits start to lose it, which brings fewer points
# still: a trap that a fair random walk alone would not set.
#
# What counts is the group's *share* of the sample more than its count. At 400 samples per
# generation EM misses a group of 20–29 points (5–7% of them) 15% of the time; at every size we tried
# it misses a group under 2.5% of the points more often than not, and one of 10% or more almost never.
#
# ## 3. A cleaning step makes it worse
#
# Dropping outliers is a routine step in data pipelines. `ClipOutliers(2.5)` drops every sample
# farther than 2.5 standard deviations from its batch's mean, measured by the **Mahalanobis
# distance** (the distance in units of the batch's own spread, direction by direction).
#
# > **Predict first.** The minority points are 10% of each batch and sit about 5 units from the
# > majority. How long will the minority survive with this filter?

# %%
p2 = predict("With ClipOutliers(2.5), the minority is gone from most runs after…",
             ["more than 30 generations", "about 10 generations", "2 or 3 generations"])

# %%
clipped = lesson_run(gate="clip:2.5", generations=30)
clip_weight = clipped.median("minority_weight")
print(f"median minority weight with the filter: generation 0: {clip_weight[0]:.2f}, 1: {clip_weight[1]:.2f}, "
      f"2: {clip_weight[2]:.2f}")
gone_at = int(np.argmax(clip_weight <= 0.02))
reveal(p2, f"the median weight is at most 2% from generation {gone_at}",
       answer="2 or 3 generations" if gone_at <= 3 else "about 10 generations" if gone_at <= 15 else "more than 30 generations")

# %% [markdown]
# The filter sees the minority as outliers: it cuts the median weight from 0.10 to 0.04 in the first
# generation and to 0 by the second (about three runs in four have lost the minority by then, more
# than nine in ten by generation 30). A filter that is harmless for one batch compounds
# over generations into erasing a group. Why does it cut so deep, and would a looser threshold be safe?
# Exercise 2, after section 5, computes it: the smaller the group, the farther out it looks.
#
# Back in the explorer: choose **gate** clip outliers and move its slider from 2.5 to 4. The loss
# slows down, but does any setting keep the minority in every run?

# %% [markdown]
# ## 4. Which real data keeps the minority?
#
# Alemohammad et al. (ICLR 2024, "Self-Consuming Generative Models Go MAD", Figure 3) name three
# self-consuming loops, by where each generation's real data come from:
# - **fully synthetic**: no real data after generation 0 (section 1);
# - **synthetic augmentation**: a **fixed real set**, drawn once and reused in every generation
#   (`real_source="fixed"`);
# - **fresh data**: **fresh real data**, new draws of the real world every generation (`real_source="fresh"`).
#
# With image models they found that a fixed real set only delays the loss of quality or diversity,
# and that only enough fresh real data in every generation prevents it. A fourth option keeps
# everything: **accumulate** trains each generation on all data so far, real and synthetic
# (Gerstgrasser et al. 2024), and **accumulate-subsample** keeps all data but trains each generation
# on a fixed-size sample of 200 points from it (Kazdan et al. 2024, "Collapse or Thrive?").
#
# > **Predict first.** Here the real part is 10% of each training set: 20 real points, about 2 of them
# > minority points. Which loop keeps the minority in the most runs?

# %%
p3 = predict("Which keeps the minority in the most runs?",
             ["a fixed real set", "fresh real data", "accumulate-subsample", "they do about the same"])

# %%
loops = {"fully synthetic": history,
         "fixed real set": lesson_run(real_fraction=0.1, real_source="fixed"),
         "fresh real data": lesson_run(real_fraction=0.1, real_source="fresh"),
         "accumulate-subsample": lesson_run(mode="accumulate-subsample"),
         "accumulate": lesson_run(mode="accumulate", generations=30, seeds=12)}   # costly: fits grow every generation
late = {label: (h["minority_weight"][:, 20:] > 0.02).mean() for label, h in loops.items()}
for label, share in late.items():
    print(f"{label:21s} share of runs with the minority, averaged over generations 20 on: {share:4.0%}")

# %%
fig, ax = plt.subplots(figsize=(8, 4))
plots.survival_compare(loops, ax=ax)
ax.set_title("runs that still have the minority, by where the real data come from", fontsize=10)
plt.show()
options = {"fixed real set": "a fixed real set", "fresh real data": "fresh real data", "accumulate-subsample": "accumulate-subsample"}
best = max(options, key=late.get)          # the three loops that train on 200 points a generation
reveal(p3, ", ".join(f"{label} {late[label]:.0%}" for label in options), answer=options[best])

# %% [markdown]
# Every loop with real data in it does better than the fully synthetic one, but not in the same way.
#
# **A fixed real set keeps only what it happens to hold.** Its survival curve drops for about 20
# generations and then stays level near 60%: the runs whose one real set holds enough minority points
# keep the group, the others lose it for good. Why level? With k minority points among the 20 fixed
# real points, a model with minority weight w makes 180·w minority points, so the next weight is
# (180·w + k)/200: the loop settles at w = k/20, about 10·k points a generation. With k = 0 that is
# nothing, with k = 1 about 10 points, often missed; with k ≥ 2, 20 points or more, rarely missed. The
# chance that the set holds at most one minority point is 0.9²⁰ + 20 · 0.1 · 0.9¹⁹ ≈ 39%, and
# about that share of runs lose the minority. The set's accidents are never corrected, because it
# never changes.

# %% [markdown]
# (This count is for the lesson's 200 samples, where one fixed minority point is too few: at 100 or
# 400 samples the threshold moves, and the fixed set keeps the minority in 48% and 78% of runs, not
# the 26% and 92% the same count gives. Alemohammad et al. saw the fixed set delay, not prevent, the
# decline of image models; in this small mixture, where a refit from scratch can find the group again
# in the fixed points, it freezes each run's fate instead.)

# %% [markdown]
# **Fresh real data** bring about 2 new minority points every generation, a different 2 each time.
# Runs that lose the minority can find it again, and the share of runs that have it stays higher,
# about three in four. 10% fresh data is still not enough to keep it in every run: that takes more
# real data per generation.
#
# **Accumulate-subsample** adds no real data after generation 0, yet keeps the minority in more runs
# than either. Each subsample is drawn from *all* the data so far, so the minority's share in it is
# the average over many generations and moves only slowly: the "slow and gradual rather than
# explosive" degradation Kazdan et al. report for this workflow. This order (fixed, then fresh, then
# accumulate-subsample, all above no real data) held at four seed sets and at 100, 200 and 400 samples,
# though the fixed set's lead over no real data can be small (5 points in one seed set).

# %% [markdown]
# **Accumulate** (all data, every generation) keeps the minority in every run: Gerstgrasser et al.'s
# remedy, where the newest generation is a smaller and smaller share of the training set. It is not a
# like-for-like comparison: its training set grows by 200 points every generation (6,200 points at
# generation 30, against 200), which also makes it the costliest (we ran it for 30 generations, on 12
# seeds). Accumulate-subsample, on 200 points a generation, is the fair comparison.
#
# So fresh data and kept data work for the same reason: the training set never becomes just the
# last model's output. A fixed real set, reused, cannot average out its own accidents.
#
# Back in the explorer: set **samples / gen** 200, **generations** 60 and **seeds** 40 (this section's
# settings) and **real data** 0.1, then switch **real source** between fixed and fresh (at 100 samples
# and 8 runs, chance decides which keeps more); then try **real data** 0.2, and **training set**
# accumulate-subsample with no real data.

# %% [markdown]
# ## 5. Temperature: sharpening the weights
#
# Language models are often sampled at a **temperature** T below 1, which favours likely outputs.
# For a single Gaussian (notebook 01) that means sampling from p^(1/T), which is N(μ, T·σ²). For a
# mixture the course's `MixtureModel` uses a convention that is *not* p^(1/T): it sharpens the
# choice of component to weights w^(1/T) (renormalised) and samples each component from N(μ, T·Σ).
# True tempering of the whole mixture would also favour the tight minority, whose density peaks
# higher: by a factor (|Σ_minority| / |Σ_majority|)^((1 − 1/T)/2) on its odds.
#
# **Exercise 1 (temperature).** With the course's convention, by what factor does one generation
# sampled at T = 0.9 multiply the minority's **odds** w/(1 − w), before any sampling noise? (w = 0.1.)

# %%
my_factor = ...             # your answer: odds after one step / odds before, at w = 0.1 and T = 0.9
q1.check(my_factor)
# q1.hint()
# q1.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_factor = (0.1 / 0.9) ** (1 / 0.9 - 1)   # about 0.78
# ```
# The odds 1/9 become (1/9)^(1/0.9): a factor (1/9)^0.111 ≈ 0.78 every generation, on top of the
# sampling noise, so the odds fall geometrically. In our runs at T = 0.9 the minority is gone within
# 10 generations in nine runs of ten or more, and within 15 in at least 95% of runs (four seed sets,
# 100 to 400 samples per generation). True tempering p^(1/T) would give a
# factor of about 0.91 in this world (the minority's covariance has 1/16 of the majority's
# determinant), still below 1. Alemohammad et al. call such a bias towards likely samples
# **sampling bias**: in their image models it kept quality up for longer while diversity fell faster.
# </details>
#
# Back in the explorer: set **temperature** 0.9, then 0.95.
#
# ## Exercises
#
# **Exercise 2 (is there a safe threshold?).** Back to section 3's filter. Write `my_distance(w)`: the Mahalanobis distance of
# the minority's centre (3.5, 3.5) from the mean of a (very large) batch of `Mixture.two_d(w)`, in
# that batch's own covariance. The majority's covariance is the identity, the minority's 0.25 × the
# identity.

# %%
def my_distance(w):
    return ...              # your answer: a formula in w (numpy arrays welcome)
q2.check(my_distance)
# q2.hint()
# q2.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_distance(w):
#     delta = np.array([3.5, 3.5])                      # minority centre − majority centre
#     mean = w * delta                                  # the batch's mean
#     cov = ((1 - w) + 0.25 * w) * np.eye(2) + w * (1 - w) * np.outer(delta, delta)   # within + between
#     d = delta - mean
#     return np.sqrt(d @ np.linalg.solve(cov, d))
# ```
# At w = 0.1 the minority's centre sits 2.5 batch standard deviations from the batch mean:
# `ClipOutliers(2.5)` cuts through the middle of the group. As the group shrinks, the batch's mean and
# covariance follow the majority and the distance *grows* (about 3.2 at w = 0.05, 4.0 at w = 0.02). A
# looser threshold only waits until the group has shrunk by chance, then trims it, harder the smaller
# it gets. With `ClipOutliers(4.0)` the median weight is still near 0.1 at generation 10 and 0 by
# generation 30.
# </details>
#
# **Exercise 3 (a larger group).** A 30% minority gets about 60 points a generation from 200 samples. How many samples per generation
# would give the 10% minority the same expected number of points?

# %%
my_samples = ...            # your answer: samples per generation
q3.check(my_samples)
# q3.hint()
# q3.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_samples = 200 * 0.3 / 0.1   # 600
# ```
# 600 samples per generation give the 10% minority the 60 expected points the 30% minority gets from
# 200. The same points do not give the same fate, though: by generation 60 the 10% group at 600
# samples is lost in 42% of our 40 runs, the 30% group at 200 in 18%. Both count and share matter.
# EM misses a group by its share of the sample (section 2), and the random walk must carry the 10%
# group only from 10% down to a few percent, the 30% group all the way from 30%. Check it in the
# explorer: **minority weight** 0.3 at 200 samples, then 0.1 at 600.
# </details>
#
# ## Check your objectives
#
# One line each: replace `...` with one of the answers, in quotes.
#
# 1. In the lesson's 40 runs without real data, what does the minority do?
#    `"it fades slowly in every run"`, `"some runs lose it, the others keep it"`, `"every run keeps it"`
# 2. Why does the loss speed up once the group is small? `"the fit misses a group with few points"`,
#    `"the real data run out"`, `"the outlier filter removes it"`
# 3. Of the loops that train on 200 points a generation with real or kept data, which keeps the
#    minority in the fewest runs? `"a fixed real set"`, `"fresh real data"`, `"accumulate-subsample"`

# %%
from collapse_lab.exercises.capstone import ChoiceExercise     # a one-line multiple-choice check
c1, c2, c3 = (ChoiceExercise(f"Check {i}", options, answer, why=why, wrong=wrong)
              for i, (options, answer, why, wrong) in enumerate(lessons.mixture.OBJECTIVE_CHECKS, 1))
c1.check(...)

# %% [markdown]
# <details><summary>Solution</summary>
#
# `c1.check("some runs lose it, the others keep it")`: each run either loses the minority or keeps it, often with more than 10% (section 1).
# </details>

# %%
c2.check(...)

# %% [markdown]
# <details><summary>Solution</summary>
#
# `c2.check("the fit misses a group with few points")`: EM often misses a group with a few percent of the points (section 2).
# </details>

# %%
c3.check(...)

# %% [markdown]
# <details><summary>Solution</summary>
#
# `c3.check("a fixed real set")`: it keeps only the minority points it happened to draw (section 4).
# </details>

# %% [markdown]
# > **From toy to practice.** What this lesson's toy stands for in a real training pipeline:
# >
# > | in this lesson | in practice |
# > |---|---|
# > | the 10% minority cluster | an under-represented group, dialect or rare class in the training data |
# > | `minority_weight`, and the survival curve over runs | per-group coverage or recall of a model's outputs, tracked model version after model version |
# > | `ClipOutliers` | outlier, perplexity or "quality" filters in data cleaning |
# > | a fixed real set vs fresh real data | reusing one curated human data set every round vs collecting new human data every round |
# > | accumulate, accumulate-subsample | keeping all past data (earlier crawls, earlier synthetic sets) in the training pool |
# > | temperature 0.9 | the sampling settings of the generator that makes the synthetic data |
# >
# > Where the analogy stops: two Gaussians in the plane, a model of exactly the right shape refitted
# > from scratch by EM, and 200 points a generation. Real models are warm-started, share parameters
# > across groups, see far more data, and a group is rarely a tight separate cluster; so take the
# > *mechanisms* (drift, missed small groups, filters that compound, fixed vs fresh data) to practice,
# > not the numbers.

# %% [markdown]
# ## Key points
#
# - A small group gets few points per generation: its share drifts, and once it is down to a few
#   percent of the points the fit misses it. How many runs lose it depends on its points per
#   generation (about 9 runs in 10 at 100 samples, 6 in 10 at 200, 5 in 10 at 400). There is no
#   typical run: count the runs that keep it (a survival curve), not the median.
# - Cleaning steps that remove "outliers" remove minorities, and the removal compounds: the smaller
#   the group, the more of an outlier it looks.
# - A fixed real set, reused, keeps the minority only in the runs whose set happens to hold enough of
#   it. Fresh real data every generation, or keeping all data (accumulate, accumulate-subsample),
#   keep it in more runs (at every seed set and sample size we tried).
# - Sampling at T = 0.9 sharpens the mixture's weights and erases the minority within 15 generations
#   in nearly every run.

# %% [markdown]
# ## References
#
# - Shumailov, I., Shumaylov, Z., Zhao, Y., Papernot, N., Anderson, R. & Gal, Y. (2024). AI models collapse
#   when trained on recursively generated data. *Nature* 631, 755–759. The Gaussian-mixture (and VAE)
#   experiments are in its Supplementary Information; preprint: "The Curse of Recursion", arXiv:2305.17493.
# - Alemohammad, S. et al. (2024). Self-consuming generative models go MAD. ICLR 2024 (arXiv:2307.01850):
#   the fully synthetic, synthetic augmentation (fixed real set) and fresh data loops (Figure 3), and sampling bias.
# - Gerstgrasser, M. et al. (2024). Is model collapse inevitable? Breaking the curse of recursion by
#   accumulating real and synthetic data. arXiv:2404.01413.
# - Kazdan, J., Schaeffer, R., Dey, A., Gerstgrasser, M., Rafailov, R., Donoho, D. L. & Koyejo, S. (2024).
#   Collapse or thrive? Perils and promises of synthetic data in a self-generating world. arXiv:2410.16713:
#   replace, accumulate and accumulate-subsample.
# - Wyllie, S., Shumailov, I. & Papernot, N. (2024). Fairness feedback loops: training on synthetic data
#   amplifies bias. ACM FAccT 2024.
# - Dempster, A. P., Laird, N. M. & Rubin, D. B. (1977). Maximum likelihood from incomplete data via the
#   EM algorithm. *J. R. Stat. Soc. B* 39, 1–38.

# %% [markdown]
# ## Self-check
#
# Confirms that every claim above holds. `lessons.mixture.self_check()` recomputes what it asserts from its
# own seeded runs at the lesson's settings, so whatever you changed or tried above cannot make it fail.
# Its claims, one short function per section, are in `collapse_lab/lessons/mixture.py`; so are the key
# points as `CLAIMS`, each with the seed sets and sample sizes it was checked at (`check_claims()`
# reruns them all, in about a minute).

# %%
print(lessons.mixture.self_check())
