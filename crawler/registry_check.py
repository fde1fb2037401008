"""Checks of one registry entry, all of them before anything is fetched or written (issue 11).

Each check returns the problems of one key as `(key, message)` pairs; `crawler.registry`
turns the first into one line naming the file, the line of the portal's table, the portal and
the key (README, "The portal registry").
"""

from __future__ import annotations

import difflib
import re
from typing import Any
from urllib.parse import urlsplit

REQUIRED = ("name", "region", "start_urls", "allowed_domains")
# Descriptive keys: kept in `Portal.extra`, read by people and by the simulated portals' tools.
DESCRIPTIVE = ("region_code", "encoding", "column", "columnid", "proxy", "perpage")
_STR_KEYS = ("name", "region", "title", "cms", "link_xpath", "title_pattern")
_HOST_ENTRY = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")

Problem = tuple[str, str]


def unknown_keys(table: dict[str, Any], known: set[str]) -> list[Problem]:
    """Keys nobody reads: a typo would otherwise fall back to a default without a word."""
    out = []
    for key in table:
        if key in known or key in DESCRIPTIVE:
            continue
        near = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
        out.append((key, "unknown key" + (f"; did you mean {near[0]}?" if near else
                                          f" (valid keys: {', '.join(sorted(known))})")))
    return out


def _number(table: dict[str, Any], key: str, kind: type, minimum: float) -> list[Problem]:
    if key not in table:
        return []
    value = table[key]
    ok_type = isinstance(value, int) if kind is int else isinstance(value, int | float)
    if isinstance(value, bool) or not ok_type:
        name = "an integer" if kind is int else "a number"
        return [(key, f"must be {name}, not {type(value).__name__} {value!r}")]
    if value < minimum:
        return [(key, f"must be at least {minimum:g}, not {value!r}")]
    return []


def _strings(table: dict[str, Any]) -> list[Problem]:
    out = [(key, f"must be a string, not {type(table[key]).__name__} {table[key]!r}")
           for key in _STR_KEYS if key in table and not isinstance(table[key], str)]
    out += [(key, "must not be empty") for key in ("name", "region")
            if isinstance(table.get(key), str) and not table[key].strip()]
    if "allow_private_addresses" in table and not isinstance(table["allow_private_addresses"], bool):
        out.append(("allow_private_addresses", "must be true or false"))
    return out


def _list_of_strings(table: dict[str, Any], key: str) -> list[Problem]:
    value = table.get(key)
    if isinstance(value, str):
        value = table[key] = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return [(key, f"must be a string or a list of strings, not {value!r}")]
    if not value:
        return [(key, "is empty")]
    return []


def _domains(table: dict[str, Any]) -> list[Problem]:
    return [("allowed_domains", f"{d!r} is not a host or host:port (e.g. \"bl.gov.cn\", \"127.0.0.1:8001\")")
            for d in table["allowed_domains"] if not _HOST_ENTRY.match(d.strip().lower())]


def start_url_problem(url: str, allows) -> str | None:
    """Why a start URL cannot be crawled, or None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return f"{url!r} is not an http(s) URL"
    if not parts.hostname:
        return f"{url!r} has no host"
    if parts.username is not None or parts.password is not None:
        return f"{url!r} carries credentials (user:password@); they are refused"
    try:
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        return f"{url!r} has a port out of range (1-65535)"
    if not allows(url):
        return f"{url!r} is outside allowed_domains"
    return None


def _patterns(table: dict[str, Any]) -> list[Problem]:
    from lxml import etree

    out = []
    if isinstance(table.get("title_pattern"), str):
        try:
            re.compile(table["title_pattern"])
        except re.error as e:
            out.append(("title_pattern", f"not a valid regular expression: {e}"))
    if isinstance(table.get("link_xpath"), str):
        try:
            etree.XPath(table["link_xpath"])
        except etree.XPathError as e:
            out.append(("link_xpath", f"not a valid XPath expression: {e}"))
    return out


def _schedule(table: dict[str, Any]) -> list[Problem]:
    from apscheduler.triggers.cron import CronTrigger

    value = table.get("schedule")
    if value is None:
        return []
    expressions = [value] if isinstance(value, str) else value
    if not isinstance(expressions, list) or not expressions or not all(isinstance(e, str) for e in expressions):
        return [("schedule", f"must be a cron expression or a list of them, not {value!r}")]
    for expr in expressions:
        try:
            CronTrigger.from_crontab(expr)
        except ValueError as e:
            return [("schedule", f"{expr!r} is not a cron expression (minute hour day month weekday): {e}")]
    return []


def check_table(table: dict[str, Any], known: set[str]) -> list[Problem]:
    """Every problem of one `[[portal]]` table, in the order a reader would fix them."""
    missing = [k for k in REQUIRED if k not in table]
    if missing:
        return [(missing[0], "missing required key" + ("s " + ", ".join(missing) if len(missing) > 1 else ""))]
    out = unknown_keys(table, known) + _strings(table)
    out += _list_of_strings(table, "start_urls") + _list_of_strings(table, "allowed_domains")
    if not out:
        out += _domains(table)
    out += _number(table, "max_pages", int, 1) + _number(table, "max_listing_pages", int, 1)
    out += _number(table, "download_delay", float, 0) + _number(table, "concurrency", int, 1)
    out += _patterns(table) + _schedule(table)
    return out
