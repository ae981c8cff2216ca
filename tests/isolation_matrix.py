"""Who gets what from the API: every operation of /api/openapi.json, for every viewer
relation, written down once. tests/test_isolation_matrix.py runs each row and fails
when an operation of the OpenAPI document has no row here.

Relations are relative to a target unit T and name the viewer's unit:

    relation         T        viewer's unit
    same             440105   440105  海珠 itself
    sibling          440105   440106  天河, the other district of 广州
    parent           440105   440100  广州
    grandparent      440105   440000  广东
    child            440100   440105  海珠 looking up at 广州 (T is the city here)
    other city       440105   440305  南山, a district of 深圳
    uncle            440105   440300  深圳: a supervisor, but of another subtree
    other province   440105   450103  青秀, a district of 广西
    other root       440105   450000  广西: the other province's top
    anonymous        440105   -       no token at all

The viewer column is the account prefix in the viewer's unit (``chief1`` in the
sibling relation is ``chief1@440106``). Path parameters take T's resource:
``{code}`` is T's code, ``{case_id}`` T's case, ``{order_id}`` T's order. The
test world (built by the ``world`` fixture of test_isolation_matrix.py):

- T's case (440105): criminal department, handled by prosecutor1, with assistant1
  and clerk2 on it. The city's case (440100) is handled by prosecutor1@440100.
- T's order (440105): 广州 orders itself to review T's case, reviewer
  prosecutor2@440100, running now. For T = 440100 the order is 广州 reviewing a
  天河 case (it does not name 海珠).
- Three more orders of 广州 name 天河 as reviewing unit for T's case:
  prosecutor2@440106 (running), prosecutor3@440106 (ended), prosecutor4@440106
  (not started yet).
- POST /api/v1/cross-review-orders sends a valid body that orders a review of
  T's case by 天河 (reviewer prosecutor1@440106), or by 海珠 when T is 广州.
- POST /api/v1/auth/token signs the viewer in; the anonymous row sends
  prosecutor1@440105 with a wrong password. DELETE revokes the viewer's token.

Expect: a status (or alternatives, ``401/422``: an anonymous request with no body may
be refused by the schema before the token is looked at), optionally followed by what
the answer must show: ``with T`` (T's unit / case / order is in it; for /me: I am in
T; for any other operation: T's case id or number appears in the answer, the .xlsx
export included), ``without T`` (it does not), ``empty`` (no rows, and a total of 0).

T's cases work (built by ``_resources`` in test_isolation_matrix.py, for 440105 and
for 440100 alike, through the application's services as T's own people):

- {group_id}: T's rotation group (prosecutor1 and prosecutor2, rules in force);
  {username}: prosecutor1 of T, a member. The rules decision takes T's other group,
  whose version 2 (proposed by casemanager1) awaits the chief.
- {draw_id}: the random draw that gave T's case to prosecutor1; for the approval,
  casemanager1's pending designation of prosecutor3 to another case of T that has
  no handler yet. POST .../assignment draws a third such case in T's group.
- {decision_id}: prosecutor1's request to extend the review (延长审查起诉期限),
  awaiting the department head (depthead1).
- {meeting_id}: a joint meeting on T's case, convened by prosecutor1 with depthead1.
- {document_id}: a PDF on T's case. {job_id}: a failed job prosecutor1 asked for
  (for /pdf: a finished report of theirs).
- The extension takes an arrest-review case of T (handler prosecutor1) whose review
  clock runs; the leaders' report finds a case depthead1 handles (March 2026).
- T's organisation and interference record (prosecutor1 noted a call about T's
  case); the catalogue and the calendar are the province's (see their rows).

Writes send a valid body (test_isolation_matrix.BODIES), so what an outsider gets is
about scope and what the rightful actor gets shows the write works. Other path
parameters take a placeholder that names nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

RELATIONS: dict[str, tuple[str, str | None]] = {
    "same": ("440105", "440105"),
    "sibling": ("440105", "440106"),
    "parent": ("440105", "440100"),
    "grandparent": ("440105", "440000"),
    "child": ("440100", "440105"),
    "other city": ("440105", "440305"),
    "uncle": ("440105", "440300"),
    "other province": ("440105", "450103"),
    "other root": ("440105", "450000"),
    "anonymous": ("440105", None),
}
# Every operation has a row for each of these, unless it is PENDING below.
REQUIRED_RELATIONS = ("same", "sibling", "parent", "grandparent", "child", "other city",
                      "other province", "anonymous")

# Operations whose per-relation rows are still owed (each with why): they keep their
# anonymous row only. Adding an operation here is a visible decision; an operation that
# has every relation must leave the list. None is owed today.
PENDING: dict[tuple[str, str], str] = {}

MATRIX = """
# operation                                       | relation       | viewer           | expect        | rule
# ---------------------------------------------------------------------------------------------------------------------------
POST   /api/v1/auth/token                         | same           | prosecutor1      | 201           | a user signs in with name and password
POST   /api/v1/auth/token                         | anonymous      | -                | 401           | a wrong password gets no token
DELETE /api/v1/auth/token                         | same           | prosecutor1      | 204           | a token holder revokes it
DELETE /api/v1/auth/token                         | anonymous      | -                | 401           | nothing to revoke without a token

GET    /api/v1/me                                 | same           | prosecutor1      | 200 with T    | me is my own unit
GET    /api/v1/me                                 | sibling        | chief1           | 200 without T | me says nothing of other units
GET    /api/v1/me                                 | parent         | casemanager1     | 200 without T | me is the supervisor's own unit, not T
GET    /api/v1/me                                 | grandparent    | inspector1       | 200 without T | me is the supervisor's own unit, not T
GET    /api/v1/me                                 | child          | chief1           | 200 without T | me is the district, not its city
GET    /api/v1/me                                 | other city     | chief1           | 200 without T | me says nothing of other units
GET    /api/v1/me                                 | other province | chief1           | 200 without T | me says nothing of other units
GET    /api/v1/me                                 | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/units                              | same           | prosecutor1      | 200 with T    | staff list their own unit
GET    /api/v1/units                              | sibling        | chief1           | 200 without T | a sibling is never listed, even to its chief
GET    /api/v1/units                              | parent         | casemanager1     | 200 with T    | supervision lists the descendants
GET    /api/v1/units                              | parent         | prosecutor1      | 200 without T | only supervisors list descendants
GET    /api/v1/units                              | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/units                              | child          | chief1           | 200 without T | nobody lists up the tree
GET    /api/v1/units                              | other city     | chief1           | 200 without T | no sideways listing
GET    /api/v1/units                              | uncle          | casemanager1     | 200 without T | supervision stops at one's own subtree
GET    /api/v1/units                              | other province | chief1           | 200 without T | no listing across provinces
GET    /api/v1/units                              | other root     | inspector1       | 200 without T | no listing across provinces
GET    /api/v1/units                              | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/units/{code}                       | same           | prosecutor1      | 200           | staff read their own unit
GET    /api/v1/units/{code}                       | sibling        | chief1           | 404           | no sideways reads, even for a chief
GET    /api/v1/units/{code}                       | parent         | casemanager1     | 200           | supervision reads down
GET    /api/v1/units/{code}                       | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/units/{code}                       | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/units/{code}                       | child          | chief1           | 404           | nobody reads up
GET    /api/v1/units/{code}                       | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/units/{code}                       | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/units/{code}                       | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/units/{code}                       | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/units/{code}/users                 | same           | prosecutor1      | 200           | staff read their colleagues
GET    /api/v1/units/{code}/users                 | sibling        | chief1           | 404           | no sideways reads of people
GET    /api/v1/units/{code}/users                 | parent         | chief1           | 200           | supervision reads the people below
GET    /api/v1/units/{code}/users                 | parent         | depthead1        | 404           | a department head does not supervise
GET    /api/v1/units/{code}/users                 | grandparent    | deputy1          | 200           | supervision reaches grandchildren
GET    /api/v1/units/{code}/users                 | child          | chief1           | 404           | an ancestor's people are not readable
GET    /api/v1/units/{code}/users                 | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/units/{code}/users                 | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/units/{code}/users                 | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/units/{code}/users                 | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/units/{code}/powers                | same           | prosecutor1      | 200           | a district reads its effective list (with the templates above)
GET    /api/v1/units/{code}/powers                | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/units/{code}/powers                | parent         | casemanager1     | 200           | supervision reads down
GET    /api/v1/units/{code}/powers                | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/units/{code}/powers                | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/units/{code}/powers                | child          | chief1           | 404           | templates reach down through the own list, not the ancestor's endpoint
GET    /api/v1/units/{code}/powers                | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/units/{code}/powers                | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/units/{code}/powers                | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/units/{code}/powers                | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/units/{code}/powers/versions       | same           | prosecutor1      | 200           | a unit reads its own list's versions
GET    /api/v1/units/{code}/powers/versions       | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/units/{code}/powers/versions       | parent         | casemanager1     | 200           | supervision reads down
GET    /api/v1/units/{code}/powers/versions       | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/units/{code}/powers/versions       | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/units/{code}/powers/versions       | child          | chief1           | 404           | an ancestor's versions (drafts too) are its data
GET    /api/v1/units/{code}/powers/versions       | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/units/{code}/powers/versions       | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/units/{code}/powers/versions       | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/units/{code}/powers/versions       | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/units/{code}/powers/compare?from=1&to=1 | same      | prosecutor1      | 200           | a unit compares its own versions
GET    /api/v1/units/{code}/powers/compare?from=1&to=1 | sibling   | chief1           | 404           | no sideways reads
GET    /api/v1/units/{code}/powers/compare?from=1&to=1 | parent    | casemanager1     | 200           | supervision reads down
GET    /api/v1/units/{code}/powers/compare?from=1&to=1 | parent    | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/units/{code}/powers/compare?from=1&to=1 | grandparent | inspector1     | 200           | supervision reaches grandchildren
GET    /api/v1/units/{code}/powers/compare?from=1&to=1 | child     | chief1           | 404           | nobody reads up
GET    /api/v1/units/{code}/powers/compare?from=1&to=1 | other city | chief1          | 404           | no sideways reads
GET    /api/v1/units/{code}/powers/compare?from=1&to=1 | uncle     | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/units/{code}/powers/compare?from=1&to=1 | other province | chief1      | 404           | no reads across provinces
GET    /api/v1/units/{code}/powers/compare?from=1&to=1 | anonymous | -                | 401           | the API takes bearer tokens only

