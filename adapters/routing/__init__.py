"""Routing: locate a report in Samarinda, pick agencies, stations and units, spot duplicates.

``Router.load()`` once at start-up (in the app's lifespan), then call it per report.
"""

from adapters.routing.coordinates import check_coordinates, parse_aml
from adapters.routing.errors import (
    AmbiguousPlace,
    InvalidAML,
    InvalidCoordinates,
    RoutingDataError,
    RoutingError,
    RoutingRulesError,
    UnknownPlace,
)
from adapters.routing.escalation import EscalationPolicy
from adapters.routing.fleet import UnitIndex
from adapters.routing.incident_index import IncidentIndex
from adapters.routing.router import Router
from adapters.routing.rules import RoutingRules, load_rules
from dispatch.advice import (
    DuplicateSuggestion,
    KelurahanMatch,
    OpenIncidentSnapshot,
    Recommendation,
    Station,
    StationChoice,
    UnitRecommendation,
    UnitSnapshot,
)

__all__ = [
    "AmbiguousPlace",
    "DuplicateSuggestion",
    "EscalationPolicy",
    "IncidentIndex",
    "InvalidAML",
    "InvalidCoordinates",
    "KelurahanMatch",
    "OpenIncidentSnapshot",
    "Recommendation",
    "Router",
    "RoutingDataError",
    "RoutingError",
    "RoutingRules",
    "RoutingRulesError",
    "Station",
    "StationChoice",
    "UnitIndex",
    "UnitRecommendation",
    "UnitSnapshot",
    "UnknownPlace",
    "check_coordinates",
    "load_rules",
    "parse_aml",
]
