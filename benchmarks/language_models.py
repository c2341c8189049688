"""Benchmarks: our character language models against the straightforward per-word loops.

    python benchmarks/language_models.py            # all three benchmarks, about 5 minutes on 2 CPU cores
    python benchmarks/language_models.py ngram      # one of them (ngram, neural, explorers)

Each row runs the collapse loop for `generations` generations -- fit on the previous generation's
words (generation 0: real words), sample `samples` new words at temperature 1 -- and reports

    seconds   wall time of the fits and the sampling (the NLL evaluations are not counted)
    cpu_s     CPU time of the same, all threads: steadier than wall time on a busy machine
    nll_0     held-out NLL of the generation-0 model, nats per character (Words().heldout_)
    nll_last  the same for the last generation's model
    peak_mb   peak resident memory of the process that ran the row

Every row runs in a fresh process, one after the other, so its peak memory is its own and no
two rows compete for the CPU. The comparison models are written as a learner would first write
them: Python dicts and lists, one word at a time (n-gram: tests/reference_ngram.py, the same
reference the tests check NGramLM against), and makemore's MLP loop with random mini-batches of
512 and one word sampled at a time (neural).

`explorers` times what a slider change reruns in the words explorer (notebook 02) and the
distillation explorer (notebook 06), issue 10's target being 0.25 s from key to image in all:
median and best of several runs, wall and CPU time, against the same experiment with the plain
versions of its fast paths swapped in (tests/reference_ngram.py: word-by-word sampling and
scoring, the textbook Categorical metrics), which give the same numbers to the bit
(tests/test_same_results.py).
"""
import argparse
import random
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from reference_ngram import LoopNGram  # noqa: E402  (the tests' plain-Python n-gram)
import reference_ngram  # noqa: E402  (the plain versions of the explorers' fast paths)

# ----------------------------------------------------------------------------------------------
# the straightforward implementations


class LoopMLP:
    """makemore's MLP (Bengio et al. 2003): a dataset built word by word, random mini-batches, and
    sampling one word at a time. Same architecture, optimiser and learning-rate decay as worlds.NeuralLM
    (its own number of steps: random mini-batches need more of them to reach the same NLL)."""

    def __init__(self, context=5, n_embd=16, n_hidden=128, steps=2000, batch_size=512, lr=2e-2, max_len=20, seed=0):
        self.context, self.n_embd, self.n_hidden = context, n_embd, n_hidden
        self.steps, self.batch_size, self.lr, self.max_len, self.seed = steps, batch_size, lr, max_len, seed

    def encode(self, word):
        return [self.stoi.get(ch, 1) for ch in word] + [0]  # 0 = '.', 1 = unknown

    def fit(self, words):
        import torch
        import torch.nn.functional as F

        self.itos = [".", "?"] + sorted(set("".join(words)))
        self.stoi = {ch: i for i, ch in enumerate(self.itos)}
        X, Y = [], []
        for w in words:
            ctx = [0] * self.context
            for ix in self.encode(w):
                X.append(ctx)
                Y.append(ix)
                ctx = ctx[1:] + [ix]
        X, Y = torch.tensor(X), torch.tensor(Y)
        g = torch.Generator().manual_seed(self.seed)
        V, fan_in = len(self.itos), self.context * self.n_embd
        self.C = torch.randn(V, self.n_embd, generator=g)
        self.W1 = torch.randn(fan_in, self.n_hidden, generator=g) * fan_in**-0.5
        self.b1 = torch.zeros(self.n_hidden)
        self.W2 = torch.randn(self.n_hidden, V, generator=g) * 0.01
        self.b2 = torch.zeros(V)
        params = [self.C, self.W1, self.b1, self.W2, self.b2]
        for p in params:
            p.requires_grad = True
        opt = torch.optim.Adam(params, lr=self.lr)
        for i in range(self.steps):
            ix = torch.randint(0, X.shape[0], (self.batch_size,), generator=g)
            loss = F.cross_entropy(self.forward(X[ix]), Y[ix])
            opt.zero_grad()
            loss.backward()
            opt.param_groups[0]["lr"] = self.lr * (1 - i / self.steps + 0.02)  # linear decay, as NeuralLM
            opt.step()
        for p in params:
            p.requires_grad = False
        return self

    def forward(self, x):
        import torch

        emb = self.C[x]
        h = torch.tanh(emb.view(emb.shape[0], -1) @ self.W1 + self.b1)
        return h @ self.W2 + self.b2

    def log_prob(self, word):
        import torch

        ctx, lp = [0] * self.context, 0.0
        for ix in self.encode(word):
            lp += torch.log_softmax(self.forward(torch.tensor([ctx])), dim=1)[0, ix].item()
            ctx = ctx[1:] + [ix]
        return lp

    def sample(self, n, g):
        import torch

        words = []
        for _ in range(n):
            ctx, out = [0] * self.context, []
            for _ in range(self.max_len):
                probs = torch.softmax(self.forward(torch.tensor([ctx])), dim=1)
                probs[0, 1] = 0  # never the unknown slot
                ix = torch.multinomial(probs, num_samples=1, generator=g).item()
                if ix == 0:
                    break
                out.append(self.itos[ix])
                ctx = ctx[1:] + [ix]
            words.append("".join(out))
        return words


