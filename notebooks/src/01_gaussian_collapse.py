# %% [markdown]
# # 01 · Gaussian collapse: a random walk to zero
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/01_gaussian_collapse.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/01_gaussian_collapse.ipynb)
#
# **Questions**
# - If every fit is unbiased, why does a model trained on its own samples lose its spread?
# - How fast does it happen, and why do the tails go first?
# - What stops it: keeping old data, reusing one real set, or adding fresh real data?
#
# **Objectives**
# - Read the whole collapse loop in a dozen lines of numpy.
# - Predict the shrinking of σ from the sample size alone (a random walk of log σ²) and check it
#   against 200 runs; know what Shumailov et al. (2024, Theorem 3.1) prove about it and what they do not.
# - Measure how much faster the mass beyond 2σ and 3σ vanishes than σ itself.
# - Compare Alemohammad et al.'s three loops (fully synthetic, a fixed real set, fresh real data)
#   with *accumulate* and *accumulate-subsample*, and say how uncertain σ stays with a little real data.
#
# **Time:** about 38 minutes (17 reading, 6 exercises × 3, 1 explorers × 2, 1 running).
#
# <details><summary>How this notebook works</summary>
#
# Run the cells in order (Shift+Enter). Where it says *Predict first*,
# pick your guess before running on: the next cells measure the answer and show it beside your guess.
# Each exercise has a cell for your answer: `q2.check(...)` says whether it is right and, if not,
# what is probably wrong; `q2.hint()` gives a nudge and `q2.solution()` the worked answer (also folded
# under the exercise). A **Check** is a one-line multiple-choice question on an objective. Terms in
# **bold** are defined where they first appear, and all of them in [the glossary](../docs/glossary.md).
# </details>

# %%
# On Colab (or wherever the course is not installed yet) install this release of it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q "collapse-lab @ git+https://github.com/model-collapse-lab/model-collapse-lab@v0.2.0"
from collapse_lab.lesson import *    # np, plt, simulate, Gaussian, GaussianModel, plots, worlds, predict, ...
from collapse_lab.exercises.gaussian import q1, q2, q3, q4, q5, q6    # this lesson's exercises
from collapse_lab.exercises import Exercise                              # for the one-line check of an objective
start("01")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## 1. The loop in a dozen lines
#
# The model is a normal distribution, fitted by its sample mean μ and its **standard deviation σ**
# (the spread of the data), taken from the *unbiased* variance: it divides by n − 1, which makes the
# estimated variance σ² right *on average* (σ itself is then slightly too small on average). The real world is N(0, 1): mean 0, σ = 1.
# **Generation** 0 fits n = 100 real samples; every later generation fits 100 samples drawn from the
# previous generation's fit, and nothing else.
#
# > **Predict first.** The variance estimate is unbiased: on average it is exactly right.
# > After 200 generations, where will σ be? Move the slider to your guess, or press **Lock in my guess**
# > to keep it where it stands (σ starts at 1).

# %%
p1 = predict("After 200 generations, the median σ of many runs is about…", number=(0, 2))

# %%
rng = np.random.default_rng(0)
n = 100                                         # samples per generation
data = rng.normal(0.0, 1.0, size=n)             # generation 0 learns from the real world, N(0, 1)
sigmas = []
for generation in range(201):
    mu, sigma = data.mean(), data.std(ddof=1)   # fit: mean, and σ from the unbiased variance (n − 1)
    sigmas.append(sigma)
    data = rng.normal(mu, sigma, size=n)        # sample: the next generation's only training data
print(f"σ after 200 generations in this one run: {sigmas[-1]:.2f}")

# %%
fig, ax = plt.subplots()
ax.plot(sigmas, color=plots.COLORS["replace"])
ax.axhline(1.0, color=plots.COLORS["world"], linestyle=":", label="real world, σ = 1")
ax.set(xlabel="generation", ylabel="standard deviation σ", yscale="log", title="one run of the loop")
ax.set_yticks([0.1, 0.2, 0.5, 1, 2], labels=["0.1", "0.2", "0.5", "1", "2"])
ax.legend();

