"""Imports flow one way: specs/templates → storage → generation → intake → tally → CLI."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A package may import only from the layers listed after it; baodao.errors/files/limits/settings are leaves.
LAYERS = ["baodao.cli", "tally", "intake", "docgen", "store", "form_templates"]
LEAVES = {"baodao", "baodao.errors", "baodao.files", "baodao.limits", "baodao.settings"}


def layer_of(module: str) -> int | None:
    for i, name in enumerate(LAYERS):
        if module == name or module.startswith(name + "."):
            return i
    return None


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_no_layer_imports_a_higher_one() -> None:
    offences = []
    for package in ("form_templates", "store", "docgen", "intake", "tally", "baodao"):
        for path in (ROOT / package).rglob("*.py"):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            own = layer_of(module)
            assert own is not None or module in LEAVES, f"{module} is in no layer and is not a leaf"
            for imported in imports_of(path):
                target = layer_of(imported)
                # A leaf may import no layer at all; a layer only those below it.
                if target is not None and (own is None or target < own):
                    offences.append(f"{module} imports {imported}")
    assert offences == []
