"""Does a life-threat word report an event happening now, or is it asked, denied, past,
supposed or a figure of speech?

"Kapan banjir surut?", "tidak ada kebakaran", "kemarin tabrakan kecil", "kalau ada
kebakaran nomornya berapa", "hati saya terbakar cemburu": each has a life-threat word and
none reports a threat to life. The safety rule (``classifier.safety``) applies to words that
*report an event*; a word is taken out of it only when its own clause shows one of these
contexts, read from the words around it:

* ``question`` — the clause opens with an interrogative (``apakah``, ``kapan``, ``berapa`` …,
  Banjar ``kayapa``) or asks before the word (``mau tanya``, ``menanyakan``);
* ``negation`` — a negator (``tidak``, ``bukan``, ``belum``, ``tanpa``, Banjar ``kada``)
  within three words before it, unless the term itself is a negation ("tidak sadar");
* ``past`` — the clause says when, in the past (``kemarin``, ``minggu lalu``, ``tahun lalu``,
  ``dulu``), and nothing in it says the event goes on (``sekarang``, ``masih``, ``sejak``);
* ``hypothetical`` — a conditional before the word (``kalau``, ``jika``, ``misalnya``) or a
  drill, training or equipment service in the clause (``pelatihan``, ``simulasi``, ``apar``);
* ``figurative`` — love, jokes about one's boss, films and games ("api cinta", "kebakaran
  jenggot", "banjir orderan");
* ``request`` — "tolong" as a polite *please* before a service verb ("tolong diperbaiki");
* ``routine`` — burning rubbish or leaves ("membakar sampah"), for the burning words only.

Clauses end at punctuation and at ``tapi``, ``lalu``, ``dan``, ``sekarang`` …, so "tabrakan
kemarin, sekarang dia pingsan" still reports "pingsan". Every word with no such context counts
as reported (the safe default), and what was discounted stays visible in the score's reasons.
The call-taker's tick that they observed a hoax is the only thing that overrides a *reported*
threat; the words in the summary never do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifier import keywords, lexicon

CONTEXTS: dict[str, tuple[str, str]] = {
    "question": ("pertanyaan, bukan laporan kejadian", "a question, not a report of an event"),
    "negation": ("disangkal, bukan laporan kejadian", "denied, not a report of an event"),
    "past": ("kejadian lampau, bukan yang sedang terjadi", "a past event, not one happening now"),
    "hypothetical": (
        "pengandaian atau pelatihan, bukan kejadian",
        "hypothetical or training, not an event",
    ),
    "figurative": ("kiasan, bukan kejadian", "figurative, not an event"),
    "request": ("'tolong' sebagai permintaan layanan", "'tolong' as a polite request"),
    "routine": (
        "membakar sampah atau daun, bukan kebakaran",
        "burning rubbish or leaves, not a fire",
    ),
}

_SENTENCE_END = re.compile(r"[!?;:\n]+|(?<=[a-z0-9]{4})\.(?=\s|$)|,")


def _vocab(text: str) -> frozenset[str]:
    """Comma-separated terms, normalised the way the summary is."""
    return frozenset(lexicon.normalize(t) for t in lexicon.terms(text))


_CLAUSE_WORDS = _vocab(
    "tapi, tetapi, namun, padahal, sedangkan, lalu, kemudian, terus, dan, sekarang, "
    "but, then, and, now"
)
_TIME_UNITS = _vocab("hari, minggu, pekan, bulan, tahun, jam, menit, malam, waktu")
_OPENERS = _vocab(
    "apakah, apa benar, apa betul, benarkah, betulkah, kapan, bagaimana, berapa, bisakah, "
    "dimana, kayapa, how, when, where, what, can, could, does, do, are there, is there, is it"
)
_ASKING = _vocab("tanya, bertanya, menanyakan, nanya, nanyain, batakun, ask, asking")
_NEGATORS = _vocab("tidak, bukan, belum, tanpa, jangan, no, not, never, nothing")
_PAST = _vocab(
    "kemarin, minggu lalu, pekan lalu, bulan lalu, tahun lalu, hari lalu, dulu, dahulu, "
    "yesterday, last week, last month, last year, ago"
)
_ONGOING = _vocab("sekarang, masih, sedang, lagi, barusan, baru saja, sejak, makin, still")
_CONDITIONALS = _vocab(
    "kalau, kalo, klo, jika, jikalau, bila, apabila, seandainya, andai, andaikan, misal, "
    "misalnya, umpama, seumpama, if, suppose"
)
_TRAINING = _vocab(
    "pelatihan, latihan, simulasi, sosialisasi, penyuluhan, apar, refill, isi ulang, drill, "
    "training, tugas sekolah, lowongan"
)
_FIGURATIVE = _vocab(
    "di hati, hati saya, hatiku, hatinya, patah hati, cinta, asmara, cemburu, rindu, galau, "
    "air mata, orderan, rezeki, diskon, promo, jenggot, mati gaya, mati kutu, game, film, "
    "sinetron, mimpi, semangat, love"
)
_SERVICE_VERBS = _vocab(
    "diperbaiki, dicek, dicekkan, diperiksa, ditertibkan, diangkut, dibersihkan, dipangkas, "
    "ditegur, ditindak, disampaikan, diinfokan, diinformasikan, info, infokan, tanya, sampaikan"
)
_BURNING = _vocab("dibakar, membakar, pembakaran")
_ROUTINE = _vocab(
    "sampah, daun, ranting, sate, ikan, jagung, lemang, kemenyan, dupa, obat nyamuk, lilin, "
    "rubbish, leaves"
)
_THREATS = lexicon.Scanner((keywords.LIFE_THREAT,))
_NAME = keywords.LIFE_THREAT.name
_WINDOW = 3


@dataclass(frozen=True)
class ThreatReading:
    """The life-threat terms of a summary, split into reported and discounted ones."""

    reported: tuple[str, ...]
    #: Discounted terms, each with the context that discounted it (``CONTEXTS`` keys).
    discounted: tuple[tuple[str, str], ...]

    @property
    def contexts(self) -> tuple[str, ...]:
        """The contexts that discounted at least one term, in ``CONTEXTS`` order."""
        seen = {context for _, context in self.discounted}
        return tuple(c for c in CONTEXTS if c in seen)


NO_THREATS = ThreatReading((), ())


def clauses(text: str) -> list[list[str]]:
    """The normalised words of each clause of a raw summary."""
    out: list[list[str]] = []
    for part in _SENTENCE_END.split(text.lower()):
        words: list[str] = []
        for word in lexicon.normalize(part).split():
            ago = word == "lalu" and bool(words) and words[-1] in _TIME_UNITS  # "tahun lalu"
            if word in _CLAUSE_WORDS and words and not ago:
                out.append(words)
                words = []
            words.append(word)
        if words:
            out.append(words)
    return out


def read_threats(text: str, max_chars: int = 1000) -> ThreatReading:
    """Which life-threat terms in ``text`` report an event, and why the others do not."""
    reported: list[str] = []
    discounted: list[tuple[str, str]] = []
    for words in clauses(text[:max_chars]):
        for position, term in _hits(words):
            context = _context(words, position, term)
            if context is None:
                reported.append(term)
            else:
                discounted.append((term, context))
    return ThreatReading(tuple(dict.fromkeys(reported)), tuple(dict.fromkeys(discounted)))


def _hits(words: list[str]) -> list[tuple[int, str]]:
    """Each life-threat term of a clause with the index of its first word."""
    hits: list[tuple[int, str]] = []
    for i, word in enumerate(words):
        hits.extend((i, term) for term in _THREATS.scan(word)[_NAME] if " " not in term)
    padded = f" {' '.join(words)} "
    for term in _THREATS.scan(" ".join(words))[_NAME]:
        if " " in term:
            at = padded.find(f" {term}")
            hits.append((padded[:at].count(" ") if at >= 0 else 0, term))
    return hits


def _has(
    words: list[str], vocabulary: frozenset[str], start: int = 0, end: int | None = None
) -> bool:
    span = words[start:end]
    padded = f" {' '.join(span)} "
    return any(w in vocabulary for w in span) or any(
        f" {v} " in padded for v in vocabulary if " " in v
    )


def _dated(words: list[str]) -> bool:
    """The clause puts its event in the past: a past word that does not qualify a noun
    ("penelepon yang dulu sering iseng" says who calls, not when the fire was)."""
    return any(
        _has(words, _PAST, i, i + 2) and not (i and words[i - 1] == "yang")
        for i in range(len(words))
        if any(words[i] == v.split()[0] for v in _PAST)
    )


def _context(words: list[str], i: int, term: str) -> str | None:
    if term in _BURNING and _has(words, _ROUTINE):
        return "routine"
    if term == "tolong" and i + 1 < len(words) and words[i + 1] in _SERVICE_VERBS:
        return "request"
    if _has(words, _OPENERS, 0, min(i, _WINDOW)) or _has(words, _ASKING, 0, i):
        return "question"
    if term.split()[0] not in _NEGATORS and _has(words, _NEGATORS, max(0, i - _WINDOW), i):
        return "negation"
    if _dated(words) and not _has(words, _ONGOING):
        return "past"
    if _has(words, _CONDITIONALS, 0, i) or _has(words, _TRAINING):
        return "hypothetical"
    if _has(words, _FIGURATIVE):
        return "figurative"
    return None
