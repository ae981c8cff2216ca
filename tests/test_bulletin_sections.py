"""The bulletin's monitoring and ledger sections (procuracy.oversight.monitoring_bulletin,
ledger_bulletin): notices issued, answered in time, unanswered past their deadline and
alerts raised; ledger problems open and overdue at the month's end, new and closed in
it; for a district and for a city over its tree, beside last month; a fixed number
of statements; printed in the bulletin and covered by its data hash.

May 2019 (last month April) in Guangzhou's tree, which the test world has no data in:

notices (issued by Guangzhou)   issued  deadline  answered
  海珠 n1                        05-03   05-08     05-06   in time
  海珠 n2                        05-10   05-15     05-20   late
  海珠 n3                        05-25   05-30     -       unanswered at May's end
  海珠 n4                        05-28   06-05     -       not due yet
  海珠 n5                        04-20   04-25     05-02   unanswered at April's end, late in May
  天河 n6                        05-05   05-10     05-09   in time
  南山 (Shenzhen's)              05-05   05-10     -       outside Guangzhou

ledger entries                  created   deadline  verdicts
  海珠 e1                        04-10     04-30     accepted 05-06
  海珠 e2                        05-02     05-20     -
  海珠 e3                        05-15     06-30     -
  海珠 e4                        03-01     03-31     accepted 04-05, reopened 05-10
  海珠 e5                        06-03     06-30     -       after May
  天河 e6                        05-05     05-31     -
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count

import pytest
from sqlalchemy import select

from procuracy.extensions import db
from procuracy.oversight import monitoring_notices
from procuracy.oversight.bulletin_data import gather, tree
from procuracy.oversight.ledger_models import ACCEPT, CLOSED, LedgerEntry, LedgerVerification
from procuracy.oversight.monitoring_models import MonitoringAlert
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import system_scope
from tests.test_case_list import counting_statements

PERIOD = "2019-05"
_refs = count(1)


def unit_id(code: str) -> int:
    with system_scope("test: unit id"):
        return db.session.scalars(select(Unit.id).where(Unit.code == code)).one()


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# ---------------------------------------------------------------- making the data
def notice(as_user, case_public_id: str, issued: date, deadline: date,
           answered: date | None = None, issuer: str = "casemanager1@440100",
           handler: str = "prosecutor1@440105") -> str:
    """A notice issued on ``issued`` (through the service), answered on ``answered``."""
    with as_user(issuer) as user:
        public_id = monitoring_notices.issue(user, case_public_id, "审查逮捕案件超期，请说明原因",
                                             deadline=deadline, today=issued).public_id
    if answered:
        with as_user(handler) as user:
            found = monitoring_notices.get_notice(user, public_id)
            monitoring_notices.answer(user, found, "已说明原因并整改", today=answered)
    return public_id


def alert(case_id: int, unit: str, opened: date) -> None:
    with system_scope("test: an alert raised on a day"):
        db.session.add(MonitoringAlert(
            unit_id=unit_id(unit), case_id=case_id, rule_code="overdue", rule_kind="overdue",
            subject=f"test:{next(_refs)}", severity="major", step="notice", status="closed",
            opened_at=at(opened), closed_at=at(opened, 20)))
        db.session.commit()


def entry(unit: str, created: date, deadline: date, verdicts=(),
          issuer: str = "440100") -> None:
    """A ledger entry created on ``created``, with the issuer's verdicts (outcome, day)."""
    with system_scope("test: a ledger entry of the past"):
        row = LedgerEntry(unit_id=unit_id(issuer), reviewed_unit_id=unit_id(unit),
                          source="inspection", source_ref=f"test-{next(_refs)}",
                          problem="领导干部办案数量未达要求", severity="major", deadline=deadline,
                          status="open", created_at=at(created))
        db.session.add(row)
        db.session.flush()
        for outcome, day in verdicts:
            db.session.add(LedgerVerification(unit_id=row.unit_id, entry_id=row.id,
                                              outcome=outcome, reason="复核", at=at(day)))
            row.verified_at = at(day)
            row.status = CLOSED if outcome == ACCEPT else "reopened"
            row.closed_at = at(day) if outcome == ACCEPT else None
        db.session.commit()


