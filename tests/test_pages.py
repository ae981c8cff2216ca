"""The tenants web pages: sign-in and its throttle, CSRF, language, who sees which
unit's pages, the power list and its editing, the access log, password change.

CSRF protection stays on here (the test config leaves WTF_CSRF_ENABLED at True):
every POST carries the token read from a rendered form, as a browser would.
"""
from __future__ import annotations

import re

import pytest
from flask import g, request_started

from procuracy.extensions import limiter
from tests.conftest import PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def fresh_request_globals(app):
    """One request, one ``g``, as in production.

    The ``transaction`` fixture holds an app context open for the whole test, and
    Flask reuses it for every test-client request, so ``g`` (where flask-login
    caches the signed-in user and flask-wtf the CSRF token) would leak from one
    client's request into another's.
    """

    def clear(sender, **extra):
        g.__dict__.clear()

    request_started.connect(clear, app)
    try:
        yield
    finally:
        request_started.disconnect(clear, app)


@pytest.fixture(autouse=True)
def fresh_limits():
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def new_client(app):
    return app.test_client


def page(response) -> str:
    return response.get_data(as_text=True)


def csrf(client, url: str = "/login") -> str:
    """The token from a rendered form (signed in, /login redirects to a page with one)."""
    match = TOKEN.search(page(client.get(url, follow_redirects=True)))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def sign_in(client, username: str, password: str = PASSWORD):
    r = client.post("/login", data={"username": username, "password": password,
                                    "csrf_token": csrf(client)})
    assert r.status_code == 302, page(r)
    return client


def post(client, url: str, data: dict | None = None, token_from: str = "/"):
    return client.post(url, data={**(data or {}), "csrf_token": csrf(client, token_from)})


# ---------------------------------------------------------------- language
def test_sign_in_page_is_chinese_by_default(client):
    body = page(client.get("/login"))
    assert '<html lang="zh-CN">' in body
    assert "检察业务管理平台" in body
    assert "用户名" in body and "密码" in body


def test_sign_in_page_is_english_with_lang_en(client):
    body = page(client.get("/login?lang=en"))
    assert '<html lang="en">' in body
    assert "Procuracy" in body and "User name" in body
    assert "检察业务管理平台" not in body


def test_language_choice_is_kept_in_the_session_and_redirects_only_locally(client):
    r = client.get("/lang/en?next=/login%3Flang%3Dzh_CN")
    assert r.status_code == 302 and r.headers["Location"] == "/login"
    assert '<html lang="en">' in page(client.get("/login"))
    r = client.get("/lang/zh_CN?next=//evil.example/x")
    assert r.headers["Location"] == "/"
    assert '<html lang="zh-CN">' in page(client.get("/login"))


# ---------------------------------------------------------------- sign-in
def test_pages_need_sign_in(client):
    r = client.get("/units/440105")
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/login?next=")
    body = page(client.get(r.headers["Location"]))
    assert "请先登录" in body and "Please" not in body
    r = client.post("/login", data={"username": "", "password": "", "csrf_token": csrf(client)})
    assert r.status_code == 400 and "必填" in page(r)  # WTForms' own messages, in Chinese


def test_wrong_password_rerenders_with_401_and_no_session(client):
    token = csrf(client)
    r = client.post("/login", data={"username": "prosecutor1@440105", "password": "wrong-pass-1",
                                    "csrf_token": token})
    assert r.status_code == 401
    assert "用户名或密码错误" in page(r)
    assert client.get("/").status_code == 302
    # An account that does not exist reads the same.
    r = client.post("/login", data={"username": "nobody@440105", "password": "wrong-pass-1",
                                    "csrf_token": token})
    assert r.status_code == 401 and "用户名或密码错误" in page(r)


def test_repeated_failed_sign_ins_for_one_account_answer_429(client, new_client):
    token = csrf(client)
    data = {"username": "clerk2@440106", "password": "wrong-pass-1", "csrf_token": token}
    for _ in range(5):  # LOGIN_LIMIT_PER_ACCOUNT: 5 per minute
        assert client.post("/login", data=data).status_code == 401
    r = client.post("/login", data={**data, "password": PASSWORD})
    assert r.status_code == 429
    assert "尝试次数过多" in page(r) and 0 < int(r.headers["Retry-After"]) <= 60
    # Only that account is throttled.
    sign_in(new_client(), "clerk1@440106")


def test_successful_sign_ins_do_not_count_toward_the_limit(new_client):
    for _ in range(7):
        sign_in(new_client(), "assistant1@440106")


