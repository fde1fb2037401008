"""`python -m crawler` runs the `nianbao` command (used by tests and scheduled runs)."""

from cli.main import main

main()
