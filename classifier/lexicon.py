"""Indonesian / Banjar text normalisation and keyword matching.

Operators type fast: abbreviations (``tlg``, ``plp``), stretched letters (``toloooong``),
Banjar words (``kada``, ``tabakar``) and typos (``kebakran``). Text is normalised the same way
for the model and the rules, and the life-threat list also matches single-edit typos of its
longer words, so a typo never hides a fire.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_NON_WORD = re.compile(r"[^0-9a-z]+")
_DIGITS = re.compile(r"[0-9]+")
_REPEATS = re.compile(r"(.)\1+")


def terms(text: str) -> tuple[str, ...]:
    """Comma-separated terms from a block of text (multi-word terms keep their spaces)."""
    return tuple(" ".join(t.split()) for t in text.split(",") if t.strip())


# Abbreviations, slang and Banjar words mapped to standard Indonesian, so dialect does not look
# "odd" to the model (a Banjar report must not score as false for being Banjar).
_SLANG: dict[str, str] = dict(
    pair.split("=")
    for pair in terms(
        """
        tlg=tolong, tolongin=tolong, tulung=tolong, tulungi=tolong, tolongi=tolong,
        toloong=tolong, plp=pelapor, yg=yang, dgn=dengan, dg=dengan, lawan=dengan, tdk=tidak,
        tak=tidak, gak=tidak, ga=tidak, gk=tidak, nggak=tidak, ngga=tidak, enggak=tidak,
        kada=tidak, kd=tidak, kadada=tidak ada, gada=tidak ada, sdh=sudah, udh=sudah,
        udah=sudah, dah=sudah, blm=belum, krn=karena, karna=karena, utk=untuk, org=orang,
        urang=orang, kbn=korban, jl=jalan, jln=jalan, gg=gang, kel=kelurahan, kec=kecamatan,
        sy=saya, ulun=saya, unda=saya, aku=saya, ikam=kamu, pian=anda, lg=lagi, bgt=sekali,
        banar=sekali, nafas=napas, bernafas=bernapas, nafasnya=napasnya, handak=mau,
        lakas=cepat, lakasi=cepat, ganal=besar, tebakar=terbakar, tabakar=terbakar,
        kebakar=terbakar, tacabur=tercebur, kalelep=tenggelam, kelelep=tenggelam,
        klelep=tenggelam, bedarah=berdarah, badarah=berdarah, bakalahi=berkelahi,
        tapalanting=terjatuh, wayah=sekarang, kaina=nanti, hanyar=baru, jua=juga, gin=juga,
        bubuhan=mereka, kakanakan=anak, ading=adik, uma=ibu, abah=ayah, banyu=air, kawa=bisa,
        mbak=kakak, bang=kakak, skrg=sekarang, skr=sekarang, tp=tapi, trs=terus, bs=bisa,
        hrs=harus, msh=masih, lk=laki, pr=perempuan, tkp=lokasi, lok=lokasi, loc=lokasi,
        sharelok=lokasi, shareloc=lokasi, pls=mohon, please=mohon, plis=mohon, help=tolong,
        ambulan=ambulans, ambulance=ambulans, damkar=pemadam, fire=api, dkt=dekat,
        dkat=dekat, pnlp=penelepon, pnelp=penelepon, kpn=kapan, brp=berapa, gmn=bagaimana,
        gimana=bagaimana, bgmn=bagaimana, kayapa=bagaimana, knp=kenapa, kmrn=kemarin,
        kemaren=kemarin, batakun=bertanya, betakun=bertanya, tatawa=tertawa, bacanda=bercanda,
        becanda=bercanda, bnjr=banjir, rmh=rumah, tlp=telepon,
        telp=telepon, tlpn=telepon
        """
    )
)

#: Banjar (Samarinda) words; used to slice evaluation by dialect, never as a model input.
DIALECT_WORDS = frozenset(
    terms(
        """
        abah, ading, am, badarah, bahanu, bakalahi, banar, banyu, bedarah, bubuhan, bujur,
        ganal, gin, handak, hanyar, ikam, jua, kada, kadada, kah, kaina, kakanakan, kalelep,
        kawa, kayapa, lakas, lakasi, lawan, mahapa, nang, napa, ngalih, pang, pian, sidin,
        tabakar, tacabur, tapalanting, tebakar, tulungi, ulun, uma, unda, wayah
        """
    )
)


def _collapse(word: str) -> str:
    return _REPEATS.sub(r"\1", word)


_SLANG_COLLAPSED = {_collapse(k): _collapse(v) for k, v in _SLANG.items()}


_WORD_CACHE_LIMIT = 50_000
_word_forms: dict[str, str] = {}


def ascii_words(text: str) -> list[str]:
    """Lower-case, accent-free words of ``text`` (digits kept), before any mapping."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", folded).split()