@pytest.fixture
def may_2019(make_case, as_user):
    """The notices, alerts and ledger entries of the module's docstring."""
    haizhu_case, haizhu = make_case("440105", "prosecutor1@440105")
    tianhe_case, tianhe = make_case("440106", "prosecutor1@440106")
    _, nanshan = make_case("440305", "prosecutor1@440305")
    d = date
    notice(as_user, haizhu, d(2019, 5, 3), d(2019, 5, 8), d(2019, 5, 6))
    notice(as_user, haizhu, d(2019, 5, 10), d(2019, 5, 15), d(2019, 5, 20))
    notice(as_user, haizhu, d(2019, 5, 25), d(2019, 5, 30))
    notice(as_user, haizhu, d(2019, 5, 28), d(2019, 6, 5))
    notice(as_user, haizhu, d(2019, 4, 20), d(2019, 4, 25), d(2019, 5, 2))
    notice(as_user, tianhe, d(2019, 5, 5), d(2019, 5, 10), d(2019, 5, 9),
           handler="prosecutor1@440106")
    notice(as_user, nanshan, d(2019, 5, 5), d(2019, 5, 10), issuer="casemanager1@440300")
    for day in (d(2019, 5, 4), d(2019, 5, 31), d(2019, 4, 10)):
        alert(haizhu_case, "440105", day)
    alert(tianhe_case, "440106", d(2019, 5, 12))
    entry("440105", d(2019, 4, 10), d(2019, 4, 30), [(ACCEPT, d(2019, 5, 6))])
    entry("440105", d(2019, 5, 2), d(2019, 5, 20))
    entry("440105", d(2019, 5, 15), d(2019, 6, 30))
    entry("440105", d(2019, 3, 1), d(2019, 3, 31),
          [(ACCEPT, d(2019, 4, 5)), ("reopen", d(2019, 5, 10))])
    entry("440105", d(2019, 6, 3), d(2019, 6, 30))
    entry("440106", d(2019, 5, 5), d(2019, 5, 31))
    return {"haizhu_case": haizhu_case}


def figures(code: str, period: str = PERIOD) -> dict:
    with system_scope("test: bulletin figures"):
        return gather(unit_id(code), period)


def pick(section: dict, *names: str) -> tuple:
    return tuple(section[name] for name in names)


MONITORING = ("issued", "answered", "answered_late", "unanswered", "alerts")
LEDGER = ("open", "overdue", "new", "closed")


# ---------------------------------------------------------------- monitoring
def test_a_districts_monitoring_counts_its_notices_and_alerts_beside_last_month(may_2019):
    m = figures("440105")["monitoring"]
    assert pick(m["this"], *MONITORING) == (4, 1, 2, 1, 2)
    assert pick(m["last"], *MONITORING) == (1, 0, 0, 1, 1)


def test_a_citys_monitoring_covers_its_districts_row_by_row_and_no_other_city(may_2019):
    data = figures("440100")
    row = {r["code"]: str(r["id"]) for r in data["rows"]}
    m = data["monitoring"]
    assert pick(m["this"], *MONITORING) == (5, 2, 2, 1, 3)  # Nanshan's notice is not here
    assert pick(m["last"], *MONITORING) == (1, 0, 0, 1, 1)
    assert (m["this"]["issued_by_row"][row["440105"]],
            m["this"]["issued_by_row"][row["440106"]]) == (4, 1)
    assert (m["this"]["answered_by_row"][row["440105"]],
            m["this"]["answered_by_row"][row["440106"]]) == (1, 1)
    assert m["this"]["alerts_by_row"] == {row["440105"]: 2, row["440106"]: 1}


# ---------------------------------------------------------------- ledger
def test_a_districts_ledger_is_counted_as_it_stood_at_each_months_end(may_2019):
    ledger = figures("440105")["ledger"]
    # e2, e3 and the reopened e4 are open at May's end; e2 and e4 are past their deadline.
    assert pick(ledger["this"], *LEDGER) == (3, 2, 2, 1)
    # At April's end e4 was closed (reopened only in May) and e1 open and overdue.
    assert pick(ledger["last"], *LEDGER) == (1, 1, 1, 1)


