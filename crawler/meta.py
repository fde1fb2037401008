"""Every `Request.meta` key nianbao sets or reads, one line each (docs/design.md, "A page's
route"). Scrapy's own keys that nianbao uses are listed in SCRAPY_KEYS.

The keys the WARC layer owns (`dont_archive`, `warc_*`) are set and read by
`archive/capture.py` (WarcCapture), which sits below crawler/ and so spells them out itself;
tests/crawler/test_meta.py fails if any module reads or writes a key not named here.
"""

from __future__ import annotations

# -- which portal, and how the request was found (spiders/portal.py) ------------------------------

PORTAL = "portal"
"""The registry name of the request's portal: its download slot, guard, budget and queue."""
LINK_TITLE = "link_title"
"""The text of the link that led to the request (a report's title on its listing)."""
REFERER_URL = "referer_url"
"""The listing page the link was found on."""
PARENT_URL = "parent_url"
"""For an attachment: the report page that links it (its metadata is read with the attachment)."""
PARENT_LOCATION = "parent_location"
"""For an attachment: the RecordLocation of its parent page's archived response."""

# -- conditional requests and answers from the archive (crawler/revalidate.py, crawler/replay.py) -

DONT_REVALIDATE = "dont_revalidate"
"""Per-request opt-out of RevalidateMiddleware: no If-None-Match / If-Modified-Since."""
REPLAY_LOCATION = "replay_location"
"""Answer this request from the archive at this RecordLocation (resume after a kill, replay)."""
REBUILD_ON_304 = "rebuild_on_304"
"""The RecordLocation of the last capture: a 304 is handed to the spider as that archived copy."""
REBUILT_FROM_ARCHIVE = "rebuilt_from_archive"
"""The response was rebuilt from the archive by ReplayMiddleware (a 304's archived copy, or replay)."""

# -- the WARC layer (archive/capture.py) ----------------------------------------------------------

DONT_ARCHIVE = "dont_archive"
"""Per-request opt-out of WarcCapture: the exchange is not written to the WARC."""
WARC_REFERS_TO = "warc_refers_to"
"""The last capture (uri, date, record id, digest) a 304 or same-digest 200 is a revisit of."""
WARC_LOCATION = "warc_location"
"""Where WarcCapture wrote the response (or revisit) record: a RecordLocation."""
WARC_DATE = "warc_date"
"""The WARC-Date of that record."""
WARC_RECORD_ID = "warc_record_id"
"""The WARC-Record-ID of that record."""
WARC_PAYLOAD_DIGEST = "warc_payload_digest"
"""The WARC-Payload-Digest of that record."""
WARC_RECORD_TYPE = "warc_record_type"
"""`response` or `revisit`: what WarcCapture wrote for the exchange."""

# -- discovery (spiders/discover.py) --------------------------------------------------------------

SITE = "site"
"""The seed URL of the site being discovered (its SiteFinding)."""
BODY = "body"
"""The issuing body the followed navigation belongs to, when known."""
ROOT = "root"
"""The URL prefix of that body's section: links outside it lose the body."""
TRAIL = "trail"
"""The link texts followed from the home page to here."""
HOPS = "hops"
"""How many links from the home page this request is."""

KEYS = frozenset({
    PORTAL, LINK_TITLE, REFERER_URL, PARENT_URL, PARENT_LOCATION, DONT_REVALIDATE, REPLAY_LOCATION,
    REBUILD_ON_304, REBUILT_FROM_ARCHIVE, DONT_ARCHIVE, WARC_REFERS_TO, WARC_LOCATION, WARC_DATE, WARC_RECORD_ID,
    WARC_PAYLOAD_DIGEST, WARC_RECORD_TYPE, SITE, BODY, ROOT, TRAIL, HOPS,
})

SCRAPY_KEYS = frozenset({
    "handle_httpstatus_list",  # 304/404/410 reach the spider's callbacks (HttpErrorMiddleware)
    "redirect_urls",  # the hops a redirect took (RedirectMiddleware); the guard checks each
    "retry_times",  # a retried request is not charged to the budget again (RetryMiddleware)
    "download_latency",  # read by PortalAutoThrottle (Scrapy's downloader sets it)
    "autothrottle_dont_adjust_delay",  # loopback portals (the simulated ones) keep no delay
})
