"""Result types of extraction: what one archived page or attachment yields."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The headline figures of every report, whatever its template (see docs/design.md).
STATS_KEYS: tuple[str, ...] = (
    "proactive_disclosed",
    "applications_received",
    "applications_carried_over",
    "granted",
    "partially_granted",
    "refused",
    "reconsideration_total",
    "litigation_total",
    "fees_collected",
)

# A table as a grid of cell texts, row by row; rowspan/colspan are expanded by copying the
# spanning cell's text into every slot it covers (as pandas.read_html does).
Grid = list[list[str]]


@dataclass(frozen=True)
class Region:
    """Where the issuing body sits in the administrative hierarchy."""

    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    township: str | None = None
    code: str | None = None  # 6-digit administrative division code
    level: str | None = None  # province, prefecture, county, township, department


@dataclass(frozen=True)
class Cell:
    """One statistic of a standard table, or a figure stated in prose."""

    table: str  # "二", "三", "四", or "prose"
    row_label: str  # as printed
    col_label: str  # as printed ("" for prose figures)
    value: float | int | None  # None for blank, "/", "—", "不适用"
    raw: str = ""  # the cell text, or the sentence a prose figure came from
    row_key: str | None = None  # stable codebook key; 2019 and 2021 keys never share a name
    col_key: str | None = None
    unit: str | None = None
    origin: str = "table"  # "table" or "prose"
    ocr: bool = False  # read by OCR from a scan or an image (extract/ocr.py)
    confidence: float | None = None  # the OCR engine's lowest score over the value's text


@dataclass(frozen=True)
class Check:
    """One of the template's own cross-checks, recorded, never used to reject a report."""

    name: str
    passed: bool | None  # None when the figures needed are missing
    detail: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    text: str


@dataclass
class Page:
    """Everything extracted from one archived response (HTML page or attachment)."""

    url: str | None = None
    kind: str = "other"  # "report", "other", "attachment_only"
    text: str = ""
    title: str | None = None
    year: int | None = None
    published: str | None = None  # ISO date
    signed: str | None = None  # ISO date from the 落款
    agency: str | None = None  # the issuing body
    publisher: str | None = None  # 发布机构 from the metadata table, when given
    index_no: str | None = None
    doc_no: str | None = None
    scope: str | None = None  # "self" or "jurisdiction"
    template_version: str | None = None  # "2021", "2019", "legacy", "prose"
    region: Region = field(default_factory=Region)
    stats: dict[str, float | int | None] = field(default_factory=lambda: dict.fromkeys(STATS_KEYS))
    cells: list[Cell] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tables: list[Grid] = field(default_factory=list)
    removed: dict[str, list[str]] = field(default_factory=dict)  # chrome stripped, by kind
    attachments: list[dict[str, str]] = field(default_factory=list)  # {"url", "text"}
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    ocr: bool = False  # some of the text or tables were read by OCR
    linking_page: dict[str, Any] = field(default_factory=dict)  # fields the linking page states
    disagreements: list[str] = field(default_factory=list)  # fields where it and the file differ

    def to_json(self) -> dict[str, Any]:
        """The `nianbao extract` contract; key names are relied on by acceptance checks."""
        return {
            "url": self.url,
            "kind": self.kind,
            "title": self.title,
            "year": self.year,
            "published": self.published,
            "signed": self.signed,
            "agency": self.agency,
            "publisher": self.publisher,
            "index_no": self.index_no,
            "doc_no": self.doc_no,
            "scope": self.scope,
            "template_version": self.template_version,
            "region": asdict(self.region),
            "stats": {key: self.stats.get(key) for key in STATS_KEYS},
            "cells": [[c.table, c.row_label, c.col_label, c.value] for c in self.cells],
            "checks": [asdict(c) for c in self.checks],
            "sections": [asdict(s) for s in self.sections],
            "tables": self.tables,
            "removed": self.removed,
            "attachments": self.attachments,
            "encoding": self.encoding,
            "text": self.text,
            "ocr": self.ocr,
            "cell_confidence": [c.confidence if c.ocr else None for c in self.cells],
            "linking_page": self.linking_page,
            "disagreements": self.disagreements,
            "warnings": self.warnings,  # how it was read, and what could not be (never silent)
        }
