# %% [markdown]
# # 01 · Gaussian collapse: a random walk to zero
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/01_gaussian_collapse.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/01_gaussian_collapse.ipynb)
#
# **Questions**
# - If every fit is unbiased, why does a model trained on its own samples lose its spread?
# - How fast does it happen, and why do the tails go first?
# - What stops it: keeping old data, or adding fresh real data?
#
# **Objectives**
# - Read the whole collapse loop in a dozen lines of numpy.
# - Predict the shrinking of σ from the sample size alone and check it against 200 runs
#   (Shumailov et al. 2024, Theorem 3.1).
# - Measure how much faster the mass beyond 2σ and 3σ vanishes than σ itself.
# - Compare *replace* with *accumulate* (Gerstgrasser et al. 2024), and find how little real data is enough.
#
# **Time:** about 25 minutes (10 reading and running, 15 exercises).
#
# **How this notebook works.** Run the cells in order (Shift+Enter). Where it says *Predict first*,
# pick your guess before running on: the next cells measure the answer and show it beside your guess.
# Each exercise has a cell for your answer: `q2.check(...)` says whether it is right and, if not,
# what is probably wrong; `q2.hint()` gives a nudge and `q2.solution()` the worked answer (also folded
# under the exercise). Terms in **bold** are defined where they first appear, and all of them in
# [the glossary](../docs/glossary.md).

# %%
# On Colab (or wherever the course is not installed yet) install it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q git+https://github.com/model-collapse-lab/model-collapse-lab
from collapse_lab.lesson import *    # np, plt, simulate, Gaussian, GaussianModel, plots, toys, predict, ...
from collapse_lab.exercises.gaussian import q1, q2, q3, q4, q5    # this lesson's exercises
start("01")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## 1. The loop in a dozen lines
#
# The model is a normal distribution, fitted by its sample mean μ and its *unbiased* **standard
# deviation σ** (the spread of the data; "unbiased" means the estimate divides by n − 1, which makes
# the estimated variance σ² right *on average*). The real world is N(0, 1): mean 0, σ = 1.
# **Generation** 0 fits n = 100 real samples; every later generation fits 100 samples drawn from the
# previous generation's fit, and nothing else.
#
# > **Predict first.** The variance estimate is unbiased: on average it is exactly right.
# > After 200 generations, where will σ be? Move the slider to your guess (σ starts at 1).

# %%
p1 = predict("After 200 generations, the median σ of many runs is about…", number=(0, 2))

# %%
rng = np.random.default_rng(0)
n = 100                                         # samples per generation
data = rng.normal(0.0, 1.0, size=n)             # generation 0 learns from the real world, N(0, 1)
sigmas = []
for generation in range(201):
    mu, sigma = data.mean(), data.std(ddof=1)   # fit: mean and unbiased standard deviation
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
# known exactly, so 200 runs of 200 generations take milliseconds.)

# %%
G, seeds = 200, 200
history = simulate(Gaussian(), GaussianModel(), generations=G, samples=n, seeds=seeds, seed=0)
median_sigma = history.median("std")
print(f"median σ over {seeds} runs: generation 100: {median_sigma[100]:.2f}, generation 200: {median_sigma[200]:.2f}")
reveal(p1, median_sigma[G])

# %% [markdown]
# ## 2. Why σ drifts to zero: a random walk on a log scale
#
# Refitting on n samples of N(μ, σ²) gives a variance σ²_next = σ² · χ²ₙ₋₁ / (n − 1): the old
# variance times a random factor whose **mean is 1** (that is what unbiased means). But what
# compounds over generations is a *product* of such factors, and a product is governed by the mean
# of the **logarithm**, which is negative (Jensen's inequality, log being concave). That mean is the
# **drift** of log σ²: how much it moves per generation, on average,
#
# E[log σ²_next − log σ²] = ψ((n−1)/2) + log(2/(n−1)) = `toys.log_var_drift(n)` < 0,
#
# where ψ is the digamma function (`scipy.special.digamma`) and log the natural logarithm.
#
# **Exercise 1 (drift).** Compute the drift for n = 100 from the formula, without `toys`.

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
# my_drift = digamma(99 / 2) + np.log(2 / 99)    # -0.0101, the same as toys.log_var_drift(100)
# ```
# log σ² loses about 1% per generation, close to −1/n.
# </details>
#
# So log σ² is a **random walk** with a downward drift: E[log σ²_g] ≈ g · `log_var_drift(n)`, and
# σ halves every 2·log 2 / |drift| generations. Shumailov et al. (2024, Theorem 3.1) prove that in
# this setting σ goes to zero with probability 1; the drift tells us how fast.

