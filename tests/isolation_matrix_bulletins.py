"""The isolation matrix of the bulletins API (/api/v1/bulletins): rows in the format of
tests/isolation_matrix.py (read its docstring for relations, viewers and expectations),
run by tests/test_isolation_matrix_bulletins.py. ``{bulletin_id}`` is T's bulletin of
PERIOD; POST sends ``{"unit": T, "period": PERIOD}``; ``with T`` on the list means T's
bulletin is in the inbox. What the receipts list holds (a reader's unit and the units
above it see the receipt, a sibling does not) is in tests/test_bulletin_receipts.py."""
from __future__ import annotations

from tests.isolation_matrix import parse

PENDING: dict = {}
PERIOD = "2019-05"

MATRIX = """
# operation                                     | relation       | viewer       | expect        | rule
GET    /api/v1/bulletins                        | same           | chief1       | 200 with T    | a bulletin is delivered to its unit's chief
GET    /api/v1/bulletins                        | same           | casemanager1 | 200 with T    | and to its case managers
GET    /api/v1/bulletins                        | same           | prosecutor1  | 403           | prosecutors do not read bulletins
GET    /api/v1/bulletins                        | sibling        | chief1       | 200 without T | no sideways reads
GET    /api/v1/bulletins                        | parent         | casemanager1 | 200 with T    | supervision reads the districts' bulletins
GET    /api/v1/bulletins                        | parent         | prosecutor1  | 403           | prosecutors do not read bulletins
GET    /api/v1/bulletins                        | grandparent    | inspector1   | 200 with T    | supervision reaches grandchildren
GET    /api/v1/bulletins                        | child          | chief1       | 200 without T | nobody reads up
GET    /api/v1/bulletins                        | other city     | chief1       | 200 without T | no sideways reads
GET    /api/v1/bulletins                        | uncle          | casemanager1 | 200 without T | supervision stops at one's own subtree
GET    /api/v1/bulletins                        | other province | chief1       | 200 without T | no reads across provinces
GET    /api/v1/bulletins                        | anonymous      | -            | 401           | the API takes bearer tokens only

POST   /api/v1/bulletins                        | same           | casemanager1 | 202           | a unit builds its own bulletin on demand
POST   /api/v1/bulletins                        | same           | prosecutor1  | 403           | prosecutors do not build bulletins
POST   /api/v1/bulletins                        | sibling        | casemanager1 | 404           | not a sibling's
POST   /api/v1/bulletins                        | parent         | casemanager1 | 202           | a city builds its district's
POST   /api/v1/bulletins                        | grandparent    | inspector1   | 202           | the province builds any of its tree's
POST   /api/v1/bulletins                        | child          | chief1       | 404           | nobody builds up the tree
POST   /api/v1/bulletins                        | other city     | chief1       | 404           | no sideways builds
POST   /api/v1/bulletins                        | other province | chief1       | 404           | no builds across provinces
POST   /api/v1/bulletins                        | anonymous      | -            | 401/422       | the API takes bearer tokens only

GET    /api/v1/bulletins/{bulletin_id}/pdf      | same           | chief1       | 200           | the unit's chief downloads it
GET    /api/v1/bulletins/{bulletin_id}/pdf      | same           | prosecutor1  | 403           | prosecutors do not read bulletins
GET    /api/v1/bulletins/{bulletin_id}/pdf      | sibling        | chief1       | 404           | no sideways reads
GET    /api/v1/bulletins/{bulletin_id}/pdf      | parent         | casemanager1 | 200           | supervision reads down
GET    /api/v1/bulletins/{bulletin_id}/pdf      | grandparent    | inspector1   | 200           | supervision reaches grandchildren
GET    /api/v1/bulletins/{bulletin_id}/pdf      | child          | chief1       | 404           | nobody reads up
GET    /api/v1/bulletins/{bulletin_id}/pdf      | other city     | chief1       | 404           | no sideways reads
GET    /api/v1/bulletins/{bulletin_id}/pdf      | other province | chief1       | 404           | no reads across provinces
GET    /api/v1/bulletins/{bulletin_id}/pdf      | anonymous      | -            | 401           | the API takes bearer tokens only

GET    /api/v1/bulletins/{bulletin_id}/receipts | same           | chief1       | 200           | the unit's chief sees who has read its bulletin
GET    /api/v1/bulletins/{bulletin_id}/receipts | same           | prosecutor1  | 403           | prosecutors do not read bulletins
GET    /api/v1/bulletins/{bulletin_id}/receipts | sibling        | chief1       | 404           | no sideways reads
GET    /api/v1/bulletins/{bulletin_id}/receipts | parent         | casemanager1 | 200           | the city sees who in its district has read it
GET    /api/v1/bulletins/{bulletin_id}/receipts | grandparent    | inspector1   | 200           | supervision reaches grandchildren
GET    /api/v1/bulletins/{bulletin_id}/receipts | child          | chief1       | 404           | nobody reads up
GET    /api/v1/bulletins/{bulletin_id}/receipts | other city     | chief1       | 404           | no sideways reads
GET    /api/v1/bulletins/{bulletin_id}/receipts | uncle          | casemanager1 | 404           | supervision stops at one's own subtree
GET    /api/v1/bulletins/{bulletin_id}/receipts | other province | chief1       | 404           | no reads across provinces
GET    /api/v1/bulletins/{bulletin_id}/receipts | anonymous      | -            | 401           | the API takes bearer tokens only
"""

ROWS = parse(MATRIX)
