"""A crawl run's state is one object (crawler/state.py): the run id, what earlier runs captured
and a resumed run's archived URLs sit beside the budget and captures, local or in Redis."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from archive.records import response_record
from archive.warcfile import WarcFile
from catalogue.catalogue import Catalogue
from crawler.state import CrawlState, LocalCrawlState, crawl_state
from distributed.state import RedisCrawlState

PAGE, GONE, BEFORE, DURING = (f"http://e.gov.cn/{name}.html" for name in ("page", "gone", "before", "during"))


def capture(url: str, run_id: int, **row) -> dict:
    return {"url": url, "run_id": run_id, "portal": "p", "kind": "page", "page_kind": "report", "status": 200,
            "record_type": "response", "warc_filename": "x.warc.gz", "warc_offset": 0, "warc_length": 1, **row}


def catalogue_with_a_killed_run(path) -> int:
    """One finished run (PAGE, and a 404 GONE), then a run over the same portal still running."""
    catalogue = Catalogue(path)
    first = catalogue.start_run("crawl", ["p"])
    catalogue.add_capture(capture(PAGE, first, etag='"v1"'))
    catalogue.add_capture(capture(GONE, first, status=404))
    catalogue.finish_run(first, "finished", {})
    killed = catalogue.start_run("crawl", ["p"])
    catalogue.commit()
    catalogue.close()
    return killed


def archive(warc_dir, *pages: tuple[str, str | None]) -> dict:
    warc = WarcFile(warc_dir, info={"software": "nianbao/test"})
    records = [response_record(warc.builder, url, 200, [("Content-Type", "text/html")], b"<p>x</p>", warc_date=date)
               for url, date in pages]
    locations = dict(zip([url for url, _ in pages], warc.write(records), strict=True))
    warc.close()
    return locations


def test_a_resumed_run_knows_earlier_captures_and_what_it_archived(tmp_path):
    db, warc_dir = tmp_path / "catalogue.db", tmp_path / "warc"
    run_id = catalogue_with_a_killed_run(db)
    where = archive(warc_dir, (BEFORE, "2020-01-01T00:00:00Z"), (DURING, None))  # None: now, in the run
    crawler = get_crawler(settings_dict={"WARC_DIR": str(warc_dir)})
    state = crawl_state(crawler)
    assert isinstance(state, LocalCrawlState) and state is crawl_state(crawler)
    assert (state.run_id, state.resumed, dict(state.known_pages), dict(state.archived_this_run)) == (None, False, {}, {})

    state.begin_run(run_id, resumed=True)
    state.load_catalogue(str(db), str(warc_dir), ["p"])
    assert crawler.stats.get_value("nianbao/run_id") == run_id and crawler.stats.get_value("nianbao/resumed")
    assert set(state.known_pages) == {PAGE}  # the latest 200 of each page; a 404 is no capture to revalidate
    assert state.known_pages[PAGE]["portal"] == "p" and state.known_pages[PAGE]["etag"] == '"v1"'
    assert dict(state.archived_this_run) == {DURING: where[DURING]}  # not what earlier runs archived


def test_a_new_run_reads_nothing_back_from_the_archive(tmp_path):
    db, warc_dir = tmp_path / "catalogue.db", tmp_path / "warc"
    run_id = catalogue_with_a_killed_run(db)
    archive(warc_dir, (DURING, None))
    crawler = get_crawler(settings_dict={"WARC_DIR": str(warc_dir)})
    state = crawl_state(crawler)
    state.begin_run(run_id, resumed=False)
    state.load_catalogue(str(db), str(warc_dir), ["p"])
    assert set(state.known_pages) == {PAGE} and not state.archived_this_run
    assert crawler.stats.get_value("nianbao/resumed") is None


def test_without_a_catalogue_the_run_state_stays_empty(tmp_path):
    state = crawl_state(get_crawler())
    state.load_catalogue(str(tmp_path / "none.db"), str(tmp_path), ["p"])
    assert not state.known_pages and not state.archived_this_run


def test_the_redis_state_carries_the_run_too():
    """A distributed worker's state is the same seam: the run's fields, with their defaults."""
    class Server:
        def register_script(self, script):
            return None

    crawler = get_crawler()
    state = RedisCrawlState(Server(), crawler.stats, coordinator=False)
    assert isinstance(state, CrawlState)
    assert (state.run_id, state.resumed, dict(state.known_pages), dict(state.archived_this_run)) == (None, False, {}, {})
    state.begin_run(7, resumed=False)
    assert state.run_id == 7 and crawler.stats.get_value("nianbao/run_id") == 7


class NotAState:
    @classmethod
    def from_crawler(cls, crawler):
        return cls()


def test_a_state_class_without_the_run_is_refused():
    crawler = get_crawler(settings_dict={"CRAWL_STATE": f"{__name__}.NotAState"})
    with pytest.raises(TypeError, match="CrawlState"):
        crawl_state(crawler)
