"""The template's own cross-checks (ogi-format §1.6), recorded per report, never used to reject it.

For the arithmetic a blank cell counts as 0 (Shanghai 2019 leaves zeros blank), and so does a
cell printed `/`, `—` or `-` (officials write those for "none", issue 12; the cell's value stays
None); `不适用` or other text makes its equation unevaluable, and a check whose equations are
all unevaluable has `passed` None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from extract import codebook as cb
from extract.model import Cell, Check, Grid
from extract.numbers import parse_value

if TYPE_CHECKING:
    from extract.stats import Statistics

_NONE_MARK = re.compile(r"^\s*(?:[/／\\—–－-]+)?\s*$")  # blank, `/`, `—`, `--`: counted as 0
_APPLICANTS = [name for name, _ in cb.T3_COLS if name != "total"]
_T4_PARTS = ["upheld", "corrected", "other", "pending"]


def _values(cells: Iterable[Cell]) -> dict[tuple[str, str], float | int | None]:
    """(row_key, col_key) → number for the arithmetic (blank → 0, n/a → None)."""
    out: dict[tuple[str, str], float | int | None] = {}
    for c in cells:
        if c.row_key and c.col_key and (c.row_key, c.col_key) not in out:
            none = c.value is None and _NONE_MARK.match(c.raw)
            out[(c.row_key, c.col_key)] = 0 if none else c.value
    return out


def _check(name: str, equations: list[tuple[str, Any, list[Any]]]) -> Check:
    """One check from (where, left side, right-hand terms) equations."""
    failures, evaluated = [], 0
    for where, left, terms in equations:
        if left is None or any(t is None for t in terms):
            continue
        evaluated += 1
        right = sum(terms)
        if abs(left - right) > 1e-6:
            failures.append(f"{where}: {left} ≠ {right}")
    if not evaluated:
        return Check(name, None, "figures missing")
    return Check(name, not failures, "; ".join(failures) or f"{evaluated} equations hold")


def table_checks(cells: list[Cell], version: str) -> list[Check]:
    """Checks 1–4 of §1.6 on a standard report's table-三 and table-四 cells."""
    v = _values(cells)
    if not any(k[0].startswith(("t3_", "t4_")) for k in v):
        return []
    t3 = f"t3_v{version}."
    rows = [name for name, _, _ in cb.T3_ROWS[version]]
    outcomes = [n for n in rows if n not in ("new", "carried_in", "total", "carried_out")]
    cols = [name for name, _ in cb.T3_COLS]
    checks = []
    if any(k[0].startswith("t3_") for k in v):
        checks.append(_check("t3_balance", [
            (col, _sum(v, [(t3 + "new", col), (t3 + "carried_in", col)]),
             [v.get((t3 + "total", col)), v.get((t3 + "carried_out", col))]) for col in cols]))
        checks.append(_check("t3_row_sums", [
            (row, v.get((t3 + row, "total")), [v.get((t3 + row, c)) for c in _APPLICANTS])
            for row in rows]))
        checks.append(_check("t3_outcome_sum", [
            (col, v.get((t3 + "total", col)), [v.get((t3 + o, col)) for o in outcomes])
            for col in cols]))
    if any(k[0].startswith("t4_") for k in v):
        groups = [name for name, _ in cb.T4_GROUPS]
        checks.append(_check("t4_totals", [
            (g, v.get((f"t4_v{version}.{g}", "total")),
             [v.get((f"t4_v{version}.{g}", p)) for p in _T4_PARTS]) for g in groups]))
    return checks


def _row_label(version: str, row_key: str) -> str:
    """The national format's printed label of a row key, for people reading the check."""
    name = row_key.split(".", 1)[1]
    labels = {n: label for n, _, label in cb.T3_ROWS[version]}
    labels.update({n: words[0] for n, words in cb.T2_ROWS[version]})
    labels.update(dict(cb.T4_GROUPS))
    return labels.get(name, name)


def completeness_check(cells: list[Cell], version: str) -> Check:
    """Whether every statistic of the national tables 二, 三 and 四 was found (ogi-format §1.2).

    The format is mandatory and fixed, so a standard report missing some of its slots was most
    likely read in part (a table cut at a page's foot, rows OCR'd as lines): the detail names the
    tables and rows, so the loss is visible rather than silent.
    """
    found = {(c.row_key, c.col_key) for c in cells if c.row_key and c.col_key}
    missing, expected = [], 0
    for table, slots in cb.template_cells(version).items():
        expected += len(slots)
        absent = [s for s in slots if s not in found]
        if len(absent) == len(slots):
            missing.append((len(absent), f"{table}: table not found"))
        elif absent:
            rows = dict.fromkeys(_row_label(version, row) for row, _ in absent)
            missing.append((len(absent), f"{table} ({len(absent)} of {len(slots)}): "
                            + " / ".join(r if len(r) <= 14 else r[:12] + "…" for r in rows)))
    if not missing:
        return Check("tables_complete", True, f"all {expected} cells found")
    lost = sum(n for n, _ in missing)
    return Check("tables_complete", False,
                 f"{lost} of {expected} cells not found — " + "; ".join(d for _, d in missing))


