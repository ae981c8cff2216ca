"""The appraisal pages: a prosecutor's score traced to its cases, the rule-set editor
refusing a bad draft with the check's message by the field, the sandbox's movers,
the ranking and its Excel export, 404 across units, an objection answered and
logged, and pages whose cost in SQL statements does not grow with their rows.

CSRF stays on: every POST carries the token of a rendered form, as a browser's would.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date
from html.parser import HTMLParser
from io import BytesIO

import pytest
from flask import g, request_started
from openpyxl import load_workbook
from sqlalchemy import event, select

from procuracy.appraisal.rule_models import Aspect, RuleSet, ScoreEvent
from procuracy.appraisal.score_models import Objection
from procuracy.cases.models import new_public_id
from procuracy.extensions import db, limiter
from procuracy.tenants.audit import AuditEntry
from procuracy.tenants.models import User, UserRole
from procuracy.tenants.scope import system_scope
from procuracy.tenants.units import by_code
from tests.conftest import PASSWORD

MANAGER, ME, COLLEAGUE = "casemanager1@440105", "prosecutor1@440105", "prosecutor2@440105"
TIANHE = "casemanager1@440106"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def one_request_one_g(app):
    """The test holds an app context open; give every request its own ``g``."""

    def clear(sender, **extra):
        g.__dict__.clear()

    request_started.connect(clear, app)
    limiter.reset()
    try:
        yield
    finally:
        request_started.disconnect(clear, app)


def text(response) -> str:
    return response.get_data(as_text=True)


def signed_in(app, username: str):
    client = app.test_client()
    token = TOKEN.search(text(client.get("/login"))).group(1)
    r = client.post("/login", data={"username": username, "password": PASSWORD,
                                    "csrf_token": token})
    assert r.status_code == 302, text(r)
    return client


def token_of(body: str) -> str:
    match = TOKEN.search(body)
    assert match, "no CSRF token on the page"
    return match.group(1)


class FormReader(HTMLParser):
    """The fields a browser would send with the form posting to ``action``."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields.append([a["name"], a.get("value") or ""])
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append([self._select, a.get("value", "")])
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
            self.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea[1] = self._textarea[1].removeprefix("\n")
            self._textarea = None


def form_fields(body: str, action: str) -> dict[str, str]:
    reader = FormReader(action)
    reader.feed(body)
    assert reader.fields, f"no form posting to {action}"
    return dict(reader.fields)


@contextmanager
def counting_statements():
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


# ---------------------------------------------------------------- the world
@pytest.fixture
def march_cases(make_case):
    """Three of my cases closed in March, one of my colleague's."""
    mine = [make_case("440105", handler=ME, status="closed", closed_on=date(2026, 3, 12),
                      weight=1.5)[1] for _ in range(3)]
    make_case("440105", handler=COLLEAGUE, status="closed", closed_on=date(2026, 3, 20))
    return mine


def compute(manager, period: str) -> str:
    """Compute a period's official scores on the runs page; the new run's id."""
    body = text(manager.get("/appraisal/runs"))
    r = manager.post("/appraisal/runs", data={"period": period, "audience": "prosecutor",
                                              "csrf_token": token_of(body)})
    assert r.status_code == 302, text(r)
    return r.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


def publish(manager, run_id: str) -> None:
    body = text(manager.get(f"/appraisal/runs/{run_id}"))
    r = manager.post(f"/appraisal/runs/{run_id}/publish", data={"csrf_token": token_of(body)})
    assert r.status_code == 302, text(r)


@pytest.fixture
def manager(app):
    return signed_in(app, MANAGER)


@pytest.fixture
def published(manager, march_cases):
    run_id = compute(manager, "2026-03")
    publish(manager, run_id)
    return run_id


def start_draft(manager) -> str:
    body = text(manager.get("/appraisal/rule-sets"))
    r = manager.post("/appraisal/rule-sets", data={
        "audience": "prosecutor", "period_kind": "month", "effective_from": "2026-04-01",
        "csrf_token": token_of(body)})
    assert r.status_code == 302, text(r)
    return r.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


def row_of(fields: dict, prefix: str, code: str) -> str:
    """The field prefix (``aspects-0``) of the row whose code is ``code``."""
    for name, value in fields.items():
        if name.startswith(prefix) and name.endswith("-code") and value == code:
            return name[:-len("-code")]
    raise AssertionError(f"no {prefix} row {code}")


