"""``python -m pathway.cli``."""

from . import main

main()