# %% [markdown]
# One run wanders, so a single curve proves little. `simulate` runs the same loop for many
# independent **seeds** (runs that differ only in their random numbers) at once, and we follow the
# **median** run: half of the runs lie above it, half below. (For a Gaussian it can even skip drawing
# the samples: the fit depends on them only through their mean and sum of squares, whose laws are
# known exactly, so 200 runs of 200 generations take milliseconds.) Section 2 derives what theory
# expects, and the line below prints it beside the simulation.

# %%
G, seeds = 200, 200
history = simulate(Gaussian(), GaussianModel(), generations=G, samples=n, seeds=seeds, seed=0)
median_sigma = history.median("std")
theory = worlds.gaussian.std_theory(n, G)          # (median, 10% quantile, 90% quantile) of σ, section 2
print(f"median σ over {seeds} runs: generation {G // 2}: {median_sigma[G // 2]:.2f} (theory {theory[0][G // 2]:.2f}), "
      f"generation {G}: {median_sigma[G]:.2f} (theory {theory[0][G]:.2f})")
reveal(p1, median_sigma[G], theory=theory[0][G])

# %% [markdown]
# The median of 200 runs is itself uncertain (by about ±10% at generation 200, because single runs
# spread widely: theory puts the middle 80% of them between 0.10 and 1.3), so 0.41 measured and
# 0.36 expected agree. Either way σ has lost about two thirds of its size.
#
# ### The explorer: this loop with every setting at hand
#
# The explorer runs a smaller version of this experiment (20 runs, 100 generations) and redraws when you change a
# setting. Its top-left panel is σ with the theory's median (dashed) and band (hatched); its **band**
# (shaded) holds the middle 80% of the runs, from the 10% to the 90% quantile. **Try this** (the
# later sections come back to each):
# - Predict, then set **real data** to 0.1: does σ still fall? Is the band as narrow as at
#   generation 0?
# - With real data 0.1, switch **real source** to fixed (one real set reused): where does σ settle
#   now?
# - Switch **training set** to accumulate, then to accumulate-subsample: how far does σ fall?
# - Make **samples / gen** 10, then 1000: how does the speed of collapse change?
# - Choose **gate** top likelihood: on the log σ axis the fall is a straight line. By what factor
#   does σ shrink each generation? (Predict it first: exercise 4.)

# %%
explorer = dashboards.gaussian()
explorer

# %% [markdown]
# The explorer's figure for its default settings, kept as a picture so this page reads well
# without a running kernel:

# %%
explorer.figure

# %% [markdown]
# ## 2. Why σ drifts to zero: a random walk on a log scale
#
# Refitting on n samples of N(μ, σ²) gives a variance σ²_next = σ² · χ²ₙ₋₁ / (n − 1): the old
# variance times a random factor whose **mean is 1** (that is what unbiased means). But what
# compounds over generations is a *product* of such factors, and a product is governed by the mean
# of the **logarithm**, which is negative (Jensen's inequality, log being concave). That mean is the
# **drift** of log σ²: how much it moves per generation, on average. It is the mean of the log of a
# χ² variable, a standard result:
#
# E[log σ²_next − log σ²] = ψ((n−1)/2) + log(2/(n−1)) = `worlds.gaussian.log_var_drift(n)` < 0,
#
# where ψ is the digamma function (`scipy.special.digamma`) and log the natural logarithm.
#
# **Exercise 1 (drift).** Compute the drift for n = 100 from the formula, without `worlds.gaussian.log_var_drift`.

# %%
from scipy.special import digamma     # ψ
my_drift = ...                         # your answer: ψ((n − 1)/2) + log(2/(n − 1)) for n = 100
q1.check(my_drift)
# q1.hint()       # a nudge
# q1.solution()   # the answer

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_drift = digamma(99 / 2) + np.log(2 / 99)    # -0.0101, the same as worlds.gaussian.log_var_drift(100)
# ```
# log σ² loses about 1% per generation, close to −1/n.
# </details>
#
# So log σ² is a **random walk** (a quantity that moves by an independent random step each
# generation) with a downward drift: E[log σ²_g] ≈ g · `log_var_drift(n)`, and σ halves every
# 2·log 2 / |drift| generations.
#
# What the paper proves is less, and different. Shumailov et al. (2024, Theorem 3.1) show that in
# this setting σ goes to zero *almost surely* (with probability 1), while the expected squared
# **Wasserstein distance** to the real distribution grows without bound. (The Wasserstein-2 distance
# W₂ measures how much probability mass must move, and how far, to turn one distribution into the
# other; for two normals it is √((μ − μ₀)² + (σ − σ₀)²). It grows because the mean μ wanders too.)
# The theorem gives no rate for σ → 0. The rate here is our own calculation from the log-χ² moments;
# for rates of collapse proved in general see Suresh, Thangaraj & Khandavally (AISTATS 2025), who find
# that σ goes to zero on a time scale of about n generations.
#
# **Check (what the paper proves).** Which does Shumailov et al.'s Theorem 3.1 state? (a) σ halves
# every 2·log 2/|drift| generations; (b) a little fresh real data stops the collapse; (c) σ → 0 almost
# surely, and the expected squared W₂ distance to the data grows without bound.

