"""The EIDO subset sent with agency deltas: the full export's identifiers, from state alone."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from dispatch.center import DispatchCenter
from domain.taxonomy import Agency, Disposition, UnitType
from domain.values import Location, Place
from formats.eido_common import ELEMENT
from formats.eido_delta import eido
from formats.pidf_lo import pidf_lo
from replay.eido import eido as full_export
from tests.support import AWS, a_report

AT = "2026-11-22T01:31:00+00:00"
GML = "{http://www.opengis.net/gml}"
PIDFLO = "{http://www.opengis.net/pidflo/1.0}"
CIVIC = "{urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr}"


def refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["$ref"]] if "$ref" in value else []
        return found + [r for v in value.values() for r in refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in refs(v)]
    return []


def test_an_incident_maps_to_eido_components_with_the_full_exports_identifiers(
    center: DispatchCenter,
) -> None:
    unit, _ = center.register_unit("F9", "Damkar F9", Agency.FIRE, UnitType.FIRE_ENGINE, "P3", AWS)
    incident = center.report(a_report(address_text="Jl. Pahlawan 12")).incident
    center.route(incident.id, [Agency.FIRE, Agency.MEDICAL], unit_ids=[unit.id])
    center.add_note(incident.id, "dua korban")
    state = center.get_incident(incident.id)

    subset = eido(state, AT)
    full = full_export(center, str(incident.id))

    component = subset["incidentComponent"]
    assert component["$id"] == full["incidentComponent"]["$id"]
    for field in (
        "internalIncidentId",
        "incidentTypeCommonRegistryText",
        "incidentCommonPriorityNumber",
        "incidentStatusCommonRegistryText",
        "locationReference",
    ):
        assert component[field] == full["incidentComponent"][field], field
    assert component["incidentStatusInternalText"] == ["dispatched"]
    ids = {c["$id"] for name, cs in subset.items() if name.endswith("Component") for c in _list(cs)}
    assert {r for r in refs(subset) if r.startswith("urn:")} <= ids
    [location] = subset["locationComponent"]
    assert location["locationByValue"] == full["locationComponent"][0]["locationByValue"]
    assert "Jl. Pahlawan 12" in location["locationDescriptionText"]
    assert [a["agencyType"] for a in subset["agencyComponent"]] == [["fire"], ["ems"]]
    assert subset["emergencyResourceComponent"][0]["emergencyResourceName"] == "Damkar F9"
    assert subset["notesComponent"][0]["notesActionComments"] == "dua korban"
    assert "score" not in str(subset) and "p_false" not in str(subset)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_the_location_is_a_pidf_lo_circle_of_the_reported_accuracy(
    center: DispatchCenter,
) -> None:
    incident = center.report(a_report()).incident

    xml = eido(incident, AT)["locationComponent"][0]["locationByValue"]

    root = ET.fromstring(xml)
    gml = "{http://www.opengis.net/gml}"
    pidflo = "{http://www.opengis.net/pidflo/1.0}"
    assert root.find(f".//{gml}pos").text == f"{AWS.lat} {AWS.lon}"  # type: ignore[union-attr]
    assert root.find(f".//{pidflo}radius").text == str(AWS.accuracy_m)  # type: ignore[union-attr]


def test_a_closed_incident_carries_its_disposition(center: DispatchCenter) -> None:
    incident = center.report(a_report()).incident
    center.close_incident(incident.id, Disposition.PRANK, "iseng")

    component = eido(center.get_incident(incident.id), AT)["incidentComponent"]

    assert component["incidentStatusCommonRegistryText"] == "Closed"
    assert component["dispositionComponent"] == [{"dispositionCommonRegistryCode": "prank"}]


# What a caller or an operator may type: any character XML 1.0 holds (a carriage return is
# left out: XML reads one back as a line feed).
TYPED = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\t\n&<>\"'"),
    min_size=1,
)


@given(address=TYPED, kelurahan=TYPED, entity=TYPED, accuracy=st.none() | st.floats(0, 1e4))
def test_a_pidf_lo_reads_back_what_was_written_in_it(
    address: str, kelurahan: str, entity: str, accuracy: float | None
) -> None:
    place = Place(kelurahan, None, "Samarinda Ulu", None)
    location = Location(-0.4906, 117.1442, accuracy)

    root = ET.fromstring(pidf_lo(location, place, address, entity=entity, domain=ELEMENT))

    assert root.get("entity") == f"pres:{entity}@{ELEMENT}"
    assert root.findtext(f".//{CIVIC}LOC") == address
    assert root.findtext(f".//{CIVIC}A5") == kelurahan
    assert root.findtext(f".//{CIVIC}A4") == "Samarinda Ulu"
    assert root.findtext(f".//{GML}pos") == "-0.4906 117.1442"
    assert root.findtext(f".//{PIDFLO}radius") == str(accuracy if accuracy is not None else 0)


def test_a_pidf_lo_without_a_location_has_no_circle_and_declares_no_geometry() -> None:
    xml = pidf_lo(None, None, "Jl. Pahlawan 12", entity="x", domain=ELEMENT)

    root = ET.fromstring(xml)

    assert root.find(f".//{PIDFLO}Circle") is None and "gml" not in xml
    assert root.findtext(f".//{CIVIC}LOC") == "Jl. Pahlawan 12"
