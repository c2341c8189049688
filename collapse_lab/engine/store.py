"""A store of runs on disk, shared by every learner of one installation (Binder image, workshop hub).

The course's runs are seeded, so a run is a pure function of its key (cache.key_of: the function,
every argument, the package version). `python -m collapse_lab warm` computes the runs the nine
notebooks make and those of the explorers' "Try this" tips, once, into a directory; every
learner's process then reads them instead of computing them again (an explorer's run too: its
progress callback is a loop.Watcher, which changes nothing computed). A learner's own settings
are computed in their process and never written back (ReadOnlyStore): the shared directory holds
only what `warm` put there.

One file per key, named by a hash of the key's repr:

    <sha256 of repr(key)>.run   =   one line of JSON (the header) + the payload
    header: {"format": 1, "key": repr(key), "version": ..., "bytes": n, "sha256": of the payload,
             "compression": "zstd", "zlib" or null}
    payload: the pickled value, compressed when that at least halves it (the language runs' word
             arrays shrink 5-10x, the Gaussian runs' random numbers not at all): with Zstandard
             (level 3) where the zstandard package is installed (requirements.lock has it), else
             zlib (level 1). Zstandard reads back 2.7x faster (0.39 s against 1.04 s for a quarter
             of the course's store, 486 MB unpacked) and packs it 6.1x against 5.4x; reading is
             what a learner waits for. A reader without zstandard treats a zstd entry as a miss.

`get` trusts nothing it cannot check: a missing file, a header for another key or another package
version, a payload whose length or checksum does not match, or one that does not unpickle is a
miss (None), and the caller computes the run as if there were no store. Writes go to a temporary
file renamed into place, so a reader never sees half an entry.

Found through the environment: COLLAPSE_LAB_STORE=/path/to/dir (Binder's binder/start, the hub's
spawner environment). engine/cache.py registers it when the package is imported, without touching
the directory. Only `warm` sets COLLAPSE_LAB_STORE_WRITE=1 for the kernels it runs, which makes the
registered store writable.

Unpickling runs code named in the file, so the directory must be writable only by whoever built
it (the image's build step, the hub's administrator), never by learners.
"""
import hashlib
import json
import os
import pickle
import tempfile
import zlib

try:
    import zstandard
except ImportError:   # optional: entries are then written with zlib, and zstd entries are misses
    zstandard = None

ENV_VAR = "COLLAPSE_LAB_STORE"
WRITE_ENV_VAR = "COLLAPSE_LAB_STORE_WRITE"
FORMAT = 1
SUFFIX = ".run"


def file_name(key):
    """The entry's file name: a hash of the key's repr (the repr is the same in every process)."""
    return hashlib.sha256(repr(key).encode()).hexdigest() + SUFFIX


class ReadOnlyStore:
    """Reads entries from a directory and never writes one (what a learner's process registers)."""

    writable = False

    def __init__(self, path):
        self.path = os.fspath(path)
        self.hits = self.misses = self.rejected = 0

    def __repr__(self):
        return f"{type(self).__name__}({self.path!r})"

    def get(self, key):
        """The stored value of `key`, or None when there is none that can be trusted."""
        value = self._read(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def _read(self, key):
        try:
            with open(os.path.join(self.path, file_name(key)), "rb") as f:
                header = json.loads(f.readline())
                payload = f.read()
        except FileNotFoundError:
            return None
        except (OSError, ValueError):  # unreadable, or a header that is not JSON
            self.rejected += 1
            return None
        version = key[-1] if isinstance(key, tuple) and key else None
        if not (isinstance(header, dict) and header.get("format") == FORMAT and header.get("key") == repr(key)
                and header.get("version") == version and header.get("bytes") == len(payload)
                and header.get("sha256") == hashlib.sha256(payload).hexdigest()):
            self.rejected += 1
            return None
        try:
            if header.get("compression") == "zstd" and zstandard is not None:
                payload = zstandard.ZstdDecompressor().decompress(payload)
            elif header.get("compression") == "zlib":
                payload = zlib.decompress(payload)
            elif header.get("compression") is not None:
                self.rejected += 1
                return None
            return pickle.loads(payload)
        except Exception:  # a class that moved or changed since the entry was written, bad zlib data
            self.rejected += 1
            return None

    def put(self, key, value):
        """A learner's run stays in their process: nothing is written."""

    def entries(self):
        """The entry files in the directory (a scan: for reports, never on the way to a run)."""
        try:
            return [e for e in os.scandir(self.path) if e.name.endswith(SUFFIX) and e.is_file()]
        except OSError:
            return []

    def size_bytes(self):
        return sum(e.stat().st_size for e in self.entries())


class DirectoryStore(ReadOnlyStore):
    """Reads and writes entries (what `warm` registers, and tests)."""

    writable = True

    def __init__(self, path):
        super().__init__(path)
        self.written = self.unpicklable = 0

    def put(self, key, value):
        """Write the entry atomically; a value that cannot be pickled is left out (it is then computed)."""
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            self.unpicklable += 1
            return
        compression = "zstd" if zstandard is not None else "zlib"
        packed = zstandard.ZstdCompressor(level=3).compress(payload) if zstandard else zlib.compress(payload, 1)
        if len(packed) <= len(payload) // 2:
            payload = packed
        else:
            compression = None
        header = {"format": FORMAT, "key": repr(key), "version": key[-1], "bytes": len(payload),
                  "sha256": hashlib.sha256(payload).hexdigest(), "compression": compression}
        os.makedirs(self.path, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=".writing-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(json.dumps(header).encode() + b"\n")
                f.write(payload)
            os.chmod(tmp, 0o644)
            os.replace(tmp, os.path.join(self.path, file_name(key)))
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        self.written += 1


def from_environment(environ=None):
    """The store COLLAPSE_LAB_STORE names (read-only unless COLLAPSE_LAB_STORE_WRITE=1), or None.

    Cheap: the directory is not opened here; a directory that does not exist is simply a store
    where every key is a miss."""
    environ = os.environ if environ is None else environ
    path = environ.get(ENV_VAR, "").strip()
    if not path:
        return None
    return DirectoryStore(path) if environ.get(WRITE_ENV_VAR) == "1" else ReadOnlyStore(path)
