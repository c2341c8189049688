# %% [markdown]
# # 00 · Start here: what is model collapse?
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/00_start_here.ipynb)
#
# **Questions**
# - What happens when a model is trained on the outputs of an earlier model, generation after generation?
# - How is this course laid out, and how do its interactive explorers work?
#
# **Objectives**
# - Say in one sentence what model collapse is, and what Shumailov et al. call early and late collapse.
# - Run a first collapse in one line, read its plot, and change one setting yourself.
# - Check that your environment can show the interactive explorers.
#
# **Time:** about 12 minutes (8 reading, 1 exercises × 3, 0 explorers × 2, 1 running).
#
# **How this notebook works.** Run the cells in order (Shift+Enter). Where it says *Predict first*,
# pick your guess before running on: the next cell shows the answer beside your guess. The exercise
# has a cell for your answer: `q1.check(...)` says whether it is right and, if not, what is probably
# wrong; `q1.hint()` gives a nudge and `q1.solution()` the worked answer (also folded under it).
# A **Check** is a one-line multiple-choice question on an objective: answer with a letter in quotes.

# %%
# On Colab (or wherever the course is not installed yet) install this release of it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q "collapse-lab @ git+https://github.com/model-collapse-lab/model-collapse-lab@v0.2.0"
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, ...
from collapse_lab.exercises.start import q1    # this lesson's exercise
from collapse_lab.exercises import Exercise     # for the one-line check of an objective
start("00")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## Model collapse in one paragraph
#
# Models are more and more often trained on text, images and code that earlier models produced:
# on purpose (synthetic data, distillation) or by accident (the web fills up with model output).
# Run that loop for several **generations** — each model learning from the previous one's output —
# and the models degrade. Shumailov et al. (2024) called this **model collapse**, showed it happens
# even in the simplest possible model, and described two stages. In **early model collapse** the
# model loses the **tails** of the distribution: rare words, unusual cases, minority groups. In
# **late model collapse** it converges to a distribution that looks little like the real one, with
# much of its variety gone.
#
# Collapse does not always show as "worse" samples, though. When each generation's data lean
# towards what the model finds most likely (low-temperature decoding, or keeping only the samples
# the model itself scores highest: Alemohammad et al. call this **sampling bias**), single samples
# can look *better* while diversity shrinks. Notebooks 04 and 05 measure exactly that. That is why
# this course measures quality and diversity separately, against the real world.
#
# **Check (early and late collapse).** Which pair says what Shumailov et al. call early and late
# collapse? (a) early: samples get worse; late: samples get much worse. (b) early: the tails (rare
# cases) disappear; late: the model converges to a distribution unlike the real one, with much of its
# variety gone. (c) early: quality rises; late: quality falls.

# %%
check_collapse = Exercise("Check (early and late collapse)", judge=lessons.start.CHECK_COLLAPSE)
check_collapse.check(...)   # your answer: "a", "b" or "c"

# %% [markdown]
# <details><summary>Solution</summary>
#
# (b). Early collapse loses the tails; late collapse ends far from the real distribution, with much
# of its variety gone. Sample quality is a separate question: it can even rise.
# </details>
#
# Every experiment in this course runs the same loop:
#
# ```
# real data ──► train set ──► fit model ──► sample ──► (quality gate) ──┐
#                  ▲                                                     │
#                  └──── the next generation's train set ◄───────────────┘
#                        (optionally mixed with fresh real data)
# ```
#
# ## A first collapse
#
# The "model" is a normal distribution, fitted by its mean and standard deviation σ. The real world
# is N(0, 1). Generation 0 fits 20 real samples; every later generation fits 20 samples drawn from
# the previous generation's fit, and nothing else. We run 20 independent copies (*seeds*) side by side.
#
# > **Predict first.** Every fit is unbiased: on average, it gets the variance right.
# > After 100 generations, will σ be about 1, clearly above 1, or clearly below 1?

# %%
p1 = predict("After 100 generations, the median σ of 20 runs is…", ["about 1", "clearly above 1", "clearly below 1"])

# %%
history = simulate(Gaussian(), GaussianModel(), generations=100, samples=20, seeds=20, seed=0)

ax = plots.metric(history, "std", log=True)
ax.axhline(1.0, color=plots.COLORS["world"], linestyle=":", linewidth=1.2, label="real world, σ = 1")
ax.legend(loc="lower left")
ax.set_title("σ of a Gaussian trained on its own samples (20 runs)")
sigma_final, sigma_theory = history.median("std")[-1], worlds.gaussian.std_theory(20, 100)[0][-1]
shrunk = int((history.final("std") < 1).sum())
print(f"median σ after 100 generations: {sigma_final:.2f} (theory {sigma_theory:.2f}; the real world has σ = 1)")
print(f"runs whose σ ended below 1: {shrunk} of 20")
reveal(p1, f"median σ {sigma_final:.2f}", answer="clearly below 1" if sigma_final < 0.8 else "about 1")

