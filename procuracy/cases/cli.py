"""Cases commands: ``flask cases replay-draws --unit CODE --month YYYY-MM``."""
from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from procuracy.tenants.scope import system_scope

cases_cli = AppGroup("cases", help="Cases: assignment draws.")


@cases_cli.command("replay-draws")
@click.option("--unit", "unit_code", required=True, help="The unit's code, e.g. 440105.")
@click.option("--month", required=True, help="The month, YYYY-MM (China time).")
def replay_draws(unit_code: str, month: str) -> None:
    """Re-derive every random draw of UNIT in MONTH from its stored pool and seed;
    print each result, the first mismatch if any, and a fairness summary."""
    from procuracy.cases.replay import ReplayError, replay_month, report_lines

    with system_scope("replaying assignment draws (CLI)"):
        try:
            report = replay_month(unit_code, month)
        except ReplayError as exc:
            raise click.UsageError(str(exc)) from None
        for line in report_lines(report):
            click.echo(line)
    if report.mismatch is not None:
        sys.exit(1)


def register(app: Flask) -> None:
    app.cli.add_command(cases_cli)
