"""ReportTruth: the ground truth of one logical report, JSON-serialisable."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .reports import ReportSpec
    from .testbed import Item


@dataclass
class ReportTruth:
    key: str
    title: str
    agency: str
    year: int
    published: str  # ISO date on the issuer's (first) location; re-posts show later dates
    signed: str | None
    signed_text: str | None  # the 落款 date as printed
    index_no: str
    doc_no: str | None
    template_version: str  # 2021 | 2019 | legacy
    scope: str  # self | jurisdiction
    region: dict
    stats: dict
    cells: list
    consistent: bool
    published_as: str  # html or a form of simportals.attachments.FORMS
    locations: list  # [[portal, path], ...]; the issuer's own portal first when it has one
    issuer_portal: str | None
    attachments: list  # [[portal, path], ...] of attachment-only representations
    reposts: list  # [[portal, path, shown_date], ...] locations on other bodies' portals

    @classmethod
    def from_spec(cls, spec: ReportSpec, core: dict, locs: list[Item]) -> ReportTruth:
        from .reports import format_signed

        return cls(
            key=spec.key, title=spec.title, agency=spec.body.name, year=spec.year,
            published=spec.published.isoformat(),
            signed=spec.signed.isoformat() if spec.signed else None,
            signed_text=format_signed(spec), index_no=spec.index_no, doc_no=spec.doc_no,
            template_version=spec.template, scope=spec.body.scope, region=spec.body.region(),
            stats=core["stats"], cells=core["cells"], consistent=not spec.inconsistent,
            published_as=spec.published_as,
            locations=[[i.portal, i.path] for i in locs],
            issuer_portal=spec.body.portal,
            attachments=[[i.portal, i.attachment] for i in locs if i.attachment],
            reposts=[[i.portal, i.path, i.when[:10]] for i in locs if i.repost],
        )

    def to_json(self) -> dict:
        return asdict(self)
