"""Every import in the package runs downhill through the layers of docs/architecture.md.

LAYERS lists them from the top (entry points) to the foundation. A layer holds one or more
groups; a group is a list of modules or packages (the longest name that matches decides). A
module may import its own group and every lower layer, never a higher layer nor another group of
its own layer (those are independent of each other, like the three kinds of document content).
Imports inside functions count as well: they are still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "analysis"

LAYERS: list[list[list[str]]] = [
    [["cli"], ["bench"]],
    [["build"], ["report.pipeline"]],
    [["report.execute"], ["report.convert"], ["report.exports", "report.workbook"],
     ["report.index"], ["report.notebook"], ["report.kinds"], ["report.leaks"],
     ["report.contents"]],
    [["report.regio"], ["report.gemeente"], ["report.doelgroep"], ["report.appendix"],
     ["report.editions"], ["report.monitor"], ["report.scenario"]],
    [["report.shared", "report.signals", "report.wachttijden", "report.statushouders",
      "report.taakstelling"],
     ["report.show"], ["report.trends"], ["scenarios"]],
    [["report.data"], ["analyse"]],
    [["figures"], ["render"]],
    [["indicators"], ["protection"]],
    [["model.prognose"]],
    [["model.run"]],
    [["context"]],
    [["ingest"], ["demo"], ["geo"], ["editions"]],
    [["validate"]],
    [["readers"], ["parsing"]],
    [["processed"]],
    [["model"], ["indicators.catalogue", "indicators.table", "indicators.counts",
                 "indicators.docs"]],
    [["config"], ["contracts"], ["tables"], ["storage", "workspace", "cache"], ["layout"],
     ["issues"], ["report"], ["disclosure"], ["formulas"], ["report.xlsx"]],
    [["codes"], ["analysis"], ["periods"]],
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    return name.removeprefix("analysis.") if name != "analysis" else name


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(module: str) -> set[str]:
    """The package's modules that `module` imports, anywhere in its source. `from a import b`
    counts as importing a.b when that is a module, else a."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            names = [n if _local(n) in MODULES else node.module for n in names]
        else:
            continue
        found |= {_local(n) for n in names if n.split(".")[0] == "analysis"}
    return found - {module}


def _local(name: str) -> str:
    return name.removeprefix("analysis.") if name != "analysis" else name


def _place(module: str) -> tuple[int, int]:
    """(layer, group) of a module: the longest matching name in LAYERS."""
    best: tuple[int, tuple[int, int]] | None = None
    for layer, groups in enumerate(LAYERS):
        for group, names in enumerate(groups):
            for name in names:
                matches = module == name or module.startswith(name + ".")
                if matches and (best is None or len(name) > best[0]):
                    best = (len(name), (layer, group))
    if best is None:
        raise AssertionError(f"{module} staat in geen laag van LAYERS")
    return best[1]


def test_every_module_has_a_layer():
    for module in MODULES:
        _place(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_downhill(module):
    layer, group = _place(module)
    wrong = []
    for target in sorted(_imports(module)):
        target_layer, target_group = _place(target)
        if target_layer < layer or (target_layer == layer and target_group != group):
            wrong.append(target)
    assert wrong == [], f"{module} (laag {layer}) importeert hogerop of opzij: {wrong}"


def test_no_import_cycles():
    graph = {module: _imports(module) for module in MODULES}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in path:
            raise AssertionError("importkring: " + " → ".join([*path, module]))
        if module in done:
            return
        for target in graph.get(module, ()):
            visit(target, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())


def test_architecture_doc_names_every_layer_group():
    text = (PACKAGE.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [name for groups in LAYERS for names in groups for name in names
               if name != "analysis" and f"`{name.replace('.', '/')}" not in text]
    assert missing == []
