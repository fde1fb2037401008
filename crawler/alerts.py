"""The one-line warnings of a crawl run, from its Scrapy stats: limits it hit and requests it
refused. CataloguePipeline stores them in `crawl_runs.warnings`; the summary prints them."""

from __future__ import annotations

from typing import Any

from extract.loss import LOST_STAT

BUDGET = "nianbao/budget_hit/"  # + portal: requests not made, page budget (max_pages) spent
LISTING_BUDGET = "nianbao/listing_budget_hit/"  # + portal: listing pages not parsed (max_listing_pages)
TRAP = "nianbao/trap/"  # + portal: dead-end listing pages whose pagination was not followed
TOO_DEEP = "extract/warning/too_deep"  # pages nested deeper than the HTML parser follows
OTHER = "extract/warning/other"  # other warnings of extract_page (Page.warnings)
LOST = LOST_STAT  # pages and documents read only in part (extract/loss.py says_lost)
# Page.warnings that say how a document was read (OCR, tables from ruling lines), logged only
INFORMATIONAL = ("ocr:", "pdf tables rebuilt", "ofd tables rebuilt", "doc converted to docx",
                 "wps converted to docx", "odt converted to docx", "ods converted to xlsx",
                 "pdf: a seal", "ofd: a seal", "image: a seal")


def _per_portal(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {key[len(prefix):]: value for key, value in sorted(stats.items()) if key.startswith(prefix)}


def run_warnings(stats: dict[str, Any]) -> list[str]:
    """What a reader of the run must know was not done, one line each."""
    out = [f"portal {portal!r} hit its page budget (max_pages): {n} request{'s' * (n != 1)} not made; "
           "raise max_pages in the registry" for portal, n in _per_portal(stats, BUDGET).items()]
    out += [f"portal {portal!r} hit its listing budget (max_listing_pages): {n} listing page{'s' * (n != 1)} "
            "not followed" for portal, n in _per_portal(stats, LISTING_BUDGET).items()]
    out += [f"portal {portal!r}: spider trap suspected (listing pages in a row with no new link); pagination "
            f"not followed from {n} of them, URL in the log" for portal, n in _per_portal(stats, TRAP).items()]
    refused = stats.get("nianbao/refused", 0)
    if refused:
        kinds = ", ".join(f"{key.rsplit('/', 1)[1]} {n}" for key, n in sorted(stats.items())
                          if key.startswith("nianbao/refused/"))
        out.append(f"{refused} request{'s' * (refused != 1)} refused ({kinds}); URLs and reasons in the log")
    if stats.get(TOO_DEEP):
        out.append(f"{stats[TOO_DEEP]} page(s) nested too deep for the HTML parser: flattened below level "
                   "200 and read whole unless the log says otherwise; URLs in the log")
    if stats.get(LOST):
        out.append(f"{stats[LOST]} page(s) or document(s) read only in part: what they show is archived "
                   "but not all in the catalogue (unreadable files or images, pages past the limit, text "
                   "the loss check missed); URLs in the log")
    if stats.get(OTHER):
        out.append(f"{stats[OTHER]} extraction warning(s) (statistics or region failed); URLs in the log")
    return out
