"""The app answers: health, the OpenAPI document, a token for a demo account."""


def test_healthz_reports_database_and_queue(client):
    body = client.get("/healthz").get_json()
    assert body["database"] == "ok"
    assert body["queue"] == "in-process"


def test_openapi_document_lists_the_api(client):
    spec = client.get("/api/openapi.json").get_json()
    assert "/api/v1/units/{code}" in spec["paths"]


def test_a_prosecutor_gets_a_token_and_sees_only_their_unit(client, token_for):
    units = client.get("/api/v1/units", headers=token_for("prosecutor1@440105")).get_json()
    assert [u["code"] for u in units] == ["440105"]


def test_an_api_refusal_names_its_status_and_says_why_in_message(client, token_for):
    # A sibling's unit is out of scope: 404, in the shape flask-smorest gives its errors.
    r = client.get("/api/v1/units/440106", headers=token_for("prosecutor1@440105"))
    assert r.status_code == 404
    body = r.get_json()
    assert (body["code"], body["status"]) == (404, "Not Found") and body["message"]