def figures_check(tables: list[tuple[str, Grid]], cells: list[Cell], text: str) -> Check | None:
    """Whether every figure in a report's statistics tables gave a statistic (None: the report
    has no such table). `tables` pairs each grid with what stats.classify says it is.

    A label split from its row's figures gives cells with no key; a figure set where no head
    is over it gives none; a table that reads as 二, 三 or 四 in a report before the format
    began gives none: the figures are in the text but in no statistic. So each row's figures
    are counted against the cells read under its label (a national table's keyed, the legacy
    form's any). A run of equal figures under one head merged across their columns counts once
    (a merged figure is printed in each column), and a row printed twice (a table shown twice)
    once. A report whose text holds the legacy form's head (指标名称, 计量单位) but gave no
    table had its table read as lines, or its head not at all.
    """
    from extract.stats import legacy_head

    read: dict[tuple[str, str], int] = {}
    for c in cells:
        if c.origin == "table" and c.value is not None and ((c.row_key and c.col_key) or c.table == "统计表"):
            read[c.table, c.row_label or ""] = read.get((c.table, c.row_label or ""), 0) + 1
    figures: dict[str, int] = {}
    short: dict[tuple[str, str], int] = {}  # (table, label) → figures of its row not read
    for kind, grid in tables:
        head = legacy_head(grid) if kind == "统计表" else None
        over: dict[int, str] = {}  # each column's lowest head text so far
        for row in dict.fromkeys(tuple(r) for r in grid if r is not head):
            kinds = [_figure_kind(c) for c in row]  # a figure OCR could not read counts
            if "number" not in kinds and "unread" not in kinds:
                over.update((i, c) for i, c in enumerate(row) if c)
                continue
            first = next(i for i, k in enumerate(kinds) if k in ("number", "unread"))
            labels = {c for c in row[:first] if c} or {""}
            runs = sum(1 for i in range(first, len(row)) if kinds[i] in ("number", "unread") and not (
                i > first and row[i] == row[i - 1] and over.get(i) and over.get(i) == over.get(i - 1)))
            figures[kind] = figures.get(kind, 0) + runs
            missing = runs - sum(read.get((kind, label), 0) for label in labels)
            if missing > 0:  # named by its deepest label (a unit, 件 or 万元, is none)
                key = (kind, next((c for c in reversed(row[:first]) if len(c) > 2), ""))
                short[key] = short.get(key, 0) + missing
    if not figures:
        head = next((line.strip() for line in text.splitlines()
                     if ("指标名称" in line or "计量单位" in line) and len(line) <= 40), None)
        if head is None or any(c.table == "统计表" for c in cells):
            return None
        return Check("figures_read", False, f"统计表: its head ({head}) is in the text, no table was read")
    if not short:
        return Check("figures_read", True, f"all {sum(figures.values())} figures read")
    lost = []
    for kind in dict.fromkeys(k for k, _ in short):
        rows = [label or "（无标签）" for k, label in short if k == kind]
        lost.append(f"{kind}: {sum(n for (k, _), n in short.items() if k == kind)} of {figures[kind]} figures not read ("
                    + " / ".join(r if len(r) <= 14 else r[:12] + "…" for r in rows[:4])
                    + (" …" if len(rows) > 4 else "") + ")")
    return Check("figures_read", False, "; ".join(lost))


_MISREAD_FIGURE = re.compile(r"[\w.,%\s]{0,6}\d[\w.,%\s]{0,6}", re.ASCII)


def _figure_kind(cell: str) -> str:
    """parse_value's kind, and "unread" for a figure read with a stray mark or letter that
    leaves it no number (`0.`, `2s`): its row's count of figures must not drop it in silence."""
    kind = parse_value(cell).kind
    return "unread" if kind == "text" and _MISREAD_FIGURE.fullmatch(cell.strip()) else kind


def _sum(v: dict, keys: list[tuple[str, str]]) -> float | int | None:
    terms = [v.get(k) for k in keys]
    return None if any(t is None for t in terms) else sum(terms)


def _carried_out(stats: Statistics) -> float | int | None:
    for c in stats.cells:
        if c.row_key and c.row_key.endswith(".carried_out") and c.col_key == "total":
            return c.value
    return None


def carry_over_check(prev: Statistics, cur: Statistics) -> Check:
    """Year over year (§1.6 check 5): 二、上年结转 (year N) = 四、结转下年度 (year N−1).

    `prev` and `cur` are the same body's statistics for consecutive years.
    """
    before, now = _carried_out(prev), cur.headline.get("applications_carried_over")
    if before is None or now is None:
        return Check("carry_over", None, "figures missing")
    passed = abs(before - now) < 1e-6
    return Check("carry_over", passed, f"carried in {now}, carried out the year before {before}")


def _t2_2021(stats: Statistics) -> dict[tuple[str, str], float | int | None]:
    return {(c.row_key, c.col_key): c.value for c in stats.cells
            if c.row_key and c.row_key.startswith("t2_v2021.") and c.col_key}


def in_force_check(prev: Statistics, cur: Statistics) -> Check:
    """Year over year (§1.6 check 5), 2021 table 二: 现行有效 (N) = 现行有效 (N−1) + 制发 (N) −
    废止 (N), for 规章 and 行政规范性文件. Same body, consecutive years, both in the 2021 format."""
    before, now = _t2_2021(prev), _t2_2021(cur)
    equations = []
    for row in ("regulations", "normative_docs"):
        key = f"t2_v2021.{row}"
        terms = [now.get((key, "in_force")), before.get((key, "in_force")),
                 now.get((key, "issued")), now.get((key, "repealed"))]
        if any(t is None for t in terms):
            continue
        left, old, issued, repealed = terms
        equations.append((row, left, [old, issued, -repealed]))
    return _check("in_force", equations)


def year_over_year_checks(prev: Statistics, cur: Statistics) -> list[Check]:
    """Checks between the same body's reports for consecutive years (carry-over, 现行有效)."""
    return [carry_over_check(prev, cur), in_force_check(prev, cur)]
