"""Finding a kelurahan from a name as callers and operators actually type it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz

from adapters.routing.errors import AmbiguousPlace, UnknownPlace
from adapters.routing.geodata import Area

# Spellings and abbreviations seen in Samarinda addresses, mapped to the BIG spelling.
SYNONYMS = {
    "sei": "sungai",
    "sungei": "sungai",
    "sng": "sungai",
    "sgi": "sungai",
    "sg": "sungai",
    "s": "sungai",
    "hilir": "ilir",
    "hulu": "ulu",
    "dlm": "dalam",
    "dlam": "dalam",
    "lr": "luar",
    "gn": "gunung",
    "gng": "gunung",
    "gnung": "gunung",
    "masjid": "mesjid",
    "tlk": "teluk",
    "krg": "karang",
    "bkt": "bukit",
    "psr": "pasar",
    "pel": "pelabuhan",
    "p": "pulau",
    "utr": "utara",
    "sel": "selatan",
    "slt": "selatan",
    "brt": "barat",
    "tmr": "timur",
    "baka": "baqa",
    "smd": "samarinda",
}
# Words that introduce a kelurahan name, and words after which a kecamatan follows.
PREFIXES = {"kel", "kelurahan", "kelurahaan", "klh", "desa", "ds"}
SUFFIX_MARKERS = {"kec", "kecamatan", "kota", "kab", "kabupaten"}

ACCEPT_SCORE = 80.0  # below: not a match
AMBIGUITY_MARGIN = 3.0  # a runner-up this close to the best makes the answer ambiguous
SUGGEST_SCORE = 55.0
KECAMATAN_SCORE = 90.0  # a name this close to a kecamatan's prefers that kecamatan's kelurahan
MAX_SUGGESTIONS = 4


def normalise(name: str) -> str:
    """Lower case, no accents or punctuation, prefixes dropped, abbreviations expanded."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.split(",")[0]
    text = re.sub(r"['`]", "", text)
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    while words and words[0] in PREFIXES:
        words.pop(0)
    for i, word in enumerate(words):
        if i > 0 and word in SUFFIX_MARKERS:
            words = words[:i]
            break
    return " ".join(SYNONYMS.get(word, word) for word in words)


class KelurahanNames:
    """Tolerant lookup of kelurahan by name (case, prefixes, spelling variants, typos)."""

    def __init__(self, areas: Sequence[Area]) -> None:
        self._areas = list(areas)
        self._names: list[tuple[int, str, str]] = [
            (i, name, normalise(name)) for i, a in enumerate(areas) for name in (a.name, *a.aliases)
        ]

    def find(self, query: str) -> tuple[Area, str, float]:
        """The best kelurahan, the name it matched and the score (0–100)."""
        wanted = normalise(query)
        if not wanted:
            raise UnknownPlace(query, [])
        best = self._scores(wanted)
        ranked = sorted(best.items(), key=lambda item: -item[1][1])
        index, (_, score) = ranked[0]
        if score < ACCEPT_SCORE:
            suggestions = [self._areas[i].name for i, (_, s) in ranked if s >= SUGGEST_SCORE]
            raise UnknownPlace(query, suggestions[:MAX_SUGGESTIONS])
        close = [i for i, (_, s) in ranked if s >= score - AMBIGUITY_MARGIN]
        if len(close) > 1 and score < 100.0:
            close = self._in_named_kecamatan(wanted, close)
        if len(close) > 1 and score < 100.0:
            raise AmbiguousPlace(query, [self._areas[i].name for i in close][:MAX_SUGGESTIONS])
        index = close[0] if len(close) == 1 else index
        return self._areas[index], best[index][0], round(best[index][1], 1)

    def _in_named_kecamatan(self, wanted: str, close: list[int]) -> list[int]:
        """Of equally good kelurahan, those in the kecamatan the name also spells, if any.

        "Sei Pinang" is both Kelurahan Sungai Pinang Dalam (in Kecamatan Sungai Pinang) and
        Sungai Pinang Luar (in Samarinda Kota): a caller naming the place after the kecamatan
        means the kelurahan of that kecamatan.
        """
        inside = [
            i
            for i in close
            if fuzz.ratio(wanted, normalise(self._areas[i].kecamatan)) >= KECAMATAN_SCORE
        ]
        return inside or close

    def _scores(self, wanted: str) -> dict[int, tuple[str, float]]:
        squeezed = wanted.replace(" ", "")
        best: dict[int, tuple[str, float]] = {}
        for index, name, norm in self._names:
            # WRatio handles word order and partial names; the squeezed ratio handles
            # spacing variants such as "Mangku Palas" for "Mangkupalas".
            score = max(fuzz.WRatio(wanted, norm), fuzz.ratio(squeezed, norm.replace(" ", "")))
            if score > best.get(index, ("", -1.0))[1]:
                best[index] = (name, float(score))
        return best
