"""Same bytes, same Page, whatever was extracted before (no shared caches)."""

from pathlib import Path

from extract import extract_page

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "pages"


def test_same_bytes_same_result_in_any_order():
    pages = sorted(FIXTURES.glob("*.html"))
    first = {p.name: extract_page(p.read_bytes()).to_json() for p in pages}
    for _ in range(2):
        for p in reversed(pages):
            assert extract_page(p.read_bytes()).to_json() == first[p.name]


def test_empty_and_garbage_bodies():
    assert extract_page(b"").text == ""
    assert extract_page(b"\x00\x01 not html").kind == "other"
