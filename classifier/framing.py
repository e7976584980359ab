"""Whose joke, and what a question reports (issue 14, the probes still HIGH).

Two readings of a summary, each a reason the call may be genuine although its words carry a
false-call marker; a post-model rule (:func:`classifier.safety.apply_rules`) uses them only to
lower HIGH to MEDIUM, so the model and its inputs do not change:

* ``third_party_joke`` — a joking word ("iseng", "bercanda", "main-main") whose own clause
  names someone else as its subject ("ada anak iseng lempar batu…", "teman2 bercanda…") or
  has no subject at all, followed in that clause or a later one by harm to a person ("kena
  bayi", "luka", "tidak muncul", "hanyut"). Someone else's horseplay that hurt someone is not
  the caller's hoax. The caller's own joke ("saya iseng", "cuma bercanda"), a joke with no
  harm after it, or the call itself as the joke ("nelpon iseng") are not read so.
* ``present_danger_asked`` — a question or "just information" opener ("mau tanya", "mau info")
  followed by a clause that says something dangerous is there now: "ada" not denied ("tidak
  ada"), not supposed ("kalau ada", unless the clause says it is happening now: "dari tadi",
  "sekarang") and not asked about ("ada … tidak?"), with a hazard or a person in danger in
  the clause ("ada buaya di parit", "ada laki2 bawa parang").
"""

from __future__ import annotations

from classifier import context, lexicon


def _vocab(text: str) -> frozenset[str]:
    return frozenset(lexicon.normalize(t) for t in lexicon.terms(text))


_JOKING = _vocab("iseng, bercanda, becanda, canda, main, dikerjain, dikerjai, ngerjain")
_OTHERS = _vocab(
    "anak, teman, temen, kawan, orang, pemuda, remaja, bocah, tetangga, warga, adik, kakak, "
    "mereka, siswa, murid, kids, children, friends, someone"
)
_CALL = _vocab("nelpon, telpon, telepon, menelpon, pencet, tes, ngetes, call, operator")
_HARM = _vocab(
    "kena, luka, terluka, berdarah, jatuh, tenggelam, hanyut, kejepit, terjepit, tertabrak, "
    "nabrak, menabrak, pingsan, patah, terbakar, berasap, kesetrum, tersengat, bergerak, "
    "muncul, gerak, sadar, terkunci, dikunci, terjebak, nyangkut, tersangkut, turun, keluar, "
    "gemetar, gemeteran, hurt, injured, bleeding, drowned, stuck, trapped"
)
_ASKING = _vocab(
    "tanya, bertanya, nanya, menanyakan, info, informasi, kabar, kasih tau, kasih info"
)
_NEGATORS = _vocab("tidak, bukan, belum, tanpa, no, not, nothing")
_CONDITIONALS = _vocab("kalau, kalo, klo, jika, bila, apabila, seandainya, misal, misalnya, if")
_NOW = _vocab("dari tadi, sekarang, skrg, masih, sedang, lagi, barusan, now")
_DANGER = _vocab(
    "buaya, ular, parang, pisau, senjata, celurit, golok, api, asap, berasap, gas, kabel, "
    "roboh, ambruk, miring, longsor, rembes, jebol, tanggul, tergeletak, mondar, nangis, "
    "menangis, hanyut, tenggelam, pingsan, bawa, anak, bayi, murid, warga"
)


def read(text: str, max_chars: int = 1000) -> tuple[str, ...]:
    """The readings (``third_party_joke``, ``present_danger_asked``) that hold for ``text``."""
    parts = context.clauses(text[:max_chars])
    found: list[str] = []
    if _third_party_joke(parts):
        found.append("third_party_joke")
    if _present_danger_asked(parts):
        found.append("present_danger_asked")
    return tuple(found)


def _third_party_joke(parts: list[list[str]]) -> bool:
    for i, words in enumerate(parts):
        at = next((k for k, w in enumerate(words) if w in _JOKING), None)
        if at is None:
            continue
        before = words[:at]
        if any(w in _CALL for w in words):
            continue  # "nelpon iseng", "iseng pencet 112": the call itself is the joke
        if before and not any(w in _OTHERS for w in before):
            continue  # the caller's own ("sy iseng", "cuma bercanda", "penelepon ngaku …")
        if any(w in _HARM for p in (words[at + 1 :], *parts[i + 1 :]) for w in p):
            return True
    return False


def _present_danger_asked(parts: list[list[str]]) -> bool:
    asked = False
    for words in parts:
        if any(w in _ASKING for w in words) or _has(words, _ASKING):
            asked = True
            continue
        if not asked or "ada" not in words:
            continue
        at = words.index("ada")
        if any(w in _NEGATORS for w in words[max(0, at - 2) : at]):
            continue  # "tidak ada kejadian"
        if words[-1] in _NEGATORS:
            continue  # "ada lowongan … tidak?": a yes/no question
        if any(w in _CONDITIONALS for w in words[:at]) and not _has(words, _NOW):
            continue  # "kalau ada banjir lagi nanti…"
        if any(w in _DANGER for w in words[at + 1 :]):
            return True
    return False


def _has(words: list[str], vocab: frozenset[str]) -> bool:
    padded = f" {' '.join(words)} "
    return any(f" {phrase} " in padded for phrase in vocab if " " in phrase) or any(
        w in vocab for w in words
    )
