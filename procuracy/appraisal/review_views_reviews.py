"""The reviewer's pages: the work list, and the review form (the checklist by
section, pass/fail and a note per item, save, pass the rest, submit), the second
review (the same form, round 2) and the disagreement step (the issuing unit picks
the grade). In a blind review the service masks the unit, number and handler."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from procuracy.appraisal import review_page_queries, reviewing
from procuracy.appraisal.review_forms import FIRST_ROUND
from procuracy.appraisal.review_page_forms import (
    explain,
    load,
    public_id,
    resolve_body,
    results_body,
)
from procuracy.appraisal.review_schemas import ReviewQuery
from procuracy.appraisal.review_views import bp
from procuracy.extensions import db

ACTIONS = ("save", "pass_rest", "submit")


@bp.get("/review/mine")
@login_required
def mine():
    try:
        args = load(ReviewQuery(), {k: v for k, v in request.args.items()
                                    if k == "status" and v})
    except ValidationError as exc:
        return render_template("review/mine.html", rows=[], status="",
                               errors=exc.messages), 422
    rows = reviewing.my_reviews(g.user, args.get("status"))
    return render_template("review/mine.html", rows=rows, status=args.get("status", ""),
                           errors={})


def _my_round(review) -> int | None:
    """The round the signed-in user records now, if any."""
    if review.status in FIRST_ROUND and g.user.id == review.reviewer_id:
        return 1
    if review.status == "second_review" and g.user.id == review.second_reviewer_id:
        return 2
    return None


def _may_resolve(review) -> bool:
    plan = reviewing.plans_of({review.plan_id})[review.plan_id]
    return (review.status == "disputed" and g.user.unit_id == plan.unit_id
            and g.user.has_role(*reviewing.RESOLVERS))


def _form_page(review, errors: dict | None = None, status: int = 200, posted=None):
    form = reviewing.review_form(review, g.user)
    round_ = _my_round(review)
    errors = errors or {}
    # the items a refusal names ("WS-02: a failed item needs a note ...") are marked
    bad = {m.split(":", 1)[0] for m in errors.get("results", []) if ":" in m}
    return render_template(
        "review/review.html", form=form, round=round_, may_resolve=_may_resolve(review),
        so_far=review_page_queries.grade_so_far(form), errors=explain(errors), bad=bad,
        posted=posted), status


@bp.get("/review/reviews/<review_id>")
@login_required
def review(review_id: str):
    return _form_page(reviewing.get_review(public_id(review_id)))


@bp.post("/review/reviews/<review_id>")
@login_required
def record(review_id: str):
    """Save the results (all of them are on the form); or pass the rest; or submit."""
    review = reviewing.get_review(public_id(review_id))
    action = request.form.get("action", "save")
    round_ = _my_round(review)
    if action not in ACTIONS or round_ is None:
        reviewing.review_form(review, g.user)  # out of scope: 404 before anything else
        return _form_page(review, {"_schema": [_("There is nothing for you to record on "
                                                 "this review now.")]}, 422)
    plan = reviewing.plans_of({review.plan_id})[review.plan_id]
    items = reviewing.checklist_of(plan)[1]
    try:
        body, unanswered = results_body(request.form, [i.code for i in items],
                                        action == "pass_rest")
        if action == "submit" and unanswered:
            raise reviewing.ReviewRejected("results", _(
                "%(n)d items are not answered yet: %(codes)s", n=len(unanswered),
                codes=", ".join(unanswered[:20])))
        reviewing.record_results(review, g.user, body["results"], body["pass_rest"])
        if action == "submit":
            reviewing.submit(review, g.user)
    except ValidationError as exc:
        db.session.rollback()
        return _form_page(review, exc.messages, 422, request.form)
    except reviewing.ReviewRejected as exc:
        db.session.rollback()
        return _form_page(review, exc.errors, 422, request.form)
    if action == "submit":
        grade = review.final_grade or (review.second_grade if round_ == 2 else review.grade)
        flash(_("Submitted: the grade is %(grade)s.", grade=grade), "success")
        if review.status == "second_review":
            flash(_("A lower grade goes to a second reviewer, who reviews on their own."), "info")
        elif review.status == "disputed":
            flash(_("The grades differ (or no second reviewer is left): the issuing unit "
                    "decides."), "info")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("review_pages.review", review_id=review.public_id))


@bp.post("/review/reviews/<review_id>/resolve")
@login_required
def resolve(review_id: str):
    """The issuing unit decides a disputed review."""
    review = reviewing.get_review(public_id(review_id))
    try:
        body = resolve_body(request.form)
        reviewing.resolve(review, g.user, body["grade"], body["adopt_round"], body["note"])
    except ValidationError as exc:
        db.session.rollback()
        return _form_page(review, exc.messages, 422)
    except reviewing.ReviewRejected as exc:
        db.session.rollback()
        return _form_page(review, exc.errors, 422)
    flash(_("Decided: the final grade is %(grade)s.", grade=review.final_grade), "success")
    return redirect(url_for("review_pages.review", review_id=review.public_id))
