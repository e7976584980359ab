"""Demo data: units at Samarinda's real stations, and demo tokens (idempotent)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.auth import add_token
from adapters.routing.geodata import DEFAULT_DATA_DIR
from adapters.routing.geodata import STATIONS_FILE as STATIONS_GEOJSON
from dispatch.center import DispatchCenter
from dispatch.context import acting_as
from domain.taxonomy import Agency, LocationSource, UnitType
from domain.values import Location
from entrypoints.cli.progress import track

STATIONS_FILE = DEFAULT_DATA_DIR / STATIONS_GEOJSON
DEMO_ROLES = (
    "operator",
    "supervisor",
    "auditor",
    "agency:police",
    "agency:fire",
    "agency:medical",
    "agency:bpbd",
    "agency:sar",
)
# How many units of which type a demo station gets, by agency and station kind.
FLEET: dict[tuple[str, str], list[UnitType]] = {
    ("police", "station"): [UnitType.POLICE_PATROL, UnitType.POLICE_PATROL],
    ("fire", "station"): [UnitType.FIRE_ENGINE, UnitType.FIRE_ENGINE, UnitType.RESCUE],
    ("fire", "post"): [UnitType.FIRE_ENGINE],
    ("medical", "hospital"): [UnitType.AMBULANCE],
}


@dataclass(frozen=True)
class DemoUnit:
    """A unit to register for the demo."""

    code: str
    callsign: str
    agency: Agency
    unit_type: UnitType
    station_id: str
    location: Location


def demo_units(stations_file: Path = STATIONS_FILE) -> list[DemoUnit]:
    """Units for every police, fire and hospital location in the stations data."""
    features: list[dict[str, Any]] = json.loads(stations_file.read_text())["features"]
    units = []
    for feature in features:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"][:2]
        station = Location(lat, lon, 10.0, LocationSource.DEVICE)
        short = props["id"].split("-", 1)[1]
        label = station_label(props["name"], props.get("kecamatan") or short)
        for n, unit_type in enumerate(FLEET.get((props["agency"], props["kind"]), []), start=1):
            units.append(
                DemoUnit(
                    code=f"{short}-{n}",
                    callsign=f"{_callsign_prefix(unit_type)} {label}-{n}",
                    agency=Agency(props["agency"]),
                    unit_type=unit_type,
                    station_id=props["id"],
                    location=station,
                )
            )
    return units


# Words every station name repeats; dropping them leaves what a dispatcher says on the radio.
NAME_NOISE = frozenset(
    [
        "dinas",
        "pemadam",
        "kebakaran",
        "kota",
        "samarinda",
        "kantor",
        "damkar",
        "stasiun",
        "rumah",
        "sakit",
        "rs",
        "rs.",
        "rsud",
        "rsia",
        "-",
        "–",
    ]
)


def station_label(name: str, fallback: str) -> str:
    """A short, radio-friendly label of a station ("Pemadam Kebakaran Posko III" → "Posko III")."""
    words = [w for w in re.split(r"[\s()]+", name) if w and w.lower() not in NAME_NOISE]
    return " ".join(words) or fallback


def _callsign_prefix(unit_type: UnitType) -> str:
    return {
        UnitType.POLICE_PATROL: "Patroli",
        UnitType.FIRE_ENGINE: "Damkar",
        UnitType.RESCUE: "Rescue",
        UnitType.AMBULANCE: "Ambulans",
    }.get(unit_type, unit_type.value)


def seed_units(center: DispatchCenter) -> tuple[int, int]:
    """Register the demo fleet; returns (new, already there)."""
    new = existing = 0
    with acting_as("system:demo"):
        for unit in track(demo_units(), "registering demo units"):
            _, created = center.register_unit(
                unit.code,
                unit.callsign,
                unit.agency,
                unit.unit_type,
                unit.station_id,
                unit.location,
            )
            new, existing = (new + 1, existing) if created else (new, existing + 1)
    return new, existing


def demo_tokens(var_dir: Path, tokens_file: Path) -> dict[str, str]:
    """The demo tokens (role → token), made once and kept beside the hashed registry."""
    plain_file = var_dir / "demo-tokens.json"
    tokens: dict[str, str] = json.loads(plain_file.read_text()) if plain_file.exists() else {}
    for role in DEMO_ROLES:
        if role not in tokens:
            tokens[role] = add_token(tokens_file, role, f"demo-{role.replace(':', '-')}")
    plain_file.parent.mkdir(parents=True, exist_ok=True)
    plain_file.write_text(json.dumps(tokens, indent=2))
    os.chmod(plain_file, 0o600)
    return tokens
