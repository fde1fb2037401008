"""Every Request.meta key is named, with a line, in crawler/meta.py (issue 13)."""

import ast
from pathlib import Path

from crawler import meta

ROOT = Path(__file__).resolve().parent.parent.parent


def _is_meta(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "meta") or (isinstance(node, ast.Attribute) and node.attr == "meta")


def meta_keys_used() -> dict[str, list[str]]:
    """Literal keys read or written through `….meta[...]`, `.get/.setdefault/.pop(...)`, `.update({...})`."""
    used: dict[str, list[str]] = {}
    for package in ("crawler", "spiders", "archive", "distributed", "cli"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                keys = []
                if isinstance(node, ast.Subscript) and _is_meta(node.value):
                    keys = [node.slice]
                elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_meta(node.func.value)
                      and node.args):
                    if node.func.attr in ("get", "setdefault", "pop"):
                        keys = [node.args[0]]
                    elif node.func.attr == "update" and isinstance(node.args[0], ast.Dict):
                        keys = node.args[0].keys
                for key in keys:
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        used.setdefault(key.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return used


def test_every_meta_key_is_named_in_crawler_meta():
    used = meta_keys_used()
    assert {"dont_archive", "warc_location", "handle_httpstatus_list"} <= set(used)  # the scan sees them
    unnamed = {k: where for k, where in used.items() if k not in meta.KEYS | meta.SCRAPY_KEYS}
    assert not unnamed, f"add these Request.meta keys to crawler/meta.py: {unnamed}"


def test_every_key_has_its_line():
    source = (ROOT / "crawler" / "meta.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    documented = {stmt.targets[0].id for stmt, after in zip(tree.body, tree.body[1:], strict=False)
                  if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name)
                  and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)}
    names = {name for name in dir(meta) if name.isupper() and isinstance(getattr(meta, name), str)}
    assert names == documented
    assert {getattr(meta, n) for n in names} == set(meta.KEYS)
