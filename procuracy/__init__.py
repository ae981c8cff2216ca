"""Procuracy: one deployment serving a province's procuratorates as tenants.

(The design card calls this package ``platform``; a top-level package of that
name shadows Python's standard ``platform`` module, so it is ``procuracy``.)
"""
from __future__ import annotations

from flask import Flask

from procuracy.config import build_config, read_settings


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings from the environment once, then ``config`` on top."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.update(build_config(read_settings()))
    if config:
        app.config.update(config)
    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_errors(app)
    register_cli(app)
    register_hooks(app)
    return app


def register_extensions(app: Flask) -> None:
    from procuracy import database
    from procuracy.extensions import api, babel, csrf, db, limiter, login_manager, migrate
    from procuracy.i18n import select_locale

    db.init_app(app)
    database.configure(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    from procuracy.api_docs import CommonErrorResponses

    api.init_app(app, spec_kwargs={"extra_plugins": [CommonErrorResponses()]})

    from procuracy.tenants import principal

    principal.register(app)


def register_security(app: Flask) -> None:
    from procuracy import security

    security.register(app)


def register_blueprints(app: Flask) -> None:
    from procuracy.extensions import api, csrf
    from procuracy.health import bp as health_bp
    from procuracy.oversight.jobs_views import bp as jobs_pages_bp
    from procuracy.tenants.api import register_api
    from procuracy.tenants.views import bp as tenants_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(tenants_bp)
    app.register_blueprint(jobs_pages_bp)
    for blueprint in page_blueprints():
        app.register_blueprint(blueprint)
    for blueprint in register_api(api):
        csrf.exempt(blueprint)  # bearer tokens only: no ambient credentials to forge


def page_blueprints() -> list:
    """The web pages of each area (one blueprint per module)."""
    from procuracy.appraisal.review_views import bp as review_pages
    from procuracy.appraisal.views import bp as appraisal_pages
    from procuracy.cases.views import bp as case_pages
    from procuracy.oversight.bulletin_views import bp as bulletin_pages
    from procuracy.oversight.dashboard_views import bp as dashboard_pages
    from procuracy.oversight.ledger_views import bp as ledger_pages
    from procuracy.oversight.monitoring_views import bp as monitoring_pages

    return [case_pages, appraisal_pages, review_pages, ledger_pages, monitoring_pages,
            bulletin_pages, dashboard_pages]


def register_errors(app: Flask) -> None:
    from procuracy.errors import register

    register(app)


def register_hooks(app: Flask) -> None:
    """Work one area does when another's data changes (monitoring after a case change)."""
    from procuracy.oversight import monitoring_hook

    monitoring_hook.install(app)


def register_cli(app: Flask) -> None:
    from procuracy.cases import cli as cases_cli
    from procuracy.cases import cli_intake
    from procuracy.tenants.cli import register

    register(app)
    cases_cli.register(app)
    cli_intake.register(app)
