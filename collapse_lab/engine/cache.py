"""The one cache of the course's runs: a seeded run is computed once per set of arguments.

A seeded run is a pure function of its arguments (the same seed gives the same History), so a
lesson that draws a run and its self-check that asks for it again can share one computation.
Every lesson function that returns a run is decorated once:

    @remembered(maxsize=8)
    def lesson_run(minority=0.1, *, samples=200, seed=0, **levers): ...

and is then computed once per *key*: the function's qualified name, every argument after
defaults are applied (so `lesson_run()` and `lesson_run(0.1, samples=200)` are one run), and
the package version (a new version may compute differently). The key is plain data, printable
and hashable, so a store on disk can be keyed by it too (`key_of`, `STORES`).

Results stay in memory, at most `maxsize` per function, least recently used first out
(functools.lru_cache underneath). Treat a remembered result as read-only: the next caller gets
the same object.

Stores (engine/store.py): before computing, each store in STORES is asked for the key; after
computing, each is given the result. Only a *portable* key goes to a store: one whose every part
means the same in another process (plain values, and the course's own worlds, models, gates and
recipes; a numpy array by a hash of its content). A key naming a learner's function or a class
defined in a notebook stays in this process. `stored` is the same without the memory: it is
what `simulate` uses, so a notebook's direct runs come from the shared store too, but a learner
who changes a History they were given changes only their own copy.
When COLLAPSE_LAB_STORE names a directory, that store is registered here at import.
"""
import functools
import hashlib
import inspect

import numpy as np

# stores a run may also be read from, tried in order before computing; each has
# get(key) -> value or None, and put(key, value). Empty: runs live in this process only.
STORES = []


def _version():
    from .. import __version__  # read when a key is made: the package imports the engine first

    return __version__


PLAIN = (type(None), bool, int, float, complex, str, bytes)


def _frozen(value):
    """A hashable stand-in for an argument that is the same in every process where it can be.

    Plain values stay; lists and tuples become tuples, dicts sorted pairs. A world, model or gate
    (anything with get_params) is named by its type and every constructor argument, so equal
    objects share a run; another object (a recipe) by its type and repr. An object whose repr is
    only its address (a learner's function) is kept itself, so it is never mistaken for another
    made later at the same address.
    """
    if isinstance(value, PLAIN) or isinstance(value, np.generic):
        return value
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, np.ndarray) and not value.dtype.hasobject:
        # an array by its content (numpy abridges its repr): dtype, shape and a hash of its bytes, the
        # same in every process; so a world built from arrays (Categorical.words) reaches the stores
        data = np.ascontiguousarray(value)
        return "numpy.ndarray", data.dtype.str, data.shape, hashlib.sha256(data.tobytes()).hexdigest()
    name = _Type(f"{type(value).__module__}.{type(value).__qualname__}")
    params = getattr(value, "get_params", None)
    if callable(params):
        return name, _frozen(params())
    text = repr(value)
    if " at 0x" in text:
        return _Same(value)
    return name, text


class _Type(str):
    """A type's name in a key: the same text (and repr) as a str, marked so `portable` can read it."""

    __slots__ = ()


def portable(key):
    """Does this key mean the same in every process (so a store on disk may hold it)?

    Not when it holds an object known only by identity (a learner's function), or the name of a
    class from outside the course's package (a notebook's own Model subclass may change under the
    same name). A numpy array is known by a hash of its content, so it may."""
    if isinstance(key, _Same):
        return False
    if isinstance(key, _Type):
        return key.startswith("collapse_lab.")
    if isinstance(key, tuple):
        return all(portable(part) for part in key)
    return True


class _Same:
    """An object with no telling repr, in a key: equal only to itself (and it stays alive while cached)."""

    def __init__(self, value):
        self.value = value

    def __hash__(self):
        return id(self.value)

    def __eq__(self, other):
        return isinstance(other, _Same) and other.value is self.value

    def __repr__(self):
        return repr(self.value)


def key_of(func, args, kwargs, keyed=None):
    """The key of one call: (qualified name, ((argument, value), ...), version).

    keyed(arguments) -> arguments: the arguments as the key sees them (e.g. an argument that
    changes nothing computed, replaced by its default)."""
    return _key(func, _arguments(func, args, kwargs), keyed)


def _arguments(func, args, kwargs):
    """{name: value} of one call, defaults applied."""
    bound = inspect.signature(func).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def _key(func, arguments, keyed=None):
    arguments = keyed(dict(arguments)) if keyed else arguments
    named = tuple((name, _frozen(value)) for name, value in arguments.items())
    return _Type(f"{func.__module__}.{func.__qualname__}"), named, _version()


class _Call:
    """One call: hashed and compared by its key, carrying the arguments as they were given
    (`given`: by name, defaults applied)."""

    def __init__(self, func, args, kwargs, keyed=None):
        self.args, self.kwargs, self.given = args, kwargs, _arguments(func, args, kwargs)
        self.key = _key(func, self.given, keyed)

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return self.key == other.key


def remembered(maxsize=8):
    """Decorate a function of seeded runs so each set of arguments is computed once (see above)."""
    def decorate(func):
        @functools.lru_cache(maxsize=maxsize)
        def compute(call):
            return _through_stores(func, call)

        @functools.wraps(func)
        def run(*args, **kwargs):
            return compute(_Call(func, args, kwargs))

        run.cache_clear = compute.cache_clear
        run.cache_info = compute.cache_info
        return run

    return decorate


def _through_stores(func, call, skip=None, keep=None):
    """func's result for one call: from the first store that has it, else computed and given to every
    store (unless keep(arguments, result) says the result is not the whole run)."""
    stores = STORES if STORES and portable(call.key) and not (skip and skip(call.given)) else ()
    for store in stores:
        found = store.get(call.key)
        if found is not None:
            return found
    result = func(*call.args, **call.kwargs)
    if stores and (keep is None or keep(dict(call.key[1]), result)):
        for store in stores:
            store.put(call.key, result)
    return result


def stored(skip=None, keyed=None, keep=None):
    """Decorate a seeded run so it is read from the stores when they have it (no memory of its own).

    skip(arguments) -> True leaves a call out of the stores (e.g. an unseeded run, or one with a
    callback whose side effects the caller waits for); keyed(arguments) -> arguments is what the
    key sees (see key_of); keep(arguments, result) -> False keeps a computed result out of the
    stores (e.g. a run stopped early). With no store registered this costs one check per call."""
    def decorate(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            if not STORES:
                return func(*args, **kwargs)
            try:
                call = _Call(func, args, kwargs, keyed)
            except TypeError:  # arguments that do not fit: let the function say so
                return func(*args, **kwargs)
            return _through_stores(func, call, skip, keep)

        return run

    return decorate


def _register_from_environment():
    from .store import from_environment

    found = from_environment()
    if found is not None:
        STORES.append(found)


_register_from_environment()
