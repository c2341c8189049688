"""Every exercise's solution, at once: for instructors, and for learners reviewing after a session.

    python docs/solutions.py            # all lessons
    python docs/solutions.py 05 08      # only these lessons
    python docs/solutions.py --list     # which exercise modules exist

In a notebook:  %run ../docs/solutions.py 08

Nothing here is a copy of the solutions: the script walks the package's `collapse_lab.exercises`
modules when it runs (any module added later is found too), takes every exercise object in each
(q1, q2, ...) and prints its title, its worked solution and its solution code, exactly what
`qN.solution()` shows in the notebook. A solution computed from a seeded run (a few in lessons
05-08) is computed here too, so the whole listing takes up to a minute.
"""
import argparse
import importlib
import pkgutil
import re
import sys


def exercise_modules():
    """[(lesson, module)] for every module of collapse_lab.exercises that holds exercises, by lesson.

    A module's lesson is the two-digit number in the first line of its docstring ("Notebook 01's
    exercises ..."), or "--" when it names none. The toolkit's own modules (core, predictions) hold
    no exercise objects and are left out.
    """
    import collapse_lab.exercises as package
    from collapse_lab.exercises.core import Exercise

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if not any(isinstance(value, Exercise) for value in vars(module).values()):
            continue
        first = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
        number = re.search(r"\b(\d\d)\b", first)
        found.append((number.group(1) if number else "--", module))
    return sorted(found, key=lambda item: (item[0], item[1].__name__))


def exercises(module):
    """[(name, exercise)] of a module, in the order q1, q2, ..., q10 (not q1, q10, q2)."""
    from collapse_lab.exercises.core import Exercise

    named = [(name, value) for name, value in vars(module).items() if isinstance(value, Exercise)]
    return sorted(named, key=lambda nv: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", nv[0])])


def print_solutions(lessons=None, out=None):
    """Print every exercise's solution, lesson by lesson; `lessons` limits it (e.g. ["05", "08"])."""
    out = out or sys.stdout
    modules = [(lesson, m) for lesson, m in exercise_modules() if not lessons or lesson in lessons]
    if not modules:
        print(f"No exercise modules for lessons {', '.join(lessons)}.", file=out)
    for lesson, module in modules:
        title = (module.__doc__ or module.__name__).strip().splitlines()[0]
        print(f"\n{'=' * 78}\nLesson {lesson}: {title}\n({module.__name__})\n{'=' * 78}", file=out)
        for name, exercise in exercises(module):
            shown = exercise.solution()
            print(f"\n--- {name}: {exercise.title}\n{shown.message}", file=out)
            if shown.code:
                print("\n" + "\n".join("    " + line for line in shown.code.splitlines()), file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Print every exercise's solution, found in collapse_lab.exercises.")
    parser.add_argument("lessons", nargs="*", help="two-digit lesson numbers, e.g. 01 08 (default: all)")
    parser.add_argument("--list", action="store_true", help="list the exercise modules and their exercises only")
    args = parser.parse_args(argv)
    bad = [lesson for lesson in args.lessons if not re.fullmatch(r"\d\d", lesson)]
    if bad:
        parser.exit(2, f"solutions.py: error: lessons must be two digits, like 01 or 08. Got {bad[0]!r} instead.\n")
    if args.list:
        for lesson, module in exercise_modules():
            names = ", ".join(name for name, _ in exercises(module))
            print(f"{lesson}  {module.__name__}: {names}")
        return 0
    print_solutions(args.lessons)
    return 0


if __name__ == "__main__":
    sys.exit(main())
