"""What the spider hands to the pipelines: one archived page or attachment to catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from archive.location import RecordLocation


@dataclass
class CaptureItem:
    url: str
    portal: str
    kind: str  # "page", "attachment", "listing" or "image" (shown in a page's report)
    status: int
    content_type: str
    location: RecordLocation | None  # where the response record lies in DATA/warc/
    link_title: str | None = None  # the title the listing gave the link
    referer_url: str | None = None
    parent_url: str | None = None  # for attachments: the page linking them
    parent_location: RecordLocation | None = None
    warc_date: str | None = None
    payload_digest: str | None = None
    record_id: str | None = None
    record_type: str = "response"  # or "revisit" (304, or the same payload as the last capture)
    etag: str | None = None
    last_modified: str | None = None
    images: dict[str, RecordLocation | None] | None = None  # a page's report images (extract/images.py)
    # an unchanged page one of whose images is new or changed: read again, with the new image
    images_changed: bool = False
