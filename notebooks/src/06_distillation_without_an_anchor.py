# %% [markdown]
# # 06 · Distillation without an anchor
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/06_distillation_without_an_anchor.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/06_distillation_without_an_anchor.ipynb)
#
# **Questions**
# - A student model trained only on a teacher's outputs: what does it fail to learn?
# - What happens when that student teaches the next one, and so on?
# - How much real data does it take to stop the slide?
#
# **Objectives**
# - Measure what distillation loses first, bucket by bucket: frequent, middling and rare words.
# - Watch a distillation chain lose the tail generation after generation.
# - Show that a small real-data anchor in every student's training set stops the loss, and say how small.
#
# **Time:** about 25 minutes.

# %%
# On Colab (or wherever the course is not installed yet) install it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q git+https://github.com/model-collapse-lab/model-collapse-lab
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, ...
start("06")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## Teachers and students
#
# *Distillation* trains a small, cheap **student** model on the outputs of a large **teacher**
# (Hinton et al. 2015). It is everywhere: small language models are trained on text written by
# large ones. Often the teacher's outputs are the student's *only* data, and the next, even cheaper
# model is distilled from that student. Each link is one generation of the loop of notebook 01,
# except that the model changes at the first step:
#
# ```
# real words ──► teacher (4-gram) ──► its words ──► student 1 (3-gram) ──► its words ──► student 2 ──► …
# ```
#
# Our teacher is the character 4-gram of notebook 05 (smoothing 0.01, 2,000 words); the students are
# 3-grams: they read one character less of context, so they are smaller. Every model sees 2,000
# words, and we run 3 seeds side by side. `simulate(world, teacher, student=student)` runs the chain.
#
# What a model "knows" is measured by **recall** per frequency bucket (notebook 04): the share of the
# bucket's words the model gives at least 1% of their real probability. The **head** is the few
# words that make up half of all text, the **tail** the many rare words that make up the last 10%.
#
# > **Predict first.** Student 1 learns from 2,000 of the teacher's words instead of 2,000 real
# > words. Compared with the same student trained on real words, will it know fewer *frequent*
# > words, fewer *rare* words, or about the same of both?

# %%
world = Words(n_words=2000)
teacher, student = NGramLM(order=4, smoothing=0.01), NGramLM(order=3, smoothing=0.01)
RUN = dict(samples=2000, seeds=3, seed=0)
BUCKETS = ("recall_head", "recall_torso", "recall_tail")

chain = simulate(world, teacher, student=student, generations=10, **RUN)  # generation 0 is the teacher
on_real = simulate(world, student, generations=1, **RUN)                  # the student trained on real words

# %% [markdown]
# Recall per bucket and held-out NLL of the three models, side by side:

# %%
rows = {  # model: (the run it is in, its generation there)
    "teacher (4-gram), real words": (chain, 0),
    "student (3-gram), real words": (on_real, 0),
    "student (3-gram), teacher's words": (chain, 1),
}
print(f"{'':36s} {'head':>6} {'torso':>6} {'tail':>6} {'NLL':>6}")
for name, (h, g) in rows.items():
    print(f"{name:36s} " + " ".join(f"{h.median(b)[g]:6.2f}" for b in BUCKETS) + f" {h.median('heldout_nll')[g]:6.2f}")
distilled = {b: chain.median(b)[1] for b in BUCKETS}  # student 1, taught by the teacher
direct = {b: on_real.median(b)[0] for b in BUCKETS}    # the same student, taught by real words

# %% [markdown]
# (NLL: held-out negative log-likelihood of real words, nats per character; lower is better.)
#
# The student trained on the teacher's words knows about as many **head** words as one trained on
# real words, but clearly fewer **tail** words. The teacher's 2,000 words are a *sample*: the
# frequent words show up in it many times, most rare words not at all, so the student never sees
# them. Real words would have been a sample too, but a sample of the *real* tail; the teacher's
# sample can only contain what the teacher itself still puts probability on.
#
# ## The chain
#
# Now let every student teach the next one.
#
# > **Predict first.** After 10 students, each trained only on the previous one's words, which
# > bucket has kept the *smallest share* of what the teacher knew: head, torso or tail?

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.6))
plots.recall_buckets(chain, ax=ax)  # head, torso and tail recall as shares of the teacher's
ax.set_title("A distillation chain with no real data (median; band: the middle 80% of 3 runs)", fontsize=10)
plt.show()
share_left = {b: chain.median(b, relative=True)[-1] for b in BUCKETS}
for b, v in share_left.items():
    print(f"{b:13s}: {v:.0%} of the teacher's recall left after 10 students")

