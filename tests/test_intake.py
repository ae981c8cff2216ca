"""Registering cases (案件受理): who may, how they are numbered, what bad input
answers, and importing a file all or nothing."""
from __future__ import annotations

import io
import re
import threading
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import delete, func, select

from procuracy.cases.catalogue_models import CaseCategory, CaseKind, StageDef
from procuracy.cases.models import Case, CaseNumberSequence, CaseStep
from procuracy.extensions import db
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import system_scope

PROSECUTION = "prosecution_review"  # 审查起诉, as the province's catalogue codes it
ARREST = "arrest_review"  # 审查逮捕
CARD_KIND = "TEST-CARD"  # a kind of the tests' own, with case-card fields it requires


def _unit(code: str) -> Unit:
    return db.session.scalars(select(Unit).where(Unit.code == code)).one()


@pytest.fixture
def kinds(app):
    """The kinds the tests register: the catalogue's when seeded, else made here
    (owned by the province 440000, inside the test's transaction)."""
    with system_scope("test: case kinds"):
        province = _unit("440000")
        category = db.session.scalars(select(CaseCategory).where(
            CaseCategory.unit_id == province.id, CaseCategory.code == "TEST-XS")).first()
        if category is None:
            category = CaseCategory(unit_id=province.id, code="TEST-XS", name="刑事检察",
                                    line="criminal")
            db.session.add(category)
            db.session.flush()
        out = {}
        for code, name, abbr, required in (
                (PROSECUTION, "审查起诉", "刑诉", []), (ARREST, "审查逮捕", "刑捕", []),
                (CARD_KIND, "测试案卡类", "测卡", ["source_agency", "侦查机关案号"])):
            kind = db.session.scalars(select(CaseKind).where(
                CaseKind.unit_id == province.id, CaseKind.code == code)).first()
            if kind is None:
                kind = CaseKind(unit_id=province.id, category_id=category.id, code=code,
                                name=name, line="criminal", number_abbr=abbr, weight=1.0,
                                required_fields=required)
                db.session.add(kind)
                db.session.flush()
            out[code] = kind
        if not db.session.scalar(select(StageDef.id).where(
                StageDef.kind_id == out[CARD_KIND].id)):
            db.session.add(StageDef(unit_id=province.id, kind_id=out[CARD_KIND].id, seq=1,
                                    code="T-ACCEPT", name="受理审查", clock=None))
        db.session.commit()
        return {code: (k.id, k.number_abbr, k.weight) for code, k in out.items()}


def last_number(unit_code: str, abbr: str, year: int) -> int:
    with system_scope("test: read a sequence"):
        unit = _unit(unit_code)
        return db.session.scalar(select(CaseNumberSequence.last).where(
            CaseNumberSequence.unit_id == unit.id, CaseNumberSequence.kind_abbr == abbr,
            CaseNumberSequence.year == year)) or 0


def body(**over) -> dict:
    data = {"kind": PROSECUTION, "received_on": "2026-03-02", "source_agency": "广州市公安局海珠区分局",
            "suspects": ["张三", "李四"], "charges": ["盗窃罪"], "detained": True}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def register(client, headers, **over):
    return client.post("/api/v1/cases", json=body(**over), headers=headers)


# ---------------------------------------------------------------- numbering
def test_haizhu_case_manager_gets_the_next_numbers_of_the_unit_kind_and_year(
        client, token_for, kinds):
    abbr = kinds[PROSECUTION][1]
    start = last_number("440105", abbr, 2026) + 1
    headers = token_for("casemanager1@440105")
    first, second = register(client, headers), register(client, headers)
    assert first.status_code == 201, first.get_json()
    assert second.status_code == 201, second.get_json()
    assert first.get_json()["number"] == f"穗海检{abbr}受〔2026〕{start}号"
    assert second.get_json()["number"] == f"穗海检{abbr}受〔2026〕{start + 1}号"
    if abbr == "刑诉" and start == 1:
        assert first.get_json()["number"] == "穗海检刑诉受〔2026〕1号"


