# %% [markdown]
# # 05 · Quality gates: filtering without killing diversity
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/05_quality_gates.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/05_quality_gates.ipynb)
#
# **Questions**
# - A synthetic-data flywheel filters its outputs before training on them. Which filters help?
# - Why does the obvious quality filter, "keep what the model is most sure of", make collapse worse?
# - Can a gate raise quality *and* keep diversity?
#
# **Objectives**
# - Measure quality (share of real words) and diversity (distinct real words, tail recall) of gated flywheels.
# - Explain why a likelihood filter trades the tail for apparent quality, and why a verifier does not.
# - Read a quality–diversity plot and find the gates and real-data shares on its frontier.
#
# **Time:** about 30 minutes.

# %%
# On Colab (or wherever the course is not installed yet) install it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q git+https://github.com/model-collapse-lab/model-collapse-lab
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, ...
from collapse_lab.gates import parse as parse_gate
start("05")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## A flywheel with a gate
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
# for 10 generations, 3 seeds side by side. The gates (`collapse_lab.gates`), written as short
# specs and built by `gates.parse` (imported as `parse_gate`):
#
# | spec | gate | keeps |
# |---|---|---|
# | `top:Q` | `TopLikelihood(Q)` | the share Q of words the model itself finds most likely: the naive quality filter |
# | `real` | `Verifier(world.is_real)` | only real words: a check from *outside* the model |
# | `dedup` | `Dedup()` | one copy of each word |
# | `cap:K` | `CapCopies(K)` | at most K copies of each word |
#
# Gates chain with `+`: `real+cap:3` verifies, then caps.
#
# **Quality** is the share of real words the model writes. For **diversity** we count the
# distinct *real* words in 2,000 samples: counting all distinct strings would reward a model that
# babbles, since every misspelling is new. We also watch **tail recall** (notebook 04): the share
# of the rarest words the model still knows.
#
# These runs pass `refill=False`: a word the gate rejects is not replaced, so every gate here also
# shrinks what the model trains on, and part of a gate's effect is that smaller sample. `simulate`'s
# default, `refill=True`, keeps drawing until the training set is full again (its `acceptance`
# metric says what that costs): try it on any run below and compare.

# %%
world = Words(n_words=2000)
RUN = dict(generations=10, samples=2000, seeds=3, seed=0, refill=False)  # gates shrink the training set
runs = {}  # (gate spec, real fraction) -> History; each setting runs once


def run(spec, real_fraction=0.0):
    """The flywheel with one gate and real-data share (cached), with distinct real words added."""
    if (spec, real_fraction) not in runs:
        h = simulate(world, NGramLM(order=4, smoothing=0.01), gate=parse_gate(spec, world),
                     real_fraction=real_fraction, **RUN)
        h.metrics["distinct_real_words"] = words.distinct_real_words(h, world)
        runs[spec, real_fraction] = h
    return runs[spec, real_fraction]

# %% [markdown]
# Two helpers read the runs: `final` gives one number at the last generation, `draw_runs` the curves.

# %%
SHOWN = ("real_word_share", "distinct_real_words", "recall_tail")  # quality, diversity, the tail


def final(spec, name, real_fraction=0.0):
    """Median over seeds at the last generation."""
    return run(spec, real_fraction).median(name)[-1]

# %%
# one colour per gate in every figure (Okabe–Ito)
GATE_COLORS = {"none": plots.PALETTE["blue"], "top:0.9": plots.PALETTE["vermillion"], "top:0.7": plots.PALETTE["orange"],
               "real": plots.PALETTE["green"], "dedup": plots.PALETTE["sky"], "real+cap:3": plots.PALETTE["purple"]}


def draw_runs(specs, axes, real_fraction=0.0):
    """Quality, diversity and tail recall over generations, one line per gate."""
    for ax, name in zip(axes, SHOWN):
        plots.compare({spec: run(spec, real_fraction) for spec in specs}, name, ax=ax, colors=GATE_COLORS)
        if ax is not axes[0]:
            ax.get_legend().remove()  # one legend per figure is enough

# %% [markdown]
# ## The naive filter: keep what the model likes best
#
# `top:0.9` drops the 10% of each generation's words that the model itself finds least likely.
# Misspellings are unlikely, so they go first: this looks like a quality filter.
#
# > **Predict first.** After 10 generations with `top:0.9`, compared with no gate: will the share
# > of real words be higher or lower? And the number of distinct real words?

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
draw_runs(["none", "top:0.9", "top:0.7"], axes)
fig.suptitle("No gate against the likelihood filter (median line; band: the middle 80% of 3 runs)")
plt.show()

