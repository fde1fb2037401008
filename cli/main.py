"""The `nianbao` command: one click group over the command modules of this package, each a
thin layer over a library function (docs/cli.md). `python -m cli` and `python -m crawler` run it."""

from __future__ import annotations

import click

from cli import archive, catalogue, crawl, discover, distributed, query
from cli.options import CONTEXT_SETTINGS


class NianbaoGroup(click.Group):
    """Ends quietly with exit 0 when the reader of stdout goes away (`nianbao changes | head -1`)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            from publish.textout import silence_broken_pipe

            silence_broken_pipe()
            ctx.exit(0)


@click.group(context_settings=CONTEXT_SETTINGS, cls=NianbaoGroup)
@click.version_option(package_name="nianbao")
def cli() -> None:
    """nianbao (年报): archive and catalogue government information-disclosure annual reports."""


for _module in (crawl, query, catalogue, archive, discover, distributed):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    cli(prog_name="nianbao")
