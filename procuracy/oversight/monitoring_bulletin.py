"""The process-monitoring section of a bulletin (and of the weekly summary): notices
issued, answered in time, unanswered past their deadline, and alerts raised, per row
of the unit's tree, for the period and the one before.

Plugged into ``bulletin_data.SECTION_PROVIDERS``. A notice counts for the unit it is
addressed to (``reviewed_unit_id``, the case's unit), an alert for the case's unit.
The period is a month (``YYYY-MM``) or an ISO week (``YYYY-Www``):

- ``issued``: notices issued in the period;
- ``answered`` / ``answered_late``: notices whose first answer came in the period, by
  their deadline / after it;
- ``unanswered``: at the period's end, notices past their deadline with no answer yet
  (escalated ones included);
- ``alerts``: monitoring alerts raised in the period.

Four statements per period whatever the number of units, read through the session's
scope (the job's ``system_scope``, a page's reader).
"""
from __future__ import annotations

from sqlalchemy import case, exists, func, select

from procuracy.extensions import db
from procuracy.oversight.bulletin_data import _moment, period_bounds, this_and_last, totals_by_row


def _figures(units: list[int], row_of: dict[int, int], period: str) -> dict:
    from procuracy.oversight.monitoring_models import (
        MonitoringAlert,
        MonitoringNotice,
        NoticeAnswer,
    )

    start, end = period_bounds(period)
    notice_unit = MonitoringNotice.reviewed_unit_id
    issued = db.session.execute(
        select(notice_unit, func.count())
        .where(notice_unit.in_(units), MonitoringNotice.issued_on >= start,
               MonitoringNotice.issued_on < end)
        .group_by(notice_unit)).all()
    # The answering unit is the addressed one: only it writes a notice's answers.
    first = (select(NoticeAnswer.notice_id.label("notice_id"),
                    func.min(NoticeAnswer.answered_on).label("on"))
             .where(NoticeAnswer.unit_id.in_(units))
             .group_by(NoticeAnswer.notice_id).subquery())
    late = func.sum(case((first.c.on > MonitoringNotice.deadline, 1), else_=0))
    answered = db.session.execute(
        select(notice_unit, func.count(), late)
        .join(first, first.c.notice_id == MonitoringNotice.id)
        .where(notice_unit.in_(units), first.c.on >= start, first.c.on < end)
        .group_by(notice_unit)).all()
    answered_by_then = exists().where(NoticeAnswer.notice_id == MonitoringNotice.id,
                                      NoticeAnswer.answered_on < end)
    unanswered = db.session.execute(
        select(notice_unit, func.count())
        .where(notice_unit.in_(units), MonitoringNotice.issued_on < end,
               MonitoringNotice.deadline < end, ~answered_by_then)
        .group_by(notice_unit)).all()
    alerts = db.session.execute(
        select(MonitoringAlert.unit_id, func.count())
        .where(MonitoringAlert.unit_id.in_(units), MonitoringAlert.opened_at >= _moment(start),
               MonitoringAlert.opened_at < _moment(end))
        .group_by(MonitoringAlert.unit_id)).all()
    on_time = [(u, c - int(n or 0)) for u, c, n in answered]
    after = [(u, int(n or 0)) for u, _c, n in answered]
    return totals_by_row((("issued", issued), ("answered", on_time),
                          ("answered_late", after), ("unanswered", unanswered),
                          ("alerts", alerts)), row_of)


def bulletin_section(unit_id: int, row_of: dict[int, int], period: str) -> dict:
    """``{"this": figures, "last": figures}`` of the rows in ``row_of`` (descendant ->
    row); each figure a total and ``<name>_by_row``."""
    return this_and_last(_figures, row_of, period)