g0 = {name: run("none").median(name)[0] for name in SHOWN}
print(f"{'generation 0':>14}: real-word share {g0['real_word_share']:.2f}, distinct real words "
      f"{g0['distinct_real_words']:.0f}, tail recall {g0['recall_tail']:.3f}")
for spec in ("none", "top:0.9", "top:0.7"):
    print(f"{spec:>14}: real-word share {final(spec, 'real_word_share'):.2f}, distinct real words "
          f"{final(spec, 'distinct_real_words'):.0f}, tail recall {final(spec, 'recall_tail'):.3f}")

# %% [markdown]
# The likelihood filter does raise quality: nearly every word it writes after 10 generations is
# a real word, against about half without a gate. But it buys that quality with diversity. With
# `top:0.9` only a handful of distinct real words are left, far fewer than with no gate at all,
# and the rarest words are forgotten faster; `top:0.7` collapses onto one or two words within a
# few generations. (All the numbers are printed above.)
#
# Why: the model finds *frequent* words likely. Each round of the filter removes the least likely
# words, which are the misspellings **and the rare real words**, so the next model sees even fewer
# rare words and finds them even less likely. The filter feeds the collapse it was meant to guard
# against. Alemohammad et al. (2023) found the same in image models: sampling biased towards
# quality makes self-consuming models lose diversity faster.
#
# The samples of one seed under `top:0.9` show it: correct, and ever more of the same words.

# %%
plots.words_table(run("top:0.9"), generations=[0, 2, 5, 10], n=10)

# %% [markdown]
#
# ## A verifier: check the words against the world
#
# A **verifier** asks a question the model cannot answer for itself: is this a real word? Feng et
# al. (2024) show that selecting synthetic data with a verifier (a better model, or the truth) can
# prevent collapse where self-selection cannot.
#
# > **Predict first.** The verifier `real` passes every real word, frequent or rare. Will it lose
# > distinct real words as fast as `top:0.9`, which reaches about the same quality?

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
draw_runs(["none", "top:0.9", "real"], axes)
fig.suptitle("The likelihood filter against a verifier (median line; band: the middle 80% of 3 runs)")
plt.show()
for spec in ("none", "top:0.9", "real"):
    print(f"{spec:>8}: real-word share {final(spec, 'real_word_share'):.2f}, distinct real words "
          f"{final(spec, 'distinct_real_words'):.0f}, tail recall {final(spec, 'recall_tail'):.3f}")

# %% [markdown]
# The verifier reaches the same quality as the likelihood filter and keeps several times more
# distinct real words, about as many as no gate at all. It does not choose the model's favourite
# words; it only removes the wrong ones.
#
# But it does not *protect* diversity either: its tail recall still falls, even below the
# ungated run's. Frequent words pass the verifier over and over and fill the training set, so the
# rare ones still thin out. To keep them we have to make room for them.
#
# ## Gates that protect diversity
#
# `dedup` keeps one copy of each word, `cap:K` at most K copies. Both trim the head, the words the
# model writes again and again, and leave the rare words alone.
#
# > **Predict first.** `dedup` on its own, without the verifier, keeps one copy of every string,
# > misspellings included. Will quality go up or down? And what will `real+cap:3` do?

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
draw_runs(["none", "dedup", "real", "real+cap:3"], axes)
fig.suptitle("Gates that thin the head (median line; band: the middle 80% of 3 runs)")
plt.show()
for spec in ("none", "dedup", "real", "real+cap:3"):
    print(f"{spec:>10}: real-word share {final(spec, 'real_word_share'):.2f}, distinct real words "
          f"{final(spec, 'distinct_real_words'):.0f}, tail recall {final(spec, 'recall_tail'):.3f}")

# %% [markdown]
# On its own, `dedup` ruins quality: a misspelling appears once, a real word many times, so
# keeping one copy of each hands the misspellings most of the training set. Combined with the
# verifier it is a different gate. `real+cap:3` keeps quality above generation 0's level, keeps
# almost as many distinct real words as generation 0 had, and keeps more of the rarest words than
# no gate or the verifier alone. Each part does one job: the verifier guards quality, the cap
# guards diversity.
#
# ## The quality–diversity frontier
#
# Now every gate, with 0%, 5% and 20% fresh real words in each training set. Each point is one
# flywheel after 10 generations: up is quality, right is diversity (distinct real words as a share
# of generation 0's). A line joins each real-data share's **frontier**: the gates that no other
# gate with the same real data beats on both counts. The star is generation 0.
#
# > **Predict first.** Where will the likelihood filters sit: top-left, top-right or bottom-right?
# > And what will adding real data do to the whole picture?

