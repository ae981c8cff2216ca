"""The appraisal and review rows of the isolation matrix
(tests/isolation_matrix_appraisal.py), run row by row against the API."""
from __future__ import annotations

import pytest

from tests.isolation_matrix_appraisal import ROWS
from tests.test_isolation_matrix import _check, bearer, world  # noqa: F401  (fixtures)


def _operations() -> list[tuple[str, str]]:
    return list(dict.fromkeys((r.method, r.endpoint) for r in ROWS))


@pytest.mark.parametrize("operation", [pytest.param(op, id=" ".join(op)) for op in _operations()])
def test_every_viewer_gets_what_the_appraisal_matrix_expects(operation, client, bearer, world):  # noqa: F811
    rows = [r for r in ROWS if (r.method, r.endpoint) == operation]
    failures = [problem for row in rows if (problem := _check(row, client, bearer, world))]
    assert not failures, f"{len(failures)} of {len(rows)} rows fail:\n" + "\n".join(failures)
