"""Stored events as projections read them: plain JSON values, never domain objects.

A projection writes rows of text and numbers, so the objects the library's mapper builds for
every event (UUIDs, datetimes, enums, value objects, through a Python hook on every JSON
object) are work it undoes straight away, and that work costs more than reading the log.
Projections therefore read the log through ``EventLog``, whose mapper parses each event's
state with orjson and hands over an ``EventData``: the event's class, aggregate and version,
and its attributes as the JSON stored them, unwrapped only when a handler reads them:

- an enum is its value (``"fire"``, still checked to be a member), a datetime its ISO text
  (what ``isoformat()`` gives back), a UUID its canonical text, a value object its fields as
  stored (``{"lat": ..., "source": "gps"}``), and so on inside lists and dicts;
- the cipher and compressor of the event store are honoured exactly as the library does;
- an event whose class has a newer version is decoded and upcast by the library first;
- anything that cannot be decoded raises, so the projection stops on it (never skips it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum
from typing import Any, cast
from uuid import UUID

import orjson
from eventsourcing.application import Application
from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    TranscodingNotRegisteredError,
)
from eventsourcing.utils import EnvType, resolve_topic

from dispatch.construction import closed_if_it_fails
from dispatch.transcodings import EnumAsValue, register_domain_transcodings

Plain = Callable[[Any], Any]


class EventData:
    """One stored event for a projection: its class, aggregate, version and log position, and
    its attributes as plain JSON values by name (``e["at"]``)."""

    __slots__ = (
        "_mapper",
        "_state",
        "aggregate_id",
        "event_class",
        "originator_version",
        "position",
    )

    def __init__(
        self,
        event_class: type,
        aggregate_id: str,
        originator_version: int,
        state: dict[str, Any],
        mapper: ProjectionMapper,
        position: int = 0,
    ) -> None:
        self.event_class = event_class
        self.aggregate_id = aggregate_id  # the aggregate's UUID as canonical text
        self.originator_version = originator_version
        self.position = position  # its notification id in the log (0 when not read from it)
        self._state = state
        self._mapper = mapper

    @property
    def originator_id(self) -> UUID:
        """The aggregate's id as a UUID (``aggregate_id`` is the same as text)."""
        return UUID(self.aggregate_id)

    def __getitem__(self, name: str) -> Any:
        """An attribute of the event as a plain JSON value (converted when first read)."""
        value = self._state[name]
        if type(value) is dict:
            # Most are one transcoded text (a time, an enum, an id): the short way first.
            data = value.get("_data_")
            if type(data) is str and len(value) == 2:
                text = self._mapper.texts.get(value.get("_type_"))  # type: ignore[arg-type]
                if text is _same or (text is not None and data in text):  # kept, or a member
                    self._state[name] = data
                    return data
            value = self._state[name] = self._mapper.plain(value)
        elif type(value) is list:
            value = self._state[name] = self._mapper.plain(value)
        return value

    def __repr__(self) -> str:
        return (
            f"EventData({self.event_class.__qualname__}, {self.aggregate_id}, "
            f"v{self.originator_version})"
        )


