"""The rotation engine, without a database: properties over random pools."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procuracy.cases import assignment as engine

SHARES = st.sampled_from([(1, 1), (1, 1), (1, 2), (1, 3), (2, 3)])
LOADS = st.floats(min_value=0, max_value=50, allow_nan=False).map(lambda x: round(x * 2) / 2)


@st.composite
def pools(draw, min_size=1, max_size=8):
    size = draw(st.integers(min_size, max_size))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    out = []
    for uid in ids:
        num, den = draw(SHARES)
        status = draw(st.sampled_from(["active", "active", "active", "absent", "away"]))
        out.append(engine.candidate(uid, draw(LOADS), num, den, status))
    if not any(c["eligible"] for c in out):
        out[0] = engine.candidate(out[0]["user_id"], out[0]["load"], out[0]["share_num"],
                                  out[0]["share_den"], "active")
    return engine.pool(out)


SEEDS = st.text(alphabet="0123456789abcdef", min_size=1, max_size=32)
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(pools(), SEEDS)
def test_the_engine_picks_an_eligible_member_at_the_lowest_normalised_load(pool, seed):
    chosen = engine.pick(pool, seed)
    by_id = {c["user_id"]: c for c in pool}
    assert by_id[chosen]["eligible"]
    lowest = min(c["normalised"] for c in pool if c["eligible"])
    assert by_id[chosen]["normalised"] == pytest.approx(lowest, abs=1e-9)


@RELAXED
@given(pools(), SEEDS)
def test_replay_always_reproduces_a_draw(pool, seed):
    chosen = engine.pick(pool, seed)
    result = engine.replay(pool, seed, chosen)
    assert result.reproduced and result.recomputed == chosen


@RELAXED
@given(pools(min_size=2), SEEDS)
def test_replay_notices_another_member_or_a_doctored_load(pool, seed):
    chosen = engine.pick(pool, seed)
    other = next(c["user_id"] for c in pool if c["user_id"] != chosen)
    assert not engine.replay(pool, seed, other).reproduced
    doctored = [dict(c, load=c["load"] + 1) if c["user_id"] == chosen else c for c in pool]
    assert not engine.replay(doctored, seed, chosen).reproduced


def test_ties_are_broken_by_the_seed_and_every_tied_member_can_win():
    pool = engine.pool([engine.candidate(uid, 2.0) for uid in (3, 1, 2)])
    winners = {engine.pick(pool, f"{i:x}") for i in range(200)}
    assert winners == {1, 2, 3}
    assert engine.pick(pool, "abc") == engine.pick(list(reversed(pool)), "abc")


def test_nobody_eligible_is_refused():
    pool = [engine.candidate(1, 0, status="absent"), engine.candidate(2, 0, status="away")]
    with pytest.raises(engine.NoCandidate):
        engine.pick(pool, "x")


def _simulate(pool, weights, seeds):
    for weight, seed in zip(weights, seeds, strict=True):
        chosen = engine.pick(pool, seed)
        pool = engine.after(pool, chosen, weight)
    return pool


CASE_WEIGHTS = st.sampled_from([1.0, 1.5, 2.0, 2.5, 1.2, 3.0])


@settings(RELAXED, max_examples=60)
@given(st.lists(SHARES, min_size=2, max_size=7), st.lists(CASE_WEIGHTS, min_size=1, max_size=300),
       st.randoms(use_true_random=False))
def test_normalised_loads_stay_within_one_case_of_each_other(shares, weights, rnd):
    pool = [engine.candidate(uid, 0, num, den) for uid, (num, den) in enumerate(shares, 1)]
    pool = _simulate(pool, weights, [f"{rnd.getrandbits(64):x}" for _ in weights])
    spread = max(c["normalised"] for c in pool) - min(c["normalised"] for c in pool)
    # one case of the heaviest weight, as it counts for the smallest share
    bound = max(weights) * max(den / num for num, den in shares)
    assert spread <= bound + 1e-6


@settings(RELAXED, max_examples=30)
@given(st.integers(200, 600), st.randoms(use_true_random=False))
def test_shares_are_honoured(rounds, rnd):
    shares = {1: (1, 1), 2: (1, 1), 3: (1, 2), 4: (1, 3)}
    pool = [engine.candidate(uid, 0, num, den) for uid, (num, den) in shares.items()]
    pool = _simulate(pool, [1.0] * rounds, [f"{rnd.getrandbits(64):x}" for _ in range(rounds)])
    loads = {c["user_id"]: c["load"] for c in pool}
    full = (loads[1] + loads[2]) / 2
    assert loads[3] == pytest.approx(full / 2, abs=2)
    assert loads[4] == pytest.approx(full / 3, abs=3)
    assert sum(loads.values()) == rounds


def test_the_big_wheel_weighs_by_suspects_and_kind():
    rules = engine.validate_rules({"suspect_weights": {"1": 1, "2": 1.5, "3": 2, "4+": 2.5},
                                   "kind_weights": {"审查起诉": 1.2}})
    assert engine.suspect_weight(rules, 0) == 1.0
    assert engine.suspect_weight(rules, 3) == 2.0
    assert engine.suspect_weight(rules, 9) == 2.5
    assert engine.case_weight(rules, 2, "审查起诉") == pytest.approx(1.8)
    assert engine.case_weight(rules, 2, "审查逮捕", kind_default=1.1) == pytest.approx(1.65)


@pytest.mark.parametrize("rules, field", [
    ({"suspect_weights": {}}, "suspect_weights"),
    ({"suspect_weights": {"2": 1.5}}, "suspect_weights"),
    ({"suspect_weights": {"1": 1, "2+": 2, "3": 3}}, "suspect_weights"),
    ({"suspect_weights": {"1": -1}}, "suspect_weights"),
    ({"suspect_weights": {"1": "heavy"}}, "suspect_weights"),
    ({"suspect_weights": {"one": 1}}, "suspect_weights"),
    ({"suspect_weights": {"1": 1}, "kind_weights": {"审查起诉": 0}}, "kind_weights"),
    ({"suspect_weights": {"1": 1}, "kind_weights": []}, "kind_weights"),
    ({"suspect_weights": {"1": 1}, "extra": 1}, "rules"),
])
def test_unusable_rules_are_refused_with_the_field(rules, field):
    with pytest.raises(engine.RulesError) as caught:
        engine.validate_rules(rules)
    assert field in caught.value.errors


def test_an_absent_member_returns_level_and_an_away_member_keeps_the_debt():
    floor = 6.0
    assert engine.load_on_return(2.0, 1, 1, "absent", floor) == 6.0
    assert engine.load_on_return(2.0, 1, 2, "absent", floor) == 3.0
    assert engine.load_on_return(8.0, 1, 1, "absent", floor) == 8.0  # never lowered
    assert engine.load_on_return(2.0, 1, 1, "away", floor) == 2.0
    assert engine.load_on_joining(1, 3, floor) == 2.0


def test_expected_parts_split_a_draw_by_share_among_the_eligible():
    pool = [engine.candidate(1, 0), engine.candidate(2, 0, 1, 2),
            engine.candidate(3, 0, status="absent")]
    assert engine.expected_parts(pool, 3.0) == {1: pytest.approx(2.0), 2: pytest.approx(1.0)}
