"""The one list of job kinds: which function runs each, on which queue, for how long.

A job function takes a ``jobs.runner.JobContext`` (ids, period, params: never ORM
objects) and may return the id of the ``ReportDocument`` it built. PDF jobs have their
own queue, ``pdf``, so a long report never holds up short jobs, and a timeout that fits
the largest report (tables cost about 0.3 s a page).
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

DEFAULT, PDF = "default", "pdf"
QUEUES = (DEFAULT, PDF)

MINUTE = 60


@dataclass(frozen=True)
class JobKind:
    function: str  # dotted path of the job function
    queue: str = DEFAULT
    timeout: int = 10 * MINUTE  # seconds; rq kills the work horse after it
    user_requestable: bool = False  # may a user ask for it through the API / pages?
    report: bool = False  # builds a ReportDocument (shown with a download link)


KINDS: dict[str, JobKind] = {
    "noop": JobKind("jobs.demo_jobs.noop"),
    "sample_report": JobKind("jobs.demo_jobs.sample_report", PDF, 10 * MINUTE,
                             user_requestable=True, report=True),
    "inspection_report": JobKind("procuracy.oversight.inspection_report.inspection_report",
                                 PDF, 30 * MINUTE, user_requestable=True, report=True),
    # Scheduled work (jobs.schedule).
    "monitoring_sweep": JobKind("procuracy.oversight.monitoring_sweep.run_job", DEFAULT,
                                 30 * MINUTE),
    # One summary PDF for every unit of a province (a page or two each).
    "weekly_summary": JobKind("jobs.weekly_summary.weekly_summary", PDF, 60 * MINUTE,
                              report=True),
    # A province-wide bulletin with tables for every unit runs to a few hundred pages.
    "monthly_bulletin": JobKind("jobs.bulletins.monthly_bulletin", PDF, 60 * MINUTE,
                                user_requestable=True, report=True),
}


class UnknownJobKind(LookupError):
    """No job of that kind is registered."""


def get(kind: str) -> JobKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise UnknownJobKind(f"no job kind {kind!r}; known: {sorted(KINDS)}") from None


def function(kind: str):
    """The job function of ``kind``, imported."""
    module, _, name = get(kind).function.rpartition(".")
    return getattr(import_module(module), name)
