"""The rotation engine (轮案): pure functions, no database, so it can be
property-tested and a stored draw can be re-derived anywhere.

A case's weight is the suspect weight (Haizhu's "big wheel": more suspects,
more weight) times its kind's factor. A member taking part at a share m/n is
compared by ``load / (m/n)``; the engine picks among the eligible members tied
for the lowest normalised load, breaking ties with ``random.Random(seed)``.

Only ``Random.random()`` is used to break ties: Python guarantees that method's
sequence for a given seed across versions (``choice`` and ``randrange`` carry no
such promise), so a draw stored today replays on a later interpreter.
"""
from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass

STATUSES = ("active", "absent", "away")
# Loads are stored rounded: sums of weights stay exact enough to compare.
PLACES = 6
TOLERANCE = 1e-9
MAX_WEIGHT = 100.0
DEFAULT_RULES = {"suspect_weights": {"1": 1.0, "2": 1.5, "3": 2.0, "4+": 2.5},
                 "kind_weights": {}}
RULE_KEYS = frozenset({"suspect_weights", "kind_weights", "note"})


class RulesError(ValueError):
    """Rules that cannot be used; ``errors`` maps field to messages (answers 422)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class NoCandidate(ValueError):
    """Nobody in the pool may receive a case."""


# ---------------------------------------------------------------- rules and weight
def _threshold(key: str) -> int | None:
    text = key[:-1] if key.endswith("+") else key
    return int(text) if text.isdigit() and int(text) >= 1 else None


def validate_rules(rules: object) -> dict:
    """The rules, checked and with numbers as floats; raises ``RulesError``."""
    errors: dict[str, list[str]] = {}
    if not isinstance(rules, dict):
        raise RulesError({"rules": ["must be an object"]})
    unknown = sorted(set(rules) - RULE_KEYS)
    if unknown:
        errors["rules"] = [f"unknown key {k!r}" for k in unknown]
    suspects = rules.get("suspect_weights")
    if not isinstance(suspects, dict) or not suspects:
        errors["suspect_weights"] = ["must map suspect counts ('1', '2', '4+') to weights"]
    else:
        problems = []
        keys = {k: _threshold(str(k)) for k in suspects}
        problems += [f"{k!r} is not a count (1, 2, ... or N+)"
                     for k, t in keys.items() if t is None]
        valid = {k: t for k, t in keys.items() if t is not None}
        if valid and 1 not in valid.values():
            problems.append("must give the weight of one suspect ('1')")
        if len(set(valid.values())) != len(valid):
            problems.append("a count is given twice")
        plus = [k for k in valid if str(k).endswith("+")]
        if plus and (len(plus) > 1 or valid[plus[0]] != max(valid.values())):
            problems.append("only the largest count may end with '+'")
        problems += _weights_problems(suspects)
        if problems:
            errors["suspect_weights"] = problems
    kinds = rules.get("kind_weights", {})
    if not isinstance(kinds, dict):
        errors["kind_weights"] = ["must map kind codes to factors"]
    else:
        problems = [f"{k!r} is not a kind code" for k in kinds
                    if not isinstance(k, str) or not 0 < len(k) <= 32]
        problems += _weights_problems(kinds)
        if problems:
            errors["kind_weights"] = problems
    note = rules.get("note", "")
    if not isinstance(note, str) or len(note) > 1000:
        errors["note"] = ["must be text of at most 1000 characters"]
    if errors:
        raise RulesError(errors)
    out = {"suspect_weights": {str(k): float(v) for k, v in suspects.items()},
           "kind_weights": {k: float(v) for k, v in kinds.items()}}
    if note:
        out["note"] = note
    return out


def _weights_problems(weights: dict) -> list[str]:
    problems = []
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value) or not 0 < value <= MAX_WEIGHT:
            problems.append(f"{key!r}: the weight must be a number above 0 and at most "
                            f"{MAX_WEIGHT:g}")
    return problems


def suspect_weight(rules: dict, suspects: int) -> float:
    """The weight of the largest count not above ``suspects`` ('4+' covers 4 and more)."""
    table = sorted((_threshold(k), v) for k, v in rules["suspect_weights"].items())
    n = max(int(suspects or 0), 1)
    return float([w for t, w in table if t <= n][-1])


def case_weight(rules: dict, suspects: int, kind_code: str, kind_default: float = 1.0) -> float:
    """Suspect weight × kind factor (the rules' factor for the kind, else the kind's own)."""
    factor = rules.get("kind_weights", {}).get(kind_code, kind_default or 1.0)
    return round(suspect_weight(rules, suspects) * float(factor), PLACES)


# ---------------------------------------------------------------- the pool
def normalise(load: float, share_num: int, share_den: int) -> float:
    """The load as if the member took part in every round: load / (m/n)."""
    return round(load * share_den / share_num, 9)


def candidate(user_id: int, load: float, share_num: int = 1, share_den: int = 1,
              status: str = "active", eligible: bool | None = None) -> dict:
    """One entry of a draw's stored pool (the fixed shape replay reads)."""
    load = round(float(load), PLACES)
    return {"user_id": user_id, "load": load, "share_num": share_num,
            "share_den": share_den, "normalised": normalise(load, share_num, share_den),
            "eligible": status == "active" if eligible is None else eligible,
            "status": status}


