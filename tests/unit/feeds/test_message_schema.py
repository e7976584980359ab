"""Every kind of feed message the server sends conforms to docs/feed-message.schema.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.feeds import Desk, Message, has_event, until
from tests.unit.feeds.conftest import Connect

SCHEMA = json.loads((Path(__file__).parents[3] / "docs" / "feed-message.schema.json").read_text())
TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Violations of the JSON Schema keywords the feed schema uses (a small validator)."""
    if "$ref" in schema:
        return problems(value, SCHEMA["$defs"][schema["$ref"].split("/")[-1]], where)
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not problems(value, s, where)]
        return [] if len(matching) == 1 else [f"{where}: matches {len(matching)} of oneOf"]
    found: list[str] = []
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        ok = any(
            isinstance(value, TYPES[k])
            and not (k in ("integer", "number") and isinstance(value, bool))
            for k in kinds
        )
        if not ok:
            return [f"{where}: {value!r} is not {kinds}"]
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric and not schema.get("minimum", value) <= value <= schema.get("maximum", value):
        found.append(f"{where}: {value} out of range")
    if isinstance(value, dict):
        found += [f"{where}: no {k}" for k in schema.get("required", []) if k not in value]
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                found += problems(value[key], sub, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            found += problems(item, schema["items"], f"{where}[{n}]")
    return found


def test_snapshots_deltas_heartbeats_and_replies_follow_the_published_schema(
    desk: Desk, connect: Connect
) -> None:
    engine = desk.unit("F7", "fire", "fire_engine")
    earlier = desk.report(address_text="Jl. Juanda")
    desk.route(earlier, "fire")
    sent: list[Message] = []
    with (
        connect("/ws/agencies/fire", "agency:fire") as agency,
        connect("/ws/console", "operator") as console,
    ):
        sent += [agency.receive_json(), console.receive_json()]
        incident = desk.report()
        desk.route(incident, "fire")
        desk.assign(incident, engine)
        desk.note(incident, "tangga darurat", role="agency:fire")
        desk.close(incident)
        agency.send_text("hello")
        agency.send_json({"type": "ping"})
        closed = has_event("Closed", incident)
        sent += until(
            agency, lambda m: closed(m) and {x["type"] for x in m} >= {"pong", "heartbeat"}
        )
        sent += until(console, has_event("Closed", incident))
    with connect("/ws/agencies/fire", "agency:fire", after=10**9) as resyncing:
        sent.append(resyncing.receive_json())
        with pytest.raises(WebSocketDisconnect):
            resyncing.receive_json()

    assert {m["type"] for m in sent} == {
        "snapshot", "incident", "unit", "heartbeat", "pong", "error", "resync",
    }  # fmt: skip
    assert any("eido" in m for m in sent)
    for message in sent:
        assert problems(message, SCHEMA) == [], message
