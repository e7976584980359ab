"""OpenAPI links: where the ids a response returns can be used next.

A client (or a generated one) reads from ``POST /api/reports`` that ``incident.id`` goes into
every ``/api/incidents/{incident_id}/…`` operation, and from ``POST /api/units`` that ``id`` goes
into the unit operations; the API fuzzing in tests/reliability follows these links to reach
real incidents and units rather than random ids.
"""

from __future__ import annotations

from typing import Any

INCIDENT_OPERATIONS: tuple[tuple[str, str], ...] = (
    ("get", "/api/incidents/{incident_id}"),
    ("get", "/api/incidents/{incident_id}/events"),
    ("get", "/api/incidents/{incident_id}/recommendation"),
    ("post", "/api/incidents/{incident_id}/triage"),
    ("post", "/api/incidents/{incident_id}/route"),
    ("post", "/api/incidents/{incident_id}/acknowledge"),
    ("post", "/api/incidents/{incident_id}/units"),
    ("post", "/api/incidents/{incident_id}/notes"),
    ("post", "/api/incidents/{incident_id}/link"),
    ("post", "/api/incidents/{incident_id}/close"),
    ("post", "/api/incidents/{incident_id}/reopen"),
    ("post", "/api/incidents/{incident_id}/verify"),
    ("post", "/api/incidents/{incident_id}/score-override"),
    ("post", "/api/incidents/{incident_id}/status-link"),
)
AUDIT_OPERATIONS: tuple[str, ...] = (
    "/api/audit/incidents/{reference}/timeline",
    "/api/audit/incidents/{reference}/eido",
    "/api/audit/incidents/{reference}/rescore",
)
UNIT_OPERATIONS: tuple[tuple[str, str], ...] = (
    ("get", "/api/units/{unit_id}"),
    ("post", "/api/units/{unit_id}/status"),
    ("post", "/api/units/{unit_id}/position"),
)


def operation_ref(method: str, path: str) -> str:
    """A JSON pointer to an operation of this API's own schema."""
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


def _name(method: str, path: str) -> str:
    words = [w.strip("{}") for w in path.split("/") if w and w not in ("api",)]
    return method + "".join(
        w.replace("-", " ").replace("_", " ").title().replace(" ", "") for w in words
    )


def incident_links(id_pointer: str) -> dict[str, Any]:
    """Links from a response holding an incident's id (at ``id_pointer``) and number."""
    number_pointer = id_pointer.rsplit("/", 1)[0] + "/number"
    links: dict[str, Any] = {
        _name(method, path): {
            "operationRef": operation_ref(method, path),
            "parameters": {"incident_id": f"$response.body#{id_pointer}"},
        }
        for method, path in INCIDENT_OPERATIONS
    }
    for path in AUDIT_OPERATIONS:
        links[_name("get", path)] = {
            "operationRef": operation_ref("get", path),
            "parameters": {"reference": f"$response.body#{number_pointer}"},
        }
    return links


def unit_links() -> dict[str, Any]:
    """Links from a response holding a unit (its ``id``)."""
    return {
        _name(method, path): {
            "operationRef": operation_ref(method, path),
            "parameters": {"unit_id": "$response.body#/id"},
        }
        for method, path in UNIT_OPERATIONS
    }
