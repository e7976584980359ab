"""Each invariant checker, fed observations that break it, reports a violation (and passes
the same observation made right)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from domain.taxonomy import Agency
from simulator import invariants as inv
from simulator.deadlines import NO_UNIT, NOT_ACKNOWLEDGED, Expectation

T0 = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def fresh(key: str) -> inv.Invariant:
    return inv.new_invariants()[key]


def intake(**overrides: object) -> inv.Intake:
    values: dict[str, object] = {
        "number": "SMD-20261206-0001",
        "category": "kebakaran",
        "description": "Rumah terbakar",
        "silent": False,
        "band": "low",
        "p_false": 0.1,
        "pending": False,
        "callback_first": False,
        "reasons": ["Silent call → points to a false call"],
    }
    return inv.Intake(**(values | overrides))  # type: ignore[arg-type]


def test_a_genuine_call_with_speech_held_for_call_back_is_a_violation_naming_the_reasons() -> None:
    checker = fresh("genuine_not_flagged")
    inv.check_genuine_call(checker, intake(pending=True, callback_first=True))
    inv.check_genuine_call(checker, intake(band="high"))
    inv.check_genuine_call(checker, intake())
    assert (checker.checks, checker.violations) == (3, 2)
    assert "call-back first" in checker.examples[0].observed
    assert "Silent call" in checker.examples[0].observed
    assert checker.examples[1].observed.startswith("band high")


def test_a_genuine_silent_call_is_not_judged_by_the_speech_invariant() -> None:
    checker = fresh("genuine_not_flagged")
    inv.check_genuine_call(checker, intake(silent=True, pending=True))
    assert checker.checks == 0


def routing(recommended: dict[Agency, list[str]], priority: str = "P1") -> inv.Routing:
    return inv.Routing(
        number="SMD-20261206-0002",
        priority=priority,
        agencies=[Agency.FIRE, Agency.MEDICAL],
        recommended=recommended,
        available={Agency.FIRE: ["Damkar Posko III-1"], Agency.MEDICAL: []},
    )


def test_a_routed_p1_without_a_unit_of_an_agency_that_has_one_available_is_a_violation() -> None:
    checker = fresh("p1_unit_recommended")
    inv.check_p1_units(checker, routing({}))
    inv.check_p1_units(checker, routing({Agency.FIRE: ["Damkar Posko III-1"]}))
    # medical had no unit available: not checked; a P2 is not checked at all
    inv.check_p1_units(checker, routing({}, priority="P2"))
    assert (checker.checks, checker.violations) == (2, 1)
    assert "no fire unit" in checker.examples[0].observed
    assert "Damkar Posko III-1" in checker.examples[0].expected


def later_call(offered: dict[str, str]) -> inv.LaterCall:
    earlier = inv.Earlier("id-1", "SMD-20261206-0003", "routed", 8.0, 70.0, True, "kebakaran")
    return inv.LaterCall("SMD-20261206-0004", "kebakaran", [earlier], offered)


def test_a_later_call_not_offered_the_routed_earlier_one_is_a_violation() -> None:
    checker = fresh("duplicates_suggested")
    inv.check_duplicates(checker, later_call({"id-9": "SMD-20261206-0009"}))
    inv.check_duplicates(checker, later_call({"id-1": "SMD-20261206-0003"}))
    assert (checker.checks, checker.violations) == (2, 1)
    example = checker.examples[0]
    assert "SMD-20261206-0003" in example.expected and "status routed" in example.expected
    assert "same caller" in example.expected and "SMD-20261206-0009" in example.observed


def test_an_earlier_call_left_out_of_a_full_list_counts_only_if_the_total_counts_it() -> None:
    checker = fresh("duplicates_suggested")
    five = {f"id-{k}": f"SMD-20261206-00{k:02d}" for k in range(10, 15)}
    counted = replace(later_call(five), total=40)  # 5 of 40 shown: the earlier call among them
    not_counted = replace(later_call(five), total=5)  # 5 of 5: it was not matched at all
    inv.check_duplicates(checker, counted)
    inv.check_duplicates(checker, not_counted)
    assert (checker.checks, checker.violations) == (2, 1)
    assert checker.examples[0].observed.endswith("of 5")


def at(seconds: float | None) -> datetime | None:
    return None if seconds is None else T0 + timedelta(seconds=seconds)


def expectation(
    fired_s: float | None,
    due_s: float | None = 60.0,
    *,
    reason: str = NOT_ACKNOWLEDGED,
    settled_s: float | None = None,
    unless_s: float | None = None,
) -> Expectation:
    return Expectation(
        number="SMD-20261206-0005",
        reason=reason,
        due_at=at(due_s),
        fired_at=at(fired_s),
        settled_at=at(settled_s),
        unless_settled=at(unless_s),
    )


def test_an_escalation_late_early_or_missing_is_a_violation_and_one_on_time_is_not() -> None:
    checker = fresh("escalations_on_time")
    until = T0 + timedelta(seconds=120)
    inv.check_escalation(checker, expectation(60.8), until)  # on time
    inv.check_escalation(checker, expectation(63.5), until)  # 3.5 s late
    inv.check_escalation(checker, expectation(59.0), until)  # early
    inv.check_escalation(checker, expectation(None), until)  # never fired
    assert (checker.checks, checker.violations) == (4, 3)
    assert "+3.50 s" in checker.examples[0].observed
    assert "-1.00 s" in checker.examples[1].observed
    assert checker.examples[2].observed.startswith("not fired by")


def test_an_escalation_after_the_acknowledgement_came_in_time_is_a_violation() -> None:
    checker = fresh("escalations_on_time")
    until = T0 + timedelta(seconds=120)
    settled = expectation(None, due_s=None, settled_s=30, unless_s=60, reason=NO_UNIT)
    inv.check_escalation(checker, settled, until)
    wrongly = expectation(61.0, due_s=None, settled_s=30, unless_s=60, reason=NO_UNIT)
    inv.check_escalation(checker, wrongly, until)
    assert (checker.checks, checker.violations) == (2, 1)


def test_an_escalation_not_yet_decidable_is_not_counted() -> None:
    checker = fresh("escalations_on_time")
    inv.check_escalation(checker, expectation(None), T0 + timedelta(seconds=61))
    inv.check_escalation(checker, expectation(None, settled_s=61), T0 + timedelta(seconds=90))
    assert checker.checks == 0


def test_an_incident_left_unacknowledged_on_purpose_that_never_escalated_is_a_violation() -> None:
    checker = fresh("escalations_on_time")
    inv.check_left_unacknowledged(checker, expectation(60.8), "SMD-20261206-0005")
    inv.check_left_unacknowledged(checker, expectation(None), "SMD-20261206-0005")  # no watchdog
    inv.check_left_unacknowledged(checker, expectation(None, due_s=None), "SMD-20261206-0005")
    inv.check_left_unacknowledged(checker, None, "SMD-20261206-0006")  # history not readable
    assert (checker.checks, checker.violations) == (4, 3)
    assert [v.observed for v in checker.examples] == [
        "not fired",
        "not fired",
        "history not readable",
    ]


def test_a_routed_incident_missing_from_an_agency_feed_is_a_violation() -> None:
    checker = fresh("feeds_reach_agencies")
    routed = inv.Routed("id-6", "SMD-20261206-0006", frozenset({Agency.FIRE, Agency.MEDICAL}), 0)
    inv.check_feed_delivery(checker, routed, {Agency.FIRE: True, Agency.MEDICAL: False})
    assert (checker.checks, checker.violations) == (2, 1)
    assert checker.examples[0].observed == "never on the medical feed"


def test_an_incident_on_the_feed_of_an_agency_it_is_not_routed_to_is_a_violation() -> None:
    checker = fresh("feeds_reach_agencies")
    inv.check_feed_leak(
        checker, "SMD-20261206-0007", Agency.POLICE, "Routed", frozenset({Agency.FIRE})
    )
    inv.check_feed_leak(
        checker, "SMD-20261206-0007", Agency.FIRE, "Routed", frozenset({Agency.FIRE})
    )
    assert (checker.checks, checker.violations) == (2, 1)
    assert "police feed" in checker.examples[0].observed


def test_a_5xx_answer_is_a_violation() -> None:
    checker = fresh("no_server_errors")
    inv.check_no_server_error(checker, "POST", "/api/reports", 201, "")
    inv.check_no_server_error(checker, "POST", "/api/reports", 503, "storage_unavailable")
    assert (checker.checks, checker.violations) == (2, 1)
    assert checker.examples[0].incident == "POST /api/reports"


def test_an_invariant_keeps_a_bounded_number_of_examples() -> None:
    checker = fresh("no_server_errors")
    for _ in range(inv.MAX_EXAMPLES + 5):
        inv.check_no_server_error(checker, "GET", "/x", 500, "boom")
    assert checker.violations == inv.MAX_EXAMPLES + 5
    assert len(checker.examples) == inv.MAX_EXAMPLES


def test_a_projection_that_differs_from_its_rebuild_is_a_violation() -> None:
    checker = fresh("projections_rebuild")
    difference = {"table": "routes", "key": ["id-1", "fire"], "live": None, "rebuilt": [1]}
    answer = {
        "ok": False,
        "projections": [
            {"name": "boards", "position": 90, "differences": [difference]},
            {"name": "kpis", "position": 90, "differences": []},
        ],
    }
    inv.check_rebuild(checker, answer)
    assert (checker.checks, checker.violations) == (2, 1)
    assert checker.examples[0].incident == "projection boards"
    assert "routes" in checker.examples[0].observed


def test_an_escalation_on_time_after_the_end_of_the_watch_is_not_a_violation() -> None:
    checker = fresh("escalations_on_time")
    inv.check_escalation(checker, expectation(60.2), T0 + timedelta(seconds=59.5))
    inv.check_escalation(checker, expectation(58.0), T0 + timedelta(seconds=57.5))
    assert (checker.checks, checker.violations) == (1, 1)
