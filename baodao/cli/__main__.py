"""`python -m baodao.cli`: the same as the `baodao` command."""

from baodao.cli import main

main()
