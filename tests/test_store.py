"""The shared store of runs (engine/store.py): read before computing, never trusted when it cannot be checked."""
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import collapse_lab
from collapse_lab import Gaussian, GaussianModel, simulate
from collapse_lab.engine import cache, store
from collapse_lab.engine.cache import key_of, portable, remembered

RUN = dict(generations=5, samples=20, seeds=3, seed=0)


@pytest.fixture
def shared(tmp_path):
    """A writable store registered for one test (what `warm` does), removed after it."""
    written = store.DirectoryStore(tmp_path / "store")
    cache.STORES.append(written)
    yield written
    cache.STORES.remove(written)


def only_entry(directory):
    (path,) = [p for p in directory.iterdir() if p.suffix == ".run"]
    return path


def test_a_run_is_written_once_and_read_back_equal(shared, tmp_path):
    first = simulate(Gaussian(), GaussianModel(), **RUN)
    assert shared.written == 1 and shared.misses == 1
    again = simulate(Gaussian(), GaussianModel(), **RUN)
    assert shared.hits == 1 and again is not first     # a fresh copy: a learner may change theirs
    for name in first.metrics:
        assert np.array_equal(first[name], again[name], equal_nan=True)
    assert np.array_equal(first.snapshots[5], again.snapshots[5])   # the exact path's drawn-when-read samples
    header = json.loads(only_entry(tmp_path / "store").read_bytes().split(b"\n", 1)[0])
    assert header["version"] == collapse_lab.__version__ and "simulate" in header["key"]


def test_a_tampered_entry_is_detected_and_recomputed(shared, tmp_path):
    honest = simulate(Gaussian(), GaussianModel(), **RUN)
    path = only_entry(tmp_path / "store")
    header, payload = path.read_bytes().split(b"\n", 1)
    forged = simulate(Gaussian(std=3.0), GaussianModel(), **RUN)      # another run's bytes, same length or not
    path.write_bytes(header + b"\n" + pickle.dumps(forged))
    reader = store.ReadOnlyStore(tmp_path / "store")
    key = key_of(simulate.__wrapped__, (Gaussian(), GaussianModel()), RUN)
    assert reader.get(key) is None and reader.rejected == 1
    cache.STORES[:] = [reader]
    try:
        again = simulate(Gaussian(), GaussianModel(), **RUN)           # recomputed, not the forgery
    finally:
        cache.STORES[:] = [shared]
    assert np.array_equal(again["std"], honest["std"]) and not np.array_equal(again["std"], forged["std"])
    # a flipped byte in the payload, a truncated file, garbage: all misses
    for broken in (header + b"\n" + payload[:-1] + bytes([payload[-1] ^ 1]), header + b"\n" + payload[:100],
                   b"not json\n" + payload, b""):
        path.write_bytes(broken)
        assert reader.get(key) is None


def test_an_entry_of_another_key_or_version_is_not_trusted(shared, tmp_path):
    simulate(Gaussian(), GaussianModel(), **RUN)
    path = only_entry(tmp_path / "store")
    header, payload = path.read_bytes().split(b"\n", 1)
    reader = store.ReadOnlyStore(tmp_path / "store")
    key = key_of(simulate.__wrapped__, (Gaussian(), GaussianModel()), RUN)
    assert reader.get(key) is not None
    foreign = json.loads(header)
    foreign["version"] = "0.0.1"
    path.write_bytes(json.dumps(foreign).encode() + b"\n" + payload)
    assert reader.get(key) is None
    other = key_of(simulate.__wrapped__, (Gaussian(), GaussianModel()), dict(RUN, seed=1))
    path.rename(path.with_name(store.file_name(other)))      # the right bytes filed under another key
    path.with_name(store.file_name(other)).write_bytes(header + b"\n" + payload)
    assert reader.get(other) is None


