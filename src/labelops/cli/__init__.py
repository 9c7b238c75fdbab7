"""The `labelops` command."""

from labelops.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