# ---------------------------------------------------------------- the trace
def test_a_prosecutors_score_page_links_each_item_to_the_cases_behind_it(app, published,
                                                                          march_cases):
    me = signed_in(app, ME)
    r = me.get(f"/appraisal/runs/{published}/scores/{ME}")
    assert r.status_code == 200
    body = text(r)
    assert "办结案件数" in body and 'lang="zh-CN"' in body
    linked = set(re.findall(r'href="/cases/([^"]+)"', body))
    assert set(march_cases) <= linked
    q01 = re.search(r'<tr id="item-\d+" class="trace-item">.*?Q01.*?</tr>', body, re.S).group(0)
    assert all(f"/cases/{pid}" in q01 for pid in march_cases)
    # a colleague does not read my trace; the ranking is theirs to read
    other = signed_in(app, COLLEAGUE)
    assert other.get(f"/appraisal/runs/{published}/scores/{ME}").status_code == 404
    assert other.get(f"/appraisal/runs/{published}").status_code == 200


# ---------------------------------------------------------------- the editor
def test_the_editor_shows_the_weight_error_by_the_weights_and_saves_nothing(manager):
    draft = start_draft(manager)
    body = text(manager.get(f"/appraisal/rule-sets/{draft}"))
    fields = form_fields(body, f"/appraisal/rule-sets/{draft}")
    qty = row_of(fields, "aspects-", "QTY")
    assert fields[f"{qty}-weight"] == "35.0"
    fields[f"{qty}-weight"] = "30"
    r = manager.post(f"/appraisal/rule-sets/{draft}", data=fields)
    assert r.status_code == 422
    page = text(r)
    aspects = page[page.index('id="aspects"'):page.index('id="indicators"')]
    assert "方面权重合计为 95，不是 100" in aspects
    assert "未保存" in page
    with system_scope("test: the draft is unchanged"):
        weight = db.session.scalar(select(Aspect.weight).join(RuleSet).where(
            RuleSet.public_id == draft, Aspect.code == "QTY"))
    assert weight == 35


def test_the_editor_puts_a_missing_source_by_its_indicator(manager):
    draft = start_draft(manager)
    fields = form_fields(text(manager.get(f"/appraisal/rule-sets/{draft}")),
                         f"/appraisal/rule-sets/{draft}")
    row = row_of(fields, "indicators-", "Z02")
    fields[f"{row}-params"] = '{"types": ["no_such_event"]}'
    r = manager.post(f"/appraisal/rule-sets/{draft}", data=fields)
    assert r.status_code == 422
    problems = re.search(r'<tr class="row-problems">(.*?)</tr>', text(r), re.S).group(1)
    assert "no_such_event" in problems
    with system_scope("test"):
        assert db.session.scalars(select(RuleSet).where(RuleSet.public_id == draft)).one()


@pytest.mark.parametrize("change", [
    {"aspects-0-weight": "abc"}, {"aspects-0-weight": "1e400"},
    {"indicators-0-params": "[1, 2"}, {"indicators-0-kind": "magic"},
    {"indicators-0-aspect_code": "NOPE"}, {"indicators-0-points_per_unit": "nan"},
    {"indicators-0-max_points": "-3"}, {"grading_method": "lottery"},
    {"effective_from": "2026-02-30"}, {"aspects-0-code": "ZZZ"},
])
def test_bad_editor_input_is_refused_whole_and_changes_nothing(app, manager, change):
    draft = start_draft(manager)
    fields = form_fields(text(manager.get(f"/appraisal/rule-sets/{draft}")),
                         f"/appraisal/rule-sets/{draft}")
    before = fields["name"]
    fields.update({"name": "改过的名称", **change})
    r = manager.post(f"/appraisal/rule-sets/{draft}", data=fields)
    assert r.status_code == 422, change
    assert "未保存" in text(r)
    with system_scope("test: unchanged"):
        assert db.session.scalar(select(RuleSet.name).where(RuleSet.public_id == draft)) \
            == before
    # other people do not edit it: a colleague may not (403), Tianhe does not see it (404)
    me = signed_in(app, ME)
    assert me.post(f"/appraisal/rule-sets/{draft}", data={
        **fields, "csrf_token": token_of(text(me.get("/appraisal/rule-sets")))}
    ).status_code == 403
    tianhe = signed_in(app, TIANHE)
    assert tianhe.get(f"/appraisal/rule-sets/{draft}").status_code == 404


def test_a_published_rule_set_is_read_only_and_the_prosecutor_cannot_edit(app, manager):
    listed = text(manager.get("/appraisal/rule-sets"))
    in_force = re.search(r'href="/appraisal/rule-sets/([^"]+)">海珠区院', listed).group(1)
    body = text(manager.get(f"/appraisal/rule-sets/{in_force}"))
    assert "只读" in body and f'action="/appraisal/rule-sets/{in_force}"' not in body
    me = signed_in(app, ME)
    token = token_of(text(me.get("/appraisal/rule-sets")))
    assert me.post("/appraisal/rule-sets", data={"audience": "prosecutor",
                                                 "period_kind": "month",
                                                 "csrf_token": token}).status_code == 403


