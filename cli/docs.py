"""Render docs/cli.md from every command's --help (`python -m cli.docs > docs/cli.md`)."""

from __future__ import annotations

import click

from cli.main import cli


def cli_reference() -> str:
    out = ["# nianbao command reference", "",
           "Generated from `--help` by `python -m cli.docs > docs/cli.md`; "
           "tests/test_docs.py fails when it is out of date.", ""]
    root = click.Context(cli, info_name="nianbao", terminal_width=100, **cli.context_settings)
    for name in sorted(cli.commands):
        command = cli.commands[name]
        with click.Context(command, info_name=name, parent=root) as ctx:
            text = command.get_help(ctx)
        out += [f"## nianbao {name}", "", "```", text.rstrip(), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(cli_reference())
