"""The SQLite catalogue: the only package that knows SQL (docs/catalogue.md, docs/design.md)."""

from catalogue.catalogue import REPORT_COLUMNS, Catalogue, report_key

__all__ = ["Catalogue", "REPORT_COLUMNS", "report_key"]
