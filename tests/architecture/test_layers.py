"""The package's layers, lowest first: a module may import only from its own layer or below (imports inside
functions count too), so the shape in the README's architecture section stays true."""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import sam_shift_lint

PACKAGE = Path(sam_shift_lint.__file__).resolve().parent
RULES_DIR = PACKAGE.parent / "rules"

# (layer, module prefixes). The leaf packages share layer 0 but may not import each other (below).
LAYERS: list[tuple[int, tuple[str, ...]]] = [
    # @record/field/replace, small_key_cache, lazy_compile, signals_held: below everything
    (-1, ("sam_shift_lint.records", "sam_shift_lint.memo", "sam_shift_lint.lazy_pattern", "sam_shift_lint.held_signals")),
    (0, ("sam_shift_lint.parsing", "sam_shift_lint.iam", "sam_shift_lint.settings", "sam_shift_lint.config")),
    (1, ("sam_shift_lint.findings",)),
    (2, ("sam_shift_lint.model", "sam_shift_lint.permissions")),
    (3, ("sam_shift_lint.editing",)),
    (4, ("sam_shift_lint.checks",)),
    (5, ("sam_shift_lint.engine", "sam_shift_lint.suppression", "sam_shift_lint.fixer")),
    (
        6,
        (
            "sam_shift_lint.output",
            "sam_shift_lint.discover",
            "sam_shift_lint.difftext",
            "sam_shift_lint.options",
            "sam_shift_lint.project",
            "sam_shift_lint.gitignore",
        ),
    ),
    (
        7,
        (
            "sam_shift_lint.cli",
            "sam_shift_lint.server",
            "sam_shift_lint.rulepack",
            "sam_shift_lint.cfnlint_input",
            "sam_shift_lint.docs",
            "sam_shift_lint.__main__",
            "sam_shift_lint.rules",
        ),
    ),
]
# Leaves that must stay independent of each other and of everything else in the package.
LEAVES = {
    "sam_shift_lint.iam": ("sam_shift_lint.iam", "sam_shift_lint.records", "sam_shift_lint.memo"),
    "sam_shift_lint.parsing": ("sam_shift_lint.parsing", "sam_shift_lint.records", "sam_shift_lint.lazy_pattern"),
    "sam_shift_lint.settings": ("sam_shift_lint.records",),
    "sam_shift_lint.records": (),
    "sam_shift_lint.memo": (),
    "sam_shift_lint.lazy_pattern": (),
    "sam_shift_lint.held_signals": (),
    # the configuration file: low, so every front door can read it; it reads files with parsing's reader and
    # knows the placements settings names, nothing else
    "sam_shift_lint.config": ("sam_shift_lint.config", "sam_shift_lint.settings", "sam_shift_lint.parsing", "sam_shift_lint.records"),
}


def module_name(path: Path) -> str:
    if path.is_relative_to(RULES_DIR):
        parts = ["sam_shift_lint", "rules", *path.relative_to(RULES_DIR).with_suffix("").parts]
    else:
        parts = ["sam_shift_lint", *path.relative_to(PACKAGE).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module: str) -> int:
    for layer, prefixes in LAYERS:
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return layer
    raise AssertionError(f"{module} is in no layer: add it to LAYERS (and to the README's architecture)")


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module) of every import of the package in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else [])) if node.level else (node.module or "")
            if target.startswith("sam_shift_lint"):
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    yield node.lineno, full if _is_module(full) else target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sam_shift_lint"):
                    yield node.lineno, alias.name


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative / "__init__.py").is_file()


def all_sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py")) + sorted(RULES_DIR.rglob("*.py"))


def edges() -> dict[str, list[tuple[int, str]]]:
    return {module_name(path): list(imports(path)) for path in all_sources()}


def test_every_module_is_in_a_layer() -> None:
    for module in edges():
        if module != "sam_shift_lint":
            layer_of(module)


def test_no_module_imports_from_a_higher_layer() -> None:
    violations = []
    for module, targets in edges().items():
        if module == "sam_shift_lint":
            continue
        for line, target in targets:
            if target == "sam_shift_lint":  # the version only
                continue
            if layer_of(target) > layer_of(module):
                violations.append(f"{module}:{line} imports {target} (layer {layer_of(target)} > {layer_of(module)})")
    assert not violations, "\n".join(violations)


def test_leaves_import_only_themselves() -> None:
    violations = []
    for module, targets in edges().items():
        for leaf, allowed in LEAVES.items():
            if module == leaf or module.startswith(leaf + "."):
                for line, target in targets:
                    if target != "sam_shift_lint" and not any(target == a or target.startswith(a + ".") for a in allowed):
                        violations.append(f"{module}:{line} imports {target}")
    assert not violations, "\n".join(violations)


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The import walk finds function-level and relative imports (so the tests above cannot pass vacuously)."""
    assert ("sam_shift_lint.checks.registry" in {t for _, t in edges()["sam_shift_lint.engine"]})
    assert layer_of("sam_shift_lint.cli.modes") > layer_of("sam_shift_lint.engine") > layer_of("sam_shift_lint.checks.rule")
    lazy = {t for _, t in edges()["sam_shift_lint.options"]}
    assert "sam_shift_lint.iam.arns" in lazy  # imported inside a function
