"""Schema migrations: a catalogue made by the last release opens in this one, whole."""

import sqlite3
from pathlib import Path

import pytest

from catalogue import migrations
from catalogue.catalogue import Catalogue
from catalogue.schema import TABLES

RELEASE = Path(__file__).resolve().parent.parent / "data" / "catalogue" / "release-0.1.sql"


@pytest.fixture
def release_catalogue(tmp_path) -> Path:
    """The catalogue the last release (a0fd170, schema version 2) wrote, rebuilt from its dump."""
    path = tmp_path / "catalogue.db"
    conn = sqlite3.connect(path)
    conn.executescript(RELEASE.read_text(encoding="utf-8"))
    conn.close()
    return path


def tables(path: Path) -> dict[str, list[dict]]:
    """Every row of every table nianbao defines, in primary-key order."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return {t: [dict(r) for r in conn.execute(f"select * from [{t}] order by 1, 2")] for t in TABLES}
    finally:
        conn.close()


def schema(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(path)
    try:
        shape = {t: [(c[1], c[2], c[5]) for c in conn.execute(f"pragma table_info([{t}])")] for t in TABLES}
        shape["objects"] = sorted(conn.execute("select type, name from sqlite_master where name not like 'sqlite_%'"))
        shape["version"] = conn.execute("pragma user_version").fetchone()[0]
        return shape
    finally:
        conn.close()


def test_upgrade_keeps_every_row(release_catalogue):
    before = tables(release_catalogue)
    assert schema(release_catalogue)["version"] == 2
    assert before["reports"] and before["report_versions"] and before["report_stats"]
    Catalogue(release_catalogue).close()
    after = tables(release_catalogue)
    for table, rows in before.items():
        assert [{k: r[k] for k in rows[0]} for r in after[table]] == rows if rows else not after[table], table
    assert {r["refused"] for r in after["crawl_runs"]} == {None}  # new columns, no invented values
    cat = Catalogue.read_only(release_catalogue)
    assert [r["id"] for r in cat.search("东城区")] == [before["reports"][0]["id"]]  # the FTS index survived


def test_upgraded_schema_is_the_new_schema(release_catalogue, tmp_path):
    """A column added to TABLES without a migration step fails here."""
    Catalogue(release_catalogue).close()
    Catalogue(tmp_path / "new.db").close()
    assert schema(release_catalogue) == schema(tmp_path / "new.db")
    assert schema(release_catalogue)["version"] == migrations.SCHEMA_VERSION
    assert triggers(release_catalogue) == triggers(tmp_path / "new.db")  # the release's were sqlite-utils'


def triggers(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("select name, sql from sqlite_master where type = 'trigger'"))


def test_steps_apply_once(release_catalogue):
    import sqlite_utils

    db = sqlite_utils.Database(release_catalogue)
    assert migrations.migrate(db) == list(range(3, migrations.SCHEMA_VERSION + 1))
    assert migrations.migrate(db) == []


def test_a_new_column_is_one_step(release_catalogue):
    """Issue 14's OCR fields came as one add_columns step each: rows kept, no value invented."""
    assert migrations.MIGRATIONS[3].why.startswith("report_stats: cells read by OCR")
    before = tables(release_catalogue)["report_stats"]
    Catalogue(release_catalogue).close()
    after = tables(release_catalogue)["report_stats"]
    assert [{k: r[k] for k in before[0]} for r in after] == before
    assert [(r["ocr"], r["confidence"]) for r in after] == [(None, None)] * len(before)
    assert schema(release_catalogue)["version"] == migrations.SCHEMA_VERSION


def test_read_only_open_never_migrates(release_catalogue):
    Catalogue.read_only(release_catalogue).search("东城区")
    Catalogue.read_only(release_catalogue).search("东城区人民政府")  # long: no OCR column, no approximate pass
    assert schema(release_catalogue)["version"] == 2
    assert "refused" not in [c[0] for c in schema(release_catalogue)["crawl_runs"]]


def test_a_newer_catalogue_keeps_its_version(release_catalogue):
    Catalogue(release_catalogue).close()
    with sqlite3.connect(release_catalogue) as conn:
        conn.execute("pragma user_version = 99")
    Catalogue(release_catalogue).close()
    assert schema(release_catalogue)["version"] == 99