def test_sign_in_follows_next_only_to_a_local_path(new_client):
    c = new_client()
    r = c.post("/login?next=/units/440105/users",
               data={"username": "chief1@440105", "password": PASSWORD, "csrf_token": csrf(c)})
    assert r.headers["Location"] == "/units/440105/users"
    c = new_client()
    r = c.post("/login?next=https://evil.example/",
               data={"username": "chief1@440105", "password": PASSWORD, "csrf_token": csrf(c)})
    assert r.headers["Location"] == "/"


def test_post_without_csrf_token_is_rejected(app, client):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    r = client.post("/login", data={"username": "prosecutor1@440105", "password": PASSWORD})
    assert r.status_code == 400
    assert client.get("/").status_code == 302  # not signed in
    sign_in(client, "prosecutor1@440105")
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still signed in


def test_sign_out_ends_the_session(client):
    sign_in(client, "prosecutor1@440105")
    r = post(client, "/logout")
    assert r.status_code == 302 and r.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_every_post_form_carries_the_csrf_token(client):
    sign_in(client, "admin1@440105")
    post(client, "/units/440105/powers/draft", {"effective_from": "2026-07-01"},
         token_from="/units/440105/powers/draft")
    for url in ("/", "/account/password", "/units/440105/powers/draft"):
        forms = re.findall(r"<form[^>]*>.*?</form>", page(client.get(url)), re.S)
        posts = [f for f in forms if 'method="post"' in f]
        assert posts, url
        assert all('name="csrf_token"' in f for f in posts), url


# ---------------------------------------------------------------- home and units
def test_home_shows_the_users_unit_roles_department_and_links(client):
    sign_in(client, "prosecutor1@440105")
    body = page(client.get("/"))
    assert "广州市海珠区人民检察院" in body
    assert "检察官" in body and "刑事检察部" in body and "员额" in body
    assert "/units/440105/powers" in body
    assert 'href="/units"' not in body  # no tree: supervises nobody
    assert "/access-log" not in body
    sign_in(client, "chief1@440105")
    assert "/units/440105/access-log" in page(client.get("/"))


