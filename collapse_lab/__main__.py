"""Command line: run any world, model and recipe headless.

    python -m collapse_lab run gaussian --generations 200 --samples 20 --seeds 200 --json
    python -m collapse_lab run words --model ngram --temperature 0.8 --plot words.png
    python -m collapse_lab run words --gate real:0.2,0.05 --top-p 0.9 --fine-tune first
    python -m collapse_lab warm --store /srv/collapse-lab-store   # the notebooks' runs, once, for everyone
    python -m collapse_lab --help

Bad input exits with status 2 and one line on stderr that names the flag. Everything is checked
before the run starts: the values, the flags that apply to the chosen world and model, the
--plot file, and the memory the run would need (collapse_lab.engine.guard).
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import warnings

import numpy as np

WORLDS = {
    "gaussian": "1-D normal N(0, 1); model: mean and unbiased std (Shumailov et al. 2024, Thm 3.1)",
    "mixture1d": "1-D mixture: N(0, 1) and a 10% minority N(4, 0.5²); model: 2-component EM",
    "mixture2d": "2-D mixture with a tight 10% minority cluster; model: 2-component EM",
    "categorical": "the --vocab most frequent English words (wordfreq) as categories; model: empirical "
                   "frequencies with --smoothing",
    "words": "English words as strings, with real frequencies (wordfreq); models: --model ngram "
             "(character n-gram of --order) or neural (MLP, Bengio et al. 2003)",
}

METRICS = {
    "mean, std": "the fitted distribution's mean and standard deviation",
    "tail_2sd, tail_3sd": "mass beyond 2 / 3 standard deviations of the real distribution (the tails)",
    "wasserstein": "distance to the real distribution (Gaussian: exact W2; 1-D mixture: W1 from samples)",
    "minority_weight": "model weight on the minority mode; minority_share: generated points in it",
    "spread": "root mean variance of the fitted distribution",
    "support": "categories still alive (probability > 0)",
    "entropy": "entropy in nats (diversity)",
    "kl, tv": "KL(model ‖ world) in nats and total variation distance to the real distribution",
    "rare_alive": "share of the rarest half of the real categories still alive",
    "heldout_nll, perplexity": "words: NLL of held-out real words in nats per character, and exp of it",
    "real_word_share": "words: share of generated words that are real words (quality)",
    "distinct_words, distinct_ngrams": "words: distinct generated words / character 3-grams (diversity)",
    "recall_head, recall_torso, recall_tail": "words: share of each frequency bucket's real words the model still knows (gives ≥ 1% of their real probability)",
    "length_mean, length_std": "words: generated word length",
    "gen0_nll": "words: NLL of generated words under the generation-0 model",
    "acceptance": "with --gate: share of drawn samples that passed the gate (what filtering costs)",
}

# simulate's and the models' parameter names, as the flags a learner typed
FLAGS = {
    "generations": "--generations", "samples": "--samples", "real_fraction": "--real-fraction",
    "mode": "--mode", "real_source": "--real-source", "gate": "--gate", "refill": "--no-refill",
    "temperature": "--temperature", "seeds": "--seeds", "seed": "--seed", "vocab": "--vocab",
    "n_words": "--vocab", "n_categories": "--vocab", "smoothing": "--smoothing", "model": "--model",
    "order": "--order", "top_k": "--top-k", "top_p": "--top-p", "mix": "--mix", "fine_tune": "--fine-tune",
    "teacher_samples": "--teacher-samples", "distill": "--distill", "student": "--student",
    "memory_mb": "--memory-mb", "max_minutes": "--max-minutes", "max_draws": "--max-draws", "plot": "--plot", "snapshots": "--plot", "categories": "--vocab",
    "lang": "--mix",
}

# which flags apply where: a flag given where it does not apply is refused, not ignored
WORLD_FLAGS = {
    "--vocab": {"categorical"}, "--mix": {"words"}, "--model": {"words"}, "--student": {"words"},
    "--order": {"words"}, "--top-k": {"categorical", "words"}, "--top-p": {"categorical", "words"},
    "--smoothing": {"categorical", "words"}, "--fine-tune": {"mixture1d", "mixture2d", "words"},
}
NGRAM_ONLY = ("--order", "--smoothing")  # on words: only an n-gram (model or student) has these


def _ascii(integer):
    """An argparse type: a number in ASCII digits (int() also reads '１０', '١٠' and '1_000')."""
    def parse(text):
        from .engine.checks import parse_number

        try:
            return parse_number(text, "value", "the command line", integer=integer)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {'an int' if integer else 'a number'} in ASCII digits, "
                                             f"e.g. {'1000' if integer else '0.5'}. Got {text!r} instead") from None
    parse.__name__ = "int" if integer else "float"
    return parse


INT, FLOAT = _ascii(True), _ascii(False)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # one line on stderr and exit status 2 (argparse's own status for usage errors)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser():
    from .engine.gates import GATE_HELP

    epilog = "worlds:\n" + "".join(f"  {k:<12} {v}\n" for k, v in WORLDS.items())
    epilog += "\ngates (--gate, join with '+', e.g. top:0.9+dedup):\n" + "".join(f"  {k:<12} {v}\n" for k, v in GATE_HELP.items())
    epilog += "\nmetrics (per generation, per seed):\n" + "".join(f"  {k}\n      {v}\n" for k, v in METRICS.items())
    parser = _Parser(prog="python -m collapse_lab", description="Model Collapse Lab: train a model on its own "
                     "outputs, generation after generation, and measure what it forgets.",
                     epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser("run", help="run one experiment", epilog=epilog,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("world", choices=list(WORLDS), help="the real distribution (see below)")
    loop = run.add_argument_group("the loop (every world)")
    loop.add_argument("--generations", type=INT, default=20, help="generations after generation 0 (default 20)")
    loop.add_argument("--samples", type=INT, default=None, help="samples per generation (default: 100; words 20000)")
    loop.add_argument("--real-fraction", type=FLOAT, default=0.0, help="share of real data per generation, 0..1")
    loop.add_argument("--mode", default="replace", choices=["replace", "accumulate", "accumulate-subsample"],
                      help="replace: newest data only; accumulate: all data so far; accumulate-subsample: "
                           "a --samples-sized sample of all data so far (default replace)")
    loop.add_argument("--real-source", default=None, choices=["fresh", "fixed"],
                      help="fresh: new real data each generation (default); fixed: one real set reused")
    loop.add_argument("--gate", default=None, help="quality gate, e.g. top:0.8, clip:2, dedup, real, "
                      "real:0.2,0.05 (verifier with false-accept, false-reject rates), top:0.9+dedup")
    loop.add_argument("--no-refill", action="store_true",
                      help="with --gate: train on what passes, without drawing more (the filter starves the model)")
    loop.add_argument("--max-draws", type=INT, default=None,
                      help="with --gate and refill: each seed draws at most this many times its target (default 50)")
    loop.add_argument("--temperature", type=FLOAT, default=1.0, help="sampling temperature > 0 (default 1)")
    loop.add_argument("--seeds", type=INT, default=None, help="independent runs side by side (default: 20; words 1)")
    loop.add_argument("--seed", type=INT, default=0, help="random seed (default 0)")
    loop.add_argument("--memory-mb", type=FLOAT, default=None,
                      help="memory budget in MB (default: $COLLAPSE_LAB_MEMORY_MB, else 1500); larger runs are refused")
    loop.add_argument("--max-minutes", type=FLOAT, default=None,
                      help="time budget in minutes (default: $COLLAPSE_LAB_MAX_MINUTES, else 5); longer runs are refused")
    models = run.add_argument_group("worlds and models (a flag that does not apply to the world is refused)")
    models.add_argument("--vocab", type=INT, default=None, help="categorical: number of words (default 2000)")
    models.add_argument("--smoothing", type=FLOAT, default=None, help="categorical / ngram: additive smoothing")
    models.add_argument("--model", default=None, choices=["ngram", "neural"], help="words: the model (default ngram)")
    models.add_argument("--order", type=INT, default=None, help="words, ngram: characters of context + 1 (default 3)")
    models.add_argument("--top-k", type=INT, default=None, help="categorical / words: sample only from the k likeliest")
    models.add_argument("--top-p", type=FLOAT, default=None,
                        help="categorical / words: sample only from the smallest set holding probability p (nucleus)")
    models.add_argument("--mix", default=None, help="words: a minority language at a share, e.g. fi:0.05")
    models.add_argument("--fine-tune", default=None, choices=["previous", "first"],
                        help="continue training instead of refitting: from the previous generation's model, or "
                             "the generation-0 model every generation (Shumailov et al.)")
    models.add_argument("--student", default=None, choices=["ngram", "neural"],
                        help="words: a distillation chain, a fresh student of this kind each generation")
    models.add_argument("--teacher-samples", type=INT, default=None, help="with --student: samples each student learns from")
    models.add_argument("--distill", default=None, choices=["hard", "soft"],
                        help="with --student: hard (sampled words) or soft (the teacher's probabilities)")
    warm = sub.add_parser("warm", help="compute every run the notebooks make into a shared store (Binder, a hub)",
                          description="Run every notebook top to bottom (nbclient, a fresh kernel each) with a "
                                      "writable store, then follow every explorer's Try-this tips, so each "
                                      "seeded run they, their self-checks and the tips make is kept on disk; "
                                      "learners then read it with COLLAPSE_LAB_STORE=DIR.")
    warm.add_argument("--store", default=None, help="the store's directory (default: $COLLAPSE_LAB_STORE)")
    warm.add_argument("--notebooks", default=None,
                      help="the folder of .ipynb files (default: notebooks/ here, else beside the package)")
    warm.add_argument("--clear", action="store_true",
                      help="remove the store's entries first (after the course's code changed: entries are "
                           "keyed by the package version, not by the code)")
    warm.add_argument("--timeout", type=FLOAT, default=900, help="seconds a cell may take (default 900)")
    warm.add_argument("only", nargs="*", help="only notebooks whose names start with these (e.g. 01 04)")
    out = run.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="print the configuration and every metric as JSON")
    out.add_argument("--plot", metavar="FILE.png", default=None, help="save the standard figure (png, pdf, svg, ...)")
    out.add_argument("--progress", action="store_true", help="show a progress bar on stderr")
    return parser


def _given(args):
    """The flags the learner typed (those whose value is not the parser's None)."""
    return {FLAGS[name]: value for name, value in vars(args).items() if name in FLAGS and value is not None}


def check_flags(args):
    """Refuse flags that do not apply to the chosen world, model or options (ValueError naming the flag)."""
    given = _given(args)
    for flag, worlds in WORLD_FLAGS.items():
        if flag in given and args.world not in worlds:
            where = " and ".join(sorted(worlds))
            raise ValueError(f"{flag} does not apply to the {args.world} world (only to {where}).")
    if args.world == "words":
        ngram = (args.model or "ngram") == "ngram" or args.student == "ngram"
        for flag in NGRAM_ONLY:
            if flag in given and not ngram:
                raise ValueError(f"{flag} applies to the n-gram model only, not to --model neural.")
    for flag in ("--teacher-samples", "--distill"):
        if flag in given and args.student is None:
            raise ValueError(f"{flag} applies to a distillation chain only: add --student ngram or neural.")
    if args.max_draws is not None and (not args.gate or args.no_refill):
        raise ValueError("--max-draws applies only with a --gate that refills (not with --no-refill).")
    if args.no_refill and not args.gate:
        raise ValueError("--no-refill applies only with a --gate (without one, nothing is filtered out).")


def check_plot(path):
    """--plot must name a new or existing file, in a writable directory, with an image extension."""
    if path is None:
        return None
    from matplotlib.backend_bases import FigureCanvasBase

    formats = sorted(FigureCanvasBase.get_supported_filetypes())
    ext = os.path.splitext(path)[1].lstrip(".").lower()
    if not path or os.path.isdir(path) or ext not in formats:
        raise ValueError(f"--plot must be a file name ending in .{', .'.join(f for f in formats if f in ('png', 'pdf', 'svg', 'jpg'))} "
                         f"(or another of matplotlib's formats). Got {path!r} instead.")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"--plot must be in a folder that exists. Got {path!r}: there is no folder {folder!r}.")
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise ValueError(f"--plot must be a file this user can write. Got {path!r} instead.")
    # os.access says yes to root in /proc and never checks the name's length: open the file now,
    # before the run, so a refusal never comes after the results are printed
    existed = os.path.exists(path)
    try:
        with open(path, "ab"):
            pass
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise ValueError(f"--plot must be a file this user can write. Got {_short(path)} instead ({reason}).") from None
    if not existed:
        os.remove(path)
    return path