# ---------------------------------------------------------------- the sandbox
def test_the_sandbox_shows_who_moves_and_the_indicators_why(manager, published):
    """A draft in which weighted cases earn at most 1 point (not 15): the people with
    weighty cases lose ground, and the page says so person by person."""
    draft = start_draft(manager)
    fields = form_fields(text(manager.get(f"/appraisal/rule-sets/{draft}")),
                         f"/appraisal/rule-sets/{draft}")
    fields[f"{row_of(fields, 'indicators-', 'Q02')}-max_points"] = "1"
    r = manager.post(f"/appraisal/rule-sets/{draft}", data=fields)
    assert r.status_code == 302, text(r)
    body = text(manager.get(f"/appraisal/rule-sets/{draft}/sandbox"))
    r = manager.post(f"/appraisal/rule-sets/{draft}/sandbox",
                     data={"period": "2026-03", "csrf_token": token_of(body)})
    assert r.status_code == 200, text(r)
    page = text(r)
    rows = {user: (move, cells) for move, user, cells in re.findall(
        r'<tr class="mover mover-(\w+)" data-username="([^"]+)">(.*?)</tr>', page, re.S)}
    assert len(rows) == 8
    _move, mine = rows[ME]  # the department's weightiest cases: 15 points become 1
    assert re.search(r'delta-down"><span class="code">Q02</span> \S+ -14\.00', mine)
    assert "优秀 → <strong>称职</strong>" in mine
    moved = {user: move for user, (move, _c) in rows.items() if move in ("up", "down")}
    assert "up" in moved.values() and "down" in moved.values()
    for user, move in moved.items():
        assert ("上升" if move == "up" else "下降") in rows[user][1]
        if move == "down":
            assert "delta-down" in rows[user][1]  # and the indicator why
    summary = re.search(r'<p class="chips movers-summary">(.*?)</p>', page, re.S).group(1)
    shown = sum(int(n) for n in re.findall(r'move-(?:up|down)">\S+ (\d+)', summary))
    assert shown == len(moved)


# ---------------------------------------------------------------- ranking and Excel
def test_the_ranking_exports_to_an_excel_file_that_matches_the_page(app, published):
    colleague = signed_in(app, COLLEAGUE)
    page = text(colleague.get(f"/appraisal/runs/{published}"))
    on_page = re.findall(r'<tr data-username="([^"]+)">.*?<td class="num total"><strong>'
                         r'([\d.-]+)</strong>', page, re.S)
    assert len(on_page) == 8 and "导出 Excel" in page
    r = colleague.get(f"/appraisal/runs/{published}/ranking.xlsx")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(BytesIO(r.data)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(row[1], f"{row[4]:.2f}") for row in rows] == on_page
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert sheet.cell(2, 7).value.startswith("数量")  # the aspects follow the totals


def test_tianhe_gets_404_on_haizhus_ranking_and_performance_files(app, published):
    tianhe = signed_in(app, TIANHE)
    for url in (f"/appraisal/runs/{published}", f"/appraisal/runs/{published}/ranking.xlsx",
                f"/appraisal/runs/{published}/scores/{ME}",
                "/appraisal/ranking?unit=440105&period=2026-03",
                "/appraisal/runs?unit=440105", f"/appraisal/performance/{ME}"):
        assert tianhe.get(url).status_code == 404, url
    assert signed_in(app, COLLEAGUE).get(f"/appraisal/performance/{ME}").status_code == 404
    me = signed_in(app, ME)
    assert me.get(f"/appraisal/performance/{ME}?from=2026-01&to=2026-03").status_code == 200
    assert me.get(f"/appraisal/performance/{ME}?from=2026-13&to=2026-03").status_code == 422
    city = signed_in(app, "casemanager1@440100")
    found = city.get("/appraisal/ranking?unit=440105&period=2026-03")
    assert found.status_code == 302 and found.headers["Location"].endswith(published)


