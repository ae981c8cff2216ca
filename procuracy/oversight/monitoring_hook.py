"""Monitoring when a case changes: the rules run over the cases a transaction changed,
inside that transaction, just before it commits.

The cases code marks what it changed (``cases.changes``; every step on a case's
timeline does) and knows nothing of monitoring. ``install`` (from ``create_app``)
registers one ``before_commit`` listener on the session class: when the outermost
transaction commits with marked cases, their alerts are reconciled
(``monitoring_sweep.evaluate_cases``: one case at a time, or the unit's sweep when
many of its cases changed at once) and commit together with the change.

- Whose scope: the system's. Alerts belong to the case's unit and are unique per
  open (rule, case, subject); the person who changed the case may not read all of
  the case's alerts (a cross-reviewer), nor write in its unit (a higher unit's admin
  whose calendar moved the district's clocks). Reading the rules and writing the
  alerts is the system's work, done on behalf of the change, not the user's.
- Failure: the evaluation runs in a SAVEPOINT. If it raises, the savepoint is rolled
  back, the error is logged and the user's change commits without it; the nightly
  sweep reconciles the case then.
- No recursion: the evaluation flushes and never commits; committing its savepoint
  fires ``before_commit`` again, which a nested transaction (and a flag) skips.
- Marks of a transaction that ends without committing are dropped.
"""
from __future__ import annotations

import logging

from flask import Flask, current_app
from sqlalchemy import event

from procuracy.cases.changes import forget_changed, take_changed
from procuracy.extensions import db
from procuracy.orm import Session
from procuracy.oversight import monitoring_sweep
from procuracy.tenants.scope import system_scope

log = logging.getLogger(__name__)
EXTENSION = "monitoring_on_change"
RUNNING_KEY = "procuracy.monitoring_running"
REASON = "monitoring after a case change"


def install(app: Flask) -> None:
    """Run monitoring on case changes in ``app`` (the listeners are registered once)."""
    app.extensions[EXTENSION] = True
    if not event.contains(Session, "before_commit", _before_commit):
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_transaction_end", _after_transaction_end)


def _enabled(session: Session) -> bool:
    try:
        return bool(current_app.extensions.get(EXTENSION)) and session is db.session()
    except RuntimeError:  # no app context: not the app's session
        return False


def _before_commit(session: Session) -> None:
    if session.info.get(RUNNING_KEY) or session.in_nested_transaction():
        return  # our own savepoint, or a savepoint of the service: the outer commit runs it
    if not _enabled(session):
        return
    case_ids = take_changed(session)
    if not case_ids:
        return
    session.flush()  # the change itself: its errors are the caller's, not monitoring's
    evaluate_now(session, case_ids)


def evaluate_now(session: Session, case_ids: set[int]) -> bool:
    """Reconcile the alerts of ``case_ids`` in a savepoint of the current transaction,
    as the system. Returns False (and logs) when monitoring failed and was undone."""
    session.info[RUNNING_KEY] = True
    try:
        with system_scope(REASON, session):
            try:
                with session.begin_nested():
                    monitoring_sweep.evaluate_cases(case_ids)
            except Exception:
                log.exception("monitoring of changed cases %s failed; the change is kept and "
                              "the nightly sweep reconciles their alerts", sorted(case_ids))
                return False
    finally:
        session.info.pop(RUNNING_KEY, None)
    return True


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        forget_changed(session)