def _short(text, width=60):
    """A long file name cut short, so the error stays one readable line."""
    text = repr(text)
    return text if len(text) <= width else text[:width - 3] + "..."


def _decoding(args):
    return {k: v for k, v in (("top_k", args.top_k), ("top_p", args.top_p)) if v is not None}


def _words_model(kind, args):
    from . import worlds

    if kind == "neural":
        return worlds.NeuralLM(**_decoding(args))
    extra = {"order": 3 if args.order is None else args.order}
    if args.smoothing is not None:
        extra["smoothing"] = args.smoothing
    return worlds.NGramLM(**extra, **_decoding(args))


def build(args):
    """World, model, student and gate from parsed arguments (ValueError on bad values)."""
    from . import gates, worlds
    from .engine.base import check_params

    student = None
    if args.world == "gaussian":
        world, model = worlds.Gaussian(), worlds.GaussianModel()
    elif args.world == "mixture1d":
        world, model = worlds.Mixture.one_d(), worlds.MixtureModel()
    elif args.world == "mixture2d":
        world, model = worlds.Mixture.two_d(), worlds.MixtureModel()
    elif args.world == "categorical":
        world = worlds.Categorical.words(2000 if args.vocab is None else args.vocab)
        try:
            model = worlds.EmpiricalModel(world.n_categories, 0.0 if args.smoothing is None else args.smoothing,
                                        **_decoding(args))
        except TypeError:  # a version of EmpiricalModel without decoding parameters
            raise ValueError(f"{' and '.join(FLAGS[k] for k in _decoding(args))} is not supported by this "
                             f"version's categorical model.") from None
    else:
        from . import worlds

        mix = None
        if args.mix is not None:
            lang, _, share = args.mix.partition(":")
            try:
                mix = {lang: float(share)}
            except ValueError:
                raise ValueError(f"--mix must be LANG:SHARE, e.g. fi:0.05. Got {args.mix!r} instead.") from None
        world = worlds.Words(mix=mix)
        model = _words_model(args.model or "ngram", args)
        student = _words_model(args.student, args) if args.student else None
    # fail now, before any data is drawn: each model's declared parameter rules
    for m in (model, student):
        if m is not None:
            check_params(m)
    return world, model, student, gates.parse(args.gate, world)


