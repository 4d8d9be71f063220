"""The command group, its context (settings, database) and how errors reach the user.

Exit codes: 0 success, 1 a check found problems, 2 bad usage, config, path or database,
3 an unexpected failure (a bug; the traceback is logged, never shown).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

import click

from intake.errors import IntakeError

if TYPE_CHECKING:
    from rich.console import Console

    from intake.cli.sitecache import Site
    from intake.config import Settings

log = logging.getLogger("intake.cli")
UNEXPECTED = 3  # exit code of a failure that is a bug, not a mistake in the input

# Each command, where it lives, and the line `intake --help` shows for it: the help
# lists every command without importing any of them (tests check the lines agree).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("intake.cli.setup:init", "Write a starter intake.yaml, rules.yaml and dealers.yaml into FOLDER."),
    "run": ("intake.cli.setup:run", "Run the daemon: watch the sources, store and classify what arrives."),
    "db": ("intake.cli.setup:db", "Database schema."),
    "import": ("intake.cli.importing:import_", "Store messages from .eml files, folders, Maildirs and mbox files."),
    "classify": ("intake.cli.rules:classify",
                 "Classify messages (.eml, folders, Maildirs, mbox) without storing anything."),
    "rules": ("intake.cli.rules:rules", "Check and try rules.yaml."),
    "cases": ("intake.cli.cases:cases", "List and inspect cases."),
    "calls": ("intake.cli.calls:calls", "Telephone calls: import call logs, list calls."),
    "items": ("intake.cli.items:items", "Inspect stored items: failed or malformed ones, raw bytes."),
    "mailboxes": ("intake.cli.mailboxes:mailboxes", "IMAP mailboxes."),
    "outbox": ("intake.cli.outbox:outbox", "Outgoing mail: what is queued, sent or failed."),
    "report": ("intake.cli.report:report", "Reports for the team leader, supervisor and sales manager."),
    "sla": ("intake.cli.sla:sla", "The acknowledgement promise: what is open, by owner, and how long is left."),
    "users": ("intake.cli.users:users",
              "People who sign in to the desk (a coordinator's email is the owner in dealers.yaml)."),
    "dealers": ("intake.cli.dealers:dealers", "Watch the dealer base: who is new, who has gone quiet."),
}


_terminals: tuple[Console, Console] | None = None


def terminals() -> tuple[Console, Console]:
    """Standard output and standard error as rich consoles, made on first use: printing
    help needs neither rich nor its start-up time."""
    global _terminals
    if _terminals is None:
        from rich.console import Console

        out = Console()
        if not out.is_terminal:  # piped: wide enough that tables keep one row per line
            out = Console(width=200)
        _terminals = out, Console(stderr=True, soft_wrap=True)
    return _terminals


def __getattr__(name: str):
    if name == "console":
        return terminals()[0]
    if name == "err":
        return terminals()[1]
    raise AttributeError(name)


def utcnow() -> datetime:
    return datetime.now(UTC)


class NoSite(IntakeError):
    """A command that keeps data was run with no configuration to say where."""


class Context:
    def __init__(self, config: str | None):
        self.config_path = config
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from intake.cases.reader import sqlite_file
            from intake.cli.sitecache import remember
            from intake.config import load_settings

            s = self._settings = load_settings(self.config_path)
            remember(s.config_file, sqlite_file(s.database_url), s.timezone, s.data_dir)
        return self._settings

    def sqlite_site(self) -> Site | None:
        """For the read-only case commands: the SQLite database and the office's time zone,
        without validating the configuration again while it is unchanged since it last was
        (``sitecache``); None for a site on another database."""
        from intake.cases.reader import sqlite_file
        from intake.cli.sitecache import Site, config_file, recall

        if self._settings is None and (site := recall(config_file(self.config_path))) is not None:
            return site
        self.require_site()
        database = sqlite_file(self.settings.database_url)
        return Site(database, self.settings.timezone, self.settings.data_dir) if database else None

    def require_site(self) -> None:
        """Commands that store or read cases need a site: an intake.yaml (or at least a
        database URL), never a ``data/`` folder made quietly wherever they were run."""
        if self.settings.config_file is None and not os.environ.get("INTAKE_DATABASE_URL"):
            raise NoSite("no intake.yaml here, and none given with -c or INTAKE_CONFIG; "
                         "`intake init DIR` writes a starter one")

    def engine(self, *, migrate: bool = False):
        from intake.store.db import DatabaseError, has_schema, make_engine, redact, upgrade

        self.require_site()
        engine = make_engine(self.settings.database_url)
        if migrate:
            upgrade(engine)
        else:
            try:
                ready = has_schema(engine)
            except Exception as exc:
                raise DatabaseError(f"cannot open database {redact(self.settings.database_url)}: {exc}") from None
            if not ready:
                raise DatabaseError(f"database {redact(self.settings.database_url)} has no intake tables yet; "
                                    "run `intake db upgrade` or `intake run`")
        return engine


def fail(message: str, code: int = 2):
    from rich.markup import escape

    terminals()[1].print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    sys.exit(code)


def error_log(obj: Context | None) -> Path:
    """Where a command that failed unexpectedly leaves the traceback: beside the data, or
    in the temporary folder when there is no usable configuration."""
    try:
        folder = obj.settings.data_dir if obj is not None else None
    except Exception:
        folder = None
    return Path(folder or tempfile.gettempdir()) / "intake-errors.log"


def report_bug(obj: Context | None, exc: BaseException, *, daemon: bool) -> None:
    """One line for the person at the terminal, the traceback where it can be read later:
    the daemon's log for ``run``, else the error log file."""
    summary = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    if daemon:
        log.error("unexpected failure", exc_info=exc)
        where = "the log"
    else:
        path = error_log(obj)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as f:
                f.write(f"{datetime.now(UTC).isoformat(timespec='seconds')} intake {' '.join(sys.argv[1:])}\n")
                f.write("".join(traceback.format_exception(exc)) + "\n")
            where = str(path)
        except OSError:
            where = "nowhere (the error log could not be written)"
    fail(f"unexpected failure ({summary}); details in {where}", UNEXPECTED)


class IntakeGroup(click.Group):
    """Every failure reaches the user as one line and a documented exit code: an
    ``IntakeError`` as its own message, anything else as a bug with its details logged.

    A command's module is imported only when that command runs, so each command loads
    just the libraries it uses."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, _, attr = COMMANDS[name][0].partition(":")
        return getattr(import_module(module), attr)

    def format_commands(self, ctx, formatter):
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        with formatter.section("Commands"):
            formatter.write_dl([(name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit))
                                for name in names])

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except IntakeError as exc:
            from intake.yamlconf import ConfigError

            if isinstance(exc, ConfigError):
                for p in exc.problems:
                    terminals()[1].print(str(p), highlight=False, markup=False)
                fail(f"{len(exc.problems)} problem(s) in configuration", exc.exit_code)
            fail(str(exc), exc.exit_code)
        except Exception as exc:
            report_bug(ctx.obj, exc, daemon=ctx.invoked_subcommand == "run")


@click.group(cls=IntakeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-c", "--config", type=click.Path(dir_okay=False), envvar="INTAKE_CONFIG",
              help="Config file (default: ./intake.yaml if present). Env: INTAKE_CONFIG.")
@click.version_option(package_name="intake")
@click.pass_context
def main(ctx, config):
    """intake: dealer email and call intake — store, classify, acknowledge, chase."""
    ctx.obj = Context(config)