def test_numbers_run_per_unit_kind_and_year(client, token_for, kinds):
    pros, arrest = kinds[PROSECUTION][1], kinds[ARREST][1]
    expected = {
        ("440105", pros, 2026): last_number("440105", pros, 2026),
        ("440105", arrest, 2026): last_number("440105", arrest, 2026),
        ("440105", pros, 2025): last_number("440105", pros, 2025),
        ("440106", pros, 2026): last_number("440106", pros, 2026),
    }
    haizhu, tianhe = token_for("casemanager1@440105"), token_for("casemanager1@440106")
    numbers = [
        register(client, haizhu).get_json()["number"],
        register(client, haizhu, kind=ARREST).get_json()["number"],
        register(client, haizhu, received_on="2025-12-30").get_json()["number"],
        register(client, tianhe).get_json()["number"],
        register(client, haizhu).get_json()["number"],
    ]
    h26, a26, h25, t26 = (expected[k] for k in expected)
    assert numbers == [
        f"穗海检{pros}受〔2026〕{h26 + 1}号", f"穗海检{arrest}受〔2026〕{a26 + 1}号",
        f"穗海检{pros}受〔2025〕{h25 + 1}号", f"穗天检{pros}受〔2026〕{t26 + 1}号",
        f"穗海检{pros}受〔2026〕{h26 + 2}号"]


def test_concurrent_registrations_never_share_a_number(app):
    """Two sessions bump the same, not yet existing, sequence at once: 1 and 2."""
    from procuracy.cases.intake import next_number
    from procuracy.orm import Session

    with system_scope("test: unit id"):
        unit_id = _unit("440105").id
    barrier, got, failures = threading.Barrier(2), [], []

    def worker():
        try:
            with app.app_context():
                session = Session(db, bind=db.engine)
                try:
                    with system_scope("test: concurrent numbering", session):
                        barrier.wait(timeout=10)
                        got.append(next_number(unit_id, "并发", 2001, session=session))
                        session.commit()
                finally:
                    session.close()
        except Exception as exc:  # reported below, not swallowed by the thread
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert not failures, failures
        assert sorted(got) == [1, 2]
    finally:
        with app.app_context():
            cleanup = Session(db, bind=db.engine)
            with system_scope("test: clean up the sequence", cleanup):
                cleanup.execute(delete(CaseNumberSequence).where(
                    CaseNumberSequence.unit_id == unit_id, CaseNumberSequence.kind_abbr == "并发"))
                cleanup.commit()
            cleanup.close()


# ---------------------------------------------------------------- who registers
def test_prosecutor_cannot_register_a_case(client, token_for, kinds):
    response = register(client, token_for("prosecutor1@440105"))
    assert response.status_code == 403
    with system_scope("test: count"):
        assert not db.session.scalar(select(func.count(Case.id)).where(
            Case.source_agency == "广州市公安局海珠区分局"))


def test_chief_registers_and_a_city_registers_in_its_own_unit(client, token_for, kinds):
    abbr = kinds[PROSECUTION][1]
    chief = register(client, token_for("chief1@440105"))
    assert chief.status_code == 201 and chief.get_json()["unit"] == "440105"
    city = register(client, token_for("casemanager1@440100"))
    assert city.status_code == 201
    assert city.get_json()["unit"] == "440100"
    assert city.get_json()["number"].startswith(f"穗检{abbr}受〔2026〕")


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("change, field", [
    ({"kind": None}, "kind"),
    ({"suspects_count": -1}, "suspects_count"),
    ({"suspects_count": 1}, "suspects_count"),  # two names, a count of one
    ({"kind": "没有这种案件"}, "kind"),
    ({"received_on": "02/03/2026"}, "received_on"),
    ({"received_on": "2099-01-01"}, "received_on"),
    ({"suspects": "张三"}, "suspects"),
    ({"detained": "perhaps"}, "detained"),
    ({"kind": 5}, "kind"),
    ({"card": "x"}, "card"),
    ({"suspects": [""]}, "suspects"),
    ({"suspects_count": "many"}, "suspects_count"),
    ({"received_on": None}, "received_on"),
])
def test_bad_input_answers_422_with_the_field(client, token_for, kinds, change, field):
    response = register(client, token_for("casemanager1@440105"), **change)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"]


@pytest.mark.parametrize("payload", [[], "case", 12, None])
def test_a_body_that_is_not_an_object_answers_422(client, token_for, payload):
    response = client.post("/api/v1/cases", json=payload,
                           headers=token_for("casemanager1@440105"))
    assert response.status_code == 422


