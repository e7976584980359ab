"""The call center's vocabulary: categories, agencies, priorities, dispositions, statuses.

Every value is an Enum whose ``value`` is the stable code stored in events and used in the
API; labels are Indonesian first, English second (CONTEXT.md).
"""

from __future__ import annotations

from enum import Enum


class Category(Enum):
    """What kind of emergency a report describes."""

    KEBAKARAN = "kebakaran"
    KECELAKAAN_LALU_LINTAS = "kecelakaan_lalu_lintas"
    MEDIS = "medis"
    KRIMINAL = "kriminal"
    KEKERASAN = "kekerasan"
    BANJIR = "banjir"
    TANAH_LONGSOR = "tanah_longsor"
    ORANG_TENGGELAM = "orang_tenggelam"
    POHON_TUMBANG = "pohon_tumbang"
    HEWAN_BERBAHAYA = "hewan_berbahaya"
    GANGGUAN_KETERTIBAN = "gangguan_ketertiban"
    LAINNYA = "lainnya"

    @property
    def label_id(self) -> str:
        """The Indonesian label."""
        return _CATEGORY_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English label."""
        return _CATEGORY_LABELS[self][1]


_CATEGORY_LABELS: dict[Category, tuple[str, str]] = {
    Category.KEBAKARAN: ("Kebakaran", "Fire"),
    Category.KECELAKAAN_LALU_LINTAS: ("Kecelakaan lalu lintas", "Traffic accident"),
    Category.MEDIS: ("Medis / gawat darurat", "Medical emergency"),
    Category.KRIMINAL: ("Kriminal", "Crime"),
    Category.KEKERASAN: ("Kekerasan / KDRT", "Violence / domestic violence"),
    Category.BANJIR: ("Banjir", "Flood"),
    Category.TANAH_LONGSOR: ("Tanah longsor", "Landslide"),
    Category.ORANG_TENGGELAM: ("Orang tenggelam", "Drowning"),
    Category.POHON_TUMBANG: ("Pohon tumbang", "Fallen tree"),
    Category.HEWAN_BERBAHAYA: ("Hewan berbahaya", "Dangerous animal"),
    Category.GANGGUAN_KETERTIBAN: ("Gangguan ketertiban", "Public disorder"),
    Category.LAINNYA: ("Lainnya", "Other"),
}


class Agency(Enum):
    """A responder agency that receives incidents."""

    POLICE = "police"
    FIRE = "fire"
    MEDICAL = "medical"
    BPBD = "bpbd"
    SAR = "sar"

    @property
    def label_id(self) -> str:
        """The Indonesian name of the agency."""
        return _AGENCY_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English name of the agency."""
        return _AGENCY_LABELS[self][1]


_AGENCY_LABELS: dict[Agency, tuple[str, str]] = {
    Agency.POLICE: ("Polri (Polresta/Polsek)", "Police"),
    Agency.FIRE: ("Damkar", "Fire and rescue"),
    Agency.MEDICAL: ("PSC 119 / rumah sakit", "Ambulance / hospitals"),
    Agency.BPBD: ("BPBD", "Disaster management"),
    Agency.SAR: ("Basarnas (SAR)", "Search and rescue"),
}


class Priority(Enum):
    """Urgency set at triage: P1 life threat (immediate) to P4 information."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"

    @property
    def eido(self) -> int:
        """The priority on EIDO's 0 (lowest) to 10 (highest) scale."""
        return _EIDO_PRIORITY[self]

    @property
    def rank(self) -> int:
        """1 for P1 … 4 for P4, for sorting."""
        return int(self.value[1])


_EIDO_PRIORITY = {Priority.P1: 9, Priority.P2: 6, Priority.P3: 3, Priority.P4: 1}


class Disposition(Enum):
    """How an incident ended: the training label of the false-call classifier."""

    GENUINE = "genuine"
    PRANK = "prank"
    SILENT = "silent"
    ACCIDENTAL = "accidental"
    NON_EMERGENCY = "non_emergency"
    DUPLICATE = "duplicate"
    TEST = "test"


class Channel(Enum):
    """How a report reached the center."""

    VOICE = "voice"
    SMS = "sms"
    APP = "app"
    AML = "aml"
    WALK_IN = "walk_in"
    RADIO = "radio"


class LocationSource(Enum):
    """Where a caller location came from (its trust differs)."""

    AML = "aml"
    DEVICE = "device"
    OPERATOR_MAP = "operator_map"
    TYPED = "typed"
    KELURAHAN = "kelurahan"
    CELL = "cell"


class ScoreBand(Enum):
    """The classifier's likelihood that a report is a false call."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class UnitType(Enum):
    """What a responder unit is."""

    POLICE_PATROL = "police_patrol"
    FIRE_ENGINE = "fire_engine"
    RESCUE = "rescue"
    AMBULANCE = "ambulance"
    RESCUE_BOAT = "rescue_boat"
    BPBD_TEAM = "bpbd_team"


class UnitStatus(Enum):
    """Where a unit stands in its duty cycle."""

    AVAILABLE = "available"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    TRANSPORTING = "transporting"
    AT_HOSPITAL = "at_hospital"
    OUT_OF_SERVICE = "out_of_service"


class IncidentStatus(Enum):
    """Where an incident stands, derived from its events."""

    NEW = "new"
    VERIFYING = "verifying"
    ROUTED = "routed"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    CLOSED = "closed"


class EscalationReason(Enum):
    """Why the watchdog escalated an incident."""

    NOT_ACKNOWLEDGED = "not_acknowledged"
    NO_UNIT_DISPATCHED = "no_unit_dispatched"
    NO_UNIT_AVAILABLE = "no_unit_available"
