"""``flask cases import FILE --unit CODE --as USERNAME``: register a file of cases.

The import runs as the named user, under their scope, exactly as the API's
``POST /api/v1/cases/import`` does: all rows or none, each problem named by row
and field. ``register(app)`` adds the command to the ``cases`` group of
``procuracy.cases.cli`` (in either registration order).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from procuracy.extensions import db


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", "unit_code", required=True, help="Code of the registering unit.")
@click.option("--as", "username", required=True,
              help="A case manager or the chief of that unit, who registers the cases.")
@with_appcontext
def cases_import(path: Path, unit_code: str, username: str) -> None:
    """Register the cases of PATH (.csv or .xlsx); a bad file changes nothing."""
    from procuracy.cases.intake import bulk_import
    from procuracy.tenants.audit import set_actor
    from procuracy.tenants.models import User
    from procuracy.tenants.scope import acting_as, scope_for_user, system_scope
    from procuracy.tenants.unit_io import ImportRejected

    with system_scope("case import (CLI): who imports"):
        user = db.session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        click.echo(f"No active user {username}", err=True)
        sys.exit(2)
    if user.unit.code != unit_code:
        click.echo(f"{username} belongs to unit {user.unit.code}, not {unit_code}", err=True)
        sys.exit(2)
    set_actor(db.session, user)
    with acting_as(db.session, scope_for_user(db.session, user)):
        try:
            result = bulk_import(user, path)
        except PermissionError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        except ImportRejected as exc:
            click.echo(f"Rejected {path.name}; nothing was imported:", err=True)
            for error in exc.errors:
                click.echo(f"  {error}", err=True)
            sys.exit(1)
    click.echo(f"{result['created']} cases registered in {unit_code}: "
               f"{result['first_number']} … {result['last_number']}")


def register(app: Flask) -> None:
    """Add ``import`` to the ``cases`` group: the one ``procuracy.cases.cli`` defines
    (whichever order the two are registered in), else the app's, else a new one."""
    try:
        from procuracy.cases.cli import cases_cli as group
    except ImportError:
        group = app.cli.commands.get("cases")
    if group is None:
        group = AppGroup("cases", help="Cases: import and other case commands.")
    if app.cli.commands.get("cases") is None:
        app.cli.add_command(group)
    group.add_command(cases_import)