def test_kind_requires_its_case_card_fields(client, token_for, kinds):
    headers = token_for("casemanager1@440105")
    missing = register(client, headers, kind=CARD_KIND, source_agency="")
    assert missing.status_code == 422
    assert set(missing.get_json()["errors"]["json"]) == {"source_agency", "card.侦查机关案号"}
    ok = register(client, headers, kind=CARD_KIND, card={"侦查机关案号": "海公刑字〔2026〕88号"})
    assert ok.status_code == 201, ok.get_json()
    assert ok.get_json()["card"] == {"侦查机关案号": "海公刑字〔2026〕88号"}


def test_unknown_fields_answer_422(client, token_for, kinds):
    response = register(client, token_for("casemanager1@440105"), number="穗海检刑诉受〔2026〕1号")
    assert response.status_code == 422
    assert "number" in response.get_json()["errors"]["json"]


# ---------------------------------------------------------------- what registering does
def test_public_ids_are_not_sequential_integers(client, token_for, kinds):
    headers = token_for("casemanager1@440105")
    ids = [register(client, headers).get_json()["id"] for _ in range(3)]
    assert len(set(ids)) == 3
    for public_id in ids:
        assert not public_id.isdigit() and len(public_id) >= 16
    with system_scope("test: integer ids"):
        integer = db.session.scalar(select(Case.id).where(Case.public_id == ids[0]))
    assert client.get(f"/api/v1/cases/{integer}", headers=headers).status_code == 404


def test_registration_sets_weight_stage_department_and_the_first_step(
        client, token_for, kinds):
    headers = token_for("casemanager1@440105")
    response = register(client, headers, kind=CARD_KIND, suspects=["王五", "赵六", "钱七"],
                        charges=["诈骗罪"], major=True, card={"侦查机关案号": "X1"})
    case = response.get_json()
    assert response.status_code == 201, case
    assert case["weight"] == 3 * kinds[CARD_KIND][2]
    assert case["suspects_count"] == 3 and case["title"] == "王五等3人诈骗案"
    assert case["stage"] == "T-ACCEPT" and case["status"] == "open"
    assert case["department"] == "刑事检察部" and case["handler"] is None
    assert (case["major"], case["detained"], case["juvenile"]) == (True, True, False)
    steps = client.get(f"/api/v1/cases/{case['id']}/timeline", headers=headers).get_json()
    assert [s["kind"] for s in steps] == ["registered"]
    assert steps[0]["actor"] == "casemanager1@440105" and case["number"] in steps[0]["summary"]


def test_registration_enters_the_fitting_first_stage_and_starts_its_clock(
        client, token_for, kinds):
    from procuracy.cases.models import CaseClock

    with system_scope("test: stages"):
        if not db.session.scalar(select(StageDef.id).where(StageDef.kind_id == kinds[ARREST][0])):
            pytest.skip("the catalogue is not seeded: the test kind has no stages")
    headers = token_for("casemanager1@440105")
    held = register(client, headers, kind=ARREST, received_on="2026-03-02").get_json()
    free = register(client, headers, kind=ARREST, detained=False).get_json()
    assert (held["stage"], free["stage"]) == ("review@detained", "review@not_detained")
    steps = client.get(f"/api/v1/cases/{held['id']}/timeline", headers=headers).get_json()
    assert [s["kind"] for s in steps] == ["registered", "clock_started"]
    with system_scope("test: the clock"):
        clock = db.session.scalars(select(CaseClock).join(Case).where(
            Case.public_id == held["id"])).one()
    # Art. 91: seven days, in custody, not extended over holidays.
    assert (clock.name, clock.started_on, clock.due_on) == (
        "review", date(2026, 3, 2), date(2026, 3, 9))


def test_the_provinces_major_case_rule_applies_at_registration(client, token_for, kinds):
    headers = token_for("casemanager1@440105")
    three = register(client, headers, suspects=["甲", "乙", "丙"]).get_json()
    robbery = register(client, headers, suspects=["丁"], charges=["抢劫罪"]).get_json()
    theft = register(client, headers, suspects=["戊"]).get_json()
    with system_scope("test: is there a rule"):
        from procuracy.cases.catalogue_models import MajorRule

        if db.session.scalar(select(MajorRule.id).where(MajorRule.line == "criminal")) is None:
            pytest.skip("no major-case rule seeded")
    assert (three["major"], robbery["major"], theft["major"]) == (True, True, False)
    assert three["weight"] == 3 * kinds[PROSECUTION][2]


