"""The isolation matrix of the oversight API: the problem ledger (/api/v1/ledger),
inspections (/api/v1/inspections) and process monitoring (/api/v1/monitoring). Rows in
the format of tests/isolation_matrix.py (read its docstring for relations, viewers and
expectations), run by tests/test_isolation_matrix_oversight.py, whose ``oversight_world``
builds, for T = 440105 and T = 440100, with U the unit above T (广州 for 海珠, 广东 for
广州), through the services and as the people who would do it:

- T's case: an arrest review handled by prosecutor1 of T, its clock run out yesterday;
  the sweep raised its ``overdue`` alert ({alert_id}).
- {entry_id}: a ledger entry U's casemanager1 issued to T about that case, answered
  once by T's chief1 (so U may verify it).
- The review finding U found in T's case, not handed over yet (POST .../handover).
- {inspection_id}: U's inspection of T (planned by U's inspector1, alone on its team)
  with one finding (an entry on T's ledger).
- {notice_id}: a monitoring notice U's casemanager1 issued about T's case, addressed to
  its handler, answered once by them (still open, so it can be closed or escalated).
- {rule_code}: a rule T's casemanager1 tightened for T (440105: long_unclosed, 440100:
  due_soon.arrest_review), so it reaches T's units below as inherited.

Writes send valid bodies about T (see BODIES in the test file). ``with T`` means: in a
list, T's resource (entry, inspection, alert, notice) is in it; for the rules, a rule
of T's adjustment (origin_unit T) is; for a write, the answer is about T (its unit, or
the rule adjusted in T's name); for the export, T's entry's reference is in the cells.
"""
from __future__ import annotations

from tests.isolation_matrix import parse

PENDING: dict = {}