class ProjectionMapper(Mapper[UUID]):
    """Turns stored events into ``EventData`` (needs the JSON transcoder, as stored)."""

    def __init__(self, transcoder: Any, compressor: Any = None, cipher: Any = None) -> None:
        if not isinstance(transcoder, JSONTranscoder):
            raise TypeError(f"projections read JSON events, not {type(transcoder).__name__}")
        super().__init__(transcoder, compressor, cipher)
        self._plain_state = cipher is None and compressor is None
        self._classes: dict[str, tuple[type, bool]] = {}  # topic: (class, needs upcasting)
        self._ids: dict[UUID | str, str] = {}  # stored aggregate id: canonical text
        # Every transcoded value stays its stored JSON, checked where that is cheap: an enum
        # value must still be a member (as decoding it would require); UUIDs become canonical.
        self._convert: dict[str, Plain] = {}
        # The short way for a transcoded text (``EventData.__getitem__``): kept as it is
        # (``_same``), or the values an enum's members have.
        self.texts: dict[str, Any] = {}
        for name, transcoding in transcoder.names.items():
            if isinstance(transcoding, EnumAsValue):
                self._convert[name] = _member_value(transcoding.type)
                self.texts[name] = cast(type[Enum], transcoding.type)._value2member_map_
            else:
                self._convert[name] = self.texts[name] = _same
        self._convert[UUID_HEX] = _id_text
        self.texts.pop(UUID_HEX, None)  # made canonical: the long way

    def to_domain_event(self, stored_event: StoredEvent) -> EventData:
        """The stored event as ``EventData`` (decrypted and decompressed first, if configured);
        its position is the notification id when it is a ``Notification``."""
        return self.event_data(
            stored_event.originator_id,
            stored_event.originator_version,
            stored_event.topic,
            stored_event.state,
            getattr(stored_event, "id", 0),
        )

    def event_data(
        self, originator_id: Any, originator_version: int, topic: str, state: bytes, position: int
    ) -> EventData:
        """``EventData`` from the fields of a stored event (a catching-up projection reads them
        as plain rows, see ``projections.log_pages``)."""
        found = self._classes.get(topic)
        if found is None:
            event_class = resolve_topic(topic)
            found = (event_class, getattr(event_class, "class_version", 1) > 1)
            self._classes[topic] = found
        event_class, upcast = found
        values: Any = None
        if self._plain_state and not upcast:  # the usual case, kept short: events by the million
            try:  # noqa: SIM105 (contextlib.suppress costs more than the parse)
                values = orjson.loads(state)
            except orjson.JSONDecodeError:
                pass
        if type(values) is not dict or "class_version" in values:
            stored = StoredEvent(originator_id, originator_version, topic, state)
            values = self._state(stored, upcast)
        aggregate_id = self._ids.get(originator_id)
        if aggregate_id is None:  # an aggregate has many events: text it once
            if len(self._ids) >= IDS_KEPT:
                self._ids.clear()
            aggregate_id = self._ids[originator_id] = _id_text(originator_id)
        return EventData(event_class, aggregate_id, originator_version, values, self, position)

    def plain(self, value: Any) -> Any:
        """A stored JSON value with every transcoded object unwrapped to its plain form."""
        if type(value) is list:
            return [self.plain(v) if type(v) is dict or type(v) is list else v for v in value]
        if len(value) == 2 and "_data_" in value and "_type_" in value:
            name, data = value["_type_"], value["_data_"]
            convert = self._convert.get(name)
            if convert is None:
                raise TranscodingNotRegisteredError(
                    f"Data serialized with name '{name}' is not deserializable"
                )
            if type(data) is dict or type(data) is list:
                data = self.plain(data)
            return data if convert is _same else convert(data)
        return {
            k: self.plain(v) if type(v) is dict or type(v) is list else v for k, v in value.items()
        }

    def _state(self, stored_event: StoredEvent, upcast: bool) -> dict[str, Any]:
        """The state the long way: decrypted, decompressed, NaN allowed, upcast if need be."""
        data = stored_event.state
        try:
            if self.cipher:
                data = self.cipher.decrypt(data)
            if self.compressor:
                data = self.compressor.decompress(data)
            try:
                state = orjson.loads(data)
            except orjson.JSONDecodeError:
                state = json.loads(data)  # NaN and Infinity, which the stdlib encoder writes
        except Exception as error:
            raise MapperDeserialisationError(
                f"Failed to deserialise state of stored event with topic "
                f"'{stored_event.topic}', originator_id '{stored_event.originator_id}' and "
                f"originator_version {stored_event.originator_version}: {error}"
            ) from error
        if type(state) is not dict:
            raise MapperDeserialisationError(f"state of {stored_event.topic} is not an object")
        if upcast or "class_version" in state:  # an older (or newer) version of the class
            return self._upcast(stored_event)
        return cast(dict[str, Any], state)

    def _upcast(self, stored_event: StoredEvent) -> dict[str, Any]:
        """Rare: the library decodes and upcasts, and the result is read back as JSON."""
        event = super().to_domain_event(stored_event)
        state = dict(vars(event))
        del state["originator_id"], state["originator_version"]
        return orjson.loads(self.transcoder.encode(state))  # type: ignore[no-any-return]


UUID_HEX = "uuid_hex"
IDS_KEPT = 100_000


def _same(value: Any) -> Any:
    return value


def _id_text(originator_id: UUID | str) -> str:
    """A stored aggregate id as canonical UUID text: from a UUID, from the 32 hex digits that
    SQLite holds (as the library wrote them), or already canonical (PostgreSQL's text)."""
    if type(originator_id) is not str:
        return str(originator_id)
    if len(originator_id) == 32:
        h = originator_id
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    if len(originator_id) == 36:
        return originator_id
    return str(UUID(originator_id))


def _member_value(enum_class: type[Enum]) -> Plain:
    members = enum_class._value2member_map_

    def member_value(value: Any) -> Any:
        if value not in members:
            raise ValueError(f"{value!r} is not a valid {enum_class.__name__}")
        return value

    return member_value


class EventLog(Application[UUID]):
    """The dispatch center's event log as projections read it: events as ``EventData``.

    Named like ``DispatchCenter`` so it reads the same store with the same keys, and its
    tracking records carry the same application name (see ``projections.loop``).
    """

    name = "dispatch"

    def __init__(self, env: EnvType | None = None) -> None:
        with closed_if_it_fails(self):
            super().__init__(env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """The same transcodings as the center: names it may meet, and upcasting."""
        super().register_transcodings(transcoder)
        register_domain_transcodings(transcoder)

    def construct_mapper(self) -> Mapper[UUID]:
        """A mapper that makes ``EventData`` (with the store's cipher and compressor)."""
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=ProjectionMapper
        )
