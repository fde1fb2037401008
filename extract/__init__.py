"""Extraction: archived page or attachment bytes → `Page` (text, tables, catalogue fields)."""

from extract.model import Page
from extract.page import extract_page

__all__ = ["Page", "extract_page"]
