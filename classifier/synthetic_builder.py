"""Builds one synthetic report of a given class (split from :mod:`classifier.synthetic`)."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from classifier.features import WITA
from classifier.inputs import CallerHistory, ReportInput
from classifier.phrases import Family
from classifier.phrases.style import restyle
from classifier.schema import TEXT_CHANNELS
from classifier.synthetic_callers import CallerBook
from classifier.synthetic_params import (
    ACCURACY,
    CHANNELS,
    DISASTER_CATEGORIES,
    DURATION,
    FAKE_CATEGORIES,
    GENUINE_SILENT_APP,
    HAZARDS,
    HOURS,
    LOCATIONS,
    NO_LOCATION,
    NO_SILENCE_FLAG,
    NO_TIMING,
    PEOPLE_CATEGORIES,
    SPEECH,
    UNCOUNTED,
    VEHICLES,
    VICTIMS,
)

#: The first day of the synthetic year.
START = datetime(2025, 1, 1, tzinfo=WITA)


K = TypeVar("K")


def _pick(rng: random.Random, weights: Mapping[K, float]) -> K:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _lognormal(rng: random.Random, spec: Sequence[float]) -> float:
    median, sigma, lo, hi = spec
    return round(min(hi, max(lo, median * math.exp(rng.gauss(0.0, sigma)))), 1)


class _Builder:
    """Builds one report of a given class; all randomness comes from one seeded generator."""

    def __init__(self, rng: random.Random, family: Family, callers: CallerBook) -> None:
        self.rng = rng
        self.family = family
        self.callers = callers
        days = list(range(365))
        episodes = [rng.randrange(0, 355) for _ in range(4)]
        self.disaster_days = {d for s in episodes for d in days[s : s + rng.randint(4, 9)]}

    def build(self, label: str) -> tuple[ReportInput, CallerHistory, str, bool | None]:
        """One report of class ``label``, its caller history, its template id and whether
        anyone spoke on the line (None on a text channel: the message says it)."""
        rng = self.rng
        text, template, category, hard = self._text(label)
        channel = self._channel(label, hard, text)
        voice = channel in ("voice", "aml")
        silent = voice and self._silent(label, hard)
        if silent and label in ("prank", "accidental") and hard != "silent":
            text, template = self._template(f"{label}-silent", self.family.silent)
        if channel in TEXT_CHANNELS and (label == "silent" or hard == "silent"):
            # The text channels' silent call: a message or a panic press with nothing in it.
            kind = "silent-text" if label == "silent" else "genuine-silent-text"
            pool = self.family.silent_text if label == "silent" else self.family.genuine_silent_text
            text, template = self._template(kind, pool)
        duration, speech = self._timing(label, hard, voice, silent)
        if voice and rng.random() < NO_TIMING:  # the console records no timing
            duration, speech = None, None
        number, sim, history = self.callers.caller(label, hard, channel)
        day = self._day(label, category)
        hour = rng.choices(range(24), weights=HOURS[label])[0]
        minutes = hour * 60 + rng.randrange(60)
        source = self._location(label, channel)
        persons, injuries, hazards = self._people(category, label)
        if rng.random() < UNCOUNTED:  # nobody filled in the counts
            persons, injuries = None, None
        flag: bool | None = silent if voice else False
        if voice and rng.random() < NO_SILENCE_FLAG:  # a client that does not say
            flag = None
        report = ReportInput(
            channel=channel,
            caller_number=number,
            sim_present=sim,
            call_duration_s=duration,
            first_speech_s=speech,
            silent=flag,
            has_location=source is not None,
            location_source=source,
            location_accuracy_m=_lognormal(rng, ACCURACY[source]) if source else None,
            description=restyle(text, rng),
            category=category,
            persons_involved=persons,
            injuries=injuries,
            hazards=hazards,
            received_at=START + timedelta(days=day, minutes=minutes, seconds=rng.randrange(60)),
            disaster_context=day in self.disaster_days,
            # The call-taker ticks "tertawa / mengaku bercanda" on some pranks (more often on a
            # fake report they saw through), never on a genuine call: nervous or background
            # laughter is not a hoax, and the genuine templates include it.
            hoax_observed=label == "prank"
            and rng.random() < (0.65 if template.endswith(":fake") else 0.35),
        )
        return report, history, template, (not silent if voice else None)

    def _channel(self, label: str, hard: str, text: str) -> str:
        if hard == "silent" and label == "genuine" and self.rng.random() < GENUINE_SILENT_APP:
            return "app"  # a panic-button press with the form left empty, found real
        if hard in ("silent", "child", "short") or not text:
            return "voice"
        return _pick(self.rng, CHANNELS[label])

    def _silent(self, label: str, hard: str) -> bool:
        rng = self.rng
        if hard == "silent" or label == "silent":
            return True
        return (label == "accidental" and rng.random() < 0.55) or (
            label == "prank" and rng.random() < 0.03
        )

    def _timing(
        self, label: str, hard: str, voice: bool, silent: bool
    ) -> tuple[float | None, float | None]:
        if not voice:
            return None, None
        rng = self.rng
        if hard == "short":
            duration = round(rng.uniform(6, 20), 1)
        else:
            duration = _lognormal(rng, DURATION["silent" if silent else label])
        speech = None if silent else min(_lognormal(rng, SPEECH[label]), duration)
        return duration, speech

    def _location(self, label: str, channel: str) -> str | None:
        if channel in ("walk_in", "radio"):
            return "operator_map"
        if channel == "aml":
            return "aml"
        if self.rng.random() < NO_LOCATION:
            return None
        return _pick(self.rng, LOCATIONS[label])

    def _text(self, label: str) -> tuple[str, str, str | None, str]:
        """Summary, template id, operator's category and the hard case it represents."""
        rng, fam = self.rng, self.family
        if label == "genuine":
            roll = rng.random()
            if roll < 0.03:
                plain = rng.random() >= 0.8
                kind = "genuine-silent-plain" if plain else "genuine-silent"
                text, tid = self._template(
                    kind, fam.genuine_silent_plain if plain else fam.genuine_silent
                )
                return text, tid, None, "silent"
            if roll < 0.07:
                text, tid = self._template("genuine-child", fam.genuine_child)
                return text, tid, rng.choice(("medis", "kebakaran", "kriminal", None)), "child"
            category = rng.choice(list(fam.genuine))
            text, tid = self._template(f"genuine-{category}", fam.genuine[category])
            if rng.random() < 0.12:
                text = f"{text} {rng.choice(fam.quotes['genuine'])}"
            hard = "short" if roll > 0.95 else ("repeat" if roll > 0.88 else "")
            if hard == "repeat":
                text = rng.choice(fam.follow_up) + text
            return text, tid, (category if rng.random() < 0.9 else None), hard
        if label == "prank":
            if rng.random() < 0.4:
                category = _pick(rng, FAKE_CATEGORIES)
                text, tid = self._template(f"genuine-{category}", fam.genuine[category])
                if rng.random() < 0.55:
                    text += rng.choice(fam.prank_doubt)
                return text, f"{tid}:fake", (category if rng.random() < 0.8 else None), ""
            text, tid = self._template("prank", fam.prank)
            if rng.random() < 0.1:
                text = f"{text} {rng.choice(fam.quotes['prank'])}"
            return text, tid, (None if rng.random() < 0.7 else "lainnya"), ""
        if label == "silent":
            noise = rng.random() < 0.15
            kind = "silent-noise" if noise else "silent"
            text, tid = self._template(kind, fam.silent_noise if noise else fam.silent)
            return text, tid, (None if rng.random() < 0.9 else "lainnya"), ""
        pool = fam.accidental if label == "accidental" else fam.non_emergency
        text, tid = self._template(label, pool)
        if label in fam.quotes and rng.random() < 0.1:
            text = f"{text} {rng.choice(fam.quotes[label])}"
        operator_category = rng.choice(("lainnya", "lainnya", None))
        return text, tid, (None if label == "accidental" else operator_category), ""

    def _template(self, kind: str, pool: Sequence[str]) -> tuple[str, str]:
        index = self.rng.randrange(len(pool))
        return self._fill(pool[index]), f"{self.family.name}:{kind}:{index}"

    def _fill(self, template: str) -> str:
        rng, fam = self.rng, self.family
        place = rng.choice(fam.place_formats)
        values = {
            "street": rng.choice(fam.streets),
            "kel": rng.choice(fam.kelurahan),
            "landmark": rng.choice(fam.landmarks),
            "river": rng.choice(fam.rivers),
            "rt": f"{rng.randint(1, 45):02d}",
            "gang": str(rng.randint(1, 30)),
            "no": str(rng.randint(1, 200)),
            "perum": rng.choice(("Bumi Sempaja", "Pesona", "Griya")),
            "blok": rng.choice("ABCDEFG") + str(rng.randint(1, 20)),
            "n": str(rng.randint(2, 6)),
            "age": str(rng.randint(2, 14)),
            "victim": rng.choice(VICTIMS),
            "vehicle": rng.choice(VEHICLES),
            "vehicle2": rng.choice(VEHICLES),
        }
        values["place"] = place.format(**values)
        return template.format(**values)

    def _day(self, label: str, category: str | None) -> int:
        rng = self.rng
        flood_related = category in DISASTER_CATEGORIES and label == "genuine"
        if (flood_related and rng.random() < 0.65) or (
            label == "non_emergency" and rng.random() < 0.1
        ):
            return rng.choice(sorted(self.disaster_days))
        return rng.randrange(365)

    def _people(
        self, category: str | None, label: str
    ) -> tuple[int | None, int | None, tuple[str, ...]]:
        rng = self.rng
        # Obvious pranks carry no claim; fake reports claim people and hazards like real ones.
        if category is None or label not in ("genuine", "prank"):
            return None, None, ()
        if label == "prank" and category == "lainnya":
            return None, None, ()
        persons = (
            rng.randint(1, 4) if category in PEOPLE_CATEGORIES and rng.random() < 0.6 else None
        )
        injuries = None
        if category in ("kecelakaan_lalu_lintas", "kekerasan") and rng.random() < (
            0.5 if label == "genuine" else 0.2
        ):
            injuries = rng.randint(0, 3)
        hazards: tuple[str, ...] = ()
        if category in HAZARDS and rng.random() < (0.6 if label == "genuine" else 0.4):
            hazards = HAZARDS[category][: rng.randint(1, len(HAZARDS[category]))]
        return persons, injuries, hazards
