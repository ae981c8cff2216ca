"""The isolation matrix of the appraisal and case quality review API
(/api/v1/appraisal, /api/v1/review): rows in the format of tests/isolation_matrix.py
(read its docstring for relations, viewers and expectations), run by
tests/test_isolation_matrix_appraisal.py in a world of its own (its
``appraisal_world`` fixture, on top of the core one). The completeness checks of
tests/test_isolation_matrix.py count these rows too.

T's resources, for T = 440105 and (for the "child" relation) T = 440100:

- ``{rule_set_id}``: T's draft of its prosecutors' monthly rules (case management's;
  440105 also has its published version 1 from the seed).
- ``{run_id}``: T's official run of 2026-03, published; ``{other_id}`` (and
  ``{run_id}`` of POST .../publish) its run of 2026-04, computed, not published.
- ``{username}``: prosecutor1 of T, who has a score in both runs; ``{item_id}`` an
  item of that score; ``{objection_id}`` prosecutor1's open objection to another item.
  prosecutor1 also has a score event and a hand-entered value (2025-12, W01).
- ``{checklist_id}``: the province's published checklist (T's tree uses it).
- ``{plan_id}``: the parent's blind cross-review of four closed cases of T (handled
  by prosecutor1), the reviewing unit a sibling of T (440106 for 440105, 440300 for
  440100), reviewers prosecutor1 and prosecutor3 there; drawn and started, so its
  order runs now. POST .../draw takes a second plan not drawn yet, POST .../start a
  third one drawn but not started.
- ``{review_id}``: a review of that plan, owned by the reviewing unit: prosecutor1's
  first round with every item answered (GET, results, submit); for second-review one
  that waits for prosecutor3 as second reviewer; for resolve a disputed one.
- ``{finding_id}``: a finding of a final review of that plan (prosecutor3 failed
  WS-02); ``{dimension}`` is ``prosecutor``.

Writes send a valid body. The rows of one operation run in order in one world, so
a write that succeeds once and then cannot succeed again (publish, discard, draw,
start, submit, resolve ...) has its rightful row last.

``with T`` and ``without T`` name, per operation, what is T's: the draft rule set,
the run, the objection, the event, the hand-entered value, the checklist, the plan or
a review of it (by id); the rule set in force or a new rule set or run is T's when its
unit is T; for the other answers T's sampled cases (number or id), the scored
prosecutor's name, or the finding's id appear in the answer.
"""
from __future__ import annotations

from tests.isolation_matrix import parse

# Operations whose per-relation rows are still owed (see PENDING in isolation_matrix.py).
PENDING: dict[tuple[str, str], str] = {}

