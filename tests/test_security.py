"""Security hardening of the web layer (docs/SECURITY.md): response headers, the
Content Security Policy and the templates it relies on, HSTS only over HTTPS (behind a
trusted proxy too), CSRF on every form and every page POST, the API refusing session
cookies, and the session cookie's flags.

Sign-in, passwords, locking, tokens and uploads are in tests/test_security_auth.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask, request
from flask_wtf.csrf import CSRFError

from procuracy import security
from procuracy.config import build_config, read_settings
from procuracy.extensions import csrf
from tests.conftest import PASSWORD

ROOT = Path(__file__).parents[1]
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = response.headers.get("Content-Security-Policy", "")
    parts = [p.split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def csrf_token(client, url: str = "/login") -> str:
    match = TOKEN.search(client.get(url, follow_redirects=True).get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def sign_in(client, username: str, **kwargs):
    r = client.post("/login", data={"username": username, "password": PASSWORD,
                                    "csrf_token": csrf_token(client)}, **kwargs)
    assert r.status_code == 302, r.get_data(as_text=True)
    return r


# ---------------------------------------------------------------- headers
def assert_common_headers(response) -> None:
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert csp(response)["frame-ancestors"] == ["'none'"]


def test_pages_carry_a_policy_that_allows_only_this_origins_scripts_and_styles(client):
    sign_in(client, "inspector1@440000")
    for url in ("/login", "/", "/dashboard", "/units/440105/users", "/no-such-page"):
        r = client.get(url)
        assert r.mimetype == "text/html", url
        assert_common_headers(r)
        policy = csp(r)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]
        assert not any("unsafe" in src for sources in policy.values() for src in sources)


def test_api_answers_carry_a_policy_that_allows_nothing(client, token_for):
    for r in (client.get("/api/v1/me", headers=token_for("chief1@440105")),
              client.get("/api/v1/me"),  # the 401 too
              client.get("/api/openapi.json")):
        assert r.mimetype == "application/json"
        assert_common_headers(r)
        assert csp(r)["default-src"] == ["'none'"]


def _templates_and_static():
    for folder in ("templates", "static"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".html", ".css", ".js", ".svg") and "reports" not in path.parts:
                yield path


@pytest.mark.parametrize("path", list(_templates_and_static()),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_needs_inline_script_or_style(path):
    """What the policy would block: inline scripts, event handlers, javascript: URLs,
    <style> blocks and style= attributes. (templates/reports/ is WeasyPrint's, never
    served as a page.)"""
    text = re.sub(r"/\*.*?\*/|\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
    if path.suffix == ".css":
        assert "expression(" not in text
        return
    assert not re.search(r"<script\b(?![^>]*\bsrc=)", text, re.I), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text, re.I), "an on*= event handler"
    assert "javascript:" not in text.lower()
    assert not re.search(r"<style\b", text, re.I), "a <style> block: use static/css"
    assert not re.search(r"\sstyle\s*=", text, re.I), "a style= attribute: use a class"


def test_the_dashboard_charts_have_no_inline_style(client):
    sign_in(client, "inspector1@440000")
    body = client.get("/dashboard").get_data(as_text=True)
    assert "<svg" in body
    assert not re.search(r"<style\b|\sstyle\s*=|<script\b", body, re.I)


def test_hsts_is_sent_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    r = client.get("/login", base_url="https://localhost")
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # A forwarded header from an untrusted client changes nothing.
    r = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in r.headers


def test_behind_a_trusted_proxy_its_forwarded_scheme_and_address_count():
    assert build_config(read_settings({}))["TRUSTED_PROXIES"] == 0
    assert build_config(read_settings({"TRUSTED_PROXIES": "1"}))["TRUSTED_PROXIES"] == 1
    probe = Flask(__name__)
    probe.config["TRUSTED_PROXIES"] = 1
    security.register(probe)

    @probe.get("/")
    def where():
        return {"secure": request.is_secure, "addr": request.remote_addr}

    r = probe.test_client().get("/", headers={"X-Forwarded-Proto": "https",
                                              "X-Forwarded-For": "203.0.113.9"})
    assert r.get_json() == {"secure": True, "addr": "203.0.113.9"}
    assert "max-age" in r.headers["Strict-Transport-Security"]


# ---------------------------------------------------------------- CSRF
def test_every_post_form_in_the_templates_carries_a_csrf_token():
    forms = 0
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<form\b([^>]*)>(.*?)</form>", text, re.S | re.I):
            if re.search(r"method\s*=\s*\"?post", match.group(1), re.I):
                forms += 1
                assert re.search(r"csrf_token\(\)|csrf_field\(\)|hidden_tag\(\)",
                                 match.group(2)), f"{path.name}: {match.group(0)[:120]}"
    assert forms >= 30


def _page_write_urls(app) -> list[str]:
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or not rule.methods & {"POST", "PUT", "PATCH",
                                                                  "DELETE"}:
            continue
        urls.append(adapter.build(rule.endpoint, {a: 1 for a in rule.arguments}))
    return urls


def test_every_page_post_without_the_token_is_refused_before_it_runs(app, client, monkeypatch):
    refused = []
    check = csrf.protect

    def recording_check(*args, **kwargs):
        try:
            check(*args, **kwargs)
        except CSRFError:
            refused.append(request.path)
            raise

    monkeypatch.setattr(csrf, "protect", recording_check)
    sign_in(client, "admin1@440105")
    urls = _page_write_urls(app)
    assert len(urls) >= 30 and "/account/password" in urls
    for url in urls:
        assert client.post(url, data={"note": "x"}).status_code == 400, url
    assert refused == urls
    # ... and a wrong token is no better than none.
    r = client.post("/account/password", data={"current": PASSWORD, "new": "Another-pass-77",
                                                "repeat": "Another-pass-77",
                                                "csrf_token": "forged"})
    assert r.status_code == 400
    sign_in(app.test_client(), "admin1@440105")  # the password did not change


def test_the_api_ignores_the_session_cookie(client):
    """The API is exempt from CSRF because it takes bearer tokens only: a signed-in
    browser's cookie carries no authority there, so a forged cross-site call is a 401."""
    sign_in(client, "chief1@440105")
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 401
    r = client.post("/api/v1/meetings", json={})
    assert r.status_code in (401, 422) and r.status_code != 201
    r = client.delete("/api/v1/auth/token")
    assert r.status_code == 401