# %%

GATES = ["none", "top:0.9", "top:0.7", "real", "real+cap:3", "real+dedup"]
FRACTIONS = [0.0, 0.05, 0.2]


points = dashboards.frontier_points(dashboards.gate_grid(run, GATES, FRACTIONS))
fig, ax = plt.subplots(figsize=(7.5, 5))
plots.quality_diversity(points, ax=ax, quality_label="share of real words (quality)",
                        diversity_label="distinct real words, share of generation 0 (diversity)",
                        reference=(1.0, g0["real_word_share"]), quality_range=(0, 1.05))
ax.set_title("Quality against diversity after 10 generations (median of 3 runs)")
plt.show()

# %% [markdown]
# Read the picture by regions:
#
# - **Top-left**: the likelihood filters. High quality, little diversity. More real data moves
#   them right, but they stay left of the verifier with the same real data.
# - **Right**: the verifier with a cap or dedup: diversity near generation 0's, or above it with
#   real data. With a cap of 3, quality is above generation 0's too; with dedup it is below.
# - **Bottom**: no gate. Quality and diversity both below generation 0's.
# - **Real data** moves every gate's point right: fresh real words bring rare words back.
#
# There is a real trade-off: along the frontier, more quality costs diversity (`real+dedup` →
# `real+cap:3` → `real`). But the likelihood filter buys its quality at a far worse rate: at
# every real-data share, the verifier `real` reaches about the same quality with more diversity.
# Choose gates that check correctness from the outside, and trim repetition rather than rarity.
#
# ## Explorer: your own grid
#
# Type the gates (comma-separated specs, as in the table above) and real-data shares, and press
# **Run**. Each cell of the grid is one 10-generation flywheel; settings you ran before are reused.

# %%
explorer = dashboards.gates(runner=run, world=world, gates=", ".join(GATES), real_fractions="0, 0.05, 0.2")
explorer

# %% [markdown]
# (Without a kernel the explorer is blank: its default grid is the frontier figure above. The
# explorer's **Try this** list suggests grids to run; **Reset** brings this grid back.)
#
# ## Exercises
#
# **1. A gentler likelihood filter.** Is `top:0.98`, which drops only 2% of the words, safe?
#
# <details><summary>Solution</summary>
#
# ```python
# for spec in ("none", "top:0.98"):
#     print(spec, final(spec, "real_word_share"), final(spec, "distinct_real_words"), final(spec, "recall_tail"))
# ```
# Gentler, but the same direction: quality up, distinct real words and tail recall down compared
# with no gate. Each generation's cut is small, but the cuts compound over generations, and they
# always fall on the rarest words.
# </details>
#
# **2. Temperature is a gate too.** Run the ungated flywheel at `temperature=0.8`. Which gate does
# it resemble?
#
# <details><summary>Solution</summary>
#
# ```python
# cool = simulate(world, NGramLM(order=4, smoothing=0.01), temperature=0.8, **RUN)
# cool.metrics["distinct_real_words"] = words.distinct_real_words(cool, world)
# print(cool.median("real_word_share")[-1], cool.median("distinct_real_words")[-1])
# ```
# The likelihood filter: sampling from p^(1/T) with T < 1 favours the words the model already
# likes, so quality rises and diversity collapses, to a few distinct words after 10 generations.
# </details>
#
# **3. Where does `real+cap:3` sit with 5% real data?** Find its point in the frontier figure,
# then check with `final("real+cap:3", "distinct_real_words", 0.05)`.
#
# <details><summary>Solution</summary>
#
# With 5% real words, `real+cap:3` keeps quality above generation 0's and more distinct real words
# than generation 0 had: the cap makes room for rare words, the verifier keeps them real, and
# the fresh real data brings back rare words the model had lost. It is the gate the capstone
# (notebook 08) builds on.
# </details>
#
# ## Key points
#
# - Filtering synthetic data by the model's own likelihood raises apparent quality and
#   **accelerates the loss of the tail**: it removes rare words along with errors.
# - A **verifier**, a check from outside the model, raises quality without that diversity cost
#   (Feng et al. 2024), but it does not protect the tail by itself.
# - **Trim repetition, not rarity**: capping copies of frequent outputs, after a verifier, keeps
#   both quality and diversity.
# - Judge a gate on a **quality–diversity plot**, never on quality alone; real data moves the whole
#   frontier.
#
# ## References
#
# - Feng, Y., Dohmatob, E., Yang, P., Charton, F. & Kempe, J. (2024). Beyond model collapse: scaling
#   up with synthesized data requires verification. arXiv:2406.07515.
# - Alemohammad, S. et al. (2023). Self-consuming generative models go MAD. arXiv:2307.01850 (ICLR 2024).
# - Shumailov, I. et al. (2024). AI models collapse when trained on recursively generated data.
#   *Nature* 631, 755–759.
#
# ## Self-check
#
# This cell confirms that what the page claims held on this run.

