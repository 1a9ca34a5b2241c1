"""Imports flow one way: ui -> assistant -> ingest; the product never imports evaluation or training,
and training is not installed with it."""
from __future__ import annotations

import ast
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# package -> the top-level packages of this repository it must never import
FORBIDDEN = {
    "ingest": {"assistant", "ui", "cli", "evaluation", "training"},
    "assistant": {"ui", "cli", "evaluation", "training"},
    "ui": {"cli", "evaluation", "training"},
    "cli": {"training"},
    "evaluation": {"training"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_imports_flow_one_way():
    wrong = [f"{path.relative_to(REPO)} imports {name}"
             for package, banned in FORBIDDEN.items() for path in sorted((REPO / package).rglob("*.py"))
             for name in imported_packages(path) & banned]
    assert wrong == []


def test_training_is_not_installed_with_the_product():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    included = project["tool"]["setuptools"]["packages"]["find"]["include"]
    assert not any(pattern.startswith("training") for pattern in included)
    assert {"ingest*", "assistant*", "ui*", "cli*", "evaluation*"} <= set(included)


def declared_distributions() -> set[str]:
    """Every distribution pyproject.toml names, in its dependencies or any extra, normalised."""
    import re

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"]) + [s for extra in project["optional-dependencies"].values() for s in extra]
    return {re.split(r"[<>=\[; ]", s, maxsplit=1)[0].lower().replace("_", "-") for s in specs}


def test_every_directly_imported_package_is_declared():
    import importlib.metadata
    import sys

    ours = {p.name for p in REPO.iterdir() if (p / "__init__.py").is_file()}
    test_modules = {p.stem for p in (REPO / "tests").rglob("*.py")}
    owners = importlib.metadata.packages_distributions()
    declared = declared_distributions()
    missing = set()
    for folder in ("assistant", "ingest", "ui", "cli", "evaluation", "training", "tests"):
        for path in (REPO / folder).rglob("*.py"):
            for name in imported_packages(path) - ours - test_modules - set(sys.stdlib_module_names):
                if not {d.lower().replace("_", "-") for d in owners.get(name, [name])} & declared:
                    missing.add(f"{name} ({path.relative_to(REPO)})")
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"
