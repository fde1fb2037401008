"""Build and run Datasette over a catalogue, with nianbao's metadata, plugin and templates."""

from __future__ import annotations

from pathlib import Path

from webui.metadata import metadata

TEMPLATES = Path(__file__).with_name("templates")


def make_datasette(catalogue: Path, replay_url: str | None = None):
    """A Datasette over one catalogue file, opened read-only (`mode=ro`), so a crawl may go on
    writing it meanwhile; Datasette itself never runs writing SQL from its query page."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from webui import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="nianbao")
    return Datasette([str(catalogue)], metadata=metadata(replay_url), template_dir=str(TEMPLATES),
                     settings={"default_page_size": 50, "sql_time_limit_ms": 5000,
                               "facet_time_limit_ms": 500, "max_returned_rows": 5000})


def run(catalogue: Path, port: int, replay_url: str | None = None) -> None:
    """Serve on 127.0.0.1 until SIGINT/SIGTERM (uvicorn stops gracefully on both)."""
    import uvicorn

    uvicorn.run(make_datasette(catalogue, replay_url).app(), host="127.0.0.1", port=port, log_level="warning")
