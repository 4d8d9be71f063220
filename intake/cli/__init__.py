"""The ``intake`` command: one module per command group; libraries raise, only
``app`` prints errors and exits."""

from intake.cli import calls, cases, importing, items, mailboxes, outbox, rules, setup, sla  # noqa: F401  (registers the commands)
from intake.cli.app import main

__all__ = ["main"]