def _levers(args):
    """simulate's issue-9 arguments, passed only when the learner set them."""
    levers = {}
    if args.real_source is not None:
        levers["real_source"] = args.real_source
    if args.no_refill:
        levers["refill"] = False
    if args.fine_tune is not None:
        levers["fine_tune"] = args.fine_tune
    if args.teacher_samples is not None:
        levers["teacher_samples"] = args.teacher_samples
    if args.distill is not None:
        levers["distill"] = args.distill
    if args.max_draws is not None:
        levers["max_draws"] = args.max_draws
    return levers


def _in_flags(message):
    """'The 'real_fraction' parameter of simulate must be ...' -> '--real-fraction must be ...'."""
    from . import gates

    def flag(match):
        name, owner = match.group(1), match.group(2) or ""
        gate_class = getattr(gates, owner.split(".")[0], None) if owner else None
        if isinstance(gate_class, type) and issubclass(gate_class, gates.Gate):
            return f"--gate (the {name!r} of {owner}) "  # e.g. cap:1e20: CapCopies' k
        return f"{FLAGS[name]} " if name in FLAGS else match.group(0)

    return re.sub(r"The '(\w+)' parameter(?: part '[^']*')?(?: of ([\w.]+))? ", flag, message)


def _budget_message(err):
    """The guard's refusal in flags: '--samples × --seeds = 2 × 10⁸ needs about 35 GB; ...'."""
    from .engine.guard import TimeBudgetError, duration, size

    flags = list(dict.fromkeys(FLAGS.get(p, p) for p in err.parameters))
    lower = flags[0] if len(flags) == 1 else ", ".join(flags[:-1]) + " or " + flags[-1]
    if math.isinf(err.estimate):  # a refusal that is not about megabytes (the n-gram's order)
        return _in_flags(str(err))
    timed = isinstance(err, TimeBudgetError)
    drivers = str(err).split(" takes about " if timed else " needs about ")[0]
    for name in sorted(err.parameters, key=len, reverse=True):
        drivers = re.sub(rf"\b{name}\b", FLAGS.get(name, name), drivers)
    if timed:  # "about 40 minutes; the limit is 5 minutes — lower --generations, or raise it with --max-minutes"
        return (f"{drivers} takes about {duration(err.estimate)}; the limit is {duration(err.limit)} — "
                f"lower {lower}, or raise it with --max-minutes")
    return (f"{drivers} needs about {size(err.estimate)}; the limit is {size(err.limit)} — "
            f"lower {lower}, or raise the limit with --memory-mb")


