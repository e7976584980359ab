"""The HTTP contract: request bodies (unknown fields refused) and response shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from dispatch.ports import ReportRequest
from domain.taxonomy import (
    Agency,
    Category,
    Channel,
    Disposition,
    LocationSource,
    Priority,
    ScoreBand,
    UnitStatus,
    UnitType,
)
from domain.values import Location

E164 = r"^\+[1-9][0-9]{6,14}$"
#: No 112 call in this system's log can be older than this (a typo such as year 1 is refused).
EARLIEST_YEAR = 2000
REPORT_ID_REQUIRED = (
    "report_id or the Idempotency-Key header is required so a retried POST never makes a "
    "second incident"
)


class Strict(BaseModel):
    """Refuses unknown fields (a typo must not silently drop data) and what no store can hold.

    NaN and infinities are refused in every number, and every text is refused if it holds a NUL
    character (PostgreSQL text cannot store U+0000) or an unpaired surrogate (not Unicode text):
    accepted, either would reach the log and stop a read model that cannot store it.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        for text in _texts(value):
            storable_text(text)
        return value


def storable_text(text: str) -> str:
    """The text unchanged, or ValueError if a store could not hold it."""
    if "\x00" in text:
        raise ValueError("contains a NUL character (U+0000), which cannot be stored")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(
            f"contains an unpaired surrogate at position {error.start}: not valid Unicode text"
        ) from None
    return text


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


class LocationIn(Strict):
    """A point in WGS84 degrees."""

    lat: float = Field(..., description="latitude, degrees (Samarinda ≈ -0.5)")
    lon: float = Field(..., description="longitude, degrees (Samarinda ≈ 117.15)")
    accuracy_m: float | None = Field(None, ge=0, le=100_000)
    source: LocationSource = LocationSource.OPERATOR_MAP

    @model_validator(mode="after")
    def _on_earth(self) -> LocationIn:
        if abs(self.lat) > 90 and abs(self.lon) <= 90:
            raise ValueError("lat/lon look swapped: lat must be within ±90, lon within ±180")
        if not (-90 <= self.lat <= 90) or self.lat != self.lat:
            raise ValueError("lat must be a number within ±90")
        if not (-180 <= self.lon <= 180) or self.lon != self.lon:
            raise ValueError("lon must be a number within ±180")
        return self

    def to_domain(self) -> Location:
        """As a domain Location."""
        return Location(self.lat, self.lon, self.accuracy_m, self.source)


