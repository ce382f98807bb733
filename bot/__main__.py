"""`python -m bot` is `taskbot`."""

from bot.cli import main

main()
