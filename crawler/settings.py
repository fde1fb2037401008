"""Scrapy settings for nianbao: what runs, in what order, and how politely.

Every nianbao-specific setting is documented in docs/settings.md.
"""

BOT_NAME = "nianbao"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "nianbao/0.1 (archival crawler for government information-disclosure annual reports)"

# Politeness for real portals: robots.txt, few requests per host, AutoThrottle, retries.
ROBOTSTXT_OBEY = True
# Per host: PORTAL_CONCURRENCY parallel requests, at least PORTAL_DELAY seconds apart, unless
# the registry says otherwise (crawler.run.crawl_settings builds DOWNLOAD_SLOTS from it);
# PortalAutoThrottle slows any host whose latency grows.
CONCURRENT_REQUESTS = 64
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy starts this many asyncio tasks for every response's callback output, however little it
# yields (a page gives one item and a few links): 100 cost about 1 ms of CPU a page, a quarter
# of the crawl process (benchmarks/RESULTS.md, section 7).
CONCURRENT_ITEMS = 8
PORTAL_CONCURRENCY = 2
PORTAL_DELAY = 0.5
DOWNLOAD_DELAY = 0  # per host: PORTAL_DELAY, in DOWNLOAD_SLOTS
AUTOTHROTTLE_ENABLED = True  # as PortalAutoThrottle, which replaces Scrapy's (EXTENSIONS below)
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 200 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
# Scrapy re-reads a generator callback's source to warn about `return value` whenever its weak
# cache misses (bound methods: most requests); ruff and the tests catch that, not each page.
WARN_ON_GENERATOR_RETURN_VALUE = False

# Only encodings every WARC reader can decode (warcio, pywb): no br, no zstd.
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9",
    "Accept-Encoding": "gzip, deflate",
}

# Finds each request's registry slot and holds the slot to its concurrency (crawler/downloader.py).
DOWNLOADER = "crawler.downloader.SlotBoundDownloader"

EXTENSIONS = {
    "archive.capture.WarcCapture": 100,
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.throttle.PortalAutoThrottle": 0,
    "scrapy.extensions.telnet.TelnetConsole": None,
    "crawler.progress.CrawlProgress": 900,
    "crawler.resources.CrawlingCpu": 950,  # stats: nianbao/cpu_crawling_s (benchmarks)
}
DOWNLOADER_MIDDLEWARES = {
    # Every request and redirect hop on its portal's domains, http(s), no credentials, no
    # private address unless the registry allows it; before robots.txt is asked for.
    "crawler.guard.PortalGuardMiddleware": 80,
    # Each portal's max_pages, charged for requests past the dupefilter and robots.txt.
    "crawler.budget.PageBudgetMiddleware": 110,
    # Slow a host down on 429/503 (Retry-After) and dropped connections; RetryMiddleware retries.
    "crawler.backoff.BackoffMiddleware": 560,
    # Conditional requests from the last capture of each URL (If-None-Match, revisits).
    "crawler.revalidate.RevalidateMiddleware": 940,
    # Last before the network: answers from the archive in replay, and for a resumed run.
    "crawler.replay.ReplayMiddleware": 950,
}
ITEM_PIPELINES = {
    "crawler.pipelines.CataloguePipeline": 300,
}

# nianbao components (docs/settings.md)
WARC_ENABLED = True
WARC_DIR = None  # set by `nianbao crawl` to DATA/warc
WARC_PREFIX = "nianbao"
WARC_ROTATE_BYTES = 1_000_000_000
WARC_REVISIT_REQUESTS = False  # request records for 304 revisits too
CATALOGUE_PATH = None  # set by `nianbao crawl` to DATA/catalogue.db
EXTRACT_WORKERS = 2
EXTRACT_WORKER_MAX_RSS_MB = 160  # a worker holding more after a page (what OCR leaves behind) is replaced
EXTRACT_OCR_THREADS = 0  # each worker's OCR threads; 0: the cores shared among the workers
CATALOGUE_BATCH_ITEMS = 100  # items per catalogue transaction (a killed run re-catalogues the rest)
CATALOGUE_BATCH_SECONDS = 2.0  # and at least this often, so readers see a running crawl
CATALOGUE_CACHE_MB = 16  # SQLite's page cache in the crawl process (it fills, whatever the catalogue's size)
EXTRACT_MAXSIZE = 64 * 1024 * 1024  # payloads larger than this (decoded) are archived, not extracted
EXTRACT_FUNCTION = "extract.extract_page"  # import path of the extractor (swap to re-extract)
WITHDRAW_AFTER_RUNS = 2  # runs a report may be missing from its listing before it is withdrawn
BACKOFF_MAX_DELAY = 120.0  # seconds, the most a host is slowed down to
REVALIDATE_ENABLED = True  # conditional requests from the archive's last capture of each URL
REPLAY_ENABLED = False  # answer every request from the archive (nianbao replay)
LISTING_TRAP_PAGES = 10  # listing pages in a row with no new link but more pages: a spider trap
CRAWL_STATE = "crawler.state.LocalCrawlState"  # budget, listed links, captures (distributed: in Redis)

TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
