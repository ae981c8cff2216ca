"""Locale choice: Simplified Chinese unless the user picked English."""
from __future__ import annotations

from flask import current_app, request, session


def select_locale() -> str:
    choice = request.args.get("lang") or session.get("lang")
    if choice in current_app.config["LANGUAGES"]:
        return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]
