"""The rule-set editor page's data: a draft's content as form rows, and the rows
posted back as the changes ``rules_editing.save`` takes.

The posted rows go through the API's own schema (``RuleSetUpdate``) before the
service sees them, so the page and the API accept exactly the same content; what
is wrong is returned by where it belongs (see ``page_labels.place``).
"""
from __future__ import annotations

import json

from flask_babel import gettext as _
from marshmallow import ValidationError

from procuracy.appraisal.page_forms import EditorForm
from procuracy.appraisal.schemas import RuleSetUpdate

BLANK_INDICATORS = 1  # empty rows offered for adding indicators
BLANK_GRADES = 1


def form_for(rs, content: dict) -> EditorForm:
    """The editor filled with the draft's content, plus empty rows to add to."""
    grading = content.get("grading") or {}
    data = {
        "name": rs.name, "note": rs.note, "effective_from": rs.effective_from,
        "grading_method": grading.get("method", "quota"),
        "aspects": [{k: a.get(k) for k in ("code", "name", "weight", "core")}
                    for a in content["aspects"]],
        "indicators": [{**{k: i.get(k) for k in ("code", "name", "aspect_code", "kind",
                                                 "points_per_unit", "max_points", "normalise")},
                        "params": json.dumps(i.get("params") or {}, ensure_ascii=False)}
                       for i in content["indicators"]] + [{}] * BLANK_INDICATORS,
        "grades": [{k: g.get(k) for k in ("name", "min", "max_share")}
                   for g in grading.get("grades") or []] + [{}] * BLANK_GRADES,
    }
    form = EditorForm(formdata=None, data=data)
    form.set_choices(aspect_choices(content))
    return form


def aspect_choices(content: dict) -> list[tuple[str, str]]:
    return [(a["code"], f"{a['code']} {a['name']}") for a in content["aspects"]]


def changes_from(form: EditorForm) -> tuple[dict, dict[str, list[str]]]:
    """(changes for ``rules_editing.save``, problems by place). Empty rows are left
    out, rows marked *remove* dropped; params must be a JSON object."""
    problems: dict[str, list[str]] = {}
    aspects = [{"code": row.code.data, "name": (row.name.data or "").strip(),
                "weight": row.weight.data, "core": bool(row.core.data)}
               for row in (r.form for r in form.aspects)]
    indicators = []
    for row in (r.form for r in form.indicators):
        code = (row.code.data or "").strip()
        if not code or row.remove.data:
            continue
        try:
            params = json.loads(row.params.data or "{}")
        except ValueError:
            params = None
        if not isinstance(params, dict):
            problems.setdefault(f"indicator:{code}", []).append(
                _("The source must be a JSON object, e.g. %(example)s",
                  example='{"types": ["flaw"]}'))
            params = {}
        indicators.append({"code": code, "name": (row.name.data or "").strip() or code,
                           "aspect_code": row.aspect_code.data, "kind": row.kind.data,
                           "params": params, "points_per_unit": row.points_per_unit.data
                           if row.points_per_unit.data is not None else 1.0,
                           "max_points": row.max_points.data or None,
                           "normalise": bool(row.normalise.data)})
    grades = [{"name": row.name.data.strip(), "min": row.min.data,
               "max_share": row.max_share.data}
              for row in (r.form for r in form.grades) if (row.name.data or "").strip()]
    changes = {"name": form.name.data.strip(), "note": form.note.data or "",
               "effective_from": form.effective_from.data.isoformat(),
               "grading": {"method": form.grading_method.data, "grades": grades},
               "aspects": aspects, "indicators": indicators}
    try:
        changes = RuleSetUpdate().load(changes)
    except ValidationError as exc:
        _schema_problems(exc.messages, changes, problems)
    for key in ("grading",):  # the schema gives nested dicts back as ordered dicts
        if key in changes:
            changes[key] = json.loads(json.dumps(changes[key]))
    return changes, problems


def _schema_problems(messages: dict, changes: dict, problems: dict) -> None:
    for key, found in messages.items():
        if key in ("aspects", "indicators") and isinstance(found, dict):
            for index, fields in found.items():
                row = changes[key][index] if isinstance(index, int) else {}
                where = f"{key[:-1]}:{row.get('code', '')}"
                for field, said in (fields.items() if isinstance(fields, dict) else
                                    [("", fields)]):
                    problems.setdefault(where, []).extend(
                        f"{field}: {s}" if field else str(s) for s in _flat(said))
        else:
            problems.setdefault("grading" if key == "grading" else "rule_set", []).extend(
                f"{key}: {s}" for s in _flat(found))


def _flat(said) -> list[str]:
    if isinstance(said, dict):
        return [s for v in said.values() for s in _flat(v)]
    if isinstance(said, list):
        return [s for v in said for s in _flat(v)]
    return [str(said)]


def row_errors(form: EditorForm) -> dict[str, list[str]]:
    """WTForms' own field errors, by the same places."""
    out: dict[str, list[str]] = {}
    for field in (form.name, form.note, form.effective_from, form.grading_method):
        if field.errors:
            out.setdefault("rule_set", []).extend(f"{field.label.text}: {e}" for e in field.errors)
    for key, rows in (("aspect", form.aspects), ("indicator", form.indicators)):
        for row in rows:
            for field in row.form:
                if field.errors:
                    where = f"{key}:{row.form.code.data or ''}"
                    out.setdefault(where, []).extend(
                        f"{field.label.text}: {e}" for e in field.errors)
    for row in form.grades:
        for field in row.form:
            if field.errors:
                out.setdefault("grading", []).extend(f"{field.label.text}: {e}"
                                                     for e in field.errors)
    return out
