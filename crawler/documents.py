"""Which document type a URL downloads: the spiders follow such links as attachments, and the
catalogue records the type a report was published as (crawler/rows.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from extract.formats import READ_EXTENSIONS as ATTACHMENT_EXTENSIONS

# Hanweb and TRS download endpoints carry the file name in the query string.
_DOWNLOAD_PARAMS = ("filename", "fileName", "file", "name")


def attachment_extension(url: str) -> str | None:
    """The document type a URL downloads, from its path or its download parameters."""
    parts = urlsplit(url)
    candidates = [parts.path]
    if parts.query:  # most links have none: no parsing for them
        query = parse_qs(parts.query)
        candidates += [v for key in _DOWNLOAD_PARAMS for v in query.get(key, [])]
    for candidate in candidates:
        lowered = candidate.lower()
        if lowered.endswith(ATTACHMENT_EXTENSIONS):
            return next(ext for ext in ATTACHMENT_EXTENSIONS if lowered.endswith(ext))
    return None
