"""`python -m bot …`: the command line (bot/cli.py)."""

from bot.cli import app

if __name__ == "__main__":
    app()
