"""Setting up and running: ``init``, ``run``, ``db upgrade``."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import click

from intake import logs, resources
from intake.cli.app import Context, console, err, fail
from intake.store.db import make_engine, redact, upgrade

STARTER_CONFIG = """\
# intake.yaml - where intake keeps its data and what it watches.
# Secrets (passwords, tokens) never go here: they come from environment variables.
data_dir: data                 # SQLite database and working files
# database_url: postgresql+psycopg://user@host/intake   # or set INTAKE_DATABASE_URL
rules: rules.yaml              # how mail is classified (edit by hand; `intake rules check`)
dealers: dealers.yaml          # the dealer directory
default_owner: sales@example.co.uk   # owner of cases from senders not in the directory
mail_from: sales@example.co.uk       # sender of receipts, digests and forwards
signature: The sales office          # closes receipts to dealers
admin_email: it@example.co.uk        # told when a mailbox keeps failing
# smtp:                              # without it, outgoing mail is written to data/outbox/
#   host: smtp.example.co.uk
#   security: starttls
#   username: sales@example.co.uk
#   password: {env: INTAKE_SMTP_PASSWORD}
#   envelope_from: sales@example.co.uk
log:
  format: plain                # or json, for a log collector (env INTAKE_LOG_FORMAT)
  level: INFO
sources:
  - kind: drop                 # a folder of .eml files; drop mail here
    name: drop
    path: drop
  - kind: maildir              # a Maildir (cur/, new/) a mail system delivers into
    name: maildir
    path: Maildir
schedule:
  poll_seconds: 5
  process_seconds: 2
web:                           # the coordinators' desk, served by `intake run`
  port: 8080                   # http://127.0.0.1:8080/ - add people with `intake users add`
  bind: 127.0.0.1
"""


@click.command()
@click.argument("folder", type=click.Path(file_okay=False), default=".")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--with-samples", is_flag=True, help="Put the bundled sample dealer mail in the drop folder.")
def init(folder, force, with_samples):
    """Write a starter intake.yaml, rules.yaml and dealers.yaml into FOLDER."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    files = {
        "intake.yaml": STARTER_CONFIG,
        "rules.yaml": resources.default_file("rules.yaml").read_text(encoding="utf-8"),
        "dealers.yaml": resources.default_file("samples/dealers.yaml").read_text(encoding="utf-8"),
    }
    existed = (target / "intake.yaml").exists()
    for name, text in files.items():
        path = target / name
        if path.exists() and not force:
            console.print(f"kept     {path} (exists; --force to overwrite)")
            continue
        path.write_text(text, encoding="utf-8")
        console.print(f"wrote    {path}")
    (target / "drop").mkdir(exist_ok=True)
    for sub in ("cur", "new", "tmp"):
        (target / "Maildir" / sub).mkdir(parents=True, exist_ok=True)
    if with_samples and existed and not force:
        console.print(f"kept     {target / 'drop'} (the site exists; its samples were copied when it was made)")
    elif with_samples:
        samples = sorted(resources.default_file("samples/mail").glob("*.eml"))
        # Delivered now, as a mail server would stamp them, so the demo's mail is new mail.
        stamp = f"Received: from samples by intake; {format_datetime(datetime.now(UTC))}\r\n".encode()
        for s in samples:
            (target / "drop" / s.name).write_bytes(stamp + s.read_bytes())
        console.print(f"copied   {len(samples)} sample messages into {target / 'drop'}")
    console.print(f"\nNext: [bold]intake -c {target / 'intake.yaml'} run[/]")


@click.command()
@click.option("--once", is_flag=True, help="Poll every source and process once, then exit.")
@click.pass_obj
def run(obj: Context, once):
    """Run the daemon: watch the sources, store and classify what arrives.

    Stops cleanly on SIGTERM or Ctrl-C. Brings the database schema up to date first.
    """
    from intake.daemon import Daemon

    obj.require_site()
    s = obj.settings
    logs.setup(s.log.format, s.log.level)
    daemon = Daemon(s)
    if not once:
        daemon.run_forever()
        return
    if not s.sources and not s.mailboxes and s.twilio is None:
        err.print("no sources configured: nothing was read (add `sources:` or `mailboxes:` to the config)",
                  highlight=False, markup=False)
    failed = daemon.run_once()
    if failed:
        fail(f"{len(failed)} source(s) could not be read: {', '.join(failed)} (details in the log)", 1)


@click.group()
def db():
    """Database schema."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Context):
    """Create or migrate the database schema to the current version."""
    engine = make_engine(obj.settings.database_url)
    before, after = upgrade(engine)
    where = redact(obj.settings.database_url)
    if before == after:
        console.print(f"{where}: already at revision {after}", highlight=False)
    else:
        console.print(f"{where}: upgraded {before or 'empty'} -> {after}", highlight=False)
