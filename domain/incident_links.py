"""Notes and duplicates: what people added to an incident, and further callers' reports of it.

Methods of ``Incident`` (bound in ``domain.incident``): each public function decides, each
past-tense one is the ``@event`` method that assigns what its event says.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from domain.errors import InvalidLink, ReasonRequired
from domain.taxonomy import Category
from domain.values import Location, Place, StackedCall

if TYPE_CHECKING:
    from domain.incident import Incident


def add_note(self: Incident, text: str, *, actor: str, at: datetime) -> None:
    """Add a free-text note (allowed after closure: late information matters to auditors)."""
    if not text.strip():
        raise ReasonRequired("a note cannot be empty")
    self._note_added(text=text.strip(), actor=actor, at=at)


def note_added(self: Incident, text: str, actor: str, at: datetime) -> None:
    """NoteAdded: the note, who wrote it and when."""
    self.notes.append({"text": text, "actor": actor, "at": at.isoformat()})


def link_as_duplicate_of(self: Incident, primary: Incident, *, actor: str, at: datetime) -> None:
    """Link this report to the primary incident; both record it (save both together)."""
    self._check_open()
    if primary.id == self.id or primary.is_closed or primary.primary_id is not None:
        raise InvalidLink(f"{self.number} cannot be linked to {primary.number}")
    self._linked(primary_id=primary.id, primary_number=primary.number, actor=actor, at=at)
    primary._duplicate_linked(
        duplicate_id=self.id, duplicate_number=self.number, actor=actor, at=at
    )
    # The second caller's words go to the primary: that is where the agencies look.
    primary._stacked_call_added(
        duplicate_id=self.id,
        duplicate_number=self.number,
        received_at=self.received_at,
        caller_number=self.caller_number,
        category=self.category,
        description=self.description,
        injuries=self.injuries,
        persons_involved=self.persons_involved,
        location=self.location,
        place=self.place,
        address_text=self.address_text,
        hazards=list(self.hazards),
        actor=actor,
        at=at,
    )


def linked(self: Incident, primary_id: UUID, primary_number: str, actor: str, at: datetime) -> None:
    """LinkedAsDuplicate: the primary this report belongs to."""
    self.primary_id = primary_id
    self.primary_number = primary_number


def duplicate_linked(
    self: Incident, duplicate_id: UUID, duplicate_number: str, actor: str, at: datetime
) -> None:
    """DuplicateLinked: a duplicate report of this incident."""
    self.duplicates.append({"incident_id": str(duplicate_id), "number": duplicate_number})


def stacked_call_added(
    self: Incident,
    duplicate_id: UUID,
    duplicate_number: str,
    received_at: datetime,
    caller_number: str | None,
    category: Category,
    description: str,
    injuries: int | None,
    persons_involved: int | None,
    location: Location | None,
    place: Place | None,
    address_text: str | None,
    hazards: list[str],
    actor: str,
    at: datetime,
) -> None:
    """StackedCallAdded: the further caller's words, kept on the primary."""
    self.stacked_calls.append(
        StackedCall(
            duplicate_id=duplicate_id,
            duplicate_number=duplicate_number,
            received_at=received_at,
            caller_number=caller_number,
            category=category,
            description=description,
            injuries=injuries,
            persons_involved=persons_involved,
            location=location,
            place=place,
            address_text=address_text,
            hazards=tuple(hazards),
            actor=actor,
            at=at,
        )
    )
