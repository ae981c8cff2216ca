"""Writing a case's timeline: every service that does something to a case adds
a step here, with the actor who did it (leaders' own handling is judged from
the steps they performed). A step also marks its case as changed in this
transaction (``changes``), which runs the monitoring rules over it at commit."""
from __future__ import annotations

from procuracy.cases.changes import mark_changed
from procuracy.cases.models import Case, CaseStep
from procuracy.extensions import db

# Steps that make a case the actor's own work (审查、签发、出庭、讯问、决定).
DECISIVE = frozenset({"reviewed", "signed", "attended", "interrogated", "decided"})


def add_step(case: Case, kind: str, actor_id: int | None, summary: str = "",
             detail: dict | None = None, stage_code: str | None = None) -> CaseStep:
    step = CaseStep(unit_id=case.unit_id, case_id=case.id, actor_id=actor_id, kind=kind,
                    stage_code=case.stage_code if stage_code is None else stage_code,
                    summary=summary, detail=detail or {})
    db.session.add(step)
    mark_changed(db.session, case.id)
    return step
