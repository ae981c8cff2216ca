"""The isolation matrix of the appraisal and case quality review API
(/api/v1/appraisal, /api/v1/review): rows in the format of tests/isolation_matrix.py
(read its docstring for relations, viewers and expectations), run by
tests/test_isolation_matrix_appraisal.py in a world of its own. The completeness
checks of tests/test_isolation_matrix.py count these rows too.
"""
from __future__ import annotations

from tests.isolation_matrix import parse

# Operations whose per-relation rows are still owed (see PENDING in isolation_matrix.py).
PENDING = {
    ("GET", "/api/v1/appraisal/rule-sets"): "appraisal/review resources in several units",
    ("POST", "/api/v1/appraisal/rule-sets"): "appraisal/review resources in several units",
    ("GET", "/api/v1/appraisal/rule-sets/effective"): "appraisal/review resources in several units",
    ("GET", "/api/v1/appraisal/rule-sets/{rule_set_id}"): "appraisal/review resources in several units",
    ("PATCH", "/api/v1/appraisal/rule-sets/{rule_set_id}"): "appraisal/review resources in several units",
    ("DELETE", "/api/v1/appraisal/rule-sets/{rule_set_id}"): "appraisal/review resources in several units",
    ("POST", "/api/v1/appraisal/rule-sets/{rule_set_id}/validate"): "appraisal/review resources in several units",
    ("POST", "/api/v1/appraisal/rule-sets/{rule_set_id}/publish"): "appraisal/review resources in several units",
    ("POST", "/api/v1/appraisal/rule-sets/{rule_set_id}/sandbox"): "appraisal/review resources in several units",
    ("GET", "/api/v1/appraisal/runs"): "appraisal/review resources in several units",
    ("POST", "/api/v1/appraisal/runs"): "appraisal/review resources in several units",
    ("GET", "/api/v1/appraisal/runs/{run_id}"): "appraisal/review resources in several units",
    ("POST", "/api/v1/appraisal/runs/{run_id}/publish"): "appraisal/review resources in several units",
    ("GET", "/api/v1/appraisal/runs/{run_id}/ranking"): "appraisal/review resources in several units",
    ("GET", "/api/v1/appraisal/runs/{run_id}/scores/{username}"): "appraisal/review resources in several units",
    ("GET", "/api/v1/appraisal/runs/{run_id}/compare/{other_id}"): "appraisal/review resources in several units",
    ("POST", "/api/v1/appraisal/items/{item_id}/objections"): "appraisal/review resources in several units",
    ("GET", "/api/v1/appraisal/objections"): "appraisal/review resources in several units",
    ("POST", "/api/v1/appraisal/objections/{objection_id}/answer"): "appraisal/review resources in several units",
    ("GET", "/api/v1/appraisal/performance/{username}"): "appraisal/review resources in several units",
    ("POST", "/api/v1/appraisal/events"): "appraisal/review resources in several units",
    ("GET", "/api/v1/appraisal/events"): "appraisal/review resources in several units",
    ("POST", "/api/v1/appraisal/manual-scores"): "appraisal/review resources in several units",
    ("GET", "/api/v1/appraisal/manual-scores"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/checklists"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/checklists/{checklist_id}"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/plans"): "appraisal/review resources in several units",
    ("POST", "/api/v1/review/plans"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/plans/{plan_id}"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/plans/{plan_id}/sample"): "appraisal/review resources in several units",
    ("POST", "/api/v1/review/plans/{plan_id}/draw"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/plans/{plan_id}/replay"): "appraisal/review resources in several units",
    ("POST", "/api/v1/review/plans/{plan_id}/start"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/reviews/mine"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/reviews/{review_id}"): "appraisal/review resources in several units",
    ("POST", "/api/v1/review/reviews/{review_id}/results"): "appraisal/review resources in several units",
    ("POST", "/api/v1/review/reviews/{review_id}/submit"): "appraisal/review resources in several units",
    ("POST", "/api/v1/review/reviews/{review_id}/second-review"): "appraisal/review resources in several units",
    ("POST", "/api/v1/review/reviews/{review_id}/resolve"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/findings"): "appraisal/review resources in several units",
    ("POST", "/api/v1/review/findings/{finding_id}/discovery"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/findings/{finding_id}/handover"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/stats/units/{code}"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/stats/units/{code}/by/{dimension}"): "appraisal/review resources in several units",
    ("GET", "/api/v1/review/units/{code}/score"): "appraisal/review resources in several units",
}

MATRIX = """
# operation                                       | relation       | viewer           | expect        | rule
# ---------------------------------------------------------------------------------------------------------------------------
# Operations still PENDING (see above): their anonymous row only, for now.
GET    /api/v1/appraisal/rule-sets                | anonymous      | -                | 401           | no token: refused
POST   /api/v1/appraisal/rule-sets                | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/appraisal/rule-sets/effective      | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/appraisal/rule-sets/{rule_set_id}  | anonymous      | -                | 401           | no token: refused
PATCH  /api/v1/appraisal/rule-sets/{rule_set_id}  | anonymous      | -                | 401/422       | no token: refused
DELETE /api/v1/appraisal/rule-sets/{rule_set_id}  | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/validate | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/publish | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/sandbox | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/appraisal/runs                     | anonymous      | -                | 401           | no token: refused
POST   /api/v1/appraisal/runs                     | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/appraisal/runs/{run_id}            | anonymous      | -                | 401           | no token: refused
POST   /api/v1/appraisal/runs/{run_id}/publish    | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/appraisal/runs/{run_id}/ranking    | anonymous      | -                | 401           | no token: refused
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | anonymous      | -                | 401           | no token: refused
GET    /api/v1/appraisal/runs/{run_id}/compare/{other_id} | anonymous      | -                | 401           | no token: refused
POST   /api/v1/appraisal/items/{item_id}/objections | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/appraisal/objections               | anonymous      | -                | 401           | no token: refused
POST   /api/v1/appraisal/objections/{objection_id}/answer | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/appraisal/performance/{username}   | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/appraisal/events                   | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/appraisal/events                   | anonymous      | -                | 401           | no token: refused
POST   /api/v1/appraisal/manual-scores            | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/appraisal/manual-scores            | anonymous      | -                | 401           | no token: refused
GET    /api/v1/review/checklists                  | anonymous      | -                | 401           | no token: refused
GET    /api/v1/review/checklists/{checklist_id}   | anonymous      | -                | 401           | no token: refused
GET    /api/v1/review/plans                       | anonymous      | -                | 401           | no token: refused
POST   /api/v1/review/plans                       | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/review/plans/{plan_id}             | anonymous      | -                | 401           | no token: refused
GET    /api/v1/review/plans/{plan_id}/sample      | anonymous      | -                | 401           | no token: refused
POST   /api/v1/review/plans/{plan_id}/draw        | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/review/plans/{plan_id}/replay      | anonymous      | -                | 401           | no token: refused
POST   /api/v1/review/plans/{plan_id}/start       | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/review/reviews/mine                | anonymous      | -                | 401           | no token: refused
GET    /api/v1/review/reviews/{review_id}         | anonymous      | -                | 401           | no token: refused
POST   /api/v1/review/reviews/{review_id}/results | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/review/reviews/{review_id}/submit  | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/review/reviews/{review_id}/second-review | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/review/reviews/{review_id}/resolve | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/review/findings                    | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/review/findings/{finding_id}/discovery | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/review/findings/{finding_id}/handover | anonymous      | -                | 401           | no token: refused
GET    /api/v1/review/stats/units/{code}          | anonymous      | -                | 401           | no token: refused
GET    /api/v1/review/stats/units/{code}/by/{dimension} | anonymous      | -                | 401           | no token: refused
GET    /api/v1/review/units/{code}/score          | anonymous      | -                | 401           | no token: refused
"""

ROWS = parse(MATRIX)