# %%
drift = toys.log_var_drift(n)
halving = 2 * np.log(2) / -drift
print(f"drift of log σ² per generation for n = {n}: {drift:.4f}")
print(f"σ halves every {halving:.0f} generations")

# generation 0 is itself one fit (to real data), so after generation g there have been g + 1 fits
g = np.arange(G + 1)
measured = np.log(history["std"] ** 2).mean(axis=0)
predicted = (g + 1) * drift
standard_error = np.sqrt((g[-1] + 1) * toys.log_var_spread(n) / seeds)
print(f"mean log σ² at generation {G}: measured {measured[-1]:.2f}, theory {predicted[-1]:.2f} "
      f"(± {standard_error:.2f} from {seeds} runs)")

# %%
theory = plots.gaussian_std_theory(n, G)          # (median, 10% quantile, 90% quantile) of σ
ax = plots.metric(history, "std", theory=theory, log=True)
ax.set_title(f"σ over generations, n = {n}: {seeds} runs against theory")
plt.show()

# %% [markdown]
# The simulation's median follows the theory's, and its band (the middle 80% of the 200 runs, from
# the 10% to the 90% quantile) matches the theory's band: it widens like √g because the random
# walk's steps have a variance too (`toys.log_var_spread(n)`).
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
# > **Predict first.** When σ has lost about a third of its size, how much of the mass beyond 3σ
# > of the original world do you expect to be left?

# %%
p2 = predict("When σ has lost a third, the mass beyond 3σ that is left is…",
             ["about two thirds", "about a half", "a tenth or less"])

# %%
real = {"std": 1.0,                                    # the real world's values: the yardstick
        "tail_2sd": float(metrics.gaussian_tail_mass(0.0, 1.0, 2)),
        "tail_3sd": float(metrics.gaussian_tail_mass(0.0, 1.0, 3))}
share_left = {name: history.median(name) / value for name, value in real.items()}   # share of the real value left

fig, ax = plt.subplots()
for name, color, line in zip(real, ["black", "blue", "vermillion"], ["-", "--", ":"]):   # style, not colour alone
    ax.plot(share_left[name], color=plots.PALETTE[color], linestyle=line, label=plots.metric_label(name))
ax.set(yscale="log", ylim=(1e-4, 2), xlabel="generation", ylabel="share of the real world's value",
       title="median over 200 runs")
ax.legend(loc="lower left");

# %%
for gen in (50, 100, 200):
    print(f"generation {gen:3d}: σ {share_left['std'][gen]:6.1%}   beyond 2σ {share_left['tail_2sd'][gen]:6.1%}   "
          f"beyond 3σ {share_left['tail_3sd'][gen]:7.2%}")
tail_left = share_left["tail_3sd"][100]    # at generation 100, σ has lost about a third
reveal(p2, f"{tail_left:.1%} of the 3σ tail at generation 100",
       answer="a tenth or less" if tail_left <= 0.1 else "about a half" if tail_left < 0.6 else "about two thirds")

# %% [markdown]
# By generation 100 σ has kept about two thirds of its size, the mass beyond 2σ well under half,
# and the mass beyond 3σ only a few percent: the rare events are forgotten long before the
# distribution as a whole looks different. The samples of a typical run (the one whose final σ is
# the median of all 200) show the same: they narrow and wander off centre, and the far tails of
# the dotted real-world density are no longer reached.