def _table(history, out):
    """A few generations' median metrics, readable in a terminal."""
    from .engine.loop import median_over_seeds
    from .engine.metrics import spread

    names = list(history.metrics)
    G = history.generations
    rows = spread(G, 11)
    # medians of the printed generations only: a long run has millions of columns
    medians = {n: median_over_seeds(history.metrics[n][:, rows]) for n in names}
    width = [max(len(n), 9) for n in names]
    print(f"median over {history.config['seeds']} seed(s)", file=out)
    print("generation  " + "  ".join(f"{n:>{w}}" for n, w in zip(names, width)), file=out)
    for i, g in enumerate(rows):
        print(f"{g:>10}  " + "  ".join(f"{medians[n][i]:>{w}.4g}" for n, w in zip(names, width)), file=out)
    stopped = [f"seed {s}: {why}" for s, why in enumerate(history.stopped) if why]
    for line in stopped:
        print(line, file=out)


def _finite(value):
    """JSON has no Infinity or NaN: they become null (a stopped seed, a metric with no value)."""
    return value if math.isfinite(value) else None


def write_json(history, out):
    """The History as JSON, one seed's row at a time: a long run never holds its whole text in memory.

    Same shape as History.to_dict(): {"config", "metrics": {name: [[per generation] per seed]}, "stopped"}.
    """
    config = {k: (_finite(v) if isinstance(v, float) else v) for k, v in history.config.items()}
    dumps = lambda obj: json.dumps(obj, allow_nan=False, default=str)  # noqa: E731  (numpy scalars, devices)
    out.write('{"config": ' + dumps(config) + ', "metrics": {')
    for i, (name, values) in enumerate(history.metrics.items()):
        out.write(("" if i == 0 else ", ") + dumps(name) + ": [")
        for s, row in enumerate(np.asarray(values, float)):
            out.write(("" if s == 0 else ", ") + dumps([_finite(v) for v in row.tolist()]))
        out.write("]")
    out.write('}, "stopped": ' + dumps(history.stopped) + "}\n")


