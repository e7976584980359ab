"""The one-line reasons, in Indonesian and English, behind a unit recommendation or its absence."""

from __future__ import annotations

from dataclasses import dataclass

from dispatch.advice import AgencyUnitNote, PositionSource, UnitGap
from domain.taxonomy import Agency, UnitType

UNIT_TYPE_LABELS: dict[UnitType, tuple[str, str]] = {
    UnitType.POLICE_PATROL: ("mobil patroli", "police patrol"),
    UnitType.FIRE_ENGINE: ("mobil pemadam", "fire engine"),
    UnitType.RESCUE: ("unit rescue", "rescue unit"),
    UnitType.AMBULANCE: ("ambulans", "ambulance"),
    UnitType.RESCUE_BOAT: ("perahu SAR", "rescue boat"),
    UnitType.BPBD_TEAM: ("tim BPBD", "BPBD team"),
}


@dataclass(frozen=True)
class Whereabouts:
    """What is known of where a unit is, as far as its explanation needs."""

    source: PositionSource
    age_s: float | None  # age of its last reported position; None if it never reported one
    home: str  # its home station's name ("" if not in the data)
    bridge: str | None  # the bridge its route crosses


def unit_reason(
    unit_type: UnitType, rank: int, distance_m: float, eta_s: float, where: Whereabouts
) -> tuple[str, str]:
    """("Mobil pemadam tersedia terdekat ke-1: 2,3 km, tiba ±6 menit; …", the English)."""
    type_id, type_en = UNIT_TYPE_LABELS[unit_type]
    km, minutes = distance_m / 1000, max(1, round(eta_s / 60))
    where_id, where_en = _position(where)
    if where.bridge:
        where_id, where_en = f"{where_id}; via {where.bridge}", f"{where_en}; via {where.bridge}"
    return (
        f"{type_id.capitalize()} tersedia terdekat ke-{rank}: {_km_id(km)} km,"
        f" tiba ±{minutes} menit; {where_id}",
        f"#{rank} nearest available {type_en}: {km:.1f} km, ETA ~{minutes} min; {where_en}",
    )


def _position(where: Whereabouts) -> tuple[str, str]:
    age_id, age_en = _age(where.age_s)
    if where.source is PositionSource.REPORTED:
        return f"posisi {age_id} lalu", f"position {age_en} old"
    if where.source is PositionSource.STATION:
        last_id, last_en = (
            ("unit belum melaporkan posisi", "no position reported")
            if where.age_s is None
            else (f"posisi terakhir {age_id} lalu", f"last position {age_en} old")
        )
        return (
            f"posisi = pos induk {where.home} ({last_id}; ETA kurang pasti)",
            f"position = home station {where.home} ({last_en}; ETA less certain)",
        )
    return (
        f"posisi terakhir diketahui, {age_id} lalu (pos induk tidak diketahui; ETA kurang pasti)",
        f"last known position, {age_en} old (home station unknown; ETA less certain)",
    )


def _age(seconds: float | None) -> tuple[str, str]:
    """A position's age as a dispatcher says it: "7 menit" / "2 jam 5 menit"."""
    minutes = max(0, round((seconds or 0.0) / 60))
    if minutes < 60:
        return f"{minutes} menit", f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} jam {rest} menit", f"{hours} h {rest} min"


def agency_note(agency: Agency, gap: UnitGap, registered: int, names: str = "") -> AgencyUnitNote:
    """The one note for an agency that is responsible but has no unit to propose."""
    if gap is UnitGap.NONE_REGISTERED:
        text_id = "tidak ada unit terdaftar — hubungi instansi langsung"
        text_en = "no unit registered — contact the agency directly"
    elif gap is UnitGap.NONE_AVAILABLE:
        text_id = f"semua {registered} unit sedang bertugas atau tidak aktif"
        text_en = f"all {registered} units committed or out of service"
    else:
        text_id = f"unit tersedia tanpa posisi maupun pos induk yang diketahui: {names}"
        text_en = f"available units with no known position or home station: {names}"
    return AgencyUnitNote(
        agency=agency,
        gap=gap,
        registered=registered,
        explanation_id=f"{agency.label_id}: {text_id}",
        explanation_en=f"{agency.label_en}: {text_en}",
    )


def _km_id(km: float) -> str:
    """Kilometres with the Indonesian decimal comma."""
    return f"{km:.1f}".replace(".", ",")