def pool(candidates: list[dict]) -> list[dict]:
    """The candidates in the stored order: by user id."""
    return sorted(candidates, key=lambda c: c["user_id"])


def lowest(candidates: list[dict]) -> list[int]:
    """The eligible user ids tied at the lowest normalised load, ascending."""
    norms = {c["user_id"]: normalise(c["load"], c["share_num"], c["share_den"])
             for c in candidates if c["eligible"]}
    if not norms:
        return []
    low = min(norms.values())
    return sorted(uid for uid, v in norms.items() if v - low <= TOLERANCE * max(1.0, abs(low)))


def pick(candidates: list[dict], seed: str) -> int:
    """The member who receives the case: one of those tied at the lowest
    normalised load, chosen with ``random.Random(seed)``."""
    tied = lowest(candidates)
    if not tied:
        raise NoCandidate("no member of the group may receive a case now")
    index = int(random.Random(seed).random() * len(tied))
    return tied[min(index, len(tied) - 1)]


def new_seed() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Replay:
    reproduced: bool
    chosen: int
    recomputed: int | None
    reason: str = ""


def replay(candidates: list[dict], seed: str, chosen_id: int) -> Replay:
    """Re-derive a stored draw: the same pool and seed must give the same member,
    and each stored normalised load must follow from its load and share."""
    for c in candidates:
        if abs(normalise(c["load"], c["share_num"], c["share_den"]) - c["normalised"]) > 1e-6:
            return Replay(False, chosen_id, None,
                          f"the stored normalised load of user {c['user_id']} does not "
                          "follow from its load and share")
    try:
        again = pick(candidates, seed)
    except NoCandidate as exc:
        return Replay(False, chosen_id, None, str(exc))
    if again != chosen_id:
        return Replay(False, chosen_id, again, "the pool and seed give another member")
    return Replay(True, chosen_id, again)


# ---------------------------------------------------------------- loads over time
def after(candidates: list[dict], chosen_id: int, weight: float) -> list[dict]:
    """The pool after ``chosen_id`` received a case of ``weight`` (for simulations)."""
    return [candidate(c["user_id"], c["load"] + (weight if c["user_id"] == chosen_id else 0),
                      c["share_num"], c["share_den"], c["status"], c["eligible"])
            for c in candidates]


def floor_normalised(candidates: list[dict], excluding: int | None = None) -> float | None:
    """The lowest normalised load among the active members (other than ``excluding``)."""
    values = [normalise(c["load"], c["share_num"], c["share_den"]) for c in candidates
              if c["status"] == "active" and c["user_id"] != excluding]
    return min(values) if values else None


def load_on_return(load: float, share_num: int, share_den: int, was: str,
                   floor: float | None) -> float:
    """A member comes back to "active". From an absence nothing is made up: the
    load is raised to the group's lowest normalised load at the member's share.
    From another handling unit ("away") the load is kept: the cases missed are owed."""
    if was != "absent" or floor is None:
        return load
    return round(max(load, floor * share_num / share_den), PLACES)


def load_on_joining(share_num: int, share_den: int, floor: float | None) -> float:
    """A newcomer starts level with the lowest active member: owes nothing, is owed nothing."""
    return 0.0 if floor is None else round(floor * share_num / share_den, PLACES)


def expected_parts(candidates: list[dict], weight: float) -> dict[int, float]:
    """How a draw's weight would be split if every eligible member got exactly
    their share of it (the fairness yardstick)."""
    shares = {c["user_id"]: c["share_num"] / c["share_den"] for c in candidates if c["eligible"]}
    total = sum(shares.values())
    return {uid: weight * s / total for uid, s in shares.items()} if total else {}
