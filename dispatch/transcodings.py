"""JSON transcodings for the domain's value objects and enums."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain import taxonomy
from domain.values import Location, Place, StackedCall

ENUMS: tuple[type[Enum], ...] = (
    taxonomy.Category,
    taxonomy.Agency,
    taxonomy.Priority,
    taxonomy.Disposition,
    taxonomy.Channel,
    taxonomy.LocationSource,
    taxonomy.ScoreBand,
    taxonomy.UnitType,
    taxonomy.UnitStatus,
    taxonomy.IncidentStatus,
    taxonomy.EscalationReason,
)


class EnumAsValue(Transcoding):
    """Stores an Enum member as its value, under the enum's own name."""

    def __init__(self, enum_class: type[Enum]) -> None:
        self.type = enum_class
        self.name = enum_class.__name__
        self._enum = enum_class

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        return self._enum(data)


class DateAsISO(Transcoding):
    """Stores a calendar date as YYYY-MM-DD."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class LocationAsDict(Transcoding):
    """Stores a Location as its fields."""

    type = Location
    name = "location"

    def encode(self, obj: Location) -> dict[str, Any]:
        return asdict(obj)

    def decode(self, data: dict[str, Any]) -> Location:
        return Location(**data)


class PlaceAsDict(Transcoding):
    """Stores a Place as its fields."""

    type = Place
    name = "place"

    def encode(self, obj: Place) -> dict[str, Any]:
        return asdict(obj)

    def decode(self, data: dict[str, Any]) -> Place:
        return Place(**data)


class StackedCallAsDict(Transcoding):
    """Stores a further caller's words as their fields (in the present's checkpoint)."""

    type = StackedCall
    name = "stacked_call"

    def encode(self, obj: StackedCall) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> StackedCall:
        return StackedCall(**{**data, "hazards": tuple(data["hazards"])})


def register_domain_transcodings(transcoder: JSONTranscoder) -> None:
    """Register every domain value the events carry (and the present's checkpoint holds)."""
    for enum_class in ENUMS:
        transcoder.register(EnumAsValue(enum_class))
    for transcoding in (DateAsISO(), LocationAsDict(), PlaceAsDict(), StackedCallAsDict()):
        transcoder.register(transcoding)
