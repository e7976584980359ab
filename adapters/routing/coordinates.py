"""Turning raw coordinates and EENA AML SMS into checked domain Locations."""

from __future__ import annotations

import math
import re

from adapters.routing.errors import InvalidAML, InvalidCoordinates
from domain.taxonomy import LocationSource
from domain.values import Location


def check_coordinates(
    lat: float,
    lon: float,
    *,
    accuracy_m: float | None = None,
    source: LocationSource = LocationSource.OPERATOR_MAP,
) -> Location:
    """A Location from lat/lon, or InvalidCoordinates naming the field and what is wrong."""
    for field, value in (("lat", lat), ("lon", lon)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidCoordinates(field, f"must be a number, not {value!r}")
        if not math.isfinite(value):
            raise InvalidCoordinates(field, "must be a finite number, not NaN or infinity")
    if abs(lat) > 90.0:
        if abs(lon) <= 90.0 and abs(lat) <= 180.0:
            raise InvalidCoordinates(
                "lat",
                f"lat/lon look swapped: lat={lat:g} is not a latitude but lon={lon:g} could be;"
                f" did you mean lat={lon:g}, lon={lat:g}?",
            )
        raise InvalidCoordinates("lat", f"must be within ±90 degrees, not {lat:g}")
    if abs(lon) > 180.0:
        raise InvalidCoordinates("lon", f"must be within ±180 degrees, not {lon:g}")
    if lat == 0.0 and lon == 0.0:
        raise InvalidCoordinates("lat", "0,0 is the placeholder sent by devices without a fix")
    if accuracy_m is not None and not (math.isfinite(accuracy_m) and accuracy_m >= 0):
        raise InvalidCoordinates("accuracy_m", "must be a non-negative number of metres")
    return Location(lat=float(lat), lon=float(lon), accuracy_m=accuracy_m, source=source)


_AML_HEADER = re.compile(r'^\s*A"?ML=(?P<version>[^;]*);', re.IGNORECASE)
_NO_POSITION = "N"


def parse_aml(sms: str) -> Location:
    """The caller position in an EENA Advanced Mobile Location SMS (ETSI TS 103 625).

    ``A"ML=1;lt=-0.50221;lg=117.15342;rd=12;top=...;lc=90;pm=G;si=...;ei=...;...`` gives
    ``Location(-0.50221, 117.15342, accuracy_m=12, source=AML)``. Only the position fields are
    read: the identifiers (``si`` IMSI, ``ei`` IMEI) are personal data and are not kept here.
    """
    header = _AML_HEADER.match(sms)
    if header is None:
        raise InvalidAML('does not start with A"ML=<version>;')
    if header["version"].strip() != "1":
        raise InvalidAML(f"unsupported AML version {header['version'].strip()!r} (expected 1)")
    fields = _aml_fields(sms[header.end() :])
    if fields.get("pm", "").upper() == _NO_POSITION:
        raise InvalidAML("the handset had no position (pm=N)")
    lat = _aml_number(fields, "lt")
    lon = _aml_number(fields, "lg")
    radius = _aml_number(fields, "rd")
    if radius < 0:
        raise InvalidAML(f"rd (radius) must not be negative, got {radius:g}")
    try:
        return check_coordinates(lat, lon, accuracy_m=radius, source=LocationSource.AML)
    except InvalidCoordinates as error:
        field = {"lat": "lt", "lon": "lg"}.get(error.field, error.field)
        raise InvalidAML(f"{field}: {error.reason}") from error


def _aml_fields(body: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in body.split(";"):
        if not part.strip():
            continue  # tolerate ";;" and a trailing ";"
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep or not key:
            raise InvalidAML(f"field {part.strip()!r} is not key=value")
        if key in fields:
            raise InvalidAML(f"field {key!r} appears twice")
        fields[key] = value.strip()
    return fields


def _aml_number(fields: dict[str, str], key: str) -> float:
    if not fields.get(key):
        raise InvalidAML(f"missing {key}")
    try:
        value = float(fields[key])
    except ValueError:
        raise InvalidAML(f"{key}={fields[key]!r} is not a number") from None
    if not math.isfinite(value):
        raise InvalidAML(f"{key}={fields[key]!r} is not a finite number")
    return value
