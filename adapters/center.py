"""The one place that wires settings, event store, geography, classifier and application."""

from __future__ import annotations

import functools

from adapters.model_gate import read_registry
from adapters.routing import Router
from adapters.routing_adapter import RoutingAdvisor
from adapters.scoring import ClassifierScoring
from adapters.storage import event_store_env, make_postgres_append_only
from dispatch.center import DispatchCenter
from dispatch.ports import Advisor, Geography, Scoring
from dispatch.retry import RetryPolicy
from dispatch.settings import Settings


@functools.cache
def default_router() -> Router:
    """The Router over the bundled Samarinda data and rules, loaded once per process."""
    return Router.load()


def build_center(
    settings: Settings,
    *,
    geography: Geography | None = None,
    advisor: Advisor | None = None,
    scoring: Scoring | None = None,
) -> DispatchCenter:
    """Build the DispatchCenter for these settings, its store made append-only."""
    if geography is None and advisor is None:
        routing = RoutingAdvisor(default_router())
        geography, advisor = routing, routing
    center = DispatchCenter(
        env=event_store_env(settings),
        geography=geography,
        advisor=advisor,
        scoring=scoring,
        number_prefix=settings.number_prefix,
        timezone=settings.timezone,
        retry_policy=RetryPolicy(budget_s=settings.command_retry_s),
        auto_route=settings.auto_route,
    )
    try:
        if settings.backend == "postgres":
            from eventsourcing.postgres import PostgresApplicationRecorder

            recorder = center.recorder
            assert isinstance(recorder, PostgresApplicationRecorder)
            make_postgres_append_only(recorder.datastore, recorder.events_table_name)
        if scoring is None:  # the live model is the registry's last promoted one
            center.scoring = ClassifierScoring.from_settings(settings, read_registry(center))
        center.present.start()
    except BaseException:
        center.close()  # never returned: the caller could not close it
        raise
    return center
