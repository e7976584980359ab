"""The routing module's errors: each names what went wrong and where."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dispatch.errors import DispatchError
from domain.values import InvalidLocation


class RoutingError(DispatchError):
    """Base of the routing module's errors."""

    code = "routing_error"


class RoutingDataError(RoutingError):
    """Raised when a geodata file is missing, unreadable or inconsistent at load."""

    code = "routing_data_error"

    def __init__(self, file: Path | str, key: str, reason: str) -> None:
        super().__init__(f"{file}: {key}: {reason}")
        self.file = str(file)
        self.key = key
        self.reason = reason


class RoutingRulesError(RoutingError):
    """Raised when the routing rules file is missing a key or holds an invalid value."""

    code = "routing_rules_error"

    def __init__(self, file: Path | str, key: str, reason: str) -> None:
        super().__init__(f"{file}: {key}: {reason}")
        self.file = str(file)
        self.key = key
        self.reason = reason


class InvalidCoordinates(RoutingError, InvalidLocation):
    """Raised when a latitude/longitude pair is not a usable position (swapped, NaN, range)."""

    code = "invalid_coordinates"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class InvalidAML(RoutingError):
    """Raised when an EENA Advanced Mobile Location SMS cannot be read as a position."""

    code = "invalid_aml"

    def __init__(self, reason: str) -> None:
        super().__init__(f"AML SMS: {reason}")
        self.reason = reason


class UnknownPlace(RoutingError):
    """Raised when a kelurahan name matches no kelurahan closely enough."""

    code = "unknown_place"

    def __init__(self, name: str, suggestions: Sequence[str]) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        super().__init__(self._message())

    def _message(self) -> str:
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        return f"no kelurahan in Samarinda matches {self.name!r}{hint}"


class AmbiguousPlace(UnknownPlace):
    """Raised when a kelurahan name matches several kelurahan about equally well."""

    code = "ambiguous_place"

    def _message(self) -> str:
        return f"{self.name!r} matches several kelurahan: {', '.join(self.suggestions)}"