# %%
check_theorem = Exercise("Check (what the paper proves)", judge=lessons.gaussian.CHECK_THEOREM)
check_theorem.check(...)    # your answer: "a", "b" or "c"

# %% [markdown]
# <details><summary>Solution</summary>
#
# (c). The halving time (a) is this notebook's own calculation, and real data (b) are other papers'.
# </details>
#
# Now the rate in numbers:

# %%
drift = worlds.gaussian.log_var_drift(n)
halving = 2 * np.log(2) / -drift
print(f"drift of log σ² per generation for n = {n}: {drift:.4f}")
print(f"σ halves every {halving:.0f} generations")

# generation 0 is itself one fit (to real data), so after generation g there have been g + 1 fits
g = np.arange(G + 1)
measured = np.log(history["std"] ** 2).mean(axis=0)
predicted = (g + 1) * drift
standard_error = np.sqrt((g[-1] + 1) * worlds.gaussian.log_var_spread(n) / seeds)
print(f"mean log σ² at generation {G}: measured {measured[-1]:.2f}, theory {predicted[-1]:.2f} "
      f"(± {standard_error:.2f} from {seeds} runs)")

# %%
ax = plots.metric(history, "std", theory=theory, log=True)
ax.set_title(f"σ over generations, n = {n}: {seeds} runs against theory")
plt.show()

# %% [markdown]
# The simulation's median follows the theory's, and its band (the middle 80% of the 200 runs) matches
# the theory's hatched band: it widens like √g because the random walk's steps have a variance too
# (`worlds.gaussian.log_var_spread(n)`).
#
# ### The whole loop in one line
#
# Since only σ matters, the loop collapses to one line per generation,
# σ_next = σ · √(χ²ₙ₋₁ / (n − 1)), and all 200 runs of it to two lines of numpy:

# %%
steps = rng.chisquare(n - 1, size=(seeds, G + 1)) / (n - 1)   # (seeds, generations + 1): one factor per fit
sigma_walk = np.sqrt(np.cumprod(steps, axis=1))               # σ after each generation, starting from σ = 1
print(f"median σ at generation {G}: one-line walk {np.median(sigma_walk[:, -1]):.2f}, "
      f"simulate {median_sigma[-1]:.2f}, theory {theory[0][-1]:.2f}")

# %% [markdown]
# ## 3. The tails go first
#
# σ shrinks slowly: it loses about 5% every ten generations. But a model's **tails** — the
# **tail mass** it puts beyond 2σ or 3σ of the real world, that is the probability of a sample
# farther than 2 (or 3) from the real mean 0 — depend on σ steeply.
#
# > **Predict first.** At generation 100 σ has lost about 40% of its size (theory's median 0.60). How
# > much of the mass beyond 3σ of the original world do you expect to be left in the median run?

# %%
p2 = predict("When σ has lost about 40%, the median run's mass beyond 3σ that is left is…",
             ["about two thirds", "about a half", "a tenth or less"])

# %% [markdown]
# The tail mass spans many orders of magnitude from run to run, so we take 4000 runs (under a
# second on the exact Gaussian path).
#
# <details><summary>Why 4000 runs, not 200</summary>
#
# The tail mass depends on σ *and* on how far the mean μ has wandered, and from run to run it spans
# many orders of magnitude, so the median of 200 runs is too noisy to read: at generation 100 it
# swings from well under 1% to about 7% of the real 3σ tail between one batch of 200 runs and the
# next. (With 200 runs it even sits above 1 for the first 30-odd generations: μ wanders before σ has
# shrunk, and a shifted normal puts more mass over one side.)
# </details>

