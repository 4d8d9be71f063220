"""The ``intake`` command: one module per command group; libraries raise, only ``app``
prints errors and exits.

A command's module is imported when that command runs (``app.COMMANDS``), and a command
imports the machinery it drives inside its function: that is what keeps ``intake --help``
and the listing commands quick to start.
"""

from intake.cli.app import main

__all__ = ["main"]
