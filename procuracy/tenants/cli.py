"""Command-line commands: seeding, unit tree import/export, audit verification."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from procuracy.extensions import db
from procuracy.tenants.scope import system_scope

units_cli = AppGroup("units", help="Import and export the unit tree (CSV or .xlsx).")
audit_cli = AppGroup("audit", help="The audit trail.")


@units_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def units_import(path: Path) -> None:
    """Import units from PATH; a bad file changes nothing."""
    from procuracy.tenants.unit_io import ImportRejected, import_units

    with system_scope("unit tree import (CLI)"):
        try:
            result = import_units(path)
        except ImportRejected as exc:
            click.echo(f"Rejected {path.name}; nothing was changed:", err=True)
            for error in exc.errors:
                click.echo(f"  {error}", err=True)
            sys.exit(1)
    click.echo(f"{result['created']} units created, {result['updated']} updated")


@units_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def units_export(path: Path) -> None:
    """Export every unit to PATH (.csv or .xlsx)."""
    from procuracy.tenants.unit_io import export_units

    with system_scope("unit tree export (CLI)"):
        count = export_units(path)
    click.echo(f"{count} units written to {path}")


@audit_cli.command("verify")
@click.option("--unit", "unit_code", help="Only this unit's chain.")
def audit_verify(unit_code: str | None) -> None:
    """Recompute every unit's hash chain; name the first broken entry."""
    from procuracy.tenants.audit import verify_chain
    from procuracy.tenants.models import Unit

    with system_scope("audit verification (CLI)"):
        query = select(Unit).order_by(Unit.code)
        if unit_code:
            query = query.where(Unit.code == unit_code)
        units = db.session.scalars(query).all()
        broken = 0
        for unit in units:
            problem = verify_chain(db.session, unit.id)
            if problem:
                broken += 1
                where = f"entry id {problem.entry_id}" if problem.entry_id else "chain head"
                click.echo(f"BROKEN {unit.code} {unit.name}: seq {problem.seq} ({where}): "
                           f"{problem.reason}")
    if broken:
        sys.exit(1)
    click.echo(f"{len(units)} chains intact")


@click.command("seed-demo")
@click.option("--password", required=True, help="Password of every demo account.")
@click.option("--cases", default=0, show_default=True, help="Demo cases to generate.")
def seed_demo_command(password: str, cases: int) -> None:
    """Build the demo province (Guangdong) and a second small one (Guangxi)."""
    from procuracy.tenants.seed import seed_demo

    try:
        result = seed_demo(password, cases)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(", ".join(f"{v} {k}" for k, v in result.items()))
    click.echo(f"Demo accounts (password: {password}): prosecutor1@440105 (海珠), "
               "chief1@440105, casemanager1@440100 (广州), inspector1@440000 (广东), "
               "admin1@440105, chief1@440106 (天河) — pattern ROLE1@CODE")


@click.command("grant-app-role")
@click.argument("role")
def grant_app_role(role: str) -> None:
    """PostgreSQL: let ROLE (not the tables' owner) use the tables, under RLS."""
    from procuracy.rls import grant_statements

    with db.engine.begin() as conn:
        for statement in grant_statements(role):
            conn.exec_driver_sql(statement)
    click.echo(f"granted {role} the application's privileges")


def register(app: Flask) -> None:
    app.cli.add_command(units_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(grant_app_role)
