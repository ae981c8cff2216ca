"""The bulletins rows of the isolation matrix (tests/isolation_matrix_bulletins.py), run
row by row against the API with T's bulletin built first."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from procuracy import queue
from procuracy.extensions import db
from procuracy.oversight.job_models import ReportDocument
from procuracy.tenants.models import Unit
from procuracy.tenants.scope import system_scope
from tests.isolation_matrix_bulletins import PERIOD, ROWS
from tests.test_isolation_matrix import bearer  # noqa: F401  (fixture)


@pytest.fixture
def bulletins(app, tmp_path, monkeypatch) -> dict[str, str]:
    """T's bulletin of PERIOD, for both targets: unit code -> public id."""
    monkeypatch.setitem(app.config, "REPORT_STORE", str(tmp_path / "reports"))
    out = {}
    with system_scope("test: build the matrix's bulletins"):
        for code in ("440105", "440100"):
            unit = db.session.scalars(select(Unit).where(Unit.code == code)).one()
            run = queue.enqueue("monthly_bulletin", unit_id=unit.id, period=PERIOD)
            db.session.refresh(run)
            out[code] = db.session.get(ReportDocument, run.result_document_id).public_id
        db.session.commit()
    return out


def _check(row, client, headers, bulletins) -> str | None:
    target = bulletins[row.target]
    url = row.path.replace("{bulletin_id}", target)
    body = {"unit": row.target, "period": PERIOD} if row.method == "POST" else None
    response = client.open(url, method=row.method, headers=headers, json=body)
    where = f"matrix line {row.line}: {row.id}\n    rule: {row.rule}\n    "
    if response.status_code not in row.statuses:
        return f"{where}got {response.status_code} {response.get_data(as_text=True)[:300]}"
    if row.shows:
        shown = target in {b["id"] for b in response.get_json()}
        if shown != (row.shows == "with T"):
            return f"{where}T {'missing' if row.shows == 'with T' else 'leaked'}"
    return None


@pytest.mark.parametrize("operation", sorted({(r.method, r.endpoint) for r in ROWS}),
                         ids=" ".join)
def test_every_viewer_gets_what_the_bulletins_matrix_expects(operation, client, bearer,  # noqa: F811
                                                             bulletins):
    rows = [r for r in ROWS if (r.method, r.endpoint) == operation]
    failures = [p for r in rows
                if (p := _check(r, client, bearer(r.username) if r.username else {}, bulletins))]
    assert not failures, f"{len(failures)} of {len(rows)} rows fail:\n" + "\n".join(failures)
