"""Packages import on their own and depend on each other without cycles (issue 13)."""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file())

# The layers, bottom first (docs/design.md, "Layers"): a package imports only packages of lower
# layers, lazy imports included. Spiders are loaded by name (SPIDER_MODULES), never imported
# from below. A new package gets its place here.
LAYERS: list[set[str]] = [
    {"extract"},                    # pure: a payload → a page
    {"catalogue"},                  # the only SQL
    {"archive"},                    # WARC, CDXJ, verify, coverage
    {"publish", "simportals"},      # files from the catalogue; the simulated portals
    {"crawler"},                    # Scrapy components, crawl state, registry, running a crawl
    {"spiders"},                    # the spiders, loaded by name
    {"distributed", "webui"},       # Redis workers and merge; Datasette
    {"cli"},                        # the `nianbao` command
]


def package_imports() -> dict[str, dict[str, list[str]]]:
    """package → imported package → where, for every import in every module, lazy ones too.
    `__main__.py` files are left out: they are run, never imported, so they close no cycle."""
    found: dict[str, dict[str, list[str]]] = {p: {} for p in PACKAGES}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name == "__main__.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in found and top != package:
                        found[package].setdefault(top, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[set[str]]:
    """The strongly connected groups of more than one package."""
    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    reachable = {p: reach(p) for p in graph}
    groups = []
    for p in graph:
        group = {p} | {q for q in reachable[p] if p in reachable[q]}
        if len(group) > 1 and group not in groups:
            groups.append(group)
    return groups


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports(package):
    importlib.import_module(package)


def test_every_cli_module_imports():
    for path in sorted((ROOT / "cli").glob("*.py")):
        if path.stem != "__main__":
            importlib.import_module(f"cli.{path.stem}")


def upward_imports(graph: dict[str, dict[str, list[str]]], layers: list[set[str]]) -> dict[str, list[str]]:
    """"a -> b": where, for every import of a package from its own layer or a higher one."""
    rank = {package: n for n, layer in enumerate(layers) for package in layer}
    return {f"{a} -> {b}": where[:3] for a in graph for b, where in graph[a].items() if rank[b] >= rank[a]}


def test_no_import_cycle_between_packages():
    graph = package_imports()
    found = cycles(graph)
    detail = {frozenset(g): {f"{a} -> {b}": graph[a][b][:3] for a in g for b in g if b in graph[a]} for g in found}
    assert found == [], detail


def test_every_package_has_a_layer():
    placed = [p for layer in LAYERS for p in layer]
    assert sorted(placed) == PACKAGES, "place each package in LAYERS once (and in docs/design.md)"


def test_packages_import_only_lower_layers():
    assert upward_imports(package_imports(), LAYERS) == {}


def test_the_scan_sees_an_upward_import():
    graph = {"low": {}, "mid": {"low": ["mid/a.py:1"]}, "top": {"mid": []}, "peer": {"mid": ["peer/b.py:2"]}}
    layers = [{"low"}, {"mid", "peer"}, {"top"}]
    assert upward_imports(graph, layers) == {"peer -> mid": ["peer/b.py:2"]}
    graph["low"]["top"] = ["low/c.py:7"]
    assert set(upward_imports(graph, layers)) == {"peer -> mid", "low -> top"}


def test_the_scan_sees_a_cycle():
    graph = {"a": {"b": ["a/x.py:1"]}, "b": {"c": ["b/y.py:3"]}, "c": {"a": ["c/z.py:9"]}, "d": {"a": []}}
    assert cycles(graph) == [{"a", "b", "c"}]
