"""Decisions, meetings, documents, the leaders' report and records of interference.

Handlers are thin: parse with a schema, fetch what the path names through the
scope (out of scope is 404), call a service, dump. A refusal of the power list
is a PermissionError (403, app-wide); a refusal of the content is 422 with the
field named; an upload over the limit is 413.
"""
from __future__ import annotations

from functools import wraps

from flask import current_app, g, send_file
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from procuracy.cases import decisions, documents, interference, leaders, meetings
from procuracy.cases.decision_models import Decision, Meeting
from procuracy.cases.decision_schemas import (
    ChangeIn,
    CloseIn,
    DecisionIn,
    DecisionOut,
    DocumentFile,
    DocumentForm,
    DocumentOut,
    InboxOut,
    InterferenceIn,
    InterferenceOut,
    InterferenceQuery,
    LeadersQuery,
    LeadersReportOut,
    MeetingIn,
    MeetingOut,
    MeetingQuery,
    NoteIn,
    OpinionIn,
)
from procuracy.cases.models import Case, CaseDocument
from procuracy.extensions import db
from procuracy.tenants.models import Unit, User
from procuracy.tenants.principal import require_user
from procuracy.tenants.scope import get_or_404

bp = Blueprint("cases_decisions", __name__, url_prefix="/api/v1",
               description="Decisions under the power list, meetings, documents, "
                           "leaders' own cases, records of interference")


def refusals(view):
    """Content refusals of the services → 422 (413 for an oversized upload)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except documents.DocumentTooLarge as exc:
            db.session.rollback()
            abort(413, message=str(exc), errors={exc.field: [str(exc)]})
        except decisions.DecisionRejected as exc:
            db.session.rollback()
            abort(422, message=str(exc), errors={exc.field: [str(exc)]})

    return wrapper


def _case(public_id: str) -> Case:
    return get_or_404(db.session, Case, public_id=public_id)


def _users(field: str, usernames: list[str]) -> list[User]:
    found = {u.username: u for u in db.session.scalars(
        select(User).where(User.username.in_(usernames), User.unit_id == g.user.unit_id))}
    missing = [n for n in usernames if n not in found]
    if missing:
        abort(422, errors={field: [f"not in your unit: {', '.join(missing)}"]})
    return [found[n] for n in usernames]


def _one(decision: Decision) -> dict:
    return decisions.decisions_out([decision])[0]


# ---------------------------------------------------------------- decisions
@bp.route("/cases/<string:case_id>/decisions", methods=["POST"])
@bp.arguments(DecisionIn)
@bp.response(201, DecisionOut, description="decided under my power")
@bp.alt_response(202, schema=DecisionOut, description="requested: awaiting the role that decides")
@require_user
@refusals
def record_decision(body, case_id):
    """Record a decision, or request it from the role the power list gives it to."""
    decision = decisions.record_decision(g.user, _case(case_id), body["matter"], body["content"])
    return _one(decision), 201 if decision.status == "decided" else 202


@bp.route("/cases/<string:case_id>/decisions")
@bp.response(200, DecisionOut(many=True))
@require_user
def case_decisions(case_id):
    """A case's decisions with their chains (requested → approved / returned ...)."""
    return decisions.decisions_out(decisions.of_case(_case(case_id)))


@bp.route("/decisions/inbox")
@bp.response(200, InboxOut)
@require_user
def inbox():
    """Requests awaiting a power I hold; committee matters awaiting a session."""
    committee = decisions.awaiting_committee(g.user) if g.user.has_role(
        "chief", "deputy_chief", "committee_member") else []
    return {"pending": decisions.decisions_out(decisions.pending_for(g.user)),
            "committee": decisions.decisions_out(committee)}


def _act(action):
    def view(body, decision_id):
        decision = get_or_404(db.session, Decision, public_id=decision_id)
        return _one(action(decision, body))

    return view


_ACTIONS = {
    "approve": (NoteIn, lambda d, b: decisions.approve(g.user, d, b["note"]),
                "Approve a request (I hold the power it awaits)."),
    "return": (NoteIn, lambda d, b: decisions.return_(g.user, d, b["note"]),
               "Return a request to the handler."),
    "change": (ChangeIn, lambda d, b: decisions.change(g.user, d, b["content"], b["note"]),
               "Decide a request with different content."),
    "escalate": (NoteIn, lambda d, b: decisions.escalate(g.user, d, b["note"]),
                 "Send a request up one level (… → chief → committee)."),
}
for _name, (_schema, _action, _doc) in _ACTIONS.items():
    _view = _act(_action)
    _view.__name__, _view.__doc__ = f"decision_{_name}", _doc
    bp.route(f"/decisions/<string:decision_id>/{_name}", methods=["POST"])(
        bp.arguments(_schema)(bp.response(200, DecisionOut)(require_user(refusals(_view)))))


