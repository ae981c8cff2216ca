"""Response security headers and the reverse-proxy fix (see docs/SECURITY.md).

Every response says: no framing (``frame-ancestors 'none'`` and ``X-Frame-Options:
DENY``), no MIME sniffing, a same-origin referrer. Pages get a Content Security
Policy that allows scripts, styles, images and fonts from this origin only (the
templates hold no inline ``<script>``, ``on*=`` handler, ``<style>`` or ``style=``;
``tests/test_security.py`` scans them); everything else (JSON, PDFs, Excel, static
files) gets ``default-src 'none'``. ``Strict-Transport-Security`` goes only on
responses to HTTPS requests: behind nginx that needs ``TRUSTED_PROXIES`` (the number
of proxies in front), which makes Werkzeug's ``ProxyFix`` believe their
``X-Forwarded-Proto``/``-For``/``-Host`` headers, so the per-address sign-in limit
also counts the real client address.
"""
from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

PAGE_CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
OTHER_CSP = "default-src 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"

ALWAYS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def security_headers(response: Response) -> Response:
    headers = response.headers
    for name, value in ALWAYS.items():
        headers.setdefault(name, value)
    page = response.mimetype == "text/html"
    headers.setdefault("Content-Security-Policy", PAGE_CSP if page else OTHER_CSP)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def register(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies, x_port=proxies)
    app.after_request(security_headers)