def _device(model):
    """Where a torch model's weights live ('cpu', 'cuda:0'): GPU results differ from CPU results."""
    params = getattr(model, "params_", None)
    return str(next(iter(params.values())).device) if params else None


def _notebooks_folder(given):
    from pathlib import Path

    if given is not None:
        return Path(given)
    for candidate in (Path.cwd() / "notebooks", Path(__file__).resolve().parents[1] / "notebooks"):
        if any(candidate.glob("*.ipynb")):
            return candidate
    raise ValueError("no notebooks/ folder here or beside the package: name it with --notebooks DIR")


def warm(args, out=sys.stdout):
    """`python -m collapse_lab warm`: every notebook run once with a writable store; prints the store's size."""
    import time

    from .engine import store

    folder = args.store or os.environ.get(store.ENV_VAR, "")
    if not folder:
        return _fail(f"warm needs a directory: --store DIR (or ${store.ENV_VAR})")
    try:
        notebooks = sorted(p for p in _notebooks_folder(args.notebooks).glob("*.ipynb")
                           if not args.only or p.name.startswith(tuple(args.only)))
    except ValueError as err:
        return _fail(str(err))
    if not notebooks:
        return _fail(f"no notebooks to run in {args.notebooks or 'notebooks/'}")
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError:
        return _fail("warm runs the notebooks with nbclient: pip install nbclient nbformat")
    folder = os.path.abspath(folder)
    os.makedirs(folder, exist_ok=True)
    shared = store.DirectoryStore(folder)
    if args.clear:
        for entry in shared.entries():
            os.unlink(entry.path)
    # the kernels below inherit these: they register a *writable* store (the only place one is)
    before = {var: os.environ.get(var) for var in (store.ENV_VAR, store.WRITE_ENV_VAR)}
    os.environ.update({store.ENV_VAR: folder, store.WRITE_ENV_VAR: "1"})
    failed, start = [], time.perf_counter()
    try:
        for path in notebooks:
            count, began = len(shared.entries()), time.perf_counter()
            nb = nbformat.read(path, as_version=4)
            client = NotebookClient(nb, timeout=args.timeout, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}})
            try:
                client.execute()
                note = ""
            except Exception as err:  # a failing notebook: say so, keep what it stored, go on
                failed.append(path.name)
                note = f"  FAILED: {type(err).__name__}: {' '.join(str(err).split())[:200]}"
            print(f"{path.name:<44} {time.perf_counter() - began:6.1f} s  "
                  f"{len(shared.entries()) - count:+4d} entries{note}", file=out, flush=True)
        # then every explorer's "Try this" tips, followed as a learner would (the notebooks list them):
        # one process, explorers built as their notebooks build them
        count, began = len(shared.entries()), time.perf_counter()
        lessons = [p.name[:2] for p in notebooks]
        followed = subprocess.run([sys.executable, "-c", "import sys; from collapse_lab.__main__ import follow_tips; "
                                   "sys.exit(follow_tips(sys.argv[1:]))", *lessons],
                                  env=dict(os.environ, MPLBACKEND="Agg"), capture_output=True, text=True,
                                  timeout=args.timeout)
        note = "" if followed.returncode == 0 else f"  FAILED: {' '.join(followed.stderr.split())[-200:]}"
        if followed.returncode:
            failed.append("the explorers' tips")
        print(f"{'the explorers: Try this':<44} {time.perf_counter() - began:6.1f} s  "
              f"{len(shared.entries()) - count:+4d} entries{note}", file=out, flush=True)
    finally:
        _restore_environment(before)
    entries = shared.entries()
    print(f"store {folder}: {len(entries)} entries, {shared.size_bytes() / 1e6:.1f} MB, "
          f"warmed in {time.perf_counter() - start:.0f} s", file=out)
    if failed:
        return _fail(f"{len(failed)} notebook(s) failed: {', '.join(failed)}")
    return 0


