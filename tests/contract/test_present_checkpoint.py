"""The present's checkpoint on every durable backend: a start from it and the log's tail holds
what a start from position 0 holds."""

from __future__ import annotations

from typing import Any

from dispatch.bootstrap import build_center
from dispatch.center import DispatchCenter
from dispatch.present import Present, PresentState
from dispatch.settings import Settings
from domain.taxonomy import Agency, Disposition, UnitType
from tests.support import AWS, a_report


def some_work(center: DispatchCenter, caller: str) -> None:
    """Open, routed, dispatched, linked and closed incidents, a unit and a full hospital."""
    unit, _ = center.register_unit(
        f"DMK-{caller[-3:]}", "Damkar", Agency.FIRE, UnitType.FIRE_ENGINE, "pos-damkar-kota", AWS
    )
    first = center.report(a_report(caller_number=caller)).incident
    center.route(first.id, [Agency.FIRE, Agency.MEDICAL], unit_ids=[unit.id])
    center.acknowledge(first.id, Agency.FIRE)
    second = center.report(a_report(caller_number=caller)).incident
    center.link_duplicate(second.id, first.id)
    prank = center.report(a_report(caller_number=caller, description="iseng")).incident
    center.close_incident(prank.id, Disposition.PRANK, "iseng")
    center.set_facility_capacity("rsud-aws", True, "IGD penuh")


def contents(state: PresentState) -> dict[str, Any]:
    """Everything a reader can get from a present's state."""
    return {
        "position": state.position,
        "incidents": {i: vars(a) for i, a in state.incidents.items()},
        "units": {i: vars(a) for i, a in state.units.items()},
        "facilities": {i: vars(a) for i, a in state.facilities.items()},
        "calls": state.calls,
        "earlier": state.earlier,
        "positions": state.positions,
        "routing": (state.incident_snaps, state.unit_snaps),
    }


def test_a_start_from_the_checkpoint_and_the_tail_equals_a_start_from_zero(
    any_settings: Settings,
) -> None:
    writer = build_center(any_settings)
    try:
        some_work(writer, "+6281100000001")
        saved = writer.present.save_checkpoint()
        some_work(writer, "+6281100000002")  # the tail, after the checkpoint
        head = writer.present.refresh()
    finally:
        writer.close()
    assert saved is not None and 0 < saved < head

    restarted = build_center(any_settings)
    try:
        assert restarted.present.checkpointed == saved  # it started from the checkpoint
        assert restarted.present.position == head
        from_zero = Present(restarted)
        from_zero.refresh()
        assert contents(restarted.present.state) == contents(from_zero.state)
    finally:
        restarted.close()


def test_an_older_checkpoint_never_replaces_a_newer_one(any_settings: Settings) -> None:
    center = build_center(any_settings)
    try:
        some_work(center, "+6281100000003")
        store = center.present.checkpoints
        assert store is not None
        body = store.encode(center.present.state)
        assert store.save(10, body)
        assert not store.save(5, body)
        loaded = store.load(center.present.state.windows, lambda _id, _version: None)
        assert loaded is not None and loaded.position == center.present.position
    finally:
        center.close()


def test_an_unreadable_checkpoint_is_passed_over_and_the_log_replayed(
    any_settings: Settings,
) -> None:
    writer = build_center(any_settings)
    try:
        some_work(writer, "+6281100000004")
        store = writer.present.checkpoints
        assert store is not None
        head = writer.present.refresh()
        assert store.save(head, b"not a checkpoint")
    finally:
        writer.close()
    restarted = build_center(any_settings)
    try:
        assert restarted.present.position == head
        from_zero = Present(restarted)
        from_zero.refresh()
        assert contents(restarted.present.state) == contents(from_zero.state)
    finally:
        restarted.close()
