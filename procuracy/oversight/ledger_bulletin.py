"""The problem-ledger section of a bulletin (and of the weekly summary): problems still
open at the period's end and those of them past their rectification deadline, problems
put on the ledger in the period and problems closed (verified and accepted) in it, per
row of the unit's tree, for the period and the one before.

Plugged into ``bulletin_data.SECTION_PROVIDERS``. An entry counts for the unit that
rectifies it (``reviewed_unit_id``). "Open at the end" is as it stood then, not as it
stands now: an entry is closed at a moment when the issuer's last verdict before it
was an acceptance (a later reopening does not rewrite the past). The period is a
month (``YYYY-MM``) or an ISO week (``YYYY-Www``); moments as ``bulletin_data``
counts them. Three statements per period whatever the number of units, read through
the session's scope.
"""
from __future__ import annotations

from sqlalchemy import and_, case, func, select

from procuracy.extensions import db
from procuracy.oversight.bulletin_data import _moment, period_bounds, this_and_last, totals_by_row


def _closed_at(moment):
    """The ids of the entries closed at ``moment``: their last verdict before it accepted."""
    from procuracy.oversight.ledger_models import ACCEPT
    from procuracy.oversight.ledger_models import LedgerVerification as Verdict

    last = (select(Verdict.entry_id.label("entry_id"), func.max(Verdict.at).label("at"))
            .where(Verdict.at < moment).group_by(Verdict.entry_id).subquery())
    return (select(Verdict.entry_id)
            .join(last, and_(last.c.entry_id == Verdict.entry_id, last.c.at == Verdict.at))
            .where(Verdict.outcome == ACCEPT))


def _figures(units: list[int], row_of: dict[int, int], period: str) -> dict:
    from procuracy.oversight.ledger_models import ACCEPT, LedgerEntry, LedgerVerification

    start, end = period_bounds(period)
    since, until = _moment(start), _moment(end)
    unit = LedgerEntry.reviewed_unit_id
    overdue = func.sum(case((LedgerEntry.deadline < end, 1), else_=0))
    still_open = db.session.execute(
        select(unit, func.count(), overdue)
        .where(unit.in_(units), LedgerEntry.created_at < until,
               LedgerEntry.id.not_in(_closed_at(until)))
        .group_by(unit)).all()
    new = db.session.execute(
        select(unit, func.count())
        .where(unit.in_(units), LedgerEntry.created_at >= since, LedgerEntry.created_at < until)
        .group_by(unit)).all()
    closed = db.session.execute(
        select(unit, func.count(LedgerEntry.id.distinct()))
        .join(LedgerVerification, LedgerVerification.entry_id == LedgerEntry.id)
        .where(unit.in_(units), LedgerVerification.outcome == ACCEPT,
               LedgerVerification.at >= since, LedgerVerification.at < until)
        .group_by(unit)).all()
    return totals_by_row((("open", [(u, c) for u, c, _o in still_open]),
                          ("overdue", [(u, int(o or 0)) for u, _c, o in still_open]),
                          ("new", new), ("closed", closed)), row_of)


def bulletin_section(unit_id: int, row_of: dict[int, int], period: str) -> dict:
    """``{"this": figures, "last": figures}`` of the rows in ``row_of`` (descendant ->
    row); each figure a total and ``<name>_by_row``."""
    return this_and_last(_figures, row_of, period)
