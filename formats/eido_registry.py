"""EIDO registry values for our vocabulary (not verified against NENA's registry lists; see
docs/eido-mapping.md): change them here when a receiving CAD needs the registry's own values."""

from __future__ import annotations

from domain.taxonomy import Agency, Category, UnitStatus, UnitType

INCIDENT_TYPES = {
    Category.KEBAKARAN: "Fire",
    Category.KECELAKAAN_LALU_LINTAS: "Traffic Collision",
    Category.MEDIS: "Medical",
    Category.KRIMINAL: "Crime",
    Category.KEKERASAN: "Assault / Domestic Violence",
    Category.BANJIR: "Flood",
    Category.TANAH_LONGSOR: "Landslide",
    Category.ORANG_TENGGELAM: "Water Rescue",
    Category.POHON_TUMBANG: "Hazard - Fallen Tree",
    Category.HEWAN_BERBAHAYA: "Animal",
    Category.GANGGUAN_KETERTIBAN: "Disturbance",
    Category.LAINNYA: "Other",
}
AGENCY_TYPES = {
    Agency.POLICE: "police",
    Agency.FIRE: "fire",
    Agency.MEDICAL: "ems",
    Agency.BPBD: "emergency-management",
    Agency.SAR: "search-and-rescue",
}
RESOURCE_TYPES = {
    UnitType.POLICE_PATROL: "Law Enforcement Patrol Unit",
    UnitType.FIRE_ENGINE: "Fire Engine",
    UnitType.RESCUE: "Rescue Unit",
    UnitType.AMBULANCE: "Ambulance",
    UnitType.RESCUE_BOAT: "Boat",
    UnitType.BPBD_TEAM: "Emergency Management Team",
}
UNIT_STATUSES = {
    UnitStatus.AVAILABLE: "Available",
    UnitStatus.DISPATCHED: "Dispatched",
    UnitStatus.EN_ROUTE: "Enroute",
    UnitStatus.ON_SCENE: "OnScene",
    UnitStatus.TRANSPORTING: "Transporting",
    UnitStatus.AT_HOSPITAL: "AtHospital",
    UnitStatus.OUT_OF_SERVICE: "OutOfService",
}
