"""Which false-call model is live, which runs in shadow, and why each was promoted.

One registry per center. A model is known by its version (the SHA-256 of its file). A new
model is *registered*, may run in *shadow* beside the live one (its scores recorded, never
shown, never used for bands or flags), and is *promoted* only when, on every data set it was
compared on, it bands no more genuine calls HIGH than the live model did: the gate the
classifier must pass before it may lighten anyone's work (issue 14). A refused promotion is
recorded too, with the figures and the reasons, so the audit log says what was tried.

Pure: no clock, no I/O; the caller passes who and when, and the comparison figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError

REGISTRY_ID = uuid5(NAMESPACE_URL, "https://siaga112.samarindakota.go.id/model-registry")


class UnknownModel(DomainError):
    """Raised when a model version was never registered."""

    code = "unknown_model"


class AlreadyLive(DomainError):
    """Raised when the live model is asked to run in shadow or be promoted again."""

    code = "already_live"


@dataclass(frozen=True)
class GateFigures:
    """Both models on one data set: how many genuine calls each banded HIGH, and false calls.

    ``dataset`` names the data ("frozen realistic set", "last 500 closed incidents").
    """

    dataset: str
    genuine: int
    live_genuine_high: int
    candidate_genuine_high: int
    false: int = 0
    live_false_high: int = 0
    candidate_false_high: int = 0

    def refusal(self) -> str | None:
        """Why the candidate may not replace the live model on this data set, if it may not."""
        if self.candidate_genuine_high > self.live_genuine_high:
            return (
                f"{self.dataset}: the candidate bands {self.candidate_genuine_high} of "
                f"{self.genuine} genuine calls HIGH, the live model "
                f"{self.live_genuine_high}"
            )
        return None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GateFigures:
        """Figures as an event recorded them."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def gate_refusals(figures: list[GateFigures]) -> list[str]:
    """Every reason to refuse a promotion (empty: the gate passes). No figures: refused."""
    if not figures:
        return ["no comparison figures: compare the models before promoting"]
    return [why for f in figures if (why := f.refusal()) is not None]


class ModelRegistry(Aggregate):
    """The center's false-call models: registered, shadow, live."""

    class Opened(Aggregate.Created):
        pass

    class ModelRegistered(Aggregate.Event):
        version: str
        name: str
        card: dict[str, Any]
        actor: str
        at: datetime

    class ShadowStarted(Aggregate.Event):
        version: str
        actor: str
        at: datetime

    class ShadowStopped(Aggregate.Event):
        version: str
        actor: str
        at: datetime

    class ModelPromoted(Aggregate.Event):
        version: str
        previous: str | None
        figures: list[dict[str, Any]]
        actor: str
        at: datetime

    class PromotionRefused(Aggregate.Event):
        version: str
        live: str | None
        figures: list[dict[str, Any]]
        reasons: list[str]
        actor: str
        at: datetime

    @staticmethod
    def create_id() -> UUID:
        """There is one registry per center."""
        return REGISTRY_ID

    @event(Opened)
    def __init__(self) -> None:
        self.models: dict[str, str] = {}  # version -> file name
        self.live: str | None = None  # None: the shipped model
        self.shadow: str | None = None
        self.promotions: list[dict[str, Any]] = []

    # ---- commands ---------------------------------------------------------------------------

    def register(
        self, version: str, name: str, card: dict[str, Any], *, actor: str, at: datetime
    ) -> bool:
        """Make a model version known; False when it already was (nothing recorded)."""
        if version in self.models:
            return False
        self._registered(version=version, name=name, card=card, actor=actor, at=at)
        return True

    def start_shadow(self, version: str, *, actor: str, at: datetime) -> None:
        """Run a registered model in shadow beside the live one (replaces any other shadow)."""
        self._known(version)
        if version == self.live:
            raise AlreadyLive(f"{version} is the live model")
        self._shadow_started(version=version, actor=actor, at=at)

    def stop_shadow(self, *, actor: str, at: datetime) -> None:
        """Stop scoring in shadow (nothing happens when no model runs in shadow)."""
        if self.shadow is not None:
            self._shadow_stopped(version=self.shadow, actor=actor, at=at)

    def promote(
        self, version: str, figures: list[GateFigures], *, actor: str, at: datetime
    ) -> list[str]:
        """Make ``version`` live if the gate passes; record a refusal with its reasons if not.

        Returns the reasons for refusing (empty when promoted).
        """
        self._known(version)
        if version == self.live:
            raise AlreadyLive(f"{version} is already the live model")
        rows = [asdict(f) for f in figures]
        reasons = gate_refusals(figures)
        if reasons:
            self._refused(
                version=version, live=self.live, figures=rows, reasons=reasons, actor=actor, at=at
            )
        else:
            self._promoted(version=version, previous=self.live, figures=rows, actor=actor, at=at)
        return reasons

    def _known(self, version: str) -> None:
        if version not in self.models:
            raise UnknownModel(f"model {version} is not registered")

    # ---- events -----------------------------------------------------------------------------

    @event(ModelRegistered)
    def _registered(
        self, version: str, name: str, card: dict[str, Any], actor: str, at: datetime
    ) -> None:
        self.models[version] = name

    @event(ShadowStarted)
    def _shadow_started(self, version: str, actor: str, at: datetime) -> None:
        self.shadow = version

    @event(ShadowStopped)
    def _shadow_stopped(self, version: str, actor: str, at: datetime) -> None:
        self.shadow = None

    @event(ModelPromoted)
    def _promoted(
        self,
        version: str,
        previous: str | None,
        figures: list[dict[str, Any]],
        actor: str,
        at: datetime,
    ) -> None:
        self.live = version
        if self.shadow == version:
            self.shadow = None
        self.promotions.append({"version": version, "previous": previous, "actor": actor})

    @event(PromotionRefused)
    def _refused(
        self,
        version: str,
        live: str | None,
        figures: list[dict[str, Any]],
        reasons: list[str],
        actor: str,
        at: datetime,
    ) -> None:
        pass
