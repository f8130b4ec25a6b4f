"""The LRS stands alone: nothing under xapi/ imports Pathway's core or its activity types,
so it can be deployed by itself (DESIGN.md: activities -> lms -> xapi, never back)."""

import ast
from pathlib import Path

import xapi

FORBIDDEN = {"lms", "activities"}


def _imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_no_module_of_the_lrs_imports_pathway_core_or_activity_types():
    files = sorted(Path(xapi.__file__).parent.rglob("*.py"))
    assert len(files) > 20  # the whole package, its subpackages included
    offenders = {str(f): sorted(_imported_packages(f) & FORBIDDEN) for f in files
                 if _imported_packages(f) & FORBIDDEN}
    assert offenders == {}