# ----------------------------------------------------------------------------------------------
# one row of a benchmark, run in its own process


def _peak_mb():
    """Peak resident memory of this process, in MB.

    On Linux, read VmHWM: getrusage's ru_maxrss survives exec, so a fresh worker process would
    report the peak of the (possibly much larger) process that started it.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _run(kind, generations, samples, seed, threads=None):
    """Run one implementation through the loop; return its row."""
    if threads:  # e.g. 1 on a busy machine, where waiting torch threads blur the timings
        import torch

        torch.set_num_threads(threads)
    from collapse_lab.worlds import NeuralLM, NGramLM
    from collapse_lab.worlds.words import Words

    world = Words()
    held = world.heldout_
    chars = (np.char.str_len(held) + 1).sum()  # the end token is predicted too
    rng = np.random.default_rng(seed)
    X = world.sample((1, samples), rng)  # (1, samples): one seed
    ours = kind in ("ngram", "neural")
    if ours:
        model = NGramLM() if kind == "ngram" else NeuralLM(seed=seed)
        nll = lambda m: float(-m.log_prob(held[None]).sum() / chars)  # noqa: E731
    else:
        words = X[0].tolist()
        model = LoopNGram() if kind == "loop_ngram" else LoopMLP(seed=seed)
        py_rng, torch_gen = random.Random(seed), None
        if kind == "loop_mlp":  # only the MLP needs torch: the plain n-gram's memory stays its own
            import torch

            torch_gen = torch.Generator().manual_seed(seed)
        nll = lambda m: -sum(m.log_prob(w) for w in held.tolist()) / chars  # noqa: E731
    seconds, cpu, nlls = 0.0, 0.0, []
    for g in range(generations + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        if ours:
            model.fit(X)
            X = model.sample(samples, rng)
        else:
            model.fit(words)
            words = model.sample(samples, py_rng if kind == "loop_ngram" else torch_gen)
        seconds += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        if g in (0, generations):
            nlls.append(nll(model))
    return dict(model=kind, seconds=seconds, cpu_seconds=cpu, nll_0=nlls[0], nll_last=nlls[-1], peak_mb=_peak_mb())


def _rows(kinds, generations, samples, seed, threads):
    rows = []
    for kind in kinds:  # one fresh process per row, one at a time
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            rows.append(pool.submit(_run, kind, generations, samples, seed, threads).result())
    return rows


def _print(title, rows, generations, samples):
    print(f"{title}: {generations} generations x {samples:,} words, 1 seed")
    print(f"  {'model':<12}{'seconds':>9}{'cpu_s':>8}{'nll_0':>8}{'nll_last':>10}{'peak_mb':>9}")
    for r in rows:
        print(f"  {r['model']:<12}{r['seconds']:>9.2f}{r['cpu_seconds']:>8.2f}{r['nll_0']:>8.3f}"
              f"{r['nll_last']:>10.3f}{r['peak_mb']:>9.0f}")
    print(f"  speed-up: {rows[1]['seconds'] / rows[0]['seconds']:.1f}x wall time, "
          f"{rows[1]['cpu_seconds'] / rows[0]['cpu_seconds']:.1f}x CPU time")


def bench_ngram(generations=10, samples=20000, seed=0, threads=None):
    """NGramLM (order 3) vs the same model in plain Python. Returns the two rows (ours first)."""
    rows = _rows(["ngram", "loop_ngram"], generations, samples, seed, threads)
    _print("n-gram", rows, generations, samples)
    return rows


def bench_neural(generations=10, samples=20000, seed=0, threads=None):
    """NeuralLM vs makemore's loop (same MLP, optimiser and schedule). Returns the rows (ours first).

    `threads`: torch threads for the plain loop (None: torch's default, one per core). NeuralLM
    runs on one thread whatever this says (see charlm._one_torch_thread).
    """
    rows = _rows(["neural", "loop_mlp"], generations, samples, seed, threads)
    _print("neural", rows, generations, samples)
    return rows


def _explorer_experiments():
    """What each explorer reruns on a slider change, at its default settings: name -> callable."""
    from collapse_lab import dashboards

    explorers = {
        "words (notebook 02)": dashboards.words(run=False),
        "distillation, 500 words x 1 seed (browser test)": dashboards.distillation(run=False, samples=500, seeds=1),
        "distillation, 2000 words x 3 seeds (notebook 06)": dashboards.distillation(run=False),
    }
    return {name: (lambda e=e: e._experiment(e.values(), lambda *a: True)) for name, e in explorers.items()}


def _times(fn, repeat):
    """(wall, cpu) seconds of `repeat` calls after one warm-up call."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return np.array(wall), np.array(cpu)


def bench_explorers(repeat=9):
    """Each explorer's experiment with our code and with the plain versions swapped in."""
    from unittest import mock

    from collapse_lab.worlds import NGramLM
    from collapse_lab.worlds import Categorical

    plain = [mock.patch.object(NGramLM, "sample", reference_ngram.reference_sample),
             mock.patch.object(NGramLM, "log_prob", reference_ngram.reference_log_prob),
             mock.patch.object(Categorical, "measure", reference_ngram.plain_categorical_measure)]
    print(f"explorers: what a slider change reruns (ms; ours: median and best of {repeat}, plain: one run)")
    print(f"  {'experiment':<50}{'wall':>8}{'best':>8}{'cpu':>8}{'plain':>9}{'speed-up':>10}")
    for name, experiment in _explorer_experiments().items():
        wall, cpu = _times(experiment, repeat)
        for patch in plain:
            patch.start()
        try:
            plain_wall, _ = _times(experiment, 1)
        finally:
            mock.patch.stopall()
        print(f"  {name:<50}{np.median(wall) * 1e3:>8.1f}{wall.min() * 1e3:>8.1f}{np.median(cpu) * 1e3:>8.1f}"
              f"{plain_wall[0] * 1e3:>9.0f}{plain_wall[0] / np.median(wall):>9.1f}x", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python benchmarks/language_models.py",
                                     description="NGramLM and NeuralLM against per-word Python loops, each row "
                                                 "in a fresh process: seconds, CPU seconds, NLL and peak memory.")
    parser.add_argument("parts", nargs="*", metavar="PART", help="ngram, neural, explorers (default: all)")
    args = parser.parse_args()
    unknown = [p for p in args.parts if p not in ("ngram", "neural", "explorers")]
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}: choose from ngram, neural, explorers")
    if not args.parts or "ngram" in args.parts:
        bench_ngram()
    if not args.parts or "neural" in args.parts:
        bench_neural()
    if not args.parts or "explorers" in args.parts:
        bench_explorers()
