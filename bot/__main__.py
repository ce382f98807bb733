"""`python -m bot` is `taskbot`, and the console script's entry point (pyproject.toml): `taskbot --version` is
answered here, before typer and rich are imported — bot/cli.py's docstring says why only --version."""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from importlib.metadata import version

        print(f"taskbot {version('taskbot')}")
        return
    from bot.cli import main as run

    run()


if __name__ == "__main__":
    main()
