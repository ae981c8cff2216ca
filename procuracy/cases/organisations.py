"""Case-handling organisations (办案组织): a prosecutor alone (独任检察官) or a team
(检察官办案组, e.g. Dongpo's "1+1+1": one prosecutor, one assistant, one clerk),
each in a department of its unit.

Rules: a solo organisation has exactly one prosecutor (assistants and clerks may
support them); a team at least one prosecutor and two members; every member is
an active user of the unit, and whoever sits as prosecutor holds the prosecutor
role (员额检察官); the lead is one of the prosecutors. The unit's chief, deputy
chiefs and administrators set them up, a department head in their department.
"""
from __future__ import annotations

from sqlalchemy import select

from procuracy.cases.models import HandlingOrganisation, HandlingOrgMember
from procuracy.extensions import db
from procuracy.tenants.models import Department, Unit, User
from procuracy.tenants.roles import Role

ORGANISERS = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.UNIT_ADMIN})
ROLE_ORDER = {"prosecutor": 0, "assistant": 1, "clerk": 2}


class OrganisationError(ValueError):
    """The organisation cannot be created as given: ``errors`` maps fields to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))


def create_organisation(actor, data: dict) -> HandlingOrganisation:
    """Create an organisation in the actor's unit (``data`` as loaded by OrganisationIn)."""
    if not (actor.role_names & ORGANISERS or Role.DEPARTMENT_HEAD in actor.role_names):
        raise PermissionError("only the chief, deputy chiefs, unit administrators or a "
                              "department head set up case-handling organisations")
    errors: dict[str, list[str]] = {}
    department = db.session.scalars(select(Department).where(
        Department.unit_id == actor.unit_id, Department.name == data["department"])).first()
    if department is None:
        errors["department"] = [f"no department '{data['department']}' in your unit"]
    elif not actor.role_names & ORGANISERS and department.id != actor.department_id:
        raise PermissionError("a department head sets up organisations in their own department")
    members = _members(actor.unit_id, data["members"], errors)
    lead = _lead(data, members, errors)
    taken = db.session.scalar(select(HandlingOrganisation.id).where(
        HandlingOrganisation.unit_id == actor.unit_id, HandlingOrganisation.name == data["name"]))
    if taken is not None:
        errors["name"] = [f"your unit already has an organisation named '{data['name']}'"]
    if errors:
        raise OrganisationError(errors)
    org = HandlingOrganisation(
        unit_id=actor.unit_id, name=data["name"], kind=data["kind"],
        department_id=department.id, lead_id=lead.id, active=True,
        members=[HandlingOrgMember(unit_id=actor.unit_id, user_id=user.id, role=role)
                 for user, role in members])
    db.session.add(org)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return org


def _members(unit_id: int, wanted: list[dict], errors: dict) -> list[tuple[User, str]]:
    names = [m["username"] for m in wanted]
    users = {u.username: u for u in db.session.scalars(select(User).where(
        User.unit_id == unit_id, User.username.in_(names), User.active.is_(True)))}
    out, seen = [], set()
    for i, member in enumerate(wanted):
        name, role = member["username"], member["role"]
        user = users.get(name)
        if user is None:
            errors[f"members.{i}.username"] = [f"'{name}' is not an active user of your unit"]
        elif name in seen:
            errors[f"members.{i}.username"] = [f"'{name}' is listed twice"]
        elif role == "prosecutor" and not user.has_role(Role.PROSECUTOR):
            errors[f"members.{i}.role"] = [f"'{name}' is not a prosecutor (员额检察官)"]
        else:
            out.append((user, role))
        seen.add(name)
    return out


def _lead(data: dict, members: list[tuple[User, str]], errors: dict) -> User | None:
    prosecutors = [u for u, role in members if role == "prosecutor"]
    wanted = [m for m in data["members"] if m["role"] == "prosecutor"]
    if data["kind"] == "solo" and len(wanted) != 1:
        errors.setdefault("members", []).append(
            f"a solo organisation has exactly one prosecutor, not {len(wanted)}")
    if data["kind"] == "team":
        if not wanted:
            errors.setdefault("members", []).append("a team needs at least one prosecutor")
        if len(data["members"]) < 2:
            errors.setdefault("members", []).append("a team has at least two members")
    if data.get("lead"):
        lead = next((u for u in prosecutors if u.username == data["lead"]), None)
        if lead is None:
            errors["lead"] = ["the lead must be one of the organisation's prosecutors"]
        return lead
    return prosecutors[0] if prosecutors else None


def list_organisations(unit_code: str | None = None, org_id: int | None = None) -> list[dict]:
    """Organisations I may read (my unit's; supervisors' descendants'), by unit and name;
    three statements whatever their number (organisations, members, people)."""
    query = (select(HandlingOrganisation, Unit.code, Department.name)
             .outerjoin(Unit, Unit.id == HandlingOrganisation.unit_id)
             .outerjoin(Department, Department.id == HandlingOrganisation.department_id)
             .order_by(Unit.code, HandlingOrganisation.name))
    if unit_code:
        query = query.where(Unit.code == unit_code)
    if org_id is not None:
        query = query.where(HandlingOrganisation.id == org_id)
    rows = db.session.execute(query).all()
    ids = {m.user_id for org, _, _ in rows for m in org.members} | {o.lead_id for o, _, _ in rows}
    people = {u.id: u for u in db.session.execute(
        select(User.id, User.username, User.full_name).where(User.id.in_(ids)))} if ids else {}
    return [organisation_out(org, code, dept, people) for org, code, dept in rows]


def organisation_out(org: HandlingOrganisation, unit_code: str | None,
                     department: str | None, people: dict) -> dict:
    members = sorted(org.members, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.user_id))
    lead = people.get(org.lead_id)
    return {
        "id": org.id, "name": org.name, "kind": org.kind, "unit": unit_code,
        "department": department, "lead": lead.username if lead else None,
        "active": org.active,
        "members": [{"username": people[m.user_id].username,
                     "full_name": people[m.user_id].full_name, "role": m.role}
                    for m in members if m.user_id in people],
    }


def organisation_detail(org: HandlingOrganisation) -> dict:
    """One organisation as ``organisation_out`` gives it (after creating it)."""
    return list_organisations(org_id=org.id)[0]
