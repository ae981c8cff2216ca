"""The app as gunicorn serves it for the load test: ``wsgi.py``'s app, with the uploaded
documents kept in the run's own folder (``LOAD_DOCUMENT_STORE``) instead of instance/.

    gunicorn 'bench.load.wsgi:create()'
"""
from __future__ import annotations

import os


def create():
    from procuracy import create_app

    store = os.environ.get("LOAD_DOCUMENT_STORE")
    return create_app({"DOCUMENT_STORE": store} if store else None)