# %%
q = {spec: final(spec, "real_word_share") for spec in ("none", "top:0.9", "top:0.7", "real", "dedup", "real+cap:3")}
d = {spec: final(spec, "distinct_real_words") for spec in q}
tail = {spec: final(spec, "recall_tail") for spec in q}
# the likelihood filter: quality up ("nearly every word"; "about half" without a gate), diversity and tail down
assert q["top:0.9"] > 0.9 and 0.4 < q["none"] < 0.65, q
assert d["top:0.9"] < 0.5 * d["none"] and d["top:0.9"] < 30, d
assert tail["top:0.9"] < tail["none"] and tail["top:0.7"] < tail["none"], tail
assert d["top:0.7"] <= 2, d                                               # "one or two words"
# the verifier: the same quality, several times the distinct real words, about as many as no gate
assert abs(q["real"] - q["top:0.9"]) < 0.05, q
assert d["real"] > 3 * d["top:0.9"] and d["real"] > 0.8 * d["none"], d
assert tail["real"] < tail["none"], tail                                  # but the tail still falls
# gates that thin the head
assert q["dedup"] < q["none"], q
assert q["real+cap:3"] > g0["real_word_share"] and d["real+cap:3"] > 0.85 * g0["distinct_real_words"], (q, d, g0)
assert tail["real+cap:3"] > tail["none"] and tail["real+cap:3"] > tail["real"], tail
assert run("top:0.7").median("distinct_real_words")[5] < 10                 # "within a few generations"
# the frontier
by = {(p["label"], p["group"]): p for p in points}
for group in ("0% real", "5% real", "20% real"):
    top, verified = by["top:0.9", group], by["real", group]
    assert abs(verified["quality"] - top["quality"]) < 0.03 and verified["diversity"] > top["diversity"], group
    for spec in ("top:0.9", "top:0.7"):                                   # left of the verifier
        assert by[spec, group]["diversity"] < verified["diversity"], (spec, group)
    dedup, capped = by["real+dedup", group], by["real+cap:3", group]
    assert dedup["diversity"] >= 0.95 and dedup["quality"] < g0["real_word_share"], group
    assert capped["quality"] > g0["real_word_share"] and capped["diversity"] > 0.85, group
    assert by["none", group]["quality"] < g0["real_word_share"] and by["none", group]["diversity"] < 1, group
    for spec in GATES:                                                    # real data moves every point right
        assert by[spec, group]["diversity"] >= by[spec, "0% real"]["diversity"] - 0.05, (spec, group)
assert by["real+dedup", "20% real"]["diversity"] > 1 and by["real+cap:3", "20% real"]["diversity"] > 1
# the folded solutions' claims
gentle = run("top:0.98")
assert final("top:0.98", "real_word_share") > q["none"] and final("top:0.98", "distinct_real_words") < d["none"]
assert final("top:0.98", "recall_tail") < tail["none"]
cool = simulate(world, NGramLM(order=4, smoothing=0.01), temperature=0.8, **RUN)
cool.metrics["distinct_real_words"] = words.distinct_real_words(cool, world)
assert cool.median("real_word_share")[-1] > q["none"] and cool.median("distinct_real_words")[-1] < 10
assert final("real+cap:3", "real_word_share", 0.05) > g0["real_word_share"]
assert final("real+cap:3", "distinct_real_words", 0.05) > g0["distinct_real_words"]
print(f"Self-check passed: top:0.9 quality {q['top:0.9']:.2f} with {d['top:0.9']:.0f} distinct real words; "
      f"verifier {q['real']:.2f} with {d['real']:.0f}; real+cap:3 {q['real+cap:3']:.2f} with {d['real+cap:3']:.0f} "
      f"(generation 0: {g0['real_word_share']:.2f} with {g0['distinct_real_words']:.0f}).")
