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

Path parameters other than T's ({draw_id}, {group_id}, ...) take a placeholder that
names nothing; they only appear in anonymous rows, refused before any lookup.
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

# Operations whose per-relation rows are still owed: each needs a resource of its own
# (a rotation group, a draw, a decision, a meeting, a document, a job) or a valid
# body for its write, that the world of test_isolation_matrix.py does not build yet.
# Until then they have their anonymous row only. Adding an operation here is a
# visible decision; an operation that has every relation must leave the list.
PENDING = {
    ("POST", "/api/v1/cases"): "a valid case-card body (intake)",
    ("POST", "/api/v1/cases/import"): "a valid .xlsx/.csv upload",
    ("POST", "/api/v1/cases/{case_id}/assignment"): "a rotation group to draw from",
    ("POST", "/api/v1/cases/{case_id}/reassignment"): "a draw to redo",
    ("POST", "/api/v1/cases/{case_id}/decisions"): "a valid decision body",
    ("POST", "/api/v1/cases/{case_id}/documents"): "a document upload",
    ("POST", "/api/v1/cases/{case_id}/clocks/{name}/extension"): "a case with running clocks",
    ("GET", "/api/v1/assignments/{draw_id}"): "a draw",
    ("POST", "/api/v1/assignments/{draw_id}/approval"): "a draw awaiting approval",
    ("GET", "/api/v1/assignments/{draw_id}/replay"): "a draw",
    ("GET", "/api/v1/rotation-groups"): "rotation groups in several units",
    ("POST", "/api/v1/rotation-groups"): "a valid group body",
    ("GET", "/api/v1/rotation-groups/{group_id}"): "a rotation group",
    ("POST", "/api/v1/rotation-groups/{group_id}/members"): "a rotation group",
    ("PATCH", "/api/v1/rotation-groups/{group_id}/members/{username}"): "a group member",
    ("DELETE", "/api/v1/rotation-groups/{group_id}/members/{username}"): "a group member",
    ("GET", "/api/v1/rotation-groups/{group_id}/rules"): "a rotation group",
    ("POST", "/api/v1/rotation-groups/{group_id}/rules"): "a rotation group",
    ("POST", "/api/v1/rotation-groups/{group_id}/rules/{version}/decision"): "a rule version",
    ("GET", "/api/v1/decisions/inbox"): "decisions awaiting several deciders",
    ("POST", "/api/v1/decisions/{decision_id}/approve"): "a decision",
    ("POST", "/api/v1/decisions/{decision_id}/return"): "a decision",
    ("POST", "/api/v1/decisions/{decision_id}/change"): "a decision",
    ("POST", "/api/v1/decisions/{decision_id}/escalate"): "a decision",
    ("GET", "/api/v1/meetings"): "meetings in several units",
    ("POST", "/api/v1/meetings"): "a valid meeting body",
    ("GET", "/api/v1/meetings/{meeting_id}"): "a meeting",
    ("POST", "/api/v1/meetings/{meeting_id}/opinions"): "a meeting",
    ("POST", "/api/v1/meetings/{meeting_id}/close"): "a meeting",
    ("GET", "/api/v1/documents/{document_id}"): "a stored document",
    ("GET", "/api/v1/organisations"): "organisations in several units",
    ("POST", "/api/v1/organisations"): "a valid organisation body",
    ("GET", "/api/v1/leaders/own-cases"): "leaders handling cases, a month",
    ("GET", "/api/v1/interference-records"): "records in several units",
    ("POST", "/api/v1/interference-records"): "a valid record body",
    ("GET", "/api/v1/catalogue/kinds"): "catalogues published at several levels",
    ("GET", "/api/v1/calendar"): "calendars published at several levels",
    ("PUT", "/api/v1/calendar/{day}"): "a valid calendar day body",
    ("DELETE", "/api/v1/calendar/{day}"): "a calendar day",
    ("GET", "/api/v1/jobs"): "report jobs in several units",
    ("POST", "/api/v1/jobs"): "a valid job request",
    ("GET", "/api/v1/jobs/{job_id}"): "a job",
    ("POST", "/api/v1/jobs/{job_id}/retry"): "a failed job",
    ("GET", "/api/v1/jobs/{job_id}/pdf"): "a finished job",
}

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

# Operations still PENDING (see above): their anonymous row only, for now.
POST   /api/v1/cases                              | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/cases/import                       | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/cases/{case_id}/assignment         | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/cases/{case_id}/reassignment       | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/cases/{case_id}/decisions          | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/cases/{case_id}/documents          | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/cases/{case_id}/clocks/{name}/extension | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/assignments/{draw_id}              | anonymous      | -                | 401           | no token: refused
POST   /api/v1/assignments/{draw_id}/approval     | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/assignments/{draw_id}/replay       | anonymous      | -                | 401           | no token: refused
GET    /api/v1/rotation-groups                    | anonymous      | -                | 401           | no token: refused
POST   /api/v1/rotation-groups                    | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/rotation-groups/{group_id}         | anonymous      | -                | 401           | no token: refused
POST   /api/v1/rotation-groups/{group_id}/members | anonymous      | -                | 401/422       | no token: refused
PATCH  /api/v1/rotation-groups/{group_id}/members/{username} | anonymous      | -                | 401/422       | no token: refused
DELETE /api/v1/rotation-groups/{group_id}/members/{username} | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/rotation-groups/{group_id}/rules   | anonymous      | -                | 401           | no token: refused
POST   /api/v1/rotation-groups/{group_id}/rules   | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/rotation-groups/{group_id}/rules/{version}/decision | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/decisions/inbox                    | anonymous      | -                | 401           | no token: refused
POST   /api/v1/decisions/{decision_id}/approve    | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/decisions/{decision_id}/return     | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/decisions/{decision_id}/change     | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/decisions/{decision_id}/escalate   | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/meetings                           | anonymous      | -                | 401           | no token: refused
POST   /api/v1/meetings                           | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/meetings/{meeting_id}              | anonymous      | -                | 401           | no token: refused
POST   /api/v1/meetings/{meeting_id}/opinions     | anonymous      | -                | 401/422       | no token: refused
POST   /api/v1/meetings/{meeting_id}/close        | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/documents/{document_id}            | anonymous      | -                | 401           | no token: refused
GET    /api/v1/organisations                      | anonymous      | -                | 401           | no token: refused
POST   /api/v1/organisations                      | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/leaders/own-cases                  | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/interference-records               | anonymous      | -                | 401           | no token: refused
POST   /api/v1/interference-records               | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/catalogue/kinds                    | anonymous      | -                | 401           | no token: refused
GET    /api/v1/calendar                           | anonymous      | -                | 401           | no token: refused
PUT    /api/v1/calendar/{day}                     | anonymous      | -                | 401/422       | no token: refused
DELETE /api/v1/calendar/{day}                     | anonymous      | -                | 401           | no token: refused
GET    /api/v1/jobs                               | anonymous      | -                | 401           | no token: refused
POST   /api/v1/jobs                               | anonymous      | -                | 401/422       | no token: refused
GET    /api/v1/jobs/{job_id}                      | anonymous      | -                | 401           | no token: refused
POST   /api/v1/jobs/{job_id}/retry                | anonymous      | -                | 401           | no token: refused
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