# ---------------------------------------------------------------- meetings
@bp.route("/meetings", methods=["POST"])
@bp.arguments(MeetingIn)
@bp.response(201, MeetingOut)
@require_user
@refusals
def create_meeting(body):
    """Record a joint meeting (联席会议) or a committee session (检委会)."""
    people = _users("participants", body["participants"])
    chair = _users("chair", [body["chair"]])[0] if body.get("chair") else None
    cases = [_case(pid) for pid in dict.fromkeys(body["cases"])]
    meeting = meetings.create_meeting(g.user, body["kind"], body["held_on"], body["agenda"],
                                      people, cases, chair)
    return meetings.meetings_out([meeting])[0]


@bp.route("/meetings")
@bp.arguments(MeetingQuery, location="query")
@bp.response(200, MeetingOut(many=True))
@require_user
def list_meetings(args):
    """Meetings of the units I read, newest first, with the cases I may see."""
    return meetings.meetings_out(meetings.visible_meetings(args.get("kind")))


@bp.route("/meetings/<string:meeting_id>")
@bp.response(200, MeetingOut)
@require_user
def get_meeting(meeting_id):
    """One meeting."""
    return meetings.meetings_out([get_or_404(db.session, Meeting, public_id=meeting_id)])[0]


@bp.route("/meetings/<string:meeting_id>/opinions", methods=["POST"])
@bp.arguments(OpinionIn)
@bp.response(201, MeetingOut)
@require_user
@refusals
def record_opinion(body, meeting_id):
    """A participant's opinion on one case (agree / disagree / abstain)."""
    meeting = get_or_404(db.session, Meeting, public_id=meeting_id)
    who = _users("participant", [body["participant"]])[0] if body.get("participant") else g.user
    meetings.record_opinion(g.user, meeting, _case(body["case"]), who, body["position"],
                            body["opinion"])
    return meetings.meetings_out([meeting])[0]


@bp.route("/meetings/<string:meeting_id>/close", methods=["POST"])
@bp.arguments(CloseIn)
@bp.response(200, MeetingOut)
@require_user
@refusals
def close_meeting(body, meeting_id):
    """Close with an outcome: majority per case; disagreements and committee
    matters are acted on."""
    meeting = get_or_404(db.session, Meeting, public_id=meeting_id)
    per_case = {_case(c["case"]).id: c for c in body["cases"]}
    meetings.close_meeting(g.user, meeting, body["outcome"], per_case)
    return meetings.meetings_out([meeting])[0]


# ---------------------------------------------------------------- documents
@bp.route("/cases/<string:case_id>/documents", methods=["POST"])
@bp.arguments(DocumentForm, location="form")
@bp.arguments(DocumentFile, location="files")
@bp.response(201, DocumentOut)
@bp.alt_response(413, description="larger than MAX_DOCUMENT_BYTES")
@require_user
@refusals
def upload_document(form, files, case_id):
    """Upload a PDF, Word or image document to a case (multipart: doc_type, file)."""
    upload = files["file"]
    doc = documents.upload(g.user, _case(case_id), form["doc_type"], upload.filename or "",
                           upload.stream)
    return documents.documents_out([doc])[0]


@bp.route("/cases/<string:case_id>/documents")
@bp.response(200, DocumentOut(many=True))
@require_user
def case_documents(case_id):
    """A case's documents."""
    return documents.documents_out(documents.of_case(_case(case_id)))


@bp.route("/documents/<string:document_id>")
@bp.response(200, description="the document's bytes",
             content_type="application/octet-stream")
@require_user
def download_document(document_id):
    """Download a document of a case I may read."""
    doc = get_or_404(db.session, CaseDocument, public_id=document_id)
    try:
        fh = documents.download(doc)
    except FileNotFoundError:
        current_app.logger.error("document %s: blob %s missing", doc.public_id, doc.storage_key)
        abort(404, message="the document's content is missing from the store")
    response = send_file(fh, mimetype=doc.content_type, as_attachment=True,
                         download_name=doc.filename, etag=doc.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- leaders
@bp.route("/leaders/own-cases")
@bp.arguments(LeadersQuery, location="query")
@bp.response(200, LeadersReportOut)
@require_user
def leaders_own_cases(args):
    """Leaders' own handling per leader and unit in a month, down the tree."""
    code = args.get("unit")
    unit = get_or_404(db.session, Unit, code=code) if code else g.user.unit
    return leaders.own_cases_report(g.user, unit, args["month"])


# ---------------------------------------------------------------- interference
@bp.route("/interference-records", methods=["POST"])
@bp.arguments(InterferenceIn)
@bp.response(201, InterferenceOut)
@require_user
@refusals
def record_interference(body):
    """Record that somebody inquired about or tried to influence a case. Final."""
    case_id = body.pop("case", None)
    row = interference.record(g.user, case=_case(case_id) if case_id else None, **body)
    return interference.records_out([row])[0]


@bp.route("/interference-records")
@bp.arguments(InterferenceQuery, location="query")
@bp.response(200, InterferenceOut(many=True))
@require_user
def list_interference(args):
    """The records I may read: mine, my unit's (chief), lower units' (inspectors)."""
    case = _case(args["case"]) if args.get("case") else None
    unit = get_or_404(db.session, Unit, code=args["unit"]) if args.get("unit") else None
    return interference.records_out(interference.visible(case, unit))
