"""The package's folders are layers: a module imports only from its own folder and the folders before it, and no
module imports another that imports it back, however far round."""
from __future__ import annotations

import ast
from pathlib import Path

import actionplan

PACKAGE = Path(actionplan.__file__).resolve().parent
LAYERS = ("base", "content", "site", "checks", "build", "importers", "editors")
"""The folders, lowest first, as ``actionplan/__init__.py`` lists them."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Return the package's modules ``path`` imports, at its top or inside a function."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[:len(package) - node.level + 1], *([base] if base else [])])
            if not base.startswith("actionplan"):
                continue
            for alias in node.names:  # ``from . import kept_build`` names a module, ``from .x import y`` a name
                candidate = f"{base}.{alias.name}"
                found.add(candidate if _is_module(candidate) else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("actionplan"))
    return found


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative / "__init__.py").is_file()


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_is_in_a_layer_folder():
    loose = [name for name in MODULES if name != "actionplan" and layer(name) is None]
    assert loose == []
    assert {path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").exists()} == set(LAYERS)


def test_a_module_imports_only_its_own_folder_and_the_folders_before_it():
    upward = sorted((name, target) for name, path in MODULES.items() if name != "actionplan"
                    for target in imported_modules(path)
                    if layer(target) is not None and layer(target) > layer(name))
    assert upward == []


def test_no_import_cycle():
    graph = {name: {target for target in imported_modules(path) if target in MODULES and target != name}
             for name, path in MODULES.items()}
    cycles = []
    state: dict[str, int] = {}  # 1 on the path being walked, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target] if target in path else [name, target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_package_docstring_lists_the_layers_in_order():
    doc = actionplan.__doc__ or ""
    positions = [doc.index(f"``{name}``") for name in LAYERS]
    assert positions == sorted(positions)
