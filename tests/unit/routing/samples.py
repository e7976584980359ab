"""Real places and a fixed clock shared by the routing tests."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.values import Location

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)

# Real places from the data (adapters/routing/data).
RSUD_AWS = Location(-0.47897255038672015, 117.14428149325464)  # Sidodadi, Samarinda Ulu
POSKO_III = Location(-0.48608384651503805, 117.12259208158237)  # fire post, Air Putih
BALIKPAPAN = Location(-1.2379, 116.8529)


def offset(origin: Location, north_m: float, east_m: float = 0.0) -> Location:
    """A point the given metres north/east of another (small offsets near the equator)."""
    return Location(origin.lat + north_m / 111_195.0, origin.lon + east_m / 111_195.0)