GET    /api/v1/units/{code}/access-log            | same           | chief1           | 200           | the chief sees who read the unit
GET    /api/v1/units/{code}/access-log            | same           | admin1           | 200           | the unit administrator sees who read the unit
GET    /api/v1/units/{code}/access-log            | same           | prosecutor1      | 404           | a prosecutor does not read the access log
GET    /api/v1/units/{code}/access-log            | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/units/{code}/access-log            | parent         | casemanager1     | 200           | supervision reads down
GET    /api/v1/units/{code}/access-log            | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/units/{code}/access-log            | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/units/{code}/access-log            | child          | chief1           | 404           | an ancestor's access log is its data
GET    /api/v1/units/{code}/access-log            | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/units/{code}/access-log            | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/units/{code}/access-log            | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/units/{code}/access-log            | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/cases?unit={code}                  | same           | prosecutor1      | 200 with T    | the handler lists the case
GET    /api/v1/cases?unit={code}                  | same           | assistant1       | 200 with T    | an assistant on the case lists it
GET    /api/v1/cases?unit={code}                  | same           | clerk2           | 200 with T    | a clerk on the case lists it
GET    /api/v1/cases?unit={code}                  | same           | prosecutor2      | 200 without T | a colleague not on the case does not
GET    /api/v1/cases?unit={code}                  | same           | assistant2       | 200 without T | an assistant not on the case does not
GET    /api/v1/cases?unit={code}                  | same           | clerk1           | 200 without T | a clerk not on the case does not
GET    /api/v1/cases?unit={code}                  | same           | civilprosecutor1 | 200 without T | another department's prosecutor does not
GET    /api/v1/cases?unit={code}                  | same           | depthead1        | 200 with T    | the department head lists the department's cases
GET    /api/v1/cases?unit={code}                  | same           | chief1           | 200 with T    | the chief lists the whole unit
GET    /api/v1/cases?unit={code}                  | same           | deputy1          | 200 with T    | a deputy lists the whole unit
GET    /api/v1/cases?unit={code}                  | same           | casemanager1     | 200 with T    | the case manager lists the whole unit
GET    /api/v1/cases?unit={code}                  | same           | admin1           | 200 without T | the unit administrator reads no cases
GET    /api/v1/cases?unit={code}                  | sibling        | chief1           | 200 empty     | a district does not list a sibling's cases
GET    /api/v1/cases?unit={code}                  | sibling        | casemanager1     | 200 empty     | nor does its case manager
GET    /api/v1/cases?unit={code}                  | sibling        | prosecutor2      | 200 with T    | a named reviewer lists the case while the order runs
GET    /api/v1/cases?unit={code}                  | sibling        | prosecutor3      | 200 empty     | not after the order ended
GET    /api/v1/cases?unit={code}                  | sibling        | prosecutor4      | 200 empty     | not before the order starts
GET    /api/v1/cases?unit={code}                  | sibling        | prosecutor1      | 200 empty     | not if not named on the order
GET    /api/v1/cases?unit={code}                  | parent         | chief1           | 200 with T    | supervision lists the descendants' cases
GET    /api/v1/cases?unit={code}                  | parent         | deputy1          | 200 with T    | so does a deputy
GET    /api/v1/cases?unit={code}                  | parent         | casemanager1     | 200 with T    | so does the case manager
GET    /api/v1/cases?unit={code}                  | parent         | inspector1       | 200 with T    | so does the inspector
GET    /api/v1/cases?unit={code}                  | parent         | prosecutor1      | 200 empty     | an ordinary prosecutor above does not
GET    /api/v1/cases?unit={code}                  | parent         | depthead1        | 200 empty     | nor a department head above
GET    /api/v1/cases?unit={code}                  | parent         | prosecutor2      | 200 with T    | a named reviewer of the city's own review does
GET    /api/v1/cases?unit={code}                  | grandparent    | chief1           | 200 with T    | supervision reaches grandchildren
GET    /api/v1/cases?unit={code}                  | grandparent    | inspector1       | 200 with T    | the provincial inspector too
GET    /api/v1/cases?unit={code}                  | grandparent    | prosecutor1      | 200 empty     | an ordinary provincial prosecutor does not
GET    /api/v1/cases?unit={code}                  | child          | chief1           | 200 empty     | a district does not list its city's cases
GET    /api/v1/cases?unit={code}                  | other city     | chief1           | 200 empty     | no sideways listing
GET    /api/v1/cases?unit={code}                  | uncle          | casemanager1     | 200 empty     | supervision stops at one's own subtree
GET    /api/v1/cases?unit={code}                  | other province | chief1           | 200 empty     | no listing across provinces
GET    /api/v1/cases?unit={code}                  | other root     | inspector1       | 200 empty     | no listing across provinces
GET    /api/v1/cases?unit={code}                  | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/cases/{case_id}                    | same           | prosecutor1      | 200           | the handler reads the case
GET    /api/v1/cases/{case_id}                    | same           | assistant1       | 200           | an assistant on the case reads it
GET    /api/v1/cases/{case_id}                    | same           | clerk2           | 200           | a clerk on the case reads it
GET    /api/v1/cases/{case_id}                    | same           | prosecutor2      | 404           | a colleague not on the case does not
GET    /api/v1/cases/{case_id}                    | same           | assistant2       | 404           | an assistant not on the case does not
GET    /api/v1/cases/{case_id}                    | same           | clerk1           | 404           | a clerk not on the case does not
GET    /api/v1/cases/{case_id}                    | same           | civilprosecutor1 | 404           | another department's prosecutor does not
GET    /api/v1/cases/{case_id}                    | same           | depthead1        | 200           | the department head reads the department's cases
GET    /api/v1/cases/{case_id}                    | same           | chief1           | 200           | the chief reads the whole unit
GET    /api/v1/cases/{case_id}                    | same           | deputy1          | 200           | a deputy reads the whole unit
GET    /api/v1/cases/{case_id}                    | same           | casemanager1     | 200           | the case manager reads the whole unit
GET    /api/v1/cases/{case_id}                    | same           | admin1           | 404           | the unit administrator reads no cases
GET    /api/v1/cases/{case_id}                    | sibling        | chief1           | 404           | a district cannot read a sibling's case
GET    /api/v1/cases/{case_id}                    | sibling        | casemanager1     | 404           | nor can its case manager
GET    /api/v1/cases/{case_id}                    | sibling        | prosecutor2      | 200           | a named reviewer reads the case while the order runs
GET    /api/v1/cases/{case_id}                    | sibling        | prosecutor3      | 404           | not after the order ended
GET    /api/v1/cases/{case_id}                    | sibling        | prosecutor4      | 404           | not before the order starts
GET    /api/v1/cases/{case_id}                    | sibling        | prosecutor1      | 404           | not if not named on the order
GET    /api/v1/cases/{case_id}                    | parent         | chief1           | 200           | supervision reads the descendants' cases
GET    /api/v1/cases/{case_id}                    | parent         | deputy1          | 200           | so does a deputy
GET    /api/v1/cases/{case_id}                    | parent         | casemanager1     | 200           | so does the case manager
GET    /api/v1/cases/{case_id}                    | parent         | inspector1       | 200           | so does the inspector
GET    /api/v1/cases/{case_id}                    | parent         | prosecutor1      | 404           | an ordinary prosecutor above does not
GET    /api/v1/cases/{case_id}                    | parent         | depthead1        | 404           | nor a department head above
GET    /api/v1/cases/{case_id}                    | parent         | prosecutor2      | 200           | a named reviewer of the city's own review does
GET    /api/v1/cases/{case_id}                    | grandparent    | chief1           | 200           | supervision reaches grandchildren
GET    /api/v1/cases/{case_id}                    | grandparent    | inspector1       | 200           | the provincial inspector too
GET    /api/v1/cases/{case_id}                    | grandparent    | prosecutor1      | 404           | an ordinary provincial prosecutor does not
GET    /api/v1/cases/{case_id}                    | child          | chief1           | 404           | a district cannot read its city's case
GET    /api/v1/cases/{case_id}                    | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/cases/{case_id}                    | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/cases/{case_id}                    | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/cases/{case_id}                    | other root     | inspector1       | 404           | no reads across provinces
GET    /api/v1/cases/{case_id}                    | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/cross-review-orders                | same           | prosecutor1      | 200 with T    | an order naming my unit is listed to it
GET    /api/v1/cross-review-orders                | same           | chief1           | 200 with T    | an order naming my unit is listed to it
GET    /api/v1/cross-review-orders                | sibling        | chief1           | 200 without T | an order not naming a sibling is not listed to it
GET    /api/v1/cross-review-orders                | parent         | casemanager1     | 200 with T    | the issuing unit lists its orders
GET    /api/v1/cross-review-orders                | parent         | prosecutor1      | 200 with T    | the reviewing unit (here the issuer itself) lists it
GET    /api/v1/cross-review-orders                | grandparent    | chief1           | 200 with T    | supervision lists the issuer's orders
GET    /api/v1/cross-review-orders                | grandparent    | prosecutor1      | 200 without T | an ordinary provincial prosecutor does not
GET    /api/v1/cross-review-orders                | child          | chief1           | 200 without T | a district does not list its city's other orders
GET    /api/v1/cross-review-orders                | other city     | chief1           | 200 without T | no sideways listing
GET    /api/v1/cross-review-orders                | uncle          | casemanager1     | 200 without T | supervision stops at one's own subtree
GET    /api/v1/cross-review-orders                | other province | chief1           | 200 without T | no listing across provinces
GET    /api/v1/cross-review-orders                | other root     | inspector1       | 200 without T | no listing across provinces
GET    /api/v1/cross-review-orders                | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/cross-review-orders/{order_id}     | same           | prosecutor1      | 200           | an order naming my unit is readable to it
GET    /api/v1/cross-review-orders/{order_id}     | sibling        | chief1           | 404           | an order not naming a sibling is not
GET    /api/v1/cross-review-orders/{order_id}     | parent         | casemanager1     | 200           | the issuing unit reads its order
GET    /api/v1/cross-review-orders/{order_id}     | parent         | prosecutor1      | 200           | the reviewing unit (here the issuer itself) reads it
GET    /api/v1/cross-review-orders/{order_id}     | grandparent    | chief1           | 200           | supervision reads the issuer's orders
GET    /api/v1/cross-review-orders/{order_id}     | grandparent    | prosecutor1      | 404           | an ordinary provincial prosecutor does not
GET    /api/v1/cross-review-orders/{order_id}     | child          | chief1           | 404           | a district does not read its city's other orders
GET    /api/v1/cross-review-orders/{order_id}     | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/cross-review-orders/{order_id}     | uncle          | casemanager1     | 404           | supervision stops at one's own subtree
GET    /api/v1/cross-review-orders/{order_id}     | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/cross-review-orders/{order_id}     | anonymous      | -                | 401           | the API takes bearer tokens only

