"""The ``intake`` command: one module per command group; libraries raise, only ``app``
prints errors and exits.

A command imports the machinery it drives (the daemon, the rules compiler, sources, mail
parsing) inside its function, when it runs: that is what keeps ``intake --help`` and the
listing commands quick to start.
"""

from intake.cli import (  # noqa: F401  (registers the commands)
    calls,
    cases,
    dealers,
    importing,
    items,
    mailboxes,
    outbox,
    report,
    rules,
    setup,
    sla,
    users,
)
from intake.cli.app import main

__all__ = ["main"]