# %%
many = simulate(Gaussian(), GaussianModel(), generations=G, samples=n, seeds=4000, seed=1)
real = {"std": 1.0,                                    # the real world's values: the yardstick
        "tail_2sd": float(metrics.gaussian_tail_mass(0.0, 1.0, 2)),
        "tail_3sd": float(metrics.gaussian_tail_mass(0.0, 1.0, 3))}
share_left = {name: many.median(name) / value for name, value in real.items()}   # share of the real value left

fig, ax = plt.subplots()
for name, color, line in zip(real, ["black", "blue", "vermillion"], ["-", "--", ":"]):   # style, not colour alone
    ax.plot(share_left[name], color=plots.PALETTE[color], linestyle=line, label=plots.metric_label(name))
ax.set(yscale="log", ylim=(1e-4, 2), xlabel="generation", ylabel="share of the real world's value",
       title="median over 4000 runs")
ax.legend(loc="lower left");

# %%
for gen in (G // 4, G // 2, G):                # generations 50, 100, 200
    print(f"generation {gen:3d}: σ {share_left['std'][gen]:6.1%} (theory {theory[0][gen]:6.1%})   "
          f"beyond 2σ {share_left['tail_2sd'][gen]:6.1%}   beyond 3σ {share_left['tail_3sd'][gen]:7.2%}")
tail_left = share_left["tail_3sd"][G // 2]    # at generation 100, σ has lost about 40%
reveal(p2, f"{tail_left:.1%} of the 3σ tail at generation {G // 2}",
       answer="a tenth or less" if tail_left <= 0.1 else "about a half" if tail_left < 0.6 else "about two thirds")

# %% [markdown]
# By generation 100 σ has kept about 60% of its size (theory 0.60), the mass beyond 2σ under a third,
# and the mass beyond 3σ only one to three percent: the rare events are forgotten long before the
# distribution as a whole looks different. That is the *median* run. Averaged over the 4000 runs, the
# mass beyond 3σ at generation 100 is about 15 times the real tail: the mean μ wanders, and a run that
# drifted puts much of its mass on one side. Forgetting the tails and putting mass where the world has
# little happen together. The samples of a typical run (the one whose final σ is
# the median of the 200 runs) show the same: they narrow and wander off centre, and the far tails of
# the dotted real-world density are no longer reached.

# %%
typical = plots.typical_seed(history, "std")       # the run whose final σ is the median of all 200
ax = plots.histograms(history, generations=plots.spread_generations(history, 3), bins=24, world=Gaussian(), seed=typical)
ax.set_title(f"the samples of a typical run (seed {typical} of {seeds}: the median final σ)")
plt.show()

# %% [markdown]
# Shumailov et al. call this first stage, the loss of the tails, *early model collapse*, and the
# later convergence to a distribution with little variance left, unlike the original, *late model
# collapse*. Here both come from the same random walk.
#
# ## 4. Replace, accumulate, or accumulate and subsample?
#
# Above, each generation trained only on the newest samples: **replace**. In practice old data is
# rarely thrown away: the web keeps the human text it had, and adds model output on top. In
# **accumulate** mode every generation trains on *all* data so far, real and synthetic. In
# **accumulate-subsample** mode the data pile up the same way, but each generation trains on a
# random subset of fixed size n of them (a fixed training budget).
#
# > **Predict first.** With accumulation, generation 200 trains on 20,100 points, of which only 100
# > are real. What happens to σ?

# %%
p3 = predict("With accumulate, after 200 generations σ…",
             ["drifts to zero as before", "drifts to zero, more slowly", "stays near 1"])

# %%
accumulated = simulate(Gaussian(), GaussianModel(), generations=G, samples=n, seeds=seeds, seed=0, mode="accumulate")
subsampled = simulate(Gaussian(), GaussianModel(), generations=G, samples=n, seeds=40, seed=0,  # draws every sample:
                      mode="accumulate-subsample")                                          # 40 runs, a few seconds
modes = {"replace": history, "accumulate": accumulated, "accumulate-subsample (40 runs)": subsampled}
ax = plots.compare(modes, "std", log=True, colors={"accumulate-subsample (40 runs)": plots.PALETTE["sky"]})
ax.axhline(1.0, color=plots.COLORS["world"], linestyle=":", linewidth=1.2)
ax.set_title("three ways to build the training set (bands: middle 80% of the runs)")
for label, h in modes.items():
    low, high = np.quantile(h.final("std"), [0.1, 0.9])
    print(f"{label:>31}: median σ at generation {G}: {h.median('std')[-1]:.2f} (middle 80% of runs: {low:.2f}–{high:.2f})")
kept = accumulated.median("std")[-1]
plt.show()
reveal(p3, f"median σ {kept:.2f}", answer="stays near 1" if 0.8 < kept < 1.25 else "drifts to zero, more slowly")

# %% [markdown]
# Accumulating stops the collapse: σ stays near 1. Each new generation is a smaller and smaller
# share of the growing training set, so its errors matter less and less and their sum stays
# bounded (exercise 5 works out why). Accumulate-subsample keeps σ near 1 here too, with a wider
# band. Try both in the explorer's **training set**.
#
# <details><summary>Going further: what the papers prove about accumulating</summary>
#
# Gerstgrasser et al. (2024) *prove* such a bound for linear
# regression (the test error stays below a fixed multiple, π²/6, of the error with real data alone)
# and find the same in language models; Kazdan et al. (2024) show the same contrast for fitting
# multivariate Gaussians, kernel density estimates and language-model fine-tuning; and Dey & Donoho
# (2024) prove the π²/6 bound for a broad family of statistical models. Accumulate-subsample, also
# from Kazdan et al., has an error that grows slowly and levels off, rather than exploding as with
# replace. Careful with the comparison: at generation 200 accumulate trains on 20,100 points, replace
# on 100; accumulate-subsample is the fair one at equal training-set size.
# </details>
#
# ## 5. Fresh real data, or one real set reused?
#
# Another remedy: mix a share of real data into every generation's training set. The **real
# fraction** ρ is that share: 0.02 means 2 of every 100 training samples are real, the other 98 the
# previous model's samples. The real part can be **fresh** (new draws from the world every
# generation) or a **fixed real set**, drawn once and reused in every generation.
#
# > **Predict first.** With just 2 fresh real samples out of 100 per generation, what happens to the
# > median σ and to the spread of the runs?

# %%
p4 = predict("With 2 fresh real samples out of 100 per generation, after 200 generations…",
             ["the median σ still drifts to zero", "the median stays near 1, but runs still spread widely",
              "the median stays near 1 and every run is close to 1"])

# %%
anchored = {f"{share:.0%} real": simulate(Gaussian(), GaussianModel(), generations=G, samples=n, seeds=seeds,
                                          seed=0, real_fraction=share)
            for share in (0.02, 0.10)}
ax = plots.compare({"no real data": history, **anchored}, "std", log=True,
                   colors={"no real data": plots.COLORS["replace"], "2% real": plots.PALETTE["sky"],
                           "10% real": plots.COLORS["real"]})
ax.set_title("fresh real data in every generation (bands: middle 80% of 200 runs)")
for label, h in anchored.items():
    low, high = np.quantile(h.final("std"), [0.1, 0.9])
    print(f"{label:>8}: median σ at generation {G}: {h.median('std')[-1]:.2f} (middle 80% of the runs: {low:.2f}–{high:.2f})")
two, (low2, high2) = anchored["2% real"].median("std")[-1], np.quantile(anchored["2% real"].final("std"), [0.1, 0.9])
plt.show()
reveal(p4, f"median σ {two:.2f}, middle 80% of the runs {low2:.2f}–{high2:.2f}",   # options: drifts / wide / tight
       answer=p4.options[0 if two < 0.85 else 1 if high2 / low2 > 1.5 else 2])

# %% [markdown]
# With **2 fresh real samples out of 100** per generation the *median* σ stays near 1, but single
# runs still wander widely; with 10 they wander much less. Any share ρ > 0 stops the drift of the
# median; what the share sets is how far single runs wander.
#
# <details><summary>Going further: the spread, worked out (an AR(1) process)</summary>
#
# The real data pull σ² back towards 1 by a share ρ every generation, while every fit adds sampling
# noise of variance about 2/n. The two balance at a spread of log σ² of
#
# sd(log σ²) ≈ √(2 / (n·ρ·(2 − ρ))) = `lessons.gaussian.anchored_log_var_sd(n, ρ)`,
#
# which is the spread of a *single* fit to about n·ρ·(2 − ρ) + 1 ≈ 2ρn real samples.
# </details>
#
# So the anchor
# stops the drift but not the uncertainty: with 2% real data σ is as unsure as a fit to about 5 real
# points. The figure checks this against simulation (300 generations, long enough to settle).

# %%
settled = {share: simulate(Gaussian(), GaussianModel(), generations=300, samples=n, seeds=400, seed=2,
                           real_fraction=share) for share in (0.02, 0.05, 0.1, 0.2, 0.5)}
ax = plots.anchored_spread(settled, n)
ax.set_title("how uncertain σ stays with fresh real data")
for share, h in settled.items():
    print(f"ρ = {share:4.0%}: sd of log σ² {np.log(h.final('std') ** 2).std():.2f} "
          f"(theory {lessons.gaussian.anchored_log_var_sd(n, share):.2f}), like a fit to "
          f"{lessons.gaussian.equivalent_real_samples(n, share):.0f} real samples")
plt.show()

# %% [markdown]
# Bertrand et al. (ICLR 2024) prove that retraining on a mix stays stable when the share of real data
# is large enough *and* the first model is already close to the data distribution; here generation 0
# is a fit to 100 real samples, close enough.
#
# Now the **fixed real set**. Alemohammad et al. (ICLR 2024) compare three loops on image models: a
# *fully synthetic* loop, a *synthetic augmentation* loop (a fixed real set plus synthetic data), and a
# *fresh data* loop. They find that a fixed real set only delays the loss of quality or diversity, and
# that only enough fresh real data in every generation keeps both. Here are their three loops with
# 10% real data, beside accumulate and accumulate-subsample, measured by the Wasserstein distance to
# the real N(0, 1).

# %%
fixed = simulate(Gaussian(), GaussianModel(), generations=G, samples=n, seeds=seeds, seed=0, real_fraction=0.10,
                 real_source="fixed")
loops = {"fully synthetic": history, "10% fixed real set": fixed, "10% fresh real": anchored["10% real"],
         "accumulate": accumulated, "accumulate-subsample (40 runs)": subsampled}
ax = plots.compare(loops, "wasserstein", band=False, colors={"10% fixed real set": plots.COLORS["minority"],
                   "10% fresh real": plots.COLORS["real"], "accumulate-subsample (40 runs)": plots.PALETTE["sky"]})
ax.set_title("distance to the real world: medians over 200 runs")
distance = {label: h.median("wasserstein")[-1] for label, h in loops.items()}
print("median W₂ at generation 200: " + ", ".join(f"{k} {v:.2f}" for k, v in distance.items()))
plt.show()

# %% [markdown]
# In this toy the fixed real set does stop σ from going to zero, but it holds the model near a fit
# to those 10 fixed points, with the loop's noise on top: its distance settles well above the fresh
# loop's, and stays there (the explorer's second suggestion shows it at 10% real data). Fresh data keeps
# correcting the model; a fixed set can only pull it back to the same imperfect place.
#
# <details><summary>Going further: why accumulating, with no new real data, ends closest</summary>
#
# How does that square with accumulating, which also never sees new real data, yet ends closest?
# Accumulate keeps its 100 real points *and every synthetic sample*, so each generation's sampling
# error enters with weight 1/(g + 1) and fades; the fixed-set loop throws its synthetic data away
# each generation, so fresh sampling error enters at full weight every time. Accumulate-subsample
# trains on n points a generation, like replace, but draws them from the whole pile, so old (and
# real) data keep a chance: it ends between the two.
# </details>
#
# ## Exercises
#
# Each exercise has a cell for your answer. Put your code in your own names (`my_…`): nothing else
# in the notebook uses them, so try anything. `check` answers back; uncomment `hint()` or
# `solution()` when you are stuck. The solutions are also folded under each exercise.
#
# **Exercise 2 (sample size).** Use `worlds.gaussian.log_var_drift` to predict how many generations σ needs to halve when
# each generation has n = 10 samples, and when it has n = 1000. Check one of them with `simulate`.

# %%
my_halving = [..., ...]     # your answer: generations for σ to halve at n = 10 and at n = 1000
q2.check(my_halving)
# q2.hint()
# q2.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_halving = [2 * np.log(2) / -worlds.gaussian.log_var_drift(n_) for n_ in (10, 1000)]   # about [12, 1384]
# h10 = simulate(Gaussian(), GaussianModel(), generations=24, samples=10, seeds=500, seed=1)
# print(h10.median("std")[[12, 24]])                         # about 0.46 and 0.21: halved, and halved again
# ```
# The drift is close to −1/n for large n, so the halving time grows in proportion to the sample
# size: ten times more data per generation buys about ten times more generations, not immunity.
# </details>
#
# **Exercise 3 (temperature).** Sampling at **temperature** T from a normal distribution means sampling from
# N(μ, T·σ²): T below 1 makes the samples more typical, T above 1 more adventurous. With T = 0.95,
# how many generations does σ need to halve at n = 100?

# %%
my_halving_t = ...          # your answer: generations for σ to halve at n = 100, temperature 0.95
q3.check(my_halving_t)
# q3.hint()
# q3.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# Each generation now also multiplies σ² by T, so the drift of log σ² becomes
# `worlds.gaussian.log_var_drift(100) + np.log(0.95)` ≈ −0.0101 − 0.0513 = −0.061, and σ halves in about
# 2·log 2 / 0.061 ≈ 23 generations instead of 137. A small bias towards likely samples, compounded,
# beats the sampling noise by a factor of five. Check it with
# `simulate(..., temperature=0.95)` or in the explorer.
# </details>
#
# **Exercise 4 (a naive quality filter).** A **gate** filters each generation's samples before the next
# generation trains on them. `collapse_lab.TopLikelihood(0.9)` keeps the 90% of each generation's
# samples that the model itself finds most likely: what Alemohammad et al. (ICLR 2024) call
# **sampling bias**, trading diversity for typical, "high-quality" samples. By what factor does σ
# shrink per generation? Predict it, then measure it:
# `(median σ at generation 20 / median σ at generation 0) ** (1 / 20)`.

# %%
my_filtered = simulate(Gaussian(), GaussianModel(), generations=20, samples=100, seeds=50, seed=0,
                       gate=collapse_lab.TopLikelihood(0.9))
my_factor = ...             # your answer: σ's factor per generation (σ after / σ before)
q4.check(my_factor)
# q4.hint()
# q4.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_factor = (my_filtered.median("std")[20] / my_filtered.median("std")[0]) ** (1 / 20)   # about 0.79
# ```
# Keeping the most likely 90% of a normal sample cuts everything beyond 1.645σ, and the variance of
# what is left is about 0.62 of the original. So σ shrinks by a factor of about √0.62 ≈ 0.79 *every
# generation*: it halves in 3 generations. Selecting by the model's own likelihood keeps the most
# typical samples and loses the tails, then the spread. Notebooks 04 and 05 show that with words
# the same selection can even raise per-sample quality while diversity falls.
# </details>
#
# **Exercise 5 (why does accumulating work?).** In accumulate mode, write `my_share(g)`: the share of
# generation g's training set that is generation g's own new data (generation 0 trains on n real
# points; every generation adds n). Then use it to explain why the total drift stays bounded.

# %%
def my_share(g):
    return ...              # your answer: a formula in g
q5.check(my_share)
# q5.hint()
# q5.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_share(g):
#     return 1 / (g + 1)
# ```
# At generation g the training set holds (g + 1)·n points and the newest n are a share 1/(g + 1) of
# it. The newest generation's sampling error can move the fit only in proportion to its share, so
# its contribution to the variance of the estimate is of order 1/(n·(g + 1)²). Summed over all
# generations that is at most (1/n)·Σ 1/k² = (1/n)·π²/6: a finite total, however long the loop runs.
# With replace, every generation contributes a full 1/n, and the sum grows without bound. (This is a
# heuristic; Gerstgrasser et al. prove the π²/6 bound for linear regression, Dey & Donoho for a broad
# family of statistical models.)
# </details>
#
# **Exercise 6 (what a real-data anchor is worth).** With n = 100 samples per generation and a fresh real
# fraction ρ = 0.05, a single fit to how many real samples is as uncertain about σ² as the settled
# loop? (A fit to N real points has Var(log σ²) ≈ 2/(N − 1).)

# %%
my_equivalent = ...         # your answer: a number of real samples
q6.check(my_equivalent)
# q6.hint()
# q6.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_equivalent = 100 * 0.05 * (2 - 0.05) + 1    # 10.75, = lessons.gaussian.equivalent_real_samples(100, 0.05)
# ```
# Setting 2/(N − 1) equal to the loop's 2/(n·ρ·(2 − ρ)) gives N ≈ 11, about 2ρn = 10: the noise of
# about the last 1/(2ρ) generations piles up before the pull back to the real data forgets it. The
# median stays at 1, but the loop is as unsure of σ as a fit to about 10 real points, not to 100.
# </details>

# %% [markdown]
# ## From toy to practice
#
# | in this notebook | in a real training pipeline |
# |---|---|
# | σ, the model's spread | the diversity of its outputs: how varied its answers, styles and topics are |
# | mass beyond 3σ | the long tail: rare facts, dialects, unusual but valid answers |
# | samples per generation n | how much text each model generation writes and the next one trains on |
# | real fraction ρ, fresh or fixed | newly collected human data each round, or one curated human set reused |
# | accumulate | keeping every earlier dataset instead of replacing it with the newest output |
#
# **Where the analogy stops.** A Gaussian has two numbers to learn and its fit is exact, so all of its
# collapse is sampling noise compounded. A real model has billions of parameters, never fits exactly,
# generalises between examples, and is often trained from the previous checkpoint rather than from
# scratch; its errors add to the sampling noise here, and the rates of this notebook do not carry over.

# %% [markdown]
# ## Key points
#
# - Refitting a Gaussian on its own samples makes log σ² a random walk with a negative drift,
#   ψ((n−1)/2) + log(2/(n−1)) ≈ −1/n per generation: σ goes to zero even though each fit is unbiased
#   (Shumailov et al. prove σ → 0 almost surely; the rate is the log-χ² drift).
# - In the median run the tails vanish much faster than σ (early collapse); the spread follows (late
#   collapse). Averaged over runs, mass beyond 3σ even grows, because the mean wanders.
# - Accumulating all data bounds the damage; accumulate-subsample nearly so. Fresh real data every
#   generation stops the drift, but a share ρ leaves σ only as certain as a fit to about 2ρn real
#   samples. A fixed real set, reused, holds the model near that set's own imperfect fit.

# %% [markdown]
# ## References
#
# <details><summary>The papers and sources cited in this notebook</summary>
#
# - Shumailov, I., Shumaylov, Z., Zhao, Y., Papernot, N., Anderson, R. & Gal, Y. (2024). AI models collapse
#   when trained on recursively generated data. *Nature* 631, 755–759. Theorem 3.1: in the Gaussian case
#   σ → 0 almost surely and the expected squared Wasserstein-2 distance to the data grows without bound.
# - Suresh, A. T., Thangaraj, A. & Khandavally, A. N. K. (2025). Rate of model collapse in recursive
#   training. AISTATS 2025 (PMLR 258): the rates; σ goes to zero in about n generations.
# - Gerstgrasser, M. et al. (2024). Is model collapse inevitable? Breaking the curse of recursion by
#   accumulating real and synthetic data. arXiv:2404.01413: the accumulate bound, proved for linear regression.
# - Kazdan, J., Schaeffer, R., Dey, A., Gerstgrasser, M., Rafailov, R., Donoho, D. & Koyejo, S. (2024).
#   Collapse or thrive? Perils and promises of synthetic data in a self-generating world. arXiv:2410.16713:
#   replace vs accumulate for Gaussians, kernel density estimates and language models; accumulate-subsample.
# - Dey, A. & Donoho, D. (2024). Universality of the π²/6 pathway in avoiding model collapse. arXiv:2410.22812.
# - Alemohammad, S. et al. (2024). Self-consuming generative models go MAD. ICLR 2024 (arXiv:2307.01850):
#   fully synthetic, synthetic augmentation (fixed real set) and fresh data loops; sampling bias.
# - Bertrand, Q. et al. (2024). On the stability of iterative retraining of generative models on their own
#   data. ICLR 2024: stable when the first model is close to the data and the share of real data is large enough.
# </details>

# %% [markdown]
# ## Self-check
#
# Confirms that every claim above holds. `lessons.gaussian.self_check()` recomputes what it asserts from its
# own seeded runs at the lesson's settings, so whatever you changed or tried above cannot make it fail.
# Its claims, one short function per section, are in `collapse_lab/lessons/gaussian.py`.

# %%
print(lessons.gaussian.self_check())