POST   /api/v1/cross-review-orders                | parent         | casemanager1     | 201           | 广州 orders 天河 to review 海珠's case
POST   /api/v1/cross-review-orders                | parent         | chief1           | 201           | the city's chief may issue it too
POST   /api/v1/cross-review-orders                | parent         | prosecutor1      | 403           | only chiefs, deputies and case managers issue orders (says nothing of T)
POST   /api/v1/cross-review-orders                | grandparent    | casemanager1     | 201           | the province orders within its tree
POST   /api/v1/cross-review-orders                | same           | chief1           | 404           | 海珠 cannot name its sibling as reviewer
POST   /api/v1/cross-review-orders                | sibling        | casemanager1     | 404           | 天河 cannot order a review of 海珠's cases
POST   /api/v1/cross-review-orders                | child          | chief1           | 404           | a district cannot order a review of its city
POST   /api/v1/cross-review-orders                | other city     | casemanager1     | 404           | no orders sideways
POST   /api/v1/cross-review-orders                | uncle          | casemanager1     | 404           | 深圳 cannot order a review inside 广州
POST   /api/v1/cross-review-orders                | other province | casemanager1     | 404           | no orders across provinces
POST   /api/v1/cross-review-orders                | other root     | casemanager1     | 404           | no orders across provinces
POST   /api/v1/cross-review-orders                | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/cases/mine                         | same           | prosecutor1      | 200 with T    | my cases: the ones I handle
GET    /api/v1/cases/mine                         | same           | assistant1       | 200 with T    | my cases: the ones I assist on
GET    /api/v1/cases/mine                         | same           | chief1           | 200 without T | reading the whole unit does not make it mine
GET    /api/v1/cases/mine                         | sibling        | prosecutor2      | 200 without T | reviewing it does not make it mine
GET    /api/v1/cases/mine                         | sibling        | chief1           | 200 without T | no sideways listing
GET    /api/v1/cases/mine                         | parent         | casemanager1     | 200 without T | supervising it does not make it mine
GET    /api/v1/cases/mine                         | grandparent    | inspector1       | 200 without T | supervising it does not make it mine
GET    /api/v1/cases/mine                         | child          | chief1           | 200 without T | nobody lists up (T is the city's case)
GET    /api/v1/cases/mine                         | other city     | chief1           | 200 without T | no sideways listing
GET    /api/v1/cases/mine                         | other province | chief1           | 200 without T | no listing across provinces
GET    /api/v1/cases/mine                         | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/cases/export.xlsx?unit={code}      | same           | prosecutor1      | 200 with T    | the export holds what the list holds: the handler's case
GET    /api/v1/cases/export.xlsx?unit={code}      | same           | prosecutor2      | 200 without T | not a colleague's case
GET    /api/v1/cases/export.xlsx?unit={code}      | sibling        | chief1           | 200 without T | not a sibling's cases
GET    /api/v1/cases/export.xlsx?unit={code}      | parent         | casemanager1     | 200 with T    | supervision exports the descendants' cases
GET    /api/v1/cases/export.xlsx?unit={code}      | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/cases/export.xlsx?unit={code}      | child          | chief1           | 200 without T | not the city's cases
GET    /api/v1/cases/export.xlsx?unit={code}      | other city     | chief1           | 200 without T | no sideways export
GET    /api/v1/cases/export.xlsx?unit={code}      | other province | chief1           | 200 without T | no export across provinces
GET    /api/v1/cases/export.xlsx?unit={code}      | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/cases/{case_id}/timeline    | same           | prosecutor1      | 200           | the case's timeline follows the case: the handler reads it
GET    /api/v1/cases/{case_id}/timeline    | sibling        | chief1           | 404           | a sibling does not
GET    /api/v1/cases/{case_id}/timeline    | sibling        | prosecutor2      | 200           | the named reviewer does, while the order runs
GET    /api/v1/cases/{case_id}/timeline    | parent         | casemanager1     | 200           | supervision reads it
GET    /api/v1/cases/{case_id}/timeline    | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/cases/{case_id}/timeline    | child          | chief1           | 404           | not the city's case
GET    /api/v1/cases/{case_id}/timeline    | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/cases/{case_id}/timeline    | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/cases/{case_id}/timeline    | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/cases/{case_id}/clocks      | same           | prosecutor1      | 200           | the case's clocks follows the case: the handler reads it
GET    /api/v1/cases/{case_id}/clocks      | sibling        | chief1           | 404           | a sibling does not
GET    /api/v1/cases/{case_id}/clocks      | sibling        | prosecutor2      | 200           | the named reviewer does, while the order runs
GET    /api/v1/cases/{case_id}/clocks      | parent         | casemanager1     | 200           | supervision reads it
GET    /api/v1/cases/{case_id}/clocks      | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/cases/{case_id}/clocks      | child          | chief1           | 404           | not the city's case
GET    /api/v1/cases/{case_id}/clocks      | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/cases/{case_id}/clocks      | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/cases/{case_id}/clocks      | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/cases/{case_id}/decisions   | same           | prosecutor1      | 200           | the case's decisions follows the case: the handler reads it
GET    /api/v1/cases/{case_id}/decisions   | sibling        | chief1           | 404           | a sibling does not
GET    /api/v1/cases/{case_id}/decisions   | sibling        | prosecutor2      | 200           | the named reviewer does, while the order runs
GET    /api/v1/cases/{case_id}/decisions   | parent         | casemanager1     | 200           | supervision reads it
GET    /api/v1/cases/{case_id}/decisions   | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/cases/{case_id}/decisions   | child          | chief1           | 404           | not the city's case
GET    /api/v1/cases/{case_id}/decisions   | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/cases/{case_id}/decisions   | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/cases/{case_id}/decisions   | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/cases/{case_id}/documents   | same           | prosecutor1      | 200           | the case's documents follows the case: the handler reads it
GET    /api/v1/cases/{case_id}/documents   | sibling        | chief1           | 404           | a sibling does not
GET    /api/v1/cases/{case_id}/documents   | sibling        | prosecutor2      | 200           | the named reviewer does, while the order runs
GET    /api/v1/cases/{case_id}/documents   | parent         | casemanager1     | 200           | supervision reads it
GET    /api/v1/cases/{case_id}/documents   | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/cases/{case_id}/documents   | child          | chief1           | 404           | not the city's case
GET    /api/v1/cases/{case_id}/documents   | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/cases/{case_id}/documents   | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/cases/{case_id}/documents   | anonymous      | -                | 401           | the API takes bearer tokens only

GET    /api/v1/cases/{case_id}/assignments | same           | prosecutor1      | 200           | the case's assignments follows the case: the handler reads it
GET    /api/v1/cases/{case_id}/assignments | sibling        | chief1           | 404           | a sibling does not
GET    /api/v1/cases/{case_id}/assignments | sibling        | prosecutor2      | 200           | the named reviewer does, while the order runs
GET    /api/v1/cases/{case_id}/assignments | parent         | casemanager1     | 200           | supervision reads it
GET    /api/v1/cases/{case_id}/assignments | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/cases/{case_id}/assignments | child          | chief1           | 404           | not the city's case
GET    /api/v1/cases/{case_id}/assignments | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/cases/{case_id}/assignments | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/cases/{case_id}/assignments | anonymous      | -                | 401           | the API takes bearer tokens only

# ---------------------------------------------------------------- T's cases work
# Writes change T's resource, and the rows of one operation run in order in one world:
# the refusals come first, the rightful actor's write last (e.g. once approved, a
# decision is no longer pending and a second approval would be 422, not 403).
# Writes that create in the actor's own unit (intake, groups, organisations, jobs) name
# T's people or cases; an outsider gets the answer a name of nobody gets.

POST   /api/v1/cases                              | same           | prosecutor1      | 403           | only case managers and the chief register cases
POST   /api/v1/cases                              | same           | casemanager1     | 201 with T    | the case manager registers a case in their own unit
POST   /api/v1/cases                              | sibling        | casemanager1     | 201 without T | 天河's registration lands in 天河, never in T
POST   /api/v1/cases                              | parent         | casemanager1     | 201 without T | supervision does not register cases for a district: the city's lands in the city
POST   /api/v1/cases                              | grandparent    | casemanager1     | 201 without T | nor for a grandchild
POST   /api/v1/cases                              | child          | casemanager1     | 201 without T | a district registers in itself, not in its city
POST   /api/v1/cases                              | other city     | casemanager1     | 201 without T | each unit registers in itself
POST   /api/v1/cases                              | other province | casemanager1     | 201 without T | each unit registers in itself
POST   /api/v1/cases                              | anonymous      | -                | 401/422       | no token: refused

POST   /api/v1/cases/import                       | same           | prosecutor1      | 403           | only case managers and the chief import cases
POST   /api/v1/cases/import                       | same           | casemanager1     | 200 with T    | the case manager imports into their own unit
POST   /api/v1/cases/import                       | sibling        | casemanager1     | 200 without T | 天河's import lands in 天河, never in T
POST   /api/v1/cases/import                       | parent         | casemanager1     | 200 without T | supervision imports nothing into a district
POST   /api/v1/cases/import                       | grandparent    | casemanager1     | 200 without T | nor into a grandchild
POST   /api/v1/cases/import                       | child          | casemanager1     | 200 without T | a district imports into itself, not its city
POST   /api/v1/cases/import                       | other city     | casemanager1     | 200 without T | each unit imports into itself
POST   /api/v1/cases/import                       | other province | casemanager1     | 200 without T | each unit imports into itself
POST   /api/v1/cases/import                       | anonymous      | -                | 401/422       | no token: refused

# {case_id}: T's case awaiting a handler; the body draws it from T's rotation group.
POST   /api/v1/cases/{case_id}/assignment         | same           | prosecutor1      | 404           | a case nobody handles yet is not a prosecutor's to see
POST   /api/v1/cases/{case_id}/assignment         | sibling        | casemanager1     | 404           | no sideways assignment
POST   /api/v1/cases/{case_id}/assignment         | parent         | casemanager1     | 403           | supervision reads the case; only its own unit assigns it
POST   /api/v1/cases/{case_id}/assignment         | grandparent    | casemanager1     | 403           | nor does the province
POST   /api/v1/cases/{case_id}/assignment         | child          | casemanager1     | 404           | not the city's case
POST   /api/v1/cases/{case_id}/assignment         | other city     | casemanager1     | 404           | no sideways assignment
POST   /api/v1/cases/{case_id}/assignment         | other province | casemanager1     | 404           | no assignment across provinces
POST   /api/v1/cases/{case_id}/assignment         | same           | casemanager1     | 201           | the case manager draws the case in T's group
POST   /api/v1/cases/{case_id}/assignment         | anonymous      | -                | 401/422       | no token: refused

POST   /api/v1/cases/{case_id}/reassignment       | same           | prosecutor2      | 404           | a colleague not on the case does not see it
POST   /api/v1/cases/{case_id}/reassignment       | sibling        | chief1           | 404           | no sideways reassignment
POST   /api/v1/cases/{case_id}/reassignment       | sibling        | prosecutor2      | 403           | the named reviewer reads the case, reassigns nothing
POST   /api/v1/cases/{case_id}/reassignment       | parent         | chief1           | 403           | supervision reads the case; only its own unit reassigns it
POST   /api/v1/cases/{case_id}/reassignment       | grandparent    | chief1           | 403           | nor does the province
POST   /api/v1/cases/{case_id}/reassignment       | child          | chief1           | 404           | not the city's case
POST   /api/v1/cases/{case_id}/reassignment       | other city     | chief1           | 404           | no sideways reassignment
POST   /api/v1/cases/{case_id}/reassignment       | other province | chief1           | 404           | no reassignment across provinces
POST   /api/v1/cases/{case_id}/reassignment       | same           | chief1           | 201           | the chief gives T's case to another prosecutor of T
POST   /api/v1/cases/{case_id}/reassignment       | anonymous      | -                | 401/422       | no token: refused

POST   /api/v1/cases/{case_id}/decisions          | same           | prosecutor2      | 404           | a colleague not on the case does not see it
POST   /api/v1/cases/{case_id}/decisions          | sibling        | chief1           | 404           | no sideways decisions
POST   /api/v1/cases/{case_id}/decisions          | sibling        | prosecutor2      | 403           | the named reviewer reads the case, decides nothing in it
POST   /api/v1/cases/{case_id}/decisions          | parent         | chief1           | 403           | supervision reads down, decides nothing in a district's case
POST   /api/v1/cases/{case_id}/decisions          | grandparent    | chief1           | 403           | nor does the province
POST   /api/v1/cases/{case_id}/decisions          | child          | chief1           | 404           | not the city's case
POST   /api/v1/cases/{case_id}/decisions          | other city     | chief1           | 404           | no sideways decisions
POST   /api/v1/cases/{case_id}/decisions          | other province | chief1           | 404           | no decisions across provinces
POST   /api/v1/cases/{case_id}/decisions          | same           | prosecutor1      | 201           | the handler decides an ordinary prosecution within their power
POST   /api/v1/cases/{case_id}/decisions          | anonymous      | -                | 401/422       | no token: refused

POST   /api/v1/cases/{case_id}/documents          | same           | prosecutor2      | 404           | a colleague not on the case does not see it
POST   /api/v1/cases/{case_id}/documents          | sibling        | chief1           | 404           | no sideways uploads
POST   /api/v1/cases/{case_id}/documents          | sibling        | prosecutor2      | 403           | the named reviewer reads the case, adds nothing to it
POST   /api/v1/cases/{case_id}/documents          | parent         | casemanager1     | 403           | supervision reads down, adds nothing to a district's case
POST   /api/v1/cases/{case_id}/documents          | grandparent    | inspector1       | 403           | nor does the province
POST   /api/v1/cases/{case_id}/documents          | child          | chief1           | 404           | not the city's case
POST   /api/v1/cases/{case_id}/documents          | other city     | chief1           | 404           | no sideways uploads
POST   /api/v1/cases/{case_id}/documents          | other province | chief1           | 404           | no uploads across provinces
POST   /api/v1/cases/{case_id}/documents          | same           | prosecutor1      | 201           | the handler adds a document to the case
POST   /api/v1/cases/{case_id}/documents          | anonymous      | -                | 401/422       | no token: refused

# {case_id}: T's arrest-review case with its review clock running; extended once only.
POST   /api/v1/cases/{case_id}/clocks/{name}/extension | same      | prosecutor2      | 404           | a colleague not on the case does not see it
POST   /api/v1/cases/{case_id}/clocks/{name}/extension | sibling   | chief1           | 404           | no sideways extensions
POST   /api/v1/cases/{case_id}/clocks/{name}/extension | parent    | chief1           | 403           | supervision reads the clock, extends nothing in a district
POST   /api/v1/cases/{case_id}/clocks/{name}/extension | grandparent | chief1         | 403           | nor does the province
POST   /api/v1/cases/{case_id}/clocks/{name}/extension | child     | chief1           | 404           | not the city's case
POST   /api/v1/cases/{case_id}/clocks/{name}/extension | other city | chief1          | 404           | no sideways extensions
POST   /api/v1/cases/{case_id}/clocks/{name}/extension | other province | chief1      | 404           | no extensions across provinces
POST   /api/v1/cases/{case_id}/clocks/{name}/extension | same      | prosecutor1      | 200           | the handler extends the review limit
POST   /api/v1/cases/{case_id}/clocks/{name}/extension | anonymous | -                | 401/422       | no token: refused

# {draw_id}: the random draw that gave T's case to its handler.
GET    /api/v1/assignments/{draw_id}              | same           | prosecutor1      | 200           | the draw follows the case: the handler reads it
GET    /api/v1/assignments/{draw_id}              | same           | prosecutor2      | 404           | a colleague in the pool, not on the case, does not
GET    /api/v1/assignments/{draw_id}              | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/assignments/{draw_id}              | sibling        | prosecutor2      | 200           | the named reviewer does, while the order runs
GET    /api/v1/assignments/{draw_id}              | parent         | casemanager1     | 200           | supervision reads it
GET    /api/v1/assignments/{draw_id}              | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/assignments/{draw_id}              | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/assignments/{draw_id}              | child          | chief1           | 404           | not the city's draw
GET    /api/v1/assignments/{draw_id}              | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/assignments/{draw_id}              | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/assignments/{draw_id}              | anonymous      | -                | 401           | no token: refused

GET    /api/v1/assignments/{draw_id}/replay       | same           | prosecutor1      | 200           | the handler replays the draw that gave them the case
GET    /api/v1/assignments/{draw_id}/replay       | same           | prosecutor2      | 404           | a colleague in the pool, not on the case, does not
GET    /api/v1/assignments/{draw_id}/replay       | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/assignments/{draw_id}/replay       | parent         | casemanager1     | 200           | supervision replays it
GET    /api/v1/assignments/{draw_id}/replay       | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/assignments/{draw_id}/replay       | child          | chief1           | 404           | not the city's draw
GET    /api/v1/assignments/{draw_id}/replay       | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/assignments/{draw_id}/replay       | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/assignments/{draw_id}/replay       | anonymous      | -                | 401           | no token: refused

# {draw_id}: a designation of prosecutor3 to T's other case, pending approval.
POST   /api/v1/assignments/{draw_id}/approval     | same           | prosecutor1      | 404           | a case awaiting its handler is not a prosecutor's to see
POST   /api/v1/assignments/{draw_id}/approval     | same           | casemanager1     | 403           | who asked for the designation does not approve it
POST   /api/v1/assignments/{draw_id}/approval     | sibling        | chief1           | 404           | no sideways approvals
POST   /api/v1/assignments/{draw_id}/approval     | parent         | chief1           | 403           | supervision reads it; approving is the unit's own
POST   /api/v1/assignments/{draw_id}/approval     | grandparent    | chief1           | 403           | nor does the province
POST   /api/v1/assignments/{draw_id}/approval     | child          | chief1           | 404           | not the city's designation
POST   /api/v1/assignments/{draw_id}/approval     | other city     | chief1           | 404           | no sideways approvals
POST   /api/v1/assignments/{draw_id}/approval     | other province | chief1           | 404           | no approvals across provinces
POST   /api/v1/assignments/{draw_id}/approval     | same           | chief1           | 200           | whoever the power list names approves it
POST   /api/v1/assignments/{draw_id}/approval     | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/rotation-groups                    | same           | prosecutor1      | 200 with T    | a unit's staff list its rotation groups
GET    /api/v1/rotation-groups                    | same           | casemanager1     | 200 with T    | so does its case manager
GET    /api/v1/rotation-groups                    | sibling        | chief1           | 200 without T | not a sibling's groups
GET    /api/v1/rotation-groups                    | parent         | casemanager1     | 200 without T | the list is the own unit's: supervisors open a descendant's board by its id
GET    /api/v1/rotation-groups                    | grandparent    | inspector1       | 200 without T | likewise the province
GET    /api/v1/rotation-groups                    | child          | chief1           | 200 without T | not the city's groups
GET    /api/v1/rotation-groups                    | other city     | chief1           | 200 without T | no sideways listing
GET    /api/v1/rotation-groups                    | other province | chief1           | 200 without T | no listing across provinces
GET    /api/v1/rotation-groups                    | anonymous      | -                | 401           | no token: refused

POST   /api/v1/rotation-groups                    | same           | prosecutor1      | 403           | only the unit administrator, the chief or a department head create groups
POST   /api/v1/rotation-groups                    | sibling        | chief1           | 422           | 天河 cannot put T's prosecutors in its group: no such user in its unit
POST   /api/v1/rotation-groups                    | parent         | chief1           | 422           | nor can the city
POST   /api/v1/rotation-groups                    | grandparent    | chief1           | 422           | nor the province
POST   /api/v1/rotation-groups                    | child          | chief1           | 422           | nor a district the city's
POST   /api/v1/rotation-groups                    | other city     | chief1           | 422           | nor another city's district
POST   /api/v1/rotation-groups                    | other province | chief1           | 422           | nor another province's
POST   /api/v1/rotation-groups                    | same           | chief1           | 201           | T's chief sets up a group of T's prosecutors
POST   /api/v1/rotation-groups                    | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/rotation-groups/{group_id}         | same           | prosecutor1      | 200           | a unit's staff read its rotation board
GET    /api/v1/rotation-groups/{group_id}         | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/rotation-groups/{group_id}         | parent         | casemanager1     | 200           | supervision reads down
GET    /api/v1/rotation-groups/{group_id}         | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/rotation-groups/{group_id}         | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/rotation-groups/{group_id}         | child          | chief1           | 404           | nobody reads up
GET    /api/v1/rotation-groups/{group_id}         | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/rotation-groups/{group_id}         | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/rotation-groups/{group_id}         | anonymous      | -                | 401           | no token: refused

POST   /api/v1/rotation-groups/{group_id}/members | same           | prosecutor1      | 403           | a prosecutor does not change the group
POST   /api/v1/rotation-groups/{group_id}/members | sibling        | chief1           | 404           | no sideways changes
POST   /api/v1/rotation-groups/{group_id}/members | parent         | casemanager1     | 403           | supervision reads the board, changes nothing in it
POST   /api/v1/rotation-groups/{group_id}/members | grandparent    | casemanager1     | 403           | nor does the province
POST   /api/v1/rotation-groups/{group_id}/members | child          | chief1           | 404           | not the city's group
POST   /api/v1/rotation-groups/{group_id}/members | other city     | chief1           | 404           | no sideways changes
POST   /api/v1/rotation-groups/{group_id}/members | other province | chief1           | 404           | no changes across provinces
POST   /api/v1/rotation-groups/{group_id}/members | same           | casemanager1     | 201           | T's case manager adds a prosecutor of T
POST   /api/v1/rotation-groups/{group_id}/members | anonymous      | -                | 401/422       | no token: refused

# {username}: prosecutor1 of T, a member of T's group.
PATCH  /api/v1/rotation-groups/{group_id}/members/{username} | same | prosecutor1      | 403           | a member does not change their own status
PATCH  /api/v1/rotation-groups/{group_id}/members/{username} | sibling | chief1        | 404           | no sideways changes
PATCH  /api/v1/rotation-groups/{group_id}/members/{username} | parent | casemanager1   | 403           | supervision reads the board, changes nothing in it
PATCH  /api/v1/rotation-groups/{group_id}/members/{username} | grandparent | casemanager1 | 403       | nor does the province
PATCH  /api/v1/rotation-groups/{group_id}/members/{username} | child | chief1          | 404           | not the city's group
PATCH  /api/v1/rotation-groups/{group_id}/members/{username} | other city | chief1     | 404           | no sideways changes
PATCH  /api/v1/rotation-groups/{group_id}/members/{username} | other province | chief1 | 404           | no changes across provinces
PATCH  /api/v1/rotation-groups/{group_id}/members/{username} | same | casemanager1     | 200           | T's case manager marks a member absent
PATCH  /api/v1/rotation-groups/{group_id}/members/{username} | anonymous | -           | 401/422       | no token: refused

DELETE /api/v1/rotation-groups/{group_id}/members/{username} | same | prosecutor1      | 403           | a member does not take themselves out
DELETE /api/v1/rotation-groups/{group_id}/members/{username} | sibling | chief1        | 404           | no sideways changes
DELETE /api/v1/rotation-groups/{group_id}/members/{username} | parent | casemanager1   | 403           | supervision reads the board, changes nothing in it
DELETE /api/v1/rotation-groups/{group_id}/members/{username} | grandparent | casemanager1 | 403       | nor does the province
DELETE /api/v1/rotation-groups/{group_id}/members/{username} | child | chief1          | 404           | not the city's group
DELETE /api/v1/rotation-groups/{group_id}/members/{username} | other city | chief1     | 404           | no sideways changes
DELETE /api/v1/rotation-groups/{group_id}/members/{username} | other province | chief1 | 404           | no changes across provinces
DELETE /api/v1/rotation-groups/{group_id}/members/{username} | same | casemanager1     | 204           | T's case manager takes a member out
DELETE /api/v1/rotation-groups/{group_id}/members/{username} | anonymous | -           | 401/422       | no token: refused

GET    /api/v1/rotation-groups/{group_id}/rules   | same           | prosecutor1      | 200           | a unit's staff read its groups' rules
GET    /api/v1/rotation-groups/{group_id}/rules   | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/rotation-groups/{group_id}/rules   | parent         | casemanager1     | 200           | supervision reads down
GET    /api/v1/rotation-groups/{group_id}/rules   | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/rotation-groups/{group_id}/rules   | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/rotation-groups/{group_id}/rules   | child          | chief1           | 404           | nobody reads up
GET    /api/v1/rotation-groups/{group_id}/rules   | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/rotation-groups/{group_id}/rules   | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/rotation-groups/{group_id}/rules   | anonymous      | -                | 401           | no token: refused

POST   /api/v1/rotation-groups/{group_id}/rules   | same           | prosecutor1      | 403           | a prosecutor proposes no rules
POST   /api/v1/rotation-groups/{group_id}/rules   | sibling        | chief1           | 404           | no sideways proposals
POST   /api/v1/rotation-groups/{group_id}/rules   | parent         | chief1           | 403           | supervision reads the rules, proposes none for a district
POST   /api/v1/rotation-groups/{group_id}/rules   | grandparent    | chief1           | 403           | nor does the province
POST   /api/v1/rotation-groups/{group_id}/rules   | child          | chief1           | 404           | not the city's group
POST   /api/v1/rotation-groups/{group_id}/rules   | other city     | chief1           | 404           | no sideways proposals
POST   /api/v1/rotation-groups/{group_id}/rules   | other province | chief1           | 404           | no proposals across provinces
POST   /api/v1/rotation-groups/{group_id}/rules   | same           | casemanager1     | 201           | T's case manager proposes new rules
POST   /api/v1/rotation-groups/{group_id}/rules   | anonymous      | -                | 401/422       | no token: refused

# {group_id}/{version}: T's other group, with version 2 of its rules awaiting a decision.
POST   /api/v1/rotation-groups/{group_id}/rules/{version}/decision | same | casemanager1 | 403        | who proposed the rules does not decide them
POST   /api/v1/rotation-groups/{group_id}/rules/{version}/decision | sibling | chief1    | 404        | no sideways decisions
POST   /api/v1/rotation-groups/{group_id}/rules/{version}/decision | parent | chief1     | 403        | supervision reads the rules, decides nothing for a district
POST   /api/v1/rotation-groups/{group_id}/rules/{version}/decision | grandparent | chief1 | 403       | nor does the province
POST   /api/v1/rotation-groups/{group_id}/rules/{version}/decision | child | chief1      | 404        | not the city's group
POST   /api/v1/rotation-groups/{group_id}/rules/{version}/decision | other city | chief1 | 404        | no sideways decisions
POST   /api/v1/rotation-groups/{group_id}/rules/{version}/decision | other province | chief1 | 404    | no decisions across provinces
POST   /api/v1/rotation-groups/{group_id}/rules/{version}/decision | same | chief1       | 200        | T's chief approves the rules (轮案规则调整)
POST   /api/v1/rotation-groups/{group_id}/rules/{version}/decision | anonymous | -      | 401/422    | no token: refused

# {decision_id}: the handler's request to extend the review, awaiting T's department head.
GET    /api/v1/decisions/inbox                    | same           | depthead1        | 200 with T    | the department head holds the power the request awaits
GET    /api/v1/decisions/inbox                    | same           | chief1           | 200 with T    | so does the chief, a higher rank
GET    /api/v1/decisions/inbox                    | same           | prosecutor1      | 200 without T | the requester does not decide their own request
GET    /api/v1/decisions/inbox                    | sibling        | chief1           | 200 without T | not a sibling's requests
GET    /api/v1/decisions/inbox                    | parent         | chief1           | 200 without T | a city chief decides nothing in a district's case
GET    /api/v1/decisions/inbox                    | grandparent    | chief1           | 200 without T | nor does the province's
GET    /api/v1/decisions/inbox                    | child          | chief1           | 200 without T | not the city's requests
GET    /api/v1/decisions/inbox                    | other city     | chief1           | 200 without T | not another city's
GET    /api/v1/decisions/inbox                    | other province | chief1           | 200 without T | not another province's
GET    /api/v1/decisions/inbox                    | anonymous      | -                | 401           | no token: refused

POST   /api/v1/decisions/{decision_id}/approve    | same           | prosecutor1      | 403           | the requester does not approve their own request
POST   /api/v1/decisions/{decision_id}/approve    | same           | prosecutor2      | 404           | a colleague not on the case does not see it
POST   /api/v1/decisions/{decision_id}/approve    | sibling        | chief1           | 404           | no sideways decisions
POST   /api/v1/decisions/{decision_id}/approve    | parent         | chief1           | 403           | supervision reads it; decisions are taken in the case's own unit
POST   /api/v1/decisions/{decision_id}/approve    | grandparent    | chief1           | 403           | nor by the province
POST   /api/v1/decisions/{decision_id}/approve    | child          | chief1           | 404           | not the city's decision
POST   /api/v1/decisions/{decision_id}/approve    | other city     | chief1           | 404           | no sideways decisions
POST   /api/v1/decisions/{decision_id}/approve    | other province | chief1           | 404           | no decisions across provinces
POST   /api/v1/decisions/{decision_id}/approve    | same           | depthead1        | 200           | the department head approves it
POST   /api/v1/decisions/{decision_id}/approve    | anonymous      | -                | 401/422       | no token: refused

POST   /api/v1/decisions/{decision_id}/return     | same           | prosecutor1      | 403           | the requester does not return their own request
POST   /api/v1/decisions/{decision_id}/return     | same           | prosecutor2      | 404           | a colleague not on the case does not see it
POST   /api/v1/decisions/{decision_id}/return     | sibling        | chief1           | 404           | no sideways decisions
POST   /api/v1/decisions/{decision_id}/return     | parent         | chief1           | 403           | supervision reads it; decisions are taken in the case's own unit
POST   /api/v1/decisions/{decision_id}/return     | grandparent    | chief1           | 403           | nor by the province
POST   /api/v1/decisions/{decision_id}/return     | child          | chief1           | 404           | not the city's decision
POST   /api/v1/decisions/{decision_id}/return     | other city     | chief1           | 404           | no sideways decisions
POST   /api/v1/decisions/{decision_id}/return     | other province | chief1           | 404           | no decisions across provinces
POST   /api/v1/decisions/{decision_id}/return     | same           | depthead1        | 200           | the department head returns it to the handler
POST   /api/v1/decisions/{decision_id}/return     | anonymous      | -                | 401/422       | no token: refused

POST   /api/v1/decisions/{decision_id}/change     | same           | prosecutor1      | 403           | the requester does not decide their own request
POST   /api/v1/decisions/{decision_id}/change     | same           | prosecutor2      | 404           | a colleague not on the case does not see it
POST   /api/v1/decisions/{decision_id}/change     | sibling        | chief1           | 404           | no sideways decisions
POST   /api/v1/decisions/{decision_id}/change     | parent         | chief1           | 403           | supervision reads it; decisions are taken in the case's own unit
POST   /api/v1/decisions/{decision_id}/change     | grandparent    | chief1           | 403           | nor by the province
POST   /api/v1/decisions/{decision_id}/change     | child          | chief1           | 404           | not the city's decision
POST   /api/v1/decisions/{decision_id}/change     | other city     | chief1           | 404           | no sideways decisions
POST   /api/v1/decisions/{decision_id}/change     | other province | chief1           | 404           | no decisions across provinces
POST   /api/v1/decisions/{decision_id}/change     | same           | depthead1        | 200           | the department head decides it with other content
POST   /api/v1/decisions/{decision_id}/change     | anonymous      | -                | 401/422       | no token: refused

POST   /api/v1/decisions/{decision_id}/escalate   | same           | prosecutor1      | 403           | the requester does not send their own request up
POST   /api/v1/decisions/{decision_id}/escalate   | same           | prosecutor2      | 404           | a colleague not on the case does not see it
POST   /api/v1/decisions/{decision_id}/escalate   | sibling        | chief1           | 404           | no sideways decisions
POST   /api/v1/decisions/{decision_id}/escalate   | parent         | chief1           | 403           | supervision reads it; a district's request goes up within the district
POST   /api/v1/decisions/{decision_id}/escalate   | grandparent    | chief1           | 403           | nor by the province
POST   /api/v1/decisions/{decision_id}/escalate   | child          | chief1           | 404           | not the city's decision
POST   /api/v1/decisions/{decision_id}/escalate   | other city     | chief1           | 404           | no sideways decisions
POST   /api/v1/decisions/{decision_id}/escalate   | other province | chief1           | 404           | no decisions across provinces
POST   /api/v1/decisions/{decision_id}/escalate   | same           | depthead1        | 200           | the department head sends it up to the deputy chief
POST   /api/v1/decisions/{decision_id}/escalate   | anonymous      | -                | 401/422       | no token: refused

# {meeting_id}: a joint meeting of T on T's case, convened by prosecutor1 with depthead1.
GET    /api/v1/meetings                           | same           | prosecutor1      | 200 with T    | who convened it lists it
GET    /api/v1/meetings                           | same           | chief1           | 200 with T    | the unit's meetings are listed in the unit
GET    /api/v1/meetings                           | sibling        | chief1           | 200 without T | not a sibling's meetings
GET    /api/v1/meetings                           | parent         | casemanager1     | 200 with T    | supervision lists the descendants' meetings
GET    /api/v1/meetings                           | parent         | prosecutor1      | 200 without T | only supervisors list down
GET    /api/v1/meetings                           | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/meetings                           | child          | chief1           | 200 without T | not the city's meetings
GET    /api/v1/meetings                           | other city     | chief1           | 200 without T | no sideways listing
GET    /api/v1/meetings                           | other province | chief1           | 200 without T | no listing across provinces
GET    /api/v1/meetings                           | anonymous      | -                | 401           | no token: refused

POST   /api/v1/meetings                           | same           | prosecutor2      | 404           | a meeting on a case one does not see: the case is not found
POST   /api/v1/meetings                           | sibling        | chief1           | 404           | no meetings on a sibling's case
POST   /api/v1/meetings                           | parent         | chief1           | 403           | supervision reads the case, convenes no meeting on it
POST   /api/v1/meetings                           | grandparent    | chief1           | 403           | nor does the province
POST   /api/v1/meetings                           | child          | chief1           | 404           | not on the city's case
POST   /api/v1/meetings                           | other city     | chief1           | 404           | no sideways meetings
POST   /api/v1/meetings                           | other province | chief1           | 404           | no meetings across provinces
POST   /api/v1/meetings                           | same           | prosecutor1      | 201           | the handler convenes a joint meeting on the case
POST   /api/v1/meetings                           | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/meetings/{meeting_id}              | same           | prosecutor1      | 200 with T    | who convened it reads it, with its case
GET    /api/v1/meetings/{meeting_id}              | same           | prosecutor2      | 200 without T | a colleague reads the unit's meeting, without the case they may not read
GET    /api/v1/meetings/{meeting_id}              | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/meetings/{meeting_id}              | parent         | casemanager1     | 200 with T    | supervision reads it, with the case
GET    /api/v1/meetings/{meeting_id}              | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/meetings/{meeting_id}              | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/meetings/{meeting_id}              | child          | chief1           | 404           | nobody reads up
GET    /api/v1/meetings/{meeting_id}              | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/meetings/{meeting_id}              | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/meetings/{meeting_id}              | anonymous      | -                | 401           | no token: refused

POST   /api/v1/meetings/{meeting_id}/opinions     | same           | prosecutor2      | 404           | the case is not a colleague's to see
POST   /api/v1/meetings/{meeting_id}/opinions     | sibling        | chief1           | 404           | no sideways opinions
POST   /api/v1/meetings/{meeting_id}/opinions     | parent         | chief1           | 403           | supervision reads the meeting, records nothing in it
POST   /api/v1/meetings/{meeting_id}/opinions     | grandparent    | chief1           | 403           | nor does the province
POST   /api/v1/meetings/{meeting_id}/opinions     | child          | chief1           | 404           | not the city's meeting
POST   /api/v1/meetings/{meeting_id}/opinions     | other city     | chief1           | 404           | no sideways opinions
POST   /api/v1/meetings/{meeting_id}/opinions     | other province | chief1           | 404           | no opinions across provinces
POST   /api/v1/meetings/{meeting_id}/opinions     | same           | prosecutor1      | 201           | a participant records their opinion
POST   /api/v1/meetings/{meeting_id}/opinions     | anonymous      | -                | 401/422       | no token: refused

POST   /api/v1/meetings/{meeting_id}/close        | same           | prosecutor2      | 403           | only whoever convened or chairs it closes it
POST   /api/v1/meetings/{meeting_id}/close        | sibling        | chief1           | 404           | no sideways closing
POST   /api/v1/meetings/{meeting_id}/close        | parent         | chief1           | 403           | supervision reads the meeting, does not close it
POST   /api/v1/meetings/{meeting_id}/close        | grandparent    | chief1           | 403           | nor does the province
POST   /api/v1/meetings/{meeting_id}/close        | child          | chief1           | 404           | not the city's meeting
POST   /api/v1/meetings/{meeting_id}/close        | other city     | chief1           | 404           | no sideways closing
POST   /api/v1/meetings/{meeting_id}/close        | other province | chief1           | 404           | no closing across provinces
POST   /api/v1/meetings/{meeting_id}/close        | same           | prosecutor1      | 200           | who convened it closes it
POST   /api/v1/meetings/{meeting_id}/close        | anonymous      | -                | 401/422       | no token: refused

# {document_id}: a PDF on T's case.
GET    /api/v1/documents/{document_id}            | same           | prosecutor1      | 200           | the document follows the case: the handler downloads it
GET    /api/v1/documents/{document_id}            | same           | prosecutor2      | 404           | a colleague not on the case does not
GET    /api/v1/documents/{document_id}            | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/documents/{document_id}            | sibling        | prosecutor2      | 200           | the named reviewer does, while the order runs
GET    /api/v1/documents/{document_id}            | parent         | casemanager1     | 200           | supervision reads it
GET    /api/v1/documents/{document_id}            | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/documents/{document_id}            | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/documents/{document_id}            | child          | chief1           | 404           | not the city's document
GET    /api/v1/documents/{document_id}            | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/documents/{document_id}            | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/documents/{document_id}            | anonymous      | -                | 401           | no token: refused

GET    /api/v1/organisations                      | same           | prosecutor1      | 200 with T    | a unit's staff list its case-handling organisations
GET    /api/v1/organisations                      | sibling        | chief1           | 200 without T | not a sibling's
GET    /api/v1/organisations                      | parent         | casemanager1     | 200 with T    | supervision lists the descendants'
GET    /api/v1/organisations                      | parent         | prosecutor1      | 200 without T | only supervisors list down
GET    /api/v1/organisations                      | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/organisations                      | child          | chief1           | 200 without T | not the city's
GET    /api/v1/organisations                      | other city     | chief1           | 200 without T | no sideways listing
GET    /api/v1/organisations                      | other province | chief1           | 200 without T | no listing across provinces
GET    /api/v1/organisations                      | anonymous      | -                | 401           | no token: refused

POST   /api/v1/organisations                      | same           | prosecutor1      | 403           | only the chief, deputies, the administrator or a department head organise
POST   /api/v1/organisations                      | sibling        | chief1           | 422           | T's prosecutors are not 天河's to organise: no such user in its unit
POST   /api/v1/organisations                      | parent         | chief1           | 422           | nor the city's
POST   /api/v1/organisations                      | grandparent    | chief1           | 422           | nor the province's
POST   /api/v1/organisations                      | child          | chief1           | 422           | nor a district's, the city's people
POST   /api/v1/organisations                      | other city     | chief1           | 422           | nor another city's district
POST   /api/v1/organisations                      | other province | chief1           | 422           | nor another province's
POST   /api/v1/organisations                      | same           | chief1           | 201           | T's chief sets up an organisation of T's prosecutor
POST   /api/v1/organisations                      | anonymous      | -                | 401/422       | no token: refused

# with T: the case a department head of T handled in March 2026 is in the report.
GET    /api/v1/leaders/own-cases?unit={code}&month=2026-03 | same | chief1           | 200 with T    | the chief reads the unit's leaders' own cases
GET    /api/v1/leaders/own-cases?unit={code}&month=2026-03 | same | prosecutor1      | 403           | a prosecutor does not read the leaders' report
GET    /api/v1/leaders/own-cases?unit={code}&month=2026-03 | sibling | chief1        | 404           | no sideways reads
GET    /api/v1/leaders/own-cases?unit={code}&month=2026-03 | parent | casemanager1   | 200 with T    | supervision reads down
GET    /api/v1/leaders/own-cases?unit={code}&month=2026-03 | grandparent | inspector1 | 200 with T   | supervision reaches grandchildren
GET    /api/v1/leaders/own-cases?unit={code}&month=2026-03 | child | chief1          | 404           | nobody reads up
GET    /api/v1/leaders/own-cases?unit={code}&month=2026-03 | other city | chief1     | 404           | no sideways reads
GET    /api/v1/leaders/own-cases?unit={code}&month=2026-03 | other province | chief1 | 404           | no reads across provinces
GET    /api/v1/leaders/own-cases?unit={code}&month=2026-03 | anonymous | -           | 401/422       | no token: refused

# T's record: prosecutor1 of T noted a call about T's case.
GET    /api/v1/interference-records               | same           | prosecutor1      | 200 with T    | who recorded it reads it
GET    /api/v1/interference-records               | same           | chief1           | 200 with T    | the unit's chief reads the unit's records
GET    /api/v1/interference-records               | same           | prosecutor2      | 200 without T | a colleague does not
GET    /api/v1/interference-records               | same           | casemanager1     | 200 without T | nor the case manager
GET    /api/v1/interference-records               | sibling        | chief1           | 200 without T | nor a sibling's chief
GET    /api/v1/interference-records               | parent         | inspector1       | 200 with T    | the city's inspector reads the districts' records
GET    /api/v1/interference-records               | parent         | chief1           | 200 without T | the city's chief reads the city's own only
GET    /api/v1/interference-records               | grandparent    | inspector1       | 200 with T    | the province's inspector reads its whole tree's
GET    /api/v1/interference-records               | grandparent    | chief1           | 200 without T | the province's chief reads the province's own only
GET    /api/v1/interference-records               | child          | chief1           | 200 without T | a district does not read its city's records
GET    /api/v1/interference-records               | other city     | chief1           | 200 without T | no sideways reads
GET    /api/v1/interference-records               | uncle          | inspector1       | 200 without T | 深圳's inspector reads 深圳's tree only
GET    /api/v1/interference-records               | other province | chief1           | 200 without T | no reads across provinces
GET    /api/v1/interference-records               | other root     | inspector1       | 200 without T | no reads across provinces
GET    /api/v1/interference-records               | anonymous      | -                | 401           | no token: refused

POST   /api/v1/interference-records               | same           | prosecutor2      | 404           | a colleague does not see the case to record it on
POST   /api/v1/interference-records               | sibling        | chief1           | 404           | no sideways records
POST   /api/v1/interference-records               | parent         | chief1           | 403           | supervision reads the case; the record is made in its own unit
POST   /api/v1/interference-records               | grandparent    | inspector1       | 403           | nor by the province
POST   /api/v1/interference-records               | child          | chief1           | 404           | not on the city's case
POST   /api/v1/interference-records               | other city     | chief1           | 404           | no sideways records
POST   /api/v1/interference-records               | other province | chief1           | 404           | no records across provinces
POST   /api/v1/interference-records               | same           | prosecutor1      | 201           | the handler records a call about the case
POST   /api/v1/interference-records               | anonymous      | -                | 401/422       | no token: refused

# The catalogue and the calendar are 广东's, published for its tree: "with T" is what
# T's province publishes (the catalogue holds a kind of 广东's own; the calendar's days
# name their publisher).
GET    /api/v1/catalogue/kinds                    | same           | prosecutor1      | 200 with T    | a district works under its province's catalogue
GET    /api/v1/catalogue/kinds                    | sibling        | chief1           | 200 with T    | so does every unit of the province
GET    /api/v1/catalogue/kinds                    | parent         | casemanager1     | 200 with T    | and the city
GET    /api/v1/catalogue/kinds                    | grandparent    | inspector1       | 200 with T    | and the province that publishes it
GET    /api/v1/catalogue/kinds                    | child          | chief1           | 200 with T    | the same catalogue above and below
GET    /api/v1/catalogue/kinds                    | other city     | chief1           | 200 with T    | 深圳 is in the same province
GET    /api/v1/catalogue/kinds                    | other province | chief1           | 200 without T | 广西 works under 广西's
GET    /api/v1/catalogue/kinds                    | other root     | inspector1       | 200 without T | 广西 works under 广西's
GET    /api/v1/catalogue/kinds                    | anonymous      | -                | 401           | no token: refused

GET    /api/v1/calendar?year=2026                 | same           | prosecutor1      | 200 with T    | a district counts days by its province's calendar
GET    /api/v1/calendar?year=2026                 | sibling        | chief1           | 200 with T    | so does every unit of the province
GET    /api/v1/calendar?year=2026                 | parent         | casemanager1     | 200 with T    | and the city
GET    /api/v1/calendar?year=2026                 | grandparent    | inspector1       | 200 with T    | and the province that publishes it
GET    /api/v1/calendar?year=2026                 | child          | chief1           | 200 with T    | the same calendar above and below
GET    /api/v1/calendar?year=2026                 | other city     | chief1           | 200 with T    | 深圳 is in the same province
GET    /api/v1/calendar?year=2026                 | other province | chief1           | 200 without T | 广西 counts by 广西's
GET    /api/v1/calendar?year=2026                 | other root     | inspector1       | 200 without T | 广西 counts by 广西's
GET    /api/v1/calendar?year=2026                 | anonymous      | -                | 401           | no token: refused

PUT    /api/v1/calendar/{day}                     | same           | chief1           | 403           | a district does not edit the calendar
PUT    /api/v1/calendar/{day}                     | same           | admin1           | 403           | nor does its administrator
PUT    /api/v1/calendar/{day}                     | sibling        | chief1           | 403           | nor a sibling
PUT    /api/v1/calendar/{day}                     | parent         | chief1           | 403           | nor the city
PUT    /api/v1/calendar/{day}                     | grandparent    | casemanager1     | 403           | only the province's administrator or chief
PUT    /api/v1/calendar/{day}                     | child          | admin1           | 403           | a district edits no calendar
PUT    /api/v1/calendar/{day}                     | other city     | chief1           | 403           | nor another city's district
PUT    /api/v1/calendar/{day}                     | other province | admin1           | 403           | nor another province's district
PUT    /api/v1/calendar/{day}                     | other root     | admin1           | 200 without T | 广西's administrator edits 广西's calendar, not T's
PUT    /api/v1/calendar/{day}                     | grandparent    | admin1           | 200 with T    | the province's administrator publishes a day for its tree
PUT    /api/v1/calendar/{day}                     | anonymous      | -                | 401/422       | no token: refused

DELETE /api/v1/calendar/{day}                     | same           | chief1           | 403           | a district does not edit the calendar
DELETE /api/v1/calendar/{day}                     | sibling        | chief1           | 403           | nor a sibling
DELETE /api/v1/calendar/{day}                     | parent         | chief1           | 403           | nor the city
DELETE /api/v1/calendar/{day}                     | grandparent    | casemanager1     | 403           | only the province's administrator or chief
DELETE /api/v1/calendar/{day}                     | child          | admin1           | 403           | a district edits no calendar
DELETE /api/v1/calendar/{day}                     | other city     | chief1           | 403           | nor another city's district
DELETE /api/v1/calendar/{day}                     | other province | admin1           | 403           | nor another province's district
DELETE /api/v1/calendar/{day}                     | grandparent    | chief1           | 204           | the province's chief drops a day of its calendar
DELETE /api/v1/calendar/{day}                     | anonymous      | -                | 401           | no token: refused

# {job_id}: a failed report job prosecutor1 of T asked for (for /pdf: a finished one).
GET    /api/v1/jobs                               | same           | prosecutor1      | 200 with T    | who asked for it lists it
GET    /api/v1/jobs                               | same           | prosecutor2      | 200 without T | a colleague does not
GET    /api/v1/jobs                               | same           | chief1           | 200 with T    | a whole-unit reader lists the unit's jobs
GET    /api/v1/jobs                               | sibling        | chief1           | 200 without T | not a sibling's
GET    /api/v1/jobs                               | parent         | casemanager1     | 200 with T    | supervision lists the descendants' jobs
GET    /api/v1/jobs                               | parent         | prosecutor1      | 200 without T | only supervisors list down
GET    /api/v1/jobs                               | grandparent    | inspector1       | 200 with T    | supervision reaches grandchildren
GET    /api/v1/jobs                               | child          | chief1           | 200 without T | not the city's
GET    /api/v1/jobs                               | other city     | chief1           | 200 without T | no sideways listing
GET    /api/v1/jobs                               | other province | chief1           | 200 without T | no listing across provinces
GET    /api/v1/jobs                               | anonymous      | -                | 401           | no token: refused

POST   /api/v1/jobs                               | same           | prosecutor1      | 202 with T    | a report is asked for one's own unit
POST   /api/v1/jobs                               | sibling        | chief1           | 202 without T | 天河's request is for 天河, never for T
POST   /api/v1/jobs                               | parent         | casemanager1     | 202 without T | the city's is for the city
POST   /api/v1/jobs                               | grandparent    | inspector1       | 202 without T | the province's for the province
POST   /api/v1/jobs                               | child          | chief1           | 202 without T | a district's for the district
POST   /api/v1/jobs                               | other city     | chief1           | 202 without T | each unit asks for itself
POST   /api/v1/jobs                               | other province | chief1           | 202 without T | each unit asks for itself
POST   /api/v1/jobs                               | anonymous      | -                | 401/422       | no token: refused

GET    /api/v1/jobs/{job_id}                      | same           | prosecutor1      | 200           | who asked for it reads it
GET    /api/v1/jobs/{job_id}                      | same           | prosecutor2      | 404           | a colleague does not
GET    /api/v1/jobs/{job_id}                      | same           | chief1           | 200           | a whole-unit reader does
GET    /api/v1/jobs/{job_id}                      | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/jobs/{job_id}                      | parent         | casemanager1     | 200           | supervision reads down
GET    /api/v1/jobs/{job_id}                      | parent         | prosecutor1      | 404           | only supervisors read down
GET    /api/v1/jobs/{job_id}                      | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/jobs/{job_id}                      | child          | chief1           | 404           | nobody reads up
GET    /api/v1/jobs/{job_id}                      | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/jobs/{job_id}                      | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/jobs/{job_id}                      | anonymous      | -                | 401           | no token: refused

POST   /api/v1/jobs/{job_id}/retry                | same           | chief1           | 403           | the chief sees it, does not retry it
POST   /api/v1/jobs/{job_id}/retry                | sibling        | casemanager1     | 404           | no sideways retries
POST   /api/v1/jobs/{job_id}/retry                | parent         | casemanager1     | 403           | a case manager retries their own unit's jobs only
POST   /api/v1/jobs/{job_id}/retry                | grandparent    | casemanager1     | 403           | likewise the province's
POST   /api/v1/jobs/{job_id}/retry                | child          | casemanager1     | 404           | nobody reads up
POST   /api/v1/jobs/{job_id}/retry                | other city     | casemanager1     | 404           | no sideways retries
POST   /api/v1/jobs/{job_id}/retry                | other province | casemanager1     | 404           | no retries across provinces
POST   /api/v1/jobs/{job_id}/retry                | same           | prosecutor1      | 202           | who asked for it retries it
POST   /api/v1/jobs/{job_id}/retry                | same           | casemanager1     | 202           | so does the unit's case manager
POST   /api/v1/jobs/{job_id}/retry                | anonymous      | -                | 401           | no token: refused

GET    /api/v1/jobs/{job_id}/pdf                  | same           | prosecutor1      | 200           | who asked for it downloads the report
GET    /api/v1/jobs/{job_id}/pdf                  | same           | prosecutor2      | 404           | a colleague does not
GET    /api/v1/jobs/{job_id}/pdf                  | sibling        | chief1           | 404           | no sideways reads
GET    /api/v1/jobs/{job_id}/pdf                  | parent         | casemanager1     | 200           | supervision reads down
GET    /api/v1/jobs/{job_id}/pdf                  | grandparent    | inspector1       | 200           | supervision reaches grandchildren
GET    /api/v1/jobs/{job_id}/pdf                  | child          | chief1           | 404           | nobody reads up
GET    /api/v1/jobs/{job_id}/pdf                  | other city     | chief1           | 404           | no sideways reads
GET    /api/v1/jobs/{job_id}/pdf                  | other province | chief1           | 404           | no reads across provinces
GET    /api/v1/jobs/{job_id}/pdf                  | anonymous      | -                | 401           | no token: refused
"""


@dataclass(frozen=True)
class Row:
    line: int
    method: str
    path: str  # may carry a query string and {placeholders}
    relation: str
    viewer: str | None  # account prefix, None for anonymous
    statuses: tuple[int, ...]  # the answer is one of these
    shows: str | None  # "with T", "without T", "empty" or None
    rule: str

    @property
    def endpoint(self) -> str:
        """The OpenAPI path this row exercises."""
        return self.path.split("?", 1)[0]

    @property
    def target(self) -> str:
        return RELATIONS[self.relation][0]

    @property
    def viewer_unit(self) -> str | None:
        return RELATIONS[self.relation][1]

    @property
    def username(self) -> str | None:
        return f"{self.viewer}@{self.viewer_unit}" if self.viewer else None

    @property
    def id(self) -> str:
        who = self.username or "anonymous"
        shows = f" {self.shows}" if self.shows else ""
        status = "/".join(map(str, self.statuses))
        return f"{self.method} {self.path} as {who} ({self.relation}) -> {status}{shows}"


SHOWS = ("with T", "without T", "empty")


def parse(text: str = MATRIX) -> list[Row]:
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("|")]
        if len(cells) != 5:
            raise ValueError(f"matrix line {number}: want 5 cells, got {len(cells)}: {raw!r}")
        operation, relation, viewer, expect, rule = cells
        method, path = operation.split(None, 1)
        if relation not in RELATIONS:
            raise ValueError(f"matrix line {number}: unknown relation {relation!r}")
        status, _, shows = expect.partition(" ")
        if shows and shows not in SHOWS:
            raise ValueError(f"matrix line {number}: unknown expectation {shows!r}")
        anonymous = RELATIONS[relation][1] is None
        if anonymous != (viewer == "-"):
            raise ValueError(f"matrix line {number}: viewer {viewer!r} for relation {relation!r}")
        rows.append(Row(number, method.upper(), path.strip(), relation,
                        None if viewer == "-" else viewer,
                        tuple(int(x) for x in status.split("/")), shows or None, rule))
    return rows


ROWS = parse()
