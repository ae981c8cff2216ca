"""Web pages of the tenants domain (placeholder until the pages land)."""
from __future__ import annotations

from flask import Blueprint, redirect, url_for

bp = Blueprint("tenants", __name__)


@bp.get("/")
def index():
    return redirect(url_for("tenants.login"))


@bp.get("/login")
def login():
    return "login"
