"""Routing: locate a report in Samarinda, pick agencies, stations and units, spot duplicates.

``Router.load()`` once at start-up (in the app's lifespan), then call it per report.
"""

from dispatch.routing.coordinates import check_coordinates, parse_aml
from dispatch.routing.errors import (
    AmbiguousPlace,
    InvalidAML,
    InvalidCoordinates,
    RoutingDataError,
    RoutingError,
    RoutingRulesError,
    UnknownPlace,
)
from dispatch.routing.escalation import EscalationPolicy
from dispatch.routing.fleet import UnitIndex
from dispatch.routing.incident_index import IncidentIndex
from dispatch.routing.models import (
    DuplicateSuggestion,
    KelurahanMatch,
    OpenIncidentSnapshot,
    Recommendation,
    Station,
    StationChoice,
    UnitRecommendation,
    UnitSnapshot,
)
from dispatch.routing.router import Router
from dispatch.routing.rules import RoutingRules, load_rules

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