def test_district_prosecutor_gets_404_for_a_sibling_or_parent_unit(client):
    sign_in(client, "prosecutor1@440105")
    for url in ("/units/440106", "/units/440106/users", "/units/440106/powers",
                "/units/440100", "/units/999999"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "页面不存在" in page(r)
    assert client.get("/units/440105").status_code == 200


def test_breadcrumb_links_only_units_the_user_may_read(client):
    sign_in(client, "prosecutor1@440105")
    body = page(client.get("/units/440105"))
    assert "广东省人民检察院" in body and "广州市人民检察院" in body
    assert 'href="/units/440000"' not in body and 'href="/units/440100"' not in body


def test_provincial_inspector_drills_down_to_haizhus_users(client):
    sign_in(client, "inspector1@440000")
    tree = page(client.get("/units"))
    assert all(code in tree for code in ("440000", "440100", "440105", "440106", "440305"))
    assert "450000" not in tree  # another province
    assert 'href="/units/440100"' in page(client.get("/units/440000"))
    guangzhou = page(client.get("/units/440100"))
    assert 'href="/units/440105"' in guangzhou and 'href="/units/440000"' in guangzhou
    haizhu = page(client.get("/units/440105"))
    assert 'href="/units/440105/users"' in haizhu
    users = client.get("/units/440105/users")
    assert users.status_code == 200
    body = page(users)
    assert "prosecutor1@440105" in body and "chief1@440105" in body
    assert "检察长" in body and "员额" in body and "刑事检察部" in body


# ---------------------------------------------------------------- power list
@pytest.fixture
def haizhu_summary(as_user):
    """The figures the power-list page should show for Haizhu, from the service."""
    from procuracy.tenants import powers, services

    with as_user("prosecutor1@440105"):
        return powers.summary(powers.effective_list(services.readable_unit("440105")).items)


def test_power_list_shows_the_summary_and_haizhus_adjustments(client, haizhu_summary):
    s = haizhu_summary
    assert s["by_origin"] == {"template": s["total"] - 2, "override": 1, "local": 1}
    sign_in(client, "prosecutor1@440105")
    body = page(client.get("/units/440105/powers"))
    n = s["by_decider"]["prosecutor"]
    # e.g. "318 项，其中检察官决定 198 项（62.3%）"
    assert f"{s['total']} 项，其中检察官决定 {n} 项（{n / s['total'] * 100:.1f}%）" in body
    assert "本院调整" in body and "本院新增" in body and "省院模板" in body
    assert "省院规定不可调整" in body  # fixed template items are marked
    assert "HZ-001" in body
    assert "广东省人民检察院 第 1 版" in body and "广州市海珠区人民检察院 第 1 版" in body


def test_power_list_page_is_english_with_lang_en(client, haizhu_summary):
    s = haizhu_summary
    sign_in(client, "prosecutor1@440105")
    body = page(client.get("/units/440105/powers?lang=en"))
    n = s["by_decider"]["prosecutor"]
    assert f"{s['total']} items, of which prosecutors decide {n} ({n / s['total'] * 100:.1f}%)" in body
    assert "Adjusted here" in body


def test_power_list_filters_on_the_server(client, haizhu_summary):
    total, committee = haizhu_summary["total"], haizhu_summary["by_decider"]["committee"]
    sign_in(client, "prosecutor1@440105")
    body = page(client.get("/units/440105/powers?decider=committee"))
    assert f"显示 {committee} / {total} 项" in body
    assert body.count('<td class="code nowrap">') == committee
    body = page(client.get("/units/440105/powers", query_string={"q": "检察官联席会议召集"}))
    assert f"显示 1 / {total} 项" in body and "HZ-001" in body
    body = page(client.get("/units/440105/powers?q=hz-001"))
    assert f"显示 1 / {total} 项" in body  # a code matches too
    body = page(client.get("/units/440105/powers?on=2025-06-01"))
    assert "0 项" in body  # nothing was in force before 2026


def test_a_prosecutor_sees_no_edit_buttons_and_gets_404_on_the_draft_routes(client):
    sign_in(client, "prosecutor1@440105")
    for url in ("/units/440105/powers", "/units/440105/powers/versions", "/units/440105"):
        assert "/powers/draft" not in page(client.get(url)), url
    assert client.get("/units/440105/powers/draft").status_code == 404
    for url in ("/units/440105/powers/draft", "/units/440105/powers/draft/items",
                "/units/440105/powers/draft/items/XJ-001/remove",
                "/units/440105/powers/draft/publish"):
        r = post(client, url, {"effective_from": "2026-07-01", "code": "XJ-002",
                               "decider_role": "chief"})
        assert r.status_code == 404, url


def test_a_supervisor_reads_a_lower_units_list_but_cannot_edit_it(client):
    sign_in(client, "chief1@440100")
    assert client.get("/units/440105/powers").status_code == 200
    assert "/powers/draft" not in page(client.get("/units/440105/powers"))
    assert client.get("/units/440105/powers/draft").status_code == 404
    assert client.get("/units/440100/powers/draft").status_code == 200  # its own unit


def test_admin_drafts_adjusts_is_refused_on_a_fixed_item_and_publishes(client):
    sign_in(client, "admin1@440105")
    assert "/units/440105/powers/draft" in page(client.get("/units/440105/powers"))
    draft_url = "/units/440105/powers/draft"
    r = post(client, draft_url, {"effective_from": "2026-07-01", "note": "调整审查逮捕事项"},
             token_from=draft_url)
    assert r.status_code == 302
    body = page(client.get(draft_url))
    assert "第 2 版草稿" in body and "XJ-001" in body and "HZ-001" in body

    r = post(client, draft_url + "/items", {"code": "XJ-002", "decider_role": "department_head"},
             token_from=draft_url)
    assert r.status_code == 302
    assert "XJ-002" in page(client.get(draft_url))

    r = post(client, draft_url + "/items", {"code": "XJ-014", "decider_role": "prosecutor"},
             token_from=draft_url)
    assert r.status_code == 422
    assert "省院规定不可调整" in page(r) and "XJ-014" in page(r)

    r = post(client, draft_url + "/items", {"code": "HZ-002", "decider_role": "prosecutor",
                                            "matter": "案件质量自查", "category": "案件管理",
                                            "overridable": "y"}, token_from=draft_url)
    assert r.status_code == 302
    r = post(client, draft_url + "/items/HZ-002/remove", token_from=draft_url)
    assert r.status_code == 302
    assert "item=HZ-002" not in page(client.get(draft_url))

    r = post(client, draft_url + "/publish", token_from=draft_url)
    assert r.status_code == 302
    versions = page(client.get("/units/440105/powers/versions"))
    assert "已发布" in versions and "草稿" not in versions.split("<main")[1].split("编辑")[0]
    after = page(client.get("/units/440105/powers?on=2026-07-01&q=XJ-002"))
    assert "本院调整" in after and "部门负责人" in after
    diff = page(client.get("/units/440105/powers/compare?from=1&to=2"))
    assert "XJ-002" in diff and "新增" in diff


def test_the_draft_page_marks_a_fixed_item_before_any_attempt(client):
    sign_in(client, "admin1@440105")
    draft_url = "/units/440105/powers/draft"
    post(client, draft_url, {"effective_from": "2026-07-01"}, token_from=draft_url)
    body = page(client.get(draft_url + "?item=XJ-014"))
    assert "省院规定不可调整" in body and "公安机关要求复议的复议决定" in body


def test_the_provinces_administrator_edits_the_template_itself(client):
    sign_in(client, "admin1@440000")
    draft_url = "/units/440000/powers/draft"
    assert post(client, draft_url, {"effective_from": "2026-07-01"},
                token_from=draft_url).status_code == 302
    body = page(client.get(draft_url))
    assert "省院模板：全部事项" in body and "XJ-014" in body
    r = post(client, draft_url + "/items", {"code": "XJ-014", "decider_role": "deputy_chief",
                                            "matter": "公安机关要求复议的复议决定（不捕）",
                                            "category": "刑事检察"}, token_from=draft_url)
    assert r.status_code == 302  # the template's own items are the province's to set


def test_publishing_before_the_last_version_is_refused_with_422(client):
    sign_in(client, "chief1@440105")
    draft_url = "/units/440105/powers/draft"
    post(client, draft_url, {"effective_from": "2025-01-01"}, token_from=draft_url)
    r = post(client, draft_url + "/publish", token_from=draft_url)
    assert r.status_code == 422
    assert "生效日期不得早于第 1 版" in page(r)


def test_comparing_a_missing_version_answers_404(client):
    sign_in(client, "prosecutor1@440105")
    assert client.get("/units/440105/powers/compare?from=1&to=9").status_code == 404


# ---------------------------------------------------------------- access log
def test_access_log_lists_the_inspectors_read_of_haizhus_users(client, new_client):
    inspector = sign_in(new_client(), "inspector1@440000")
    assert inspector.get("/units/440105/users").status_code == 200
    sign_in(client, "chief1@440105")
    body = page(client.get("/units/440105/access-log"))
    assert "inspector1@440000" in body
    assert "440000" in body and "上级院监督" in body
    assert "/units/440105/users" in body


def test_access_log_is_404_to_those_who_may_not_read_it(client):
    sign_in(client, "prosecutor1@440105")
    assert client.get("/units/440105/access-log").status_code == 404
    sign_in(client, "chief1@440106")
    assert client.get("/units/440105/access-log").status_code == 404


def test_access_log_pages_by_fifty(client, new_client):
    inspector = sign_in(new_client(), "inspector1@440000")
    for _ in range(51):
        inspector.get("/units/440105/users")
    sign_in(client, "admin1@440105")
    first = page(client.get("/units/440105/access-log"))
    assert first.count("inspector1@440000") == 50
    assert "第 1 / 2 页" in first
    second = page(client.get("/units/440105/access-log?page=2"))
    assert second.count("inspector1@440000") == 1
    assert client.get("/units/440105/access-log?page=3").status_code == 404


# ---------------------------------------------------------------- password
def test_changing_the_password_ends_the_users_other_session(new_client):
    mine, other = new_client(), new_client()
    sign_in(mine, "prosecutor3@440105")
    sign_in(other, "prosecutor3@440105")
    r = post(mine, "/account/password", {"current": PASSWORD, "new": "New-pass-2026x",
                                         "repeat": "New-pass-2026x"},
             token_from="/account/password")
    assert r.status_code == 302
    assert "密码已修改" in page(mine.get("/"))
    assert mine.get("/").status_code == 200  # this session carries on
    r = other.get("/units/440105")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    sign_in(new_client(), "prosecutor3@440105", "New-pass-2026x")


def test_a_rejected_new_password_is_explained_on_the_form(client):
    sign_in(client, "prosecutor1@440105")
    r = post(client, "/account/password", {"current": "not-the-password1", "new": "New-pass-2026x",
                                           "repeat": "New-pass-2026x"},
             token_from="/account/password")
    assert r.status_code == 422 and "当前密码不正确" in page(r)
    r = post(client, "/account/password", {"current": PASSWORD, "new": "prosecutor1-abc",
                                           "repeat": "prosecutor1-abc"},
             token_from="/account/password")
    assert r.status_code == 422 and "不得包含用户名" in page(r)
    assert client.get("/").status_code == 200  # nothing changed, still signed in
