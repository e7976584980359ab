"""A status link for the caller: a short, unguessable link that shows only the progress.

At intake the call-taker reads the link out or sends it by SMS. Opened, it shows the incident's
progress in plain Indonesian — *diterima*, *bantuan dalam perjalanan* (with an estimated arrival
when a unit is on its way), *tiba*, *selesai* — and nothing else: no description, no location,
no number, no agency, no time. The token is ``secrets.token_urlsafe`` (96 bits); only its
SHA-256 is stored. A link works until a day after the incident is closed; an unknown and an
expired token are answered alike. A linked duplicate shows its primary's progress (the caller's
emergency is the primary's).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Protocol
from uuid import UUID

from dispatch.center import DispatchCenter
from domain.incident import Incident
from domain.taxonomy import UnitStatus
from domain.unit import Unit

log = logging.getLogger("siaga112.status_links")
TOKEN_BYTES = 12
VALID_AFTER_CLOSE = timedelta(days=1)
ARRIVED = frozenset({UnitStatus.ON_SCENE, UnitStatus.TRANSPORTING, UnitStatus.AT_HOSPITAL})
#: Seconds a unit needs from where it is now to the incident (None when it cannot be told).
EtaEstimator = Callable[[Incident, Unit, datetime], float | None]


@dataclass(frozen=True)
class StoredLink:
    """One status link, as stored: the token's hash, never the token."""

    token_hash: str
    incident_id: UUID
    created_at: datetime
    created_by: str


class StatusLinkStore(Protocol):
    """Adds links and finds them by the hash of their token."""

    def add(self, link: StoredLink) -> None:
        """Store a new link."""

    def find(self, token_hash: str) -> StoredLink | None:
        """The link with this token hash, or None."""


class Step(IntEnum):
    """How far help has come, in the order a caller lives it."""

    RECEIVED = 1
    ON_THE_WAY = 2
    ARRIVED = 3
    CLOSED = 4


@dataclass(frozen=True)
class Progress:
    """All a status link shows: the step reached and, on the way, the estimated arrival."""

    step: Step
    eta_s: float | None = None


@dataclass(frozen=True)
class IssuedLink:
    """A new link: its token (shown once, never stored) and where it was sent, masked."""

    token: str
    sent_to: str | None


class SmsGateway(Protocol):
    """Sends one SMS (a port: plug in the operator's or an aggregator's gateway)."""

    def send(self, number: str, text: str) -> None:
        """Send ``text`` to ``number``; raise on failure."""


def mask_number(number: str) -> str:
    """``+6281234567890`` → ``+62812****890``: enough to tell two numbers apart, no more."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 9) + number[-3:]


class LoggingSmsGateway:
    """The default gateway: sends nothing, logs that it would have (number masked, no link)."""

    def send(self, number: str, text: str) -> None:
        """Log the SMS instead of sending it."""
        log.info(
            "status link SMS not sent (no gateway configured): %d characters to %s",
            len(text),
            mask_number(number),
        )


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def sms_text(url: str) -> str:
    """The SMS a caller receives."""
    return f"Siaga 112 Samarinda: ikuti perkembangan laporan Anda di {url}"


class StatusLinks:
    """Issues status links and tells what one shows."""

    def __init__(
        self,
        center: DispatchCenter,
        store: StatusLinkStore,
        *,
        gateway: SmsGateway | None = None,
        eta: EtaEstimator | None = None,
    ) -> None:
        self.center = center
        self.store = store
        self.gateway = gateway or LoggingSmsGateway()
        self.eta = eta

    def issue(self, incident_id: UUID, actor: str, *, send_to: str | None = None) -> IssuedLink:
        """A new link for an incident (``LookupError`` if there is none)."""
        self.center.get_incident(incident_id)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        link = StoredLink(token_hash(token), incident_id, self.center.clock(), actor)
        self.store.add(link)
        return IssuedLink(token, mask_number(send_to) if send_to else None)

    def send(self, number: str, url: str) -> None:
        """Send a link's URL by SMS through the gateway."""
        self.gateway.send(number, sms_text(url))

    def progress(self, token: str) -> Progress | None:
        """What the link shows, or None when it is unknown or expired (never told apart)."""
        link = self.store.find(token_hash(token))
        if link is None:
            return None
        incident = self._followed(self.center.get_incident(link.incident_id))
        now = self.center.clock()
        if incident.closed_at is not None and incident.is_closed:
            if now >= incident.closed_at + VALID_AFTER_CLOSE:
                return None
            return Progress(Step.CLOSED)
        units = [self.center.get_unit(u) for u in self._active_units(incident)]
        mine = [u for u in units if u.incident_id == incident.id]
        if any(u.status in ARRIVED for u in mine):
            return Progress(Step.ARRIVED)
        if mine:
            etas = [self.eta(incident, u, now) for u in mine] if self.eta else []
            known = [e for e in etas if e is not None]
            return Progress(Step.ON_THE_WAY, min(known) if known else None)
        return Progress(Step.RECEIVED)

    def _followed(self, incident: Incident) -> Incident:
        if incident.primary_id is not None:
            return self.center.get_incident(incident.primary_id)
        return incident

    @staticmethod
    def _active_units(incident: Incident) -> list[UUID]:
        return [u for u in incident.unit_ids if u not in incident.released_unit_ids]
