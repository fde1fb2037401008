"""Export the catalogue as files for pandas and R: CSV, JSON lines or Parquet.

Tables: `reports` (every column), `statistics` (long: one row per extracted cell, with the
report's place and year), `statistics_wide` (one row per report, one column per codebook key
`row_key.col_key`, in codebook order) and `checks`. CSV is UTF-8 with a BOM so spreadsheet
programs read the Chinese; Parquet keeps types (pyarrow).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from catalogue import read as sql
from extract import codebook as cb

FORMATS = ("csv", "jsonl", "parquet")
TABLES = ("reports", "statistics", "statistics_wide", "checks")
SUFFIX = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}
Progress = Callable[[int], None]


def codebook_order() -> list[str]:
    """Every `row_key.col_key` of the national tables (二, 三, 四), in the order printed."""
    keys = []
    for version in cb.VERSIONS:
        keys += [f"t2_v{version}.{row}.{col}" for row, _ in cb.T2_ROWS[version] for col, _ in cb.T2_COLS[version]]
        keys += [f"t3_v{version}.{row}.{col}" for row, _, _ in cb.T3_ROWS[version] for col, _ in cb.T3_COLS]
        keys += [f"t4_v{version}.{group}.{col}" for group, _ in reversed(cb.T4_GROUPS) for col, _ in cb.T4_COLS]
    return keys


def wide_columns(conn: sqlite3.Connection) -> list[str]:
    """Codebook keys in printed order, then the legacy and prose keys this catalogue holds."""
    present = {f"{row}.{col}" if col else row for row, col in conn.execute(sql.STAT_KEYS_PRESENT)}
    ordered = [k for k in codebook_order() if k in present]
    return ordered + sorted(present - set(ordered))


def wide_rows(conn: sqlite3.Connection) -> tuple[list[str], Iterator[tuple]]:
    base_columns, reports = sql.rows(conn, sql.WIDE_REPORTS)
    keys = wide_columns(conn)
    cells: dict[str, dict[str, Any]] = {}
    for report_id, row_key, col_key, value in conn.execute(sql.WIDE_CELLS):
        cells.setdefault(report_id, {}).setdefault(f"{row_key}.{col_key}" if col_key else row_key, value)

    def generate() -> Iterator[tuple]:
        for report in reports:
            values = cells.get(report[0], {})
            yield (*report, *(values.get(k) for k in keys))

    return base_columns + keys, generate()


def table_rows(conn: sqlite3.Connection, table: str) -> tuple[list[str], Iterator[tuple], int]:
    if table == "statistics_wide":
        columns, found = wide_rows(conn)
        return columns, found, conn.execute(sql.COUNT.format(table="reports")).fetchone()[0]
    source = {"reports": "reports", "statistics": "report_stats", "checks": "report_checks"}[table]
    cursor = conn.execute(sql.EXPORTS[table])
    return [d[0] for d in cursor.description], iter(cursor), conn.execute(sql.COUNT.format(table=source)).fetchone()[0]


def _write_csv(path: Path, columns: list[str], found: Iterator[tuple], tick: Progress) -> int:
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in found:
            writer.writerow(row)
            n += 1
            tick(1)
    return n


def _write_jsonl(path: Path, columns: list[str], found: Iterator[tuple], tick: Progress) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for row in found:
            fh.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False) + "\n")
            n += 1
            tick(1)
    return n


def _arrow_type(column: str):
    """Arrow type from the catalogue schema (never inferred: a column may be empty for a while)."""
    import pyarrow as pa

    from catalogue.schema import TABLES

    types = {name: kind for columns, _ in TABLES.values() for name, kind in columns.items()}
    kind = types.get(column, float if "." in column else str)  # wide columns are codebook keys
    return {int: pa.int64(), float: pa.float64()}.get(kind, pa.string())


def _write_parquet(path: Path, columns: list[str], found: Iterator[tuple], tick: Progress,
                   batch: int = 5000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field(c, _arrow_type(c)) for c in columns])
    n, chunk = 0, []
    with pq.ParquetWriter(path, schema) as writer:
        def flush() -> None:
            arrays = list(zip(*chunk, strict=True)) if chunk else [[] for _ in columns]
            writer.write_table(pa.table([pa.array(list(a), type=f.type) for a, f in zip(arrays, schema, strict=True)],
                                        schema=schema))
            tick(len(chunk))
            chunk.clear()

        for row in found:
            chunk.append(row)
            n += 1
            if len(chunk) >= batch:
                flush()
        if chunk or n == 0:
            flush()
    return n


WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}


def export_tables(catalogue: Path, out_dir: Path, fmt: str, tables: tuple[str, ...] = TABLES,
                  progress: Callable[[str, int], Any] | None = None) -> dict[str, tuple[Path, int]]:
    """Write each table as OUT/<table>.<fmt>; returns {table: (path, rows)}.

    `progress(table, total)` returns a bar-like object with update(n) (see crawler.progress).
    """
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    conn = sql.connect(catalogue)
    written = {}
    try:
        for table in tables:
            columns, found, total = table_rows(conn, table)
            path = out_dir / f"{table}{SUFFIX[fmt]}"
            if progress is None:
                written[table] = (path, WRITERS[fmt](path, columns, found, lambda n: None))
            else:
                with progress(table, total) as bar:
                    written[table] = (path, WRITERS[fmt](path, columns, found, bar.update))
    finally:
        conn.close()
    return written