MATRIX = """
# operation                                       | relation       | viewer           | expect        | rule
# ---------------------------------------------------------------------------------------------------------------------------
# ---------------------------------------------------------------- rule sets
GET    /api/v1/appraisal/rule-sets?unit={code}    | same           | prosecutor1      | 200 with T    | a unit's own rule sets are listed to its staff, drafts too
GET    /api/v1/appraisal/rule-sets?unit={code}    | same           | casemanager1     | 200 with T    | case management lists its unit's rule sets
GET    /api/v1/appraisal/rule-sets?unit={code}    | sibling        | chief1           | 404           | no sideways reads, even for a chief
GET    /api/v1/appraisal/rule-sets                | sibling        | chief1           | 200 without T | a sibling's own list holds only its path up the tree
GET    /api/v1/appraisal/rule-sets?unit={code}    | parent         | casemanager1     | 200 with T    | supervision lists the district's rule sets, drafts too
GET    /api/v1/appraisal/rule-sets?unit={code}    | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/rule-sets?unit={code}    | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/appraisal/rule-sets?unit={code}    | child          | chief1           | 404           | nobody reads up
GET    /api/v1/appraisal/rule-sets                | child          | chief1           | 200 without T | the city's published rules reach down, its draft does not
GET    /api/v1/appraisal/rule-sets?unit={code}    | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/rule-sets?unit={code}    | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/appraisal/rule-sets?unit={code}    | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/rule-sets                | other province | chief1           | 200 without T | no listing across provinces
GET    /api/v1/appraisal/rule-sets                | anonymous      | -                | 401           | the API takes bearer tokens only

POST   /api/v1/appraisal/rule-sets                | same           | casemanager1     | 201 with T    | case management drafts its own unit's rules
POST   /api/v1/appraisal/rule-sets                | same           | prosecutor1      | 403           | a prosecutor does not edit the rules
POST   /api/v1/appraisal/rule-sets                | sibling        | chief1           | 201 without T | a draft is always of the author's own unit
POST   /api/v1/appraisal/rule-sets                | parent         | casemanager1     | 201 without T | supervision drafts its own rules, never a district's
POST   /api/v1/appraisal/rule-sets                | grandparent    | casemanager1     | 201 without T | the province drafts its own template
POST   /api/v1/appraisal/rule-sets                | grandparent    | inspector1       | 403           | an inspector does not edit rules
POST   /api/v1/appraisal/rule-sets                | child          | chief1           | 201 without T | a district drafts its own rules, never its city's
POST   /api/v1/appraisal/rule-sets                | other city     | chief1           | 201 without T | a draft is always of the author's own unit
POST   /api/v1/appraisal/rule-sets                | other province | chief1           | 201 without T | a draft is always of the author's own unit
POST   /api/v1/appraisal/rule-sets                | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/appraisal/rule-sets/effective?period=2026-03&unit={code} | same           | prosecutor1      | 200 with T    | the unit's own version is in force for it
GET    /api/v1/appraisal/rule-sets/effective?period=2026-03&unit={code} | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/rule-sets/effective?period=2026-03 | sibling        | chief1           | 200 without T | a sibling's rules in force are not T's
GET    /api/v1/appraisal/rule-sets/effective?period=2026-03&unit={code} | parent         | casemanager1     | 200 with T    | supervision reads the rules in force below
GET    /api/v1/appraisal/rule-sets/effective?period=2026-03&unit={code} | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/rule-sets/effective?period=2026-03&unit={code} | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/appraisal/rule-sets/effective?period=2026-03&unit={code} | child          | chief1           | 404           | nobody reads up
GET    /api/v1/appraisal/rule-sets/effective?period=2026-03&unit={code} | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/rule-sets/effective?period=2026-03&unit={code} | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/rule-sets/effective      | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/appraisal/rule-sets/{rule_set_id}  | same           | prosecutor1      | 200           | a unit's staff read its draft rules
GET    /api/v1/appraisal/rule-sets/{rule_set_id}  | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/rule-sets/{rule_set_id}  | parent         | casemanager1     | 200           | supervision reads down
GET    /api/v1/appraisal/rule-sets/{rule_set_id}  | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/rule-sets/{rule_set_id}  | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/appraisal/rule-sets/{rule_set_id}  | child          | chief1           | 404           | a city's draft does not reach down (only published versions do)
GET    /api/v1/appraisal/rule-sets/{rule_set_id}  | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/rule-sets/{rule_set_id}  | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/appraisal/rule-sets/{rule_set_id}  | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/rule-sets/{rule_set_id}  | anonymous      | -                | 401           | no token: refused

PATCH  /api/v1/appraisal/rule-sets/{rule_set_id}  | same           | casemanager1     | 200           | case management edits its unit's draft
PATCH  /api/v1/appraisal/rule-sets/{rule_set_id}  | same           | prosecutor1      | 403           | a prosecutor reads the draft but does not edit it
PATCH  /api/v1/appraisal/rule-sets/{rule_set_id}  | sibling        | chief1           | 404           | no sideways writes
PATCH  /api/v1/appraisal/rule-sets/{rule_set_id}  | parent         | casemanager1     | 403           | supervision reads down, never writes down
PATCH  /api/v1/appraisal/rule-sets/{rule_set_id}  | grandparent    | casemanager1     | 403           | supervision reads down, never writes down
PATCH  /api/v1/appraisal/rule-sets/{rule_set_id}  | child          | chief1           | 404           | nobody reads or writes up
PATCH  /api/v1/appraisal/rule-sets/{rule_set_id}  | other city     | chief1           | 404           | no sideways writes
PATCH  /api/v1/appraisal/rule-sets/{rule_set_id}  | other province | chief1           | 404           | no writes across provinces
PATCH  /api/v1/appraisal/rule-sets/{rule_set_id}  | anonymous      | -                | 401/422       | no token: refused

# (a write that succeeds comes last: the rows of one operation share one world)
DELETE /api/v1/appraisal/rule-sets/{rule_set_id}  | same           | prosecutor1      | 403           | a prosecutor does not discard the unit's draft
DELETE /api/v1/appraisal/rule-sets/{rule_set_id}  | sibling        | chief1           | 404           | no sideways writes
DELETE /api/v1/appraisal/rule-sets/{rule_set_id}  | parent         | casemanager1     | 403           | supervision never writes down
DELETE /api/v1/appraisal/rule-sets/{rule_set_id}  | grandparent    | casemanager1     | 403           | supervision never writes down
DELETE /api/v1/appraisal/rule-sets/{rule_set_id}  | child          | chief1           | 404           | nobody writes up
DELETE /api/v1/appraisal/rule-sets/{rule_set_id}  | other city     | chief1           | 404           | no sideways writes
DELETE /api/v1/appraisal/rule-sets/{rule_set_id}  | other province | chief1           | 404           | no writes across provinces
DELETE /api/v1/appraisal/rule-sets/{rule_set_id}  | anonymous      | -                | 401/422       | no token: refused
DELETE /api/v1/appraisal/rule-sets/{rule_set_id}  | same           | casemanager1     | 204           | case management discards its unit's draft

POST   /api/v1/appraisal/rule-sets/{rule_set_id}/validate | same           | prosecutor1      | 200           | whoever reads a rule set may have it checked (nothing changes)
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/validate | sibling        | chief1           | 404           | no sideways reads
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/validate | parent         | casemanager1     | 200           | supervision reads down
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/validate | grandparent    | inspector1       | 200           | supervision reaches grandchildren
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/validate | child          | chief1           | 404           | a city's draft does not reach down
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/validate | other city     | chief1           | 404           | no sideways reads
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/validate | other province | chief1           | 404           | no reads across provinces
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/validate | anonymous      | -                | 401/422       | no token: refused

POST   /api/v1/appraisal/rule-sets/{rule_set_id}/publish | same           | prosecutor1      | 403           | a prosecutor does not publish the rules
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/publish | sibling        | chief1           | 404           | no sideways writes
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/publish | parent         | casemanager1     | 403           | supervision never publishes a district's rules
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/publish | grandparent    | casemanager1     | 403           | supervision never publishes a district's rules
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/publish | child          | chief1           | 404           | nobody writes up
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/publish | other city     | chief1           | 404           | no sideways writes
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/publish | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/publish | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/publish | same           | casemanager1     | 200           | case management publishes its unit's draft

POST   /api/v1/appraisal/rule-sets/{rule_set_id}/sandbox | same           | casemanager1     | 200           | case management tries its draft on a past month of its unit
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/sandbox | same           | prosecutor1      | 403           | a prosecutor computes no scores
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/sandbox | sibling        | chief1           | 404           | no sideways reads
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/sandbox | parent         | casemanager1     | 422           | a district's draft is no rule set of the city's: refused by content
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/sandbox | grandparent    | inspector1       | 403           | an inspector computes no scores
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/sandbox | child          | chief1           | 404           | a city's draft does not reach down
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/sandbox | other city     | chief1           | 404           | no sideways reads
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/sandbox | other province | chief1           | 404           | no reads across provinces
POST   /api/v1/appraisal/rule-sets/{rule_set_id}/sandbox | anonymous      | -                | 401/422       | no token: refused

# ---------------------------------------------------------------- score runs
GET    /api/v1/appraisal/runs?unit={code}         | same           | prosecutor1      | 200 with T    | a published run is read by the whole unit
GET    /api/v1/appraisal/runs?unit={code}         | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/runs                     | sibling        | chief1           | 200 empty     | a sibling lists its own runs only (it has none)
GET    /api/v1/appraisal/runs?unit={code}         | sibling        | prosecutor1      | 404           | a cross-reviewer reads the ordered cases, not the unit's scores
GET    /api/v1/appraisal/runs?unit={code}         | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/appraisal/runs?unit={code}         | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/runs?unit={code}         | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/appraisal/runs?unit={code}         | child          | chief1           | 404           | nobody reads up
GET    /api/v1/appraisal/runs?unit={code}         | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/runs?unit={code}         | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/appraisal/runs?unit={code}         | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/runs                     | anonymous      | -                | 401           | no token: refused

POST   /api/v1/appraisal/runs                     | same           | casemanager1     | 201 with T    | case management computes its unit's scores
POST   /api/v1/appraisal/runs                     | same           | prosecutor1      | 403           | a prosecutor computes no scores
POST   /api/v1/appraisal/runs                     | sibling        | chief1           | 201 without T | a run is always of the runner's own unit
POST   /api/v1/appraisal/runs                     | parent         | casemanager1     | 201 without T | supervision computes its own unit's scores, never a district's
POST   /api/v1/appraisal/runs                     | grandparent    | inspector1       | 403           | an inspector computes no scores
POST   /api/v1/appraisal/runs                     | child          | chief1           | 201 without T | a district computes its own scores, never its city's
POST   /api/v1/appraisal/runs                     | other city     | chief1           | 201 without T | a run is always of the runner's own unit
POST   /api/v1/appraisal/runs                     | other province | chief1           | 201 without T | a run is always of the runner's own unit
POST   /api/v1/appraisal/runs                     | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/appraisal/runs/{run_id}            | same           | prosecutor1      | 200           | a published run is read by the whole unit
GET    /api/v1/appraisal/runs/{run_id}            | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/runs/{run_id}            | sibling        | prosecutor1      | 404           | a cross-reviewer reads the ordered cases, not the unit's scores
GET    /api/v1/appraisal/runs/{run_id}            | parent         | casemanager1     | 200           | supervision reads down
GET    /api/v1/appraisal/runs/{run_id}            | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/runs/{run_id}            | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/appraisal/runs/{run_id}            | child          | chief1           | 404           | nobody reads up
GET    /api/v1/appraisal/runs/{run_id}            | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/runs/{run_id}            | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/runs/{run_id}            | anonymous      | -                | 401           | no token: refused

POST   /api/v1/appraisal/runs/{run_id}/publish    | same           | prosecutor1      | 404           | an unpublished run is not shown to the unit's prosecutors
POST   /api/v1/appraisal/runs/{run_id}/publish    | same           | deputy1          | 403           | a deputy reads the run but does not publish it
POST   /api/v1/appraisal/runs/{run_id}/publish    | sibling        | chief1           | 404           | no sideways writes
POST   /api/v1/appraisal/runs/{run_id}/publish    | parent         | casemanager1     | 403           | supervision reads the run, never publishes it
POST   /api/v1/appraisal/runs/{run_id}/publish    | grandparent    | inspector1       | 403           | supervision reads the run, never publishes it
POST   /api/v1/appraisal/runs/{run_id}/publish    | child          | chief1           | 404           | nobody reads or writes up
POST   /api/v1/appraisal/runs/{run_id}/publish    | other city     | chief1           | 404           | no sideways writes
POST   /api/v1/appraisal/runs/{run_id}/publish    | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/appraisal/runs/{run_id}/publish    | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/appraisal/runs/{run_id}/publish    | same           | casemanager1     | 200           | case management publishes its unit's run

GET    /api/v1/appraisal/runs/{run_id}/ranking    | same           | prosecutor2      | 200 with T    | the whole unit reads a published ranking
GET    /api/v1/appraisal/runs/{run_id}/ranking    | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/runs/{run_id}/ranking    | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/appraisal/runs/{run_id}/ranking    | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/runs/{run_id}/ranking    | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/appraisal/runs/{run_id}/ranking    | child          | chief1           | 404           | nobody reads up
GET    /api/v1/appraisal/runs/{run_id}/ranking    | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/runs/{run_id}/ranking    | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/runs/{run_id}/ranking    | anonymous      | -                | 401           | no token: refused

GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | same           | prosecutor1      | 200 with T    | a prosecutor reads their own score and its trace
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | same           | prosecutor2      | 404           | not a colleague's score
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | same           | depthead1        | 404           | a department head is no keeper of the scores
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | same           | casemanager1     | 200 with T    | case management reads every score of the unit
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | same           | chief1           | 200 with T    | the unit's leaders read every score
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | parent         | chief1           | 200 with T    | the leaders above read down
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | child          | chief1           | 404           | nobody reads up
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/runs/{run_id}/scores/{username} | anonymous      | -                | 401           | no token: refused

GET    /api/v1/appraisal/runs/{run_id}/compare/{other_id} | same           | casemanager1     | 200 with T    | case management compares its unit's runs
GET    /api/v1/appraisal/runs/{run_id}/compare/{other_id} | same           | prosecutor1      | 404           | an unpublished run is not shown to the unit's prosecutors
GET    /api/v1/appraisal/runs/{run_id}/compare/{other_id} | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/runs/{run_id}/compare/{other_id} | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/appraisal/runs/{run_id}/compare/{other_id} | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/runs/{run_id}/compare/{other_id} | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/appraisal/runs/{run_id}/compare/{other_id} | child          | chief1           | 404           | nobody reads up
GET    /api/v1/appraisal/runs/{run_id}/compare/{other_id} | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/runs/{run_id}/compare/{other_id} | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/runs/{run_id}/compare/{other_id} | anonymous      | -                | 401           | no token: refused

# ---------------------------------------------------------------- objections
POST   /api/v1/appraisal/items/{item_id}/objections | same           | prosecutor1      | 201           | the person scored objects to an item of their published score
POST   /api/v1/appraisal/items/{item_id}/objections | same           | prosecutor2      | 404           | not a colleague's score
POST   /api/v1/appraisal/items/{item_id}/objections | same           | casemanager1     | 403           | case management reads the item but objects for nobody
POST   /api/v1/appraisal/items/{item_id}/objections | sibling        | chief1           | 404           | no sideways reads
POST   /api/v1/appraisal/items/{item_id}/objections | parent         | casemanager1     | 403           | supervision reads the item but objects for nobody
POST   /api/v1/appraisal/items/{item_id}/objections | grandparent    | inspector1       | 403           | supervision reads the item but objects for nobody
POST   /api/v1/appraisal/items/{item_id}/objections | child          | chief1           | 404           | nobody reads up
POST   /api/v1/appraisal/items/{item_id}/objections | other city     | chief1           | 404           | no sideways reads
POST   /api/v1/appraisal/items/{item_id}/objections | other province | chief1           | 404           | no reads across provinces
POST   /api/v1/appraisal/items/{item_id}/objections | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/appraisal/objections?unit={code}   | same           | prosecutor1      | 200 with T    | a prosecutor lists their own objections
GET    /api/v1/appraisal/objections?unit={code}   | same           | prosecutor2      | 200 empty     | not a colleague's objections
GET    /api/v1/appraisal/objections?unit={code}   | same           | casemanager1     | 200 with T    | case management lists the unit's objections
GET    /api/v1/appraisal/objections?unit={code}   | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/objections               | sibling        | chief1           | 200 empty     | a sibling lists its own objections only (it has none)
GET    /api/v1/appraisal/objections?unit={code}   | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/appraisal/objections?unit={code}   | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/objections?unit={code}   | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/appraisal/objections?unit={code}   | child          | chief1           | 404           | nobody reads up
GET    /api/v1/appraisal/objections?unit={code}   | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/objections?unit={code}   | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/objections               | anonymous      | -                | 401           | no token: refused

POST   /api/v1/appraisal/objections/{objection_id}/answer | same           | prosecutor1      | 403           | nobody answers their own objection
POST   /api/v1/appraisal/objections/{objection_id}/answer | same           | prosecutor2      | 403           | a colleague does not answer it
POST   /api/v1/appraisal/objections/{objection_id}/answer | sibling        | chief1           | 404           | no sideways writes
POST   /api/v1/appraisal/objections/{objection_id}/answer | parent         | casemanager1     | 403           | supervision never answers for a district
POST   /api/v1/appraisal/objections/{objection_id}/answer | grandparent    | inspector1       | 403           | supervision never answers for a district
POST   /api/v1/appraisal/objections/{objection_id}/answer | child          | chief1           | 404           | nobody writes up
POST   /api/v1/appraisal/objections/{objection_id}/answer | other city     | chief1           | 404           | no sideways writes
POST   /api/v1/appraisal/objections/{objection_id}/answer | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/appraisal/objections/{objection_id}/answer | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/appraisal/objections/{objection_id}/answer | same           | casemanager1     | 200           | the unit's case management answers

# ---------------------------------------------------------------- performance file
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | same           | prosecutor1      | 200 with T    | a prosecutor reads their own performance file
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | same           | prosecutor2      | 404           | not a colleague's file
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | same           | depthead1        | 404           | a department head is no keeper of the files
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | same           | casemanager1     | 200 with T    | case management keeps the files
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | same           | chief1           | 200 with T    | the unit's leaders read the files
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | sibling        | prosecutor1      | 404           | a cross-reviewer reads the ordered cases, not the handler's file
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | parent         | chief1           | 200 with T    | the leaders above read down
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | child          | chief1           | 404           | nobody reads up
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/appraisal/performance/{username}?from=2025&to=2026 | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/performance/{username}   | anonymous      | -                | 401/422       | no token: refused

# ---------------------------------------------------------------- score events, hand-entered scores
POST   /api/v1/appraisal/events                   | same           | casemanager1     | 201           | case management records an event for a person of its unit
POST   /api/v1/appraisal/events                   | same           | prosecutor1      | 403           | nobody records events for themselves
POST   /api/v1/appraisal/events                   | sibling        | chief1           | 404           | the person is not a sibling's to name
POST   /api/v1/appraisal/events                   | parent         | casemanager1     | 403           | supervision sees the person but never writes down
POST   /api/v1/appraisal/events                   | grandparent    | casemanager1     | 403           | supervision sees the person but never writes down
POST   /api/v1/appraisal/events                   | child          | chief1           | 404           | the city's people are not a district's to name
POST   /api/v1/appraisal/events                   | other city     | chief1           | 404           | the person is not another city's to name
POST   /api/v1/appraisal/events                   | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/appraisal/events                   | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/appraisal/events?unit={code}       | same           | prosecutor1      | 200 with T    | a prosecutor reads their own events
GET    /api/v1/appraisal/events?unit={code}       | same           | prosecutor2      | 200 without T | not a colleague's events
GET    /api/v1/appraisal/events?unit={code}       | same           | casemanager1     | 200 with T    | case management reads the unit's events
GET    /api/v1/appraisal/events?unit={code}       | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/events               | sibling        | chief1           | 200 empty     | a sibling lists its own events only (it has none)
GET    /api/v1/appraisal/events?unit={code}       | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/appraisal/events?unit={code}       | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/events?unit={code}       | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/appraisal/events?unit={code}       | child          | chief1           | 404           | nobody reads up
GET    /api/v1/appraisal/events?unit={code}       | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/events?unit={code}       | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/events                   | anonymous      | -                | 401           | no token: refused

POST   /api/v1/appraisal/manual-scores            | same           | casemanager1     | 201           | case management enters a value for a person of its unit
POST   /api/v1/appraisal/manual-scores            | same           | prosecutor1      | 403           | nobody enters their own values
POST   /api/v1/appraisal/manual-scores            | sibling        | chief1           | 404           | the person is not a sibling's to name
POST   /api/v1/appraisal/manual-scores            | parent         | casemanager1     | 403           | supervision sees the person but never writes down
POST   /api/v1/appraisal/manual-scores            | grandparent    | casemanager1     | 403           | supervision sees the person but never writes down
POST   /api/v1/appraisal/manual-scores            | child          | chief1           | 404           | the city's people are not a district's to name
POST   /api/v1/appraisal/manual-scores            | other city     | chief1           | 404           | the person is not another city's to name
POST   /api/v1/appraisal/manual-scores            | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/appraisal/manual-scores            | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/appraisal/manual-scores?unit={code} | same           | prosecutor1      | 200 with T    | a prosecutor reads their own values
GET    /api/v1/appraisal/manual-scores?unit={code} | same           | prosecutor2      | 200 without T | not a colleague's values
GET    /api/v1/appraisal/manual-scores?unit={code} | same           | casemanager1     | 200 with T    | case management reads the unit's values
GET    /api/v1/appraisal/manual-scores?unit={code} | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/manual-scores        | sibling        | chief1           | 200 empty     | a sibling lists its own values only (it has none)
GET    /api/v1/appraisal/manual-scores?unit={code} | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/appraisal/manual-scores?unit={code} | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/appraisal/manual-scores?unit={code} | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/appraisal/manual-scores?unit={code} | child          | chief1           | 404           | nobody reads up
GET    /api/v1/appraisal/manual-scores?unit={code} | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/appraisal/manual-scores?unit={code} | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/appraisal/manual-scores            | anonymous      | -                | 401           | no token: refused

# ---------------------------------------------------------------- checklists
GET    /api/v1/review/checklists                  | same           | prosecutor1      | 200 with T    | the province publishes its checklists for its whole tree
GET    /api/v1/review/checklists                  | sibling        | chief1           | 200 with T    | the province publishes its checklists for its whole tree
GET    /api/v1/review/checklists                  | parent         | casemanager1     | 200 with T    | the province publishes its checklists for its whole tree
GET    /api/v1/review/checklists                  | grandparent    | inspector1       | 200 with T    | the province lists its own checklists
GET    /api/v1/review/checklists                  | child          | chief1           | 200 with T    | the province publishes its checklists for its whole tree
GET    /api/v1/review/checklists                  | other city     | chief1           | 200 with T    | the province publishes its checklists for its whole tree
GET    /api/v1/review/checklists                  | other province | chief1           | 200 without T | another province's checklists do not reach across
GET    /api/v1/review/checklists                  | other root     | inspector1       | 200 without T | another province's checklists do not reach across
GET    /api/v1/review/checklists                  | anonymous      | -                | 401           | no token: refused

GET    /api/v1/review/checklists/{checklist_id}   | same           | prosecutor1      | 200           | the province publishes its checklists for its whole tree
GET    /api/v1/review/checklists/{checklist_id}   | sibling        | chief1           | 200           | the province publishes its checklists for its whole tree
GET    /api/v1/review/checklists/{checklist_id}   | parent         | casemanager1     | 200           | the province publishes its checklists for its whole tree
GET    /api/v1/review/checklists/{checklist_id}   | grandparent    | inspector1       | 200           | the province reads its own checklists
GET    /api/v1/review/checklists/{checklist_id}   | child          | chief1           | 200           | the province publishes its checklists for its whole tree
GET    /api/v1/review/checklists/{checklist_id}   | other city     | chief1           | 200           | the province publishes its checklists for its whole tree
GET    /api/v1/review/checklists/{checklist_id}   | other province | chief1           | 404           | another province's checklists do not reach across
GET    /api/v1/review/checklists/{checklist_id}   | other root     | inspector1       | 404           | another province's checklists do not reach across
GET    /api/v1/review/checklists/{checklist_id}   | anonymous      | -                | 401           | no token: refused

# ---------------------------------------------------------------- review plans
GET    /api/v1/review/plans                       | same           | chief1           | 200 without T | the plan reviewing a unit is its issuer's, not the reviewed unit's
GET    /api/v1/review/plans                       | sibling        | prosecutor1      | 200 without T | a cross-reviewer reads the ordered cases, not the plan
GET    /api/v1/review/plans                       | parent         | casemanager1     | 200 with T    | the issuing unit lists its plans
GET    /api/v1/review/plans                       | grandparent    | inspector1       | 200 with T    | supervision lists the issuer's plans
GET    /api/v1/review/plans                       | child          | chief1           | 200 without T | a district does not list the plans of the units above
GET    /api/v1/review/plans                       | other city     | chief1           | 200 empty     | no sideways listing
GET    /api/v1/review/plans                       | uncle          | casemanager1     | 200 without T | supervision stops at one's own subtree
GET    /api/v1/review/plans                       | other province | chief1           | 200 empty     | no listing across provinces
GET    /api/v1/review/plans                       | anonymous      | -                | 401           | no token: refused

POST   /api/v1/review/plans                       | same           | chief1           | 201           | a chief plans an in-house review of the unit's own cases
POST   /api/v1/review/plans                       | same           | prosecutor1      | 403           | a prosecutor issues no plans
POST   /api/v1/review/plans                       | sibling        | chief1           | 422           | a sibling's cases are not its to plan for (the body names the unit)
POST   /api/v1/review/plans                       | parent         | casemanager1     | 201           | the city plans a review of a district's cases
POST   /api/v1/review/plans                       | grandparent    | casemanager1     | 201           | the province plans a review of a grandchild's cases
POST   /api/v1/review/plans                       | child          | chief1           | 422           | a district never plans a review of its city
POST   /api/v1/review/plans                       | other city     | chief1           | 422           | no sideways plans
POST   /api/v1/review/plans                       | other province | chief1           | 422           | no plans across provinces
POST   /api/v1/review/plans                       | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/review/plans/{plan_id}             | same           | chief1           | 404           | the plan reviewing a unit is its issuer's, not the reviewed unit's
GET    /api/v1/review/plans/{plan_id}             | sibling        | prosecutor1      | 404           | a cross-reviewer reads the ordered cases, not the plan
GET    /api/v1/review/plans/{plan_id}             | parent         | casemanager1     | 200           | the issuing unit reads its plan
GET    /api/v1/review/plans/{plan_id}             | grandparent    | inspector1       | 200           | supervision reads the issuer's plan
GET    /api/v1/review/plans/{plan_id}             | child          | chief1           | 404           | a district does not read the plans of the units above
GET    /api/v1/review/plans/{plan_id}             | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/review/plans/{plan_id}             | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/review/plans/{plan_id}             | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/review/plans/{plan_id}             | anonymous      | -                | 401           | no token: refused

GET    /api/v1/review/plans/{plan_id}/sample      | same           | chief1           | 404           | the plan reviewing a unit is its issuer's, not the reviewed unit's
GET    /api/v1/review/plans/{plan_id}/sample      | sibling        | prosecutor1      | 404           | a cross-reviewer reads the ordered cases, not the plan
GET    /api/v1/review/plans/{plan_id}/sample      | parent         | casemanager1     | 200 with T    | the issuer's case management reads the sampled cases
GET    /api/v1/review/plans/{plan_id}/sample      | parent         | prosecutor1      | 403           | the sample names cases: only who reads every case of the reviewed unit sees it
GET    /api/v1/review/plans/{plan_id}/sample      | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren's cases
GET    /api/v1/review/plans/{plan_id}/sample      | child          | chief1           | 404           | a district does not read the plans of the units above
GET    /api/v1/review/plans/{plan_id}/sample      | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/review/plans/{plan_id}/sample      | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/review/plans/{plan_id}/sample      | anonymous      | -                | 401           | no token: refused

POST   /api/v1/review/plans/{plan_id}/draw        | same           | chief1           | 404           | the plan reviewing a unit is its issuer's, not the reviewed unit's
POST   /api/v1/review/plans/{plan_id}/draw        | sibling        | chief1           | 404           | the reviewing unit does not read the plan
POST   /api/v1/review/plans/{plan_id}/draw        | parent         | prosecutor1      | 403           | a prosecutor of the issuing unit draws nothing
POST   /api/v1/review/plans/{plan_id}/draw        | grandparent    | casemanager1     | 403           | only the issuing unit draws its plan's sample
POST   /api/v1/review/plans/{plan_id}/draw        | child          | chief1           | 404           | a district does not read the plans of the units above
POST   /api/v1/review/plans/{plan_id}/draw        | other city     | chief1           | 404           | no sideways writes
POST   /api/v1/review/plans/{plan_id}/draw        | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/review/plans/{plan_id}/draw        | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/review/plans/{plan_id}/draw        | parent         | casemanager1     | 201 with T    | the issuer's case management draws the sample once

GET    /api/v1/review/plans/{plan_id}/replay      | same           | chief1           | 404           | the plan reviewing a unit is its issuer's, not the reviewed unit's
GET    /api/v1/review/plans/{plan_id}/replay      | sibling        | prosecutor1      | 404           | a cross-reviewer reads the ordered cases, not the plan
GET    /api/v1/review/plans/{plan_id}/replay      | parent         | casemanager1     | 200 with T    | the issuer's case management replays the draw
GET    /api/v1/review/plans/{plan_id}/replay      | parent         | prosecutor1      | 403           | the replay names cases: only who reads every case of the reviewed unit sees it
GET    /api/v1/review/plans/{plan_id}/replay      | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren's cases
GET    /api/v1/review/plans/{plan_id}/replay      | child          | chief1           | 404           | a district does not read the plans of the units above
GET    /api/v1/review/plans/{plan_id}/replay      | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/review/plans/{plan_id}/replay      | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/review/plans/{plan_id}/replay      | anonymous      | -                | 401           | no token: refused

POST   /api/v1/review/plans/{plan_id}/start       | same           | chief1           | 404           | the plan reviewing a unit is its issuer's, not the reviewed unit's
POST   /api/v1/review/plans/{plan_id}/start       | sibling        | chief1           | 404           | the reviewing unit does not read the plan
POST   /api/v1/review/plans/{plan_id}/start       | parent         | prosecutor1      | 403           | a prosecutor of the issuing unit starts nothing
POST   /api/v1/review/plans/{plan_id}/start       | grandparent    | casemanager1     | 403           | only the issuing unit starts its plan
POST   /api/v1/review/plans/{plan_id}/start       | child          | chief1           | 404           | a district does not read the plans of the units above
POST   /api/v1/review/plans/{plan_id}/start       | other city     | chief1           | 404           | no sideways writes
POST   /api/v1/review/plans/{plan_id}/start       | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/review/plans/{plan_id}/start       | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/review/plans/{plan_id}/start       | parent         | casemanager1     | 200           | the issuer's case management starts the cross-review

# ---------------------------------------------------------------- reviews
GET    /api/v1/review/reviews/mine                | same           | chief1           | 200 empty     | the reviewed unit reviews nothing of its own cases
GET    /api/v1/review/reviews/mine                | same           | prosecutor1      | 200 empty     | the handler sees no review work list about the case
GET    /api/v1/review/reviews/mine                | sibling        | prosecutor1      | 200 with T    | the named reviewer's work list holds the reviews of the ordered cases
GET    /api/v1/review/reviews/mine                | sibling        | chief1           | 200 empty     | only the named reviewers have the reviews on their list
GET    /api/v1/review/reviews/mine                | parent         | casemanager1     | 200 empty     | the issuer reviews nothing itself
GET    /api/v1/review/reviews/mine                | grandparent    | inspector1       | 200 empty     | supervision reviews nothing itself
GET    /api/v1/review/reviews/mine                | child          | chief1           | 200 empty     | a district reviews nothing of its city
GET    /api/v1/review/reviews/mine                | other city     | chief1           | 200 empty     | nothing sideways
GET    /api/v1/review/reviews/mine                | other province | chief1           | 200 empty     | nothing across provinces
GET    /api/v1/review/reviews/mine                | anonymous      | -                | 401           | no token: refused

GET    /api/v1/review/reviews/{review_id}         | same           | chief1           | 404           | an unfinished review is read by the reviewing side only
GET    /api/v1/review/reviews/{review_id}         | same           | prosecutor1      | 404           | an unfinished review is read by the reviewing side only
GET    /api/v1/review/reviews/{review_id}         | sibling        | prosecutor1      | 200 without T | the reviewer reads the form; a blind review masks the case's number, unit and handler
GET    /api/v1/review/reviews/{review_id}         | sibling        | chief1           | 200 without T | the reviewing unit reads its review; a blind review masks the case
GET    /api/v1/review/reviews/{review_id}         | parent         | casemanager1     | 200 with T    | the issuing unit reads it unmasked
GET    /api/v1/review/reviews/{review_id}         | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/review/reviews/{review_id}         | grandparent    | inspector1       | 200 with T    | supervision reads it unmasked
GET    /api/v1/review/reviews/{review_id}         | child          | chief1           | 404           | a district reads nothing of its city's reviews
GET    /api/v1/review/reviews/{review_id}         | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/review/reviews/{review_id}         | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/review/reviews/{review_id}         | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/review/reviews/{review_id}         | anonymous      | -                | 401           | no token: refused

POST   /api/v1/review/reviews/{review_id}/results | same           | chief1           | 404           | an unfinished review is the reviewing side's only
POST   /api/v1/review/reviews/{review_id}/results | sibling        | prosecutor1      | 200           | the assigned reviewer records results
POST   /api/v1/review/reviews/{review_id}/results | sibling        | prosecutor3      | 403           | the other reviewer does not record this one's round
POST   /api/v1/review/reviews/{review_id}/results | sibling        | chief1           | 403           | the reviewing unit's chief reads it but records nothing
POST   /api/v1/review/reviews/{review_id}/results | parent         | casemanager1     | 403           | the issuer reads it but records nothing
POST   /api/v1/review/reviews/{review_id}/results | grandparent    | inspector1       | 403           | supervision reads it but records nothing
POST   /api/v1/review/reviews/{review_id}/results | child          | chief1           | 404           | a district reads nothing of its city's reviews
POST   /api/v1/review/reviews/{review_id}/results | other city     | chief1           | 404           | no sideways writes
POST   /api/v1/review/reviews/{review_id}/results | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/review/reviews/{review_id}/results | anonymous      | -                | 401/422       | no token: refused

POST   /api/v1/review/reviews/{review_id}/submit  | same           | chief1           | 404           | an unfinished review is the reviewing side's only
POST   /api/v1/review/reviews/{review_id}/submit  | sibling        | prosecutor3      | 403           | the other reviewer does not submit this one's round
POST   /api/v1/review/reviews/{review_id}/submit  | sibling        | chief1           | 403           | the reviewing unit's chief submits nothing
POST   /api/v1/review/reviews/{review_id}/submit  | parent         | casemanager1     | 403           | the issuer submits nothing
POST   /api/v1/review/reviews/{review_id}/submit  | grandparent    | inspector1       | 403           | supervision submits nothing
POST   /api/v1/review/reviews/{review_id}/submit  | child          | chief1           | 404           | a district reads nothing of its city's reviews
POST   /api/v1/review/reviews/{review_id}/submit  | other city     | chief1           | 404           | no sideways writes
POST   /api/v1/review/reviews/{review_id}/submit  | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/review/reviews/{review_id}/submit  | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/review/reviews/{review_id}/submit  | sibling        | prosecutor1      | 200           | the assigned reviewer submits the round

POST   /api/v1/review/reviews/{review_id}/second-review | same           | chief1           | 404           | an unfinished review is the reviewing side's only
POST   /api/v1/review/reviews/{review_id}/second-review | sibling        | prosecutor1      | 403           | the first reviewer is not the second
POST   /api/v1/review/reviews/{review_id}/second-review | sibling        | chief1           | 403           | the reviewing unit's chief reviews nothing
POST   /api/v1/review/reviews/{review_id}/second-review | parent         | casemanager1     | 403           | the issuer reviews nothing
POST   /api/v1/review/reviews/{review_id}/second-review | grandparent    | inspector1       | 403           | supervision reviews nothing
POST   /api/v1/review/reviews/{review_id}/second-review | child          | chief1           | 404           | a district reads nothing of its city's reviews
POST   /api/v1/review/reviews/{review_id}/second-review | other city     | chief1           | 404           | no sideways writes
POST   /api/v1/review/reviews/{review_id}/second-review | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/review/reviews/{review_id}/second-review | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/review/reviews/{review_id}/second-review | sibling        | prosecutor3      | 200           | the second reviewer records and submits their round

POST   /api/v1/review/reviews/{review_id}/resolve | same           | chief1           | 404           | an unfinished review is the reviewing side's only
POST   /api/v1/review/reviews/{review_id}/resolve | sibling        | casemanager1     | 403           | the reviewing unit does not decide its own dispute
POST   /api/v1/review/reviews/{review_id}/resolve | parent         | prosecutor1      | 404           | only supervisors read down
POST   /api/v1/review/reviews/{review_id}/resolve | grandparent    | casemanager1     | 403           | only the issuing unit decides
POST   /api/v1/review/reviews/{review_id}/resolve | child          | chief1           | 404           | a district reads nothing of its city's reviews
POST   /api/v1/review/reviews/{review_id}/resolve | other city     | chief1           | 404           | no sideways writes
POST   /api/v1/review/reviews/{review_id}/resolve | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/review/reviews/{review_id}/resolve | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/review/reviews/{review_id}/resolve | parent         | casemanager1     | 200           | the issuing unit's case management decides the dispute

# ---------------------------------------------------------------- findings
GET    /api/v1/review/findings?unit={code}        | same           | chief1           | 200 with T    | the reviewed unit reads what was found about its cases
GET    /api/v1/review/findings?unit={code}        | same           | prosecutor1      | 200 with T    | the reviewed unit reads what was found about its cases
GET    /api/v1/review/findings?unit={code}        | sibling        | chief1           | 404           | the reviewing unit reads no other data of the reviewed unit
GET    /api/v1/review/findings?unit=440106&side=reviewing | sibling        | casemanager1     | 200 with T    | the reviewing unit lists the findings it made
GET    /api/v1/review/findings?unit={code}        | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/review/findings?unit={code}        | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/review/findings?unit={code}        | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/review/findings?unit={code}        | child          | chief1           | 404           | nobody reads up
GET    /api/v1/review/findings?unit={code}        | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/review/findings?unit={code}        | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/review/findings?unit={code}        | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/review/findings                    | anonymous      | -                | 401/422       | no token: refused

POST   /api/v1/review/findings/{finding_id}/discovery | same           | chief1           | 403           | the reviewed unit reads the finding, the reviewing unit records its discovery
POST   /api/v1/review/findings/{finding_id}/discovery | sibling        | prosecutor1      | 403           | a reviewer does not record it; case management does
POST   /api/v1/review/findings/{finding_id}/discovery | sibling        | casemanager1     | 200           | the reviewing unit's case management records how it came to light
POST   /api/v1/review/findings/{finding_id}/discovery | parent         | casemanager1     | 403           | supervision reads it, never writes it
POST   /api/v1/review/findings/{finding_id}/discovery | grandparent    | inspector1       | 403           | supervision reads it, never writes it
POST   /api/v1/review/findings/{finding_id}/discovery | child          | chief1           | 404           | a district reads nothing of its city's findings
POST   /api/v1/review/findings/{finding_id}/discovery | other city     | chief1           | 404           | no sideways writes
POST   /api/v1/review/findings/{finding_id}/discovery | other province | chief1           | 404           | no writes across provinces
POST   /api/v1/review/findings/{finding_id}/discovery | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/review/findings/{finding_id}/handover | same           | chief1           | 200 with T    | the reviewed unit reads what the ledger will take over
GET    /api/v1/review/findings/{finding_id}/handover | sibling        | casemanager1     | 200 without T | the reviewing unit reads its finding; a blind review masks the case
GET    /api/v1/review/findings/{finding_id}/handover | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/review/findings/{finding_id}/handover | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/review/findings/{finding_id}/handover | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/review/findings/{finding_id}/handover | child          | chief1           | 404           | a district reads nothing of its city's findings
GET    /api/v1/review/findings/{finding_id}/handover | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/review/findings/{finding_id}/handover | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/review/findings/{finding_id}/handover | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/review/findings/{finding_id}/handover | anonymous      | -                | 401           | no token: refused

# ---------------------------------------------------------------- statistics, unit score
GET    /api/v1/review/stats/units/{code}          | same           | prosecutor1      | 200           | a unit reads the figures about its cases
GET    /api/v1/review/stats/units/{code}          | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/review/stats/units/{code}          | parent         | casemanager1     | 200           | supervision reads down
GET    /api/v1/review/stats/units/{code}          | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/review/stats/units/{code}          | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/review/stats/units/{code}          | child          | chief1           | 404           | nobody reads up
GET    /api/v1/review/stats/units/{code}          | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/review/stats/units/{code}          | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/review/stats/units/{code}          | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/review/stats/units/{code}          | anonymous      | -                | 401           | no token: refused

GET    /api/v1/review/stats/units/{code}/by/{dimension} | same           | chief1           | 200 with T    | a unit reads its figures by prosecutor
GET    /api/v1/review/stats/units/{code}/by/{dimension} | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/review/stats/units/{code}/by/{dimension} | sibling        | prosecutor1      | 404           | a cross-reviewer reads the ordered cases, not the unit's figures
GET    /api/v1/review/stats/units/{code}/by/{dimension} | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/review/stats/units/{code}/by/{dimension} | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/review/stats/units/{code}/by/{dimension} | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/review/stats/units/{code}/by/{dimension} | child          | chief1           | 404           | nobody reads up
GET    /api/v1/review/stats/units/{code}/by/{dimension} | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/review/stats/units/{code}/by/{dimension} | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/review/stats/units/{code}/by/{dimension} | anonymous      | -                | 401           | no token: refused

GET    /api/v1/review/units/{code}/score          | same           | chief1           | 200 with T    | a unit reads its review score with every finding
GET    /api/v1/review/units/{code}/score          | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/review/units/{code}/score          | sibling        | casemanager1     | 404           | the reviewing unit scores nothing of the reviewed unit here
GET    /api/v1/review/units/{code}/score          | parent         | casemanager1     | 200 with T    | supervision reads down
GET    /api/v1/review/units/{code}/score          | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/review/units/{code}/score          | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/review/units/{code}/score          | child          | chief1           | 404           | nobody reads up
GET    /api/v1/review/units/{code}/score          | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/review/units/{code}/score          | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/review/units/{code}/score          | anonymous      | -                | 401           | no token: refused
"""

ROWS = parse(MATRIX)