@pytest.mark.parametrize("codec", ["zstd", "zlib"])
def test_a_compressible_value_is_stored_compressed_and_read_back(tmp_path, monkeypatch, codec):
    if codec == "zlib":
        monkeypatch.setattr(store, "zstandard", None)        # an environment without the zstandard package
    else:
        assert store.zstandard is not None, "requirements.lock installs zstandard"
    writer = store.DirectoryStore(tmp_path)
    key = key_of(simulate.__wrapped__, (Gaussian(), GaussianModel()), RUN)
    table = np.zeros((300, 300))
    writer.put(key, {"table": table})
    path = only_entry(tmp_path)
    header = json.loads(path.read_bytes().split(b"\n", 1)[0])
    assert header["compression"] == codec and path.stat().st_size < table.nbytes / 10
    assert np.array_equal(writer.get(key)["table"], table)
    if codec == "zstd":                                     # read where zstandard is missing: a miss, not an error
        monkeypatch.setattr(store, "zstandard", None)
        assert writer.get(key) is None
        monkeypatch.undo()
    header["compression"] = "lzma"                          # a compression this version does not know
    path.write_bytes(json.dumps(header).encode() + b"\n" + path.read_bytes().split(b"\n", 1)[1])
    assert writer.get(key) is None


def test_an_unreadable_entry_is_a_miss(tmp_path):
    reader = store.ReadOnlyStore(tmp_path / "store")
    key = key_of(simulate.__wrapped__, (Gaussian(), GaussianModel()), RUN)
    assert reader.get(key) is None                         # no directory at all
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / store.file_name(key)).mkdir()    # a directory where the file should be
    assert reader.get(key) is None


def test_a_learners_process_never_writes_the_shared_store(tmp_path):
    reader = store.ReadOnlyStore(tmp_path)
    cache.STORES.append(reader)
    try:
        simulate(Gaussian(), GaussianModel(), **RUN)
    finally:
        cache.STORES.remove(reader)
    assert list(tmp_path.iterdir()) == [] and reader.misses == 1


def test_only_portable_seeded_runs_without_callbacks_reach_a_store(shared, tmp_path):
    simulate(Gaussian(), GaussianModel(), **dict(RUN, seed=None))                  # unseeded: a new run every call
    simulate(Gaussian(), GaussianModel(), callback=lambda h, g: None, **RUN)       # a dashboard waits for its calls
    simulate(Gaussian(), GaussianModel(), **dict(RUN, seed=np.random.default_rng(0)))

    class MyModel(GaussianModel):                     # a notebook's own class may change under the same name
        pass

    simulate(Gaussian(), MyModel(), **RUN)
    assert shared.written == 0 and shared.hits + shared.misses == 0
    assert not portable(key_of(simulate.__wrapped__, (Gaussian(), MyModel()), RUN))
    assert portable(key_of(simulate.__wrapped__, (Gaussian(), GaussianModel()), RUN))

    @remembered(maxsize=1)
    def outside(x):                                   # a function outside the package: its name is not shared
        return x

    assert outside(1) == 1 and shared.written == 0


def course_function(func):
    """func as if it were one of the package's own (only those are shared through a store)."""
    func.__module__ = "collapse_lab.lessons.example"
    return func


def test_a_remembered_run_reads_the_store_before_computing(shared):
    calls = []

    @remembered(maxsize=1)
    @course_function
    def lesson_run(minority=0.1, *, seed=0):
        calls.append(minority)
        return minority

    assert lesson_run() == 0.1 and calls == [0.1] and shared.written == 1
    shared.put(key_of(lesson_run.__wrapped__, (0.2,), {}), "from the store")
    assert lesson_run(0.2) == "from the store" and calls == [0.1]


def test_the_environment_registers_a_read_only_store_without_opening_it(tmp_path):
    assert store.from_environment({}) is None
    found = store.from_environment({store.ENV_VAR: str(tmp_path / "nowhere")})
    assert type(found) is store.ReadOnlyStore and not (tmp_path / "nowhere").exists()
    assert type(store.from_environment({store.ENV_VAR: str(tmp_path), store.WRITE_ENV_VAR: "1"})) is store.DirectoryStore


