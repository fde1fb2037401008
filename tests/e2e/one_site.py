"""A one-portal site on 127.0.0.1 for end-to-end tests of pages no simulated family serves:
paths → (Content-Type, body), changeable between crawls; any other path under /images/ is a
blank PNG (a page's logo and icons add nothing and lose nothing), anything else 404."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HTML = "text/html; charset=UTF-8"


def _blank_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (120, 120), 255).save(out, format="PNG")
    return out.getvalue()


BLANK_PNG = _blank_png()


class _Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, pages: dict[str, tuple[str, bytes]]) -> None:
        self.pages = pages
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        kind, body = self.server.pages.get(self.path, (HTML, b""))
        if not body and self.path.startswith("/images/"):
            kind, body = "image/png", BLANK_PNG
        self.send_response(200 if body else 404)
        body = body or b"not found"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve_site(pages: dict[str, tuple[str, bytes]], tmp_path: Path,
               name: str = "site") -> Iterator[tuple[str, Path]]:
    """`pages` served until the block ends: (host:port, a registry naming the site as portal
    `name`, its report column at /ndbg/index.html)."""
    site = _Site(pages)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{site.server_address[1]}"
    registry = tmp_path / f"{name}.toml"
    registry.write_text(f'[[portal]]\nname = "{name}"\nregion = "浙江省宁波市北仑区"\n'
                        f'start_urls = ["http://{host}/ndbg/index.html"]\nallowed_domains = ["{host}"]\n'
                        "allow_private_addresses = true\n", encoding="utf-8")
    try:
        yield host, registry
    finally:
        site.shutdown()
        site.server_close()
