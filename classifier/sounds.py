"""What was heard on a silent line: a person, or only the room the phone is in?

A silent call with signs of life (breathing, crying, a shout, taps, a voice) is called back
first and never banded HIGH (:mod:`classifier.safety`). Operators also write what they heard
when nobody was there: "tidak ada suara orang, cuma bunyi angin", "suara orang mengaji dari
radio", "background wind and traffic noise". Read word by word, those name a voice ("suara
orang", "noise") and would count as signs of life, so a silent call with only a TV on looked
like one with someone breathing.

This module reads the clause around each sign of life. Only the *generic* sound words (a
voice, "noise") can be set aside, and only when their own clause denies them ("tidak ada
suara orang") or puts them in a device or the surroundings ("suara orang ... dari radio",
"traffic noise"). Words of distress (breathing, crying, screaming, moaning, whispering, taps,
blows, "tolong", something breaking) always count, whatever else the clause says: "hening,
terdengar napas, tv menyala" is still a sign of life. Sounds from a device or the surroundings
are returned apart (``background``); on a silent call with no sign of life they are what the
call really shows: an open line and nobody on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifier import context, keywords, lexicon

#: Sign-of-life terms that name a sound, not distress: the only ones a clause can set aside.
_GENERIC = frozenset(
    lexicon.normalize(t)
    for t in lexicon.terms(
        """
        suara orang, suara laki, suara pria, suara perempuan, suara wanita, suara anak,
        suara ibu, orang bicara, orang berbicara, noise, terdengar suara, dengar suara,
        kedengaran suara, ada suara, suara pelan, suara lirih, bicara pelan, berbicara pelan,
        ngomong pelan, heard a voice, voice heard
        """
    )
)
_NEGATORS = frozenset(
    lexicon.normalize(t) for t in lexicon.terms("tidak, tanpa, bukan, belum, no, not, nothing")
)
_WINDOW = 3
_SCANNER = lexicon.Scanner((keywords.SIGNS_OF_LIFE, keywords.BACKGROUND_SOUND))
_SIGNS = keywords.SIGNS_OF_LIFE.name
_BACKGROUND = keywords.BACKGROUND_SOUND.name


@dataclass(frozen=True)
class Heard:
    """The sounds a summary names: signs of a person, and device or background sound."""

    signs_of_life: tuple[str, ...]
    background: tuple[str, ...]
    #: Generic sound words set aside, each with why ("negation" or "background").
    set_aside: tuple[tuple[str, str], ...] = ()


NOTHING = Heard((), ())


def read(text: str, signs: list[str], background: list[str], max_chars: int = 1000) -> Heard:
    """Signs of life that stand in ``text`` (a raw summary), given what the scanner found.

    Only when a generic sound word was found are the clauses read (most summaries have none).
    """
    if not any(s in _GENERIC for s in signs):
        return Heard(tuple(dict.fromkeys(signs)), tuple(dict.fromkeys(background)))
    kept: list[str] = [s for s in signs if s not in _GENERIC]
    set_aside: list[tuple[str, str]] = []
    for words in context.clauses(text[:max_chars]):
        joined = " ".join(words)
        found = _SCANNER.scan(joined)
        for term in found[_SIGNS]:
            if term not in _GENERIC:
                continue
            why = _why_not(words, term, bool(found[_BACKGROUND]))
            if why is None:
                kept.append(term)
            else:
                set_aside.append((term, why))
    standing = tuple(dict.fromkeys(kept))
    aside = tuple(pair for pair in dict.fromkeys(set_aside) if pair[0] not in standing)
    return Heard(standing, tuple(dict.fromkeys(background)), aside)


def _why_not(words: list[str], term: str, device_in_clause: bool) -> str | None:
    first = term.split()[0]
    at = (
        words.index(first)
        if first in words
        else next((i for i, w in enumerate(words) if w.startswith(first)), 0)
    )
    if any(w in _NEGATORS for w in words[max(0, at - _WINDOW) : at]):
        return "negation"
    if device_in_clause:
        return "background"
    return None


#: Laughter among the prank markers; nervous or background laughter is no sign of a prank.
_LAUGHTER = frozenset(lexicon.normalize(t) for t in lexicon.terms("tertawa, ketawa, tawa, cekikik"))
#: Who laughs and how: a frightened caller laughing nervously, or someone behind them.
_NOT_A_JOKE = frozenset(
    lexicon.normalize(t)
    for t in lexicon.terms(
        "grogi, gugup, panik, nervous, nervously, cemas, takut, histeris, belakang, latar, "
        "background"
    )
)


def prank_markers(text: str, markers: list[str], max_chars: int = 1000) -> list[str]:
    """The prank markers of ``text`` less laughter its clause calls nervous or background,
    and less someone's partner or acquaintance ("pacarnya ngamuk", "kenalan saya hilang").

    Nervous laughter from a frightened caller and laughter behind them happen in real
    emergencies (issue 14); the call-taker's hoax tick, not the word, says who was joking.
    """
    if any(m in _PERSONAL for m in markers):
        markers = [m for m in markers if m not in _PERSONAL or _flirting(text, m, max_chars)]
    if not any(m in _LAUGHTER for m in markers):
        return markers
    kept = [m for m in markers if m not in _LAUGHTER]
    parts = context.clauses(text[:max_chars])
    for i, words in enumerate(parts):
        # the clause or the next one says why ("ketawa2 dulu ya pak, saking paniknya")
        near = words + (parts[i + 1] if i + 1 < len(parts) else [])
        if any(w.startswith(j) for w in near for j in _NOT_A_JOKE):
            continue
        kept += [m for m in _PRANK.scan(" ".join(words))[_PRANK_NAME] if m in _LAUGHTER]
    return list(dict.fromkeys(kept))


#: Prank markers that are also words for a person: "ngajak kenalan" flirts, "kenalan saya" is
#: someone the caller knows.
_PERSONAL = frozenset(lexicon.normalize(t) for t in lexicon.terms("kenalan, pacar"))
_POSSESSIVE = frozenset(
    lexicon.normalize(t) for t in lexicon.terms("saya, sy, aku, kamu, dia, kami, mereka, my")
)


def _flirting(text: str, marker: str, max_chars: int) -> bool:
    """Some use of ``marker`` in ``text`` is not someone's partner or acquaintance."""
    words = lexicon.normalize(text, max_chars).split()
    for i, word in enumerate(words):
        if not word.startswith(marker):
            continue
        owned = word != marker or (i + 1 < len(words) and words[i + 1] in _POSSESSIVE)
        if not owned:
            return True
    return False


