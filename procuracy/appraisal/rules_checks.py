"""The checks a rule set passes when it is saved and when it is published: weights
add up to 100, core aspects weigh at least the template's ``core_min``, every
indicator's aspect and source (case kinds, event types, review grades, the
indicators a ratio divides) exists, the grading is well formed, and a lower unit
adjusts only what the template's ``allowances`` permit (see ``rules``)."""
from __future__ import annotations

from procuracy.appraisal.rule_models import AUDIENCES, INDICATOR_KINDS, PERIOD_KINDS, RuleSet
from procuracy.appraisal.rules import (
    CASE_DATES,
    CASE_ROLES,
    CHANGEABLE,
    EVENT_TYPES,
    GRADING_METHODS,
    REVIEW_GRADES,
    RuleSetError,
    content_of,
    known_case_kinds,
    load_content,
)


def _num(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _strings(value) -> list[str] | None:
    """``value`` if it is a list of strings, else None."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def check_indicator(ind: dict, codes: dict[str, dict], aspects: set[str],
                    case_kinds: dict[str, set[str]]) -> list[str]:
    code, kind, params = ind.get("code", "?"), ind.get("kind"), ind.get("params") or {}
    where = f"indicator {code}"
    errors = []
    if not isinstance(params, dict):
        return [f"{where}: params must be an object"]
    if ind.get("aspect_code") not in aspects:
        errors.append(f"{where}: aspect {ind.get('aspect_code')!r} does not exist")
    if kind not in INDICATOR_KINDS:
        return [*errors, f"{where}: kind must be one of {', '.join(INDICATOR_KINDS)}"]
    if not _num(ind.get("points_per_unit", 1.0)):
        errors.append(f"{where}: points_per_unit must be a number")
    max_points = ind.get("max_points")
    if max_points is not None and (not _num(max_points) or max_points <= 0):
        errors.append(f"{where}: max_points must be a positive number")
    if ind.get("normalise") and max_points is None:
        errors.append(f"{where}: normalising within the department needs max_points "
                      "(what the department's best gets)")
    if kind in ("case_count", "weighted_cases"):
        kinds = _strings(params.get("kinds") or [])
        unknown = [k for k in kinds or [] if k not in case_kinds]
        if kinds is None:
            errors.append(f"{where}: params.kinds must list case kinds")
        elif unknown:
            errors.append(f"{where}: no case kind {', '.join(map(str, unknown))} "
                          "in the province's catalogue")
        if params.get("date", "closed") not in CASE_DATES:
            errors.append(f"{where}: date must be one of {', '.join(CASE_DATES)}")
        if params.get("role", "handler") not in CASE_ROLES:
            errors.append(f"{where}: role must be one of {', '.join(CASE_ROLES)}")
    elif kind == "review_grade":
        points = params.get("points")
        if not isinstance(points, dict) or not points:
            errors.append(f"{where}: params.points must map review grades to points")
        else:
            unknown = [g for g in points if g not in REVIEW_GRADES]
            if unknown or not all(_num(v) for v in points.values()):
                errors.append(f"{where}: grades must be among {', '.join(REVIEW_GRADES)} "
                              "with numeric points")
    elif kind == "event_points":
        types = _strings(params.get("types"))
        if not types:
            errors.append(f"{where}: params.types must list event types")
        elif unknown := [t for t in types if t not in EVENT_TYPES]:
            errors.append(f"{where}: no event type {', '.join(map(str, unknown))} "
                          f"(known: {', '.join(EVENT_TYPES)})")
    elif kind == "manual":
        if not _num(params.get("max", 100)) or params.get("max", 100) <= 0:
            errors.append(f"{where}: params.max must be a positive number")
    elif kind == "ratio":
        for side in ("numerator", "denominator"):
            ref = codes.get(params.get(side)) if isinstance(params.get(side), str) else None
            if ref is None:
                errors.append(f"{where}: {side} {params.get(side)!r} is not an indicator "
                              "of this rule set")
            elif ref.get("kind") in ("ratio", "manual"):
                errors.append(f"{where}: {side} must be a counted indicator, not {ref['kind']}")
        if params.get("numerator") == params.get("denominator"):
            errors.append(f"{where}: numerator and denominator must differ")
    return errors


def check_grading(grading: dict) -> list[str]:
    method, grades = grading.get("method"), grading.get("grades")
    if method not in GRADING_METHODS:
        return [f"grading.method must be one of {', '.join(GRADING_METHODS)}"]
    if not isinstance(grades, list) or not grades:
        return ["grading.grades must list the grades, best first"]
    errors = []
    names = [g.get("name") for g in grades if isinstance(g, dict)]
    if len(names) != len(grades) or not all(isinstance(n, str) and n for n in names) \
            or len(set(names)) != len(names):
        errors.append("every grade needs a distinct name")
    mins = [g.get("min") for g in grades if isinstance(g, dict)]
    if any(m is not None and not _num(m) for m in mins):
        errors.append("a grade's min must be a number")
    given = [m for m in mins if _num(m)]
    if given != sorted(given, reverse=True):
        errors.append("grade minimums must fall from the best grade to the worst")
    if method == "thresholds" and mins and mins[-1] not in (None, 0) and len(given) == len(mins):
        errors.append("the worst grade must take everybody left (min null or 0)")
    for g in grades:
        share = g.get("max_share") if isinstance(g, dict) else None
        if share is not None and (not _num(share) or not 0 < share <= 1):
            errors.append(f"grade {g.get('name')}: max_share must be in (0, 1]")
    if method == "quota" and not any(isinstance(g, dict) and g.get("max_share") for g in grades):
        errors.append("quota grading needs a max_share on at least one grade")
    return errors


def check(content: dict, template: dict | None, case_kinds: dict[str, set[str]]) -> list[str]:
    """Every problem of ``content``, checked against its ``template`` (None for the
    province's own template); an empty list when it is valid."""
    errors: list[str] = []
    if content.get("audience") not in AUDIENCES:
        errors.append(f"audience must be one of {', '.join(AUDIENCES)}")
    if content.get("period_kind") not in PERIOD_KINDS:
        errors.append(f"period_kind must be one of {', '.join(PERIOD_KINDS)}")
    aspects, indicators = content.get("aspects") or [], content.get("indicators") or []
    codes = [a.get("code") for a in aspects]
    if not aspects:
        errors.append("a rule set needs aspects")
    if len(set(codes)) != len(codes):
        errors.append("aspect codes must be distinct")
    if any(not _num(a.get("weight")) or a["weight"] < 0 for a in aspects):
        errors.append("aspect weights must be numbers ≥ 0")
    else:
        total = sum(a["weight"] for a in aspects)
        if aspects and abs(total - 100) > 1e-6:
            errors.append(f"aspect weights add up to {total:g}, not 100")
        allowances = (template or content).get("allowances") or {}
        core_min = allowances.get("core_min")
        core = sum(a["weight"] for a in aspects if a.get("core"))
        if _num(core_min) and core < core_min - 1e-6:
            core_names = "+".join(str(a.get("name") or a.get("code")) for a in aspects if a.get("core")) or "none"
            errors.append(f"core aspects ({core_names}) weigh {core:g}%, "
                          f"less than the required {core_min:g}%")
    ind_codes = [i.get("code") for i in indicators]
    if len(set(ind_codes)) != len(ind_codes) or not all(ind_codes):
        errors.append("indicator codes must be present and distinct")
    by_code = {i.get("code"): i for i in indicators}
    for ind in indicators:
        errors.extend(check_indicator(ind, by_code, set(codes), case_kinds))
    errors.extend(check_grading(content.get("grading") or {}))
    if template is not None:
        errors.extend(check_against_template(content, template))
    return errors


def check_against_template(content: dict, template: dict) -> list[str]:
    """Adjustments only where the template's allowances permit them."""
    allow = template.get("allowances") or {}
    errors = []
    for key in ("audience", "period_kind"):
        if content.get(key) != template.get(key):
            errors.append(f"{key} must be the template's ({template.get(key)})")
    if (content.get("allowances") or {}) != allow:
        errors.append("allowances are the template's and may not be changed")
    mine = {a["code"]: a for a in content.get("aspects") or []}
    theirs = {a["code"]: a for a in template.get("aspects") or []}
    if set(mine) != set(theirs):
        errors.append(f"aspects must be the template's: {', '.join(theirs)}")
    for code in set(mine) & set(theirs):
        a, t = mine[code], theirs[code]
        if bool(a.get("core")) != bool(t.get("core")) or a.get("name") != t.get("name"):
            errors.append(f"aspect {code}: name and core flag are the template's")
        if _num(a.get("weight")) and abs(a["weight"] - t["weight"]) > 1e-6:
            if not allow.get("aspect_weights"):
                errors.append(f"aspect {code}: the template does not allow changing weights")
            elif _num(allow.get("max_weight_change")) and \
                    abs(a["weight"] - t["weight"]) > allow["max_weight_change"] + 1e-6:
                errors.append(f"aspect {code}: weight may move by at most "
                              f"{allow['max_weight_change']:g} from the template's {t['weight']:g}")
    changeable = allow.get("indicators") or []
    mine_i = {i["code"]: i for i in content.get("indicators") or []}
    theirs_i = {i["code"]: i for i in template.get("indicators") or []}
    for code, t in theirs_i.items():
        i = mine_i.get(code)
        if i is None:
            if not allow.get("remove_indicators"):
                errors.append(f"indicator {code} ({t['name']}) is the template's and must stay")
            continue
        changed = [f for f in CHANGEABLE if _differs(i.get(f), t.get(f))]
        if changed and changeable != "*" and code not in changeable:
            errors.append(f"indicator {code} ({t['name']}): the template does not allow "
                          f"changing {', '.join(changed)}")
    added = sorted(set(mine_i) - set(theirs_i))
    if added and not allow.get("add_indicators"):
        errors.append(f"the template does not allow local indicators ({', '.join(added)})")
    if _plain_grading(content) != _plain_grading(template) and not allow.get("grading"):
        errors.append("the template does not allow changing the grading")
    return errors


def _plain_grading(content: dict) -> dict:
    """The grading without empty entries (``"min": null`` is no minimum)."""
    grading = dict(content.get("grading") or {})
    grading["grades"] = [{k: v for k, v in g.items() if v is not None} if isinstance(g, dict)
                         else g for g in grading.get("grades") or []]
    return grading


def _differs(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) != bool(b)
    if _num(a) and _num(b):
        return abs(a - b) > 1e-9
    return (a or None) != (b or None)


def template_content(rs: RuleSet) -> dict | None:
    """The content of the template ``rs`` is based on (None for a root template)."""
    if rs.based_on_id is None:
        return None
    template = load_content(rs.based_on_id)
    if template is None:
        raise RuleSetError("the template this rule set is based on is not visible")
    return content_of(template)


def problems(rs: RuleSet, content: dict | None = None) -> list[str]:
    """What is wrong with ``rs`` (or with ``content`` proposed for it)."""
    return check(content or content_of(rs), template_content(rs), known_case_kinds(rs.unit_id))

