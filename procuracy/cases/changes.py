"""Which cases changed in the current transaction.

Every service that does something to a case says so here (``timeline.add_step`` does
it for every step it writes, so each service that leaves a step on the timeline is
covered). The marks live in the session's ``info`` and say nothing about who cares:
the oversight area reads them when the transaction commits (``oversight.
monitoring_hook``) and runs the monitoring rules over those cases. The cases code
imports nothing of oversight.
"""
from __future__ import annotations

from sqlalchemy.orm import Session, scoped_session

CHANGED_KEY = "procuracy.changed_cases"


def _real(session) -> Session:
    return session() if isinstance(session, scoped_session) else session


def mark_changed(session, case_id: int | None) -> None:
    """Note that case ``case_id`` changed in this transaction."""
    if case_id is not None:
        _real(session).info.setdefault(CHANGED_KEY, set()).add(case_id)


def take_changed(session) -> set[int]:
    """The cases marked since the last take (and forget them)."""
    return _real(session).info.pop(CHANGED_KEY, None) or set()


def forget_changed(session) -> None:
    """The transaction ended without a commit: its marks mean nothing any more."""
    _real(session).info.pop(CHANGED_KEY, None)