# %%
typical = int(np.argsort(history.final("std"))[seeds // 2])       # the run with the median final σ
ax = plots.histograms(history, generations=[0, 100, 200], bins=24, world=Gaussian(), seed=typical)
ax.set_title("the samples of a typical run")
plt.show()

# %% [markdown]
# ## 4. Replace or accumulate?
#
# Above, each generation trained only on the newest samples: **replace**. In practice old data is
# rarely thrown away: the web keeps the human text it had, and adds model output on top. In
# **accumulate** mode every generation trains on *all* data so far, real and synthetic.
#
# > **Predict first.** With accumulation, generation 200 trains on 20,100 points, of which only 100
# > are real. What happens to σ?

# %%
p3 = predict("With accumulate, after 200 generations σ…",
             ["drifts to zero as before", "drifts to zero, more slowly", "stays near 1"])

# %%
accumulated = simulate(Gaussian(), GaussianModel(), generations=G, samples=n, seeds=seeds, seed=0, mode="accumulate")
ax = plots.compare({"replace": history, "accumulate": accumulated}, "std", log=True)
ax.axhline(1.0, color=plots.COLORS["world"], linestyle=":", linewidth=1.2)
ax.set_title("replace vs accumulate, 200 runs each")
low, high = np.quantile(accumulated.final("std"), [0.1, 0.9])
print(f"median σ at generation {G}: replace {history.median('std')[-1]:.2f}, "
      f"accumulate {accumulated.median('std')[-1]:.2f} (middle 80% of the runs: {low:.2f}–{high:.2f})")
kept = accumulated.median("std")[-1]
plt.show()
reveal(p3, f"median σ {kept:.2f}", answer="stays near 1" if 0.8 < kept < 1.25 else "drifts to zero, more slowly")

# %% [markdown]
# Accumulating stops the collapse: σ stays near 1. Each new generation is a smaller and smaller
# share of the growing training set, so its errors matter less and less and their sum stays
# bounded (Gerstgrasser et al. 2024 prove this, and find the same in language models;
# exercise 5 below works out why).
#
# ## 5. How much real data is enough?
#
# A third remedy: mix a share of **fresh real data** into every generation's training set. The
# **real fraction** is that share: 0.02 means 2 of every 100 training samples are new draws from
# the real world, the other 98 the previous model's samples.
#
# > **Predict first.** With 100 samples per generation, how many of them must be real to stop the drift?

# %%
p4 = predict("To stop the drift, the real samples needed out of 100 per generation are about…", ["50", "10", "2"])

# %%
anchored = {f"{share:.0%} real": simulate(Gaussian(), GaussianModel(), generations=G, samples=n, seeds=seeds,
                                          seed=0, real_fraction=share)
            for share in (0.02, 0.10)}
ax = plots.compare({"no real data": history, **anchored}, "std", log=True,
                   colors={"no real data": plots.COLORS["replace"], "2% real": plots.PALETTE["sky"],
                           "10% real": plots.COLORS["real"]})
ax.set_title("fresh real data in every generation")
for label, h in anchored.items():
    low, high = np.quantile(h.final("std"), [0.1, 0.9])
    print(f"{label:>8}: median σ at generation {G}: {h.median('std')[-1]:.2f} (middle 80% of the runs: {low:.2f}–{high:.2f})")
two = anchored["2% real"].median("std")[-1]
plt.show()
reveal(p4, f"median σ with 2 real samples: {two:.2f}", answer="2" if 0.85 < two < 1.15 else "10")

# %% [markdown]
# Even **2 real samples out of 100** per generation stop the drift: the median σ stays near 1, though
# single runs still wander widely. With 10 real samples they wander much less. The real data pulls
# σ back every generation, so the random walk can no longer run away to zero.
#
# ## 6. Explore
#
# The explorer runs the same experiment with every setting at hand. Things to try:
# - **samples / gen** 10 instead of 100: how much faster does σ fall? Does the theory still match?
# - **gate** "top likelihood" with strength 0.9: the naive quality filter that keeps the 90% of samples the model finds most likely.
# - **temperature** 0.9: sampling a little more conservatively.
# - **real data** 0.05, then **training set** accumulate.

# %%
explorer = dashboards.gaussian()
explorer

# %% [markdown]
# The explorer's figure for its default settings (samples 100, 100 generations, 20 seeds), kept as
# a picture so this page reads well without a running kernel:

# %%
explorer.figure

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell for your answer. Put your code in your own names (`my_…`): nothing else
# in the notebook uses them, so try anything. `check` answers back; uncomment `hint()` or
# `solution()` when you are stuck. The solutions are also folded under each exercise.
#
# **2. Sample size.** Use `toys.log_var_drift` to predict how many generations σ needs to halve when
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
# my_halving = [2 * np.log(2) / -toys.log_var_drift(n_) for n_ in (10, 1000)]   # about [12, 1384]
# h10 = simulate(Gaussian(), GaussianModel(), generations=24, samples=10, seeds=500, seed=1)
# print(h10.median("std")[[12, 24]])                         # about 0.46 and 0.21: halved, and halved again
# ```
# The drift is close to −1/n for large n, so the halving time grows in proportion to the sample
# size: ten times more data per generation buys about ten times more generations, not immunity.
# </details>
#
# **3. Temperature.** Sampling at **temperature** T from a normal distribution means sampling from
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
# `toys.log_var_drift(100) + np.log(0.95)` ≈ −0.0101 − 0.0513 = −0.061, and σ halves in about
# 2·log 2 / 0.061 ≈ 23 generations instead of 137. A small bias towards likely samples, compounded,
# beats the sampling noise by a factor of five. Check it with
# `simulate(..., temperature=0.95)` or in the explorer.
# </details>
#
# **4. A naive quality filter.** A **gate** filters each generation's samples before the next
# generation trains on them. `collapse_lab.TopLikelihood(0.9)` keeps the 90% of each generation's
# samples that the model itself finds most likely. By what factor does σ shrink per generation?
# Predict it, then measure it: `(median σ at generation 20 / median σ at generation 0) ** (1 / 20)`.

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
# generation*: it halves in 3 generations. Filtering for "quality" by the model's own likelihood is
# exactly cutting the tails (Shumailov et al. 2024; notebook 05 comes back to this).
# </details>
#
# **5. Why does accumulating work?** In accumulate mode, write `my_share(g)`: the share of
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
# With replace, every generation contributes a full 1/n, and the sum grows without bound.
# </details>

# %% [markdown]
# ## Key points
#
# - Refitting a Gaussian on its own samples makes log σ² a random walk with a negative drift,
#   ψ((n−1)/2) + log(2/(n−1)) ≈ −1/n per generation: σ goes to zero even though each fit is unbiased.
# - The tails vanish much faster than σ: by the time σ has lost a third, almost all mass beyond 3σ is gone.
# - Accumulating all data, or mixing in even a few percent of fresh real data, stops the collapse.

# %% [markdown]
# ## References
#
# - Shumailov, I., Shumaylov, Z., Zhao, Y., Papernot, N., Anderson, R. & Gal, Y. (2024). AI models collapse
#   when trained on recursively generated data. *Nature* 631, 755–759. Theorem 3.1: the Gaussian case.
# - Gerstgrasser, M. et al. (2024). Is model collapse inevitable? Breaking the curse of recursion by
#   accumulating real and synthetic data. arXiv:2404.01413.
# - Bertrand, Q. et al. (2024). On the stability of iterative retraining of generative models on their own
#   data. ICLR 2024: a large enough share of real data keeps retraining stable.

# %% [markdown]
# ## Self-check
#
# Confirms that every claim above holds. It recomputes everything it asserts from its own seeded
# runs, under its own names (`check_…`), so whatever you changed or tried above cannot make it fail.

# %%
N, GENS, SEEDS = 100, 200, 200          # the lesson's settings, fixed here
check_replace = simulate(Gaussian(), GaussianModel(), generations=GENS, samples=N, seeds=SEEDS, seed=0)
check_median = check_replace.median("std")
check_drift = toys.log_var_drift(N)
check_theory = plots.gaussian_std_theory(N, GENS)
# σ collapses, as the theory says
assert check_median[-1] < 0.5, f"σ should have fallen below 0.5 by generation {GENS}; median {check_median[-1]:.2f}"
check_log_var = np.log(check_replace["std"][:, -1] ** 2).mean()
check_se = np.sqrt((GENS + 1) * toys.log_var_spread(N) / SEEDS)
assert abs(check_log_var - (GENS + 1) * check_drift) < 3 * check_se, "mean log σ² should match theory within 3 standard errors"
assert check_theory[1][-1] < check_median[-1] < check_theory[2][-1], "the median σ should lie inside the theory's 10–90% band"
check_band = np.quantile(check_replace.final("std"), [0.1, 0.9])
assert np.all(np.abs(np.log(check_band / [check_theory[1][-1], check_theory[2][-1]])) < np.log(1.4)), "the runs' band should match theory's"
assert 0.94 < np.exp(10 * check_drift / 2) < 0.96, "σ should lose about 5% every ten generations"
check_steps = np.random.default_rng(1).chisquare(N - 1, size=(SEEDS, GENS + 1)) / (N - 1)
assert abs(np.median(np.sqrt(np.prod(check_steps, axis=1))) - check_median[-1]) < 0.15, "the one-line walk should match simulate"
# the tails go first: at generation 100 σ keeps about two thirds, the 3σ tail only a few percent
check_share = {name: check_replace.median(name)[100] / float(metrics.gaussian_tail_mass(0.0, 1.0, k))
               for name, k in (("tail_2sd", 2), ("tail_3sd", 3))}
assert 0.55 < check_median[100] < 0.8 and check_share["tail_2sd"] < 0.5 and check_share["tail_3sd"] < 0.1
# accumulating, or a little real data, stops it
check_accumulate = simulate(Gaussian(), GaussianModel(), generations=GENS, samples=N, seeds=SEEDS, seed=0, mode="accumulate")
assert 0.9 < check_accumulate.median("std")[-1] < 1.1, "accumulate should keep σ near 1"
check_real = {share: simulate(Gaussian(), GaussianModel(), generations=GENS, samples=N, seeds=SEEDS, seed=0,
                              real_fraction=share) for share in (0.02, 0.10)}
assert 0.85 < check_real[0.02].median("std")[-1] < 1.15, "2% real data should keep the median σ near 1"
check_spread = {share: np.subtract(*np.quantile(h.final("std"), [0.9, 0.1])) for share, h in check_real.items()}
assert check_spread[0.10] < check_spread[0.02], "more real data should make the runs wander less"
# the exercises' answers (computed from theory in collapse_lab.exercises.gaussian) and their solutions' claims
assert round(float(q2.expected[0])) == 12 and round(float(q2.expected[1])) == 1384 and round(float(q3.expected)) == 23
check_h10 = simulate(Gaussian(), GaussianModel(), generations=24, samples=10, seeds=500, seed=1)
assert 0.4 < check_h10.median("std")[12] < 0.55 and 0.17 < check_h10.median("std")[24] < 0.28
check_filtered = simulate(Gaussian(), GaussianModel(), generations=20, samples=N, seeds=50, seed=0,
                          gate=collapse_lab.TopLikelihood(0.9))
check_factor = (check_filtered.median("std")[20] / check_filtered.median("std")[0]) ** (1 / 20)
assert q4.check(check_factor).correct and check_filtered.median("std")[3] < 0.55, "top-90% should shrink σ by about 0.79 a generation"
print("Self-check passed.")
