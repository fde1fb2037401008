"""A report's statistics laid out as the report prints them.

Table 三 follows the national format (ogi-format §1.3): the codebook's rows for the report's
template version, grouped (不予公开, 无法提供, …), against the applicant columns. Every other
table (二, 四, legacy 统计表, prose figures) is rebuilt from its cells' printed labels, rows and
columns in the order they were read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extract import codebook as cb

T3_TITLE = "三、收到和处理政府信息公开申请情况"
TABLE_TITLES = {"二": "二、主动公开政府信息情况", "三": T3_TITLE, "四": "四、政府信息公开行政复议、行政诉讼情况",
                "统计表": "统计表", "prose": "正文中的数字 Figures in the text"}


@dataclass
class Grid:
    table_no: str
    title: str
    columns: list[str]
    rows: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (group, label, cells)


def _shown(cell: dict[str, Any]) -> str:
    raw = (cell.get("raw") or "").strip()
    if raw:
        return raw
    value = cell.get("value")
    return "" if value is None else f"{value:g}"


def table_three(cells: list[dict[str, Any]], version: str | None) -> Grid | None:
    mine = [c for c in cells if c["table_no"] == "三"]
    if not mine:
        return None
    version = version if version in cb.T3_ROWS else ("2021" if any("t3_v2021" in (c["row_key"] or "") for c in mine) else "2019")
    by_key = {(c["row_key"], c["col_key"]): c for c in mine if c["row_key"]}
    grid = Grid("三", T3_TITLE, [label for _, label in cb.T3_COLS])
    for name, group, label in cb.T3_ROWS[version]:
        row_key = f"t3_v{version}.{name}"
        grid.rows.append((group or "", label, [_shown(by_key[(row_key, col)]) if (row_key, col) in by_key else ""
                                               for col, _ in cb.T3_COLS]))
    return grid


def printed_grid(table_no: str, cells: list[dict[str, Any]]) -> Grid:
    columns: list[str] = []
    rows: dict[str, dict[str, str]] = {}
    for c in cells:
        col = c["col_label"] or ("数值 value" if table_no == "prose" else "")
        if col not in columns:
            columns.append(col)
        row = c["row_label"] or ""
        rows.setdefault(row, {}).setdefault(col, _shown(c) if table_no != "prose" else f"{c['value']:g}"
                                            if c.get("value") is not None else "")
    grid = Grid(table_no, TABLE_TITLES.get(table_no, table_no), columns)
    grid.rows = [("", label, [values.get(col, "") for col in columns]) for label, values in rows.items()]
    return grid


def report_grids(cells: list[dict[str, Any]], version: str | None) -> list[Grid]:
    """Table 三 first (the one people ask about), then the others in the order they appear."""
    grids = []
    three = table_three(cells, version)
    if three:
        grids.append(three)
    order: list[str] = []
    for c in cells:
        if c["table_no"] != "三" and c["table_no"] not in order:
            order.append(c["table_no"])
    for table_no in order:
        grids.append(printed_grid(table_no, [c for c in cells if c["table_no"] == table_no]))
    return grids
