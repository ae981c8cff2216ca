"""The app as the browser journeys serve it: ``wsgi``'s app (configured from the
environment like ``make demo``), with the uploaded documents kept in the run's own
folder (``E2E_DOCUMENT_STORE``) rather than in ``instance/``.

``flask --app tests.e2e.serve:create run ...`` (see ``tests/e2e/conftest.py``).
"""
from __future__ import annotations

import os

from flask import Flask

from procuracy import create_app


def create() -> Flask:
    app = create_app()
    store = os.environ.get("E2E_DOCUMENT_STORE")
    if store:
        app.config["DOCUMENT_STORE"] = store
    return app
