"""The layering rules of STYLE.md, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import labelops

PACKAGE = Path(labelops.__file__).parent
CONTEXTS = (
    "projects",
    "guidelines",
    "workforce",
    "distribution",
    "annotation",
    "quality",
    "analytics",
    "reporting",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "labelops":  # `from labelops import web` imports a package
                found.update(f"labelops.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("context", CONTEXTS)
def test_contexts_never_import_the_web_or_cli_layers(context):
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {module}"
        for path in (PACKAGE / context).rglob("*.py")
        for module in imported_modules(path)
        if module.startswith(("labelops.web", "labelops.cli"))
    ]

    assert offenders == []


@pytest.mark.parametrize("context", CONTEXTS)
def test_each_context_opens_with_a_glossary(context):
    docstring = ast.get_docstring(ast.parse((PACKAGE / context / "__init__.py").read_text()))

    assert docstring is not None
    assert "Glossary" in docstring


@pytest.mark.parametrize("context", CONTEXTS)
def test_other_contexts_are_reached_through_their_public_api(context):
    others = [c for c in CONTEXTS if c != context]
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {module}"
        for path in (PACKAGE / context).rglob("*.py")
        for module in imported_modules(path)
        for other in others
        if module.startswith(f"labelops.{other}.")
    ]

    assert offenders == []


def test_every_setting_is_documented_in_the_readme():
    from labelops.config import Settings

    readme = (PACKAGE.parent.parent / "README.md").read_text()

    missing = [
        f"LABELOPS_{name.upper()}"
        for name in Settings.model_fields
        if f"LABELOPS_{name.upper()}" not in readme
    ]
    assert missing == []


@pytest.mark.parametrize("module", [*CONTEXTS, "cli", "web.app", "demo.seed"])
def test_each_package_imports_first_in_a_fresh_interpreter(module):
    # Contexts refer to each other; whichever is imported first must not trip over the cycle.
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", f"import labelops.{module}"], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
