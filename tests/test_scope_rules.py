"""Who reads which case: inside a unit, down the tree, and by cross-review order."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from procuracy.cases.models import Case
from procuracy.extensions import db
from procuracy.tenants.crossreview_service import OrderRejected, issue_order


def visible(ids):
    return set(db.session.scalars(select(Case.id).where(Case.id.in_(ids))))


def test_prosecutor_reads_the_cases_they_handle_or_assist_on_only(as_user, make_case):
    mine, _ = make_case("440105", handler="prosecutor1@440105")
    assisting, _ = make_case("440105", handler="prosecutor2@440105",
                             assistants=("prosecutor1@440105",))
    colleagues, _ = make_case("440105", handler="prosecutor3@440105")
    with as_user("prosecutor1@440105"):
        assert visible([mine, assisting, colleagues]) == {mine, assisting}


def test_assistant_reads_the_cases_they_assist_on(as_user, make_case):
    assisted, _ = make_case("440105", handler="prosecutor1@440105", assistants=("assistant1@440105",))
    other, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("assistant1@440105"):
        assert visible([assisted, other]) == {assisted}


def test_department_head_reads_the_department_and_not_other_departments(as_user, make_case):
    criminal, _ = make_case("440105", handler="prosecutor1@440105")
    civil, _ = make_case("440105", handler="civilprosecutor1@440105")
    with as_user("depthead1@440105"):
        assert visible([criminal, civil]) == {criminal}


def test_chief_and_case_manager_read_the_whole_unit(as_user, make_case):
    a, _ = make_case("440105", handler="prosecutor1@440105")
    b, _ = make_case("440105", handler="civilprosecutor1@440105")
    for reader in ("chief1@440105", "deputy1@440105", "casemanager1@440105"):
        with as_user(reader):
            assert visible([a, b]) == {a, b}, reader


def test_district_cannot_read_sibling_case(as_user, make_case):
    tianhe, _ = make_case("440106", handler="prosecutor1@440106")
    with as_user("chief1@440105"):
        assert visible([tianhe]) == set()


def test_higher_units_supervisors_read_all_descendants(as_user, make_case):
    haizhu, _ = make_case("440105", handler="prosecutor1@440105")
    nanshan, _ = make_case("440305", handler="prosecutor1@440305")
    with as_user("casemanager1@440100"):
        assert visible([haizhu, nanshan]) == {haizhu}
    with as_user("inspector1@440000"):
        assert visible([haizhu, nanshan]) == {haizhu, nanshan}


def test_higher_units_prosecutor_does_not_read_down(as_user, make_case):
    haizhu, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("prosecutor1@440100"):
        assert visible([haizhu]) == set()


def test_another_province_reads_nothing(as_user, make_case):
    haizhu, _ = make_case("440105", handler="prosecutor1@440105")
    with as_user("inspector1@450000"):
        assert visible([haizhu]) == set()


def _order(as_user, cases, reviewers=("prosecutor1@440106",), start=-1, end=30, **kw):
    now = datetime.now(UTC)
    with as_user(kw.pop("issuer", "casemanager1@440100")) as issuer:
        return issue_order(issuer, reviewing=kw.pop("reviewing", "440106"),
                           reviewed=kw.pop("reviewed", "440105"), cases=cases,
                           reviewers=list(reviewers), starts_at=now + timedelta(days=start),
                           ends_at=now + timedelta(days=end), reason="交叉评查", **kw)


def test_cross_review_reviewers_read_exactly_the_ordered_cases(as_user, make_case):
    ordered, ordered_pid = make_case("440105", handler="prosecutor1@440105")
    not_ordered, _ = make_case("440105", handler="prosecutor1@440105")
    _order(as_user, [ordered_pid])
    with as_user("prosecutor1@440106"):
        assert visible([ordered, not_ordered]) == {ordered}
    with as_user("prosecutor2@440106"):  # not named on the order
        assert visible([ordered]) == set()


def test_cross_review_grant_ends_with_its_period(as_user, make_case):
    case_id, pid = make_case("440105", handler="prosecutor1@440105")
    _order(as_user, [pid], start=-10, end=-1)
    with as_user("prosecutor1@440106"):
        assert visible([case_id]) == set()
    _order(as_user, [pid], start=1, end=10)
    with as_user("prosecutor1@440106"):
        assert visible([case_id]) == set()


def test_only_an_ancestor_may_order_a_cross_review(as_user, make_case):
    _, pid = make_case("440105", handler="prosecutor1@440105")
    try:
        _order(as_user, [pid], issuer="casemanager1@440300")
    except Exception as exc:  # Shenzhen cannot even see Haizhu
        assert type(exc).__name__ in {"OutOfScope", "OrderRejected"}
    else:
        raise AssertionError("Shenzhen ordered a review of Guangzhou's districts")


def test_an_order_names_only_cases_of_the_reviewed_unit(as_user, make_case):
    _, tianhe_pid = make_case("440106", handler="prosecutor1@440106")
    try:
        _order(as_user, [tianhe_pid])
    except OrderRejected as exc:
        assert tianhe_pid in str(exc)
    else:
        raise AssertionError("an order named a case of another unit")
