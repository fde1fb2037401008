"""Crawl the loopback test site with the real capture extension (run as a subprocess).

Usage: python crawl_site.py BASE_URL WARC_DIR
"""

import sys

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

PATHS = ["/report.html?x=1&y=2", "/deflate.html", "/chunked.html", "/gbk.pdf", "/style.css",
         "/logo.gif", "/etag.html", "/missing.html"]


class SiteSpider(scrapy.Spider):
    name = "site"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True}

    def __init__(self, base, **kwargs):
        super().__init__(**kwargs)
        self.base = base

    async def start(self):
        for path in PATHS:
            yield scrapy.Request(self.base + path)

    def parse(self, response):
        if response.url.endswith("/etag.html") and response.status == 200:
            meta = response.meta
            refers_to = {"uri": response.url, "date": meta["warc_date"], "record_id": meta["warc_record_id"],
                         "digest": meta["warc_payload_digest"], "status": response.status,
                         "headers": [(k.decode(), v.decode()) for k, vs in response.headers.items() for v in vs]}
            yield scrapy.Request(response.url, headers={"If-None-Match": '"v1"'}, dont_filter=True,
                                 meta={"warc_refers_to": refers_to, "handle_httpstatus_list": [304]})


if __name__ == "__main__":
    base, warc_dir = sys.argv[1:3]
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict({"WARC_DIR": warc_dir, "ROBOTSTXT_OBEY": False, "ITEM_PIPELINES": {},
                      "WARC_REVISIT_REQUESTS": True,  # this crawl checks every request record
                      "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "LOG_LEVEL": "WARNING",
                      "CONCURRENT_REQUESTS_PER_DOMAIN": 1}, priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(SiteSpider, base=base)
    process.start()