# ---------------------------------------------------------------- cookies
def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return cookies[-1]


def test_production_session_cookies_are_secure_httponly_and_samesite(app, client, monkeypatch):
    production = build_config(read_settings({"APP_ENV": "production",
                                             "SECRET_KEY": "k" * 40}))
    for key in ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
                "REMEMBER_COOKIE_SECURE", "REMEMBER_COOKIE_HTTPONLY"):
        monkeypatch.setitem(app.config, key, production[key])
    assert production["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    https = "https://localhost"
    token = TOKEN.search(client.get("/login", base_url=https).get_data(as_text=True)).group(1)
    form = {"username": "chief1@440105", "password": PASSWORD, "csrf_token": token}
    # Over HTTPS Flask-WTF also wants a same-origin Referer.
    assert client.post("/login", base_url=https, data=form).status_code == 400
    r = client.post("/login", base_url=https, data=form,
                    headers={"Referer": f"{https}/login"})
    assert r.status_code == 302
    cookie = _session_cookie(r).lower()
    assert "; secure" in cookie and "; httponly" in cookie and "; samesite=lax" in cookie


def test_development_cookies_are_httponly_and_samesite_but_work_over_http(client):
    r = sign_in(client, "chief1@440105")
    cookie = _session_cookie(r).lower()
    assert "; httponly" in cookie and "; samesite=lax" in cookie
    assert "; secure" not in cookie  # make demo serves http://127.0.0.1
