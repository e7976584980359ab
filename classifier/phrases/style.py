"""How operators really type: abbreviations, Banjar words, typos, stretched letters, English.

Applied the same way to both template families: it is noise, not a template.
"""

from __future__ import annotations

import random
import re

_ABBREVIATIONS = {
    "pelapor": "plp",
    "yang": "yg",
    "dengan": "dgn",
    "tidak": "tdk",
    "sudah": "sdh",
    "belum": "blm",
    "orang": "org",
    "untuk": "utk",
    "karena": "krn",
    "tolong": "tlg",
    "kelurahan": "kel.",
    "korban": "kbn",
    "jalan": "jln",
    "sekarang": "skrg",
    "lagi": "lg",
    "dekat": "dkt",
    "penelepon": "pnlp",
    "telepon": "telp",
    "kapan": "kpn",
    "berapa": "brp",
    "kemarin": "kmrn",
}
_BANJAR = {
    "tidak ada": "kadada",
    "tidak": "kada",
    "cepat": "lakasi",
    "besar": "ganal",
    "saya": "ulun",
    "mau": "handak",
    "juga": "jua",
    "sekarang": "wayah ini",
    "terbakar": "tabakar",
    "orang": "urang",
    "bagaimana": "kaya apa",
    "sangat": "banar",
    "air": "banyu",
    "bertanya": "batakun",
    "tertawa": "tatawa",
}
_ENGLISH_TAGS = (" pls", " urgent", " asap", " otw", " sorry", " help", " emergency")
_NEIGHBOURS = dict(zip("aeioukgtdnmrls", "sryprlhrsbnelak", strict=False))
_WORD = re.compile(r"[A-Za-z]{4,}")
_PUNCTUATION = re.compile(r"[.,;:!?']")
#: A replacement table compiled once: each word as a whole word in any case, and what it becomes.
_Table = tuple[tuple[re.Pattern[str], str], ...]


def _compiled(table: dict[str, str]) -> _Table:
    return tuple(
        (re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE), new) for word, new in table.items()
    )


_ABBREVIATION_TABLE = _compiled(_ABBREVIATIONS)
_BANJAR_TABLE = _compiled(_BANJAR)


def restyle(text: str, rng: random.Random) -> str:
    """One operator's rendering of a template sentence."""
    if not text:
        return text
    if rng.random() < 0.35:
        text = _replace_words(text, _ABBREVIATION_TABLE, rng, 0.7)
    if rng.random() < 0.2:
        text = _replace_words(text, _BANJAR_TABLE, rng, 0.8)
    if rng.random() < 0.3:
        for _ in range(rng.randint(1, 2)):
            text = _typo(text, rng)
    if rng.random() < 0.05:
        text = _stretch(text, rng)
    if rng.random() < 0.08:
        text += rng.choice(_ENGLISH_TAGS)
    roll = rng.random()
    if roll < 0.4:
        text = text.lower()
    elif roll < 0.43:
        text = text.upper()
    if rng.random() < 0.2:
        text = _PUNCTUATION.sub("", text)
    return text


def _replace_words(text: str, table: _Table, rng: random.Random, p: float) -> str:
    for pattern, replacement in table:

        def swap(match: re.Match[str], new: str = replacement) -> str:
            return new if rng.random() < p else match.group(0)

        text = pattern.sub(swap, text)
    return text


def _typo(text: str, rng: random.Random) -> str:
    words = list(_WORD.finditer(text))
    if not words:
        return text
    match = rng.choice(words)
    word, i = match.group(0), rng.randrange(1, len(match.group(0)) - 1)
    kind = rng.random()
    if kind < 0.3:
        new = word[:i] + word[i + 1 :]  # dropped letter
    elif kind < 0.55:
        new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped letters
    elif kind < 0.75:
        new = word[:i] + word[i] + word[i:]  # doubled letter
    else:
        new = word[:i] + _NEIGHBOURS.get(word[i].lower(), word[i]) + word[i + 1 :]
    return text[: match.start()] + new + text[match.end() :]


def _stretch(text: str, rng: random.Random) -> str:
    words = list(_WORD.finditer(text))
    if not words:
        return text
    match = rng.choice(words)
    word = match.group(0)
    vowel = max(range(len(word)), key=lambda k: (word[k].lower() in "aiueo", k))
    new = word[:vowel] + word[vowel] * rng.randint(3, 5) + word[vowel + 1 :]
    return text[: match.start()] + new + text[match.end() :]