def test_registration_is_on_the_audit_trail(client, token_for, kinds):
    from procuracy.tenants.audit import AuditEntry

    response = register(client, token_for("casemanager1@440105"))
    with system_scope("test: audit"):
        case_id = db.session.scalar(select(Case.id).where(
            Case.public_id == response.get_json()["id"]))
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "Case", AuditEntry.object_id == str(case_id))).one()
        assert entry.action == "create" and entry.actor_name.endswith("(casemanager1@440105)")
        first = db.session.scalars(select(CaseStep).where(CaseStep.case_id == case_id)
                                   .order_by(CaseStep.at, CaseStep.id)).first()
        assert first.kind == "registered"


# ---------------------------------------------------------------- importing
def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, headers, name: str, content: bytes):
    return client.post("/api/v1/cases/import", headers=headers,
                       data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def _haizhu_cases() -> int:
    with system_scope("test: count"):
        return db.session.scalar(select(func.count(Case.id)).where(
            Case.unit_id == _unit("440105").id))


def test_bad_import_changes_nothing_and_names_every_bad_row(client, token_for, kinds):
    before = _haizhu_cases()
    agency = "广州市公安局海珠区分局"
    csv_text = "\n".join([
        "kind,received_on,suspects_count,suspects,charges,detained,source_agency",
        f"{PROSECUTION},2026-03-01,1,张三,盗窃罪,是,{agency}",  # good
        f"没有这种案件,2026-03-01,1,李四,诈骗罪,否,{agency}",  # unknown kind
        f"{PROSECUTION},2026-13-45,1,王五,诈骗罪,否,{agency}",  # no such date
        f"{PROSECUTION},2026-03-01,两个,赵六,诈骗罪,否,{agency}",  # not a number
        f"{CARD_KIND},2026-03-01,1,钱七,诈骗罪,否,",  # card fields missing
        f"{PROSECUTION},2026-03-02,2,孙八、周九,盗窃罪,在押?,{agency}",  # not yes/no
    ])
    response = _upload(client, token_for("casemanager1@440105"), "cases.csv",
                       csv_text.encode("utf-8"))
    assert response.status_code == 422, response.get_json()
    rows = {(e["row"], e["field"]) for e in response.get_json()["errors"]["rows"]}
    assert rows == {(3, "kind"), (4, "received_on"), (5, "suspects_count"),
                    (6, "source_agency"), (6, "card.侦查机关案号"), (7, "detained")}
    assert _haizhu_cases() == before


def test_bad_header_rejects_the_file(client, token_for, kinds):
    response = _upload(client, token_for("casemanager1@440105"), "cases.csv",
                       "kind,suspects,colour\n审查起诉,张三,red\n".encode())
    assert response.status_code == 422
    assert {(e["row"], e["field"]) for e in response.get_json()["errors"]["rows"]} == {
        (1, "colour"), (1, "received_on")}


def test_good_xlsx_imports_every_row_with_consecutive_numbers(client, token_for, kinds):
    abbr = kinds[PROSECUTION][1]
    start = last_number("440105", abbr, 2026) + 1
    before = _haizhu_cases()
    content = _xlsx([
        ["案件类别", "受理日期", "犯罪嫌疑人", "罪名", "移送单位", "在押", "未成年人"],
        [PROSECUTION, date(2026, 4, 1), "陈一", "危险驾驶罪", "广州市公安局海珠区分局", "否", "否"],
        [],
        [PROSECUTION, "2026/04/02", "林二、黄三", "寻衅滋事罪", "广州市公安局海珠区分局", "是", "是"],
    ])
    response = _upload(client, token_for("casemanager1@440105"), "批量.xlsx", content)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "rows": 2, "created": 2, "first_number": f"穗海检{abbr}受〔2026〕{start}号",
        "last_number": f"穗海检{abbr}受〔2026〕{start + 1}号"}
    assert _haizhu_cases() == before + 2
    with system_scope("test: imported"):
        case = db.session.scalars(select(Case).where(
            Case.number == f"穗海检{abbr}受〔2026〕{start + 1}号", Case.title.like("林二%"))).one()
        assert (case.suspects, case.suspects_count, case.detained, case.juvenile) == (
            ["林二", "黄三"], 2, True, True)
        assert case.received_on == date(2026, 4, 2)