def test_the_package_registers_the_store_the_environment_names(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path))
    monkeypatch.delenv(store.WRITE_ENV_VAR, raising=False)
    monkeypatch.setattr(cache, "STORES", [])
    cache._register_from_environment()
    assert [type(s) for s in cache.STORES] == [store.ReadOnlyStore] and list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_importing_the_package_registers_it(tmp_path):
    code = "from collapse_lab.engine import cache; print(cache.STORES)"
    env = dict(os.environ, **{store.ENV_VAR: str(tmp_path)})
    env.pop(store.WRITE_ENV_VAR, None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == f"[ReadOnlyStore({str(tmp_path)!r})]", out.stderr


# --- the notebooks: a warm store changes nothing a learner reads ----------------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def run_notebook(path, out_dir):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    out_dir.mkdir(exist_ok=True)
    nbformat.write(nb, out_dir / path.name)


@pytest.mark.slow
def test_notebooks_read_cold_and_warm_give_the_same_outputs_cell_by_cell(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from compare_notebooks import compare
    finally:
        sys.path.remove(str(ROOT / "tools"))
    directory = tmp_path / "store"
    warmed = subprocess.run([sys.executable, "-m", "collapse_lab", "warm", "--store", str(directory),
                             "--notebooks", str(ROOT / "notebooks"), "00", "01"],
                            capture_output=True, text=True, timeout=900)
    assert warmed.returncode == 0, warmed.stderr
    assert "entries" in warmed.stdout and "warmed in" in warmed.stdout
    assert "the explorers: Try this" in warmed.stdout
    entries = sorted(directory.glob("*.run"))
    assert len(entries) >= 10
    # a learner following notebook 01's tips reads every run from the store: nothing is computed
    code = ("import matplotlib; matplotlib.use('Agg')\n"
            "from collapse_lab import dashboards\nfrom collapse_lab.engine import cache\n"
            "from collapse_lab.explorers import try_tip\n"
            "e = dashboards.AS_IN_NOTEBOOKS['01']()\n"
            "for tip in e.tip_list: try_tip(e, tip)\n"
            "print(cache.STORES[0].hits, cache.STORES[0].misses)")
    env = {k: v for k, v in os.environ.items() if k != store.WRITE_ENV_VAR}
    followed = subprocess.run([sys.executable, "-c", code], env=dict(env, **{store.ENV_VAR: str(directory)}),
                              capture_output=True, text=True, timeout=300)
    hits, misses = map(int, followed.stdout.split())
    assert hits >= 5 and misses == 0, followed.stdout + followed.stderr
    # a damaged store: one entry gone, one tampered with; those runs are computed in the kernel
    entries[0].unlink()
    data = bytearray(entries[1].read_bytes())
    data[-20] ^= 0xFF
    entries[1].write_bytes(bytes(data))
    before = {p.name: p.stat().st_mtime_ns for p in directory.iterdir()}
    notebooks = [ROOT / "notebooks" / "00_start_here.ipynb", ROOT / "notebooks" / "01_gaussian_collapse.ipynb"]
    monkeypatch.delenv(store.WRITE_ENV_VAR, raising=False)
    monkeypatch.delenv(store.ENV_VAR, raising=False)
    for path in notebooks:
        run_notebook(path, tmp_path / "cold")
    monkeypatch.setenv(store.ENV_VAR, str(directory))
    for path in notebooks:
        run_notebook(path, tmp_path / "warm")
    for path in notebooks:
        compared, differences = compare(tmp_path / "cold" / path.name, tmp_path / "warm" / path.name)
        assert compared > 5 and differences == [], differences
    # the learners' kernels wrote nothing: not the missing entry, not a repair of the tampered one
    assert {p.name: p.stat().st_mtime_ns for p in directory.iterdir()} == before


def test_warm_needs_a_store_and_notebooks(tmp_path, monkeypatch, capsys):
    from collapse_lab.__main__ import main

    monkeypatch.delenv(store.ENV_VAR, raising=False)
    assert main(["warm"]) == 2 and "--store DIR" in capsys.readouterr().err
    assert main(["warm", "--store", str(tmp_path / "s"), "--notebooks", str(tmp_path)]) == 2
    assert "no notebooks" in capsys.readouterr().err


def test_the_comparison_joins_a_stream_the_kernel_cut_in_two():
    # a warm run prints faster: the kernel may send one cell's stdout as two messages (seen in CI)
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from compare_notebooks import merged_streams

    cut = [{"output_type": "stream", "name": "stdout", "text": ["a\n"]},
           {"output_type": "stream", "name": "stdout", "text": "b\n"},
           {"output_type": "stream", "name": "stderr", "text": "c\n"}]
    assert [o["text"] for o in merged_streams(cut)] == ["a\nb\n", "c\n"]


def test_a_world_built_from_arrays_is_keyed_by_their_content_and_reaches_a_store(shared):
    # Categorical.words holds numpy arrays; their repr is abridged, so they are keyed by a hash of
    # their bytes: equal content, one key in every process; one changed word, another key
    from collapse_lab import Categorical, EmpiricalModel

    world, model = Categorical.words(n_words=50), EmpiricalModel(50)
    key = key_of(simulate.__wrapped__, (world, model), RUN)
    assert portable(key) and key == key_of(simulate.__wrapped__, (Categorical.words(n_words=50), model), RUN)
    other = Categorical(world.probs, world.labels[::-1].copy())
    assert key != key_of(simulate.__wrapped__, (other, model), RUN)
    same_world = Categorical.words(n_words=50)   # built before counting: the word table may reach the store too
    written, hits = shared.written, shared.hits
    first = simulate(world, model, **RUN)
    assert shared.written == written + 1
    again = simulate(same_world, EmpiricalModel(50), **RUN)
    assert shared.hits == hits + 1 and np.array_equal(again["entropy"], first["entropy"])


def test_an_explorers_watched_run_is_stored_whole_and_answered_without_its_watcher(shared):
    """A Watcher (an explorer's progress, redraws and Stop) changes nothing computed: the run it
    watched to the end is the stored run without it, and a stored run answers it at once."""
    from collapse_lab.engine.loop import Watcher

    calls = []
    watched = simulate(Gaussian(), GaussianModel(), **RUN, exact=False, callback=Watcher(lambda h, g: calls.append(g)))
    assert calls == list(range(RUN["generations"] + 1)) and shared.written == 1
    plain = simulate(Gaussian(), GaussianModel(), **RUN, exact=False)        # the same key: read, not run
    assert shared.hits == 1 and np.array_equal(plain["std"], watched["std"])
    calls.clear()
    again = simulate(Gaussian(), GaussianModel(), **RUN, exact=False, callback=Watcher(lambda h, g: calls.append(g)))
    assert calls == [] and shared.hits == 2 and np.array_equal(again["std"], watched["std"])


def test_a_run_stopped_early_or_with_a_learners_callback_is_never_stored(shared):
    from collapse_lab.engine.loop import Watcher

    stopped = simulate(Gaussian(), GaussianModel(), **dict(RUN, seed=7), callback=Watcher(lambda h, g: g < 2))
    assert stopped.generations == 2 and shared.written == 0               # Stop after generation 2: part of a run
    whole = simulate(Gaussian(), GaussianModel(), **dict(RUN, seed=7))
    assert whole.generations == RUN["generations"] and shared.written == 1
    calls = []
    simulate(Gaussian(), GaussianModel(), **dict(RUN, seed=7), callback=lambda h, g: calls.append(g))
    assert calls == list(range(RUN["generations"] + 1))     # a learner's callback: computed and called, stored or not
    assert shared.hits == 0 and shared.written == 1
