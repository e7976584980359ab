"""The shape of read-model tables: columns, keys, and how a row is encoded for the database.

Rows are plain dicts; a table knows its key columns and which columns hold JSON text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Literal

import orjson

Row = dict[str, Any]
Key = tuple[Any, ...]
Kind = Literal["text", "integer", "real", "json"]
APPLICATION = "dispatch"
DELETED: Row = {}


@dataclass(frozen=True)
class Column:
    """One column: its name and what it holds (json is stored as text)."""

    name: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """One table of a read model: its key columns and all its columns."""

    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    indexes: tuple[tuple[str, ...], ...] = ()
    names: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _json: frozenset[str] = field(init=False, repr=False, compare=False)
    _json_at: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _values: Callable[[Mapping[str, Any]], Any] = field(init=False, repr=False, compare=False)
    _key: Callable[[Mapping[str, Any]], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Rows are encoded by the thousand while catching up: precompute what can be.
        names = tuple(c.name for c in self.columns)
        json_at = tuple(i for i, c in enumerate(self.columns) if c.kind == "json")
        setattr_ = object.__setattr__
        setattr_(self, "names", names)
        setattr_(self, "_json", frozenset(names[i] for i in json_at))
        setattr_(self, "_json_at", json_at)
        setattr_(self, "_values", itemgetter(*names) if len(names) > 1 else _one(names[0]))
        setattr_(self, "_key", itemgetter(*self.key) if len(self.key) > 1 else _one(self.key[0]))

    def key_of(self, row: Mapping[str, Any]) -> Key:
        """The key of a row."""
        return self._key(row)  # type: ignore[no-any-return]

    def encode(self, row: Mapping[str, Any]) -> tuple[Any, ...] | list[Any]:
        """A row as database values, in column order (json columns as sorted JSON text)."""
        values = self._values(row)
        if not self._json_at:
            return values  # type: ignore[no-any-return]
        values = list(values)
        for i in self._json_at:
            values[i] = orjson.dumps(values[i], option=orjson.OPT_SORT_KEYS).decode()
        return values

    def sorted(self, rows: list[Row]) -> list[Row]:
        """Rows sorted by key (NULL first)."""

        def sortable(row: Row) -> tuple[tuple[int, Any], ...]:
            return tuple((0, "") if v is None else (1, v) for v in self.key_of(row))

        return sorted(rows, key=sortable)

    def decode(self, raw: Mapping[str, Any]) -> Row:
        """A database row as a read-model row."""
        return {n: orjson.loads(raw[n]) if n in self._json else raw[n] for n in self.names}


Query = tuple[Table, Mapping[str, Any]]


def _one(name: str) -> Callable[[Mapping[str, Any]], tuple[Any]]:
    """Like ``itemgetter(name)``, but a 1-tuple, as ``itemgetter`` of several names gives."""

    def get(row: Mapping[str, Any]) -> tuple[Any]:
        return (row[name],)

    return get


def columns(*specs: str | tuple[str, Kind]) -> tuple[Column, ...]:
    """Columns from names (text) or (name, kind) pairs."""
    return tuple(Column(s) if isinstance(s, str) else Column(*s) for s in specs)
