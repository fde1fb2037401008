"""`python -m cli` runs the `nianbao` command."""

from cli.main import main

main()