# %% [markdown]
# The tail goes first and furthest, and the head last, the order Shumailov et al. (2024) report for
# language models trained on their predecessors' text: each link can only pass on what it happened
# to sample, and a rare word that is missed once is gone for every later student. The head words
# are sampled in every generation, so they survive the longest (the shares are printed above).
#
# The samples show it too: the later students' words are more and more of the same frequent words
# and their misspellings.

# %%
plots.words_table(chain, generations=[0, 1, 5, 10], n=10)

# %% [markdown]
# ## A real-data anchor
#
# The fix costs little: mix some fresh **real** words into every student's training set
# (`real_fraction`), the *anchor*. The rest is still the previous model's words.
#
# > **Predict first.** Which share of real words stops the chain from sliding further after the
# > first student: 5%, 20% or 50%?

# %%
anchored = {f"{f:.0%} real": simulate(world, teacher, student=student, generations=10, real_fraction=f, **RUN)
            for f in (0.05, 0.2)}
runs = {"no anchor": chain, **anchored}

# %%
ANCHOR_COLORS = {"no anchor": plots.COLORS["replace"], "5% real": plots.PALETTE["sky"], "20% real": plots.COLORS["real"]}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
# tail recall and held-out NLL over the chain, one line per real-data share
plots.compare(runs, "recall_tail", ax=axes[0], colors=ANCHOR_COLORS)
plots.compare(runs, "heldout_nll", ax=axes[1], colors=ANCHOR_COLORS)
axes[1].get_legend().remove()  # the left panel's legend serves both
for ax in axes:
    ax.set_xlabel("generation (0 = teacher)")
fig.suptitle("The same chain with a real-data anchor in every student's training set "
             "(median; band: the middle 80% of 3 runs)")
plt.show()

# %%
slide = {}  # how much each chain's held-out NLL rose from the first student to the last
for name, h in runs.items():
    nll, tail = h.median("heldout_nll"), h.median("recall_tail")
    slide[name] = nll[-1] - nll[1]
    print(f"{name:>9}: tail recall {tail[1]:.3f} (student 1) → {tail[-1]:.3f} (student 10); "
          f"held-out NLL rose {slide[name]:.2f} nats/char after student 1")

# %% [markdown]
# Without an anchor the tail keeps draining and the held-out NLL keeps rising. With **5%** real
# words the slide after the first student is about halved; with **20%** it all but stops: the
# tail recall levels off and the NLL barely moves after student 1 (numbers above). The first
# student's loss remains (its data was 80% the teacher's sample), but the chain no longer
# compounds it. The anchor does what accumulating data did in notebook 01: every generation sees
# some of the real tail again, so a word lost once can come back.
#
# ## Explorer: teacher, student, anchor
#
# Change the teacher and the student (their n-gram order: how many characters they read, plus
# one), the share of real words, and the chain's length. The left panel shows the buckets as in
# the chain figure above, the right panel the held-out NLL.

# %%
explorer = dashboards.distillation(world=world, **RUN)
explorer

# %% [markdown]
# The explorer's figure at its default settings (teacher order 4, student order 3, no real data,
# 10 students), as a picture for readers without a running kernel:

# %%
explorer.figure

