"""The catalogue's schema versions: ordered, idempotent steps applied when a catalogue is
opened for writing, the version kept in `PRAGMA user_version` (docs/design.md).

A new column is one line, `Migration(N, "why", add_columns("table", "column"))`, after adding
the column to `catalogue/schema.py`'s TABLES (its type comes from there). A new table needs no
step: `create_schema` creates missing tables and the text indexes (`index_text`).
tests/catalogue/test_migrations.py upgrades a catalogue made by the last release and fails when
a column of TABLES has no step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from catalogue.schema import TABLES, create_schema, index_text

Step = Callable[[sqlite_utils.Database], None]


@dataclass(frozen=True)
class Migration:
    """One schema version: what it changes and why. `apply` must be safe to run twice."""

    version: int
    why: str
    apply: Step


def add_columns(table: str, *columns: str) -> Step:
    """A step adding columns (typed as in TABLES) to `table` where they are missing."""

    def apply(db: sqlite_utils.Database) -> None:
        if not db[table].exists():
            return  # create_schema makes it whole
        present = db[table].columns_dict
        for column in columns:
            if column not in present:
                db[table].add_column(column, TABLES[table][0][column])

    return apply


def _every_column(db: sqlite_utils.Database) -> None:
    """Catalogues older than version 2 were upgraded by adding every missing column on open."""
    for table, (columns, _pk) in TABLES.items():
        add_columns(table, *columns)(db)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "release 0.1 (a0fd170) and before: missing columns added on open", _every_column),
    Migration(3, "crawl_runs: requests refused and limits hit (issue 11)",
              add_columns("crawl_runs", "refused", "warnings")),
    Migration(4, "reports: read by OCR, and where the linking page disagrees (issue 14)",
              add_columns("reports", "ocr", "disagreements")),
    Migration(5, "report_stats: cells read by OCR and the engine's confidence (issue 14)",
              add_columns("report_stats", "ocr", "confidence")),
    Migration(6, "reports: the text index updated only when text changes; OCR'd reports indexed "
                 "apart for approximate search (issue 18)", index_text),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("pragma user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Bring a catalogue to SCHEMA_VERSION; returns the versions applied (none for a new file).

    Each step is recorded as it completes, so a crash mid-way resumes at the step it stopped
    in. A catalogue from a newer nianbao keeps its version: its steps are not ours to undo.
    """
    applied = []
    if db.table_names():
        current = schema_version(db)
        for migration in MIGRATIONS:
            if migration.version > current:
                migration.apply(db)
                db.execute(f"pragma user_version = {migration.version}")
                applied.append(migration.version)
    create_schema(db)
    if schema_version(db) < SCHEMA_VERSION:
        db.execute(f"pragma user_version = {SCHEMA_VERSION}")
    return applied