# %% [markdown]
# The line is the **median** of the 20 runs (half lie above it, half below); the band holds the
# middle 80% of them. σ does not stay near 1: the median shrinks geometrically (a straight line on
# this log axis) and ends far below 1, close to what theory expects. Single runs wander up and down,
# but most (see the count printed above) end below 1. Each fit is unbiased, yet its small errors
# compound, and on a log scale they compound *downwards*. Notebook 01 shows why, and computes the
# rate exactly.
#
# **Exercise 1 (more data per generation).** Run the same loop with 200 samples per generation
# instead of 20 (keep `seeds=20, seed=0`). What is the median σ after 100 generations?

# %%
my_sigma = ...              # your answer: the median σ after 100 generations with samples=200
q1.check(my_sigma)
# q1.hint()
# q1.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_history = simulate(Gaussian(), GaussianModel(), generations=100, samples=200, seeds=20, seed=0)
# my_sigma = my_history.median("std")[-1]   # about 0.73 (theory's median 0.78)
# ```
# Ten times more data per generation slows the collapse about tenfold, but σ still shrinks: more
# data per generation delays collapse, it does not stop it. (Notebook 01 shows the tenfold on a log
# scale: the drift per generation is about −1/n.)
#
# Took the *mean* over the 20 runs instead of the median? You got about 1.01: a few runs wandered
# upwards and pull the mean up. Each fit is unbiased, so the mean of σ² over very many runs stays at 1
# (0.99 ± 0.01 over 20,000 runs), while the typical run, the median, shrinks: the collapse hides from
# the average. Over other seed sets the median of 20 runs is 0.73 to 0.84 (seeds 0 to 5), with 12 to 14
# of the 20 runs below 1.
# </details>

# %% [markdown]
# ## The course map
#
# | notebook | what you do | time |
# |---|---|---|
# | [**00 Start here**](00_start_here.ipynb) | this page: what collapse is, a first demo, check your setup | 12 min |
# | [**01 Gaussian collapse**](01_gaussian_collapse.ipynb) | write the loop in numpy; σ's random walk to zero against theory; replace, accumulate, fixed vs fresh real data | 38 min |
# | [**02 Tails of words**](02_tails_of_words.ipynb) | real English word frequencies: rare words die first, and for good; synthetic data and scaling laws | 36 min |
# | [**03 Modes and minorities**](03_modes_and_minorities.ipynb) | a small minority cluster fades; a cleaning filter speeds it up; real data saves it | 32 min |
# | [**04 Language-model collapse**](04_language_model_collapse.ipynb) | a character language model on real words: perplexity, bland samples, tail recall | 38 min |
# | [**05 Quality gates**](05_quality_gates.ipynb) | filters between generations: which raise quality *and* keep diversity? | 36 min |
# | [**06 Distillation without an anchor**](06_distillation_without_an_anchor.ipynb) | students trained on a teacher's outputs, and their students in turn | 31 min |
# | [**07 Monitoring and provenance**](07_monitoring_and_provenance.ipynb) | alarms that catch collapse early; machine text leaking into "human" data | 37 min |
# | [**08 Capstone challenge**](08_capstone_challenge.ipynb) | design a synthetic-data pipeline that keeps quality and diversity | 36 min |

# %% [markdown]
# Each notebook states its questions up front, asks you to **predict first** before most
# experiments, has an interactive **explorer**, exercises with folded solutions, and a
# **self-check** cell at the end that re-runs the lesson's experiments with their own seeds and
# confirms every number the page quotes (so what you change along the way cannot make it fail).

# %% [markdown]
# ## How to use the explorers
#
# From notebook 01 on, the lessons have explorers: controls on the left, a figure on the right.
#
# <details><summary>The controls, in detail (read when you meet the first explorer)</summary>
#
# - **Sliders**: drag them, or click one and use the arrow keys. The figure updates when you let go.
# - **Number boxes** (samples, generations, seed): type a number and press Enter or Tab. A value
#   that cannot work is explained in words under the controls, and the last figure stays.
# - **Run** and **Stop**: the toy explorers (01–03) rerun on every change, in a fraction of a
#   second. The language-model explorers (04 onwards) take longer: press **Run**, watch each
#   generation appear, and press **Stop** to end early.
# - The same **seed** always gives the same numbers, so you can share what you found.
# - Each explorer keeps its latest run: `explorer.history` holds every number it plotted.
#
# Under each explorer you also find a static picture of its default settings, so the notebook
# reads well even where no Python is running (on GitHub, for instance).
# </details>
#
# ## Check your environment
#
# The explorers need `ipywidgets` 8 in the kernel and, in JupyterLab, the `jupyterlab_widgets`
# front-end extension. The next cell checks both and stops with the fix if something is missing.

# %%
import sys
from importlib.metadata import PackageNotFoundError, version


def installed(package):
    """The installed version of a package, or None."""
    try:
        return version(package)
    except PackageNotFoundError:
        return None


# %%
on_colab = "google.colab" in sys.modules
needed = ["ipywidgets"] if on_colab else ["ipywidgets", "jupyterlab_widgets"]  # Colab brings its own front end
found = {package: installed(package) for package in needed}
for package, v in found.items():
    print(f"{package:20s} {v or 'missing'}")

