"""SharedRebuildMiddleware: a worker asks for a listing conditionally and rebuilds a 304 from
the copy the crawl shares in Redis, as one machine rebuilds it from its own WARCs.

One machine sends every known URL a conditional request and, for a listing, hands a 304 to
the spider as the archived copy (RevalidateMiddleware, ReplayMiddleware), so the listing is
parsed and recorded as a revisit. A worker cannot read another machine's WARCs, so
RevalidateMiddleware leaves listings alone there, and each worker fetched them in full: the
merged catalogue then said `response` where one machine says `revisit`. Here the listing's
last archived body (published by the coordinator from its DATA, `distributed.seed`) comes
from Redis instead. Ordered just after RevalidateMiddleware (process_request) and before
ReplayMiddleware (process_response).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.http import Response

from archive.reader import ArchivedResponse
from crawler.meta import DONT_REVALIDATE, REBUILT_FROM_ARCHIVE, REPLAY_LOCATION, WARC_REFERS_TO
from crawler.replay import ReplayMiddleware
from crawler.state import crawl_state
from distributed.state import shared_body

SHARED_BODY = "nianbao_shared_body"  # request.meta: a 304 is rebuilt from the body in Redis


class SharedRebuildMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedRebuildMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        meta = request.meta
        if (meta.get(WARC_REFERS_TO) or meta.get(DONT_REVALIDATE) or meta.get(REPLAY_LOCATION)
                or 304 in meta.get("handle_httpstatus_list", ())):
            return  # revalidated already, never, or a 304 the spider takes as it is
        state = crawl_state(self.crawler)
        known = state.known_capture(request.url)
        if known is None or not state.has_body(request.url):
            return
        if known.etag:
            request.headers.setdefault("If-None-Match", known.etag)
        if known.last_modified:
            request.headers.setdefault("If-Modified-Since", known.last_modified)
        meta[WARC_REFERS_TO] = known.refers_to  # a 304, or the same bytes, is archived as a revisit
        meta[SHARED_BODY] = True
        self.crawler.stats.inc_value("revalidate/conditional")

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status != 304 or not request.meta.get(SHARED_BODY):
            return response
        body = shared_body(crawl_state(self.crawler).server, request.url)
        refers_to = request.meta[WARC_REFERS_TO]
        if body is None:
            return response
        archived = ArchivedResponse(request.url, int(refers_to.get("status") or 200),
                                    [tuple(h) for h in refers_to.get("headers") or ()], body,
                                    refers_to["date"], refers_to.get("record_id") or "", refers_to.get("digest"))
        request.meta[REBUILT_FROM_ARCHIVE] = True
        self.crawler.stats.inc_value("replay/rebuilt_304")
        return ReplayMiddleware._response(request, archived)