def follow_tips(lessons):
    """Follow every "Try this" tip of the given lessons' explorers (warm's last step, in its own process
    with the writable store registered). A tip that trains the neural model is left out: its full run
    takes about a minute, and its result may differ in the last bits with the machine's threads."""
    from . import dashboards
    from .explorers import try_tip

    for lesson in lessons:
        if lesson not in dashboards.AS_IN_NOTEBOOKS:      # notebook 00 has no explorer
            continue
        explorer = dashboards.AS_IN_NOTEBOOKS[lesson]()
        for tip in explorer.tip_list:
            if not any(step.get("model") == "neural" for step in tip.steps):
                try_tip(explorer, tip)
    return 0


def _restore_environment(before):
    """Put back the environment variables a command set for its run ({name: value before, or None})."""
    for var, value in before.items():
        if value is None:
            os.environ.pop(var, None)
        else:
            os.environ[var] = value


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.command == "warm":
        return warm(args)
    from .engine import guard
    from .engine.loop import simulate

    before = {var: os.environ.get(var) for var in (guard.ENV_VAR, guard.TIME_ENV_VAR)}
    try:
        # simulate's own guard reads the same budgets, from the environment
        for flag, value, var, unit, high in (("--memory-mb", args.memory_mb, guard.ENV_VAR, "megabytes", guard.MAX_MB),
                                             ("--max-minutes", args.max_minutes, guard.TIME_ENV_VAR, "minutes", 10**6)):
            if value is not None:
                if not (math.isfinite(value) and 0 < value <= high):
                    raise ValueError(f"{flag} must be a number of {unit} in the range (0, {high:g}]. Got {value!r} instead.")
                os.environ[var] = repr(value)
        guard.memory_limit(), guard.time_limit()  # a bad environment variable is refused here, in one line
        check_flags(args)
        check_plot(args.plot)
        world, model, student, gate = build(args)
        words = args.world == "words"
        run = dict(generations=args.generations,
                   samples=args.samples if args.samples is not None else (20000 if words else 100),
                   real_fraction=args.real_fraction, mode=args.mode, gate=gate, temperature=args.temperature,
                   seeds=args.seeds if args.seeds is not None else (1 if words else 20), seed=args.seed,
                   snapshots=11 if args.plot else 0,  # the samples are kept only for the figure
                   progress=args.progress, **_levers(args))
        if student is not None:
            run["student"] = student
        _check_run(world, model, run, json=args.json)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = simulate(world, model, **run)
    except (guard.MemoryBudgetError, guard.TimeBudgetError) as err:
        return _fail(_budget_message(err))
    except (ValueError, TypeError, OverflowError) as err:
        return _fail(_in_flags(str(err)))
    finally:
        _restore_environment(before)
    for warning in _unique(caught):  # in words, one line each: no file path, no Python warning format
        print(f"python -m collapse_lab: warning: {' '.join(str(warning.message).split())}", file=sys.stderr)
    device = _device(history.model)
    if device:
        history.config["device"] = device
    if args.json:
        write_json(history, sys.stdout)
    else:
        _table(history, sys.stdout)
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        from . import plots

        fig = plots.summary(history, args.world, world=world)
        fig.savefig(args.plot, dpi=110, bbox_inches="tight")
        print(f"saved {args.plot}", file=sys.stderr)
    return 0


