"""Value objects carried inside events: immutable, compared by value."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.taxonomy import Category, LocationSource


class InvalidLocation(ValueError):
    """Raised when coordinates are not a point on Earth (NaN, out of range)."""


@dataclass(frozen=True)
class Location:
    """A caller or unit position in WGS84 degrees, with how it was obtained."""

    lat: float
    lon: float
    accuracy_m: float | None = None
    source: LocationSource = LocationSource.OPERATOR_MAP

    def __post_init__(self) -> None:
        for name, value, limit in (("lat", self.lat, 90.0), ("lon", self.lon, 180.0)):
            if not math.isfinite(value) or abs(value) > limit:
                raise InvalidLocation(f"{name} must be a finite number within ±{limit:g}")
        if self.accuracy_m is not None and not (
            math.isfinite(self.accuracy_m) and self.accuracy_m >= 0
        ):
            raise InvalidLocation("accuracy_m must be a non-negative number")


@dataclass(frozen=True)
class Place:
    """The administrative place of a location (BIG boundaries) or of a named kelurahan."""

    kelurahan: str | None
    kelurahan_code: str | None
    kecamatan: str | None
    kecamatan_code: str | None
    inside_jurisdiction: bool = True
    distance_outside_m: float | None = None


@dataclass(frozen=True)
class StackedCall:
    """What a further caller said about an incident: a report linked to it as a duplicate."""

    duplicate_id: UUID
    duplicate_number: str
    received_at: datetime
    caller_number: str | None
    category: Category
    description: str
    injuries: int | None
    persons_involved: int | None
    location: Location | None
    place: Place | None
    address_text: str | None
    hazards: tuple[str, ...]
    actor: str
    at: datetime
