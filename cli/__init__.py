"""The `nianbao` command line (docs/cli.md): `cli.main.cli`, one module per group of commands."""