# %% [markdown]
# ## Exercises
#
# **1. Is it the smaller student?** Make the student as large as the teacher (order 4 for both).
# Does the chain still lose its tail?
#
# <details><summary>Solution</summary>
#
# ```python
# same_size = simulate(world, teacher, student=NGramLM(order=4, smoothing=0.01), generations=10, **RUN)
# print(same_size.median("recall_tail")[[0, 1, 10]])  # teacher, first student, tenth student
# ```
# Yes, just as fast: a student as large as the teacher loses about 40% of the teacher's tail
# recall in the first step and most of the rest over the chain. The loss comes from learning
# from a *finite sample* of a model, not from the student being small: the student could hold
# every rare word the teacher knows, but it never sees most of them.
# </details>
#
# **2. Keep, instead of anchor.** Run the chain with `mode="accumulate"` and no real data: every
# student learns from the teacher's real training words plus all earlier students' words.
#
# <details><summary>Solution</summary>
#
# ```python
# kept_all = simulate(world, teacher, student=student, generations=10, mode="accumulate", **RUN)
# print(kept_all.median("recall_tail")[[1, 10]], kept_all.median("heldout_nll")[[1, 10]])
# ```
# The tail hardly drains and the NLL stays flat after the first student: the original real words
# stay in every training set (Gerstgrasser et al. 2024). In distillation terms: keep the teacher's
# real training data and distil on it *together with* the teacher's outputs.
# </details>
#
# **3. A neural teacher.** Replace the teacher by the neural model of notebook 04's exercises
# (`from collapse_lab.charlm import NeuralLM`; `teacher = NeuralLM(steps=600)`, some seconds to
# train on 3 seeds; only the teacher is neural, so it trains once). Does the student chain behave differently?
#
# <details><summary>Solution</summary>
#
# ```python
# from collapse_lab.charlm import NeuralLM
# neural = simulate(world, NeuralLM(steps=600), student=student, generations=6, **RUN)
# print(neural.median("recall_tail"), neural.median("heldout_nll"))
# ```
# The neural teacher (Bengio et al. 2003) knows a few more rare words than the 4-gram (with 600
# training steps its held-out NLL is about the same), but its students are n-grams learning from
# 2,000 of its words, and they lose the tail the same way: about 40% of the teacher's tail recall
# with the first student, and more with every later one. A better teacher raises the starting
# point, not the slope.
# </details>
#
# **4. For the discussion.** In a real distillation pipeline, what plays the role of the "real
# words" anchor?
#
# <details><summary>Solution</summary>
#
# Human-written data with known provenance: the teacher's original training set (or a slice of it),
# human-labelled examples, curated corpora that predate generated text (see notebook 07). Mixing a
# fixed share of it into every student's data is cheap compared with what the chain loses without it.
# </details>
#
# ## Key points
#
# - A student trained only on a teacher's outputs learns the head well and the **tail badly**:
#   it can only learn what the teacher happened to write.
# - Chains of students compound the loss: the tail goes first and furthest, the head last.
# - A small **real-data anchor** in every student's training set stops the compounding: here 5%
#   halved the slide and 20% all but stopped it. Keeping the real data (accumulate) works too.
#
# ## References
#
# - Hinton, G., Vinyals, O. & Dean, J. (2015). Distilling the knowledge in a neural network. arXiv:1503.02531.
# - Shumailov, I. et al. (2024). AI models collapse when trained on recursively generated data.
#   *Nature* 631, 755–759.
# - Gerstgrasser, M. et al. (2024). Is model collapse inevitable? Breaking the curse of recursion by
#   accumulating real and synthetic data. arXiv:2404.01413.
# - Bengio, Y., Ducharme, R., Vincent, P. & Jauvin, C. (2003). A neural probabilistic language model.
#   *Journal of Machine Learning Research* 3, 1137–1155.
#
# ## Self-check
#
# This cell confirms that what the page claims held on this run.

# %%
# the first student: the head as on real words, the tail clearly below
assert abs(distilled["recall_head"] - direct["recall_head"]) <= 0.05, (distilled, direct)
assert distilled["recall_tail"] < 0.85 * direct["recall_tail"], (distilled, direct)
# the chain: tail loses the largest share, head the smallest
assert share_left["recall_tail"] < share_left["recall_torso"] < share_left["recall_head"], share_left
assert share_left["recall_tail"] < 0.3 and share_left["recall_head"] > 0.7, share_left
# the anchor: 5% about halves the slide, 20% all but stops it
assert 0.3 < slide["5% real"] / slide["no anchor"] < 0.7, slide
assert slide["20% real"] < 0.15 * slide["no anchor"], slide
tail_20 = anchored["20% real"].median("recall_tail")
assert abs(tail_20[-1] - tail_20[5]) < 0.02, tail_20                      # "levels off"
# the folded solutions' claims
same_size = simulate(world, teacher, student=NGramLM(order=4, smoothing=0.01), generations=10, **RUN)
tail_same = same_size.median("recall_tail")
assert 0.5 < tail_same[1] / tail_same[0] < 0.7 and tail_same[-1] < 0.3 * tail_same[0], tail_same
kept_all = simulate(world, teacher, student=student, generations=10, mode="accumulate", **RUN)
nll_kept = kept_all.median("heldout_nll")
assert nll_kept[-1] - nll_kept[1] < 0.15 * slide["no anchor"], nll_kept
print(f"Self-check passed: after 10 students the tail kept {share_left['recall_tail']:.0%} of the teacher's recall, "
      f"the head {share_left['recall_head']:.0%}; the NLL slide was {slide['no anchor']:.2f} with no anchor, "
      f"{slide['5% real']:.2f} with 5% and {slide['20% real']:.2f} with 20% real words.")