def _check_run(world, model, run, json=False):
    """simulate's numbers checked here too, so the guard below only ever sees valid ones."""
    from .engine import guard
    from .engine.checks import check_number

    for name, low in (("generations", 1), ("samples", 2), ("seeds", 1)):
        check_number(run[name], name, "simulate", low=low, integer=True)
    if "teacher_samples" in run:
        check_number(run["teacher_samples"], "teacher_samples", "simulate", low=1, integer=True)
    # the exact Gaussian path: no gate, no student, and none of the newer levers (which may need samples)
    plain = run["mode"] in ("replace", "accumulate") and not _levers_in(run)
    exact = plain and run["gate"] is None and "student" not in run and getattr(world, "kind", None) == "gaussian"
    guard.check(world, model, exact=exact, plot=run["snapshots"] > 0, json=json,
                **{k: v for k, v in run.items() if k not in ("progress", "seed")})


def _unique(caught):
    """The warnings a run raised, each text once, in the order they came."""
    seen = {}
    for warning in caught:
        seen.setdefault(str(warning.message), warning)
    return list(seen.values())


def _levers_in(run):
    return any(k in run for k in ("real_source", "refill", "fine_tune", "teacher_samples", "distill", "max_draws"))


def _fail(message):
    print(f"python -m collapse_lab: error: {' '.join(message.split())}", file=sys.stderr)
    return 2


def _console():
    """Entry point: main(), and quiet when the reader stops reading (`... | head`)."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's documented recipe
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(_console())
