"""The catalogue's full-text indexes: every report in reports_fts, the OCR'd ones also in
reports_ocr_fts (approximate search ranks its candidates there), both kept by triggers that
re-index a report only when its title, agency, text or OCR flag change."""

import sqlite3

import pytest

from catalogue.catalogue import Catalogue

PHRASE = "深入推进政府网站门户建设"


def report(rid: str, text: str, ocr: int) -> dict:
    return {"id": rid, "title": f"{rid}2023年政府信息公开工作年度报告", "agency": f"{rid}人民政府", "year": 2023,
            "text": text, "ocr": ocr}


@pytest.fixture
def catalogue(tmp_path):
    cat = Catalogue(tmp_path / "catalogue.db")
    cat.db["reports"].insert_all([
        report("甲县", "本机关深入推进政府网站內户建设，主动公开政府信息2428条。", 1),
        report("乙县", "本机关深入推进政府网站內户建设，主动公开政府信息2428条。", 0),
    ])
    cat.commit()
    yield cat
    cat.close()


def segments(cat: Catalogue) -> tuple[int, int]:
    """Rows of both indexes' storage: an index written to grows."""
    return tuple(cat.db.execute(f"select count(*) from {t}_data").fetchone()[0] for t in ("reports_fts", "reports_ocr_fts"))


def found(cat: Catalogue, term: str) -> list[tuple[str, str]]:
    return [(r["id"], r["match"]) for r in cat.search(term)]


def test_marking_reports_seen_rewrites_no_index(catalogue):
    """A recrawl marks every report seen (last_seen, last_listed_run): sqlite-utils' trigger
    re-indexed each one's whole text for it."""
    before = segments(catalogue)
    catalogue.db.execute("update reports set last_seen = '2026-12-07', last_listed_run = 2, status = 'current'")
    catalogue.commit()
    assert segments(catalogue) == before
    assert found(catalogue, "政府信息2428") == [("乙县", "exact"), ("甲县", "exact")]


def test_changed_text_and_ocr_flag_are_reindexed(catalogue):
    assert found(catalogue, PHRASE) == [("甲县", "approximate")]  # only the OCR'd one
    catalogue.db.execute("update reports set text = ? where id = '甲县'", ["本机关深入推进政府网站门户建设。"])
    catalogue.db.execute("update reports set ocr = 1 where id = '乙县'")
    catalogue.commit()
    assert found(catalogue, PHRASE) == [("甲县", "exact"), ("乙县", "approximate")]
    assert found(catalogue, "政府网站內户建设") == [("乙县", "exact"), ("甲县", "approximate")]
    catalogue.db.execute("update reports set ocr = 0 where id = '乙县'")
    catalogue.db.execute("delete from reports where id = '甲县'")
    catalogue.commit()
    assert found(catalogue, PHRASE) == []
    for table in ("reports_fts", "reports_ocr_fts"):
        catalogue.db.execute(f"insert into {table} ({table}) values ('integrity-check')")
    assert catalogue.db.execute("select count(*) from reports_ocr_fts where reports_ocr_fts match '政府网站'").fetchone() == (0,)


def test_a_catalogue_from_before_the_ocr_index_gets_it_filled(tmp_path):
    """Schema 5 had one index and sqlite-utils' triggers: opening it for writing builds the
    OCR'd reports' index from the rows already there and mends the triggers."""
    path = tmp_path / "catalogue.db"
    Catalogue(path).close()
    with sqlite3.connect(path) as conn:
        for name in ("reports_ocr_ai", "reports_ocr_ad", "reports_ocr_au", "reports_au"):
            conn.execute(f"drop trigger {name}")
        conn.execute("drop table reports_ocr_fts")
        conn.execute("create trigger reports_au after update on reports begin "
                     "insert into reports_fts (reports_fts, rowid, title, agency, text) "
                     "values ('delete', old.rowid, old.title, old.agency, old.text); "
                     "insert into reports_fts (rowid, title, agency, text) values (new.rowid, new.title, new.agency, new.text); end")
        conn.execute("insert into reports (id, title, agency, text, ocr) values (?, ?, ?, ?, 1)",
                     ["甲县", "甲县年报", "甲县人民政府", "本机关深入推进政府网站內户建设。"])
        conn.execute("pragma user_version = 5")
    cat = Catalogue(path)
    assert found(cat, PHRASE) == [("甲县", "approximate")]
    assert "AFTER UPDATE OF" in cat.db.execute("select sql from sqlite_master where name = 'reports_au'").fetchone()[0]
    assert cat.db.execute("pragma user_version").fetchone()[0] == 6
    cat.close()


def test_approximate_search_finds_the_term_anywhere_in_a_long_text(tmp_path):
    """The fuzzy match runs only around the term's trigrams: at the start, the end, far into
    the text, with the misread character first, last, or a character missing or added."""
    cat = Catalogue(tmp_path / "catalogue.db")
    filler = "本行政机关依法依规做好政府信息公开工作。" * 400
    texts = {"start": "深人推进政府网站门户建设" + filler, "end": filler + "深入推进政府网站门户建没",
             "middle": filler + "深入推进政府网站门建设" + filler, "added": filler + "深入推进政府的网站门户建设",
             "far": filler + "深入推进国家网站门户建设"}
    cat.db["reports"].insert_all([report(k, v, 1) for k, v in texts.items()])
    cat.commit()
    assert sorted(found(cat, PHRASE)) == [(k, "approximate") for k in sorted(texts) if k != "far"]
    cat.close()


def test_a_catalogue_opened_read_only_before_its_upgrade_still_searches(tmp_path):
    """`nianbao search` opens read-only and never migrates: a schema-5 catalogue has no OCR
    index, so the approximate pass ranks every report's index, as it did then."""
    path = tmp_path / "catalogue.db"
    cat = Catalogue(path)
    cat.db["reports"].insert(report("甲县", "本机关深入推进政府网站內户建设。", 1))
    cat.close()
    with sqlite3.connect(path) as conn:
        conn.execute("drop table reports_ocr_fts")
        conn.execute("pragma user_version = 5")
    assert found(Catalogue.read_only(path), PHRASE) == [("甲县", "approximate")]
