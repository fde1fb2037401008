"""The file types nianbao reads as report documents, by URL extension: one list for the page
classifier (a page that only links one is `attachment_only`), the attachment reader and the
spider (which follows such links), so a format added to one is never missed by another."""

from __future__ import annotations

import re

# read from their own bytes: text layers, Word, spreadsheets, OFD, OpenDocument
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ofd",
                       ".odt", ".ods")  # ODT/ODS: LibreOffice's and Yozo Office's own formats
# read by OCR: image reports (图片版), scans, a scanner's multi-page TIFF
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")
READ_EXTENSIONS = DOCUMENT_EXTENSIONS + IMAGE_EXTENSIONS
# packages and plain data a page may offer instead of a report text: not read, but a page
# that only links them still carries no report of its own
PACKAGE_EXTENSIONS = (".zip", ".rar", ".7z", ".txt", ".csv")

# an href (or a viewer's file= value) that downloads one of them: its path or its query's
# last value ends in the extension (`downfile.jsp?filename=2023年报.pdf`)
DOCUMENT_HREF = re.compile(
    "(?:" + "|".join(re.escape(ext) for ext in READ_EXTENSIONS + PACKAGE_EXTENSIONS) + r")(\?.*)?$",
    re.IGNORECASE)
