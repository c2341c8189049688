"""One environment everywhere: requirements.txt -> requirements.lock -> binder/requirements.txt.

The lock (tools/lock.py) must keep every pin requirements.txt asks for and pin everything else;
Binder's file must be the lock, with torch as its CPU build. Binder is checked without Docker by
reading binder/ the way repo2docker does: it uses only binder/ once it exists, binder/runtime.txt
picks Python and binder/requirements.txt is installed with `pip install -r binder/requirements.txt`
run from the repository root. So a path requirement there is resolved against the root, and
nothing installs the course package unless that file asks for it.
"""
import importlib.util
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"

_spec = importlib.util.spec_from_file_location("lock", ROOT / "tools" / "lock.py")
lock = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lock)


def parse_requirements(text):
    """Split a pip requirements file into (pins, options, paths).

    pins: {canonical name: Requirement}; options: [(flag, value)] such as index URLs;
    paths: local paths (with or without -e), as written. Raises ValueError on a line
    that is none of these or on a package listed twice, so a typo fails loudly.
    """
    pins, options, paths = {}, [], []
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()  # comments: whole-line or after a space
        if not line:
            continue
        editable = re.match(r"^(-e|--editable)(\s+|=)(.+)$", line)
        if editable:
            paths.append(editable.group(3).strip())
            continue
        option = re.match(r"^(-i|-f|--index-url|--extra-index-url|--find-links)(\s+|=)(\S+)$", line)
        if option:
            options.append((option.group(1), option.group(3)))
            continue
        if line.startswith("-"):
            raise ValueError(f"line {number}: unexpected option {line!r}")
        if line.startswith((".", "/", "file:")):
            paths.append(line)
            continue
        req = Requirement(line)  # raises InvalidRequirement on anything malformed
        name = canonicalize_name(req.name)
        if name in pins:
            raise ValueError(f"line {number}: {req.name} is listed twice")
        pins[name] = req
    return pins, options, paths


def exact_pin(req):
    """The version of an `==X` requirement, or None for anything looser."""
    specs = list(req.specifier)
    if len(specs) == 1 and specs[0].operator == "==" and "*" not in specs[0].version:
        return Version(specs[0].version)
    return None


def binder_problems(root_text, binder_text, root_dir):
    """Everything wrong with binder/requirements.txt relative to requirements.txt."""
    problems = []
    root_pins, _, _ = parse_requirements(root_text)
    pins, options, paths = parse_requirements(binder_text)

    # torch: the same version as the root pin, as the CPU build, from the CPU index
    root_torch = root_pins.get("torch")
    torch = pins.get("torch")
    if root_torch is None or exact_pin(root_torch) is None:
        problems.append("requirements.txt must pin torch exactly (torch==X)")
    elif torch is None:
        problems.append("binder/requirements.txt does not install torch")
    else:
        want, got = exact_pin(root_torch), exact_pin(torch)
        if got is None or got.public != want.public:
            problems.append(f"torch in binder is {torch.specifier}, root pins {want.public}")
        elif got.local != "cpu":
            problems.append(f"torch in binder must be the CPU build ({want.public}+cpu), got {got}")
    if ("--extra-index-url", CPU_INDEX) not in options and ("--index-url", CPU_INDEX) not in options:
        problems.append(f"binder/requirements.txt does not use PyTorch's CPU index {CPU_INDEX}")

    # every other package: present, with the very same pin, and nothing extra
    for name, req in root_pins.items():
        if name == "torch":
            continue
        if exact_pin(req) is None:
            problems.append(f"requirements.txt: {req} is not an exact == pin")
        if name not in pins:
            problems.append(f"binder/requirements.txt lacks {req}")
        elif SpecifierSet(str(pins[name].specifier)) != SpecifierSet(str(req.specifier)):
            problems.append(f"{req.name}: binder pins {pins[name].specifier}, root pins {req.specifier}")
    for name in pins.keys() - root_pins.keys():
        problems.append(f"binder/requirements.txt installs {pins[name]} which requirements.txt does not")

    # the course package itself: a path that, resolved from the repository root, is the root
    if not any((root_dir / p.removeprefix("file:")).resolve() == root_dir.resolve() for p in paths):
        problems.append(f"binder/requirements.txt does not install the repository itself (paths: {paths})")
    return problems


def lock_problems(requirements_text, lock_text):
    """Everything wrong with requirements.lock relative to requirements.txt."""
    problems = []
    asked, _, _ = parse_requirements(requirements_text)
    locked, options, paths = parse_requirements(lock_text)
    if options or paths:
        problems.append(f"requirements.lock should hold pins only, has {options + paths}")
    for name, req in locked.items():
        if exact_pin(req) is None or req.marker is not None:
            problems.append(f"requirements.lock: {req} is not an exact == pin for every platform")
    for name, req in asked.items():
        if name not in locked:
            problems.append(f"requirements.lock lacks {req} (re-run: python tools/lock.py)")
        elif exact_pin(locked[name]) != exact_pin(req):
            problems.append(f"{req.name}: the lock has {locked[name].specifier}, requirements.txt pins "
                            f"{req.specifier} (re-run: python tools/lock.py)")
    return problems


def runtime_problems(runtime_text, requires_python):
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime_text.strip())
    if not match:
        return [f"binder/runtime.txt should read python-3.X, got {runtime_text.strip()!r}"]
    version = f"{match.group(1)}.{match.group(2)}"
    problems = []
    if Version(version) < Version("3.11"):
        problems.append(f"binder/runtime.txt selects Python {version}, the course needs >= 3.11")
    if not SpecifierSet(requires_python).contains(version):
        problems.append(f"binder/runtime.txt selects Python {version}, pyproject.toml says {requires_python}")
    return problems


