"""What the browser journeys need beyond ``flask seed-demo``, written through the
services as the people who would have done it: a case Haizhu's case manager
registered this morning and its department head assigned to prosecutor1@440105
(its statutory clock running), and a few of prosecutor1's cases closed last
year (the period a cross-review samples, so the sample is theirs alone).

Run once on a freshly seeded database: ``python -m tests.e2e.world`` with
``DATABASE_URL`` set; prints the new case's public id and number as JSON.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from procuracy import create_app
from procuracy.cases import designation, intake
from procuracy.cases.calendar import china_today
from procuracy.cases.models import Case, CaseClock, CaseParticipant
from procuracy.cases.schemas import CaseIn
from procuracy.extensions import db
from procuracy.tenants.audit import set_actor
from procuracy.tenants.models import User
from procuracy.tenants.scope import acting_as, scope_for_user, system_scope

HAIZHU = "440105"
PROSECUTOR = f"prosecutor1@{HAIZHU}"
CLOSED_FROM = date(2025, 11, 3)  # the cross-review's period: prosecutor1's cases alone
CLOSED_CASES = 3


def _user(username: str) -> User:
    with system_scope("e2e world: load a user"):
        return db.session.scalars(select(User).where(User.username == username)).one()


def _as(username: str):
    user = _user(username)
    set_actor(db.session, user)
    return user, acting_as(db.session, scope_for_user(db.session, user))


def register(received_on: date, suspects: list[str], charges: list[str]) -> Case:
    manager, acting = _as(f"casemanager1@{HAIZHU}")
    with acting:
        data = CaseIn().load({"kind": "prosecution_review", "received_on": received_on.isoformat(),
                              "source_agency": "广州市公安局海珠区分局", "suspects": suspects,
                              "charges": charges, "detained": True})
        case = intake.register_case(manager, data)
        return case.public_id, case.number


def assign_new_case() -> dict:
    """Registered today, designated to prosecutor1 by the criminal department's head."""
    public_id, number = register(china_today(), ["陈某某"], ["盗窃罪"])
    head, acting = _as(f"depthead1@{HAIZHU}")
    with acting:
        case = db.session.scalars(select(Case).where(Case.public_id == public_id)).one()
        draw = designation.designate(case, _user(PROSECUTOR), "熟悉同类盗窃案件", head)
        assert draw.status == "done", draw.status
    return {"public_id": public_id, "number": number}


def close_old_cases() -> list[str]:
    """prosecutor1's cases received and closed (prosecuted) in November last year."""
    prosecutor = _user(PROSECUTOR)
    numbers = []
    for i in range(CLOSED_CASES):
        public_id, number = register(CLOSED_FROM - timedelta(days=40 - i),
                                     [f"李某{'甲乙丙'[i]}"], ["诈骗罪"])
        with system_scope("e2e world: the case was handled and closed last year"):
            case = db.session.scalars(select(Case).where(Case.public_id == public_id)).one()
            case.handler_id, case.department_id = prosecutor.id, prosecutor.department_id
            db.session.add(CaseParticipant(unit_id=case.unit_id, case_id=case.id,
                                           user_id=prosecutor.id, role="handler"))
            case.status, case.outcome = "closed", "prosecuted"
            case.closed_on = CLOSED_FROM + timedelta(days=i)
            for clock in db.session.scalars(select(CaseClock).where(CaseClock.case_id == case.id)):
                clock.stopped_on = case.closed_on
            db.session.commit()
        numbers.append(number)
    return numbers


def main() -> None:
    app = create_app()
    with app.app_context():
        closed = close_old_cases()
        new = assign_new_case()
        db.session.remove()
    print(json.dumps({"new_case": new, "closed": closed}, ensure_ascii=False))


if __name__ == "__main__":
    main()
