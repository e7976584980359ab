"""An incident as a NENA EIDO-shaped document."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from dispatch.center import DispatchCenter
from dispatch.context import acting_as
from domain.taxonomy import Agency, Disposition
from replay.eido import eido
from tests.support import FakeClock, a_report
from tests.unit.replay.conftest import a_day


def ids_and_refs(node: Any) -> tuple[set[str], list[str]]:
    ids: set[str] = set()
    refs: list[str] = []
    if isinstance(node, dict):
        if "$id" in node:
            ids.add(node["$id"])
        if "$ref" in node:
            refs.append(node["$ref"])
        for value in node.values():
            more_ids, more_refs = ids_and_refs(value)
            ids |= more_ids
            refs += more_refs
    elif isinstance(node, list):
        for value in node:
            more_ids, more_refs = ids_and_refs(value)
            ids |= more_ids
            refs += more_refs
    return ids, refs


def test_every_reference_in_the_document_names_a_component_in_it(
    center: DispatchCenter, clock: FakeClock
) -> None:
    day = a_day(center, clock)
    with acting_as("operator:sari"):
        center.add_note(day.fast, "pintu belakang terkunci")
    document = eido(center, str(day.fast))
    ids, refs = ids_and_refs(document)
    assert refs and set(refs) <= ids, set(refs) - ids


def test_the_incident_component_carries_type_priority_and_number(
    center: DispatchCenter, clock: FakeClock
) -> None:
    day = a_day(center, clock)
    document = eido(center, str(day.fast))
    incident = document["incidentComponent"]
    assert document["eidoVersion"] == "1.0"
    assert document["$id"].startswith(f"urn:emergency:uid:incidentid:{day.fast}:")
    assert incident["incidentTypeInternalCode"] == "kebakaran"
    assert incident["incidentTypeCommonRegistryText"] == "Fire"
    assert incident["incidentCommonPriorityNumber"] == 9  # P1
    assert incident["internalIncidentId"] == "SMD-20261122-0001"
    assert incident["incidentStatusCommonRegistryText"] == "Active"


def test_dispatch_and_emergency_resources_show_the_unit_and_its_status(
    center: DispatchCenter, clock: FakeClock
) -> None:
    day = a_day(center, clock)
    document = eido(center, str(day.fast))
    [dispatch] = document["dispatchComponent"]
    [resource] = document["emergencyResourceComponent"]
    assert dispatch["agencyReference"] == {"$ref": "fire.siaga112.samarindakota.go.id"}
    assert dispatch["emergencyResourceReference"] == [{"$ref": resource["$id"]}]
    assert resource["emergencyResourceName"] == "Damkar F1"
    assert resource["primaryUnitStatusRegistryText"] == "OnScene"
    assert "fire" in {a["agencyType"][0] for a in document["agencyComponent"]}


def test_the_caller_location_is_a_pidf_lo_circle_with_the_kelurahan(
    center: DispatchCenter,
) -> None:
    incident = center.report(a_report()).incident
    document = eido(center, incident.number)
    [location] = document["locationComponent"]
    xml = ET.fromstring(location["locationByValue"])
    gml = "{http://www.opengis.net/gml}pos"
    assert xml.find(f".//{gml}").text == "-0.4906 117.1442"  # type: ignore[union-attr]
    civic = "{urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr}"
    assert xml.find(f".//{civic}A3").text == "Samarinda"  # type: ignore[union-attr]
    assert xml.find(f".//{civic}A5") is not None  # kelurahan from the boundaries
    assert document["callComponent"][0]["callBackReference"] == {
        "$ref": document["callbackComponent"][0]["$id"]
    }
    assert document["callbackComponent"][0]["callBackInformationUri"] == ["tel:+6281234567890"]


def test_a_closed_duplicate_has_its_disposition_link_and_notes(center: DispatchCenter) -> None:
    primary = center.report(a_report()).incident
    duplicate = center.report(a_report()).incident
    center.link_duplicate(duplicate.id, primary.id)
    center.add_note(duplicate.id, "laporan yang sama")
    center.close_incident(duplicate.id, Disposition.DUPLICATE, "sudah ditangani")
    document = eido(center, duplicate.number)
    [disposition] = document["incidentComponent"]["dispositionComponent"]
    assert disposition["dispositionCommonRegistryCode"] == "duplicate"
    assert document["incidentComponent"]["incidentStatusCommonRegistryText"] == "Closed"
    [link] = document["linkComponent"]
    assert link["linkDirectionCode"] == "PARENT"
    assert link["incidentTrackingIdentification"].startswith(
        f"urn:emergency:uid:incidentid:{primary.id}:"
    )
    notes = [n["notesActionComments"] for n in document["notesComponent"]]
    assert notes == [duplicate.description, "laporan yang sama"]
    primary_links = eido(center, primary.number)["linkComponent"]
    assert [x["linkDirectionCode"] for x in primary_links] == ["CHILD"]


def test_the_primary_carries_the_second_callers_words_as_a_note(center: DispatchCenter) -> None:
    primary = center.report(a_report()).incident
    second = center.report(a_report(description="korban tidak bernapas", injuries=2)).incident
    center.link_duplicate(second.id, primary.id)

    notes = [n["notesActionComments"] for n in eido(center, primary.number)["notesComponent"]]

    assert notes[0] == primary.description
    assert second.number in notes[1]
    assert "korban tidak bernapas" in notes[1]


def test_an_incident_routed_but_without_units_has_an_empty_dispatch(
    center: DispatchCenter,
) -> None:
    incident = center.report(a_report()).incident
    center.route(incident.id, [Agency.POLICE])
    [dispatch] = eido(center, incident.number)["dispatchComponent"]
    assert dispatch["emergencyResourceReference"] == []