def _read(relative):
    return (ROOT / relative).read_text()


def test_runtime_selects_python_311_or_newer():
    project = tomllib.loads(_read("pyproject.toml"))["project"]
    assert runtime_problems(_read("binder/runtime.txt"), project["requires-python"]) == []


def test_the_lock_keeps_every_pin_of_requirements_txt_and_pins_the_rest():
    assert lock_problems(_read("requirements.txt"), _read("requirements.lock")) == []


def test_binder_requirements_match_the_lock_with_cpu_torch_and_the_package():
    assert binder_problems(_read("requirements.lock"), _read("binder/requirements.txt"), ROOT) == []


def test_binder_requirements_are_generated_from_the_lock():
    # also catches a hand edit that the checks above would let through (a comment, the order)
    assert _read("binder/requirements.txt") == lock.binder_requirements(_read("requirements.lock")), \
        "binder/requirements.txt is stale: run python tools/lock.py --binder"


def test_make_and_ci_install_from_the_lock():
    makefile = _read("Makefile")
    assert "$(STAMP): requirements.lock" in makefile
    assert "pip install --quiet -r requirements.lock" in makefile
    assert "-r requirements.txt" not in makefile  # nothing installs the unlocked list
    assert "make test" in _read(".ci/run")  # CI installs through the same $(STAMP) rule


def test_the_installed_path_is_this_package():
    # "." in binder/requirements.txt only helps if the root really is the collapse_lab project,
    # and the wheel must carry every subpackage (collapse_lab.exercises, ...)
    pyproject = tomllib.loads(_read("pyproject.toml"))
    assert canonicalize_name(pyproject["project"]["name"]) == "collapse-lab"
    # setuptools finds collapse_lab and its subpackages (tests/test_wheel.py checks the built wheel)
    assert "collapse_lab*" in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    assert (ROOT / "collapse_lab" / "__init__.py").is_file()


# --- the checks themselves must be able to fail -------------------------------------------

ROOT_EXAMPLE = "numpy==2.3.5\ntorch==2.13.0\nipywidgets==8.1.8  # comment\n"
GOOD_EXAMPLE = f"--extra-index-url {CPU_INDEX}\ntorch==2.13.0+cpu\nnumpy==2.3.5\nipywidgets==8.1.8\n-e .\n"


def test_checks_accept_a_good_binder_file():
    assert binder_problems(ROOT_EXAMPLE, GOOD_EXAMPLE, ROOT) == []


@pytest.mark.parametrize(
    "change, complaint",
    [
        (("torch==2.13.0+cpu", "torch==2.12.0+cpu"), "torch in binder"),
        (("torch==2.13.0+cpu", "torch==2.13.0"), "CPU build"),
        ((f"--extra-index-url {CPU_INDEX}\n", ""), "CPU index"),
        (("numpy==2.3.5", "numpy==2.3.4"), "numpy: binder pins"),
        (("numpy==2.3.5\n", ""), "lacks numpy"),
        (("ipywidgets==8.1.8", "ipywidgets>=8.1.8"), "ipywidgets: binder pins"),
        (("-e .", "-e .."), "does not install the repository itself"),
        (("-e .\n", ""), "does not install the repository itself"),
        (("numpy==2.3.5", "numpy==2.3.5\nrequests==2.32.0"), "which requirements.txt does not"),
    ],
)
def test_checks_reject_a_wrong_binder_file(change, complaint):
    old, new = change
    assert old in GOOD_EXAMPLE
    problems = binder_problems(ROOT_EXAMPLE, GOOD_EXAMPLE.replace(old, new), ROOT)
    assert any(complaint in p for p in problems), problems


def test_checks_reject_a_loose_root_pin_and_bad_runtimes():
    loose = ROOT_EXAMPLE.replace("numpy==2.3.5", "numpy>=2")
    assert any("not an exact == pin" in p for p in binder_problems(loose, GOOD_EXAMPLE, ROOT))
    assert runtime_problems("python-3.10", ">=3.11")
    assert runtime_problems("python3.11", ">=3.11")
    assert runtime_problems("python-3.11", ">=3.11") == []


def test_parser_rejects_duplicates_and_garbage():
    with pytest.raises(ValueError):
        parse_requirements("numpy==1\nNumPy==2\n")
    with pytest.raises(InvalidRequirement):
        parse_requirements("numpy 2.3.5\n")  # a pin without its ==
    with pytest.raises(ValueError):
        parse_requirements("--no-binary :all:\n")


def test_lock_checks_can_fail():
    asked = "numpy==2.3.5\ntorch==2.13.0\n"
    good = "numpy==2.3.5\ntorch==2.13.0\nfilelock==3.20.0\n"
    assert lock_problems(asked, good) == []
    assert any("lacks numpy" in p for p in lock_problems(asked, good.replace("numpy==2.3.5\n", "")))
    assert any("the lock has" in p for p in lock_problems(asked, good.replace("2.3.5", "2.3.4")))
    assert any("not an exact" in p for p in lock_problems(asked, good.replace("filelock==3.20.0", "filelock>=3")))
    assert any("pins only" in p for p in lock_problems(asked, good + "-e .\n"))
    # the generator makes a file the binder checks accept
    assert binder_problems(good, lock.binder_requirements(good), ROOT) == []
