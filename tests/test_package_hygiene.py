"""The package as code: lessons rebuilt side by side must not silently override each other."""
import ast
from collections import Counter
from pathlib import Path

import pytest

MODULES = sorted((Path(__file__).resolve().parents[1] / "collapse_lab").rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_no_top_level_name_is_defined_twice(path):
    # two lessons once both defined dashboards._real_source: the later one silently replaced the
    # earlier, and notebook 01's explorer showed a control its text did not describe
    tree = ast.parse(path.read_text())
    names = Counter(node.name for node in tree.body
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
    assert not [name for name, count in names.items() if count > 1]
