"""Projections read events as plain JSON values: the same values the domain objects give."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    TranscodingNotRegisteredError,
)
from eventsourcing.utils import Environment, get_topic

from dispatch.center import DispatchCenter
from domain.taxonomy import Agency, Disposition, EscalationReason, Priority, UnitStatus, UnitType
from projections.events import EventData, ProjectionMapper
from tests.support import AWS, FakeClock, a_report


def plain(value: Any) -> Any:
    """What a domain value is as a row holds it (the rule the projections rely on)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def projection_mapper(center: DispatchCenter, cipher: Any = None) -> ProjectionMapper:
    return ProjectionMapper(center.mapper.transcoder, cipher=cipher)


def a_busy_day(center: DispatchCenter) -> None:
    """Every kind of event the projections handle, and a few more."""
    clock = center.clock
    assert isinstance(clock, FakeClock)
    unit, _ = center.register_unit("F1", "Damkar F1", Agency.FIRE, UnitType.FIRE_ENGINE, "P3", AWS)
    incident = center.report(a_report()).incident
    center.triage(incident.id, Priority.P1, incident.category, "ada korban")
    clock.advance(30)
    center.route(incident.id, [Agency.FIRE, Agency.MEDICAL])
    center.acknowledge(incident.id, Agency.FIRE)
    center.assign_unit(incident.id, unit.id)
    center.update_unit_status(unit.id, UnitStatus.EN_ROUTE)
    center.report_unit_position(unit.id, AWS)
    center.escalate(
        incident.id, EscalationReason.NOT_ACKNOWLEDGED, "medis belum menjawab", Agency.MEDICAL
    )
    center.release_unit(incident.id, unit.id, "selesai")
    center.close_incident(incident.id, Disposition.GENUINE, "padam")
    center.reopen(incident.id, "api menyala lagi")


def test_every_attribute_reads_as_the_plain_form_of_the_domain_value(
    center: DispatchCenter,
) -> None:
    # Given a day with every kind of event
    a_busy_day(center)
    mapper = projection_mapper(center)
    notifications = center.recorder.select_notifications(0, 1000)
    assert len({n.topic for n in notifications}) >= 12
    for notification in notifications:
        # When a projection reads it, and the library decodes it into the domain event
        data = mapper.to_domain_event(notification)
        domain = center.mapper.to_domain_event(notification)
        # Then each attribute is the domain value in its plain (row) form
        assert data.event_class is type(domain)
        assert data.aggregate_id == str(domain.originator_id)
        assert data.originator_id == domain.originator_id
        assert data.originator_version == domain.originator_version
        for name, value in vars(domain).items():
            if name not in ("originator_id", "originator_version"):
                assert data[name] == plain(value), (data, name)


def test_aggregate_ids_are_canonical_text_whichever_form_the_store_returns(
    center: DispatchCenter,
) -> None:
    center.report(a_report())
    notification = center.recorder.select_notifications(0, 1)[0]
    mapper = projection_mapper(center)
    canonical = str(notification.originator_id)
    assert isinstance(notification.originator_id, UUID)
    for stored in (notification.originator_id, notification.originator_id.hex, canonical):
        again = dataclasses.replace(notification, originator_id=stored)
        assert mapper.to_domain_event(again).aggregate_id == canonical


def stored(center: DispatchCenter, state: bytes, topic: type = Aggregate.Event) -> StoredEvent:
    return StoredEvent(uuid4(), 2, get_topic(topic), state)


def test_an_enum_value_the_code_no_longer_knows_stops_the_projection(
    center: DispatchCenter,
) -> None:
    data = projection_mapper(center).to_domain_event(
        stored(center, b'{"agency":{"_type_":"Agency","_data_":"coast_guard"}}')
    )
    with pytest.raises(ValueError, match="coast_guard"):
        data["agency"]


def test_a_value_of_an_unknown_type_stops_the_projection(center: DispatchCenter) -> None:
    data = projection_mapper(center).to_domain_event(
        stored(center, b'{"shape":{"_type_":"polygon","_data_":[[0,1]]}}')
    )
    with pytest.raises(TranscodingNotRegisteredError):
        data["shape"]


def test_a_state_that_is_not_json_stops_the_projection(center: DispatchCenter) -> None:
    with pytest.raises(MapperDeserialisationError):
        projection_mapper(center).to_domain_event(stored(center, b"\x00garbage"))


def test_not_a_number_reads_as_the_stdlib_encoder_wrote_it(center: DispatchCenter) -> None:
    data = projection_mapper(center).to_domain_event(stored(center, b'{"p":NaN,"q":[1]}'))
    assert math.isnan(data["p"]) and data["q"] == [1]


def test_an_encrypted_state_is_decrypted_with_the_stores_cipher(center: DispatchCenter) -> None:
    key = AESCipher.create_key(32)
    cipher = AESCipher(Environment(env={"CIPHER_KEY": key}))
    writer: Mapper[UUID] = Mapper(center.mapper.transcoder, cipher=cipher)
    center.report(a_report(caller_number="+6281399990000"))
    reported = [
        n for n in center.recorder.select_notifications(0, 100) if n.topic.endswith(".Reported")
    ]
    domain = center.mapper.to_domain_event(reported[0])
    secret = writer.to_stored_event(domain)
    assert b"+6281399990000" not in secret.state
    data = projection_mapper(center, cipher).to_domain_event(secret)
    assert data["caller_number"] == "+6281399990000"
    with pytest.raises(MapperDeserialisationError):
        projection_mapper(center).to_domain_event(secret)  # no key, no rows


class Kettle(Aggregate):
    """A test aggregate whose event class gained a field (version 2)."""

    class Boiled(Aggregate.Event):
        class_version = 2
        litres: float
        unit: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["unit"] = "l"

    @event(Boiled)
    def boil(self, litres: float, unit: str) -> None:
        """Boil some water."""


def test_an_event_stored_by_an_older_class_is_upcast_as_the_library_would() -> None:
    transcoder = JSONTranscoder()
    mapper = ProjectionMapper(transcoder)
    old = StoredEvent(uuid4(), 2, get_topic(Kettle.Boiled), b'{"timestamp":null,"litres":1.5}')
    data = mapper.to_domain_event(old)
    assert (data["litres"], data["unit"]) == (1.5, "l")
    assert isinstance(data, EventData)
