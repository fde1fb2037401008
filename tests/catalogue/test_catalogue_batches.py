"""Catalogue items: each all-or-nothing, committed in batches that other readers see whole."""

import sqlite3

import pytest

from catalogue.catalogue import Catalogue


def capture(url: str, run_id: int) -> dict:
    return {"url": url, "run_id": run_id, "portal": "p", "kind": "page", "status": 200}


def visible(path) -> set[str]:
    """What another process (nianbao query, Datasette) sees."""
    with sqlite3.connect(path) as reader:
        return {row[0] for row in reader.execute("select url from captures")}


def captured(path, n: int, batch_items: int) -> tuple[Catalogue, int]:
    """A catalogue that has been given n captures, batched by `batch_items`."""
    cat = Catalogue(path, batch_items=batch_items, batch_seconds=3600)
    run = cat.start_run("crawl", ["p"])
    for k in range(n):
        cat.add_capture(capture(f"http://x/{k}", run))
    return cat, run


def test_items_commit_in_batches_and_on_close(tmp_path):
    path = tmp_path / "catalogue.db"
    cat, _ = captured(path, 4, batch_items=3)
    assert visible(path) == {"http://x/0", "http://x/1", "http://x/2"}  # the first batch of 3
    cat.close()
    assert len(visible(path)) == 4  # the open batch is committed on close


def test_a_failing_item_rolls_back_alone(tmp_path):
    path = tmp_path / "catalogue.db"
    cat = Catalogue(path, batch_items=100, batch_seconds=3600)
    run = cat.start_run("crawl", ["p"])
    cat.add_capture(capture("http://x/before", run))
    with pytest.raises(RuntimeError), cat.item():
        cat.add_capture(capture("http://x/half-written", run))  # nested: part of the outer item
        raise RuntimeError("the rest of this item failed")
    cat.add_capture(capture("http://x/after", run))
    cat.commit()
    assert visible(path) == {"http://x/before", "http://x/after"}
    cat.close()


def test_uncommitted_batch_is_lost_whole_when_killed(tmp_path):
    """A kill leaves the catalogue at its last commit: never half an item or half a batch."""
    path = tmp_path / "catalogue.db"
    cat, _ = captured(path, 3, batch_items=2)
    cat.db.conn.close()  # no commit: as if the process died here
    assert visible(path) == {"http://x/0", "http://x/1"}
    assert Catalogue(path).db["captures"].count == 2


def test_the_page_cache_is_the_size_asked_for(tmp_path):
    """The crawl's CATALOGUE_CACHE_MB: SQLite's cache fills to its size on a large catalogue,
    memory the crawl process holds for the whole run."""
    from crawler import settings

    cat = Catalogue(tmp_path / "catalogue.db", cache_mb=settings.CATALOGUE_CACHE_MB)
    try:
        assert cat.db.execute("pragma cache_size").fetchone()[0] == -1024 * settings.CATALOGUE_CACHE_MB
    finally:
        cat.close()
