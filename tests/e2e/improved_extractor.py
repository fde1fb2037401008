"""A stand-in for an improved extractor, to show replay applies it to old captures."""

from extract import extract_page as current


def extract_page(body, url=None, headers=None, hints=None):
    page = current(body, url=url, headers=headers, hints=hints)
    if page.title:
        page.title = page.title + "（重新提取）"
    return page