#: "anak2", "datang2": a word doubled the way operators type it is the word itself.
_DOUBLED = re.compile(r"^([a-z]{2,})2$")


def _canonical_word(raw: str) -> str:
    form = _word_forms.get(raw)
    if form is None:
        doubled = _DOUBLED.match(raw)
        word = doubled.group(1) if doubled else _DIGITS.sub("0", raw)
        mapped = _SLANG.get(word) or _SLANG_COLLAPSED.get(_collapse(word))
        form = mapped if mapped is not None else _collapse(word)
        if len(_word_forms) >= _WORD_CACHE_LIMIT:
            _word_forms.clear()
        _word_forms[raw] = form
    return form


def analyse(text: str, max_chars: int = 1000) -> tuple[str, bool]:
    """The normalised text and whether the raw text has Banjar words, in one pass."""
    raw = ascii_words(text[:max_chars])
    return " ".join(_canonical_word(w) for w in raw), any(w in DIALECT_WORDS for w in raw)


def normalize(text: str, max_chars: int = 1000) -> str:
    """The canonical form of a description: what both the model and the rules read."""
    return analyse(text, max_chars)[0]


def has_dialect(text: str) -> bool:
    """Whether the raw text contains Banjar words (for per-group monitoring only)."""
    return analyse(text)[1]


@dataclass(frozen=True)
class Lexicon:
    """A named keyword list matched on normalised text.

    ``stems`` match at the start of a word (``kebakar`` matches ``kebakarannya``); ``phrases``
    match whole words in sequence; ``fuzzy`` words also match one-edit typos.
    """

    name: str
    stems: tuple[str, ...]
    phrases: tuple[str, ...] = ()
    fuzzy: tuple[str, ...] = ()

    def matches(self, normalized: str) -> list[str]:
        """The keywords found in ``normalized`` text (typos reported as the word they mean)."""
        return Scanner((self,)).scan(normalized)[self.name]


Hit = tuple[str, str]  # (lexicon name, matched term)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Scanner:
    """Finds the keywords of several lexicons in one pass, caching what each word matches."""

    def __init__(self, lexicons: Iterable[Lexicon]) -> None:
        self.names: tuple[str, ...] = ()
        self._prefix: dict[str, list[Hit]] = {}
        self._exact: dict[str, list[Hit]] = {}
        self._needles: list[tuple[str, str, str]] = []  # lexicon, " text " to find, term
        self._variants: dict[str, list[Hit]] = {}  # a fuzzy word or its one-deletion variant
        for lexicon in lexicons:
            self.names += (lexicon.name,)
            self._add(lexicon)
        self._lengths = sorted({len(stem) for stem in self._prefix})
        self._cache: dict[str, tuple[Hit, ...]] = {}

    def _add(self, lexicon: Lexicon) -> None:
        for stem in map(normalize, lexicon.stems):
            if " " in stem:
                self._needles.append((lexicon.name, f" {stem}", stem))
            else:
                self._prefix.setdefault(stem, []).append((lexicon.name, stem))
        for phrase in map(normalize, lexicon.phrases):
            if " " in phrase:
                self._needles.append((lexicon.name, f" {phrase} ", phrase))
            else:
                self._exact.setdefault(phrase, []).append((lexicon.name, phrase))
        for word in map(normalize, lexicon.fuzzy):
            for variant in {word} | _deletions(word):
                self._variants.setdefault(variant, []).append((lexicon.name, word))

    def scan(self, normalized: str) -> dict[str, list[str]]:
        """Matched terms per lexicon name, in text order."""
        found: dict[str, list[str]] = {name: [] for name in self.names}
        for word in dict.fromkeys(normalized.split()):
            for name, term in self._word(word):
                found[name].append(term)
        padded = f" {normalized} "
        for name, needle, term in self._needles:
            if needle in padded:
                found[name].append(term)
        return found

    def _word(self, word: str) -> tuple[Hit, ...]:
        hits = self._cache.get(word)
        if hits is None:
            hits = self._lookup(word)
            if len(self._cache) >= _WORD_CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = hits
        return hits

    def _lookup(self, word: str) -> tuple[Hit, ...]:
        hits: list[Hit] = []
        for n in self._lengths:
            if n > len(word):
                break
            hits.extend(self._prefix.get(word[:n], ()))
        hits.extend(self._exact.get(word, ()))
        if len(word) >= 6:  # one-edit typos of long words only: short ones collide too often
            matched = {name for name, _ in hits}
            candidates = self._variants.get(word) or next(
                (self._variants[d] for d in sorted(_deletions(word)) if d in self._variants), []
            )
            hits.extend(
                (name, target)
                for name, target in candidates
                if name not in matched and abs(len(target) - len(word)) <= 1
            )
        return tuple(dict.fromkeys(hits))
