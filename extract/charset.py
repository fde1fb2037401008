"""Bytes → text for HTML pages whose charset declaration may be wrong or missing.

Order of evidence (docs/design.md "extract"): a BOM, then whether the bytes are valid UTF-8
(a strict decode of non-ASCII bytes almost never succeeds by accident), then the HTTP header,
then the page's own <meta> declaration, then charset-normalizer. GB2312 and GBK labels are
read as GB18030, their superset, because portals label GBK pages "gb2312" and still use
characters outside GB2312.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([a-zA-Z0-9_\-]+)""", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
              "cp936": "gb18030", "euc-cn": "gb18030", "iso-8859-1": "cp1252", "ascii": "utf-8",
              "us-ascii": "utf-8", "latin-1": "cp1252", "latin1": "cp1252"}

Headers = Mapping[str, str] | Iterable[tuple[str, str]] | None


def header_value(headers: Headers, name: str) -> str | None:
    """One header's value from a Mapping or a list of (name, value) pairs, case-insensitively."""
    if not headers:
        return None
    items = headers.items() if isinstance(headers, Mapping) else headers
    for key, value in items:
        key = key.decode("latin-1") if isinstance(key, bytes) else key
        if key.lower() == name.lower():
            return value.decode("latin-1") if isinstance(value, bytes) else value
    return None


def _normalise(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(label, _SUPERSETS.get(name, name))


def declared_charsets(body: bytes, headers: Headers) -> list[str]:
    """Charsets the HTTP header and the page's <meta> declare, header first."""
    found = []
    content_type = header_value(headers, "content-type") or ""
    match = _HEADER_CHARSET.search(content_type)
    if match:
        found.append(_normalise(match.group(1)))
    match = _META_CHARSET.search(body[:4096])
    if match:
        found.append(_normalise(match.group(1).decode("ascii", "replace")))
    return [name for name in found if name]


def decode_html(body: bytes, headers: Headers = None) -> tuple[str, str]:
    """Decode a page to text; returns (text, encoding used)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            # utf-16/utf-32 read their own BOM; utf-8-sig drops it.
            codec = "utf-8-sig" if name == "utf-8" else name
            return body.decode(codec, errors="replace"), name
    try:
        text = body.decode("utf-8")
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    for name in declared_charsets(body, headers):
        if name == "utf-8":
            continue  # already shown not to be valid UTF-8: the declaration is wrong
        try:
            return body.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        # Chinese government pages that are not UTF-8 are almost always GB-family.
        return body.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    if best is not None:
        return str(best), _normalise(best.encoding) or best.encoding
    return body.decode("utf-8", errors="replace"), "utf-8"
