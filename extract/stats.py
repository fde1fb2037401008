"""Statistics of a report: the standard tables 二/三/四 (or a legacy 统计表) as cells, the
headline figures, the template version, the scope and the template's own cross-checks.

Tables are recognised by their content, not their position (ogi-format §1.2–1.4); a table split
into pieces is parsed piece by piece, a headerless piece reusing the previous piece's columns.
Label and key conventions are in extract/codebook.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract import codebook as cb
from extract.checks import (
    carry_over_check,
    completeness_check,
    figures_check,
    in_force_check,
    table_checks,
    year_over_year_checks,
)
from extract.model import STATS_KEYS, Cell, Check, Grid
from extract.numbers import parse_value
from extract.prose import detect_scope, prose_figures

__all__ = ["Statistics", "carry_over_check", "classify", "extract_statistics", "in_force_check",
           "year_over_year_checks"]


@dataclass(frozen=True)
class Statistics:
    """What extract_statistics found; the catalogue stores cells as `report_stats` rows."""

    template_version: str | None = None  # "2021", "2019", "legacy", "prose"
    cells: list[Cell] = field(default_factory=list)
    headline: dict[str, float | int | None] = field(default_factory=lambda: dict.fromkeys(STATS_KEYS))
    checks: list[Check] = field(default_factory=list)
    scope: str | None = None  # "self", "jurisdiction"


_LAYOUT_CELL = 300  # characters: no label of a statistics table is this long (prose is)
# Grid slots (rows × columns after span expansion) beyond which a grid is not a statistics
# table: the national tables have a few hundred slots; hostile spans make millions.
MAX_GRID_SLOTS = 1_000_000


def _flat(grid: Grid) -> str:
    normalised: dict[str, str] = {}  # span copies repeat the same text many times
    return "".join(normalised.get(c) or normalised.setdefault(c, cb.normalise(c))
                   for row in grid for c in row)


def classify(grid: Grid) -> str | None:
    """Which standard table a grid (or a piece of one) is: "二", "三", "四", "统计表" or None."""
    if any(len(c) > _LAYOUT_CELL and len(set(c)) > 30 for row in grid for c in row) or \
            max((len(set(row)) for row in grid), default=0) < 2:
        return None  # a layout table wrapping the page body, or a single column of text
    text = _flat(grid)
    if "申请人情况" in text or "本年新收" in text or ("予以公开" in text and "无法提供" in text):
        return "三"
    if any(w in text for w in ("不予处理", "重复申请", "结转下年度", "属于国家秘密", "本机关不掌握")):
        return "三"
    if "第二十条" in text or "信息内容" in text or any(
            w in text for w in cb.V2021_MARKERS + cb.V2019_MARKERS + ("处理决定数量",)):
        return "二"
    if "指标名称" in text or "计量单位" in text:
        return "统计表"
    if sum(1 for row in grid if row and cb.legacy_row_key(row[0])) >= 3:
        return "统计表"  # before 四: the legacy form has rows 行政复议数量 and 行政诉讼数量 too
    if "行政复议" in text and ("行政诉讼" in text or "起诉" in text):
        return "四"
    return None


def detect_version(pieces: list[tuple[str, Grid]], year: int | None) -> str | None:
    """2021 or 2019 from table 二's columns (§1.5), else from table 三's （六） rows, else year."""
    text = "".join(_flat(g) for kind, g in pieces if kind in ("二", "三", "四"))
    if not text or (year is not None and year <= 2018):  # the standard format began in 2019
        return None
    if any(w in text for w in cb.V2021_MARKERS) or "逾期不补正" in text or "逾期未按收费" in text:
        return "2021"
    if any(w in text for w in cb.V2019_MARKERS):
        return "2019"
    if "其他处理" in text and "三" in {k for k, _ in pieces}:
        return "2019"
    return "2021" if (year or 0) >= 2021 else "2019"


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def _has_number(row: list[str]) -> bool:
    return any(parse_value(c).kind == "number" for c in row)


def _columns(header: list[list[str]], width: int) -> list[tuple[list[int], list[str]]]:
    """Logical columns: runs of grid columns with the same lowest header (span copies merged)."""
    columns: list[tuple[list[int], list[str]]] = []
    for c in range(width):
        path = list(dict.fromkeys(row[c] for row in header if c < len(row) and row[c]))
        if columns and columns[-1][1][-1:] == path[-1:]:
            columns[-1][0].append(c)
        else:
            columns.append(([c], path))
    return columns


def _pick(row: list[str], idx: list[int]) -> str:
    return next((row[i] for i in idx if i < len(row) and row[i].strip()), "")


def _cell(table: str, row_label: str, col_label: str, raw: str, row_key: str | None,
          col_key: str | None, unit: str | None = None) -> Cell:
    parsed = parse_value(raw)
    return Cell(table=table, row_label=row_label, col_label=col_label, value=parsed.value,
                raw=raw, row_key=row_key, col_key=col_key, unit=parsed.unit or unit)


def _t3_layout(grid: Grid, prev: tuple | None, version: str) -> tuple[int, list, int]:
    """(number of header rows, logical value columns, first value column) of a table-三 piece."""
    n = 0
    while n < len(grid) and not _has_number(grid[n]) and not cb.t3_row_key(version, grid[n][:1]):
        n += 1
    if n == len(grid):
        n = 0
    width = len(grid[0]) if grid else 0
    columns = _columns(grid[:n], width) if n else []
    keyed = [i for i, (_, path) in enumerate(columns) if any(cb.t3_col_key(p) for p in path)]
    if keyed:
        start = columns[keyed[0]][0][0]
        return n, [(idx, path) for idx, path in columns if idx[0] >= start], start
    if prev and prev[2] == width:
        return n, prev[0], prev[1]
    # Headerless piece with unknown layout: the last seven columns, in template order.
    start = max(0, width - len(cb.T3_COLS))
    return n, [([start + i], [label]) for i, (_, label) in enumerate(cb.T3_COLS)], start


def parse_t3(grid: Grid, version: str, prev: tuple | None = None) -> tuple[list[Cell], tuple]:
    """Cells of a table-三 piece; returns the column layout for a following headerless piece."""
    n, columns, start = _t3_layout(grid, prev, version)
    # Column labels and keys depend on the header only: worked out once, not once per row.
    heads = [(path[-1] if path else "", next((k for k in map(cb.t3_col_key, reversed(path)) if k),
                                             None)) for _, path in columns]
    cells: list[Cell] = []
    for row in grid[n:]:
        labels = _dedupe(row[:start])
        values = [_pick(row, idx) for idx, _ in columns]
        if not labels and not any(values):
            continue
        row_key = cb.t3_row_key(version, labels)
        if row_key is None and not any(v.strip() for v in values):
            continue  # a group label on its own row (e.g. （三）不予公开) carries no figures
        for (col_label, col_key), raw in zip(heads, values, strict=True):
            cells.append(_cell("三", labels[-1] if labels else "", col_label, raw.strip(),
                               row_key, col_key))
    return cells, (columns, start, len(grid[0]) if grid else 0)


def _t2_header(row: list[str], version: str) -> int | None:
    """Index of the first value column when `row` is a table-二 header row."""
    if _has_number(row):
        return None
    for i, text in enumerate(row):
        if any(cb.t2_col_key(v, text) for v in cb.VERSIONS):
            return i
    return None


def parse_t2(grid: Grid, version: str, prev: tuple | None = None) -> tuple[list[Cell], tuple]:
    """Cells of table 二: caption rows (第二十条…) and header rows switch the columns."""
    cells: list[Cell] = []
    columns, start = prev if prev else ([], 1)
    for row in grid:
        if "第二十条" in cb.normalise(row[0]) and len(set(row)) == 1:
            continue
        first = _t2_header(row, version)
        if first is not None:
            start = first
            columns = [(idx, path) for idx, path in _columns([row], len(row)) if idx[0] >= first]
            continue
        labels = [x for x in _dedupe(row[:start]) if "第二十条" not in cb.normalise(x)]
        if not labels or not columns:
            continue
        row_key = cb.t2_row_key(version, labels[-1])
        for idx, path in columns:
            col_label = path[-1] if path else ""
            unit = "万元" if "万元" in col_label else None
            cells.append(_cell("二", labels[-1], col_label, _pick(row, idx).strip(), row_key,
                               cb.t2_col_key(version, col_label), unit))
    return cells, (columns, start)


def parse_t4(grid: Grid, version: str) -> list[Cell]:
    """Cells of table 四: the header path names each column; one unlabelled data row."""
    n = 0
    while n < len(grid) - 1 and not _has_number(grid[n]):
        n += 1
    columns = _columns(grid[:n], len(grid[0]) if grid else 0)
    cells: list[Cell] = []
    for row in grid[n:]:
        label = ""
        for idx, path in columns:
            row_key, col_key = cb.t4_keys(version, path)
            raw = _pick(row, idx).strip()
            if col_key is None and parse_value(raw).kind == "text":
                label = raw
                continue
            cells.append(_cell("四", label, " ".join(path), raw, row_key, col_key))
    return cells


def parse_legacy(grid: Grid) -> list[Cell]:
    """Cells of a pre-2019 统计表: indicator, 计量单位, then one column per period. A table whose
    head was not printed with it (or not read) gives its figures when it has one column of them."""
    header = legacy_head(grid)
    if header is None:
        return []
    unit_col = next((i for i, c in enumerate(header) if "单位" in c), None)
    cells: list[Cell] = []
    start = grid.index(header) + 1 if header in grid else 0
    for row in grid[start:]:
        if not row or not row[0].strip() or parse_value(row[0]).kind == "number":
            continue
        unit = row[unit_col].strip() if unit_col is not None and unit_col < len(row) else None
        for i, col_label in enumerate(header):
            if i == 0 or i == unit_col:
                continue
            col_key = "cumulative" if "累计" in col_label else "year"
            cells.append(_cell("统计表", row[0], col_label, row[i].strip() if i < len(row) else "",
                               cb.legacy_row_key(row[0]), col_key, unit or None))
    return cells


def legacy_head(grid: Grid) -> list[str] | None:
    """The 统计表's head row (指标名称, 计量单位, periods); without one, a head made from what the
    columns hold when that is unambiguous: labels, at most one column of units (short text in
    most rows) and exactly one column of figures, the year's. None when it cannot be told."""
    header = next((r for r in grid if any("指标" in c or "单位" in c for c in r)), None)
    if header is not None or not grid:
        return header
    width = max(len(row) for row in grid)
    kinds = [[parse_value(row[c]).kind for row in grid if c < len(row) and row[c].strip()] for c in range(width)]
    figures = [c for c in range(1, width) if kinds[c] and kinds[c].count("number") * 2 > len(kinds[c])]
    units = [c for c in range(1, width) if c not in figures and kinds[c] and all(
        len(row[c].strip()) <= 4 for row in grid if c < len(row) and row[c].strip())]
    if len(figures) != 1 or len(units) > 1 or len(figures) + len(units) != width - 1:
        return None
    return ["" if c != (units or [None])[0] else "单位" for c in range(width)]


