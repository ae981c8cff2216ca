"""Generated requests for every operation of /api/openapi.json, signed in as several roles.

Schemathesis reads the document the app serves and generates requests for each
operation, valid ones and ones the schema forbids, sends them to the app in process
(WSGI) with a bearer token of a role drawn per example, and checks each answer:

- no 5xx (``not_a_server_error``);
- the status code is one the operation declares: ``status_code_conformance``, and,
  since flask-smorest gives every operation a ``default`` response that satisfies it,
  ``status_code_declared`` here, which wants the code itself named (the refusals of
  the shared layers are declared in one place, ``procuracy/api_docs.py``);
- the content type and the body match what the document says for that status
  (``content_type_conformance``, ``response_schema_conformance``).

Path parameters are sometimes replaced by ids that exist in the test world (units,
cases, people, ...), so requests get past the lookup and into the handlers.
Every example runs inside a savepoint that is rolled back, so what one request
writes (a case, a revoked token) is gone before the next.

``SCHEMATHESIS_EXAMPLES`` sets the examples per operation (default 5, a bounded run for
``make test``); ``make fuzz-api`` runs many more, ``SCHEMATHESIS_SEED`` picks the seed.
"""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import select

from procuracy.extensions import db
from procuracy.tenants.scope import system_scope

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))
SEED = int(os.environ.get("SCHEMATHESIS_SEED", "20261123"))
ROLES = ("prosecutor1@440105", "chief1@440105", "casemanager1@440100", "inspector1@440000",
         "admin1@440105")
CHECKS_NAMES = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
                "response_schema_conformance")


def status_code_declared(_ctx, response, case) -> None:
    """``status_code_conformance`` is satisfied by the ``default`` response every
    operation has; this one wants the code itself named by the operation."""
    declared = {str(code) for code in case.operation.responses.status_codes} - {"default"}
    if str(response.status_code) not in declared:
        raise AssertionError(f"{case.operation.label} answered {response.status_code}, "
                             f"which it does not declare ({', '.join(sorted(declared))})")


def _checks() -> list:
    return [*(getattr(schemathesis.checks, name) for name in CHECKS_NAMES), status_code_declared]


# ---------------------------------------------------------------- the world's ids
def _known_values(client, spec: dict, tokens: dict[str, str]) -> dict[str, list]:
    """Path parameter name -> values that exist in the test world: the ids the list
    operations show the roles (``/x`` lists what ``/x/{x_id}`` takes), and a few more."""
    known: dict[str, set] = {"username": {*ROLES, "prosecutor2@440105", "prosecutor1@440106"},
                             "dimension": {"line", "department", "prosecutor"},
                             "day": {"2026-10-01", "2026-03-02"}}
    for template in spec["paths"]:
        head, _, rest = template.partition("/{")
        if not rest or "get" not in spec["paths"].get(head, {}):
            continue
        name = rest.split("}", 1)[0]
        for token in tokens.values():
            listed = client.get(head, headers={"Authorization": f"Bearer {token}"}).get_json()
            for item in listed if isinstance(listed, list) else []:
                value = item.get("id", item.get("code")) if isinstance(item, dict) else None
                if value is not None:
                    known.setdefault(name, set()).add(value)
    return {name: sorted(values, key=str)[:30] for name, values in known.items()}


def _cases(operation, known: dict[str, list]):
    """Valid and invalid requests for ``operation``; some with path ids that exist."""
    from schemathesis import GenerationMode

    generated = [operation.as_strategy(GenerationMode.POSITIVE),
                 operation.as_strategy(GenerationMode.NEGATIVE)]
    names = [p.name for p in operation.path_parameters]
    if any(known.get(name) for name in names):
        ids = st.fixed_dictionaries({name: st.sampled_from(known[name])
                                     for name in names if known.get(name)})
        generated.append(ids.flatmap(
            lambda values: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=values)))
    return st.one_of(generated)


# ---------------------------------------------------------------- fixtures
@pytest.fixture
def api_schema(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_STORE", str(tmp_path / "documents"))
    monkeypatch.setitem(app.config, "REPORT_STORE", str(tmp_path / "reports"))
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # a 500, not a raise
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False},
                   "stateful": {"enabled": False}},
        "generation": {"max-examples": EXAMPLES, "with-security-parameters": False},
    })
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=config)


@pytest.fixture
def tokens(app) -> dict[str, str]:
    from procuracy.tenants.auth import issue_token
    from procuracy.tenants.models import User

    with system_scope("test: tokens for generated requests"):
        users = db.session.scalars(select(User).where(User.username.in_(ROLES))).all()
        issued = {user.username: issue_token(user)[0] for user in users}
        db.session.commit()
    assert set(issued) == set(ROLES)
    return issued


def _send_and_check(case, token: str, connection) -> int:
    """One request inside a savepoint that is rolled back afterwards; its status."""
    db.session.remove()  # the session's own savepoint must not enclose ours
    savepoint = connection.begin_nested()
    try:
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=_checks())
        return response.status_code
    finally:
        db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()


def _fuzz(operation, known, tokens, connection) -> set[int]:
    """Run the generated examples of one operation; the statuses it answered with."""
    statuses: set[int] = set()

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=_cases(operation, known), role=st.sampled_from(ROLES))
    def run(case, role):
        statuses.add(_send_and_check(case, tokens[role], connection))

    run()
    return statuses


def test_generated_requests_get_documented_answers(api_schema, client, tokens, transaction):
    """Whatever the generator sends, as any role: no 5xx, and the answer is documented."""
    known = _known_values(client, api_schema.raw_schema, tokens)
    assert {"code", "case_id", "group_id", "rule_set_id"} <= set(known), known
    failures, succeeded, tried = {}, [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        tried += 1
        try:
            statuses = _fuzz(operation, known, tokens, transaction)
        except Exception as exc:  # noqa: BLE001 - every operation's failure is reported
            failures[operation.label] = exc
            continue
        if any(200 <= status < 300 for status in statuses):
            succeeded.append(operation.label)
    assert not failures, "\n\n".join(f"== {label}\n{exc}" for label, exc in failures.items())
    assert tried >= 100, "the document lists the API"
    # Not all refused: the tokens work and the requests reach the handlers.
    assert len(succeeded) >= 20, succeeded
    # What the requests wrote was rolled back: no token stays revoked.
    for role, token in tokens.items():
        assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                          ).status_code == 200, role


# ---------------------------------------------------------------- the document's refusals
def test_every_operation_declares_the_refusals_of_the_shared_layers(client):
    """procuracy/api_docs.py: a bad token, not allowed, out of scope, unusable input."""
    spec = client.get("/api/openapi.json").get_json()
    checked = 0
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            codes, what = set(operation["responses"]), f"{method.upper()} {path}"
            if (method, path) == ("post", "/api/v1/auth/token"):
                assert operation["security"] == [], "signing in takes no token"
                assert {"401", "429", "400", "422"} <= codes and "403" not in codes, codes
                continue
            assert {"401", "403"} <= codes, what
            if "{" in path:
                assert {"404", "422"} <= codes, what
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= codes, what
            checked += 1
    assert checked >= 100
