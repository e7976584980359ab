"""Every code the API can emit has a label in both of the console's languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from eventsourcing.domain import Aggregate

from classifier.features import META_GROUPS
from classifier.reasons import Record, group_texts
from classifier.safety import RULES
from dispatch.center import SYSTEM_REASONS
from domain.incident import Incident
from domain.taxonomy import (
    Category,
    Channel,
    Disposition,
    EscalationReason,
    IncidentStatus,
    LocationSource,
    ScoreBand,
    UnitStatus,
    UnitType,
)

I18N = Path(__file__).resolve().parents[2] / "console_ui" / "static" / "js" / "i18n.js"


def _tables() -> dict[str, set[str]]:
    """The keys of STRINGS.id and STRINGS.en, read from the module's source."""
    source = I18N.read_text(encoding="utf-8")
    tables: dict[str, set[str]] = {}
    for lang in ("id", "en"):
        block = re.search(rf"^  {lang}: \{{\n(.*?)^  \}},$", source, re.S | re.M)
        assert block, f"STRINGS.{lang} not found in {I18N.name}"
        tables[lang] = set(re.findall(r"^    (\w+):", block.group(1), re.M))
    return tables


def reason_key(code: str) -> str:
    """The key of a system-written reason (as timeline.js builds it)."""
    return "why_" + re.sub(r"\W+", "_", code)


def _event_types() -> list[str]:
    bases = {"Created", "Event"}  # the generic classes the framework adds to every aggregate
    return [
        name
        for name, value in vars(Incident).items()
        if isinstance(value, type) and issubclass(value, Aggregate.Event) and name not in bases
    ]


def emitted_keys() -> dict[str, str]:
    """Each key the console looks up, with the code it stands for."""
    keys: dict[str, str] = {}
    prefixes = [
        ("disp_", Disposition),
        ("unit_", UnitStatus),
        ("utype_", UnitType),
        ("status_", IncidentStatus),
        ("esc_", EscalationReason),
        ("band_", ScoreBand),
        ("src_", LocationSource),
    ]
    for prefix, enum in prefixes:
        keys.update({f"{prefix}{m.value}": f"{enum.__name__}.{m.name}" for m in enum})
    keys.update({f"rule_{rule}": f"safety rule {rule}" for rule in RULES})
    keys.update({f"ev_{name}": f"event {name}" for name in _event_types()})
    keys.update({reason_key(code): f"system reason {code!r}" for code in SYSTEM_REASONS})
    return keys


def test_the_parser_reads_both_tables_and_they_hold_the_same_keys() -> None:
    tables = _tables()
    assert len(tables["id"]) > 200
    assert sorted(tables["id"] ^ tables["en"]) == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_code_the_api_emits_has_a_label_in_the_console_tables(lang: str) -> None:
    table = _tables()[lang]
    missing = {key: code for key, code in emitted_keys().items() if key not in table}
    assert missing == {}, f"{lang}: no label for {missing}"


def test_incident_events_include_the_ones_the_timeline_shows() -> None:
    assert {"Reported", "Closed", "UnitReleased", "FlaggedForVerification"} <= set(_event_types())


def test_categories_and_agencies_carry_their_own_labels_in_both_languages() -> None:
    for category in Category:
        assert category.label_id and category.label_en, category


@pytest.mark.parametrize("source", list(LocationSource))
def test_a_location_reason_names_its_source_in_words_not_its_code(source: LocationSource) -> None:
    record: Record = {
        "has_location": True,
        "location_source": source.value,
        "location_accuracy_m": 12.0,
    }
    text_id, text_en = group_texts("location", record)
    assert f"({source.value}" not in text_id
    assert "?" not in text_id and "?" not in text_en


@pytest.mark.parametrize("channel", list(Channel))
def test_a_channel_reason_names_the_channel_in_words_not_its_code(channel: Channel) -> None:
    text_id, text_en = group_texts("channel", {"channel": channel.value})
    if channel.value not in ("sms", "radio"):  # the same word in Indonesian
        assert channel.value not in text_id
    assert "unknown" not in text_en


def test_every_model_group_has_its_own_reason_text() -> None:
    record: Record = {"has_location": True, "location_source": "aml", "channel": "voice"}
    for group in set(META_GROUPS.values()):
        text_id, text_en = group_texts(group, record)
        assert not text_id.startswith("Faktor ") and not text_en.startswith("Factor "), group