_PRANK = lexicon.Scanner((keywords.PRANK_MARKER,))
_PRANK_NAME = keywords.PRANK_MARKER.name


#: "…, tapi beneran", "ternyata serius": what follows a contrast or a finding says the event
#: is real, so the false-call markers before it describe what came first, not the call.
_CONTRAST = frozenset(
    lexicon.normalize(t) for t in lexicon.terms("tapi, tetapi, namun, ternyata, but, turns")
)
_REAL = frozenset(
    lexicon.normalize(t)
    for t in lexicon.terms("beneran, betulan, sungguhan, bener2, serius, nyata, really, real")
)
#: Words that fill a self-correction ("eh, nggak deng", "bukan pak") besides the negation.
_FILLERS = frozenset(
    lexicon.normalize(t)
    for t in lexicon.terms("eh, deng, ah, oh, ya, sih, pak, bu, mas, mbak, kak, maaf, sorry")
)
#: "tadi …, sekarang …": an earlier moment, then the present one.
_EARLIER = frozenset(
    lexicon.normalize(t) for t in lexicon.terms("tadi, tadinya, kemarin, dulu, sebelumnya")
)
_NOW = frozenset(lexicon.normalize(t) for t in lexicon.terms("sekarang, skrg, kini, ini, now"))
#: "eh tunggu", "bentar": the caller stops what they were saying.
_WAIT = frozenset(lexicon.normalize(t) for t in lexicon.terms("tunggu, bentar, sebentar, wait"))
#: What the caller or call-taker found out: "ternyata …", "turns out …".
_FINDING = frozenset(lexicon.normalize(t) for t in lexicon.terms("ternyata, turns"))
#: A clause that says nothing is wrong turns to no event.
_ALL_CLEAR = tuple(
    lexicon.normalize(t)
    for t in lexicon.terms(
        "tidak ada apa, tidak apa, bukan apa, aman, baik saja, nothing, no problem, all good"
    )
)
_MARKER_LISTS = (keywords.PRANK_MARKER, keywords.ACCIDENTAL_MARKER, keywords.INFO_REQUEST)
_MARKERS = lexicon.Scanner(_MARKER_LISTS)


def after_the_turn(
    text: str, *marker_lists: list[str], max_chars: int = 1000
) -> tuple[list[str], ...]:
    """Each list of false-call markers of ``text`` (prank, accidental, information request)
    less those said before the summary turns to a real event ("hp kepencet tadi, tapi
    sekarang beneran ada maling", "tertawa, ternyata beneran", "info lowongan? bukan, mau
    lapor…").

    Markers in the clauses before the first clause that follows a self-correction, or opens
    with a contrast or a finding and says the event is real, are dropped; markers from that
    clause on are kept. The clauses are read once, and only when there is a marker.
    """
    if not any(marker_lists):
        return marker_lists
    parts = context.clauses(text[:max_chars])
    turn = next((i for i in range(1, len(parts)) if _turns_real(parts, i)), None)
    if turn is None:
        return marker_lists
    found = _MARKERS.scan(" ".join(w for words in parts[turn:] for w in words))
    later = {m for lexicon_ in _MARKER_LISTS for m in found[lexicon_.name]}
    return tuple([m for m in markers if m in later] for markers in marker_lists)


def _turns_real(parts: list[list[str]], i: int) -> bool:
    """Clause ``i`` follows a self-correction ("info lowongan? bukan, mau lapor…"), or, unless
    it says all is well ("tapi serius tidak ada apa-apa"), opens on the present after an
    earlier moment ("tadi …, sekarang …") or opens with a contrast, a finding or "beneran"
    (or follows a lone "tapi") and says the event is real."""
    words, before = parts[i], parts[i - 1]
    correcting = [w for w in before if w in _NEGATORS or w in _WAIT]
    if correcting and all(w in correcting or w in _FILLERS for w in before):
        return True  # "…? bukan, …", "eh nggak deng, …", "eh tunggu, …"
    if _all_clear(words):  # "tapi serius tidak ada apa-apa", "ini aman"
        return False
    if words[0] in _FINDING:
        return True  # "ternyata ada orang di atap"; "ternyata bercanda" keeps its marker
    if words[0] in _NOW and any(w in _EARLIER for p in parts[:i] for w in p):
        return True  # "tadi X, sekarang / ini Y": what came earlier is not what the call is now
    # "beneran" must open the clause: "bilang beneran ada hantu" is a claim, not a turn.
    opens = (
        words[0] in _REAL
        or any(w in _CONTRAST for w in words[:2])
        or all(w in _CONTRAST for w in before)
    )
    return opens and any(w in _REAL for w in words)


def _all_clear(words: list[str]) -> bool:
    padded = f" {' '.join(words)} "
    return any(f" {phrase} " in padded for phrase in _ALL_CLEAR)
