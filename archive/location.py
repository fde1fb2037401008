"""Where one record lies: the catalogue's pointer back to archived bytes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordLocation:
    filename: str  # final name inside DATA/warc/ (never the .open name)
    offset: int
    length: int

    def as_dict(self) -> dict[str, object]:
        return {"warc_filename": self.filename, "warc_offset": self.offset, "warc_length": self.length}