def test_prosecutor_cannot_import(client, token_for, kinds):
    response = _upload(client, token_for("prosecutor1@440105"), "cases.csv",
                       f"kind,received_on\n{PROSECUTION},2026-03-01\n".encode())
    assert response.status_code == 403


@pytest.mark.parametrize("name, content, field", [
    ("cases.txt", b"kind\n", "file"),
    ("cases.xlsx", b"PK\x03\x04 not really a workbook", "file"),
    ("cases.csv", b"", "header"),
    ("cases.csv", b"kind,received_on\n", "file"),  # a header and no case
    ("cases.csv", "kind,received_on\n审查起诉,2026-03-01\n".encode("utf-16"), "file"),
])
def test_unreadable_files_are_rejected_as_files(client, token_for, kinds, name, content, field):
    response = _upload(client, token_for("casemanager1@440105"), name, content)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"]["rows"][0]["field"] == field


def test_import_without_a_file_answers_422(client, token_for):
    response = client.post("/api/v1/cases/import", headers=token_for("casemanager1@440105"),
                           data={}, content_type="multipart/form-data")
    assert response.status_code == 422


def test_import_reads_gbk_csv_and_kinds_by_their_chinese_name(client, token_for, kinds):
    before = _haizhu_cases()
    text = ("案件类别,受理日期,犯罪嫌疑人,罪名,移送单位,在押\n"
            "审查起诉,2026-06-01,郑一,盗窃罪,广州市公安局海珠区分局,否\n")
    response = _upload(client, token_for("casemanager1@440105"), "cases.csv",
                       text.encode("gb18030"))
    assert response.status_code == 200, response.get_json()
    assert _haizhu_cases() == before + 1


def test_cli_imports_a_file_as_the_named_user(app, tmp_path, kinds):
    from procuracy.cases.cli_intake import cases_import

    path = tmp_path / "cases.csv"
    path.write_text("kind,received_on,suspects,charges,source_agency\n"
                    f"{PROSECUTION},2026-05-01,吴十,盗窃罪,广州市公安局海珠区分局\n", encoding="utf-8")
    before = _haizhu_cases()
    runner = app.test_cli_runner()
    wrong = runner.invoke(cases_import, [str(path), "--unit", "440106",
                                         "--as", "casemanager1@440105"])
    assert wrong.exit_code == 2
    result = runner.invoke(cases_import, [str(path), "--unit", "440105",
                                          "--as", "casemanager1@440105"])
    assert result.exit_code == 0, result.output
    assert re.search(r"1 cases registered in 440105: 穗海检", result.output)
    assert _haizhu_cases() == before + 1


# ---------------------------------------------------------------- demo cases
def test_demo_cases_are_numbered_as_intake_numbers_them(client, token_for, kinds):
    import random
    from collections import Counter

    from procuracy.cases.demo_intake import seed_demo_cases
    from procuracy.cases.models import CaseClock

    assert seed_demo_cases(300, random.Random(5), year=2026) == 300
    with system_scope("test: the demo cases"):
        cases = db.session.scalars(select(Case).where(Case.kind_id.is_not(None),
                                                      Case.created_at.is_not(None))).all()
        demo = [c for c in cases if c.number and "受〔2026〕" in c.number]
        per_unit = Counter((c.unit_id, c.number) for c in demo)
        assert per_unit and max(per_unit.values()) == 1, "a number given twice in a unit"
        assert all(re.fullmatch(r"\w+检\w+受〔2026〕\d+号", c.number) for c in demo)
        assert any(c.status == "closed" and c.outcome for c in demo)
        assert any(c.suspects and c.charges and c.source_agency.endswith("分局") for c in demo)
        open_with_clock = db.session.scalar(select(func.count(CaseClock.id)).join(
            Case, Case.id == CaseClock.case_id).where(Case.status == "open",
                                                       CaseClock.stopped_on.is_(None)))
        assert open_with_clock
        steps = Counter(db.session.scalars(select(CaseStep.kind)))
        assert steps["registered"] >= 300 and steps["assigned"] and steps["closed"]
    abbr = kinds[PROSECUTION][1]
    start = last_number("440105", abbr, 2026)
    assert start > 0, "the demo leaves each sequence at the last number it gave"
    again = register(client, token_for("casemanager1@440105")).get_json()
    assert again["number"] == f"穗海检{abbr}受〔2026〕{start + 1}号"
