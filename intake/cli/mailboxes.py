"""``intake mailboxes check``: connect and reconcile each IMAP folder with what is stored."""

from __future__ import annotations

import json
import sys

import click

from intake.cli.app import Context, console, fail
from intake.store.db import session_factory


@click.group()
def mailboxes():
    """IMAP mailboxes."""


@mailboxes.command("check")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def mailboxes_check(obj: Context, as_json):
    """Connect to every mailbox, show its capabilities, and list messages on the server that
    are not stored. Exits 1 on any failure or mismatch."""
    from intake.sources.imap.sync import check_mailbox

    specs = obj.settings.mailboxes
    if not specs:
        fail("no mailboxes configured (add `mailboxes:` to the config)", 2)
    sessions = session_factory(obj.engine(migrate=True))
    results = [check_mailbox(spec, sessions) for spec in specs]
    if as_json:
        for r in results:
            click.echo(json.dumps({"mailbox": r.name, "ok": r.ok, "error": r.error or None,
                                   "capabilities": r.capabilities,
                                   "folders": [f.__dict__ for f in r.folders]}, ensure_ascii=False))
    else:
        for r in results:
            status = "[green]OK[/]" if r.ok else "[red]PROBLEM[/]"
            console.print(f"[bold]{r.name}[/] {status} {r.error}")
            if r.capabilities:
                has = {c: c in r.capabilities for c in ("IDLE", "MOVE", "UIDPLUS", "CONDSTORE")}
                console.print("  " + "  ".join(f"{c}: {'yes' if v else 'no'}" for c, v in has.items()))
            for f in r.folders:
                console.print(f"  {f.folder}: {f.on_server} on the server, {f.stored} stored"
                              f"{'' if not f.missing else f', {len(f.missing)} NOT stored:'}", highlight=False)
                for line in f.missing[:50]:
                    console.print(f"    {line}", highlight=False, markup=False)
    if not all(r.ok for r in results):
        sys.exit(1)