MATRIX = """
# operation                                       | relation       | viewer        | expect        | rule
# ---------------------------------------------------------------------------- the ledger
GET    /api/v1/ledger                             | same           | chief1        | 200 with T    | the rectifying unit reads its entries
GET    /api/v1/ledger                             | same           | prosecutor1   | 200 with T    | the handler's unit reads them (its whole unit)
GET    /api/v1/ledger                             | sibling        | chief1        | 200 without T | no sideways reads
GET    /api/v1/ledger                             | parent         | casemanager1  | 200 with T    | the issuing unit reads what it issued
GET    /api/v1/ledger                             | grandparent    | inspector1    | 200 with T    | units above read down
GET    /api/v1/ledger                             | child          | chief1        | 200 without T | nobody reads up
GET    /api/v1/ledger                             | other city     | chief1        | 200 without T | no sideways reads
GET    /api/v1/ledger                             | uncle          | casemanager1  | 200 without T | supervision stops at one's own subtree
GET    /api/v1/ledger                             | other province | chief1        | 200 without T | no reads across provinces
GET    /api/v1/ledger                             | anonymous      | -             | 401           | no token: refused

GET    /api/v1/ledger/export.xlsx                 | same           | chief1        | 200 with T    | the rectifying unit exports its entries
GET    /api/v1/ledger/export.xlsx                 | sibling        | chief1        | 200 without T | no sideways reads
GET    /api/v1/ledger/export.xlsx                 | parent         | casemanager1  | 200 with T    | the issuing unit exports what it issued
GET    /api/v1/ledger/export.xlsx                 | grandparent    | inspector1    | 200 with T    | units above read down
GET    /api/v1/ledger/export.xlsx                 | child          | chief1        | 200 without T | nobody reads up
GET    /api/v1/ledger/export.xlsx                 | other city     | chief1        | 200 without T | no sideways reads
GET    /api/v1/ledger/export.xlsx                 | uncle          | casemanager1  | 200 without T | supervision stops at one's own subtree
GET    /api/v1/ledger/export.xlsx                 | other province | chief1        | 200 without T | no reads across provinces
GET    /api/v1/ledger/export.xlsx                 | anonymous      | -             | 401           | no token: refused

POST   /api/v1/ledger/handover                    | same           | chief1        | 403           | the reviewed unit does not hand over its own finding
POST   /api/v1/ledger/handover                    | sibling        | casemanager1  | 404           | no sideways reads of a finding
POST   /api/v1/ledger/handover                    | grandparent    | inspector1    | 403           | the unit above reads it, only the reviewing unit hands it over
POST   /api/v1/ledger/handover                    | child          | chief1        | 404           | nobody reads up
POST   /api/v1/ledger/handover                    | other city     | casemanager1  | 404           | no sideways reads
POST   /api/v1/ledger/handover                    | other province | casemanager1  | 404           | no reads across provinces
POST   /api/v1/ledger/handover                    | parent         | casemanager1  | 201 with T    | the reviewing unit puts its finding on T's ledger
POST   /api/v1/ledger/handover                    | anonymous      | -             | 401/422       | no token: refused

GET    /api/v1/ledger/{entry_id}                  | same           | chief1        | 200           | the rectifying unit reads its entry
GET    /api/v1/ledger/{entry_id}                  | sibling        | chief1        | 404           | no sideways reads
GET    /api/v1/ledger/{entry_id}                  | parent         | casemanager1  | 200           | the issuing unit reads it
GET    /api/v1/ledger/{entry_id}                  | grandparent    | inspector1    | 200           | units above read down
GET    /api/v1/ledger/{entry_id}                  | child          | chief1        | 404           | nobody reads up
GET    /api/v1/ledger/{entry_id}                  | other city     | chief1        | 404           | no sideways reads
GET    /api/v1/ledger/{entry_id}                  | uncle          | casemanager1  | 404           | supervision stops at one's own subtree
GET    /api/v1/ledger/{entry_id}                  | other province | chief1        | 404           | no reads across provinces
GET    /api/v1/ledger/{entry_id}                  | anonymous      | -             | 401           | no token: refused

POST   /api/v1/ledger/{entry_id}/answer           | same           | prosecutor2   | 403           | a prosecutor not responsible for it does not answer
POST   /api/v1/ledger/{entry_id}/answer           | sibling        | chief1        | 404           | no sideways answers
POST   /api/v1/ledger/{entry_id}/answer           | parent         | casemanager1  | 403           | the issuer reads it, does not answer it
POST   /api/v1/ledger/{entry_id}/answer           | grandparent    | inspector1    | 403           | nor do the units above
POST   /api/v1/ledger/{entry_id}/answer           | child          | chief1        | 404           | nobody reads up
POST   /api/v1/ledger/{entry_id}/answer           | other city     | chief1        | 404           | no sideways answers
POST   /api/v1/ledger/{entry_id}/answer           | other province | chief1        | 404           | no answers across provinces
POST   /api/v1/ledger/{entry_id}/answer           | same           | chief1        | 201 with T    | the rectifying unit's chief answers
POST   /api/v1/ledger/{entry_id}/answer           | anonymous      | -             | 401/422       | no token: refused

POST   /api/v1/ledger/{entry_id}/verify           | same           | chief1        | 403           | the rectifying unit does not verify its own answer
POST   /api/v1/ledger/{entry_id}/verify           | sibling        | casemanager1  | 404           | no sideways verdicts
POST   /api/v1/ledger/{entry_id}/verify           | grandparent    | inspector1    | 403           | the province reads it, only the issuer verifies
POST   /api/v1/ledger/{entry_id}/verify           | child          | casemanager1  | 404           | nobody reads up
POST   /api/v1/ledger/{entry_id}/verify           | other city     | casemanager1  | 404           | no sideways verdicts
POST   /api/v1/ledger/{entry_id}/verify           | other province | casemanager1  | 404           | no verdicts across provinces
POST   /api/v1/ledger/{entry_id}/verify           | parent         | casemanager1  | 200 with T    | the issuing unit verifies the answer
POST   /api/v1/ledger/{entry_id}/verify           | anonymous      | -             | 401/422       | no token: refused

# ---------------------------------------------------------------- inspections
GET    /api/v1/inspections                        | same           | chief1        | 200 without T | the inspected unit reads its findings on its ledger, not the plan
GET    /api/v1/inspections                        | sibling        | chief1        | 200 without T | no sideways reads
GET    /api/v1/inspections                        | parent         | inspector1    | 200 with T    | the planning unit reads its inspections
GET    /api/v1/inspections                        | parent         | chief1        | 200 with T    | the whole planning unit's leaders do
GET    /api/v1/inspections                        | grandparent    | inspector1    | 200 with T    | units above read down
GET    /api/v1/inspections                        | child          | chief1        | 200 without T | nobody reads up
GET    /api/v1/inspections                        | other city     | chief1        | 200 without T | no sideways reads
GET    /api/v1/inspections                        | uncle          | inspector1    | 200 without T | supervision stops at one's own subtree
GET    /api/v1/inspections                        | other province | chief1        | 200 without T | no reads across provinces
GET    /api/v1/inspections                        | anonymous      | -             | 401           | no token: refused

POST   /api/v1/inspections                        | same           | chief1        | 422           | a unit does not inspect itself
POST   /api/v1/inspections                        | same           | prosecutor1   | 403           | prosecutors do not plan inspections
POST   /api/v1/inspections                        | sibling        | chief1        | 422           | a sibling is not below
POST   /api/v1/inspections                        | parent         | inspector1    | 201 with T    | a unit inspects the units below it
POST   /api/v1/inspections                        | parent         | casemanager1  | 403           | case managers do not plan inspections
POST   /api/v1/inspections                        | grandparent    | inspector1    | 201 with T    | the province inspects its grandchildren
POST   /api/v1/inspections                        | child          | chief1        | 422           | nobody inspects up
POST   /api/v1/inspections                        | other city     | chief1        | 422           | nor sideways
POST   /api/v1/inspections                        | other province | chief1        | 422           | nor across provinces
POST   /api/v1/inspections                        | anonymous      | -             | 401/422       | no token: refused

GET    /api/v1/inspections/{inspection_id}        | same           | chief1        | 404           | the inspected unit reads its findings on its ledger, not the plan
GET    /api/v1/inspections/{inspection_id}        | sibling        | chief1        | 404           | no sideways reads
GET    /api/v1/inspections/{inspection_id}        | parent         | inspector1    | 200           | the planning unit reads it
GET    /api/v1/inspections/{inspection_id}        | grandparent    | inspector1    | 200           | units above read down
GET    /api/v1/inspections/{inspection_id}        | child          | chief1        | 404           | nobody reads up
GET    /api/v1/inspections/{inspection_id}        | other city     | chief1        | 404           | no sideways reads
GET    /api/v1/inspections/{inspection_id}        | uncle          | inspector1    | 404           | supervision stops at one's own subtree
GET    /api/v1/inspections/{inspection_id}        | other province | chief1        | 404           | no reads across provinces
GET    /api/v1/inspections/{inspection_id}        | anonymous      | -             | 401           | no token: refused

POST   /api/v1/inspections/{inspection_id}/findings | same         | chief1        | 404           | the inspected unit does not write the inspection
POST   /api/v1/inspections/{inspection_id}/findings | sibling      | chief1        | 404           | no sideways writes
POST   /api/v1/inspections/{inspection_id}/findings | parent       | casemanager1  | 403           | the planning unit's people off the team do not record
POST   /api/v1/inspections/{inspection_id}/findings | parent       | inspector1    | 201 with T    | the team records a finding about T
POST   /api/v1/inspections/{inspection_id}/findings | grandparent  | inspector1    | 403           | units above read it, do not record in it
POST   /api/v1/inspections/{inspection_id}/findings | child        | chief1        | 404           | nobody writes up
POST   /api/v1/inspections/{inspection_id}/findings | other city   | chief1        | 404           | no sideways writes
POST   /api/v1/inspections/{inspection_id}/findings | other province | chief1      | 404           | no writes across provinces
POST   /api/v1/inspections/{inspection_id}/findings | anonymous    | -             | 401/422       | no token: refused

POST   /api/v1/inspections/{inspection_id}/close  | same           | chief1        | 404           | the inspected unit does not close it
POST   /api/v1/inspections/{inspection_id}/close  | sibling        | chief1        | 404           | no sideways writes
POST   /api/v1/inspections/{inspection_id}/close  | parent         | casemanager1  | 403           | only the planner, the chief or a deputy close it
POST   /api/v1/inspections/{inspection_id}/close  | grandparent    | chief1        | 403           | units above read it, do not close it
POST   /api/v1/inspections/{inspection_id}/close  | child          | chief1        | 404           | nobody writes up
POST   /api/v1/inspections/{inspection_id}/close  | other city     | chief1        | 404           | no sideways writes
POST   /api/v1/inspections/{inspection_id}/close  | other province | chief1        | 404           | no writes across provinces
POST   /api/v1/inspections/{inspection_id}/close  | parent         | inspector1    | 200           | the planner closes it
POST   /api/v1/inspections/{inspection_id}/close  | anonymous      | -             | 401/422       | no token: refused

POST   /api/v1/inspections/{inspection_id}/report | same           | chief1        | 404           | the inspected unit does not read the plan
POST   /api/v1/inspections/{inspection_id}/report | sibling        | chief1        | 404           | no sideways reads
POST   /api/v1/inspections/{inspection_id}/report | parent         | inspector1    | 202           | the inspecting unit asks for its report
POST   /api/v1/inspections/{inspection_id}/report | grandparent    | inspector1    | 403           | units above read it, the inspecting unit reports
POST   /api/v1/inspections/{inspection_id}/report | child          | chief1        | 404           | nobody reads up
POST   /api/v1/inspections/{inspection_id}/report | other city     | chief1        | 404           | no sideways reads
POST   /api/v1/inspections/{inspection_id}/report | other province | chief1        | 404           | no reads across provinces
POST   /api/v1/inspections/{inspection_id}/report | anonymous      | -             | 401           | no token: refused

# ---------------------------------------------------------------- monitoring rules
GET    /api/v1/monitoring/rules                   | same           | prosecutor1   | 200 with T    | a unit's people read the rules in force for them
GET    /api/v1/monitoring/rules                   | sibling        | casemanager1  | 200 without T | a sibling's adjustment does not reach it
GET    /api/v1/monitoring/rules                   | parent         | casemanager1  | 200 without T | a district's adjustment does not reach up
GET    /api/v1/monitoring/rules                   | grandparent    | casemanager1  | 200 without T | nor to the province
GET    /api/v1/monitoring/rules                   | child          | prosecutor1   | 200 with T    | the city's adjustment reaches its districts
GET    /api/v1/monitoring/rules                   | other city     | casemanager1  | 200 without T | no sideways reach
GET    /api/v1/monitoring/rules                   | other province | casemanager1  | 200 without T | no reach across provinces
GET    /api/v1/monitoring/rules                   | anonymous      | -             | 401           | no token: refused
GET    /api/v1/monitoring/rules?unit={code}       | same           | prosecutor1   | 200 with T    | a unit reads its own rules by code
GET    /api/v1/monitoring/rules?unit={code}       | sibling        | casemanager1  | 404           | no sideways reads
GET    /api/v1/monitoring/rules?unit={code}       | parent         | casemanager1  | 200 with T    | supervision reads the districts' rules
GET    /api/v1/monitoring/rules?unit={code}       | grandparent    | inspector1    | 200 with T    | supervision reaches grandchildren
GET    /api/v1/monitoring/rules?unit={code}       | child          | chief1        | 404           | nobody reads up
GET    /api/v1/monitoring/rules?unit={code}       | other city     | casemanager1  | 404           | no sideways reads
GET    /api/v1/monitoring/rules?unit={code}       | other province | casemanager1  | 404           | no reads across provinces

PUT    /api/v1/monitoring/rules/{rule_code}       | same           | prosecutor1   | 403           | only the chief or case managers adjust
PUT    /api/v1/monitoring/rules/{rule_code}       | same           | casemanager1  | 200 with T    | a unit adjusts its own rule
PUT    /api/v1/monitoring/rules/{rule_code}       | sibling        | casemanager1  | 200 without T | a sibling adjusts only its own, T's stays
PUT    /api/v1/monitoring/rules/{rule_code}       | parent         | casemanager1  | 200 without T | the city adjusts its own, in its name
PUT    /api/v1/monitoring/rules/{rule_code}       | grandparent    | casemanager1  | 403           | the province publishes, it does not adjust
PUT    /api/v1/monitoring/rules/{rule_code}       | child          | casemanager1  | 200 without T | the district adjusts its own, in its name
PUT    /api/v1/monitoring/rules/{rule_code}       | other city     | casemanager1  | 200 without T | its own, in its name
PUT    /api/v1/monitoring/rules/{rule_code}       | other province | casemanager1  | 200 without T | its own, under its own province's rule
PUT    /api/v1/monitoring/rules/{rule_code}       | anonymous      | -             | 401/422       | no token: refused

DELETE /api/v1/monitoring/rules/{rule_code}       | same           | prosecutor1   | 403           | only the chief or case managers reset
DELETE /api/v1/monitoring/rules/{rule_code}       | sibling        | casemanager1  | 200 without T | a sibling resets only its own, T's stays
DELETE /api/v1/monitoring/rules/{rule_code}       | parent         | casemanager1  | 200 without T | the city resets its own
DELETE /api/v1/monitoring/rules/{rule_code}       | grandparent    | casemanager1  | 200 without T | the province has no adjustment to drop: its rule stands
DELETE /api/v1/monitoring/rules/{rule_code}       | child          | casemanager1  | 200 with T    | the district, unadjusted, keeps the city's adjustment
DELETE /api/v1/monitoring/rules/{rule_code}       | other city     | casemanager1  | 200 without T | its own
DELETE /api/v1/monitoring/rules/{rule_code}       | other province | casemanager1  | 200 without T | its own, under its own province's rule
DELETE /api/v1/monitoring/rules/{rule_code}       | same           | casemanager1  | 200 without T | a unit drops its adjustment: the province's applies
DELETE /api/v1/monitoring/rules/{rule_code}       | anonymous      | -             | 401           | no token: refused

# ---------------------------------------------------------------- alerts
GET    /api/v1/monitoring/alerts                  | same           | prosecutor1   | 200 with T    | the handler reads the alerts on their case
GET    /api/v1/monitoring/alerts                  | same           | chief1        | 200 with T    | the unit's chief reads its alerts
GET    /api/v1/monitoring/alerts                  | same           | prosecutor2   | 200 without T | a colleague does not read another's case
GET    /api/v1/monitoring/alerts                  | sibling        | chief1        | 200 without T | no sideways reads
GET    /api/v1/monitoring/alerts                  | parent         | casemanager1  | 200 with T    | supervision reads down
GET    /api/v1/monitoring/alerts                  | parent         | prosecutor1   | 200 without T | only supervisors read down
GET    /api/v1/monitoring/alerts                  | grandparent    | inspector1    | 200 with T    | supervision reaches grandchildren
GET    /api/v1/monitoring/alerts                  | child          | chief1        | 200 without T | nobody reads up
GET    /api/v1/monitoring/alerts                  | other city     | chief1        | 200 without T | no sideways reads
GET    /api/v1/monitoring/alerts                  | uncle          | casemanager1  | 200 without T | supervision stops at one's own subtree
GET    /api/v1/monitoring/alerts                  | other province | chief1        | 200 without T | no reads across provinces
GET    /api/v1/monitoring/alerts                  | anonymous      | -             | 401           | no token: refused
GET    /api/v1/monitoring/alerts?unit={code}      | parent         | casemanager1  | 200 with T    | supervision reads a district's alerts by code
GET    /api/v1/monitoring/alerts?unit={code}      | sibling        | chief1        | 404           | no sideways reads by code
GET    /api/v1/monitoring/alerts?unit={code}      | child          | chief1        | 404           | nobody reads up by code

GET    /api/v1/monitoring/alerts/inbox            | same           | prosecutor1   | 200 with T    | the handler's inbox holds their case's alert and notice
GET    /api/v1/monitoring/alerts/inbox            | same           | chief1        | 200 without T | the inbox is the handler's, not the unit's
GET    /api/v1/monitoring/alerts/inbox            | sibling        | prosecutor1   | 200 without T | no sideways reads
GET    /api/v1/monitoring/alerts/inbox            | parent         | casemanager1  | 200 without T | the issuer follows its notices elsewhere
GET    /api/v1/monitoring/alerts/inbox            | grandparent    | inspector1    | 200 without T | the inbox is one's own cases
GET    /api/v1/monitoring/alerts/inbox            | child          | prosecutor1   | 200 without T | nobody reads up
GET    /api/v1/monitoring/alerts/inbox            | other city     | prosecutor1   | 200 without T | no sideways reads
GET    /api/v1/monitoring/alerts/inbox            | other province | prosecutor1   | 200 without T | no reads across provinces
GET    /api/v1/monitoring/alerts/inbox            | anonymous      | -             | 401           | no token: refused

GET    /api/v1/monitoring/alerts/{alert_id}       | same           | prosecutor1   | 200           | the handler reads the alert on their case
GET    /api/v1/monitoring/alerts/{alert_id}       | same           | prosecutor2   | 404           | a colleague does not
GET    /api/v1/monitoring/alerts/{alert_id}       | sibling        | chief1        | 404           | no sideways reads
GET    /api/v1/monitoring/alerts/{alert_id}       | parent         | casemanager1  | 200           | supervision reads down
GET    /api/v1/monitoring/alerts/{alert_id}       | grandparent    | inspector1    | 200           | supervision reaches grandchildren
GET    /api/v1/monitoring/alerts/{alert_id}       | child          | chief1        | 404           | nobody reads up
GET    /api/v1/monitoring/alerts/{alert_id}       | other city     | chief1        | 404           | no sideways reads
GET    /api/v1/monitoring/alerts/{alert_id}       | uncle          | casemanager1  | 404           | supervision stops at one's own subtree
GET    /api/v1/monitoring/alerts/{alert_id}       | other province | chief1        | 404           | no reads across provinces
GET    /api/v1/monitoring/alerts/{alert_id}       | anonymous      | -             | 401           | no token: refused

# ---------------------------------------------------------------- notices
GET    /api/v1/monitoring/notices                 | same           | prosecutor1   | 200 with T    | the handler reads the notice addressed to them
GET    /api/v1/monitoring/notices                 | same           | chief1        | 200 with T    | the addressed unit's chief reads it
GET    /api/v1/monitoring/notices                 | same           | prosecutor2   | 200 without T | a colleague it is not addressed to does not
GET    /api/v1/monitoring/notices                 | sibling        | chief1        | 200 without T | no sideways reads
GET    /api/v1/monitoring/notices                 | parent         | casemanager1  | 200 with T    | the issuing unit reads what it issued
GET    /api/v1/monitoring/notices                 | grandparent    | inspector1    | 200 with T    | units above read down
GET    /api/v1/monitoring/notices                 | child          | chief1        | 200 without T | nobody reads up
GET    /api/v1/monitoring/notices                 | other city     | chief1        | 200 without T | no sideways reads
GET    /api/v1/monitoring/notices                 | uncle          | casemanager1  | 200 without T | supervision stops at one's own subtree
GET    /api/v1/monitoring/notices                 | other province | chief1        | 200 without T | no reads across provinces
GET    /api/v1/monitoring/notices                 | anonymous      | -             | 401           | no token: refused

POST   /api/v1/monitoring/notices                 | same           | casemanager1  | 201 with T    | a unit's case manager issues a notice about its own case
POST   /api/v1/monitoring/notices                 | same           | prosecutor1   | 403           | prosecutors do not issue notices
POST   /api/v1/monitoring/notices                 | sibling        | casemanager1  | 404           | no notices sideways
POST   /api/v1/monitoring/notices                 | parent         | casemanager1  | 201 with T    | notices go down the tree
POST   /api/v1/monitoring/notices                 | grandparent    | casemanager1  | 201 with T    | and reach grandchildren
POST   /api/v1/monitoring/notices                 | child          | casemanager1  | 404           | no notices up
POST   /api/v1/monitoring/notices                 | other city     | casemanager1  | 404           | no notices sideways
POST   /api/v1/monitoring/notices                 | other province | casemanager1  | 404           | no notices across provinces
POST   /api/v1/monitoring/notices                 | anonymous      | -             | 401/422       | no token: refused

GET    /api/v1/monitoring/notices/{notice_id}     | same           | prosecutor1   | 200           | the handler reads the notice addressed to them
GET    /api/v1/monitoring/notices/{notice_id}     | same           | chief1        | 200           | the addressed unit's chief reads it
GET    /api/v1/monitoring/notices/{notice_id}     | same           | prosecutor2   | 404           | a colleague it is not addressed to does not
GET    /api/v1/monitoring/notices/{notice_id}     | sibling        | chief1        | 404           | no sideways reads
GET    /api/v1/monitoring/notices/{notice_id}     | parent         | casemanager1  | 200           | the issuing unit reads it
GET    /api/v1/monitoring/notices/{notice_id}     | grandparent    | inspector1    | 200           | units above read down
GET    /api/v1/monitoring/notices/{notice_id}     | child          | chief1        | 404           | nobody reads up
GET    /api/v1/monitoring/notices/{notice_id}     | other city     | chief1        | 404           | no sideways reads
GET    /api/v1/monitoring/notices/{notice_id}     | uncle          | casemanager1  | 404           | supervision stops at one's own subtree
GET    /api/v1/monitoring/notices/{notice_id}     | other province | chief1        | 404           | no reads across provinces
GET    /api/v1/monitoring/notices/{notice_id}     | anonymous      | -             | 401           | no token: refused

POST   /api/v1/monitoring/notices/{notice_id}/answer | same        | prosecutor2   | 404           | a colleague it is not addressed to does not see it
POST   /api/v1/monitoring/notices/{notice_id}/answer | same        | chief1        | 403           | the chief answers only once it is escalated
POST   /api/v1/monitoring/notices/{notice_id}/answer | sibling     | prosecutor1   | 404           | no sideways answers
POST   /api/v1/monitoring/notices/{notice_id}/answer | parent      | casemanager1  | 403           | the issuer does not answer its own notice
POST   /api/v1/monitoring/notices/{notice_id}/answer | grandparent | inspector1    | 403           | units above read it, do not answer it
POST   /api/v1/monitoring/notices/{notice_id}/answer | child       | chief1        | 404           | nobody reads up
POST   /api/v1/monitoring/notices/{notice_id}/answer | other city  | chief1        | 404           | no sideways answers
POST   /api/v1/monitoring/notices/{notice_id}/answer | other province | chief1     | 404           | no answers across provinces
POST   /api/v1/monitoring/notices/{notice_id}/answer | same        | prosecutor1   | 201 with T    | the handler answers
POST   /api/v1/monitoring/notices/{notice_id}/answer | anonymous   | -             | 401/422       | no token: refused

POST   /api/v1/monitoring/notices/{notice_id}/close | same         | casemanager1  | 403           | the addressed unit does not close it
POST   /api/v1/monitoring/notices/{notice_id}/close | sibling      | casemanager1  | 404           | no sideways writes
POST   /api/v1/monitoring/notices/{notice_id}/close | grandparent  | casemanager1  | 403           | units above read it, the issuer closes it
POST   /api/v1/monitoring/notices/{notice_id}/close | child        | casemanager1  | 404           | nobody reads up
POST   /api/v1/monitoring/notices/{notice_id}/close | other city   | casemanager1  | 404           | no sideways writes
POST   /api/v1/monitoring/notices/{notice_id}/close | other province | casemanager1 | 404          | no writes across provinces
POST   /api/v1/monitoring/notices/{notice_id}/close | parent       | casemanager1  | 200 with T    | the issuing unit closes it on the answer
POST   /api/v1/monitoring/notices/{notice_id}/close | anonymous    | -             | 401/422       | no token: refused

POST   /api/v1/monitoring/notices/{notice_id}/escalate | same      | casemanager1  | 403           | the addressed unit does not escalate it
POST   /api/v1/monitoring/notices/{notice_id}/escalate | sibling   | casemanager1  | 404           | no sideways writes
POST   /api/v1/monitoring/notices/{notice_id}/escalate | grandparent | casemanager1 | 403          | units above read it, the issuer escalates it
POST   /api/v1/monitoring/notices/{notice_id}/escalate | child     | casemanager1  | 404           | nobody reads up
POST   /api/v1/monitoring/notices/{notice_id}/escalate | other city | casemanager1 | 404           | no sideways writes
POST   /api/v1/monitoring/notices/{notice_id}/escalate | other province | casemanager1 | 404       | no writes across provinces
POST   /api/v1/monitoring/notices/{notice_id}/escalate | parent    | casemanager1  | 200 with T    | the issuing unit escalates it to T's chief
POST   /api/v1/monitoring/notices/{notice_id}/escalate | anonymous | -             | 401/422       | no token: refused

# ---------------------------------------------------------------- sweeps
POST   /api/v1/monitoring/sweeps                  | same           | casemanager1  | 202 with T    | a unit sweeps its own tree
POST   /api/v1/monitoring/sweeps                  | same           | prosecutor1   | 403           | prosecutors do not run monitoring
POST   /api/v1/monitoring/sweeps                  | sibling        | casemanager1  | 404           | no sideways sweeps
POST   /api/v1/monitoring/sweeps                  | parent         | casemanager1  | 202 with T    | a city sweeps a district
POST   /api/v1/monitoring/sweeps                  | grandparent    | casemanager1  | 202 with T    | the province sweeps any of its tree
POST   /api/v1/monitoring/sweeps                  | child          | casemanager1  | 404           | nobody sweeps up
POST   /api/v1/monitoring/sweeps                  | other city     | casemanager1  | 404           | no sideways sweeps
POST   /api/v1/monitoring/sweeps                  | other province | casemanager1  | 404           | no sweeps across provinces
POST   /api/v1/monitoring/sweeps                  | anonymous      | -             | 401/422       | no token: refused
"""

ROWS = parse(MATRIX)