def test_a_citys_ledger_covers_its_districts_row_by_row(may_2019):
    data = figures("440100")
    row = {r["code"]: str(r["id"]) for r in data["rows"]}
    ledger = data["ledger"]
    assert pick(ledger["this"], *LEDGER) == (4, 3, 3, 1)
    assert pick(ledger["last"], *LEDGER) == (1, 1, 1, 1)
    assert ledger["this"]["open_by_row"] == {row["440105"]: 3, row["440106"]: 1}
    assert ledger["this"]["overdue_by_row"] == {row["440105"]: 2, row["440106"]: 1}
    assert figures("440300")["ledger"]["this"]["open"] == 0  # Shenzhen: none of them


# ---------------------------------------------------------------- cost, scope, hash, print
def test_a_month_begins_at_midnight_in_beijing_not_in_utc(may_2019, make_case):
    case_id, _ = make_case("440106", handler="prosecutor1@440106")
    before = figures("440106")["monitoring"]["this"]["alerts"]
    with system_scope("test: alerts at the month's edges"):
        for moment in (datetime(2019, 4, 30, 17, tzinfo=UTC),   # 1 May 01:00 in Beijing
                       datetime(2019, 5, 31, 20, tzinfo=UTC)):  # 1 June 04:00 in Beijing
            db.session.add(MonitoringAlert(
                unit_id=unit_id("440106"), case_id=case_id, rule_code="overdue",
                rule_kind="overdue", subject=f"test:{next(_refs)}", severity="major",
                step="notice", status="closed", opened_at=moment, closed_at=moment))
        db.session.commit()
    assert figures("440106")["monitoring"]["this"]["alerts"] == before + 1
    assert figures("440106", "2019-06")["monitoring"]["this"]["alerts"] == 1


def test_the_sections_cost_the_same_statements_for_a_district_and_the_province(may_2019):
    from procuracy.oversight import ledger_bulletin, monitoring_bulletin

    def cost(code: str) -> int:
        root = unit_id(code)
        with system_scope("test: cost"):
            _unit, _rows, row_of = tree(root)
            with counting_statements() as seen:
                monitoring_bulletin.bulletin_section(root, row_of, PERIOD)
                ledger_bulletin.bulletin_section(root, row_of, PERIOD)
        return len(seen)

    cost("440105")  # warm the caches
    assert cost("440105") == cost("440100") == cost("440000") == 14  # 4 + 3, this and last


def test_a_city_case_manager_reads_the_same_figures_through_their_scope(may_2019, as_user):
    with as_user("casemanager1@440100"):
        mine = gather(unit_id("440100"), PERIOD)
    system = figures("440100")
    assert (mine["monitoring"], mine["ledger"]) == (system["monitoring"], system["ledger"])


def test_the_data_hash_covers_the_monitoring_and_ledger_sections(may_2019):
    before = figures("440105")
    alert(may_2019["haizhu_case"], "440105", date(2019, 5, 20))
    after_alert = figures("440105")
    assert after_alert["cases"] == before["cases"] and after_alert["hash"] != before["hash"]
    entry("440105", date(2019, 5, 21), date(2019, 6, 10))
    assert figures("440105")["hash"] != after_alert["hash"]


def test_the_bulletin_prints_both_sections_with_their_figures(may_2019, app):
    from jobs.bulletins import context_for
    from procuracy.reports.pdf import render_html

    html = render_html("bulletin.html", context_for(figures("440100")))
    assert "本期无流程监控数据" not in html and "本期无问题台账数据" not in html
    assert "本月发出流程监控通知书 5 份（较上月+4）" in html
    assert "按期回复 2 份，逾期未回复 1 份；产生监控预警 3 条" in html
    assert "月末未整改问题 4 个（较上月+3），其中逾期未整改 3 个；本月新增 3 个，整改销号 1 个" in html
