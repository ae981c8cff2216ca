"""The catalogue a province publishes, as files: ``data/catalogue.json`` (categories,
kinds, stages with their statutory limits, major-case rules) and
``data/holidays.csv`` (public holidays and make-up working days). Reading and
checking them, and the rule language of ``MajorRule``. No database here.
"""
from __future__ import annotations

import csv
import json
from datetime import date
from importlib import resources
from typing import Any

from procuracy.cases.catalogue_models import LIMIT_UNITS, LINES

DAY_KINDS = ("holiday", "workday")
STAGE_DEFAULTS: dict[str, Any] = {
    "clock": None, "limit_value": None, "limit_unit": "days", "extension_value": None,
    "extension_unit": "days", "max_extensions": 0, "warn_days": 3, "resets": [],
    "required_documents": [], "required_fields": [], "legal_basis": "",
}
COMPARISONS = ("gte", "lte", "eq")
# Column widths of catalogue_models: checked here so SQLite (which does not enforce
# them) refuses what PostgreSQL would.
WIDTHS = {"category": {"code": 16, "name": 60}, "kind": {"code": 24, "name": 60},
          "stage": {"code": 32, "name": 60, "clock": 32}}


class CatalogueError(ValueError):
    """The catalogue data breaks a rule; the message names where."""


def _file(name: str):
    return resources.files("procuracy.cases").joinpath("data", name)


def load_catalogue() -> dict:
    with _file("catalogue.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    check_catalogue(data)
    return data


def load_holidays() -> list[dict]:
    with _file("holidays.csv").open(encoding="utf-8") as fh:
        rows = [{"day": date.fromisoformat(r["day"]), "kind": r["kind"], "name": r["name"]}
                for r in csv.DictReader(fh)]
    for row in rows:
        if row["kind"] not in DAY_KINDS:
            raise CatalogueError(f"holidays.csv {row['day']}: kind {row['kind']!r}")
    return rows


def stage_rows(stage: dict) -> dict:
    return {**STAGE_DEFAULTS, **stage}


def _check_widths(where: str, what: str, row: dict) -> None:
    for key, width in WIDTHS[what].items():
        if len(row.get(key) or "") > width:
            raise CatalogueError(f"{where}: {key} longer than {width}")


def check_catalogue(data: dict) -> None:
    """Raise ``CatalogueError`` naming the first thing wrong."""
    kind_codes: set[str] = set()
    for cat in data.get("categories", []):
        _check_widths(f"category {cat.get('code')}", "category", cat)
        if cat.get("line") not in LINES:
            raise CatalogueError(f"category {cat.get('code')}: line {cat.get('line')!r}")
        for kind in cat.get("kinds", []):
            where = f"kind {kind.get('code')}"
            if kind.get("code") in kind_codes:
                raise CatalogueError(f"{where}: code used twice")
            kind_codes.add(kind["code"])
            _check_widths(where, "kind", kind)
            if kind.get("line") not in LINES:
                raise CatalogueError(f"{where}: line {kind.get('line')!r}")
            if not 0 < len(kind.get("number_abbr", "")) <= 8:
                raise CatalogueError(f"{where}: number_abbr")
            _check_stages(where, [stage_rows(s) for s in kind.get("stages", [])])
    for rule in data.get("major_rules", []):
        if rule.get("line") not in LINES:
            raise CatalogueError(f"major rule: line {rule.get('line')!r}")
        check_rule(rule.get("rule", {}))


def _check_stages(where: str, stages: list[dict]) -> None:
    codes = [s["code"] for s in stages]
    if len(codes) != len(set(codes)):
        raise CatalogueError(f"{where}: stage codes repeat")
    clocks = {s["clock"] for s in stages if s["clock"]}
    for s in stages:
        at = f"{where} stage {s['code']}"
        _check_widths(at, "stage", s)
        if s["limit_unit"] not in LIMIT_UNITS or s["extension_unit"] not in LIMIT_UNITS:
            raise CatalogueError(f"{at}: unit must be one of {LIMIT_UNITS}")
        if s["clock"] and not (isinstance(s["limit_value"], int) and s["limit_value"] > 0):
            raise CatalogueError(f"{at}: a clock needs a positive limit_value")
        if s["max_extensions"] and not s["extension_value"]:
            raise CatalogueError(f"{at}: max_extensions without extension_value")
        unknown = set(s["resets"]) - clocks
        if unknown:
            raise CatalogueError(f"{at}: resets unknown clocks {sorted(unknown)}")


# ---------------------------------------------------------------- the rule language
def check_rule(rule: dict) -> None:
    """A rule is one of {"any": [...]}, {"all": [...]}, {"not": rule}, {"flag": name},
    {"field": name, "gte"|"lte"|"eq": value, ...}, {"charge_in": [...]}."""
    if not isinstance(rule, dict) or len(set(rule) & {"any", "all", "not", "flag", "field",
                                                       "charge_in"}) != 1:
        raise CatalogueError(f"rule {rule!r}: exactly one of any/all/not/flag/field/charge_in")
    if "any" in rule or "all" in rule:
        parts = rule.get("any", rule.get("all"))
        if not isinstance(parts, list) or not parts:
            raise CatalogueError(f"rule {rule!r}: any/all take a non-empty list")
        for part in parts:
            check_rule(part)
    elif "not" in rule:
        check_rule(rule["not"])
    elif "field" in rule:
        if not set(rule) - {"field"} or set(rule) - {"field", *COMPARISONS}:
            raise CatalogueError(f"rule {rule!r}: field takes {COMPARISONS}")
    elif "charge_in" in rule and not isinstance(rule["charge_in"], list):
        raise CatalogueError(f"rule {rule!r}: charge_in takes a list")


def case_value(case, name: str):
    """A case field: a column of the case, else a case-card (案卡) field."""
    if name in type(case).__table__.columns.keys():
        return getattr(case, name)
    return (case.card or {}).get(name)


def _charge_names(case) -> set[str]:
    names = set()
    for charge in case.charges or []:
        names.add(charge.get("name", "") if isinstance(charge, dict) else str(charge))
    return names


def evaluate(rule: dict, case) -> bool:
    if "any" in rule:
        return any(evaluate(part, case) for part in rule["any"])
    if "all" in rule:
        return all(evaluate(part, case) for part in rule["all"])
    if "not" in rule:
        return not evaluate(rule["not"], case)
    if "flag" in rule:
        return bool(case_value(case, rule["flag"]))
    if "charge_in" in rule:
        return bool(_charge_names(case) & set(rule["charge_in"]))
    value = case_value(case, rule["field"])
    if value is None:
        return False
    try:
        return all(
            (op == "gte" and value >= bound) or (op == "lte" and value <= bound)
            or (op == "eq" and value == bound)
            for op, bound in rule.items() if op in COMPARISONS)
    except TypeError:  # a card field of the wrong type does not make a case major
        return False


def condition_of(stage_code: str) -> str:
    """Alternative stages share a node: ``review@detained``, ``review@plea``."""
    return stage_code.partition("@")[2]


def condition_holds(condition: str, case) -> bool:
    if not condition:
        return True
    if condition.startswith("not_"):
        return not case_value(case, condition[4:])
    return bool(case_value(case, condition))
