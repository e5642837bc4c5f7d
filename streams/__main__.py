"""``python -m streams`` is ``opguard``."""

from streams.cli import main

main()
