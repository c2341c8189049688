"""Command line: run any world, model and recipe headless.

    python -m collapse_lab run gaussian --generations 200 --samples 20 --seeds 200 --json
    python -m collapse_lab run words --model ngram --temperature 0.8 --plot words.png
    python -m collapse_lab --help

Bad input exits with status 2 and one line on stderr.
"""
import argparse
import json
import sys

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
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # one line on stderr and exit status 2 (argparse's own status for usage errors)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser():
    from .gates import GATE_HELP

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
    run.add_argument("--generations", type=int, default=20, help="generations after generation 0 (default 20)")
    run.add_argument("--samples", type=int, default=None, help="samples per generation (default: 100; words 20000)")
    run.add_argument("--real-fraction", type=float, default=0.0, help="share of fresh real data per generation, 0..1")
    run.add_argument("--mode", default="replace", help="replace (newest data only) or accumulate (all data so far)")
    run.add_argument("--gate", default=None, help="quality gate, e.g. top:0.8, clip:2, dedup, real, top:0.9+dedup")
    run.add_argument("--temperature", type=float, default=1.0, help="sampling temperature > 0 (default 1)")
    run.add_argument("--seeds", type=int, default=None, help="independent runs side by side (default: 20; words 1)")
    run.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    run.add_argument("--vocab", type=int, default=2000, help="categorical: number of words (default 2000)")
    run.add_argument("--smoothing", type=float, default=None, help="categorical / ngram: additive smoothing")
    run.add_argument("--model", default="ngram", help="words: ngram or neural (default ngram)")
    run.add_argument("--order", type=int, default=3, help="words, ngram: characters of context + 1 (default 3)")
    run.add_argument("--top-k", type=int, default=None, help="words: sample only from the k likeliest characters")
    run.add_argument("--mix", default=None, help="words: a minority language at a share, e.g. fi:0.05")
    run.add_argument("--json", action="store_true", help="print the configuration and every metric as JSON")
    run.add_argument("--plot", metavar="FILE.png", default=None, help="save the standard figure")
    run.add_argument("--progress", action="store_true", help="show a progress bar on stderr")
    return parser


def build(args):
    """World, model and gate from parsed arguments (ValueError on bad values)."""
    from . import gates, toys

    if args.world == "gaussian":
        world, model = toys.Gaussian(), toys.GaussianModel()
    elif args.world == "mixture1d":
        world, model = toys.Mixture.one_d(), toys.MixtureModel()
    elif args.world == "mixture2d":
        world, model = toys.Mixture.two_d(), toys.MixtureModel()
    elif args.world == "categorical":
        world = toys.Categorical.words(args.vocab)
        model = toys.EmpiricalModel(world.n_categories, 0.0 if args.smoothing is None else args.smoothing)
    else:
        from . import charlm, words

        mix = None
        if args.mix:
            lang, _, share = args.mix.partition(":")
            try:
                mix = {lang: float(share)}
            except ValueError:
                raise ValueError(f"The 'mix' parameter of run must be LANG:SHARE, e.g. fi:0.05. Got {args.mix!r} instead.") from None
        world = words.Words(mix=mix)
        if args.model == "ngram":
            extra = {} if args.smoothing is None else {"smoothing": args.smoothing}
            model = charlm.NGramLM(order=args.order, top_k=args.top_k, **extra)
        elif args.model == "neural":
            model = charlm.NeuralLM(top_k=args.top_k)
        else:
            raise ValueError(f"The 'model' parameter of run must be one of 'ngram', 'neural'. Got {args.model!r} instead.")
        model._check_params()  # fail now, before any data is drawn
    return world, model, gates.parse(args.gate, world)


def _table(history, out):
    """A few generations' median metrics, readable in a terminal."""
    names = list(history.metrics)
    G = history.generations
    rows = sorted(set(np.linspace(0, G, min(G + 1, 11)).round().astype(int)))
    width = [max(len(n), 9) for n in names]
    print(f"median over {history.config['seeds']} seed(s)", file=out)
    print("generation  " + "  ".join(f"{n:>{w}}" for n, w in zip(names, width)), file=out)
    for g in rows:
        print(f"{g:>10}  " + "  ".join(f"{history.median(n)[g]:>{w}.4g}" for n, w in zip(names, width)), file=out)
    stopped = [f"seed {s}: {why}" for s, why in enumerate(history.stopped) if why]
    for line in stopped:
        print(line, file=out)


def main(argv=None):
    args = _parser().parse_args(argv)
    from .loop import simulate

    try:
        world, model, gate = build(args)
        words = args.world == "words"
        history = simulate(world, model, generations=args.generations,
                           samples=args.samples if args.samples is not None else (20000 if words else 100),
                           real_fraction=args.real_fraction, mode=args.mode, gate=gate,
                           temperature=args.temperature,
                           seeds=args.seeds if args.seeds is not None else (1 if words else 20),
                           seed=args.seed, progress=args.progress)
    except ValueError as err:
        print(f"python -m collapse_lab: error: {err}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(history.to_dict(), sys.stdout)
        print()
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


if __name__ == "__main__":
    sys.exit(main())
