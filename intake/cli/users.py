"""``intake users``: who may sign in to the desk."""

from __future__ import annotations

import os

import click
from rich.table import Table

from intake.cli.app import Context, console, fail, utcnow
from intake.cli.views import plain
from intake.store.db import session_factory
from intake.vocab import Role


@click.group()
def users():
    """People who sign in to the desk (a coordinator's email is the owner in dealers.yaml)."""


def _password(password_env: str | None) -> str:
    if password_env:
        value = os.environ.get(password_env, "")
        if not value:
            fail(f"environment variable {password_env} is empty or not set", 2)
        return value
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.COORDINATOR.value,
              show_default=True)
@click.option("--password-env", metavar="VAR", help="Read the password from this environment variable.")
@click.pass_obj
def users_add(obj: Context, email, role, password_env):
    """Add a person who may sign in; the password is asked for (or read from --password-env)."""
    from intake.web.users import add_user

    engine = obj.engine(migrate=True)
    add_user(session_factory(engine), email, role, _password(password_env), utcnow())
    console.print(f"added {plain(email.strip().lower())} as {role}")


@users.command("password")
@click.argument("email")
@click.option("--password-env", metavar="VAR", help="Read the password from this environment variable.")
@click.pass_obj
def users_password(obj: Context, email, password_env):
    """Set a new password (and enable the user again)."""
    from intake.web.users import set_password

    set_password(session_factory(obj.engine(migrate=True)), email, _password(password_env))
    console.print(f"password changed for {plain(email)}")


@users.command("list")
@click.pass_obj
def users_list(obj: Context):
    """List the desk's users."""
    from intake.web.users import list_users

    table = Table("email", "role", "active", "last sign-in")
    for u in list_users(session_factory(obj.engine())):
        table.add_row(plain(u.email), u.role, "yes" if u.active else "no",
                      u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "-")
    console.print(table)


@users.command("disable")
@click.argument("email")
@click.pass_obj
def users_disable(obj: Context, email):
    """Stop a user signing in (their sessions end at once; their history stays)."""
    from intake.web.users import set_active

    set_active(session_factory(obj.engine()), email, False)
    console.print(f"disabled {plain(email)}")