def table_cells(pieces: list[tuple[str | None, Grid]], version: str | None) -> list[Cell]:
    """Cells of every recognised table, in document order; `pieces` pairs each grid with
    what `classify` says it is."""
    cells: list[Cell] = []
    prev: dict[str, tuple] = {}
    for kind, grid in pieces:
        if kind == "统计表":
            cells += parse_legacy(grid)
        elif kind and version in cb.VERSIONS:
            if kind == "三":
                found, prev["三"] = parse_t3(grid, version, prev.get("三"))
            elif kind == "二":
                found, prev["二"] = parse_t2(grid, version, prev.get("二"))
            else:
                found = parse_t4(grid, version)
            cells += found
    return cells


def headline(cells: list[Cell], version: str | None) -> dict[str, float | int | None]:
    """The summary figures (STATS_KEYS) from the standard or legacy table cells."""
    values = {(c.row_key, c.col_key): c.value for c in cells if c.row_key}
    out: dict[str, float | int | None] = dict.fromkeys(STATS_KEYS)

    def total(*keys: tuple[str, str]) -> float | int | None:
        found = [values.get(k) for k in keys if values.get(k) is not None]
        return sum(found) if found else None

    if version in cb.VERSIONS:
        t3, t4 = f"t3_v{version}.", f"t4_v{version}."
        out["applications_received"] = total((t3 + "new", "total"))
        out["applications_carried_over"] = total((t3 + "carried_in", "total"))
        out["granted"] = total((t3 + "granted", "total"))
        out["partially_granted"] = total((t3 + "partial", "total"))
        deny = [name for name, group, _ in cb.T3_ROWS[version] if group == "不予公开"]
        out["refused"] = total(*[(t3 + name, "total") for name in deny])
        out["reconsideration_total"] = total((t4 + "review", "total"))
        out["litigation_total"] = total((t4 + "litigation_direct", "total"),
                                        (t4 + "litigation_after_review", "total"))
    legacy = {"proactive_disclosed": "proactive_total", "applications_received": "applications_total",
              "granted": "replies_granted", "partially_granted": "replies_partial",
              "refused": "replies_refused", "reconsideration_total": "review",
              "litigation_total": "litigation", "fees_collected": "fees"}
    for key, name in legacy.items():
        if out[key] is None:
            out[key] = values.get((f"legacy.{name}", "year"))
    return out