class ReportCreate(Strict):
    """A call as the call-taker records it (POST /api/reports)."""

    report_id: UUID | None = Field(
        None,
        description=f"client-made UUID of this call: {REPORT_ID_REQUIRED}",
    )
    received_at: AwareDatetime | None = Field(None, description="ISO 8601 with zone; default now")
    channel: Channel = Channel.VOICE
    caller_number: str | None = Field(None, pattern=E164, description="E.164, e.g. +6281234567890")
    sim_present: StrictBool | None = None
    call_duration_s: float | None = Field(None, ge=0, le=86_400)
    first_speech_s: float | None = Field(
        None,
        ge=0,
        le=86_400,
        description="seconds from answer to the caller's first word, as the telephony measured "
        "it. Leave it out when nobody measured it (the call-taker's console does): absent is "
        "unknown, never silent. Send it as JSON null only when the telephony listened and "
        "nobody spoke: on a voice or AML call without `silent`, an explicit null means silent",
    )
    silent: StrictBool | None = Field(
        None,
        description='true: nobody spoke (the call-taker\'s "silent" tick, or the telephony); '
        "false: the caller spoke. Absent or null: not said (unknown, which is never evidence of "
        "a false call). A call is silent only when this is true or `first_speech_s` is an "
        "explicit null (see there); true wins over a `first_speech_s` number (the call-taker "
        "heard nobody, whatever the line detected)",
    )
    location: LocationIn | None = None
    kelurahan: str | None = Field(None, min_length=2, max_length=100)
    aml: str | None = Field(
        None, min_length=6, max_length=1000, description='raw AML SMS, A"ML=1;…'
    )
    address_text: str | None = Field(None, max_length=500)
    category: Category = Category.LAINNYA
    description: str = Field("", max_length=4000)
    persons_involved: int | None = Field(None, ge=0, le=10_000)
    injuries: int | None = Field(None, ge=0, le=10_000)
    hazards: list[str] = Field(default_factory=list, max_length=20)
    priority: Priority | None = None
    disaster_context: StrictBool = False
    hoax_observed: StrictBool = Field(
        False,
        description='true: the call-taker observed a hoax ("penelepon tertawa / mengaku '
        'bercanda" ticked). The only thing a reported life-threat word yields to: words in the '
        "description never count as this. Nervous or background laughter is not a hoax",
    )

    @field_validator("received_at")
    @classmethod
    def _a_real_time(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return value
        try:
            in_utc = value.astimezone(UTC)
        except OverflowError:
            raise ValueError("is out of range") from None
        if in_utc.year < EARLIEST_YEAR:
            raise ValueError(f"is before {EARLIEST_YEAR}: not the time a call was taken")
        return value

    def said_silent(self) -> bool | None:
        """Whether the call was silent, as the client said it (None: not said)."""
        if self.silent is not None:
            return self.silent
        measured = "first_speech_s" in self.model_fields_set and self.first_speech_s is None
        if measured and self.channel in (Channel.VOICE, Channel.AML):
            return True  # the telephony listened and nobody spoke
        return None

    def to_request(self, report_id: UUID) -> ReportRequest:
        """As the application's ReportRequest."""
        return ReportRequest(
            report_id=report_id,
            received_at=self.received_at,
            channel=self.channel,
            caller_number=self.caller_number,
            sim_present=self.sim_present,
            call_duration_s=self.call_duration_s,
            first_speech_s=self.first_speech_s,
            silent=self.said_silent(),
            location=self.location.to_domain() if self.location else None,
            kelurahan=self.kelurahan,
            aml=self.aml,
            address_text=self.address_text,
            category=self.category,
            description=self.description.strip(),
            persons_involved=self.persons_involved,
            injuries=self.injuries,
            hazards=tuple(h.strip() for h in self.hazards if h.strip()),
            priority=self.priority,
            disaster_context=self.disaster_context,
            hoax_observed=self.hoax_observed,
        )


class Versioned(Strict):
    """Every write may carry the version the operator saw (stale → 409)."""

    expected_version: int | None = Field(None, ge=1, le=2**63 - 1)


class TriageIn(Versioned):
    priority: Priority
    category: Category
    reason: str = Field(..., min_length=1, max_length=1000)


class RouteIn(Versioned):
    agencies: list[Agency] = Field(..., min_length=1)
    unit_ids: list[UUID] = Field(default_factory=list, description="units to dispatch at once")


class AcknowledgeIn(Versioned):
    agency: Agency | None = Field(None, description="required unless the caller is an agency")


class AssignUnitIn(Versioned):
    unit_id: UUID


class ReleaseUnitIn(Versioned):
    reason: str = Field("released", max_length=500)


class NoteIn(Versioned):
    text: str = Field(..., min_length=1, max_length=4000)


class LinkIn(Versioned):
    primary_id: UUID


class CloseIn(Versioned):
    disposition: Disposition
    reason: str = Field("", max_length=1000)


class ReasonIn(Versioned):
    reason: str = Field(..., min_length=1, max_length=1000)


class VerifyIn(Versioned):
    outcome: Literal["genuine", "false"]
    reason: str = Field(..., min_length=1, max_length=1000)
    disposition: Disposition | None = Field(None, description="required when outcome is false")


class ScoreOverrideIn(Versioned):
    band: ScoreBand
    reason: str = Field(..., min_length=1, max_length=1000)


class UnitCreate(Strict):
    code: str = Field(..., pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,40}$")
    callsign: str = Field(..., min_length=1, max_length=40)
    agency: Agency
    unit_type: UnitType
    station_id: str = Field(..., min_length=1, max_length=60)
    location: LocationIn | None = None


class UnitStatusIn(Versioned):
    status: UnitStatus
    location: LocationIn | None = None


class PositionIn(Strict):
    location: LocationIn
