"""The one error hierarchy: every failure a person can act on is an ``IntakeError``.

Its message says what is wrong and where, in words meant for the person running intake,
so the command line can print it as one line and the daemon can log it without a
traceback. Anything else that escapes is a bug: it is logged with its traceback and
reported as one line that says where the details are.
"""

from __future__ import annotations


class IntakeError(Exception):
    """A failure with a message a user can act on."""

    exit_code = 2


class DatabaseError(IntakeError):
    """The database could not be opened or brought up to date; the message says why."""