def extract_statistics(text: str, tables: list[Grid], year: int | None,
                       agency: str | None = None) -> Statistics:
    """Everything statistical about one report, from its clean text and its table grids.

    Every figure the prose states becomes a prose cell (with its sentence), also when a table
    states the same statistic; the headline takes the table's figure first. `agency`, when
    known, decides the scope of a report whose sentences do not say it.
    """
    tables = [g for g in tables if sum(len(row) for row in g) <= MAX_GRID_SLOTS]
    pieces = [(classify(g) if g and g[0] else None, g) for g in tables]
    version = detect_version(pieces, year)
    cells = table_cells(pieces, version)
    if version is None and any(c.table == "统计表" for c in cells):
        version = "legacy"
    summary = headline(cells, version)
    # Table rows rendered into the text (tab-separated) are not sentences.
    printed, text = text or "", "\n".join(line for line in (text or "").splitlines() if "\t" not in line)
    prose = prose_figures(text)
    for key, cell in prose.items():
        cells.append(cell)
        if summary.get(key) is None:  # tables win; prose fills what they do not state
            summary[key] = cell.value
    if version is None:
        if year is not None and year <= 2018:
            version = "legacy"
        elif prose or year is not None:
            version = "prose"
    checks: list[Check] = []
    if version in cb.VERSIONS:
        checks = [*table_checks(cells, version), completeness_check(cells, version)]
    read = figures_check([(kind, g) for kind, g in pieces if kind], cells, printed)
    checks += [read] if read is not None else []
    return Statistics(template_version=version, cells=cells, headline=summary, checks=checks,
                      scope=detect_scope(text or "", agency))