# ---------------------------------------------------------------- objections
def test_an_objection_is_raised_answered_and_logged(app, manager, published):
    me = signed_in(app, ME)
    body = text(me.get(f"/appraisal/runs/{published}/scores/{ME}"))
    item_id = re.search(r'action="/appraisal/items/(\d+)/objections"', body).group(1)
    r = me.post(f"/appraisal/items/{item_id}/objections",
                data={"text": "三月有一件案件漏计", "csrf_token": token_of(body)})
    assert r.status_code == 302
    assert me.post(f"/appraisal/items/{item_id}/objections",
                   data={"text": "", "csrf_token": token_of(body)}).status_code == 422

    listed = text(manager.get("/appraisal/objections?status=open"))
    assert "三月有一件案件漏计" in listed
    answer_at = re.search(r'action="(/appraisal/objections/[^"/]+/answer)"', listed).group(1)
    colleague = signed_in(app, COLLEAGUE)
    assert "三月有一件案件漏计" not in text(colleague.get("/appraisal/objections"))
    assert colleague.post(answer_at, data={
        "text": "我来答", "csrf_token": token_of(text(colleague.get("/appraisal/objections")))
    }).status_code == 403
    r = manager.post(answer_at, data={"text": "已核实，该案4月结案", "csrf_token": token_of(listed)})
    assert r.status_code == 302

    assert "已核实，该案4月结案" in text(me.get(f"/appraisal/runs/{published}/scores/{ME}"))
    with system_scope("test: the trail"):
        obj = db.session.scalars(select(Objection)).one()
        trail = db.session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "Objection", AuditEntry.object_id == str(obj.id))
            .order_by(AuditEntry.seq)).all()
        manager_id = db.session.scalar(select(User.id).where(User.username == MANAGER))
    assert [e.action for e in trail] == ["create", "update"]
    assert trail[1].actor_id == manager_id and trail[1].detail["status"] == "answered"


# ---------------------------------------------------------------- cost of the pages
def settle() -> None:
    """End the test's own writes, so each measured request starts from the same state."""
    with system_scope("test: settle"):
        db.session.commit()


def add_prosecutors(n: int) -> None:
    with system_scope("test: more prosecutors"):
        haizhu = by_code("440105")
        model = db.session.scalars(select(User).where(User.username == ME)).one()
        for i in range(n):
            user = User(unit_id=haizhu.id, username=f"extra{i}@440105", full_name=f"加{i}",
                        department_id=model.department_id, password_hash=model.password_hash)
            db.session.add(user)
            db.session.flush()
            db.session.add(UserRole(unit_id=haizhu.id, user_id=user.id, role="prosecutor"))
        db.session.commit()


def test_the_ranking_costs_the_same_statements_whatever_the_number_of_people(manager,
                                                                             published):
    manager.get(f"/appraisal/runs/{published}")  # the first request opens a savepoint early
    settle()
    with counting_statements() as few:
        assert manager.get(f"/appraisal/runs/{published}").status_code == 200
    add_prosecutors(6)
    more = compute(manager, "2026-02")
    page = text(manager.get(f"/appraisal/runs/{more}"))
    assert page.count("<tr data-username=") == 14
    settle()
    with counting_statements() as many:
        assert manager.get(f"/appraisal/runs/{more}").status_code == 200
    assert len(few) == len(many), (len(few), len(many))


def test_the_performance_file_costs_the_same_statements_whatever_its_length(
        manager, published, make_case):
    url = f"/appraisal/performance/{ME}?from=2026-01&to=2026-03"
    manager.get(url)
    settle()
    with counting_statements() as short:
        page = text(manager.get(url))
    cases_before = page.count('<tr id="case-')
    for _ in range(5):
        make_case("440105", handler=ME, status="closed", closed_on=date(2026, 2, 3))
    with system_scope("test: events"):
        me = db.session.scalars(select(User).where(User.username == ME)).one()
        for day in range(1, 6):
            db.session.add(ScoreEvent(unit_id=me.unit_id, public_id=new_public_id(),
                                      user_id=me.id, type="award", points=1.0,
                                      occurred_on=date(2026, 2, day), recorded_by_id=me.id))
        db.session.commit()
    settle()
    with counting_statements() as long:
        page = text(manager.get(url))
    assert page.count('<tr id="case-') == cases_before + 5
    assert len(short) == len(long), (len(short), len(long))


def test_the_pages_speak_chinese_by_default_and_english_on_request(manager, published):
    draft = start_draft(manager)
    pages = ["/appraisal/runs", "/appraisal/rule-sets", f"/appraisal/rule-sets/{draft}",
             f"/appraisal/rule-sets/{draft}/sandbox", f"/appraisal/runs/{published}",
             f"/appraisal/runs/{published}/scores/{ME}", "/appraisal/objections",
             f"/appraisal/performance/{ME}"]
    chinese = [text(manager.get(url)) for url in pages]
    assert all('lang="zh-CN"' in body and "考评" in body for body in chinese)
    manager.get("/lang/en")
    for url in pages:
        r = manager.get(url)
        assert r.status_code == 200 and 'lang="en"' in text(r), url
    assert "Aspects and weights" in text(manager.get(f"/appraisal/rule-sets/{draft}"))
    assert "Export to Excel" in text(manager.get(f"/appraisal/runs/{published}"))
