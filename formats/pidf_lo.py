"""PIDF-LO (RFC 4119, 5491, 5139) for a caller location: a circle and a civic address."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from domain.values import Location, Place

NS = {
    "": "urn:ietf:params:xml:ns:pidf",
    "gp": "urn:ietf:params:xml:ns:pidf:geopriv10",
    "dm": "urn:ietf:params:xml:ns:pidf:data-model",
    "gml": "http://www.opengis.net/gml",
    "gs": "http://www.opengis.net/pidflo/1.0",
    "ca": "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr",
}


def pidf_lo(
    location: Location | None,
    place: Place | None,
    address: str | None,
    *,
    entity: str,
    domain: str,
) -> str:
    """A PIDF-LO document: a circle (point plus accuracy) and the civic address we know."""
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)

    def q(prefix: str, name: str) -> str:
        return f"{{{NS[prefix]}}}{name}"

    presence = ET.Element(q("", "presence"), {"entity": f"pres:{entity}@{domain}"})
    device = ET.SubElement(presence, q("dm", "device"), {"id": "caller"})
    geopriv = ET.SubElement(device, q("gp", "geopriv"))
    info = ET.SubElement(geopriv, q("gp", "location-info"))
    if location is not None:
        circle = ET.SubElement(info, q("gs", "Circle"), {"srsName": "urn:ogc:def:crs:EPSG::4326"})
        ET.SubElement(circle, q("gml", "pos")).text = f"{location.lat} {location.lon}"
        radius = ET.SubElement(circle, q("gs", "radius"), {"uom": "urn:ogc:def:uom:EPSG::9001"})
        radius.text = str(location.accuracy_m if location.accuracy_m is not None else 0)
    civic = ET.SubElement(info, q("ca", "civicAddress"))
    fields = (
        ("country", "ID"),
        ("A1", "Kalimantan Timur"),
        ("A3", "Samarinda"),
        ("A4", place.kecamatan if place else None),
        ("A5", place.kelurahan if place else None),
        ("LOC", address),
    )
    for name, value in fields:
        if value:
            ET.SubElement(civic, q("ca", name)).text = value
    ET.SubElement(geopriv, q("gp", "usage-rules"))
    if location is not None:
        ET.SubElement(geopriv, q("gp", "method")).text = location.source.value
    return ET.tostring(presence, encoding="unicode")