widgets_ok = found["ipywidgets"] is not None and int(found["ipywidgets"].split(".")[0]) >= 8
if not widgets_ok or None in found.values():
    raise RuntimeError(
        "The interactive explorers cannot work in this environment. Fix: run\n"
        "    %pip install 'ipywidgets==8.1.8' 'jupyterlab_widgets==3.0.16'\n"
        "then restart the kernel (Kernel ▸ Restart) and reload this browser tab."
    )

# %% [markdown]
# On Colab one more step: ipywidgets 8 shows only through Colab's custom widget manager, so switch it on.

# %%
if on_colab:
    from google.colab import output

    output.enable_custom_widget_manager()  # Colab shows ipywidgets 8 only through its custom manager
print("Widgets: OK.")

# %% [markdown]
# Finally, one widget to see that your browser draws them. You should see a slider below;
# if you see text such as `IntSlider(value=3, ...)` instead, the front end is missing its widget
# extension: install `jupyterlab_widgets` as above, then restart JupyterLab itself.

# %%
import ipywidgets as widgets

widgets.IntSlider(value=3, min=0, max=10, description="try me", continuous_update=False)

# %% [markdown]
# ## Glossary
#
# <details><summary>Eleven terms the course uses (all of them, with more, in docs/glossary.md)</summary>
#
# - **Synthetic data**: training data produced by a model rather than by people or by measuring the world.
# - **Generation**: one round of the loop: fit a model on the current training set, then sample from it.
# - **Model collapse**: the degradation of models trained, generation after generation, on the output of
#   earlier models (Shumailov et al. 2024). *Early* collapse: the tails disappear. *Late* collapse: the
#   model converges to a distribution unlike the real one, with much of its variety gone.
# - **Sampling bias**: making each generation's data lean towards what the model finds most likely
#   (low temperature, keeping the model's top-scored samples). It can raise per-sample quality while
#   diversity falls (Alemohammad et al. 2024; notebooks 04 and 05).
# - **Distillation**: training a (usually smaller) *student* model on the outputs of a *teacher* model.
# - **Fine-tuning**: training that starts from an already trained model instead of from scratch: a few
#   more steps on new, usually smaller, data. Shumailov et al. fine-tuned each generation of their
#   language model starting again from the generation-0 fine-tuned model; notebook 04's toy
#   (`fine_tune="first"`) keeps a share of generation 0's counts, which also acts as a small real anchor.
# - **Tail**: the rare part of a distribution: rare words, unusual cases, small groups. It carries
#   little probability mass, so few samples land there and it is the first thing to be lost.
# - **Replace vs accumulate**: each generation trains either on the newest samples only (*replace*,
#   the setting in which collapse happens) or on all data gathered so far, real and synthetic
#   (*accumulate*, which bounds the damage: Gerstgrasser et al. 2024 prove it for linear regression,
#   notebook 01 shows it for a Gaussian).
# - **Real-data anchor**: a share of real data mixed into every generation's training set: *fresh*
#   (new real data each generation) or a *fixed* real set reused. Only fresh data keeps correcting the
#   model (Alemohammad et al. 2024; notebook 01).
# - **Quality gate**: a filter between a model's output and the next training set (keep the most
#   likely samples, drop outliers, drop duplicates, keep only verified samples).
# - **Temperature**: sampling from p^(1/T); T < 1 favours likely samples and speeds up collapse.
# </details>
#
# ## From toy to practice
#
# In this page's toy the "model" is a normal distribution and σ its spread. In a real pipeline σ
# stands for the **diversity** of what a model writes, a generation is one round of training a new
# model on text that includes the last model's output, and the 20 samples are that round's training
# set. **Where the analogy stops:** a real model has billions of parameters and is not refitted
# exactly; it is usually trained on a mix of old, human and new data, not on its own output alone.
# The toy isolates one mechanism, compounded sampling error, which real pipelines have too.
#
# ## Key points
#
# - A model trained on its own output, generation after generation, forgets: even an unbiased fit of
#   a single Gaussian loses its spread.
# - Rare things go first (early collapse); in the end the model drifts far from the real world
#   (late collapse). Per-sample quality can even rise while diversity falls, so measure both.
# - Every lesson runs the same loop with a different world, model or filter.
#
# ## References
#
# <details><summary>The papers and sources cited in this notebook</summary>
#
# - Shumailov, I., Shumaylov, Z., Zhao, Y., Papernot, N., Anderson, R. & Gal, Y. (2024).
#   AI models collapse when trained on recursively generated data. *Nature* 631, 755–759.
# - Gerstgrasser, M. et al. (2024). Is model collapse inevitable? Breaking the curse of recursion by
#   accumulating real and synthetic data. arXiv:2404.01413.
# - Alemohammad, S. et al. (2024). Self-consuming generative models go MAD. ICLR 2024 (arXiv:2307.01850).
# </details>
#
# ## Self-check
#
# Confirms that every claim above holds. `lessons.start.self_check()` recomputes what it asserts from its
# own seeded runs at the lesson's settings, so whatever you changed or tried above cannot make it fail.
# Its claims, one short function per section, are in `collapse_lab/lessons/start.py`.

# %%
print(lessons.start.self_check())
