"""Imports flow one way, bottom to top.

leaves → form_templates → office → docgen | intake → store → tally → jobs → cli.

Lazy imports inside functions count too: a layer may import only from the layers below it, docgen and
intake never import each other, and nothing imports the folders by their top-level names.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "baodao"
# Each tier may import the tiers before it; modules in one tier may not import each other's packages.
TIERS: list[set[str]] = [
    {"baodao", "baodao.errors", "baodao.files", "baodao.text", "baodao.data"},
    {"baodao.form_templates"},
    {"baodao.office"},
    {"baodao.docgen", "baodao.intake"},
    {"baodao.store"},
    {"baodao.tally"},
    {"baodao.jobs"},
    {"baodao.cli"},
]
FOLDERS = {"form_templates", "office", "docgen", "intake", "store", "tally"}


def part_of(module: str) -> str | None:
    """The layer package ``module`` belongs to (the longest match), or None for modules outside baodao."""
    found = [p for tier in TIERS for p in tier if module == p or module.startswith(p + ".")]
    return max(found, key=len) if found else None


def tier_of(part: str) -> int:
    return next(i for i, tier in enumerate(TIERS) if part in tier)


def modules() -> list[tuple[str, Path]]:
    """Every module of the package as it installs (the layer folders are linked under baodao/)."""
    found = []
    paths = [
        Path(d, f) for d, _, files in os.walk(PACKAGE, followlinks=True) for f in files if f.endswith(".py")
    ]
    for path in sorted(paths):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        if "migrations" in rel.parts:
            continue  # alembic scripts, run by alembic, not imported
        found.append((".".join(rel.parts).removesuffix(".__init__"), path))
    return found


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def offences() -> list[str]:
    found = []
    for module, path in modules():
        own = part_of(module)
        assert own is not None, f"{module} is in no layer"
        for imported in imports_of(path):
            if imported.split(".")[0] in FOLDERS:
                found.append(f"{module} imports {imported} by its folder name, not as baodao.*")
            target = part_of(imported)
            if target is None or target == own:
                continue
            if tier_of(target) >= tier_of(own):
                found.append(f"{module} imports {imported}")
    return found


def test_the_package_holds_every_layer() -> None:
    names = {m for m, _ in modules()}
    for part in set().union(*TIERS) - {"baodao.data"}:
        assert part in names, part
    assert len(names) > 100


def test_no_layer_imports_a_higher_one_or_its_neighbour() -> None:
    assert offences() == []


@pytest.mark.parametrize(
    ("module", "imported", "allowed"),
    [
        ("baodao.intake.scan", "baodao.docgen.qr", False),
        ("baodao.docgen.batch", "baodao.store.register", False),
        ("baodao.store.returns", "baodao.intake.worker", True),
        ("baodao.form_templates.check", "baodao.office.pdf", False),
        ("baodao.cli.tally", "baodao.tally.compute", True),
        ("baodao.errors", "baodao.form_templates.spec", False),
    ],
)
def test_the_rule_tells_right_from_wrong(module: str, imported: str, allowed: bool) -> None:
    own, target = part_of(module), part_of(imported)
    assert own is not None and target is not None
    assert (tier_of(target) < tier_of(own)) is allowed
