"""What the synthetic generator assumes about each class (shapes from the sources, numbers
are assumptions; research §1, §5.2). Weights are relative; log-normal specs are
``(median, sigma, min, max)``.
"""

from __future__ import annotations


def _table(text: str) -> dict[str, float]:
    """``"voice .82, sms .04"`` -> ``{"voice": 0.82, "sms": 0.04}``."""
    return {key: float(value) for key, value in (item.split() for item in text.split(","))}


def _series(text: str) -> tuple[float, ...]:
    return tuple(float(v) for v in text.split())


# Relative weight of each hour of the day (00-23 WITA) by class: pranks after school and in the
# evening, information requests in office hours, silent calls around the clock.
HOURS: dict[str, tuple[float, ...]] = {
    "genuine": _series(
        "2 1.5 1.2 1 1 1.2 2 3 3.5 3.5 3.5 3.5 3.5 3.5 3.5 3.5 3.8 4 4 3.8 3.5 3 2.5 2.2"
    ),
    "prank": _series("2 1 .6 .4 .3 .3 .6 1 1.5 2 2.5 3 3.5 4 4.5 5 5 5 5.5 6 6 5 4 3"),
    "silent": _series("3 2.5 2 2 1.5 1.5 2 2.5 3 3 3 3 3 3 3 3 3 3 3.5 3.5 3.5 3.5 3.5 3"),
    "accidental": _series("1 .6 .4 .3 .3 .8 2 3 4 4 4 4 4 4 4 4 4 4 3.5 3 2.5 2 1.5 1.2"),
    "non_emergency": _series(
        ".5 .3 .2 .2 .2 .5 1.5 3 5 5.5 5.5 5 5 5 5 4.5 4 3.5 3 2.5 2 1.5 1 .8"
    ),
}
CHANNELS = {
    "genuine": _table("voice .82, sms .04, app .07, aml .02, walk_in .03, radio .02"),
    "prank": _table("voice .93, sms .04, app .03"),
    "silent": _table("voice .84, aml .1, sms .03, app .03"),
    "accidental": _table("voice .75, aml .25"),
    "non_emergency": _table("voice .85, sms .07, app .06, walk_in .02"),
}
#: Genuine silent calls that come as a panic-button press or message with nothing filled in
#: (an RT head's panic app pressed in an emergency): the text channels' silent calls are not
#: all false either.
GENUINE_SILENT_APP = 0.1
# Missing data, the same share in every class (absent is unknown, never a hint of the label).
#: Voice reports without duration or time to first speech (the console records neither).
NO_TIMING = 0.45
#: Voice reports from a client that sends no silence flag at all.
NO_SILENCE_FLAG = 0.05
#: Reports whose persons and injuries were left empty (even where the call claimed some).
UNCOUNTED = 0.3
#: Reports (other than walk-in, radio and AML channels) without a location.
NO_LOCATION = 0.3
# Where a location comes from when there is one (AML phones send it whoever calls): alike in
# every class, as in life, so no single metadata value separates the classes.
LOCATIONS = {
    "genuine": _table("aml .5, device .1, operator_map .18, typed .1, kelurahan .06, cell .06"),
    "prank": _table("aml .55, cell .2, typed .08, kelurahan .07, operator_map .1"),
    "silent": _table("aml .7, cell .3"),
    "accidental": _table("aml .75, cell .25"),
    "non_emergency": _table("aml .55, cell .15, typed .12, kelurahan .08, operator_map .1"),
}
ACCURACY = {
    "aml": (15, 0.8, 3, 200),
    "device": (10, 0.6, 3, 100),
    "operator_map": (50, 0.5, 10, 300),
    "typed": (150, 0.5, 20, 1000),
    "kelurahan": (1500, 0.4, 500, 5000),
    "cell": (1200, 0.7, 200, 8000),
}
DURATION = {
    "genuine": (80, 0.65, 8, 900),
    "prank": (45, 0.75, 3, 400),
    "silent": (20, 0.7, 2, 180),
    "accidental": (30, 0.75, 3, 300),
    "non_emergency": (75, 0.6, 10, 600),
}
SPEECH = {
    "genuine": (2, 0.5, 0.3, 15),
    "prank": (3, 0.6, 0.3, 20),
    "accidental": (7, 0.5, 1, 30),
    "non_emergency": (2, 0.5, 0.3, 10),
    "silent": (3, 0.5, 0.3, 20),
}
FAKE_CATEGORIES = _table(
    "kebakaran .35, kecelakaan_lalu_lintas .25, medis .15, kriminal .1, orang_tenggelam .05,"
    " kekerasan .05, banjir .05"
)
DISASTER_CATEGORIES = ("banjir", "tanah_longsor", "pohon_tumbang")
PEOPLE_CATEGORIES = (
    "kecelakaan_lalu_lintas",
    "medis",
    "kekerasan",
    "kriminal",
    "orang_tenggelam",
    "tanah_longsor",
    "banjir",
)
HAZARDS = {
    "kebakaran": ("fire", "smoke"),
    "lainnya": ("electrical",),
    "kriminal": ("weapon",),
    "banjir": ("water",),
}
VICTIMS = (
    "bapak pelapor",
    "ibu pelapor",
    "nenek pelapor",
    "kakek tetangga",
    "suami pelapor",
    "seorang lansia",
    "anak pelapor",
    "istri pelapor",
)
VEHICLES = ("motor", "mobil", "truk", "angkot", "taksi online", "pikap", "sepeda")
